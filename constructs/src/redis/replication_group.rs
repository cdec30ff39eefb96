//! `ReplicationGroup`: a Redis or Valkey primary with replicas (cluster mode off).
//! The same machinery builds [`super::ShardedCluster`] (cluster mode on).

use super::common::{AtRestEncryption, Auth, LogType, NetworkType, TransitEncryption};
use super::encryption_key::{EncryptionKey, EncryptionKeyProps};
use super::parameter_group::{CacheParameterGroup, CacheParameterGroupProps};
use super::presets::Preset;
use super::vpc_access::RedisVpcAccess;
use crate::cfn::elasticache::CfnReplicationGroup;
use crate::cfn::logs::CfnLogGroup;
use crate::cfn::ResourceDef;
use crate::core::{AsScope, Construct, Environment, RemovalPolicy, ResourceHandle, Scope, Value};
use crate::facts::{self, Engine};
use crate::map;
use indexmap::IndexMap;

/// Settings of a [`ReplicationGroup`] or [`super::ShardedCluster`]. Start from
/// [`ReplicationGroupProps::new`] and set what you need; what is left unset comes
/// from the preset of the environment of the stack the group is added to
/// ([`crate::Stack::environment`], [`super::presets`]), when it is built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default = "ReplicationGroupProps::spec_default", deny_unknown_fields)]
pub struct ReplicationGroupProps {
    /// Engine. Default: Redis OSS.
    pub engine: Engine,
    /// Engine version, such as `7.1` or `8.2`.
    ///
    /// Default: the newest version ElastiCache offers for [`ReplicationGroupProps::engine`],
    /// as the generated data lists it ([`Engine::latest_version`]), so a Valkey
    /// group without a version gets Valkey's newest; see
    /// [`ReplicationGroupProps::resolved_engine_version`].
    pub engine_version: Option<String>,
    /// Node type. Default: the stack's environment preset (dev `cache.t4g.micro`,
    /// staging `cache.t4g.small`, prod `cache.r7g.large`).
    pub node_type: Option<String>,
    /// Replicas of each primary, 0 to 5. Default: the stack's environment preset
    /// (dev 0, staging 1, prod 2).
    #[schemars(range(max = 5))]
    pub replicas: Option<u32>,
    /// Multi-AZ: replicas in other Availability Zones than their primary.
    ///
    /// Default: derived at synth from the replicas finally set (whatever the
    /// setter order) and the stack's environment: on when there is a replica in
    /// staging and prod (the presets' `multi_az`), off in dev and without a
    /// replica. A dev group given replicas stays single-AZ unless this is set.
    pub multi_az: Option<bool>,
    /// Automatic failover: a replica is promoted when the primary fails.
    ///
    /// Default: derived at synth: on whenever there is a replica, and always in
    /// cluster mode ([`super::ShardedCluster`]), which requires it even with 0
    /// replicas.
    pub automatic_failover: Option<bool>,
    /// Encryption in transit. Default: TLS required.
    pub transit_encryption: TransitEncryption,
    /// Encryption at rest. Default: a new KMS key with rotation.
    pub at_rest_encryption: AtRestEncryption,
    /// Engine parameters (`maxmemory-policy`, `notify-keyspace-events`, `timeout`,
    /// `tcp-keepalive`, `reserved-memory-percent`, ...), checked at synth.
    /// Default: none; a parameter group is created anyway, so settings can be added later in place.
    pub parameters: IndexMap<String, String>,
    /// Parameter group family. Default: derived from engine and version (`redis7`, `valkey8`, ...).
    pub parameter_group_family: Option<String>,
    /// Use this existing parameter group (its name) instead of creating one; then
    /// `parameters` must be empty. Default: a new group (child `ParameterGroup`).
    pub existing_parameter_group: Option<Value>,
    /// Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC, at least 60 minutes.
    ///
    /// Default: not set, so ElastiCache chooses the window. Example: `sun:05:00-sun:06:00`.
    pub maintenance_window: Option<String>,
    /// Daily snapshot window, `hh24:mi-hh24:mi` in UTC, at least 60 minutes, not
    /// overlapping the maintenance window. Default: not set, so ElastiCache chooses.
    pub snapshot_window: Option<String>,
    /// Days automatic snapshots are kept, 0 (off) to 35. Default: the stack's
    /// environment preset (dev 0, staging 7, prod 15).
    #[schemars(range(max = 35))]
    pub snapshot_retention_limit: Option<u32>,
    /// Apply minor engine upgrades automatically in the maintenance window. Default: true.
    pub auto_minor_version_upgrade: bool,
    /// SNS topic ARN for ElastiCache events. Default: none.
    pub notification_topic_arn: Option<Value>,
    /// Logs delivered to CloudWatch Logs, each to a log group created as a child
    /// (`SlowLog`, `EngineLog`). Default: the slow log.
    pub log_delivery: Vec<LogType>,
    /// Days the log groups keep events: one of the values CloudWatch Logs takes
    /// (1, 3, 5, 7, 14, 30, 60, 90, ... 3653; checked at synth against the
    /// `AWS::Logs::LogGroup` schema).
    ///
    /// Default: the environment preset (dev 7, staging 30, prod 365).
    pub log_retention_days: Option<u32>,
    /// What happens to the log groups when they leave the stack.
    ///
    /// Default: the environment preset: retained in staging and prod, deleted in dev.
    pub log_removal_policy: Option<RemovalPolicy>,
    /// Data tiering (memory plus SSD); needs an `r6gd` node type. Default: off.
    pub data_tiering: bool,
    /// IP versions of the endpoints. Default: not set (IPv4).
    pub network_type: Option<NetworkType>,
    /// The replication group id: 1 to 40 lowercase letters, digits and hyphens.
    ///
    /// Default: generated by CloudFormation (recommended: a fixed id makes
    /// replacements fail on the name clash).
    pub replication_group_id: Option<String>,
    /// Description. Default: `Redis for <construct path>`.
    pub description: Option<String>,
    /// What happens to the data when the group is deleted or replaced.
    ///
    /// Default: the stack's environment preset: a final snapshot in staging and
    /// prod, delete in dev.
    pub removal_policy: Option<RemovalPolicy>,
    /// Tags for the group and everything this construct creates (key, log groups,
    /// parameter group), on top of stack tags. Default: none.
    pub tags: IndexMap<String, String>,
}

