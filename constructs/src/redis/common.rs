//! Settings shared by the node-based cache constructs.

use crate::core::{SecretValue, Value};

/// Encryption in transit (TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum TransitEncryption {
    /// TLS on, and clients must use it (`TransitEncryptionMode: required`). The default.
    #[default]
    Required,
    /// TLS on, plain connections still accepted: only as a step while migrating an
    /// existing cluster to TLS; the next deploy should move to `Required`.
    PreferredDuringMigration,
    /// TLS off (a warning at synth; AUTH then cannot be used).
    Disabled,
}

/// Encryption at rest.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum AtRestEncryption {
    /// A new customer-managed KMS key with rotation, created as child `Key`. The default.
    #[default]
    CreateKey,
    /// This KMS key (id or ARN), such as the stack's [`super::EncryptionKey`]'s ARN.
    Key(Value),
    /// The AWS-managed ElastiCache key.
    AwsManagedKey,
    /// No encryption at rest (a warning at synth). Changing this later replaces the cluster.
    Disabled,
}

/// How clients authenticate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Auth {
    /// An AUTH token, from an [`super::AuthSecret`] or another [`SecretValue`]. Requires TLS.
    Token(SecretValue),
    /// RBAC: these user group ids (see [`super::CacheUserGroup`]).
    UserGroups(Vec<Value>),
    /// No authentication (a warning at synth): anyone who reaches the port gets in.
    None,
}

/// `NetworkType`: the IP versions the cache's endpoints use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum NetworkType {
    /// IPv4 only.
    Ipv4,
    /// IPv6 only (Redis 6.2+/Valkey, Nitro node types).
    Ipv6,
    /// Both.
    DualStack,
}

impl NetworkType {
    /// The CloudFormation value.
    pub fn name(self) -> &'static str {
        match self {
            NetworkType::Ipv4 => "ipv4",
            NetworkType::Ipv6 => "ipv6",
            NetworkType::DualStack => "dual_stack",
        }
    }
}

/// Log types ElastiCache delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum LogType {
    /// The slow log (Redis 6.0+, Valkey).
    SlowLog,
    /// The engine log (Redis 6.2+, Valkey).
    EngineLog,
}

impl LogType {
    /// The CloudFormation value.
    pub fn name(self) -> &'static str {
        match self {
            LogType::SlowLog => "slow-log",
            LogType::EngineLog => "engine-log",
        }
    }

    /// The child id of the log group created for it.
    pub fn construct_id(self) -> &'static str {
        match self {
            LogType::SlowLog => "SlowLog",
            LogType::EngineLog => "EngineLog",
        }
    }
}

/// The parent of a construct path: `Cache` for `Cache/Resource`.
pub(crate) fn parent_path(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(parent, _)| parent)
}
