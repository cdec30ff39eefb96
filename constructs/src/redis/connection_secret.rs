//! `ConnectionSecret`: everything a client needs to connect, as one JSON secret.

use super::auth_secret::{read_secret, HoldsSecret};
use super::encryption_key::EncryptionKey;
use super::replication_group::{Mode, ReplicationGroup};
use super::role::Principal;
use super::serverless::ServerlessCache;
use crate::cfn::secretsmanager::CfnSecret;
use crate::cfn::ResourceDef;
use crate::core::{AsScope, Construct, RemovalPolicy, ResourceHandle, SecretValue, Value};
use indexmap::IndexMap;

/// One field of the connection document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum ConnectionField {
    /// A JSON string: a literal (escaped as JSON) or a reference such as an endpoint address.
    String(Value),
    /// A JSON number or boolean written as is: a literal, or a reference that
    /// resolves to a number such as an endpoint port.
    Raw(Value),
}

/// Settings of a [`ConnectionSecret`]: the fields of its JSON document, in order.
///
/// Literal strings are escaped as JSON. References (endpoint addresses, ports,
/// dynamic references to secrets) are written as CloudFormation resolves them, so
/// they must not contain `"` or `\`: true of ElastiCache endpoints and of the
/// letters-and-digits tokens [`super::AuthSecret`] generates.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionSecretProps {
    /// The fields, in document order.
    ///
    /// Default: none; [`ConnectionSecretProps::for_replication_group`] fills the usual ones.
    pub fields: IndexMap<String, ConnectionField>,
    /// Description of the secret. Default: `Connection details of <path>`.
    pub description: Option<String>,
    /// The KMS key that encrypts the secret.
    ///
    /// Default: none given here, so Secrets Manager uses its AWS-managed key; pass
    /// the stack's [`EncryptionKey`] with [`ConnectionSecretProps::kms_key`].
    pub kms_key: Option<Value>,
    /// What happens to the secret when it leaves the stack.
    ///
    /// Default: the environment preset: retained in staging and prod, deleted in dev.
    pub removal_policy: Option<RemovalPolicy>,
}

impl ConnectionSecretProps {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The connection document of `group`, with the field names redis clients and
    /// most infrastructure conventions use:
    ///
    /// | field | value |
    /// |---|---|
    /// | `primary_endpoint` | the primary endpoint (the configuration endpoint in cluster mode) |
    /// | `reader_endpoint` | the reader endpoint (the configuration endpoint in cluster mode, which routes reads too) |
    /// | `port` | the port, a number |
    /// | `auth_token` | `token`, resolved by CloudFormation at deploy time |
    /// | `ssl_enabled` | whether TLS is on |
    /// | `connection_uri` | `rediss://:<token>@<primary>:<port>` (`redis://` without TLS) |
    pub fn for_replication_group(group: &ReplicationGroup, token: SecretValue) -> Self {
        let primary = group.primary_endpoint_address();
        let port = group.primary_endpoint_port();
        let reader = match group.mode {
            Mode::Disabled => group.reader_endpoint_address(),
            Mode::Enabled { .. } => primary.clone(),
        };
        let uri = connection_uri(if group.tls() { "rediss://:" } else { "redis://:" }, &token, &primary, &port);
        ConnectionSecretProps::new()
            .string("primary_endpoint", primary)
            .string("reader_endpoint", reader)
            .number("port", port)
            .secret("auth_token", token)
            .boolean("ssl_enabled", group.tls())
            .string("connection_uri", uri)
    }

    /// The connection document of a serverless `cache` for the RBAC user
    /// `user_name` with `password` (a user of the cache's user group), with the
    /// names of [`ConnectionSecretProps::for_replication_group`] where the two
    /// say the same thing:
    ///
    /// | field | value |
    /// |---|---|
    /// | `primary_endpoint` | the endpoint (reads and writes) |
    /// | `reader_endpoint` | the reader endpoint (reads from replicas, possibly slightly stale) |
    /// | `port` | the endpoint's port, a number (6379) |
    /// | `reader_port` | the reader endpoint's port, a number (6380) |
    /// | `username` | `user_name` |
    /// | `password` | `password`, resolved by CloudFormation at deploy time |
    /// | `ssl_enabled` | `true`: serverless caches always use TLS |
    /// | `connection_uri` | `rediss://<user>:<password>@<endpoint>:<port>` |
    ///
    /// `user_name` is written into the URI as is, so it must be URI-safe: true of
    /// the letters, digits and hyphens ElastiCache user names are usually made of.
    pub fn for_serverless_cache(cache: &ServerlessCache, user_name: &str, password: SecretValue) -> Self {
        let host = cache.endpoint_address();
        let port = cache.endpoint_port();
        let uri = connection_uri(&format!("rediss://{user_name}:"), &password, &host, &port);
        ConnectionSecretProps::new()
            .string("primary_endpoint", host)
            .string("reader_endpoint", cache.reader_endpoint_address())
            .number("port", port)
            .number("reader_port", cache.reader_endpoint_port())
            .string("username", user_name)
            .secret("password", password)
            .boolean("ssl_enabled", true)
            .string("connection_uri", uri)
    }