impl Default for ReplicationGroupProps {
    /// [`ReplicationGroupProps::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl ReplicationGroupProps {
    /// The defaults a spec starts from (serde only).
    fn spec_default() -> Self {
        Self::new()
    }

    /// Nothing set yet: every prop has its documented default.
    pub fn new() -> Self {
        ReplicationGroupProps {
            engine: Engine::Redis,
            engine_version: None,
            node_type: None,
            replicas: None,
            multi_az: None,
            automatic_failover: None,
            transit_encryption: TransitEncryption::Required,
            at_rest_encryption: AtRestEncryption::CreateKey,
            parameters: IndexMap::new(),
            parameter_group_family: None,
            existing_parameter_group: None,
            maintenance_window: None,
            snapshot_window: None,
            snapshot_retention_limit: None,
            auto_minor_version_upgrade: true,
            notification_topic_arn: None,
            log_delivery: vec![LogType::SlowLog],
            log_retention_days: None,
            log_removal_policy: None,
            data_tiering: false,
            network_type: None,
            replication_group_id: None,
            description: None,
            removal_policy: None,
            tags: IndexMap::new(),
        }
    }

    /// Sets engine and version; see [`ReplicationGroupProps::engine`].
    pub fn engine(mut self, engine: Engine, version: impl Into<String>) -> Self {
        self.engine = engine;
        self.engine_version = Some(version.into());
        self
    }

