//! `ServerlessCache`: a Valkey or Redis OSS serverless cache: no nodes to size,
//! billed for data stored and ElastiCache Processing Units (ECPUs) used.

use super::common::AtRestEncryption;
use super::encryption_key::{EncryptionKey, EncryptionKeyProps};
use super::presets::Preset;
use super::users::CacheUserGroup;
use super::vpc_access::RedisVpcAccess;
use crate::cfn::elasticache::CfnServerlessCache;
use crate::cfn::ResourceDef;
use crate::core::logical_id::unique_resource_name;
use crate::core::{AsScope, Construct, Environment, RemovalPolicy, ResourceHandle, Scope, Value};
use crate::facts::{self, Engine};
use crate::map;

/// Settings of a [`ServerlessCache`]. Start from [`ServerlessCacheProps::new`] and
/// set what you need; what is left unset comes from the preset of the
/// environment of the stack the cache is added to ([`crate::Stack::environment`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default = "ServerlessCacheProps::spec_default", deny_unknown_fields)]
pub struct ServerlessCacheProps {
    /// Engine. Default: Valkey.
    pub engine: Engine,
    /// `MajorEngineVersion`: `7` or `8` for Valkey, `7` for Redis OSS.
    ///
    /// Default: the newest serverless major version of
    /// [`ServerlessCacheProps::engine`] ([`facts::SERVERLESS_MAJOR_VERSIONS`]), so
    /// a Redis OSS cache without a version gets Redis OSS's newest; see
    /// [`ServerlessCacheProps::resolved_major_engine_version`].
    pub major_engine_version: Option<String>,
    /// `ServerlessCacheName`: 1 to 40 lowercase letters, digits and hyphens,
    /// starting with a letter. Changing it replaces the cache.
    ///
    /// Default: derived from the stack name and construct path, lowercase, at most
    /// 40 characters (such as `mystack-sessions-1a2b3c4d`).
    pub cache_name: Option<String>,
    /// Description. Default: `Valkey serverless cache for <construct path>`.
    pub description: Option<String>,
    /// `CacheUsageLimits.DataStorage.Maximum`, in GB, 1 to 5,000: a cost ceiling;
    /// writes fail once the cache holds this much.
    ///
    /// Default: no limit (the cache grows to the 5,000 GB service maximum).
    pub max_data_storage_gb: Option<u32>,
    /// `CacheUsageLimits.ECPUPerSecond.Maximum`, 1,000 to 15,000,000: a cost and
    /// throughput ceiling; requests beyond it are throttled.
    ///
    /// Default: no limit (up to the 15,000,000 ECPU/s service maximum).
    pub max_ecpu_per_second: Option<u32>,
    /// `DailySnapshotTime`: when the daily snapshot starts, `hh24:mi` in UTC.
    ///
    /// Default: not set, so ElastiCache chooses. Example: `03:00`.
    pub daily_snapshot_time: Option<String>,
    /// `SnapshotRetentionLimit`: days automatic snapshots are kept, 0 (off) to 35.
    ///
    /// Default: the stack's environment preset (dev 0, staging 7, prod 15).
    #[schemars(range(max = 35))]
    pub snapshot_retention_limit: Option<u32>,
    /// Encryption at rest, always on for serverless caches (`Disabled` is an error).
    ///
    /// Default: a new KMS key with rotation (child `Key`).
    pub at_rest_encryption: AtRestEncryption,
    /// `UserGroupId`: the RBAC user group that authenticates clients (see [`CacheUserGroup`]).
    ///
    /// Default: none: every client that reaches the cache gets in as the default
    /// user, with full access (a warning at synth).
    pub user_group_id: Option<Value>,
    /// What happens to the cache when it is deleted or replaced. `Snapshot` is
    /// not supported by `AWS::ElastiCache::ServerlessCache` (an error); to keep the
    /// data, use `Retain`, or `Destroy` with a [`ServerlessCacheProps::final_snapshot_name`].
    ///
    /// Default: by the stack's environment: `Retain` in staging and prod, `Destroy` in dev.
    pub removal_policy: Option<RemovalPolicy>,
    /// `FinalSnapshotName`: a snapshot taken when CloudFormation deletes the cache.
    ///
    /// Default: none, so deleting the cache loses its data.
    pub final_snapshot_name: Option<String>,
}

