//! ElastiCache service facts in data tables: engines and versions, parameter
//! group families, node types and their prices, limits, window formats.
//!
//! Sources (read 2026-11):
//! - engine versions: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html>
//! - parameter group families: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>
//! - node types: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html>
//! - limits: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html>
//! - prices: <https://aws.amazon.com/elasticache/pricing/> (on-demand, Redis OSS, us-east-1;
//!   Valkey node-based is priced 20 % lower, serverless as in [`SERVERLESS_PRICES`])

use std::fmt;
use std::str::FromStr;

/// The cache engine.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[non_exhaustive]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Redis OSS.
    Redis,
    /// Valkey.
    Valkey,
}

impl Engine {
    /// The CloudFormation value (`redis`, `valkey`).
    pub fn name(self) -> &'static str {
        match self {
            Engine::Redis => "redis",
            Engine::Valkey => "valkey",
        }
    }

    /// The newest engine version the library knows for this engine.
    pub fn latest_version(self) -> &'static str {
        match self {
            Engine::Redis => "7.1",
            Engine::Valkey => "8.1",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "redis" => Ok(Engine::Redis),
            "valkey" => Ok(Engine::Valkey),
            _ => Err(format!("unknown engine '{s}'; use redis or valkey")),
        }
    }
}

/// Engine versions ElastiCache accepts for node-based clusters, with the
/// parameter group family each one takes.
pub const ENGINE_VERSIONS: &[(Engine, &str, &str)] = &[
    (Engine::Redis, "4.0.10", "redis4.0"),
    (Engine::Redis, "5.0.0", "redis5.0"),
    (Engine::Redis, "5.0.3", "redis5.0"),
    (Engine::Redis, "5.0.4", "redis5.0"),
    (Engine::Redis, "5.0.5", "redis5.0"),
    (Engine::Redis, "5.0.6", "redis5.0"),
    (Engine::Redis, "6.0", "redis6.x"),
    (Engine::Redis, "6.2", "redis6.x"),
    (Engine::Redis, "6.x", "redis6.x"),
    (Engine::Redis, "7.0", "redis7"),
    (Engine::Redis, "7.1", "redis7"),
    (Engine::Valkey, "7.2", "valkey7"),
    (Engine::Valkey, "8.0", "valkey8"),
    (Engine::Valkey, "8.1", "valkey8"),
    (Engine::Valkey, "8.2", "valkey8"),
    (Engine::Valkey, "9.0", "valkey9"),
    (Engine::Valkey, "9.1", "valkey9"),
];

/// Every parameter group family for Redis and Valkey.
pub const FAMILIES: &[&str] = &[
    "redis2.6", "redis2.8", "redis3.2", "redis4.0", "redis5.0", "redis6.x", "redis7", "valkey7", "valkey8", "valkey9",
];

/// The parameter group family for `engine` at `version`, if the version is known.
pub fn parameter_group_family(engine: Engine, version: &str) -> Option<&'static str> {
    ENGINE_VERSIONS.iter().find(|(e, v, _)| *e == engine && *v == version).map(|(_, _, f)| *f)
}

/// The versions known for `engine`, comma-separated, for messages.
pub fn known_versions(engine: Engine) -> String {
    ENGINE_VERSIONS.iter().filter(|(e, _, _)| *e == engine).map(|(_, v, _)| *v).collect::<Vec<_>>().join(", ")
}

/// A node type: its size and on-demand price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeType {
    /// The name, such as `cache.r7g.large`.
    pub name: &'static str,
    /// vCPUs.
    pub vcpus: u32,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// On-demand price per node-hour in us-east-1, Redis OSS, USD.
    pub hourly_usd: f64,
    /// Whether the type supports data tiering (the `r6gd` family).
    pub data_tiering: bool,
}

