//! `RedisAlarms`: CloudWatch alarms for a replication group, a sharded cluster or
//! a serverless cache, notifying an SNS topic on ALARM and on OK.
//!
//! ElastiCache publishes node-based metrics per node, under the dimension
//! `CacheClusterId = <group id>-001` (cluster mode off) or `<group id>-0001-001`
//! (cluster mode on). An alarm on the group id itself never sees a data point, so
//! each alarm here is a metric-math alarm `MAX([m0, m1, ...])` over the nodes, with
//! at most [`facts::MAX_ALARM_METRICS`] nodes per alarm (larger clusters get one
//! alarm per run of whole shards). Serverless caches publish per cache, under `clusterId`.

use super::encryption_key::EncryptionKey;
use super::replication_group::{Mode, ReplicationGroup};
use super::serverless::ServerlessCache;
use super::sharded_cluster::ShardedCluster;
use crate::cfn::cloudwatch::CfnAlarm;
use crate::cfn::sns::CfnTopic;
use crate::core::{AsScope, Construct, ResourceHandle, Scope, Value};
use crate::facts;
use crate::map;
use indexmap::IndexMap;

/// The namespace of ElastiCache's own metrics.
pub const ELASTICACHE_NAMESPACE: &str = "AWS/ElastiCache";

/// The statistic an alarm evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// `Average`
    Average,
    /// `Maximum`
    Maximum,
    /// `Minimum`
    Minimum,
    /// `Sum`
    Sum,
    /// `SampleCount`
    SampleCount,
}

impl Statistic {
    /// The CloudWatch name.
    pub fn name(self) -> &'static str {
        match self {
            Statistic::Average => "Average",
            Statistic::Maximum => "Maximum",
            Statistic::Minimum => "Minimum",
            Statistic::Sum => "Sum",
            Statistic::SampleCount => "SampleCount",
        }
    }
}

/// How the value is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `GreaterThanThreshold`
    GreaterThan,
    /// `GreaterThanOrEqualToThreshold`
    GreaterThanOrEqual,
    /// `LessThanThreshold`
    LessThan,
    /// `LessThanOrEqualToThreshold`
    LessThanOrEqual,
}

impl Comparison {
    /// The CloudFormation `ComparisonOperator`.
    pub fn name(self) -> &'static str {
        match self {
            Comparison::GreaterThan => "GreaterThanThreshold",
            Comparison::GreaterThanOrEqual => "GreaterThanOrEqualToThreshold",
            Comparison::LessThan => "LessThanThreshold",
            Comparison::LessThanOrEqual => "LessThanOrEqualToThreshold",
        }
    }

    /// The operator as written in descriptions (`>`, `>=`, `<`, `<=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterThan => ">",
            Comparison::GreaterThanOrEqual => ">=",
            Comparison::LessThan => "<",
            Comparison::LessThanOrEqual => "<=",
        }
    }
}

/// `TreatMissingData`: how periods without data count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum TreatMissingData {
    /// `breaching`: missing data counts as over the threshold.
    Breaching,
    /// `notBreaching`: missing data counts as fine.
    NotBreaching,
    /// `ignore`: the alarm keeps its state.
    Ignore,
    /// `missing`: the alarm goes to INSUFFICIENT_DATA when every period is missing.
    Missing,
}

impl TreatMissingData {
    /// The CloudFormation value.
    pub fn name(self) -> &'static str {
        match self {
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Ignore => "ignore",
            TreatMissingData::Missing => "missing",
        }
    }
}

/// The metrics [`RedisAlarms`] alarms on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum AlarmMetric {
    /// `CPUUtilization` of the host (node-based).
    CpuUtilization,
    /// `EngineCPUUtilization`: the engine's one main thread (node-based).
    EngineCpuUtilization,
    /// `DatabaseMemoryUsagePercentage`: used memory over `maxmemory` (node-based).
    DatabaseMemoryUsagePercentage,
    /// `Evictions`: keys evicted for lack of memory (node-based).
    Evictions,
    /// `SwapUsage` of the host, in bytes (node-based).
    SwapUsage,
    /// `CurrConnections`: client connections (node-based).
    CurrConnections,
    /// `ReplicationLag` of the replicas, in seconds (node-based, only with replicas).
    ReplicationLag,
    /// `BytesUsedForCache`: bytes of data (node-based and serverless).
    BytesUsedForCache,
    /// `ElastiCacheProcessingUnits`: ECPUs used (serverless).
    #[serde(rename = "elasticache_processing_units")]
    ElastiCacheProcessingUnits,
    /// `ThrottledCmds`: requests throttled while the cache scales (serverless).
    ThrottledCmds,
}

impl AlarmMetric {
    /// The CloudWatch metric name.
    pub fn name(self) -> &'static str {
        match self {
            AlarmMetric::CpuUtilization => "CPUUtilization",
            AlarmMetric::EngineCpuUtilization => "EngineCPUUtilization",
            AlarmMetric::DatabaseMemoryUsagePercentage => "DatabaseMemoryUsagePercentage",
            AlarmMetric::Evictions => "Evictions",
            AlarmMetric::SwapUsage => "SwapUsage",
            AlarmMetric::CurrConnections => "CurrConnections",
            AlarmMetric::ReplicationLag => "ReplicationLag",
            AlarmMetric::BytesUsedForCache => "BytesUsedForCache",
            AlarmMetric::ElastiCacheProcessingUnits => "ElastiCacheProcessingUnits",
            AlarmMetric::ThrottledCmds => "ThrottledCmds",
        }
    }
}

