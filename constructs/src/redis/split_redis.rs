//! `SplitRedis`: an adapter (pub/sub) cluster and a state cluster for one
//! application, or a single cluster behind the same two endpoints.

use super::common::{AtRestEncryption, Auth};
use super::encryption_key::{EncryptionKey, EncryptionKeyProps};
use super::parameter_group::CacheParameterGroup;
use super::replication_group::{ReplicationGroup, ReplicationGroupProps};
use super::vpc_access::RedisVpcAccess;
use crate::core::{AsScope, Construct, Environment, Value};
use crate::facts;
use indexmap::IndexMap;

/// Settings of a [`SplitRedis`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default = "SplitRedisProps::spec_default", deny_unknown_fields)]
pub struct SplitRedisProps {
    /// Two clusters (adapter and state) or one.
    ///
    /// Default: split in the stack's environment is prod, single elsewhere.
    pub split: Option<bool>,
    /// Settings shared by the clusters: engine, parameters, encryption, windows of
    /// the first cluster, retention. In single mode, the one cluster uses these as they are.
    pub base: ReplicationGroupProps,
    /// Node type of the adapter cluster. Default: `base.node_type`.
    pub adapter_node_type: Option<String>,
    /// Replicas of the adapter cluster. Default: `base.replicas`.
    pub adapter_replicas: Option<u32>,
    /// Node type of the state cluster. Default: `base.node_type`.
    pub state_node_type: Option<String>,
    /// Replicas of the state cluster. Default: `base.replicas`.
    pub state_replicas: Option<u32>,
}

impl Default for SplitRedisProps {
    /// [`SplitRedisProps::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl SplitRedisProps {
    /// The defaults a spec starts from (serde only).
    fn spec_default() -> Self {
        Self::new()
    }

    /// Nothing set yet: split in prod only, each cluster from the stack's
    /// environment preset.
    pub fn new() -> Self {
        SplitRedisProps {
            split: None,
            base: ReplicationGroupProps::new(),
            adapter_node_type: None,
            adapter_replicas: None,
            state_node_type: None,
            state_replicas: None,
        }
    }

    /// Sets split mode.
    pub fn split(mut self, on: bool) -> Self {
        self.split = Some(on);
        self
    }

    /// Sets the shared settings.
    pub fn base(mut self, base: ReplicationGroupProps) -> Self {
        self.base = base;
        self
    }

    /// Sizes the adapter cluster.
    pub fn adapter(mut self, node_type: impl Into<String>, replicas: u32) -> Self {
        self.adapter_node_type = Some(node_type.into());
        self.adapter_replicas = Some(replicas);
        self
    }

    /// Sizes the state cluster.
    pub fn state(mut self, node_type: impl Into<String>, replicas: u32) -> Self {
        self.state_node_type = Some(node_type.into());
        self.state_replicas = Some(replicas);
        self
    }
}

/// Redis for one application as two clusters, or one.
///
/// In split mode: an adapter cluster (child `Adapter`, for Socket.IO-style
/// pub/sub fan-out) and a state cluster (child `State`, presence, sessions, rate
/// limits), each sized on its own, sharing the VPC access, the AUTH token, one
/// parameter group (child `ParameterGroup`) and one KMS key (child `Key`). The
/// state cluster's maintenance and snapshot windows follow the adapter's
/// directly, so the two are never in maintenance, or snapshotting, at once.
///
/// In single mode: one cluster (child `Cluster`), and both endpoints point to it,
/// so applications need not know which mode runs.
#[derive(Debug, Clone)]
pub struct SplitRedis {
    adapter: ReplicationGroup,
    state: Option<ReplicationGroup>,
}