macro_rules! nodes {
    ($($name:literal, $cpu:literal, $mem:literal, $price:literal);* $(;)?) => {
        &[$(NodeType { name: $name, vcpus: $cpu, memory_gib: $mem, hourly_usd: $price,
            data_tiering: matches!($name.as_bytes(), [b'c', b'a', b'c', b'h', b'e', b'.', b'r', b'6', b'g', b'd', ..]) }),*]
    };
}

/// Current ElastiCache node types for Redis and Valkey, sorted by name.
pub const NODE_TYPES: &[NodeType] = nodes![
    "cache.c7gn.12xlarge", 48, 78.26, 5.962;
    "cache.c7gn.16xlarge", 64, 105.81, 7.949;
    "cache.c7gn.2xlarge", 8, 12.94, 0.994;
    "cache.c7gn.4xlarge", 16, 26.05, 1.987;
    "cache.c7gn.8xlarge", 32, 52.26, 3.974;
    "cache.c7gn.large", 2, 3.09, 0.255;
    "cache.c7gn.xlarge", 4, 6.38, 0.497;
    "cache.m4.10xlarge", 40, 154.64, 3.112;
    "cache.m4.2xlarge", 8, 29.70, 0.623;
    "cache.m4.4xlarge", 16, 60.78, 1.245;
    "cache.m4.large", 2, 6.42, 0.156;
    "cache.m4.xlarge", 4, 14.28, 0.311;
    "cache.m5.12xlarge", 48, 157.12, 3.744;
    "cache.m5.24xlarge", 96, 314.32, 7.488;
    "cache.m5.2xlarge", 8, 26.04, 0.624;
    "cache.m5.4xlarge", 16, 52.26, 1.248;
    "cache.m5.large", 2, 6.38, 0.156;
    "cache.m5.xlarge", 4, 12.93, 0.312;
    "cache.m6g.12xlarge", 48, 157.12, 3.552;
    "cache.m6g.16xlarge", 64, 209.55, 4.736;
    "cache.m6g.2xlarge", 8, 26.04, 0.592;
    "cache.m6g.4xlarge", 16, 52.26, 1.184;
    "cache.m6g.8xlarge", 32, 103.68, 2.368;
    "cache.m6g.large", 2, 6.38, 0.149;
    "cache.m6g.xlarge", 4, 12.93, 0.296;
    "cache.m7g.12xlarge", 48, 157.12, 3.773;
    "cache.m7g.16xlarge", 64, 209.55, 5.030;
    "cache.m7g.2xlarge", 8, 26.04, 0.629;
    "cache.m7g.4xlarge", 16, 52.26, 1.258;
    "cache.m7g.8xlarge", 32, 103.68, 2.515;
    "cache.m7g.large", 2, 6.38, 0.158;
    "cache.m7g.xlarge", 4, 12.93, 0.315;
    "cache.r4.16xlarge", 64, 407.00, 7.280;
    "cache.r4.2xlarge", 8, 50.47, 0.910;
    "cache.r4.4xlarge", 16, 101.38, 1.820;
    "cache.r4.8xlarge", 32, 203.26, 3.640;
    "cache.r4.large", 2, 12.30, 0.228;
    "cache.r4.xlarge", 4, 25.05, 0.455;
    "cache.r5.12xlarge", 48, 317.77, 5.184;
    "cache.r5.24xlarge", 96, 635.61, 10.368;
    "cache.r5.2xlarge", 8, 52.82, 0.864;
    "cache.r5.4xlarge", 16, 105.81, 1.728;
    "cache.r5.large", 2, 13.07, 0.216;
    "cache.r5.xlarge", 4, 26.32, 0.432;
    "cache.r6g.12xlarge", 48, 317.77, 4.930;
    "cache.r6g.16xlarge", 64, 419.09, 6.573;
    "cache.r6g.2xlarge", 8, 52.82, 0.822;
    "cache.r6g.4xlarge", 16, 105.81, 1.643;
    "cache.r6g.8xlarge", 32, 209.55, 3.287;
    "cache.r6g.large", 2, 13.07, 0.206;
    "cache.r6g.xlarge", 4, 26.32, 0.411;
    "cache.r6gd.12xlarge", 48, 314.07, 9.403;
    "cache.r6gd.16xlarge", 64, 418.94, 12.537;
    "cache.r6gd.2xlarge", 8, 52.82, 1.567;
    "cache.r6gd.4xlarge", 16, 105.81, 3.134;
    "cache.r6gd.8xlarge", 32, 209.55, 6.269;
    "cache.r6gd.xlarge", 4, 26.32, 0.781;
    "cache.r7g.12xlarge", 48, 317.77, 5.254;
    "cache.r7g.16xlarge", 64, 419.09, 7.005;
    "cache.r7g.2xlarge", 8, 52.82, 0.876;
    "cache.r7g.4xlarge", 16, 105.81, 1.751;
    "cache.r7g.8xlarge", 32, 209.55, 3.503;
    "cache.r7g.large", 2, 13.07, 0.219;
    "cache.r7g.xlarge", 4, 26.32, 0.438;
    "cache.t2.medium", 2, 3.22, 0.068;
    "cache.t2.micro", 1, 0.555, 0.017;
    "cache.t2.small", 1, 1.55, 0.034;
    "cache.t3.medium", 2, 3.09, 0.068;
    "cache.t3.micro", 2, 0.5, 0.017;
    "cache.t3.small", 2, 1.37, 0.034;
    "cache.t4g.medium", 2, 3.09, 0.065;
    "cache.t4g.micro", 2, 0.5, 0.016;
    "cache.t4g.small", 2, 1.37, 0.032;
];