/// The unit of a metric's threshold, for validation and descriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricUnit {
    /// Percent, 0 to 100.
    Percent,
    /// A count.
    Count,
    /// Bytes.
    Bytes,
    /// Seconds.
    Seconds,
    /// ElastiCache Processing Units.
    Ecpus,
}

impl MetricUnit {
    fn suffix(self) -> &'static str {
        match self {
            MetricUnit::Percent => " %",
            MetricUnit::Count => "",
            MetricUnit::Bytes => " bytes",
            MetricUnit::Seconds => " s",
            MetricUnit::Ecpus => " ECPUs",
        }
    }
}

/// Where a default threshold comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum DefaultThreshold {
    /// This value.
    Absolute(f64),
    /// This fraction of the node type's memory, in bytes.
    NodeMemoryFraction(f64),
    /// This fraction of the node type's `maxclients` ([`facts::maxclients`]), so the
    /// alarm can fire on the small types whose limit is 20,000 or 46,000.
    MaxclientsFraction(f64),
    /// This fraction of a serverless cache's `max_data_storage_gb` (1 GB = 10⁹ bytes),
    /// or `otherwise_gb` when the cache has no storage limit.
    StorageLimitFraction {
        /// The fraction of the limit.
        fraction: f64,
        /// The threshold in GB without a limit.
        otherwise_gb: f64,
    },
    /// This fraction of a serverless cache's `max_ecpu_per_second` × the period,
    /// or `otherwise_per_second` × the period when the cache has no ECPU limit.
    EcpuLimitFraction {
        /// The fraction of the limit.
        fraction: f64,
        /// The rate, in ECPU/s, without a limit.
        otherwise_per_second: f64,
    },
}

/// Which series an alarm of [`NODE_ALARMS`] or [`SERVERLESS_ALARMS`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricSource {
    /// Every node of the group.
    AllNodes,
    /// The replicas only (primaries never emit the metric).
    Replicas,
    /// The serverless cache itself (`clusterId`).
    Cache,
}

/// One default alarm: a row of [`NODE_ALARMS`] or [`SERVERLESS_ALARMS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlarmSpec {
    /// The metric.
    pub metric: AlarmMetric,
    /// The statistic per period.
    pub statistic: Statistic,
    /// The comparison with the threshold.
    pub comparison: Comparison,
    /// The threshold unless overridden.
    pub default_threshold: DefaultThreshold,
    /// The period in seconds.
    pub period_seconds: u32,
    /// Consecutive periods over the threshold before the alarm fires.
    pub evaluation_periods: u32,
    /// How missing data counts.
    pub treat_missing_data: TreatMissingData,
    /// The unit of the threshold.
    pub unit: MetricUnit,
    /// The series read.
    pub source: MetricSource,
}

#[allow(clippy::too_many_arguments)]
const fn spec(
    metric: AlarmMetric,
    statistic: Statistic,
    default_threshold: DefaultThreshold,
    period_seconds: u32,
    evaluation_periods: u32,
    treat_missing_data: TreatMissingData,
    unit: MetricUnit,
    source: MetricSource,
) -> AlarmSpec {
    AlarmSpec {
        metric,
        statistic,
        comparison: Comparison::GreaterThan,
        default_threshold,
        period_seconds,
        evaluation_periods,
        treat_missing_data,
        unit,
        source,
    }
}

/// The alarms of a replication group or sharded cluster, each the maximum over the nodes.
///
/// | metric | fires when | why |
/// |---|---|---|
/// | CPUUtilization | Average > 75 % for 2 × 5 min | host CPU saturation |
/// | EngineCPUUtilization | Average > 90 % for 2 × 5 min | the single engine thread is busy (AWS guidance ~90 %) |
/// | DatabaseMemoryUsagePercentage | Average > 90 % for 2 × 5 min | close to `maxmemory`: evictions or OOM errors next |
/// | Evictions | Sum > 1000 in 5 min | keys dropped for lack of memory |
/// | SwapUsage | Average > 50 MB (52428800 bytes) for 2 × 5 min | the host swaps: latency spikes |
/// | CurrConnections | Maximum > 10/13 of the node type's `maxclients` for 2 × 5 min (50,000 of 65,000; 15,385 of the 20,000 of `cache.t4g.micro`) | near the `maxclients` limit; often a connection leak |
/// | ReplicationLag | Maximum > 30 s for 5 × 1 min | replicas fall behind (groups with replicas; every node is watched, since roles swap on failover and a primary publishes none) |
/// | BytesUsedForCache | Maximum > 70 % of node memory for 2 × 5 min | with 25 % reserved memory, about 93 % of `maxmemory` |
///
/// Missing data is `missing` for gauges and `notBreaching` for Evictions and
/// ReplicationLag (not published while a node is replaced).
pub const NODE_ALARMS: &[AlarmSpec] = &[
    spec(
        AlarmMetric::CpuUtilization,
        Statistic::Average,
        DefaultThreshold::Absolute(75.0),
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Percent,
        MetricSource::AllNodes,
    ),
    spec(
        AlarmMetric::EngineCpuUtilization,
        Statistic::Average,
        DefaultThreshold::Absolute(90.0),
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Percent,
        MetricSource::AllNodes,
    ),
    spec(
        AlarmMetric::DatabaseMemoryUsagePercentage,
        Statistic::Average,
        DefaultThreshold::Absolute(90.0),
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Percent,
        MetricSource::AllNodes,
    ),
    spec(
        AlarmMetric::Evictions,
        Statistic::Sum,
        DefaultThreshold::Absolute(1000.0),
        300,
        1,
        TreatMissingData::NotBreaching,
        MetricUnit::Count,
        MetricSource::AllNodes,
    ),
    spec(
        AlarmMetric::SwapUsage,
        Statistic::Average,
        DefaultThreshold::Absolute(52_428_800.0),
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Bytes,
        MetricSource::AllNodes,
    ),
    spec(
        AlarmMetric::CurrConnections,
        Statistic::Maximum,
        DefaultThreshold::MaxclientsFraction(MAXCLIENTS_FRACTION),
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Count,
        MetricSource::AllNodes,
    ),
    spec(
        AlarmMetric::ReplicationLag,
        Statistic::Maximum,
        DefaultThreshold::Absolute(30.0),
        60,
        5,
        TreatMissingData::NotBreaching,
        MetricUnit::Seconds,
        MetricSource::Replicas,
    ),
    spec(
        AlarmMetric::BytesUsedForCache,
        Statistic::Maximum,
        DefaultThreshold::NodeMemoryFraction(0.7),
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Bytes,
        MetricSource::AllNodes,
    ),
];

