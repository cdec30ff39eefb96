//! The caches of a synthesized app, read from its templates: what `synth local up`
//! starts. Each `AWS::ElastiCache::ReplicationGroup` and `ServerlessCache` becomes a
//! [`LocalCache`] with the topology, TLS, authentication and parameters the
//! template gives it.
//!
//! The properties and their defaults are CloudFormation's (the provider schemas in
//! `constructs/schemas/`): `Port` 6379, `NumNodeGroups` 1, `ReplicasPerNodeGroup`
//! 0, `NumCacheClusters` 1. A serverless cache always requires TLS and runs in
//! cluster mode (AWS, "Serverless caches", ElastiCache user guide).

use redis_cdk::StackArtifact;
use serde_json::Value;

/// How clients reach a cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Cluster mode off: one primary and its replicas.
    Replication,
    /// Cluster mode on: the hash slots over shards (serverless caches too).
    Cluster,
}

impl Mode {
    /// `replication` or `cluster`, as `connections.json` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Replication => "replication",
            Mode::Cluster => "cluster",
        }
    }
}

/// Who may connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone who reaches the port.
    Open,
    /// The AUTH token.
    Token {
        /// The Secrets Manager secret it comes from (its logical id, or its name),
        /// when it is a dynamic reference to one.
        secret: Option<String>,
    },
    /// RBAC: the users of the user group.
    Users(Vec<LocalUser>),
}

/// An RBAC user of the cache's user group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalUser {
    /// `UserName` (`default` for the default user).
    pub name: String,
    /// `AccessString`, as ElastiCache applies it (the Redis ACL rule syntax).
    pub access_string: String,
    /// How the user authenticates.
    pub auth: UserAuth,
}

/// How an RBAC user authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserAuth {
    /// No password (`NoPasswordRequired` or `AuthenticationMode.Type: no-password-required`).
    NoPassword,
    /// Passwords.
    Password {
        /// The secret the first comes from (logical id or name), else the user's own id.
        secret: Option<String>,
    },
    /// IAM authentication: locally a generated password stands in.
    Iam,
}

/// One cache of the app.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalCache {
    /// The stack.
    pub stack: String,
    /// The construct path below the stack, without the `/Resource` of an L2's
    /// primary resource (the logical id when unknown).
    pub construct: String,
    /// The logical id.
    pub logical_id: String,
    /// `redis` or `valkey`.
    pub engine: String,
    /// `EngineVersion`, or `MajorEngineVersion` of a serverless cache.
    pub version: Option<String>,
    /// Replication or cluster.
    pub mode: Mode,
    /// Shards (1 with cluster mode off).
    pub shards: u32,
    /// Replicas of each shard's primary.
    pub replicas: u32,
    /// The template's port.
    pub port: u16,
    /// In-transit encryption required.
    pub tls: bool,
    /// Who may connect.
    pub access: Access,
    /// The parameter group's values, in its order (`cluster-enabled` included).
    pub parameters: Vec<(String, String)>,
    /// A serverless cache.
    pub serverless: bool,
}

impl LocalCache {
    /// A name for the cache, unique in the app: `<stack>/<construct path>`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.stack, self.construct)
    }

    /// [`LocalCache::name`] as a file name: `<stack>-<construct path with - for />`.
    pub fn dir_name(&self) -> String {
        self.name().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
    }

    /// Every node: (shard, index in the shard; 0 is the primary).
    pub fn nodes(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.shards).flat_map(move |s| (0..=self.replicas).map(move |r| (s, r)))
    }
}

/// The caches of the stacks, in stack and template order.
///
/// # Errors
///
/// A cache whose shape cannot be run locally (more nodes than a laptop should
/// start: over 30), with its construct path.
pub fn caches(stacks: &[StackArtifact]) -> Result<Vec<LocalCache>, String> {
    let mut out = Vec::new();
    for s in stacks {
        let resources = s.template["Resources"].as_object();
        for (id, r) in resources.into_iter().flatten() {
            let ty = r["Type"].as_str().unwrap_or_default();
            if ty != "AWS::ElastiCache::ReplicationGroup" && ty != "AWS::ElastiCache::ServerlessCache" {
                continue;
            }
            // the L2 construct's path: its primary resource is its `Resource` child
            let path = s.logical_ids.get(id).cloned().unwrap_or_else(|| id.clone());
            let construct = path.strip_suffix("/Resource").unwrap_or(&path).to_string();
            let cache = read_cache(&s.name, &construct, id, r, &s.template);
            let nodes = cache.shards * (cache.replicas + 1);
            if nodes > MAX_LOCAL_NODES {
                return Err(format!(
                    "[{}/{construct}] {nodes} nodes ({} shards x {} replicas + primaries) is more than synth local \
                     starts ({MAX_LOCAL_NODES}); build the app for a smaller --env (dev or staging)",
                    s.name, cache.shards, cache.replicas
                ));
            }
            out.push(cache);
        }
    }
    Ok(out)
}

/// The most engine processes one cache may start.
pub const MAX_LOCAL_NODES: u32 = 30;