    /// Adds (or replaces) a string field.
    pub fn string(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), ConnectionField::String(value.into()));
        self
    }

    /// Adds (or replaces) a number field, such as a port.
    pub fn number(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), ConnectionField::Raw(value.into()));
        self
    }

    /// Adds (or replaces) a boolean field.
    pub fn boolean(mut self, name: impl Into<String>, value: bool) -> Self {
        self.fields.insert(name.into(), ConnectionField::Raw(Value::Bool(value)));
        self
    }

    /// Adds (or replaces) a secret field: only its dynamic reference is in the template.
    pub fn secret(mut self, name: impl Into<String>, value: SecretValue) -> Self {
        self.fields.insert(name.into(), ConnectionField::String(value.into_value()));
        self
    }

    /// Drops a field, such as `connection_uri` when clients build it themselves.
    pub fn without(mut self, name: &str) -> Self {
        self.fields.shift_remove(name);
        self
    }

    /// Encrypts the secret with `key`; see [`ConnectionSecretProps::kms_key`].
    pub fn kms_key(mut self, key: &EncryptionKey) -> Self {
        self.kms_key = Some(key.key_arn());
        self
    }

    /// Sets the removal policy; see [`ConnectionSecretProps::removal_policy`].
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Sets the description; see [`ConnectionSecretProps::description`].
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// The `SecretString`: the JSON document as one string value, adjacent
    /// literals merged.
    fn secret_string(&self) -> Value {
        fn literal(parts: &mut Vec<Value>, s: &str) {
            match parts.last_mut() {
                Some(Value::String(prev)) => prev.push_str(s),
                _ => parts.push(Value::str(s)),
            }
        }
        let mut parts: Vec<Value> = Vec::new();
        literal(&mut parts, "{");
        for (i, (name, field)) in self.fields.iter().enumerate() {
            let key = serde_json::to_string(name).expect("a string serializes");
            literal(&mut parts, &format!("{}{key}:", if i == 0 { "" } else { "," }));
            match field {
                ConnectionField::String(Value::String(s)) => {
                    literal(&mut parts, &serde_json::to_string(s).expect("a string serializes"))
                }
                ConnectionField::String(v) => {
                    literal(&mut parts, "\"");
                    parts.push(v.clone());
                    literal(&mut parts, "\"");
                }
                ConnectionField::Raw(Value::String(s)) => literal(&mut parts, s),
                ConnectionField::Raw(Value::Bool(b)) => literal(&mut parts, &b.to_string()),
                ConnectionField::Raw(v) => parts.push(v.clone()),
            }
        }
        literal(&mut parts, "}");
        Value::concat(parts)
    }
}

/// `<scheme and user>:<secret>@<host>:<port>`, the secret as its dynamic reference.
fn connection_uri(scheme_and_user: &str, secret: &SecretValue, host: &Value, port: &Value) -> Value {
    Value::concat([
        Value::str(scheme_and_user),
        secret.as_value().clone(),
        Value::str("@"),
        host.clone(),
        Value::str(":"),
        port.clone(),
    ])
}

/// A Secrets Manager secret (child `Resource`) whose string is a JSON document of
/// connection details, such as endpoint, port, TLS flag and AUTH token, so an
/// application reads one secret to connect.
///
/// Secret fields are dynamic references (`{{resolve:secretsmanager:...}}`) that
/// CloudFormation resolves when it writes the secret, so no secret appears in the
/// template. The secret changes when an endpoint changes, on the next deploy.
/// (A token rotated outside CloudFormation is copied in on the next deploy only.)
#[derive(Debug, Clone)]
pub struct ConnectionSecret {
    secret: ResourceHandle,
    kms_key: Option<Value>,
    fields: Vec<String>,
    path: String,
}