/// The alarms of a serverless cache.
///
/// | metric | fires when | why |
/// |---|---|---|
/// | ElastiCacheProcessingUnits | Sum > 80 % of `max_ecpu_per_second` × 60 per minute, for 5 × 1 min (without a limit: 10000 ECPU/s, 10 × the cost estimate's assumption) | throttling or cost ahead |
/// | ThrottledCmds | Sum > 100 in 5 min | requests refused while the cache scales or at its limit |
/// | BytesUsedForCache | Maximum > 80 % of `max_data_storage_gb` for 2 × 5 min (without a limit: 10 GB) | writes fail at the limit; cost |
pub const SERVERLESS_ALARMS: &[AlarmSpec] = &[
    spec(
        AlarmMetric::ElastiCacheProcessingUnits,
        Statistic::Sum,
        DefaultThreshold::EcpuLimitFraction { fraction: 0.8, otherwise_per_second: 10_000.0 },
        60,
        5,
        TreatMissingData::NotBreaching,
        MetricUnit::Ecpus,
        MetricSource::Cache,
    ),
    spec(
        AlarmMetric::ThrottledCmds,
        Statistic::Sum,
        DefaultThreshold::Absolute(100.0),
        300,
        1,
        TreatMissingData::NotBreaching,
        MetricUnit::Count,
        MetricSource::Cache,
    ),
    spec(
        AlarmMetric::BytesUsedForCache,
        Statistic::Maximum,
        DefaultThreshold::StorageLimitFraction { fraction: 0.8, otherwise_gb: 10.0 },
        300,
        2,
        TreatMissingData::Missing,
        MetricUnit::Bytes,
        MetricSource::Cache,
    ),
];

/// Per-metric changes to a default alarm. Unset fields keep the table's value.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AlarmOverride {
    /// The threshold, in the metric's unit (ECPUs per period for ElastiCacheProcessingUnits).
    pub threshold: Option<f64>,
    /// The period in seconds: 10, 30 or a multiple of 60.
    pub period_seconds: Option<u32>,
    /// Periods over the threshold before the alarm fires, at least 1.
    pub evaluation_periods: Option<u32>,
    /// How missing data counts.
    pub treat_missing_data: Option<TreatMissingData>,
    /// Leaves the alarm out.
    pub disabled: bool,
}

/// Where the alarms send their notifications.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AlarmTopic {
    /// A new SNS topic (child `Topic`) encrypted with this customer-managed KMS key
    /// (ARN or id). The key policy must let `cloudwatch.amazonaws.com` use it, as
    /// [`EncryptionKey`]'s does. The AWS-managed key `alias/aws/sns` is refused:
    /// CloudWatch cannot use it, so no notification would ever arrive.
    Create {
        /// The KMS key ARN or id.
        kms_key: Value,
    },
    /// An existing topic: its ARN.
    Existing(Value),
    /// No topic; then [`RedisAlarmsProps::additional_actions`] must name a target.
    None,
}

impl AlarmTopic {
    /// A new topic encrypted with `key`.
    pub fn encrypted_with(key: &EncryptionKey) -> Self {
        AlarmTopic::Create { kms_key: key.key_arn() }
    }
}

/// Optional settings of [`RedisAlarms`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RedisAlarmsProps {
    /// Changes to the default alarms, per metric.
    ///
    /// Default: none: every alarm of [`NODE_ALARMS`] or [`SERVERLESS_ALARMS`] as listed there.
    pub overrides: IndexMap<AlarmMetric, AlarmOverride>,
    /// More targets for `AlarmActions` and `OKActions` (ARNs), such as a paging topic.
    ///
    /// Default: none: the topic only. At most 5 actions in all.
    pub additional_actions: Vec<Value>,
    /// Only these metrics are alarmed (then [`RedisAlarmsProps::disable`] and the
    /// overrides apply to them), so an alarm added to the defaults later does not
    /// appear unasked.
    ///
    /// Default: none: every alarm of the table, less the disabled ones.
    pub only: Option<Vec<AlarmMetric>>,
}

impl RedisAlarmsProps {
    fn entry(&mut self, metric: AlarmMetric) -> &mut AlarmOverride {
        self.overrides.entry(metric).or_default()
    }

    /// Sets the threshold of `metric`.
    pub fn threshold(mut self, metric: AlarmMetric, value: f64) -> Self {
        self.entry(metric).threshold = Some(value);
        self
    }