impl SplitRedis {
    /// Creates the cluster(s) under `id`.
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        access: &RedisVpcAccess,
        auth: Auth,
        props: SplitRedisProps,
    ) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        let environment = me.stack().environment().unwrap_or_default();
        let split = props.split.unwrap_or(environment == Environment::Prod);
        let mut base = props.base.clone();
        if base.at_rest_encryption == AtRestEncryption::CreateKey {
            let key = EncryptionKey::new(
                &mut me,
                "Key",
                EncryptionKeyProps {
                    description: Some(format!("Encryption at rest of {id}")),
                    removal_policy: Some(super::presets::key_policy(environment)),
                    ..Default::default()
                },
            );
            base.at_rest_encryption = AtRestEncryption::Key(key.key_arn());
        }
        if base.existing_parameter_group.is_none() {
            let group =
                CacheParameterGroup::new(&mut me, "ParameterGroup", base.parameter_group_props(&base.parameters));
            base.existing_parameter_group = Some(group.name());
            base.parameters = IndexMap::new();
        }
        if !split {
            for (name, set) in [
                ("adapter_node_type", props.adapter_node_type.is_some()),
                ("adapter_replicas", props.adapter_replicas.is_some()),
                ("state_node_type", props.state_node_type.is_some()),
                ("state_replicas", props.state_replicas.is_some()),
            ] {
                if set {
                    me.rule_warn(
                        "CON035",
                        format!("{name} is set but split is off, so it is not used; the single cluster uses base"),
                    );
                }
            }
            let cluster = ReplicationGroup::new(&mut me, "Cluster", access, auth, base);
            return SplitRedis { adapter: cluster, state: None };
        }
        let sized = |node: &Option<String>, replicas: Option<u32>| {
            let mut p = base.clone();
            if let Some(n) = node {
                p = p.node_type(n.clone());
            }
            if let Some(r) = replicas {
                p = p.replicas(r);
            }
            p
        };
        let adapter_props = sized(&props.adapter_node_type, props.adapter_replicas);
        let mut state_props = sized(&props.state_node_type, props.state_replicas);
        match shifted(base.maintenance_window.as_deref(), base.snapshot_window.as_deref()) {
            Ok((m, s)) => {
                state_props.maintenance_window = m;
                state_props.snapshot_window = s;
            }
            Err(e) => me.rule_error("EC012", e),
        }
        let adapter = ReplicationGroup::new(&mut me, "Adapter", access, auth.clone(), adapter_props);
        let state = ReplicationGroup::new(&mut me, "State", access, auth, state_props);
        SplitRedis { adapter, state: Some(state) }
    }

    /// Whether two clusters run.
    pub fn is_split(&self) -> bool {
        self.state.is_some()
    }

    /// The adapter cluster (the single cluster in single mode).
    pub fn adapter(&self) -> &ReplicationGroup {
        &self.adapter
    }

    /// The state cluster (the single cluster in single mode).
    pub fn state(&self) -> &ReplicationGroup {
        self.state.as_ref().unwrap_or(&self.adapter)
    }

    /// Every cluster: one or two.
    pub fn clusters(&self) -> Vec<&ReplicationGroup> {
        std::iter::once(&self.adapter).chain(self.state.as_ref()).collect()
    }

    /// Primary endpoint address of the adapter cluster.
    pub fn adapter_endpoint_address(&self) -> Value {
        self.adapter.primary_endpoint_address()
    }

    /// Primary endpoint port of the adapter cluster.
    pub fn adapter_endpoint_port(&self) -> Value {
        self.adapter.primary_endpoint_port()
    }

    /// Primary endpoint address of the state cluster.
    pub fn state_endpoint_address(&self) -> Value {
        self.state().primary_endpoint_address()
    }

    /// Primary endpoint port of the state cluster.
    pub fn state_endpoint_port(&self) -> Value {
        self.state().primary_endpoint_port()
    }

    /// Estimated monthly on-demand cost of every cluster, USD.
    pub fn estimated_monthly_cost_usd(&self, region: Option<&str>) -> f64 {
        self.clusters().iter().map(|c| c.estimated_monthly_cost_usd(region)).sum()
    }
}

/// The state cluster's windows: the adapter's, moved later by their own length,
/// so the two never overlap. `None` stays `None` (ElastiCache chooses).
fn shifted(maintenance: Option<&str>, snapshot: Option<&str>) -> Result<(Option<String>, Option<String>), String> {
    let m = match maintenance {
        None => None,
        Some(w) => {
            let win = facts::parse_maintenance_window(w).map_err(|e| format!("base.maintenance_window {e}"))?;
            let len = facts::weekly_length(win);
            Some(format!("{}-{}", facts::format_weekly_point(win.0 + len), facts::format_weekly_point(win.1 + len)))
        }
    };
    let s = match snapshot {
        None => None,
        Some(w) => {
            let win = facts::parse_daily_window(w).map_err(|e| format!("base.snapshot_window {e}"))?;
            let len = facts::daily_length(win);
            Some(format!("{}-{}", facts::format_daily_point(win.0 + len), facts::format_daily_point(win.1 + len)))
        }
    };
    Ok((m, s))
}

/// The construct's children are its clusters, `Adapter` and `State` (or
/// `Cluster` in single mode), each a [`ReplicationGroup`] with its own children,
/// and the shared `Key` and `ParameterGroup`.
impl Construct for SplitRedis {
    fn stack_name(&self) -> &str {
        self.adapter.stack_name()
    }

    fn path(&self) -> &str {
        super::common::parent_path(self.adapter.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_shift_by_their_length() {
        let (m, s) = shifted(Some("sun:05:00-sun:06:00"), Some("03:00-04:00")).unwrap();
        assert_eq!(m.as_deref(), Some("sun:06:00-sun:07:00"));
        assert_eq!(s.as_deref(), Some("04:00-05:00"));
        let (m, s) = shifted(Some("sat:23:30-sun:00:30"), Some("23:00-00:30")).unwrap();
        assert_eq!(m.as_deref(), Some("sun:00:30-sun:01:30"));
        assert_eq!(s.as_deref(), Some("00:30-02:00"));
        assert_eq!(shifted(None, None).unwrap(), (None, None));
    }
}
