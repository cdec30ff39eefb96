//! The caches of a synthesized app, read from its templates: what `synth local up`
//! starts. Each `AWS::ElastiCache::ReplicationGroup` and `ServerlessCache` becomes a
//! [`LocalCache`] with the topology, TLS, authentication and parameters the
//! template gives it.
//!
//! The properties and their defaults are CloudFormation's (the provider schemas in
//! `constructs/schemas/`): `Port` 6379, `NumNodeGroups` 1, `ReplicasPerNodeGroup`
//! 0, `NumCacheClusters` 1. A serverless cache always requires TLS and runs in
//! cluster mode (AWS, "Serverless caches", ElastiCache user guide).

use redis_cdk::template::{GroupShape, SecretRef, Template};
use redis_cdk::StackArtifact;
use serde_json::{Map, Value};

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

/// The caches of the stacks, in stack and template order, read through the
/// template read model ([`Template`]).
///
/// # Errors
///
/// A cache whose shape cannot be run locally (more nodes than a laptop should
/// start: over 30), with its construct path.
pub fn caches(stacks: &[StackArtifact]) -> Result<Vec<LocalCache>, String> {
    let mut out = Vec::new();
    for s in stacks {
        let Some(tpl) = Template::new(&s.template, None) else { continue };
        for r in tpl.resources() {
            let (Some(ty @ (REPLICATION_GROUP | SERVERLESS)), Some(p)) = (r.ty, r.props) else { continue };
            // the L2 construct's path: its primary resource is its `Resource` child
            let path = s.logical_ids.get(r.id).map_or(r.id, String::as_str);
            let construct = path.strip_suffix("/Resource").unwrap_or(path);
            let cache = read_cache(&tpl, &s.name, construct, r.id, ty == SERVERLESS, p);
            let nodes = u64::from(cache.shards) * (u64::from(cache.replicas) + 1);
            if nodes > u64::from(MAX_LOCAL_NODES) {
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

const REPLICATION_GROUP: &str = "AWS::ElastiCache::ReplicationGroup";
const SERVERLESS: &str = "AWS::ElastiCache::ServerlessCache";

fn read_cache<'a>(
    tpl: &Template<'a>,
    stack: &str,
    construct: &str,
    id: &str,
    serverless: bool,
    p: &'a Map<String, Value>,
) -> LocalCache {
    let text = |key: &str| tpl.get(p, key).map(|l| l.text());
    let engine = text("Engine").unwrap_or_else(|| "redis".into()).to_ascii_lowercase();
    let parameters = parameter_group(tpl, p);
    let access = if let Some(group) = p.get("UserGroupIds").and_then(|g| g.get(0)).or_else(|| p.get("UserGroupId")) {
        Access::Users(users(tpl, group))
    } else if let Some(token) = p.get("AuthToken") {
        Access::Token { secret: secret_of(tpl, token) }
    } else {
        Access::Open
    };
    if serverless {
        return LocalCache {
            stack: stack.into(),
            construct: construct.into(),
            logical_id: id.into(),
            engine,
            version: text("MajorEngineVersion"),
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
    // a shape not known whole at synth time: each count that is known, else one
    // shard and no replicas (CloudFormation's defaults)
    let shape = tpl.replication_group_shape(p).unwrap_or_else(|_| {
        let count = |key: &str| tpl.get(p, key).and_then(|l| l.count());
        let shards = count("NumNodeGroups").unwrap_or(1).max(1);
        let replicas = count("ReplicasPerNodeGroup")
            .or_else(|| count("NumCacheClusters").map(|n| n.saturating_sub(1)))
            .unwrap_or(0);
        GroupShape { shards, replicas, nodes: shards.saturating_mul(replicas.saturating_add(1)) }
    });
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let mode = if cluster_enabled || shape.shards > 1 { Mode::Cluster } else { Mode::Replication };
    LocalCache {
        stack: stack.into(),
        construct: construct.into(),
        logical_id: id.into(),
        engine,
        version: text("EngineVersion"),
        mode,
        shards: if mode == Mode::Cluster { small(shape.shards).max(1) } else { 1 },
        replicas: small(shape.replicas),
        port: tpl
            .get(p, "Port")
            .and_then(|l| l.int())
            .and_then(|n| u16::try_from(n).ok())
            .unwrap_or(redis_cdk::facts::DEFAULT_PORT),
        tls: tpl.get(p, "TransitEncryptionEnabled").and_then(|l| l.bool()).unwrap_or(false),
        access,
        parameters,
        serverless,
    }
}

/// The properties of the resource `v` refers to (`Ref` or `Fn::GetAtt`), with its logical id.
fn referenced<'a>(tpl: &Template<'a>, v: &'a Value) -> Option<(&'a str, &'a Map<String, Value>)> {
    let id = tpl.target(v)?;
    Some((id, tpl.props(id)?))
}

fn parameter_group<'a>(tpl: &Template<'a>, p: &'a Map<String, Value>) -> Vec<(String, String)> {
    let Some((_, group)) = p.get("CacheParameterGroupName").and_then(|v| referenced(tpl, v)) else {
        return Vec::new();
    };
    group
        .get("Properties")
        .and_then(Value::as_object)
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

/// The Secrets Manager secret (logical id, or name) the first dynamic reference of
/// `v` names ([`Template::dynamic_secrets`]).
fn secret_of<'a>(tpl: &Template<'a>, v: &'a Value) -> Option<String> {
    tpl.dynamic_secrets(v).first().map(|s| match *s {
        SecretRef::Id(id) | SecretRef::Literal(id) => id.to_string(),
    })
}

fn users<'a>(tpl: &Template<'a>, group: &'a Value) -> Vec<LocalUser> {
    let Some((_, group)) = referenced(tpl, group) else { return Vec::new() };
    let mut out = Vec::new();
    for user in group.get("UserIds").and_then(Value::as_array).into_iter().flatten() {
        let Some((id, p)) = referenced(tpl, user) else { continue };
        let mode = p.get("AuthenticationMode").and_then(|m| m.get("Type")).and_then(Value::as_str).unwrap_or_default();
        let auth = if mode == "iam" {
            UserAuth::Iam
        } else if mode == "no-password-required"
            || tpl.get(p, "NoPasswordRequired").and_then(|l| l.bool()) == Some(true)
        {
            UserAuth::NoPassword
        } else {
            let first = p
                .get("AuthenticationMode")
                .and_then(|m| m.get("Passwords"))
                .and_then(|w| w.get(0))
                .or_else(|| p.get("Passwords").and_then(|w| w.get(0)));
            UserAuth::Password { secret: first.and_then(|f| secret_of(tpl, f)).or(Some(id.to_string())) }
        };
        out.push(LocalUser {
            name: tpl.get(p, "UserName").map_or_else(|| "default".into(), |l| l.text()),
            access_string: tpl.get(p, "AccessString").map_or_else(|| "off".into(), |l| l.text()),
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
        let t = json!({"Resources": {"AuthToken9D20A5AF": {"Type": "AWS::SecretsManager::Secret"}}});
        let tpl = Template::new(&t, None).unwrap();
        let sub = json!({"Fn::Sub": "{{resolve:secretsmanager:${AuthToken9D20A5AF}:SecretString:token::}}"});
        assert_eq!(secret_of(&tpl, &sub).as_deref(), Some("AuthToken9D20A5AF"));
        let literal = json!("{{resolve:secretsmanager:prod/redis:SecretString:t}}");
        assert_eq!(secret_of(&tpl, &literal).as_deref(), Some("prod/redis"));
        assert_eq!(secret_of(&tpl, &json!("plain")), None);
    }

    fn stack(template: Value) -> StackArtifact {
        StackArtifact {
            name: "S".into(),
            template,
            dependencies: Vec::new(),
            region: None,
            stack_tags: Default::default(),
            logical_ids: Default::default(),
        }
    }

    #[test]
    fn shards_come_from_the_node_groups_and_huge_shapes_are_refused() {
        let t = json!({
            "Parameters": {"Port": {"Type": "Number", "Default": 6380}},
            "Resources": {"Rg": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
                "Engine": "Valkey", "Port": {"Ref": "Port"}, "TransitEncryptionEnabled": "true",
                "NodeGroupConfiguration": [{"ReplicaCount": 2}, {"ReplicaCount": 1}, {"ReplicaCount": 2}]
            }}}
        });
        let found = caches(&[stack(t)]).unwrap();
        let c = &found[0];
        assert_eq!((c.mode, c.shards, c.replicas), (Mode::Cluster, 3, 2));
        assert_eq!((c.engine.as_str(), c.port, c.tls), ("valkey", 6380, true));

        // a shape known in part: the known counts are kept
        let partly = json!({"Parameters": {"R": {"Type": "Number"}},
            "Resources": {"Rg": {"Type": "AWS::ElastiCache::ReplicationGroup",
            "Properties": {"NumNodeGroups": 3, "ReplicasPerNodeGroup": {"Ref": "R"}}}}});
        let found = caches(&[stack(partly)]).unwrap();
        assert_eq!((found[0].mode, found[0].shards, found[0].replicas), (Mode::Cluster, 3, 0));

        let huge = json!({"Resources": {"Rg": {"Type": "AWS::ElastiCache::ReplicationGroup",
            "Properties": {"NumNodeGroups": 4_000_000_000u64, "ReplicasPerNodeGroup": 5}}}});
        let err = caches(&[stack(huge)]).unwrap_err();
        assert!(err.starts_with("[S/Rg] 24000000000 nodes (4000000000 shards x 5 replicas"), "{err}");
    }
}