    /// Sets the period of `metric`, in seconds.
    pub fn period_seconds(mut self, metric: AlarmMetric, seconds: u32) -> Self {
        self.entry(metric).period_seconds = Some(seconds);
        self
    }

    /// Sets the evaluation periods of `metric`.
    pub fn evaluation_periods(mut self, metric: AlarmMetric, periods: u32) -> Self {
        self.entry(metric).evaluation_periods = Some(periods);
        self
    }

    /// Sets how missing data of `metric` counts.
    pub fn treat_missing_data(mut self, metric: AlarmMetric, t: TreatMissingData) -> Self {
        self.entry(metric).treat_missing_data = Some(t);
        self
    }

    /// Leaves out the alarm on `metric`.
    pub fn disable(mut self, metric: AlarmMetric) -> Self {
        self.entry(metric).disabled = true;
        self
    }

    /// Alarms only `metrics` (by inclusion, where [`RedisAlarmsProps::disable`]
    /// selects by exclusion; both apply); see [`RedisAlarmsProps::only`]. Called
    /// twice, the lists add up.
    pub fn only(mut self, metrics: impl IntoIterator<Item = AlarmMetric>) -> Self {
        let list = self.only.get_or_insert_with(Vec::new);
        for m in metrics {
            if !list.contains(&m) {
                list.push(m);
            }
        }
        self
    }

    /// Adds an action target; see [`RedisAlarmsProps::additional_actions`].
    pub fn additional_action(mut self, arn: impl Into<Value>) -> Self {
        self.additional_actions.push(arn.into());
        self
    }
}

/// What [`RedisAlarms`] watches.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AlarmTarget<'a> {
    /// A replication group (cluster mode off or on).
    Group(&'a ReplicationGroup),
    /// A serverless cache.
    Serverless(&'a ServerlessCache),
}

impl<'a> From<&'a ReplicationGroup> for AlarmTarget<'a> {
    fn from(g: &'a ReplicationGroup) -> Self {
        AlarmTarget::Group(g)
    }
}

impl<'a> From<&'a ShardedCluster> for AlarmTarget<'a> {
    fn from(c: &'a ShardedCluster) -> Self {
        AlarmTarget::Group(c.group())
    }
}

impl<'a> From<&'a ServerlessCache> for AlarmTarget<'a> {
    fn from(c: &'a ServerlessCache) -> Self {
        AlarmTarget::Serverless(c)
    }
}

/// An alarm on any metric, such as the application's own hit rate in its namespace.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomAlarm {
    /// The namespace, such as `Checkout/Cache`.
    pub namespace: String,
    /// The metric name, such as `CacheHitRate`.
    pub metric_name: String,
    /// Dimensions (name, value), at most 30. Default: none.
    #[serde(default)]
    pub dimensions: Vec<(String, Value)>,
    /// The threshold.
    pub threshold: f64,
    /// The comparison.
    pub comparison: Comparison,
    /// The statistic. Default: `Average`.
    #[serde(default = "custom_alarm_defaults::statistic")]
    pub statistic: Statistic,
    /// The period in seconds, 10, 30 or a multiple of 60. Default: 300.
    #[serde(default = "custom_alarm_defaults::period_seconds")]
    pub period_seconds: u32,
    /// Periods over the threshold before the alarm fires. Default: 3.
    #[serde(default = "custom_alarm_defaults::evaluation_periods")]
    pub evaluation_periods: u32,
    /// How missing data counts. Default: `missing`.
    #[serde(default = "custom_alarm_defaults::treat_missing_data")]
    pub treat_missing_data: TreatMissingData,
    /// Description. Default: names the cache, the metric and the threshold.
    #[serde(default)]
    pub description: Option<String>,
}

/// The defaults of [`CustomAlarm::new`], for serde.
mod custom_alarm_defaults {
    use super::{Statistic, TreatMissingData};
    pub(super) fn statistic() -> Statistic {
        Statistic::Average
    }
    pub(super) fn period_seconds() -> u32 {
        300
    }
    pub(super) fn evaluation_periods() -> u32 {
        3
    }
    pub(super) fn treat_missing_data() -> TreatMissingData {
        TreatMissingData::Missing
    }
}

impl CustomAlarm {
    /// An alarm when `namespace`/`metric_name` compares with `threshold` as `comparison` says.
    pub fn new(
        namespace: impl Into<String>,
        metric_name: impl Into<String>,
        comparison: Comparison,
        threshold: f64,
    ) -> Self {
        CustomAlarm {
            namespace: namespace.into(),
            metric_name: metric_name.into(),
            dimensions: Vec::new(),
            threshold,
            comparison,
            statistic: custom_alarm_defaults::statistic(),
            period_seconds: custom_alarm_defaults::period_seconds(),
            evaluation_periods: custom_alarm_defaults::evaluation_periods(),
            treat_missing_data: custom_alarm_defaults::treat_missing_data(),
            description: None,
        }
    }

    /// Adds a dimension.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// Sets the statistic.
    pub fn statistic(mut self, s: Statistic) -> Self {
        self.statistic = s;
        self
    }

    /// Sets the period in seconds.
    pub fn period_seconds(mut self, seconds: u32) -> Self {
        self.period_seconds = seconds;
        self
    }

    /// Sets the evaluation periods.
    pub fn evaluation_periods(mut self, periods: u32) -> Self {
        self.evaluation_periods = periods;
        self
    }