fn read_cache(stack: &str, construct: &str, id: &str, r: &Value, template: &Value) -> LocalCache {
    let p = &r["Properties"];
    let serverless = r["Type"] == "AWS::ElastiCache::ServerlessCache";
    let engine = p["Engine"].as_str().unwrap_or("redis").to_ascii_lowercase();
    let parameters = parameter_group(p, template);
    let access = if let Some(group) = p.get("UserGroupIds").and_then(|g| g.get(0)).or_else(|| p.get("UserGroupId")) {
        Access::Users(users(group, template))
    } else if let Some(token) = p.get("AuthToken") {
        Access::Token { secret: secret_of(token) }
    } else {
        Access::Open
    };
    if serverless {
        return LocalCache {
            stack: stack.into(),
            construct: construct.into(),
            logical_id: id.into(),
            engine,
            version: p["MajorEngineVersion"].as_str().map(str::to_string),
            mode: Mode::Cluster,
            shards: 1,
            replicas: 0,
            port: redis_cdk::facts::DEFAULT_PORT,
            tls: true,
            access,
            parameters,
            serverless,
        };
    }
    let cluster_enabled = parameters.iter().any(|(k, v)| k == "cluster-enabled" && v == "yes");
    let shards = number(&p["NumNodeGroups"]).unwrap_or(1).max(1);
    let mode = if cluster_enabled || shards > 1 { Mode::Cluster } else { Mode::Replication };
    let replicas = match mode {
        Mode::Cluster => number(&p["ReplicasPerNodeGroup"]).unwrap_or(0),
        Mode::Replication => match number(&p["NumCacheClusters"]) {
            Some(n) => n.saturating_sub(1),
            None => number(&p["ReplicasPerNodeGroup"]).unwrap_or(0),
        },
    };
    LocalCache {
        stack: stack.into(),
        construct: construct.into(),
        logical_id: id.into(),
        engine,
        version: p["EngineVersion"].as_str().map(str::to_string),
        mode,
        shards: if mode == Mode::Cluster { shards } else { 1 },
        replicas,
        port: number(&p["Port"]).and_then(|n| u16::try_from(n).ok()).unwrap_or(redis_cdk::facts::DEFAULT_PORT),
        tls: p["TransitEncryptionEnabled"].as_bool().unwrap_or(false),
        access,
        parameters,
        serverless,
    }
}

/// A number or a numeric string.
fn number(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The resource a `{"Ref": id}` names, with its logical id.
fn referenced<'a>(v: &Value, template: &'a Value) -> Option<(String, &'a Value)> {
    let id = v.get("Ref")?.as_str()?;
    template["Resources"].get(id).map(|r| (id.to_string(), r))
}

fn parameter_group(p: &Value, template: &Value) -> Vec<(String, String)> {
    let Some((_, group)) = referenced(&p["CacheParameterGroupName"], template) else { return Vec::new() };
    group["Properties"]["Properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                _ => return None,
            };
            Some((k.clone(), v))
        })
        .collect()
}

/// The Secrets Manager secret (logical id) a `{{resolve:secretsmanager:${Id}...}}`
/// or `{{resolve:secretsmanager:name...}}` dynamic reference names.
fn secret_of(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("Fn::Sub")?.as_str()?,
        _ => return None,
    };
    let rest = text.split("{{resolve:secretsmanager:").nth(1)?;
    let name = rest.split([':', '}']).next()?;
    let name = name.strip_prefix("${").unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

fn users(group: &Value, template: &Value) -> Vec<LocalUser> {
    let Some((_, group)) = referenced(group, template) else { return Vec::new() };
    let mut out = Vec::new();
    for user in group["Properties"]["UserIds"].as_array().into_iter().flatten() {
        let Some((id, u)) = referenced(user, template) else { continue };
        let p = &u["Properties"];
        let mode = p["AuthenticationMode"]["Type"].as_str().unwrap_or_default();
        let auth = if mode == "iam" {
            UserAuth::Iam
        } else if mode == "no-password-required" || p["NoPasswordRequired"].as_bool() == Some(true) {
            UserAuth::NoPassword
        } else {
            let first = p["AuthenticationMode"]["Passwords"].get(0).or_else(|| p["Passwords"].get(0));
            UserAuth::Password { secret: first.and_then(secret_of).or(Some(id)) }
        };
        out.push(LocalUser {
            name: p["UserName"].as_str().unwrap_or("default").to_string(),
            access_string: p["AccessString"].as_str().unwrap_or("off").to_string(),
            auth,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_named_by_their_dynamic_reference() {
        let sub = json!({"Fn::Sub": "{{resolve:secretsmanager:${AuthToken9D20A5AF}:SecretString:token::}}"});
        assert_eq!(secret_of(&sub).as_deref(), Some("AuthToken9D20A5AF"));
        assert_eq!(
            secret_of(&json!("{{resolve:secretsmanager:prod/redis:SecretString:t}}")).as_deref(),
            Some("prod/redis")
        );
        assert_eq!(secret_of(&json!("plain")), None);
    }
}
