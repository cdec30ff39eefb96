//! `ShardedCluster`: a Redis or Valkey replication group with cluster mode on.

use super::common::Auth;
use super::replication_group::{build, Mode, ReplicationGroup, ReplicationGroupProps};
use super::vpc_access::RedisVpcAccess;
use crate::core::{AsScope, Construct, ResourceHandle, Value};

/// A cluster-mode replication group: `shards` node groups of one primary and
/// `props.replicas` replicas each, with a `cluster-enabled yes` parameter group
/// and automatic failover (required by cluster mode). Clients connect to the
/// configuration endpoint.
#[derive(Debug, Clone)]
pub struct ShardedCluster {
    inner: ReplicationGroup,
}

impl ShardedCluster {
    /// Creates the cluster under `id`. `shards` is 1 to 500.
    ///
    /// Automatic failover defaults to on (cluster mode requires the flag even with
    /// 0 replicas per shard); setting it to false in `props` is an error (EC005).
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        access: &RedisVpcAccess,
        auth: Auth,
        shards: u32,
        props: ReplicationGroupProps,
    ) -> Self {
        ShardedCluster { inner: build(scope, id, access, auth, props, Mode::Enabled { shards }) }
    }

    /// `ConfigurationEndPoint.Address`: the one address cluster-aware clients need.
    pub fn configuration_endpoint_address(&self) -> Value {
        self.inner.default_child().get_att("ConfigurationEndPoint.Address")
    }

    /// `ConfigurationEndPoint.Port`.
    pub fn configuration_endpoint_port(&self) -> Value {
        self.inner.default_child().get_att("ConfigurationEndPoint.Port")
    }

    /// `rediss://host:port` of the configuration endpoint (never the token).
    pub fn connection_string(&self) -> Value {
        self.inner.connection_string()
    }

    /// The replication group (child `Resource`), CDK's `defaultChild`.
    pub fn default_child(&self) -> &ResourceHandle {
        self.inner.default_child()
    }

    /// The underlying group: id, node ids, security group, cost.
    pub fn group(&self) -> &ReplicationGroup {
        &self.inner
    }

    /// Number of shards.
    pub fn shards(&self) -> u32 {
        self.inner.shards
    }
}

impl Construct for ShardedCluster {
    fn stack_name(&self) -> &str {
        self.inner.stack_name()
    }

    fn path(&self) -> &str {
        self.inner.path()
    }
}