    /// Sets how missing data counts.
    pub fn treat_missing_data(mut self, t: TreatMissingData) -> Self {
        self.treat_missing_data = t;
        self
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
}

/// CloudWatch alarms for one cache (children named after the metric, such as
/// `CPUUtilization`, or `CPUUtilizationShards1To3` when a cluster needs several
/// alarms per metric), with the SNS topic they notify (child `Topic`, when created).
#[derive(Debug, Clone)]
pub struct RedisAlarms {
    path: String,
    stack: String,
    label: Value,
    actions: Vec<Value>,
    topic: Option<ResourceHandle>,
    topic_arn: Option<Value>,
    alarms: Vec<ResourceHandle>,
}

struct Resolved {
    threshold: f64,
    period: u32,
    evaluation_periods: u32,
    treat_missing_data: TreatMissingData,
}

impl RedisAlarms {
    /// Creates the alarms for `target` under `id`, notifying `topic`.
    ///
    /// Every invalid setting is reported at synth as `[path] message`, all at once.
    pub fn new<'a>(
        scope: &mut impl AsScope,
        id: &str,
        target: impl Into<AlarmTarget<'a>>,
        topic: AlarmTopic,
        props: RedisAlarmsProps,
    ) -> Self {
        let target = target.into();
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        let (topic_handle, topic_arn) = match &topic {
            AlarmTopic::Create { kms_key } => {
                if kms_key.as_str().is_some_and(|k| k == "alias/aws/sns" || k.ends_with(":alias/aws/sns")) {
                    me.rule_error("CON026", "topic kms_key is alias/aws/sns, whose key policy does not let CloudWatch publish, so no alarm would ever notify; use a customer-managed key such as EncryptionKey::key_arn()");
                }
                let t = me.add_resource("Topic", CfnTopic::new().kms_master_key_id(kms_key.clone()));
                (Some(t.clone()), Some(t.reference()))
            }
            AlarmTopic::Existing(arn) => {
                if let Some(a) = arn.as_str().filter(|a| !a.starts_with("arn:")) {
                    me.rule_error("CON027", format!(
                        "topic '{a}' is not an SNS topic ARN; give an ARN such as arn:aws:sns:us-east-1:123456789012:alerts"
                    ));
                }
                (None, Some(arn.clone()))
            }
            AlarmTopic::None => (None, None),
        };
        let mut actions: Vec<Value> = topic_arn.iter().cloned().collect();
        actions.extend(props.additional_actions.iter().cloned());
        if actions.is_empty() {
            me.rule_error("ALM001", "the alarms have no action: topic is AlarmTopic::None and additional_actions is empty; give a topic or an action, or no one is notified");
        } else if actions.len() > facts::MAX_ALARM_ACTIONS {
            me.rule_error(
                "CON028",
                format!(
                "the alarms have {} actions; CloudWatch allows at most {} per state, so drop some additional_actions",
                actions.len(),
                facts::MAX_ALARM_ACTIONS
            ),
            );
        }

        let (label, table) = match target {
            AlarmTarget::Group(g) => {
                let stack = g.stack_name().to_string();
                (
                    Value::concat([
                        Value::str("replication group "),
                        g.replication_group_id(),
                        Value::String(format!(" ({stack}/{})", g.path())),
                    ]),
                    NODE_ALARMS,
                )
            }
            AlarmTarget::Serverless(c) => {
                let stack = c.stack_name().to_string();
                (
                    Value::concat([
                        Value::str("serverless cache "),
                        c.cache_name(),
                        Value::String(format!(" ({stack}/{})", c.path())),
                    ]),
                    SERVERLESS_ALARMS,
                )
            }
        };
        let mut alarms = RedisAlarms {
            path: me.path().to_string(),
            stack: me.stack_name().to_string(),
            label,
            actions,
            topic: topic_handle,
            topic_arn,
            alarms: Vec::new(),
        };

        for metric in props.only.iter().flatten() {
            if !table.iter().any(|s| s.metric == *metric) {
                me.rule_warn(
                    "CON029",
                    format!(
                        "{} is in only(...), but it is not alarmed for a {}; remove it from the list",
                        metric.name(),
                        match target {
                            AlarmTarget::Group(_) => "replication group",
                            AlarmTarget::Serverless(_) => "serverless cache",
                        }
                    ),
                );
            }
        }
        for (metric, o) in &props.overrides {
            if !table.iter().any(|s| s.metric == *metric) {
                me.rule_warn(
                    "CON029",
                    format!(
                        "{} has an override, but it is not alarmed for a {}; remove the override",
                        metric.name(),
                        match target {
                            AlarmTarget::Group(_) => "replication group",
                            AlarmTarget::Serverless(_) => "serverless cache",
                        }
                    ),
                );
            } else if *metric == AlarmMetric::ReplicationLag
                && !o.disabled
                && matches!(target, AlarmTarget::Group(g) if g.replicas() == 0)
            {
                me.rule_warn("CON029", "ReplicationLag has an override, but the group has no replicas, so it has no ReplicationLag alarm; remove the override");
            }
        }

        // the nodes each alarm of a group watches, the same for every metric
        let chunks = match target {
            AlarmTarget::Group(g) => node_chunks(g),
            AlarmTarget::Serverless(_) => Vec::new(),
        };
        for spec in table {
            let o = props.overrides.get(&spec.metric).cloned().unwrap_or_default();
            if o.disabled || props.only.as_ref().is_some_and(|m| !m.contains(&spec.metric)) {
                continue;
            }
            let r = Resolved {
                threshold: o.threshold.unwrap_or_else(|| default_threshold(spec, target, o.period_seconds)),
                period: o.period_seconds.unwrap_or(spec.period_seconds),
                evaluation_periods: o.evaluation_periods.unwrap_or(spec.evaluation_periods),
                treat_missing_data: o.treat_missing_data.unwrap_or(spec.treat_missing_data),
            };
            let mut errors = Vec::new();
            let mut warnings = Vec::new();
            check_alarm_settings(spec.metric.name(), spec.unit, &r, true, &mut errors, &mut warnings);
            for (rule, e) in errors {
                me.rule_error(rule, e);
            }
            for (rule, w) in warnings {
                me.rule_warn(rule, w);
            }
            match target {
                AlarmTarget::Group(g) => alarms.add_node_alarms(&mut me, g, &chunks, spec, &r),
                AlarmTarget::Serverless(c) => alarms.add_serverless_alarm(&mut me, c, spec, &r),
            }
        }
        alarms
    }