impl Default for ServerlessCacheProps {
    /// [`ServerlessCacheProps::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl ServerlessCacheProps {
    /// The defaults a spec starts from (serde only).
    fn spec_default() -> Self {
        Self::new()
    }

    /// Nothing set yet: every prop has its documented default.
    pub fn new() -> Self {
        ServerlessCacheProps {
            engine: Engine::Valkey,
            major_engine_version: None,
            cache_name: None,
            description: None,
            max_data_storage_gb: None,
            max_ecpu_per_second: None,
            daily_snapshot_time: None,
            snapshot_retention_limit: None,
            at_rest_encryption: AtRestEncryption::CreateKey,
            user_group_id: None,
            removal_policy: None,
            final_snapshot_name: None,
        }
    }

    /// Sets engine and major version; see [`ServerlessCacheProps::engine`].
    pub fn engine(mut self, engine: Engine, major_version: impl Into<String>) -> Self {
        self.engine = engine;
        self.major_engine_version = Some(major_version.into());
        self
    }

    /// The major version built: [`ServerlessCacheProps::major_engine_version`],
    /// else the engine's newest serverless one.
    pub fn resolved_major_engine_version(&self) -> &str {
        self.major_engine_version.as_deref().unwrap_or_else(|| facts::serverless_default_major_version(self.engine))
    }

    /// Sets the cache name; see [`ServerlessCacheProps::cache_name`].
    pub fn cache_name(mut self, name: impl Into<String>) -> Self {
        self.cache_name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the data storage ceiling; see [`ServerlessCacheProps::max_data_storage_gb`].
    pub fn max_data_storage_gb(mut self, gb: u32) -> Self {
        self.max_data_storage_gb = Some(gb);
        self
    }

    /// Sets the ECPU ceiling; see [`ServerlessCacheProps::max_ecpu_per_second`].
    pub fn max_ecpu_per_second(mut self, ecpu: u32) -> Self {
        self.max_ecpu_per_second = Some(ecpu);
        self
    }

    /// Sets the daily snapshot time; see [`ServerlessCacheProps::daily_snapshot_time`].
    pub fn daily_snapshot_time(mut self, t: impl Into<String>) -> Self {
        self.daily_snapshot_time = Some(t.into());
        self
    }

    /// Sets the snapshot retention; see [`ServerlessCacheProps::snapshot_retention_limit`].
    pub fn snapshot_retention_limit(mut self, days: u32) -> Self {
        self.snapshot_retention_limit = Some(days);
        self
    }

    /// Sets encryption at rest.
    pub fn at_rest_encryption(mut self, a: AtRestEncryption) -> Self {
        self.at_rest_encryption = a;
        self
    }

    /// Encrypts with `key`.
    pub fn kms_key(self, key: &EncryptionKey) -> Self {
        self.at_rest_encryption(AtRestEncryption::Key(key.key_arn()))
    }

    /// Authenticates clients with the users of `group`.
    pub fn user_group(mut self, group: &CacheUserGroup) -> Self {
        self.user_group_id = Some(group.user_group_id());
        self
    }

    /// Authenticates clients with the user group `id` (a literal or a reference).
    pub fn user_group_id(mut self, id: impl Into<Value>) -> Self {
        self.user_group_id = Some(id.into());
        self
    }

    /// Sets the removal policy; see [`ServerlessCacheProps::removal_policy`].
    pub fn removal_policy(mut self, p: RemovalPolicy) -> Self {
        self.removal_policy = Some(p);
        self
    }

    /// Sets the final snapshot name; see [`ServerlessCacheProps::final_snapshot_name`].
    pub fn final_snapshot_name(mut self, name: impl Into<String>) -> Self {
        self.final_snapshot_name = Some(name.into());
        self
    }
}

/// The preset's data policy as a serverless cache can take it: `Snapshot` becomes `Retain`.
fn serverless_removal_policy(p: RemovalPolicy) -> RemovalPolicy {
    match p {
        RemovalPolicy::Snapshot => RemovalPolicy::Retain,
        other => other,
    }
}

/// A serverless Valkey or Redis OSS cache (child `Resource`), in the subnets and
/// security group of a [`RedisVpcAccess`], encrypted with its own KMS key (child
/// `Key`) unless given one. Clients connect with TLS on 6379 (the endpoint) and
/// 6380 (the reader endpoint).
#[derive(Debug, Clone)]
pub struct ServerlessCache {
    cache: ResourceHandle,
    engine: Engine,
    max_data_storage_gb: Option<u32>,
    max_ecpu_per_second: Option<u32>,
    path: String,
}

impl ServerlessCache {
    /// Creates the cache under `id`, reachable through `access`.
    ///
    /// `access` should be built with `.reader_port(6380)` so that readers can
    /// connect (a warning otherwise). Every invalid prop is reported at synth as
    /// `[path] message`, all at once.
    pub fn new(scope: &mut impl AsScope, id: &str, access: &RedisVpcAccess, props: ServerlessCacheProps) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        let environment = me.stack().environment().unwrap_or_default();
        let preset = Preset::of(environment);
        let sized = Sized {
            environment,
            snapshot_retention_limit: props.snapshot_retention_limit.unwrap_or(preset.snapshot_retention_limit),
            removal_policy: props.removal_policy.unwrap_or(serverless_removal_policy(preset.data_removal_policy)),
        };
        let cache_name = props.cache_name.clone().unwrap_or_else(|| {
            let stack = me.stack_name().to_string();
            let mut components = vec![stack.as_str()];
            components.extend(me.path().split('/'));
            unique_resource_name(&components, 40, "-").to_lowercase()
        });
        validate(&mut me, &props, &sized, access, &cache_name);