    /// Sets the engine alone; the version is [`ReplicationGroupProps::engine_version`]'s,
    /// by default the engine's newest ([`Engine::latest_version`], from the generated
    /// data). See [`ReplicationGroupProps::engine`].
    pub fn engine_kind(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Sets the engine version of the engine already set; see
    /// [`ReplicationGroupProps::engine_version`].
    pub fn engine_version(mut self, version: impl Into<String>) -> Self {
        self.engine_version = Some(version.into());
        self
    }

    /// Sets the parameter group family; see
    /// [`ReplicationGroupProps::parameter_group_family`].
    pub fn parameter_group_family(mut self, family: impl Into<String>) -> Self {
        self.parameter_group_family = Some(family.into());
        self
    }

    /// Uses an existing parameter group (its name); see
    /// [`ReplicationGroupProps::existing_parameter_group`].
    pub fn existing_parameter_group(mut self, name: impl Into<Value>) -> Self {
        self.existing_parameter_group = Some(name.into());
        self
    }

    /// The props of the group's own parameter group, with `parameters`.
    pub(crate) fn parameter_group_props(&self, parameters: &IndexMap<String, String>) -> CacheParameterGroupProps {
        CacheParameterGroupProps {
            engine: self.engine,
            engine_version: Some(self.resolved_engine_version().to_string()),
            family: self.parameter_group_family.clone(),
            parameters: parameters.clone(),
        }
    }

    /// The engine version built: [`ReplicationGroupProps::engine_version`], else the
    /// engine's newest.
    pub fn resolved_engine_version(&self) -> &str {
        self.engine_version.as_deref().unwrap_or_else(|| self.engine.latest_version())
    }

    /// Sets the node type; see [`ReplicationGroupProps::node_type`].
    pub fn node_type(mut self, node_type: impl Into<String>) -> Self {
        self.node_type = Some(node_type.into());
        self
    }

    /// Sets the replicas; see [`ReplicationGroupProps::replicas`]. Multi-AZ and
    /// failover are not touched: left unset, they are derived from the final
    /// replica count at synth, in any setter order.
    pub fn replicas(mut self, replicas: u32) -> Self {
        self.replicas = Some(replicas);
        self
    }

    /// Sets Multi-AZ; see [`ReplicationGroupProps::multi_az`].
    pub fn multi_az(mut self, on: bool) -> Self {
        self.multi_az = Some(on);
        self
    }

    /// Sets automatic failover; see [`ReplicationGroupProps::automatic_failover`].
    pub fn automatic_failover(mut self, on: bool) -> Self {
        self.automatic_failover = Some(on);
        self
    }

    /// The props' values for a group built in `environment`: what was set, else
    /// the environment's preset, the derived Multi-AZ and failover included.
    pub(crate) fn sized(&self, environment: Environment, mode: Mode) -> Sized {
        let preset = Preset::of(environment);
        let replicas = self.replicas.unwrap_or(preset.replicas);
        Sized {
            environment,
            node_type: self.node_type.clone().unwrap_or_else(|| preset.node_type.to_string()),
            replicas,
            multi_az: self.multi_az.unwrap_or(replicas > 0 && preset.multi_az),
            automatic_failover: self.automatic_failover.unwrap_or(match mode {
                Mode::Disabled => replicas > 0,
                // cluster mode requires it, even with 0 replicas per shard
                Mode::Enabled { .. } => true,
            }),
            snapshot_retention_limit: self.snapshot_retention_limit.unwrap_or(preset.snapshot_retention_limit),
            removal_policy: self.removal_policy.unwrap_or(preset.data_removal_policy),
        }
    }

    /// Sets encryption in transit.
    pub fn transit_encryption(mut self, t: TransitEncryption) -> Self {
        self.transit_encryption = t;
        self
    }

    /// Sets encryption at rest.
    pub fn at_rest_encryption(mut self, a: AtRestEncryption) -> Self {
        self.at_rest_encryption = a;
        self
    }

    /// Encrypts at rest with `key`.
    pub fn kms_key(self, key: &EncryptionKey) -> Self {
        self.at_rest_encryption(AtRestEncryption::Key(key.key_arn()))
    }

    /// Adds an engine parameter.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }

    /// Sets the maintenance window.
    pub fn maintenance_window(mut self, w: impl Into<String>) -> Self {
        self.maintenance_window = Some(w.into());
        self
    }

    /// Sets the snapshot window.
    pub fn snapshot_window(mut self, w: impl Into<String>) -> Self {
        self.snapshot_window = Some(w.into());
        self
    }

    /// Sets the snapshot retention in days.
    pub fn snapshot_retention_limit(mut self, days: u32) -> Self {
        self.snapshot_retention_limit = Some(days);
        self
    }

    /// Sets the notification topic.
    pub fn notification_topic_arn(mut self, arn: impl Into<Value>) -> Self {
        self.notification_topic_arn = Some(arn.into());
        self
    }

    /// Sets the delivered logs.
    pub fn log_delivery(mut self, logs: Vec<LogType>) -> Self {
        self.log_delivery = logs;
        self
    }

    /// Sets the log retention; see [`ReplicationGroupProps::log_retention_days`].
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_retention_days = Some(days);
        self
    }

    /// Sets the log groups' removal policy; see [`ReplicationGroupProps::log_removal_policy`].
    pub fn log_removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.log_removal_policy = Some(policy);
        self
    }

    /// Sets the replication group id.
    pub fn replication_group_id(mut self, id: impl Into<String>) -> Self {
        self.replication_group_id = Some(id.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the removal policy.
    pub fn removal_policy(mut self, p: RemovalPolicy) -> Self {
        self.removal_policy = Some(p);
        self
    }

    /// Adds a tag; see [`ReplicationGroupProps::tags`].
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Sets data tiering.
    pub fn data_tiering(mut self, on: bool) -> Self {
        self.data_tiering = on;
        self
    }

    /// Sets the network type.
    pub fn network_type(mut self, n: NetworkType) -> Self {
        self.network_type = Some(n);
        self
    }

    /// Sets automatic minor version upgrades.
    pub fn auto_minor_version_upgrade(mut self, on: bool) -> Self {
        self.auto_minor_version_upgrade = on;
        self
    }
}

/// Cluster mode of a group being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Disabled,
    Enabled { shards: u32 },
}