    fn base_alarm(
        &self,
        unit: MetricUnit,
        metric: &str,
        r: &Resolved,
        comparison: Comparison,
        detail: &str,
    ) -> CfnAlarm {
        let description = Value::concat([
            self.label.clone(),
            Value::String(format!(
                ": {metric} {} {}{}{detail} ({} s periods, {} in a row)",
                comparison.symbol(),
                fmt_num(r.threshold),
                unit.suffix(),
                r.period,
                r.evaluation_periods
            )),
        ]);
        CfnAlarm::new()
            .alarm_description(description)
            .comparison_operator(comparison.name())
            .threshold(number(r.threshold))
            .evaluation_periods(r.evaluation_periods)
            .treat_missing_data(r.treat_missing_data.name())
            .alarm_actions(self.actions.clone())
            .ok_actions(self.actions.clone())
    }

    fn add_node_alarms(
        &mut self,
        me: &mut Scope<'_>,
        g: &ReplicationGroup,
        chunks: &[(String, Vec<Value>)],
        spec: &AlarmSpec,
        r: &Resolved,
    ) {
        // ReplicationLag too watches every node: roles swap on failover, and a
        // primary publishes no ReplicationLag, so MAX over all nodes is the replicas' lag.
        if spec.source == MetricSource::Replicas && g.replicas() == 0 {
            return;
        }
        for (suffix, ids) in chunks {
            let metric = spec.metric.name();
            let mut metrics: Vec<Value> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    map! {
                        "Id" => format!("m{i}"),
                        "MetricStat" => map! {
                            "Metric" => map! {
                                "Dimensions" => vec![map! { "Name" => "CacheClusterId", "Value" => id.clone() }],
                                "MetricName" => metric,
                                "Namespace" => ELASTICACHE_NAMESPACE,
                            },
                            "Period" => r.period,
                            "Stat" => spec.statistic.name(),
                        },
                        "ReturnData" => false,
                    }
                })
                .collect();
            let refs: Vec<String> = (0..ids.len()).map(|i| format!("m{i}")).collect();
            let which = "node";
            metrics.push(map! {
                "Expression" => format!("MAX([{}])", refs.join(",")),
                "Id" => "maxOverNodes",
                "Label" => format!("{metric} ({}), highest {which}", spec.statistic.name()),
                "ReturnData" => true,
            });
            let detail = format!(" on any of {} {which}s{}", ids.len(), shard_note(suffix));
            let alarm = self.base_alarm(spec.unit, metric, r, spec.comparison, &detail).metrics(metrics);
            self.alarms.push(me.add_resource(&format!("{metric}{suffix}"), alarm));
        }
    }

    fn add_serverless_alarm(&mut self, me: &mut Scope<'_>, c: &ServerlessCache, spec: &AlarmSpec, r: &Resolved) {
        let metric = spec.metric.name();
        let alarm = self
            .base_alarm(spec.unit, metric, r, spec.comparison, "")
            .namespace(ELASTICACHE_NAMESPACE)
            .metric_name(metric)
            .dimensions(vec![map! { "Name" => "clusterId", "Value" => c.cache_name() }])
            .statistic(spec.statistic.name())
            .period(r.period);
        self.alarms.push(me.add_resource(metric, alarm));
    }

    /// Adds an alarm on any metric under `id` (child `<id>/Resource`), notifying
    /// the same actions, such as the application's hit rate in its own namespace:
    ///
    /// ```
    /// # use redis_cdk::*;
    /// # let mut app = App::new();
    /// # let stack = app.add_stack("S");
    /// # let access = RedisVpcAccess::new(stack, "Access", VpcAccessProps::new("vpc-0123abcd", vec!["subnet-00000001"]).reader_port(6380));
    /// # let cache = ServerlessCache::new(stack, "Cache", &access, ServerlessCacheProps::new());
    /// let mut alarms = RedisAlarms::new(stack, "Alarms", &cache, AlarmTopic::Existing("arn:aws:sns:us-east-1:123456789012:ops".into()), RedisAlarmsProps::default());
    /// alarms.add_custom_alarm(stack, "HitRate",
    ///     CustomAlarm::new("Checkout/Cache", "CacheHitRate", Comparison::LessThan, 80.0).dimension("Service", "checkout"));
    /// ```
    ///
    /// `scope` must be the stack that holds the alarms; problems are reported at synth.
    pub fn add_custom_alarm(
        &mut self,
        scope: &mut impl AsScope,
        id: &str,
        alarm: CustomAlarm,
    ) -> Option<ResourceHandle> {
        let mut scope = scope.as_scope();
        if scope.stack_name() != self.stack {
            scope.rule_error(
                "APP010",
                format!(
                    "add_custom_alarm must be called with the stack that holds {} ('{}'), got '{}'",
                    self.path,
                    self.stack,
                    scope.stack_name()
                ),
            );
            return None;
        }
        let path = self.path.clone();
        let mut root = scope.stack().root();
        let mut node = root.at_path(&path);
        let mut me = node.child(id);
        let r = Resolved {
            threshold: alarm.threshold,
            period: alarm.period_seconds,
            evaluation_periods: alarm.evaluation_periods,
            treat_missing_data: alarm.treat_missing_data,
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        if alarm.namespace.is_empty() || alarm.namespace.len() > 255 || alarm.namespace.starts_with(':') {
            errors.push(("CON030", format!(
                "namespace '{}' must be 1 to 255 characters and not start with ':'; use a name such as 'Checkout/Cache'",
                alarm.namespace
            )));
        }
        if alarm.metric_name.is_empty() || alarm.metric_name.len() > 255 {
            errors.push(("CON030", format!("metric_name '{}' must be 1 to 255 characters", alarm.metric_name)));
        }
        if alarm.dimensions.len() > 30 {
            errors.push((
                "CON030",
                format!("dimensions has {} entries; CloudWatch allows at most 30", alarm.dimensions.len()),
            ));
        }
        let elasticache = alarm.namespace == ELASTICACHE_NAMESPACE;
        check_alarm_settings(&alarm.metric_name, MetricUnit::Count, &r, elasticache, &mut errors, &mut warnings);
        for (rule, e) in errors {
            me.rule_error(rule, e);
        }
        for (rule, w) in warnings {
            me.rule_warn(rule, w);
        }
        let description = match &alarm.description {
            Some(d) => Value::String(d.clone()),
            None => Value::concat([
                self.label.clone(),
                Value::String(format!(
                    ": {}/{} {} {} ({}, {} s periods, {} in a row)",
                    alarm.namespace,
                    alarm.metric_name,
                    alarm.comparison.symbol(),
                    fmt_num(alarm.threshold),
                    alarm.statistic.name(),
                    alarm.period_seconds,
                    alarm.evaluation_periods
                )),
            ]),
        };
        let dimensions: Vec<Value> =
            alarm.dimensions.iter().map(|(n, v)| map! { "Name" => n.as_str(), "Value" => v.clone() }).collect();
        let mut cfn = CfnAlarm::new()
            .alarm_description(description)
            .namespace(alarm.namespace.clone())
            .metric_name(alarm.metric_name.clone())
            .statistic(alarm.statistic.name())
            .period(alarm.period_seconds)
            .comparison_operator(alarm.comparison.name())
            .threshold(number(alarm.threshold))
            .evaluation_periods(alarm.evaluation_periods)
            .treat_missing_data(alarm.treat_missing_data.name())
            .alarm_actions(self.actions.clone())
            .ok_actions(self.actions.clone());
        if !dimensions.is_empty() {
            cfn = cfn.dimensions(dimensions);
        }
        let handle = me.add_resource("Resource", cfn);
        self.alarms.push(handle.clone());
        Some(handle)
    }

    /// Every alarm created so far, in order.
    pub fn alarms(&self) -> &[ResourceHandle] {
        &self.alarms
    }

    /// The topic, when this construct created it.
    pub fn topic(&self) -> Option<&ResourceHandle> {
        self.topic.as_ref()
    }

    /// The topic ARN (`Ref` of a created topic, or the given ARN), if there is a topic.
    pub fn topic_arn(&self) -> Option<Value> {
        self.topic_arn.clone()
    }
}

