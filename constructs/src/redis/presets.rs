//! Environment presets: sizing and safety per environment, as data.
//!
//! Every construct that takes an [`Environment`] starts from these values; each
//! one can be overridden prop by prop.

use crate::core::{Environment, RemovalPolicy};

/// Sizing and safety defaults for one environment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preset {
    /// The environment.
    pub environment: Environment,
    /// Node type of a cluster-mode-disabled replication group.
    pub node_type: &'static str,
    /// Replicas per primary (or per shard).
    pub replicas: u32,
    /// Multi-AZ with automatic failover (needs at least one replica).
    pub multi_az: bool,
    /// Automatic daily snapshots kept this many days (0 turns snapshots off).
    pub snapshot_retention_limit: u32,
    /// Removal policy of resources that hold data (replication groups, serverless caches).
    pub data_removal_policy: RemovalPolicy,
    /// Removal policy of KMS keys and secrets.
    pub key_removal_policy: RemovalPolicy,
    /// Removal policy of log groups.
    pub log_removal_policy: RemovalPolicy,
    /// Log retention in days.
    pub log_retention_days: u32,
}

/// The presets, one per environment.
pub const PRESETS: [Preset; 3] = [
    Preset {
        environment: Environment::Dev,
        node_type: "cache.t4g.micro",
        replicas: 0,
        multi_az: false,
        snapshot_retention_limit: 0,
        data_removal_policy: RemovalPolicy::Destroy,
        key_removal_policy: RemovalPolicy::Destroy,
        log_removal_policy: RemovalPolicy::Destroy,
        log_retention_days: 7,
    },
    Preset {
        environment: Environment::Staging,
        node_type: "cache.t4g.small",
        replicas: 1,
        multi_az: true,
        snapshot_retention_limit: 7,
        data_removal_policy: RemovalPolicy::Snapshot,
        key_removal_policy: RemovalPolicy::Retain,
        log_removal_policy: RemovalPolicy::Retain,
        log_retention_days: 30,
    },
    Preset {
        environment: Environment::Prod,
        node_type: "cache.r7g.large",
        replicas: 2,
        multi_az: true,
        snapshot_retention_limit: 15,
        data_removal_policy: RemovalPolicy::Snapshot,
        key_removal_policy: RemovalPolicy::Retain,
        log_removal_policy: RemovalPolicy::Retain,
        log_retention_days: 365,
    },
];

impl Preset {
    /// The preset of `environment`.
    pub fn of(environment: Environment) -> &'static Preset {
        &PRESETS[match environment {
            Environment::Dev => 0,
            Environment::Staging => 1,
            Environment::Prod => 2,
        }]
    }
}

/// The removal policy for a resource that holds no data but cannot be recreated
/// without consequence (a key, a secret): from the preset of `environment`.
pub fn key_policy(environment: Environment) -> RemovalPolicy {
    Preset::of(environment).key_removal_policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_indexed_by_environment() {
        for env in Environment::ALL {
            assert_eq!(Preset::of(env).environment, env);
        }
        assert!(crate::facts::node_type(Preset::of(Environment::Prod).node_type).is_some());
    }
}