/// A Redis or Valkey replication group with cluster mode off: one primary and up
/// to five replicas (child `Resource`), with its parameter group (child
/// `ParameterGroup`), KMS key (child `Key`, unless given) and log groups.
#[derive(Debug, Clone)]
pub struct ReplicationGroup {
    pub(crate) group: ResourceHandle,
    pub(crate) engine: Engine,
    pub(crate) node_type: String,
    pub(crate) shards: u32,
    pub(crate) replicas: u32,
    pub(crate) mode: Mode,
    pub(crate) tls: bool,
    pub(crate) security_group_id: Value,
    pub(crate) port: u16,
    pub(crate) path: String,
}

impl ReplicationGroup {
    /// Creates the group under `id`, reachable through `access`, authenticating with `auth`.
    ///
    /// Every invalid prop is reported at synth as `[path] message`, all at once.
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        access: &RedisVpcAccess,
        auth: Auth,
        props: ReplicationGroupProps,
    ) -> Self {
        build(scope, id, access, auth, props, Mode::Disabled)
    }

    /// `PrimaryEndPoint.Address`.
    pub fn primary_endpoint_address(&self) -> Value {
        self.group.get_att(match self.mode {
            Mode::Disabled => "PrimaryEndPoint.Address",
            Mode::Enabled { .. } => "ConfigurationEndPoint.Address",
        })
    }

    /// `PrimaryEndPoint.Port`.
    pub fn primary_endpoint_port(&self) -> Value {
        self.group.get_att(match self.mode {
            Mode::Disabled => "PrimaryEndPoint.Port",
            Mode::Enabled { .. } => "ConfigurationEndPoint.Port",
        })
    }

    /// `ReaderEndPoint.Address`: spreads reads over the replicas.
    pub fn reader_endpoint_address(&self) -> Value {
        self.group.get_att("ReaderEndPoint.Address")
    }

    /// `ReaderEndPoint.Port`.
    pub fn reader_endpoint_port(&self) -> Value {
        self.group.get_att("ReaderEndPoint.Port")
    }

    /// The replication group id (`Ref`, lowercase).
    pub fn replication_group_id(&self) -> Value {
        self.group.reference()
    }

    /// The group's ARN, `arn:<partition>:elasticache:<region>:<account>:replicationgroup:<id>`
    /// (the resource has no `Arn` attribute; format from
    /// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/IAM.ResourceLevelPermissions.html>),
    /// for policies such as [`crate::CacheUser::grant_connect`].
    pub fn replication_group_arn(&self) -> Value {
        let mut vars = crate::core::OrderedMap::default();
        vars.insert("Id".to_string(), self.group.reference());
        Value::Sub(
            "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:replicationgroup:${Id}".into(),
            vars,
        )
    }

    /// `rediss://host:port` (or `redis://` without TLS). It never contains the token.
    pub fn connection_string(&self) -> Value {
        Value::concat([
            Value::str(if self.tls { "rediss://" } else { "redis://" }),
            self.primary_endpoint_address(),
            Value::str(":"),
            self.primary_endpoint_port(),
        ])
    }

    /// The security group id of the cache.
    pub fn security_group_id(&self) -> Value {
        self.security_group_id.clone()
    }

    /// The replication group (child `Resource`), CDK's `defaultChild`. The other
    /// children: `ParameterGroup`, `Key` (unless a key is given), `SlowLog` and
    /// `EngineLog` log groups ([`crate::Stack::children`] lists them).
    pub fn default_child(&self) -> &ResourceHandle {
        &self.group
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The node type.
    pub fn node_type(&self) -> &str {
        &self.node_type
    }

    /// Nodes in the group: shards × (1 + replicas).
    pub fn node_count(&self) -> u32 {
        self.shards.saturating_mul(self.replicas.saturating_add(1))
    }

    /// Replicas per primary.
    pub fn replicas(&self) -> u32 {
        self.replicas
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether TLS is on.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// The `CacheClusterId` of every node, as CloudWatch names them:
    /// `<group id>-001`..., or `<group id>-0001-001`... in cluster mode. Counts
    /// out of range (an error of the group already) are capped at ElastiCache's
    /// limits, so a bad count never makes a huge list.
    pub fn node_ids(&self) -> Vec<Value> {
        let mut ids = Vec::new();
        let nodes = 1 + self.replicas.min(facts::MAX_REPLICAS);
        match self.mode {
            Mode::Disabled => {
                for n in 1..=nodes {
                    ids.push(Value::concat([self.replication_group_id(), Value::String(format!("-{n:03}"))]));
                }
            }
            Mode::Enabled { shards } => {
                for s in 1..=shards.min(facts::MAX_SHARDS) {
                    for n in 1..=nodes {
                        ids.push(Value::concat([
                            self.replication_group_id(),
                            Value::String(format!("-{s:04}-{n:03}")),
                        ]));
                    }
                }
            }
        }
        ids
    }

    /// The `CacheClusterId`s of the initial replicas only (no `ReplicationLag` on primaries).
    pub fn replica_node_ids(&self) -> Vec<Value> {
        let nodes = 1 + self.replicas.min(facts::MAX_REPLICAS) as usize;
        self.node_ids().into_iter().enumerate().filter(|(i, _)| i % nodes != 0).map(|(_, v)| v).collect()
    }

    /// Estimated on-demand monthly cost in USD in `region` (us-east-1 when `None`
    /// or unknown): nodes × hourly price × 730 hours, Valkey 20 % less.
    pub fn estimated_monthly_cost_usd(&self, region: Option<&str>) -> f64 {
        facts::node_monthly_cost(self.engine, &self.node_type, self.node_count(), region)
    }
}

pub(crate) fn build(
    scope: &mut impl AsScope,
    id: &str,
    access: &RedisVpcAccess,
    auth: Auth,
    props: ReplicationGroupProps,
    mode: Mode,
) -> ReplicationGroup {
    let mut scope = scope.as_scope();
    let mut me = scope.child(id);
    let z = props.sized(me.stack().environment().unwrap_or_default(), mode);
    validate(&mut me, &props, &z, &auth, mode);
    for (k, v) in &props.tags {
        me.add_tag(k.clone(), v.as_str());
    }

    let tls = props.transit_encryption != TransitEncryption::Disabled;
    let mut parameters = props.parameters.clone();
    if let Mode::Enabled { .. } = mode {
        parameters.insert("cluster-enabled".into(), "yes".into());
    }
    let parameter_group_name = match &props.existing_parameter_group {
        Some(name) => {
            if !props.parameters.is_empty() {
                me.rule_error(
                    "CON007",
                    "parameters are set together with existing_parameter_group; set them on that group instead",
                );
            }
            name.clone()
        }
        None => CacheParameterGroup::new(&mut me, "ParameterGroup", props.parameter_group_props(&parameters)).name(),
    };

    let description =
        props.description.clone().unwrap_or_else(|| format!("{} for {}", engine_title(props.engine), me.full_path()));
    let mut rg = CfnReplicationGroup::new(description)
        .engine(props.engine.name())
        .engine_version(props.resolved_engine_version().to_string())
        .cache_node_type(z.node_type.clone())
        .cache_subnet_group_name(access.subnet_group_name())
        .security_group_ids(vec![access.security_group_id()])
        .port(access.port())
        .cache_parameter_group_name(parameter_group_name)
        .automatic_failover_enabled(z.automatic_failover)
        .multi_az_enabled(z.multi_az)
        .transit_encryption_enabled(tls)
        .auto_minor_version_upgrade(props.auto_minor_version_upgrade)
        .snapshot_retention_limit(z.snapshot_retention_limit);
    match mode {
        Mode::Disabled => rg = rg.num_cache_clusters(1 + z.replicas),
        Mode::Enabled { shards } => rg = rg.num_node_groups(shards).replicas_per_node_group(z.replicas),
    }
    if tls && supports_transit_mode(props.engine, props.resolved_engine_version()) {
        rg = rg.transit_encryption_mode(match props.transit_encryption {
            TransitEncryption::PreferredDuringMigration => "preferred",
            _ => "required",
        });
    }
    let key_arn = match &props.at_rest_encryption {
        AtRestEncryption::CreateKey => {
            let key = EncryptionKey::new(
                &mut me,
                "Key",
                EncryptionKeyProps {
                    description: Some(format!("Encryption at rest of {id}")),
                    removal_policy: Some(super::presets::key_policy(z.environment)),
                    ..Default::default()
                },
            );
            Some(key.key_arn())
        }
        AtRestEncryption::Key(k) => Some(k.clone()),
        AtRestEncryption::AwsManagedKey | AtRestEncryption::Disabled => None,
    };
    rg = rg.at_rest_encryption_enabled(props.at_rest_encryption != AtRestEncryption::Disabled);
    if let Some(k) = &key_arn {
        rg = rg.kms_key_id(k.clone());
    }
    match auth {
        Auth::Token(token) => rg = rg.auth_token(token),
        Auth::UserGroups(groups) => rg = rg.user_group_ids(groups),
        Auth::None => {}
    }
    if let Some(w) = &props.maintenance_window {
        rg = rg.preferred_maintenance_window(w.clone());
    }
    if let Some(w) = &props.snapshot_window {
        rg = rg.snapshot_window(w.clone());
    }
    if let Some(t) = &props.notification_topic_arn {
        rg = rg.notification_topic_arn(t.clone());
    }
    if props.data_tiering {
        rg = rg.data_tiering_enabled(true);
    }
    if let Some(n) = props.network_type {
        rg = rg.network_type(n.name());
    }
    if let Some(id) = &props.replication_group_id {
        rg = rg.replication_group_id(id.clone());
    }
    let log_policy = props.log_removal_policy.unwrap_or(Preset::of(z.environment).log_removal_policy);
    let retention = props.log_retention_days.unwrap_or(Preset::of(z.environment).log_retention_days);
    let mut deliveries = Vec::new();
    let mut delivered: Vec<LogType> = Vec::new();
    for log in &props.log_delivery {
        if delivered.contains(log) {
            continue; // reported by validate
        }
        delivered.push(*log);
        let mut group = CfnLogGroup::new().retention_in_days(retention);
        if let Some(k) = &key_arn {
            group = group.kms_key_id(k.clone());
        }
        let group = me.add_resource(log.construct_id(), ResourceDef::from(group).removal_policy(log_policy));
        deliveries.push(map! {
            "DestinationDetails" => map! { "CloudWatchLogsDetails" => map! { "LogGroup" => group.reference() } },
            "DestinationType" => "cloudwatch-logs",
            "LogFormat" => "json",
            "LogType" => log.name(),
        });
    }
    if !deliveries.is_empty() {
        rg = rg.log_delivery_configurations(deliveries);
    }
    let group = me.add_resource("Resource", ResourceDef::from(rg).removal_policy(z.removal_policy));
    let shards = match mode {
        Mode::Disabled => 1,
        Mode::Enabled { shards } => shards,
    };
    ReplicationGroup {
        group,
        engine: props.engine,
        node_type: z.node_type,
        shards,
        replicas: z.replicas,
        mode,
        tls,
        security_group_id: access.security_group_id(),
        port: access.port(),
        path: me.path().to_string(),
    }
}

fn engine_title(engine: Engine) -> &'static str {
    match engine {
        Engine::Redis => "Redis",
        Engine::Valkey => "Valkey",
    }
}