/// The node type named `name`, if ElastiCache offers it.
pub fn node_type(name: &str) -> Option<&'static NodeType> {
    NODE_TYPES.binary_search_by(|n| n.name.cmp(name)).ok().map(|i| &NODE_TYPES[i])
}

/// Price multiplier of a region relative to us-east-1 (on-demand), if known.
pub fn region_price_factor(region: &str) -> Option<f64> {
    REGION_PRICE_FACTORS.iter().find(|(r, _)| *r == region).map(|(_, f)| *f)
}

/// Regions with known prices and their multiplier relative to us-east-1.
///
/// Source: <https://aws.amazon.com/elasticache/pricing/> (on-demand node prices of each region
/// divided by us-east-1's, as recorded 2026-11). `synth cost` ([`crate::insight::cost`]) prices a
/// stack in its region with these and falls back to us-east-1 prices for regions not listed.
pub const REGION_PRICE_FACTORS: &[(&str, f64)] = &[
    ("us-east-1", 1.0),
    ("us-east-2", 1.0),
    ("us-west-2", 1.0),
    ("ca-central-1", 1.11),
    ("eu-west-1", 1.11),
    ("eu-central-1", 1.19),
];

/// Serverless prices in us-east-1 (USD): per GB-hour stored, per million ECPUs,
/// and the minimum billed storage in GB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServerlessPrice {
    /// The engine.
    pub engine: Engine,
    /// USD per GB-hour of data stored.
    pub gb_hour_usd: f64,
    /// USD per million ElastiCache Processing Units.
    pub million_ecpu_usd: f64,
    /// Minimum billed storage, GB.
    pub minimum_gb: f64,
}

/// Serverless prices per engine.
pub const SERVERLESS_PRICES: &[ServerlessPrice] = &[
    ServerlessPrice { engine: Engine::Redis, gb_hour_usd: 0.125, million_ecpu_usd: 0.0034, minimum_gb: 1.0 },
    ServerlessPrice { engine: Engine::Valkey, gb_hour_usd: 0.084, million_ecpu_usd: 0.0023, minimum_gb: 0.1 },
];

/// Valkey node-based clusters cost this fraction of the Redis OSS price.
pub const VALKEY_NODE_PRICE_FACTOR: f64 = 0.8;