        let description = props.description.clone().unwrap_or_else(|| {
            format!(
                "{} serverless cache for {}",
                match props.engine {
                    Engine::Redis => "Redis OSS",
                    Engine::Valkey => "Valkey",
                },
                me.full_path()
            )
        });
        let mut cache = CfnServerlessCache::new(cache_name, props.engine.name())
            .description(description)
            .major_engine_version(props.resolved_major_engine_version().to_string())
            .subnet_ids(access.subnet_ids())
            .security_group_ids(vec![access.security_group_id()])
            .snapshot_retention_limit(sized.snapshot_retention_limit);
        let mut limits = crate::OrderedMap::default();
        if let Some(gb) = props.max_data_storage_gb {
            limits.insert("DataStorage".to_string(), map! { "Maximum" => gb, "Unit" => "GB" });
        }
        if let Some(ecpu) = props.max_ecpu_per_second {
            limits.insert("ECPUPerSecond".to_string(), map! { "Maximum" => ecpu });
        }
        if !limits.is_empty() {
            cache = cache.cache_usage_limits(Value::Map(limits));
        }
        if let Some(t) = &props.daily_snapshot_time {
            cache = cache.daily_snapshot_time(t.clone());
        }
        match &props.at_rest_encryption {
            AtRestEncryption::CreateKey => {
                let key = EncryptionKey::new(
                    &mut me,
                    "Key",
                    EncryptionKeyProps {
                        description: Some(format!("Encryption at rest of {id}")),
                        removal_policy: Some(super::presets::key_policy(environment)),
                        ..Default::default()
                    },
                );
                cache = cache.kms_key_id(key.key_arn());
            }
            AtRestEncryption::Key(k) => cache = cache.kms_key_id(k.clone()),
            _ => {}
        }
        if let Some(g) = &props.user_group_id {
            cache = cache.user_group_id(g.clone());
        }
        if let Some(n) = &props.final_snapshot_name {
            cache = cache.final_snapshot_name(n.clone());
        }
        // Snapshot is reported above; Retain keeps synth from reporting it a second time.
        let policy = serverless_removal_policy(sized.removal_policy);
        let cache = me.add_resource("Resource", ResourceDef::from(cache).removal_policy(policy));
        ServerlessCache {
            cache,
            engine: props.engine,
            max_data_storage_gb: props.max_data_storage_gb,
            max_ecpu_per_second: props.max_ecpu_per_second,
            path: me.path().to_string(),
        }
    }