impl ConnectionSecret {
    /// Creates the secret (child `Resource`) under `id`.
    ///
    /// A secret with no fields is reported at synth as an error.
    pub fn new(scope: &mut impl AsScope, id: &str, props: ConnectionSecretProps) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        // the stack's environment (a stack of an app without one: dev's preset)
        let environment = me.stack().environment().unwrap_or_default();
        if props.fields.is_empty() {
            me.rule_error(
                "CON036",
                "fields is empty; add the connection details, e.g. with ConnectionSecretProps::for_replication_group",
            );
        }
        let description =
            props.description.clone().unwrap_or_else(|| format!("Connection details of {}", me.full_path()));
        let mut secret = CfnSecret::new().description(description).secret_string(props.secret_string());
        if let Some(key) = &props.kms_key {
            secret = secret.kms_key_id(key.clone());
        }
        let secret = me.add_resource(
            "Resource",
            ResourceDef::from(secret)
                .removal_policy(props.removal_policy.unwrap_or(super::presets::key_policy(environment))),
        );
        ConnectionSecret {
            secret,
            kms_key: props.kms_key,
            fields: props.fields.keys().cloned().collect(),
            path: me.path().to_string(),
        }
    }

    /// The secret ARN (`Ref` of the secret).
    pub fn secret_arn(&self) -> Value {
        self.secret.reference()
    }

    /// A dynamic reference to one field, for another resource's property.
    pub fn field(&self, name: &str) -> SecretValue {
        SecretValue::secrets_manager(self.secret.reference(), Some(name), None)
    }

    /// The field names, in document order.
    pub fn field_names(&self) -> &[String] {
        &self.fields
    }

    /// The secret (child `Resource`), CDK's `defaultChild`.
    pub fn default_child(&self) -> &ResourceHandle {
        &self.secret
    }

    /// Grants `role` read access to this secret: a least-privilege managed policy
    /// (child `<id>` of `scope`) attached to the role, allowing
    /// `secretsmanager:GetSecretValue` and `DescribeSecret` on its ARN, and
    /// `kms:Decrypt` on its key only via Secrets Manager. The role does not need
    /// the AUTH token's own secret.
    pub fn grant_read(&self, scope: &mut impl AsScope, id: &str, to: impl Into<Principal>) -> ResourceHandle {
        read_secret(scope, id, self, Some(&to.into()))
    }

    /// The same least-privilege policy as [`ConnectionSecret::grant_read`],
    /// attached to no role: for roles that attach it themselves, by its ARN (the
    /// policy's `Ref`).
    pub fn read_policy(&self, scope: &mut impl AsScope, id: &str) -> ResourceHandle {
        read_secret(scope, id, self, None)
    }
}

impl Construct for ConnectionSecret {
    fn stack_name(&self) -> &str {
        &self.secret.target().stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}

impl HoldsSecret for ConnectionSecret {
    fn secret(&self) -> &ResourceHandle {
        &self.secret
    }
    fn key(&self) -> Option<&Value> {
        self.kms_key.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Target;

    fn t(p: &str) -> Target {
        Target { stack: "S".into(), path: p.into() }
    }

    #[test]
    fn literal_strings_are_escaped_and_references_quoted() {
        let props = ConnectionSecretProps::new()
            .string("host", Value::GetAtt(t("Cache/Resource"), "PrimaryEndPoint.Address".into()))
            .string("note", "say \"hi\"")
            .number("port", 6379)
            .boolean("tls", true)
            .secret("token", SecretValue::ssm_secure("/p", None));
        assert_eq!(
            props.secret_string(),
            Value::concat([
                Value::str(r#"{"host":""#),
                Value::GetAtt(t("Cache/Resource"), "PrimaryEndPoint.Address".into()),
                Value::str(r#"","note":"say \"hi\"","port":"#),
                Value::from(6379),
                Value::str(r#","tls":true,"token":"{{resolve:ssm-secure:/p}}"}"#),
            ])
        );
    }

    #[test]
    fn without_drops_a_field() {
        let props = ConnectionSecretProps::new().boolean("a", true).boolean("b", false).without("a");
        assert_eq!(props.fields.keys().collect::<Vec<_>>(), ["b"]);
    }
}