/// Hours in a month for estimates (730, as AWS's calculator uses).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// The default Redis/Valkey port.
pub const DEFAULT_PORT: u16 = 6379;
/// The most replicas per node group (shard).
pub const MAX_REPLICAS: u32 = 5;
/// The most node groups (shards) in a cluster-mode group.
pub const MAX_SHARDS: u32 = 500;
/// The most nodes (primary plus replicas) in a cluster-mode-disabled group.
pub const MAX_NODES: u32 = 6;
/// The longest snapshot retention, in days.
pub const MAX_SNAPSHOT_RETENTION_DAYS: u32 = 35;
/// The shortest maintenance or snapshot window, in minutes.
pub const MIN_WINDOW_MINUTES: u32 = 60;
/// AUTH token length bounds.
pub const AUTH_TOKEN_LENGTH: (u32, u32) = (16, 128);
/// Characters ElastiCache rejects in an AUTH token (besides spaces and non-printables).
pub const AUTH_TOKEN_FORBIDDEN: &str = "@\"/";
/// The only punctuation ElastiCache accepts in an AUTH token.
pub const AUTH_TOKEN_ALLOWED_PUNCTUATION: &str = "!&#$^<>-";

const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// A weekly window `ddd:hh24:mi-ddd:hh24:mi` as minutes of the week (start, end).
///
/// # Errors
///
/// A message naming the expected format when `s` is not one.
pub fn parse_maintenance_window(s: &str) -> Result<(u32, u32), String> {
    let bad =
        || format!("'{s}' is not a window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), such as sun:05:00-sun:06:00");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let point = |p: &str| -> Option<u32> {
        let mut parts = p.split(':');
        let day = parts.next()?.to_ascii_lowercase();
        let d = DAYS.iter().position(|x| *x == day)? as u32;
        let (h, m) = hh_mi(parts.next()?, parts.next()?)?;
        parts.next().is_none().then_some(d * 1440 + h * 60 + m)
    };
    Ok((point(a).ok_or_else(bad)?, point(b).ok_or_else(bad)?))
}

/// A daily window `hh24:mi-hh24:mi` as minutes of the day (start, end).
///
/// # Errors
///
/// A message naming the expected format when `s` is not one.
pub fn parse_daily_window(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("'{s}' is not a window of the form hh24:mi-hh24:mi (UTC), such as 03:00-04:00");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let point = |p: &str| -> Option<u32> {
        let (h, m) = p.split_once(':')?;
        let (h, m) = hh_mi(h, m)?;
        Some(h * 60 + m)
    };
    Ok((point(a).ok_or_else(bad)?, point(b).ok_or_else(bad)?))
}

fn hh_mi(h: &str, m: &str) -> Option<(u32, u32)> {
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

/// Minutes in a week.
pub const WEEK_MINUTES: u32 = 7 * 1440;

/// The length in minutes of a weekly window (it may wrap past Saturday).
pub fn weekly_length((start, end): (u32, u32)) -> u32 {
    (end + WEEK_MINUTES - start) % WEEK_MINUTES
}

/// The length in minutes of a daily window (it may wrap past midnight).
pub fn daily_length((start, end): (u32, u32)) -> u32 {
    (end + 1440 - start) % 1440
}

/// Whether a daily snapshot window overlaps a weekly maintenance window on any day.
pub fn snapshot_overlaps_maintenance(snapshot: (u32, u32), maintenance: (u32, u32)) -> bool {
    let m_len = weekly_length(maintenance);
    let s_len = daily_length(snapshot);
    (0..7).any(|day| {
        let s_start = day * 1440 + snapshot.0;
        intervals_overlap(s_start, s_len, maintenance.0, m_len)
    })
}

/// Whether two weekly windows overlap.
pub fn weekly_windows_overlap(a: (u32, u32), b: (u32, u32)) -> bool {
    intervals_overlap(a.0, weekly_length(a), b.0, weekly_length(b))
}

fn intervals_overlap(a_start: u32, a_len: u32, b_start: u32, b_len: u32) -> bool {
    // On a circle of WEEK_MINUTES: a starts inside b, or b starts inside a.
    let inside = |x: u32, start: u32, len: u32| (x + WEEK_MINUTES - start) % WEEK_MINUTES < len;
    inside(a_start, b_start, b_len) || inside(b_start, a_start, a_len)
}

/// Formats minutes of the week as `ddd:hh24:mi`.
pub fn format_weekly_point(minutes: u32) -> String {
    let m = minutes % WEEK_MINUTES;
    format!("{}:{:02}:{:02}", DAYS[(m / 1440) as usize], (m % 1440) / 60, m % 60)
}

/// Formats minutes of the day as `hh24:mi`.
pub fn format_daily_point(minutes: u32) -> String {
    let m = minutes % 1440;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Checks a replication group id: 1 to 40 characters, lowercase letters, digits
/// and hyphens, starting with a letter, no two consecutive hyphens, not ending with one.
///
/// # Errors
///
/// What is wrong with the id.
pub fn check_replication_group_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 40 {
        return Err(format!("must be 1 to 40 characters, got {}", id.len()));
    }
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    if let Some(c) = id.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Err(format!("may contain only lowercase letters, digits and hyphens, found '{c}'"));
    }
    if id.contains("--") {
        return Err("must not contain two consecutive hyphens".into());
    }
    if id.ends_with('-') {
        return Err("must not end with a hyphen".into());
    }
    Ok(())
}