/// The share of `maxclients` the `CurrConnections` alarm fires above: 50,000 of the
/// usual 65,000.
const MAXCLIENTS_FRACTION: f64 = 10.0 / 13.0;

/// The default threshold of `spec` for `target` (ECPU thresholds scale with the period).
fn default_threshold(spec: &AlarmSpec, target: AlarmTarget<'_>, period: Option<u32>) -> f64 {
    let period = f64::from(period.unwrap_or(spec.period_seconds));
    match (spec.default_threshold, target) {
        (DefaultThreshold::Absolute(v), _) => v,
        (DefaultThreshold::NodeMemoryFraction(f), AlarmTarget::Group(g)) => {
            facts::node_type(g.node_type()).map_or(0.0, |n| (n.memory_gib * 1024.0 * 1024.0 * 1024.0 * f).round())
        }
        (DefaultThreshold::StorageLimitFraction { fraction, otherwise_gb }, AlarmTarget::Serverless(c)) => {
            let gb = c.max_data_storage_gb().map_or(otherwise_gb, |l| f64::from(l) * fraction);
            (gb * 1e9).round()
        }
        (DefaultThreshold::EcpuLimitFraction { fraction, otherwise_per_second }, AlarmTarget::Serverless(c)) => {
            let rate = c.max_ecpu_per_second().map_or(otherwise_per_second, |l| f64::from(l) * fraction);
            (rate * period).round()
        }
        (DefaultThreshold::MaxclientsFraction(f), AlarmTarget::Group(g)) => {
            (f64::from(facts::maxclients(g.node_type())) * f).round()
        }
        (DefaultThreshold::MaxclientsFraction(f), AlarmTarget::Serverless(_)) => (65_000.0 * f).round(),
        _ => 0.0,
    }
}

