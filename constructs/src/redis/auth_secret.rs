//! `AuthSecret`: a generated Redis AUTH token in Secrets Manager.

use super::encryption_key::EncryptionKey;
use super::role::Principal;
use crate::cfn::secretsmanager::CfnSecret;
use crate::cfn::ResourceDef;
use crate::core::{AsScope, Construct, RemovalPolicy, ResourceHandle, SecretValue, Value};
use crate::facts;
use crate::map;

/// The JSON key of the token in the secret string.
pub const TOKEN_KEY: &str = "token";

/// Optional settings of an [`AuthSecret`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSecretProps {
    /// Token length, 16 to 128 characters.
    ///
    /// Default: 64.
    #[schemars(range(min = 16, max = 128))]
    pub length: u32,
    /// Description of the secret. Default: `Redis AUTH token for <path>`.
    pub description: Option<String>,
    /// The KMS key that encrypts the secret.
    ///
    /// Default: none given here; pass the stack's [`EncryptionKey`] with
    /// [`AuthSecretProps::kms_key`]. Without one, Secrets Manager uses its AWS-managed key.
    pub kms_key: Option<Value>,
    /// What happens to the secret when it leaves the stack.
    ///
    /// Default: the environment preset: retained in staging and prod, deleted in dev.
    pub removal_policy: Option<RemovalPolicy>,
}

impl Default for AuthSecretProps {
    fn default() -> Self {
        AuthSecretProps { length: 64, description: None, kms_key: None, removal_policy: None }
    }
}

impl AuthSecretProps {
    /// Sets the token length; see [`AuthSecretProps::length`].
    pub fn length(mut self, length: u32) -> Self {
        self.length = length;
        self
    }

    /// Encrypts the secret with `key`; see [`AuthSecretProps::kms_key`].
    pub fn kms_key(mut self, key: &EncryptionKey) -> Self {
        self.kms_key = Some(key.key_arn());
        self
    }

    /// Sets the removal policy; see [`AuthSecretProps::removal_policy`].
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Sets the description; see [`AuthSecretProps::description`].
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
}

/// A Secrets Manager secret (child `Resource`) whose JSON string holds a generated
/// AUTH token under `token`: letters and digits only, which ElastiCache always
/// accepts. The token reaches a cluster only through [`AuthSecret::token`], a
/// dynamic reference resolved at deploy time; it never appears in a template.
#[derive(Debug, Clone)]
pub struct AuthSecret {
    secret: ResourceHandle,
    kms_key: Option<Value>,
    path: String,
}