// ---- Serverless caches -------------------------------------------------------

/// Major engine versions a serverless cache accepts (`MajorEngineVersion`).
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html>
/// (serverless: Redis OSS 7, Valkey 7 and 8)
pub const SERVERLESS_MAJOR_VERSIONS: &[(Engine, &str)] =
    &[(Engine::Redis, "7"), (Engine::Valkey, "7"), (Engine::Valkey, "8")];

/// The major version a new serverless cache gets when none is given.
pub fn serverless_default_major_version(engine: Engine) -> &'static str {
    match engine {
        Engine::Redis => "7",
        Engine::Valkey => "8",
    }
}

/// `CacheUsageLimits.DataStorage` bounds, in GB (inclusive).
///
/// Source: <https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-elasticache-alpha.CacheUsageLimitsProperty.html>
/// (1 GB to 5,000 GB)
pub const SERVERLESS_DATA_STORAGE_GB: (u32, u32) = (1, 5_000);

/// `CacheUsageLimits.ECPUPerSecond` bounds (inclusive).
///
/// Source: <https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-elasticache-alpha.CacheUsageLimitsProperty.html>
/// (1,000 to 15,000,000 ECPU/s)
pub const SERVERLESS_ECPU_PER_SECOND: (u32, u32) = (1_000, 15_000_000);

/// The port of a serverless cache's primary endpoint.
pub const SERVERLESS_PORT: u16 = 6379;

/// The port of a serverless cache's reader endpoint (reads from replicas).
pub const SERVERLESS_READER_PORT: u16 = 6380;

/// The average load assumed by serverless cost estimates, in ECPUs per second
/// (about 1,000 simple reads or writes of up to 1 KB each second, around the clock).
pub const SERVERLESS_ASSUMED_ECPU_PER_SECOND: f64 = 1_000.0;

/// The serverless price row of `engine`.
pub fn serverless_price(engine: Engine) -> Option<&'static ServerlessPrice> {
    SERVERLESS_PRICES.iter().find(|p| p.engine == engine)
}

// ---- RBAC users ---------------------------------------------------------------

/// The access string ElastiCache documents for a user with full access.
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html>
pub const FULL_ACCESS_STRING: &str = "on ~* +@all";

/// The most passwords an RBAC user can have (two while rotating).
pub const MAX_USER_PASSWORDS: usize = 2;

/// The id of the user ElastiCache creates in every account: it cannot be created again.
pub const BUILT_IN_DEFAULT_USER_ID: &str = "default";