/// `TransitEncryptionMode` exists on Redis 7.0.5+ and every Valkey version.
fn supports_transit_mode(engine: Engine, version: &str) -> bool {
    engine == Engine::Valkey || version.split('.').next().and_then(|m| m.parse::<u32>().ok()).is_some_and(|m| m >= 7)
}

/// A group's props resolved for its environment ([`ReplicationGroupProps::sized`]).
#[derive(Debug, Clone)]
pub(crate) struct Sized {
    pub(crate) environment: Environment,
    pub(crate) node_type: String,
    pub(crate) replicas: u32,
    pub(crate) multi_az: bool,
    pub(crate) automatic_failover: bool,
    pub(crate) snapshot_retention_limit: u32,
    pub(crate) removal_policy: RemovalPolicy,
}

fn validate(me: &mut Scope<'_>, p: &ReplicationGroupProps, z: &Sized, auth: &Auth, mode: Mode) {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut warnings: Vec<(&'static str, String)> = Vec::new();
    match facts::version_status(p.engine, p.resolved_engine_version()) {
        facts::VersionStatus::Offered(_) => {}
        facts::VersionStatus::Ended(end) => errors.push(("EC010", format!(
            "engine_version '{}' of {} is {}; use one of {}",
            p.resolved_engine_version(),
            p.engine,
            end.what,
            facts::known_versions(p.engine)
        ))),
        facts::VersionStatus::Newer => warnings.push(("EC026", format!(
            "engine_version '{}' is newer than the engine-version data ({}, {}), which lists {}; if AWS has released it since, ignore this warning",
            p.resolved_engine_version(),
            facts::data::SOURCE,
            facts::data::DATE,
            facts::known_versions(p.engine)
        ))),
        facts::VersionStatus::Unknown => errors.push(("EC010", format!(
            "engine_version '{}' is not a {} version ElastiCache offers; use one of {}",
            p.resolved_engine_version(),
            p.engine,
            facts::known_versions(p.engine)
        ))),
    }
    match facts::node_type(&z.node_type) {
        None => errors.push((
            "EC008",
            format!(
                "node_type '{}' is not an ElastiCache node type; use one such as cache.t4g.micro, cache.r7g.large",
                z.node_type
            ),
        )),
        Some(n) if p.data_tiering && !n.data_tiering => errors.push((
            "EC009",
            format!(
            "data_tiering needs an r6gd node type, got '{}'; use cache.r6gd.xlarge or larger, or turn data tiering off",
            z.node_type
        ),
        )),
        Some(_) => {}
    }
    if z.replicas > facts::MAX_REPLICAS {
        errors.push(("EC007", format!("replicas must be between 0 and {}, got {}", facts::MAX_REPLICAS, z.replicas)));
    }
    match mode {
        Mode::Disabled => {
            if p.multi_az == Some(true) && z.replicas == 0 {
                errors.push((
                    "EC003",
                    "multi_az needs at least one replica, got replicas 0; add a replica or turn multi_az off".into(),
                ));
            }
            if p.automatic_failover == Some(true) && z.replicas == 0 {
                errors.push(("EC003", "automatic_failover needs at least one replica, got replicas 0; add a replica or turn automatic_failover off"
                        .into()));
            }
            if p.parameters.get("cluster-enabled").is_some_and(|v| v == "yes") {
                errors.push(("EC006", "parameter cluster-enabled is 'yes' on a cluster-mode-off group; use ShardedCluster for cluster mode".into()));
            }
        }
        Mode::Enabled { shards } => {
            if !(1..=facts::MAX_SHARDS).contains(&shards) {
                errors.push(("EC007", format!("shards must be between 1 and {}, got {shards}", facts::MAX_SHARDS)));
            }
            if p.automatic_failover == Some(false) {
                errors.push((
                    "EC005",
                    "cluster mode requires automatic_failover, but it is set to false; drop the setting (it defaults to on) or turn it on".into(),
                ));
            }
            if p.multi_az == Some(true) && z.replicas == 0 {
                errors.push((
                    "EC003",
                    "multi_az needs at least one replica per shard, got replicas 0; add a replica or turn multi_az off"
                        .into(),
                ));
            }
            if z.replicas == 0 {
                warnings.push(("CON001", "cluster mode with 0 replicas per shard: CloudFormation updates can fail with 'must have at least one read replica' (aws-cdk#13389); add a replica for anything long-lived".into()));
            }
            if p.parameters.get("cluster-enabled").is_some_and(|v| v != "yes") {
                errors.push((
                    "EC006",
                    "parameter cluster-enabled must be 'yes' in cluster mode; drop it, ShardedCluster sets it".into(),
                ));
            }
        }
    }
    // in cluster mode failover is off only when set so, which EC005 reports
    if mode == Mode::Disabled && z.multi_az && !z.automatic_failover && z.replicas > 0 {
        errors.push(("EC004", "multi_az requires automatic_failover; turn automatic_failover on".into()));
    }
    match p.transit_encryption {
        TransitEncryption::Disabled => {
            if matches!(auth, Auth::Token(_)) {
                errors.push(("EC001", "an AUTH token requires TLS, but transit_encryption is Disabled; use TransitEncryption::Required".into()));
            }
            warnings.push(("EC019", "transit_encryption is Disabled: traffic and credentials cross the network in clear text".into()));
        }
        TransitEncryption::PreferredDuringMigration => warnings.push(("EC002", "transit_encryption is PreferredDuringMigration: plain connections are still accepted; move to Required in the next deploy"
                .into())),
        TransitEncryption::Required => {}
    }
    if !supports_transit_mode(p.engine, p.resolved_engine_version())
        && p.transit_encryption == TransitEncryption::PreferredDuringMigration
    {
        errors.push((
            "CON002",
            format!(
            "transit_encryption PreferredDuringMigration needs Redis 7.0.5 or later, got {}; upgrade the engine first",
            p.resolved_engine_version()
        ),
        ));
    }
    if p.at_rest_encryption == AtRestEncryption::Disabled {
        warnings.push(("EC018", "at_rest_encryption is Disabled: snapshots and swap are not encrypted; enabling it later replaces the cluster".into()));
    }
    match auth {
        Auth::None => warnings.push((
            "EC020",
            "auth is None: anyone who reaches the port can read and write; use an AuthSecret or RBAC user groups"
                .into(),
        )),
        Auth::UserGroups(g) if g.is_empty() => {
            errors.push(("CON003", "auth UserGroups is empty; give at least one user group id".into()))
        }
        _ => {}
    }
    if z.snapshot_retention_limit > facts::MAX_SNAPSHOT_RETENTION_DAYS {
        errors.push((
            "EC015",
            format!(
                "snapshot_retention_limit must be between 0 and {}, got {}",
                facts::MAX_SNAPSHOT_RETENTION_DAYS,
                z.snapshot_retention_limit
            ),
        ));
    }
    check_windows(&mut errors, p.maintenance_window.as_deref(), p.snapshot_window.as_deref());
    if let Some(id) = &p.replication_group_id {
        if let Err(e) = facts::check_replication_group_id(id) {
            errors.push(("EC016", format!("replication_group_id '{id}' {e}")));
        }
    }
    if p.log_delivery.contains(&LogType::EngineLog)
        && p.engine == Engine::Redis
        && version_lt(p.resolved_engine_version(), (6, 2))
    {
        errors.push((
            "EC032",
            format!(
                "engine-log delivery needs Redis 6.2 or later, got {}; upgrade or drop EngineLog",
                p.resolved_engine_version()
            ),
        ));
    }
    if !p.log_delivery.is_empty() && p.engine == Engine::Redis && version_lt(p.resolved_engine_version(), (6, 0)) {
        errors.push((
            "EC032",
            format!(
                "log delivery needs Redis 6.0 or later, got {}; upgrade or clear log_delivery",
                p.resolved_engine_version()
            ),
        ));
    }
    let mut seen = Vec::new();
    for l in &p.log_delivery {
        if seen.contains(l) {
            errors.push(("EC033", format!("log_delivery lists {} twice; list each log type once", l.name())));
        }
        seen.push(*l);
    }
    if z.removal_policy == RemovalPolicy::Destroy && z.environment != Environment::Dev {
        warnings.push((
            "CON006",
            format!(
                "removal_policy Destroy in {}: deleting or replacing the group loses its data; use Snapshot",
                z.environment
            ),
        ));
    }
    for (rule, e) in errors {
        me.rule_error(rule, e);
    }
    for (rule, w) in warnings {
        me.rule_warn(rule, w);
    }
}