impl AuthSecret {
    /// Creates the secret (child `Resource`) under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: AuthSecretProps) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        // the stack's environment (a stack of an app without one: dev's preset)
        let environment = me.stack().environment().unwrap_or_default();
        if let Some(why) = facts::secret_length_problem("AUTH token", props.length) {
            me.rule_error("SEC003", why);
        }
        let description = props.description.unwrap_or_else(|| format!("Redis AUTH token for {}", me.full_path()));
        let mut secret = CfnSecret::new().description(description).generate_secret_string(map! {
            "ExcludePunctuation" => true,
            "GenerateStringKey" => TOKEN_KEY,
            "IncludeSpace" => false,
            "PasswordLength" => props.length,
            "SecretStringTemplate" => "{}",
        });
        if let Some(key) = &props.kms_key {
            secret = secret.kms_key_id(key.clone());
        }
        let secret = me.add_resource(
            "Resource",
            ResourceDef::from(secret)
                .removal_policy(props.removal_policy.unwrap_or(super::presets::key_policy(environment))),
        );
        AuthSecret { secret, kms_key: props.kms_key, path: me.path().to_string() }
    }

    /// The token, as a dynamic reference: `{{resolve:secretsmanager:<arn>:SecretString:token::}}`.
    pub fn token(&self) -> SecretValue {
        SecretValue::secrets_manager(self.secret.reference(), Some(TOKEN_KEY), None)
    }

    /// The secret ARN (`Ref` of the secret).
    pub fn secret_arn(&self) -> Value {
        self.secret.reference()
    }

    /// The secret (child `Resource`), CDK's `defaultChild`: to refer to it, or to
    /// change it with [`crate::Stack::resource_mut`].
    pub fn default_child(&self) -> &ResourceHandle {
        &self.secret
    }

    /// Grants `role` read access to the token: a least-privilege managed policy
    /// (child `<id>` of `scope`) attached to the role, allowing
    /// `secretsmanager:GetSecretValue` and `DescribeSecret` on this secret's ARN,
    /// and `kms:Decrypt` on its key only via Secrets Manager.
    ///
    /// ```
    /// use redis_cdk::{App, AuthSecret, AuthSecretProps, Environment, Role};
    ///
    /// let mut app = App::new();
    /// let stack = app.add_stack("Demo");
    /// let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    /// let app_role = Role::from_arn("arn:aws:iam::123456789012:role/service/app").unwrap();
    /// let policy = token.grant_read(stack, "ReadToken", &app_role);
    /// let roles = stack.resource(&policy.target().path).unwrap().get("Roles").unwrap();
    /// assert_eq!(roles, &redis_cdk::Value::str_list(["app"]));
    /// ```
    pub fn grant_read(&self, scope: &mut impl AsScope, id: &str, to: impl Into<Principal>) -> ResourceHandle {
        read_secret(scope, id, self, Some(&to.into()))
    }

    /// The same least-privilege policy as [`AuthSecret::grant_read`], attached to
    /// no role: for roles that attach it themselves, by its ARN (the policy's `Ref`),
    /// such as roles of another stack or account tooling.
    pub fn read_policy(&self, scope: &mut impl AsScope, id: &str) -> ResourceHandle {
        read_secret(scope, id, self, None)
    }
}

/// A construct whose value is one Secrets Manager secret, maybe encrypted with a
/// key of the stack ([`AuthSecret`], [`super::ConnectionSecret`],
/// [`super::UserPassword`]): what their `grant_read` and `read_policy` share.
pub(crate) trait HoldsSecret {
    /// The secret.
    fn secret(&self) -> &ResourceHandle;
    /// The KMS key that encrypts it, when one is given.
    fn key(&self) -> Option<&Value>;
}

impl HoldsSecret for AuthSecret {
    fn secret(&self) -> &ResourceHandle {
        &self.secret
    }
    fn key(&self) -> Option<&Value> {
        self.kms_key.as_ref()
    }
}

/// A managed policy reading `secret`, decrypting with its key only through
/// Secrets Manager in the stack's region, attached to `to` (a role, user or
/// group) if there is one;
/// its description names the secret's construct path.
pub(crate) fn read_secret(
    scope: &mut impl AsScope,
    id: &str,
    secret: &dyn HoldsSecret,
    to: Option<&Principal>,
) -> ResourceHandle {
    let mut scope = scope.as_scope();
    let mut statements = vec![map! {
        "Sid" => "ReadRedisSecret",
        "Effect" => "Allow",
        "Action" => Value::str_list(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]),
        "Resource" => Value::List(vec![secret.secret().reference()]),
    }];
    if let Some(key) = secret.key() {
        statements.push(map! {
            "Sid" => "DecryptRedisSecretViaSecretsManager",
            "Effect" => "Allow",
            "Action" => "kms:Decrypt",
            "Resource" => Value::List(vec![key.clone()]),
            "Condition" => map! {
                "StringEquals" => map! {
                    "kms:ViaService" => Value::sub("secretsmanager.${AWS::Region}.amazonaws.com"),
                },
            },
        });
    }
    let target = secret.secret().target();
    let path = target.path.strip_suffix("/Resource").unwrap_or(&target.path);
    let description = format!("Read the Redis secret {}/{path}", target.stack);
    super::role::managed_policy(&mut scope, id, statements, description, to)
}

impl Construct for AuthSecret {
    fn stack_name(&self) -> &str {
        &self.secret.target().stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}