/// Checks a resolved alarm: threshold range, period, evaluation periods.
fn check_alarm_settings(
    metric: &str,
    unit: MetricUnit,
    r: &Resolved,
    elasticache_metric: bool,
    errors: &mut Vec<(&'static str, String)>,
    warnings: &mut Vec<(&'static str, String)>,
) {
    if !r.threshold.is_finite() {
        errors.push(("CON031", format!("{metric} threshold must be a finite number, got {}", r.threshold)));
    } else if unit == MetricUnit::Percent && !(0.0..=100.0).contains(&r.threshold) {
        errors.push((
            "CON031",
            format!("{metric} threshold is a percentage and must be between 0 and 100, got {}", fmt_num(r.threshold)),
        ));
    } else if unit != MetricUnit::Percent && elasticache_metric && r.threshold < 0.0 {
        errors.push(("CON031", format!("{metric} threshold must be 0 or more, got {}", fmt_num(r.threshold))));
    }
    if !facts::is_valid_alarm_period(r.period) {
        errors.push((
            "CON032",
            format!("{metric} period_seconds must be 10, 20, 30 or a multiple of 60, got {}; use 60 or 300", r.period),
        ));
    } else if elasticache_metric && r.period < facts::ELASTICACHE_METRIC_RESOLUTION_SECONDS {
        warnings.push(("CON033", format!(
            "{metric} period_seconds is {}, but ElastiCache publishes every {} s, so most periods have no data; use 60 or more",
            r.period,
            facts::ELASTICACHE_METRIC_RESOLUTION_SECONDS
        )));
    }
    if r.evaluation_periods == 0 {
        errors.push(("CON032", format!("{metric} evaluation_periods must be at least 1, got 0")));
    } else if u64::from(r.period) * u64::from(r.evaluation_periods)
        > u64::from(facts::max_alarm_evaluation_seconds(r.period))
    {
        let limit = facts::max_alarm_evaluation_seconds(r.period);
        let span = if limit == facts::MAX_ALARM_EVALUATION_SECONDS { "one day" } else { "seven days" };
        errors.push(("CON032", format!(
            "{metric} evaluates {} periods of {} s, over CloudWatch's limit of {span} ({limit} s) for this period; use fewer or shorter periods",
            r.evaluation_periods,
            r.period,
        )));
    }
}

/// The node ids of `g` in alarm-sized chunks: one chunk when they fit in one
/// alarm, else runs of whole shards, each with a child-id suffix such as `Shards1To3`.
fn node_chunks(g: &ReplicationGroup) -> Vec<(String, Vec<Value>)> {
    let ids = g.node_ids();
    if ids.is_empty() {
        return Vec::new();
    }
    let shards = match g.mode {
        Mode::Disabled => 1,
        // as node_ids counts them: capped at the limit (a count over it is an error)
        Mode::Enabled { shards } => shards.min(facts::MAX_SHARDS) as usize,
    };
    if ids.len() <= facts::MAX_ALARM_METRICS || shards <= 1 {
        // A cluster-mode-off group has at most 6 nodes, so one alarm always fits.
        return vec![(String::new(), ids)];
    }
    let per_shard = ids.len() / shards;
    let shards_per_alarm = (facts::MAX_ALARM_METRICS / per_shard).max(1);
    ids.chunks(per_shard * shards_per_alarm)
        .enumerate()
        .map(|(i, chunk)| {
            let first = i * shards_per_alarm + 1;
            let last = first + chunk.len() / per_shard - 1;
            let suffix = if first == last { format!("Shard{first}") } else { format!("Shards{first}To{last}") };
            (suffix, chunk.to_vec())
        })
        .collect()
}

fn shard_note(suffix: &str) -> String {
    match suffix.strip_prefix("Shards") {
        Some(range) => format!(" of shards {}", range.replace("To", " to ")),
        None => match suffix.strip_prefix("Shard") {
            Some(n) => format!(" of shard {n}"),
            None => String::new(),
        },
    }
}

/// A threshold as JSON: an integer when it is one.
fn number(v: f64) -> Value {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

fn fmt_num(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Construct for RedisAlarms {
    fn stack_name(&self) -> &str {
        &self.stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_one_row_per_metric_and_sane_defaults() {
        for table in [NODE_ALARMS, SERVERLESS_ALARMS] {
            for (i, s) in table.iter().enumerate() {
                assert!(table[..i].iter().all(|t| t.metric != s.metric), "{:?} twice", s.metric);
                assert!(facts::is_valid_alarm_period(s.period_seconds));
                assert!(s.evaluation_periods >= 1);
                if let DefaultThreshold::Absolute(v) = s.default_threshold {
                    assert!(s.unit != MetricUnit::Percent || (0.0..=100.0).contains(&v));
                }
            }
        }
        assert_eq!((65_000.0 * MAXCLIENTS_FRACTION).round(), 50_000.0);
        assert!((f64::from(facts::maxclients("cache.t4g.micro")) * MAXCLIENTS_FRACTION).round() < 20_000.0);
        let swap = NODE_ALARMS.iter().find(|s| s.metric == AlarmMetric::SwapUsage).unwrap();
        assert_eq!(swap.default_threshold, DefaultThreshold::Absolute(52_428_800.0));
    }

    #[test]
    fn numbers_render_as_integers_when_whole() {
        assert_eq!(fmt_num(75.0), "75");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(number(52_428_800.0), Value::from(52_428_800i64));
        assert_eq!(shard_note("Shards1To3"), " of shards 1 to 3");
        assert_eq!(shard_note("Shard4"), " of shard 4");
        assert_eq!(shard_note(""), "");
    }
}