    /// `Endpoint.Address`.
    pub fn endpoint_address(&self) -> Value {
        self.cache.get_att("Endpoint.Address")
    }

    /// `Endpoint.Port` (6379).
    pub fn endpoint_port(&self) -> Value {
        self.cache.get_att("Endpoint.Port")
    }

    /// `ReaderEndpoint.Address`: reads served by replicas, possibly slightly stale.
    pub fn reader_endpoint_address(&self) -> Value {
        self.cache.get_att("ReaderEndpoint.Address")
    }

    /// `ReaderEndpoint.Port` (6380).
    pub fn reader_endpoint_port(&self) -> Value {
        self.cache.get_att("ReaderEndpoint.Port")
    }

    /// The cache name (`Ref`): also the `clusterId` dimension of its CloudWatch metrics.
    pub fn cache_name(&self) -> Value {
        self.cache.reference()
    }

    /// `ARN`.
    pub fn cache_arn(&self) -> Value {
        self.cache.get_att("ARN")
    }

    /// `rediss://host:port` of the endpoint (serverless caches always use TLS).
    pub fn connection_string(&self) -> Value {
        Value::concat([Value::str("rediss://"), self.endpoint_address(), Value::str(":"), self.endpoint_port()])
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The data storage ceiling in GB, if set.
    pub fn max_data_storage_gb(&self) -> Option<u32> {
        self.max_data_storage_gb
    }

    /// The ECPU-per-second ceiling, if set.
    pub fn max_ecpu_per_second(&self) -> Option<u32> {
        self.max_ecpu_per_second
    }

    /// The serverless cache (child `Resource`), CDK's `defaultChild`.
    pub fn default_child(&self) -> &ResourceHandle {
        &self.cache
    }

    /// Estimated monthly cost in USD in `region` (us-east-1 when `None` or
    /// unknown): the minimum billed storage (Valkey 0.1 GB, Redis OSS 1 GB) ×
    /// GB-hour price × 730 hours, plus a steady
    /// [`facts::SERVERLESS_ASSUMED_ECPU_PER_SECOND`] (1,000 ECPU/s) × price per
    /// million ECPUs. Real bills follow the data stored and the requests made.
    pub fn estimated_monthly_cost_usd(&self, region: Option<&str>) -> f64 {
        facts::serverless_monthly_cost(self.engine, region)
    }
}

/// A cache's props resolved for its stack's environment.
struct Sized {
    environment: Environment,
    snapshot_retention_limit: u32,
    removal_policy: RemovalPolicy,
}

fn validate(me: &mut Scope<'_>, p: &ServerlessCacheProps, z: &Sized, access: &RedisVpcAccess, cache_name: &str) {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut warnings: Vec<(&'static str, String)> = Vec::new();
    if !facts::SERVERLESS_MAJOR_VERSIONS.iter().any(|(e, v)| *e == p.engine && *v == p.resolved_major_engine_version())
    {
        let known: Vec<&str> =
            facts::SERVERLESS_MAJOR_VERSIONS.iter().filter(|(e, _)| *e == p.engine).map(|(_, v)| *v).collect();
        errors.push((
            "EC022",
            format!(
                "major_engine_version '{}' is not a serverless {} version; use one of {}",
                p.resolved_major_engine_version(),
                p.engine,
                known.join(", ")
            ),
        ));
    }
    if let Err(e) = facts::check_replication_group_id(cache_name) {
        errors.push(("CON008", format!("cache_name '{cache_name}' {e}")));
    }
    let (min_gb, max_gb) = facts::SERVERLESS_DATA_STORAGE_GB;
    if let Some(gb) = p.max_data_storage_gb.filter(|gb| !(min_gb..=max_gb).contains(gb)) {
        errors.push(("CON009", format!("max_data_storage_gb must be between {min_gb} and {max_gb}, got {gb}")));
    }
    let (min_ecpu, max_ecpu) = facts::SERVERLESS_ECPU_PER_SECOND;
    if let Some(e) = p.max_ecpu_per_second.filter(|e| !(min_ecpu..=max_ecpu).contains(e)) {
        errors.push(("CON009", format!("max_ecpu_per_second must be between {min_ecpu} and {max_ecpu}, got {e}")));
    }
    if let Some(t) = &p.daily_snapshot_time {
        if !is_hh_mi(t) {
            errors.push((
                "EC022",
                format!("daily_snapshot_time '{t}' is not a time of the form hh24:mi (UTC), such as 03:00"),
            ));
        } else if z.snapshot_retention_limit == 0 {
            warnings.push((
                "CON010",
                format!(
                    "daily_snapshot_time '{t}' has no effect: snapshot_retention_limit is 0, so no snapshots are taken"
                ),
            ));
        }
    }
    if z.snapshot_retention_limit > facts::MAX_SNAPSHOT_RETENTION_DAYS {
        errors.push((
            "EC022",
            format!(
                "snapshot_retention_limit must be between 0 and {}, got {}",
                facts::MAX_SNAPSHOT_RETENTION_DAYS,
                z.snapshot_retention_limit
            ),
        ));
    }
    if p.at_rest_encryption == AtRestEncryption::Disabled {
        errors.push(("CON011", "at_rest_encryption is Disabled, but serverless caches are always encrypted at rest; use CreateKey, Key or AwsManagedKey".into()));
    }
    match z.removal_policy {
        RemovalPolicy::Snapshot => errors.push(("TPL010", "removal_policy Snapshot is not supported by AWS::ElastiCache::ServerlessCache; use Retain, or Destroy with final_snapshot_name"
                .into())),
        RemovalPolicy::Destroy if z.environment != Environment::Dev && p.final_snapshot_name.is_none() => {
            warnings.push(("CON006", format!(
                "removal_policy Destroy in {} without final_snapshot_name: deleting or replacing the cache loses its data; use Retain or set final_snapshot_name",
                z.environment
            )))
        }
        _ => {}
    }
    if let Some(n) = &p.final_snapshot_name {
        if n.is_empty() {
            errors
                .push(("CON012", "final_snapshot_name is empty; give a snapshot name such as 'sessions-final'".into()));
        } else if z.removal_policy != RemovalPolicy::Destroy {
            warnings.push(("CON013", format!(
                "final_snapshot_name '{n}' is only used when the cache is deleted, but removal_policy {} keeps it; drop one of them",
                z.removal_policy.deletion_policy()
            )));
        }
    }
    if access.port() != facts::SERVERLESS_PORT {
        errors.push((
            "CON014",
            format!(
                "the access allows port {}, but serverless caches listen on {}; build the RedisVpcAccess with port {}",
                access.port(),
                facts::SERVERLESS_PORT,
                facts::SERVERLESS_PORT
            ),
        ));
    }
    match access.reader_port() {
        None => warnings.push(("CON015", format!(
            "the access has no reader port, so clients cannot reach the reader endpoint on {}; build the RedisVpcAccess with .reader_port({})",
            facts::SERVERLESS_READER_PORT,
            facts::SERVERLESS_READER_PORT
        ))),
        Some(r) if r != facts::SERVERLESS_READER_PORT => errors.push(("CON014", format!(
            "the access has reader port {r}, but the reader endpoint of a serverless cache listens on {}; use .reader_port({})",
            facts::SERVERLESS_READER_PORT,
            facts::SERVERLESS_READER_PORT
        ))),
        Some(_) => {}
    }
    if p.user_group_id.is_none() {
        warnings.push(("EC020", "no user_group_id: every client that reaches the cache gets full access as the default user; add a CacheUserGroup".into()));
    }
    for (rule, e) in errors {
        me.rule_error(rule, e);
    }
    for (rule, w) in warnings {
        me.rule_warn(rule, w);
    }
}

fn is_hh_mi(s: &str) -> bool {
    match s.split_once(':') {
        Some((h, m)) if h.len() == 2 && m.len() == 2 => {
            matches!((h.parse::<u32>(), m.parse::<u32>()), (Ok(h), Ok(m)) if h < 24 && m < 60)
        }
        _ => false,
    }
}

impl Construct for ServerlessCache {
    fn stack_name(&self) -> &str {
        &self.cache.target().stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}