/// Checks an RBAC user id or user group id against the CloudFormation pattern
/// `[a-z][a-z0-9\\-]*` (read as anchored): a lowercase letter, then lowercase
/// letters, digits and hyphens.
///
/// # Errors
///
/// What is wrong with the id.
pub fn check_rbac_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("must not be empty".into());
    }
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    if let Some(c) = id.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Err(format!("may contain only lowercase letters, digits and hyphens, found '{c}'"));
    }
    Ok(())
}

// ---- CloudWatch alarms ----------------------------------------------------------

/// The most metrics (`MetricStat` entries) one metric-math alarm can read.
///
/// Source: <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html>
pub const MAX_ALARM_METRICS: usize = 10;

/// The most actions per alarm state (`AlarmActions`, `OKActions`).
pub const MAX_ALARM_ACTIONS: usize = 5;

/// The longest evaluation range of an alarm (period × evaluation periods), in seconds.
pub const MAX_ALARM_EVALUATION_SECONDS: u32 = 86_400;

/// Whether `seconds` is an alarm period CloudWatch accepts: 10, 30 or a multiple of 60.
pub fn is_valid_alarm_period(seconds: u32) -> bool {
    seconds == 10 || seconds == 30 || (seconds > 0 && seconds % 60 == 0)
}

/// How often ElastiCache publishes its metrics, in seconds.
pub const ELASTICACHE_METRIC_RESOLUTION_SECONDS: u32 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_consistent() {
        assert!(NODE_TYPES.windows(2).all(|w| w[0].name < w[1].name));
        assert!(node_type("cache.r6gd.xlarge").unwrap().data_tiering);
        assert!(!node_type("cache.r6g.xlarge").unwrap().data_tiering);
        assert!(node_type("cache.t4g.nano").is_none());
        for (_, _, family) in ENGINE_VERSIONS {
            assert!(FAMILIES.contains(family));
        }
        assert_eq!(parameter_group_family(Engine::Redis, "7.1"), Some("redis7"));
        assert_eq!(parameter_group_family(Engine::Valkey, "8.0"), Some("valkey8"));
        assert_eq!(parameter_group_family(Engine::Valkey, "7.1"), None);
        assert!(parameter_group_family(Engine::Redis, Engine::Redis.latest_version()).is_some());
        assert!(parameter_group_family(Engine::Valkey, Engine::Valkey.latest_version()).is_some());
    }

    #[test]
    fn windows_parse_and_overlap() {
        let m = parse_maintenance_window("sun:05:00-sun:06:00").unwrap();
        assert_eq!(m, (300, 360));
        assert_eq!(weekly_length(m), 60);
        assert_eq!(weekly_length(parse_maintenance_window("sat:23:30-sun:00:30").unwrap()), 60);
        assert!(parse_maintenance_window("sun:5:00-sun:06:00").is_err());
        assert!(parse_maintenance_window("xyz:05:00-sun:06:00").is_err());
        let s = parse_daily_window("05:30-06:30").unwrap();
        assert!(snapshot_overlaps_maintenance(s, m));
        assert!(!snapshot_overlaps_maintenance(parse_daily_window("03:00-04:00").unwrap(), m));
        assert!(snapshot_overlaps_maintenance(
            parse_daily_window("23:30-00:30").unwrap(),
            parse_maintenance_window("mon:00:00-mon:01:00").unwrap()
        ));
        assert!(parse_daily_window("24:00-01:00").is_err());
        assert_eq!(format_weekly_point(WEEK_MINUTES + 61), "sun:01:01");
        assert_eq!(format_daily_point(1439), "23:59");
        assert!(!weekly_windows_overlap((300, 360), (360, 420)));
        assert!(weekly_windows_overlap((300, 360), (359, 420)));
    }

    #[test]
    fn replication_group_ids() {
        assert!(check_replication_group_id("chat-state-1").is_ok());
        for bad in ["", "1abc", "Abc", "a--b", "a-", "a_b", &"a".repeat(41)] {
            assert!(check_replication_group_id(bad).is_err(), "{bad}");
        }
    }
}