/// Checks window formats, lengths and overlap; shared by the node-based constructs.
pub(crate) fn check_windows(
    errors: &mut Vec<(&'static str, String)>,
    maintenance: Option<&str>,
    snapshot: Option<&str>,
) {
    let m = maintenance.map(|w| (w, facts::parse_maintenance_window(w)));
    let s = snapshot.map(|w| (w, facts::parse_daily_window(w)));
    if let Some((w, r)) = &m {
        match r {
            Err(e) => errors.push(("EC012", format!("maintenance_window {e}"))),
            Ok(win) if facts::weekly_length(*win) < facts::MIN_WINDOW_MINUTES => errors.push((
                "EC013",
                format!(
                    "maintenance_window '{w}' is {} minutes; it must be at least {} minutes",
                    facts::weekly_length(*win),
                    facts::MIN_WINDOW_MINUTES
                ),
            )),
            Ok(_) => {}
        }
    }
    if let Some((w, r)) = &s {
        match r {
            Err(e) => errors.push(("EC012", format!("snapshot_window {e}"))),
            Ok(win) if facts::daily_length(*win) < facts::MIN_WINDOW_MINUTES => errors.push((
                "EC013",
                format!(
                    "snapshot_window '{w}' is {} minutes; it must be at least {} minutes",
                    facts::daily_length(*win),
                    facts::MIN_WINDOW_MINUTES
                ),
            )),
            Ok(_) => {}
        }
    }
    if let (Some((mw, Ok(mwin))), Some((sw, Ok(swin)))) = (&m, &s) {
        if facts::snapshot_overlaps_maintenance(*swin, *mwin) {
            errors.push(("EC014", format!(
                "snapshot_window '{sw}' overlaps maintenance_window '{mw}'; move the snapshot window outside the maintenance window"
            )));
        }
    }
}

fn version_lt(version: &str, (major, minor): (u32, u32)) -> bool {
    let mut parts = version.split('.');
    let maj = parts.next().and_then(|p| p.parse::<u32>().ok());
    let min = parts.next().and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    match maj {
        Some(m) => (m, min) < (major, minor),
        None => false,
    }
}

impl Construct for ReplicationGroup {
    fn stack_name(&self) -> &str {
        &self.group.target().stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}
