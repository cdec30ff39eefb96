//! Deployment environments: the `--env` flag of every app.

use std::fmt;
use std::str::FromStr;

/// The environment an app is built for; presets for sizing and safety key off it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Development: smallest sizes, data may be destroyed.
    #[default]
    Dev,
    /// Staging: production-like safety, smaller sizes.
    Staging,
    /// Production: high availability, snapshots and retention.
    Prod,
}

impl Environment {
    /// Every environment, in order.
    pub const ALL: [Environment; 3] = [Environment::Dev, Environment::Staging, Environment::Prod];

    /// The lowercase name (`dev`, `staging`, `prod`).
    pub fn name(self) -> &'static str {
        match self {
            Environment::Dev => "dev",
            Environment::Staging => "staging",
            Environment::Prod => "prod",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An environment name that is not `dev`, `staging` or `prod`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown environment '{0}'; use dev, staging or prod")]
pub struct UnknownEnvironment(pub String);

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dev" => Ok(Environment::Dev),
            "staging" => Ok(Environment::Staging),
            "prod" => Ok(Environment::Prod),
            other => Err(UnknownEnvironment(other.to_string())),
        }
    }
}
