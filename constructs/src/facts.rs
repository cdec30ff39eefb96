//! ElastiCache service facts in data tables: engines and versions, parameter
//! group families, node types and their prices, limits, window formats.
//!
//! What a machine can read comes from AWS-derived data, generated into [`data`] by
//! `scripts/gen-facts.py` from pinned cfn-lint and botocore packages: the engine
//! versions ElastiCache offers, the node types of each region, the API's
//! enumerations. The rest is kept by hand here, each table naming the AWS page it
//! comes from (read 2026-11 and 2026-12):
//! - end of life, deprecation and Extended Support: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html>
//! - parameter group families: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>
//! - node sizes: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html>
//! - limits: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html>
//!   and <https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html>
//! - prices: <https://aws.amazon.com/elasticache/pricing/> (on-demand, Redis OSS, us-east-1;
//!   Valkey node-based is priced 20 % lower, serverless as in [`SERVERLESS_PRICES`])

#[rustfmt::skip]
pub mod data;

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

    /// The newest engine version ElastiCache offers for this engine, as the
    /// generated data ([`data`]) lists it.
    pub fn latest_version(self) -> &'static str {
        engine_versions(self).last().copied().unwrap_or("")
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

/// The engine versions ElastiCache offers for `engine`'s node-based caches, oldest
/// first, as the generated data ([`data`]) lists them.
pub fn engine_versions(engine: Engine) -> &'static [&'static str] {
    match engine {
        Engine::Redis => data::REDIS_VERSIONS,
        Engine::Valkey => data::VALKEY_VERSIONS,
    }
}

/// Every parameter group family for Redis and Valkey.
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>
pub const FAMILIES: &[&str] = &[
    "redis2.6", "redis2.8", "redis3.2", "redis4.0", "redis5.0", "redis6.x", "redis7", "valkey7", "valkey8", "valkey9",
];

/// The parameter group family of `engine` at `version`, by the version's major (and
/// for Redis before 6, minor) number, whether or not ElastiCache still offers the
/// version: Redis 2.6-5.0 `redisM.m`, 6.x `redis6.x`, 7.x `redis7`; Valkey N.x `valkeyN`.
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>
pub fn family_of(engine: Engine, version: &str) -> Option<&'static str> {
    let mut parts = version.split('.');
    let major = parts.next()?;
    let minor = parts.next().unwrap_or("");
    let family = match (engine, major, minor) {
        (Engine::Redis, "2", "6") => "redis2.6",
        (Engine::Redis, "2", "8") => "redis2.8",
        (Engine::Redis, "3", "2") => "redis3.2",
        (Engine::Redis, "4", "0") => "redis4.0",
        (Engine::Redis, "5", "0") => "redis5.0",
        (Engine::Redis, "6", _) => "redis6.x",
        (Engine::Redis, "7", _) => "redis7",
        (Engine::Valkey, "7", _) => "valkey7",
        (Engine::Valkey, "8", _) => "valkey8",
        (Engine::Valkey, "9", _) => "valkey9",
        _ => return None,
    };
    Some(family)
}

/// The parameter group family `engine` at `version` takes, if ElastiCache offers the version.
pub fn parameter_group_family(engine: Engine, version: &str) -> Option<&'static str> {
    engine_versions(engine).contains(&version).then(|| family_of(engine, version)).flatten()
}

/// The versions offered for `engine`, comma-separated, for messages.
pub fn known_versions(engine: Engine) -> String {
    engine_versions(engine).join(", ")
}

/// Engine versions ElastiCache no longer offers, with what AWS says of them.
/// Versions not offered and not listed here are unknown.
pub const ENDED_VERSIONS: &[VersionEnd] = &[
    VersionEnd {
        engine: Engine::Redis,
        version: "2.6.",
        what: "past end of life (since 2023-01-13)",
        source: ENGINE_VERSIONS_PAGE,
    },
    VersionEnd {
        engine: Engine::Redis,
        version: "2.8.",
        what: "past end of life (since 2023-01-13)",
        source: ENGINE_VERSIONS_PAGE,
    },
    VersionEnd {
        engine: Engine::Redis,
        version: "3.2.",
        what: "past end of life (since 2023-07-31)",
        source: ENGINE_VERSIONS_PAGE,
    },
    VersionEnd { engine: Engine::Redis, version: "5.0.0", what: DEPRECATED_5_0, source: ENGINE_VERSIONS_PAGE },
    VersionEnd { engine: Engine::Redis, version: "5.0.3", what: DEPRECATED_5_0, source: ENGINE_VERSIONS_PAGE },
    VersionEnd { engine: Engine::Redis, version: "5.0.4", what: DEPRECATED_5_0, source: ENGINE_VERSIONS_PAGE },
    VersionEnd { engine: Engine::Redis, version: "5.0.5", what: DEPRECATED_5_0, source: ENGINE_VERSIONS_PAGE },
];

/// The AWS page of engine versions, their deprecation and end of life ("Past End of
/// Life (EOL) versions", "ElastiCache versions from 5.0.0 to 5.0.5 for Redis OSS are
/// deprecated. Use versions 5.0.6 or greater.").
const ENGINE_VERSIONS_PAGE: &str = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html";
const DEPRECATED_5_0: &str = "deprecated (AWS: use 5.0.6 or later) and no longer offered by the ElastiCache API";

/// Version names the API takes besides the versions it lists: `6.x`, "the latest
/// minor version of Redis OSS 6" (source: the engine versions page, "Specifying engine
/// version 6.x in the API will result in the latest minor version of Redis OSS 6").
pub const VERSION_ALIASES: &[(Engine, &str, &str)] = &[(Engine::Redis, "6.x", "redis6.x")];

/// Extended Support of an engine's major version: standard support ended, and
/// ElastiCache charges for the years until the version's end of life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtendedSupport {
    /// The engine.
    pub engine: Engine,
    /// The major version, such as `4.`.
    pub major: &'static str,
    /// The last day of standard support.
    pub standard_end: &'static str,
    /// The first day Extended Support is charged.
    pub charged_from: &'static str,
    /// The end of Extended Support and of the version.
    pub extended_end: &'static str,
}

/// The Extended Support schedule (source: the engine versions page, "Extended Support
/// and End of Life schedule": "Redis OSS v4 1/31/2026 2/1/2026 ... 1/31/2029", "Redis OSS
/// v5 1/31/2026 ... 1/31/2029", "Redis OSS v6 1/31/2027 2/1/2027 ... 1/31/2030").
pub const EXTENDED_SUPPORT: &[ExtendedSupport] = &[
    ExtendedSupport {
        engine: Engine::Redis,
        major: "4.",
        standard_end: "2026-01-31",
        charged_from: "2026-02-01",
        extended_end: "2029-01-31",
    },
    ExtendedSupport {
        engine: Engine::Redis,
        major: "5.",
        standard_end: "2026-01-31",
        charged_from: "2026-02-01",
        extended_end: "2029-01-31",
    },
    ExtendedSupport {
        engine: Engine::Redis,
        major: "6.",
        standard_end: "2027-01-31",
        charged_from: "2027-02-01",
        extended_end: "2030-01-31",
    },
];

/// The Extended Support row of `version`, if its standard support had ended by the
/// date of the data ([`data::DATE`]: a fixed date, so a template's findings do not
/// change from one day to the next).
pub fn extended_support(engine: Engine, version: &str) -> Option<&'static ExtendedSupport> {
    EXTENDED_SUPPORT.iter().find(|s| s.engine == engine && version.starts_with(s.major) && s.standard_end < data::DATE)
}

/// Whether dotted version `a` is below `b` (`5.0.5` < `5.0.6` < `6.0`); a part that
/// is not a number (`6.x`) compares as above every number.
pub fn version_below(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(u64::MAX)).collect() };
    parts(a) < parts(b)
}

/// A version ElastiCache no longer offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionEnd {
    /// The engine.
    pub engine: Engine,
    /// The version, or a prefix ending in `.` that covers several (`2.8.`).
    pub version: &'static str,
    /// What happened and when, for messages (`end of life since 2023-...`).
    pub what: &'static str,
    /// The AWS page that says so.
    pub source: &'static str,
}

/// What the data says of an engine version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    /// ElastiCache offers it; new caches take this parameter group family.
    Offered(&'static str),
    /// ElastiCache no longer offers it.
    Ended(&'static VersionEnd),
    /// Well-formed and newer than the newest version of the data: possibly released since.
    Newer,
    /// Not a version of this engine.
    Unknown,
}

/// The status of `version` of `engine`.
pub fn version_status(engine: Engine, version: &str) -> VersionStatus {
    if let Some(f) = parameter_group_family(engine, version) {
        return VersionStatus::Offered(f);
    }
    if let Some((_, _, f)) = VERSION_ALIASES.iter().find(|(e, v, _)| *e == engine && *v == version) {
        return VersionStatus::Offered(f);
    }
    let ended = ENDED_VERSIONS.iter().find(|e| {
        e.engine == engine
            && (e.version == version
                || e.version.strip_suffix('.').is_some_and(|minor| version == minor || version.starts_with(e.version)))
    });
    if let Some(e) = ended {
        return VersionStatus::Ended(e);
    }
    let numeric = version.split('.').count() >= 2 && version.split('.').all(|p| p.parse::<u32>().is_ok());
    match engine_versions(engine).last() {
        Some(newest) if numeric && version_below(newest, version) => VersionStatus::Newer,
        _ => VersionStatus::Unknown,
    }
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
    /// Offered for Valkey (and Memcached) only, not Redis OSS: `hourly_usd` is then
    /// the Valkey price.
    pub valkey_only: bool,
}

impl NodeType {
    /// The on-demand price per node-hour in us-east-1 for `engine`, if ElastiCache
    /// offers the type for it: Valkey at [`VALKEY_NODE_PRICE_FACTOR`] of the Redis OSS
    /// price, or its own price on a Valkey-only type.
    pub fn hourly_usd_for(&self, engine: Engine) -> Option<f64> {
        match (engine, self.valkey_only) {
            (Engine::Redis, true) => None,
            (Engine::Valkey, false) => Some(self.hourly_usd * VALKEY_NODE_PRICE_FACTOR),
            _ => Some(self.hourly_usd),
        }
    }
}

macro_rules! nodes {
    ($($name:literal, $cpu:literal, $mem:literal, $price:literal $(, $valkey_only:ident)?);* $(;)?) => {
        &[$(NodeType { name: $name, vcpus: $cpu, memory_gib: $mem, hourly_usd: $price,
            data_tiering: has_data_tiering($name),
            valkey_only: nodes!(@only $($valkey_only)?) }),*]
    };
    (@only valkey_only) => { true };
    (@only) => { false };
}

/// Sizes and prices of the ElastiCache node types for Redis and Valkey, sorted by
/// name (hand-kept: no machine-readable AWS source has them). Whether and where a
/// type is offered is the generated data's answer ([`node_type_regions`]).
///
/// The `valkey_only` rows (`c8gn`, `m8g`, `r8g`): memory from the "Supported node
/// types" page's Valkey tables, whose Redis OSS tables do not list these families
/// (<https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html>);
/// vCPUs those of the EC2 instance of the same name (no ElastiCache page gives them);
/// prices the us-east-1 Valkey on-demand rows of the AWS Price List API as copied
/// 2026-10-02 (the pricing page itself could not be read here).
pub const NODE_TYPES: &[NodeType] = nodes![
    "cache.c7gn.12xlarge", 48, 78.26, 5.962;
    "cache.c7gn.16xlarge", 64, 105.81, 7.949;
    "cache.c7gn.2xlarge", 8, 12.94, 0.994;
    "cache.c7gn.4xlarge", 16, 26.05, 1.987;
    "cache.c7gn.8xlarge", 32, 52.26, 3.974;
    "cache.c7gn.large", 2, 3.09, 0.255;
    "cache.c7gn.xlarge", 4, 6.38, 0.497;
    "cache.c8gn.12xlarge", 48, 92.99, 4.4088, valkey_only;
    "cache.c8gn.16xlarge", 64, 124.65, 5.8784, valkey_only;
    "cache.c8gn.2xlarge", 8, 14.18, 0.7348, valkey_only;
    "cache.c8gn.4xlarge", 16, 29.68, 1.4696, valkey_only;
    "cache.c8gn.8xlarge", 32, 61.33, 2.9392, valkey_only;
    "cache.c8gn.large", 2, 3.1, 0.1837, valkey_only;
    "cache.c8gn.xlarge", 4, 6.79, 0.3674, valkey_only;
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
    "cache.m8g.12xlarge", 48, 187.96, 3.0375, valkey_only;
    "cache.m8g.16xlarge", 64, 251.27, 4.05, valkey_only;
    "cache.m8g.2xlarge", 8, 29.68, 0.5062, valkey_only;
    "cache.m8g.4xlarge", 16, 61.33, 1.0125, valkey_only;
    "cache.m8g.8xlarge", 32, 124.65, 2.025, valkey_only;
    "cache.m8g.large", 2, 6.79, 0.1266, valkey_only;
    "cache.m8g.xlarge", 4, 14.18, 0.2531, valkey_only;
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
    "cache.r8g.12xlarge", 48, 377.9, 4.2132, valkey_only;
    "cache.r8g.16xlarge", 64, 504.52, 5.6177, valkey_only;
    "cache.r8g.2xlarge", 8, 61.33, 0.7022, valkey_only;
    "cache.r8g.4xlarge", 16, 124.65, 1.4044, valkey_only;
    "cache.r8g.8xlarge", 32, 251.27, 2.8088, valkey_only;
    "cache.r8g.large", 2, 14.18, 0.1756, valkey_only;
    "cache.r8g.xlarge", 4, 29.68, 0.3511, valkey_only;
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

/// The size and price row of node type `name`, if the hand-kept table has one.
/// Whether ElastiCache offers a type, and where, is [`node_type_regions`]'s answer.
pub fn node_type(name: &str) -> Option<&'static NodeType> {
    NODE_TYPES.binary_search_by(|n| n.name.cmp(name)).ok().map(|i| &NODE_TYPES[i])
}

/// The regions that offer node type `name` (a mask over [`data::REGIONS`]), if the
/// generated data lists the type.
pub fn node_type_regions(name: &str) -> Option<u64> {
    data::NODE_TYPES.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| data::NODE_TYPES[i].1)
}

/// Whether node type `name` is offered in `region`: `None` when the data does not
/// list the type or does not know the region.
pub fn node_type_offered_in(name: &str, region: &str) -> Option<bool> {
    Some(node_type_regions(name)? & region_bit(region)? != 0)
}

/// The bit of `region` in the masks of [`data::NODE_TYPES`], if the data knows the region.
pub fn region_bit(region: &str) -> Option<u64> {
    data::REGIONS.iter().position(|r| *r == region).map(|i| 1 << i)
}

/// The regions of a mask over [`data::REGIONS`].
pub fn regions_of(mask: u64) -> impl Iterator<Item = &'static str> {
    data::REGIONS.iter().enumerate().filter(move |(i, _)| mask & (1 << i) != 0).map(|(_, r)| *r)
}

/// The node types of the data offered in `region` (all of them for `None`) whose
/// family is `family` (`cache.r7g`), for hints.
pub fn node_types_of_family(family: &str, region: Option<&str>) -> Vec<&'static str> {
    let bit = region.and_then(region_bit);
    let in_region = |mask: u64| bit.is_none_or(|b| mask & b != 0);
    data::NODE_TYPES
        .iter()
        .filter(|(n, mask)| n.rsplit_once('.').is_some_and(|(f, _)| f == family) && in_region(*mask))
        .map(|(n, _)| *n)
        .collect()
}

/// Whether node type `name` belongs to an older generation of a family the data
/// lists (`cache.r3.large` when `r4`..`r8g` are listed): such types are retired,
/// not newer than the data.
pub fn is_retired_generation(name: &str) -> bool {
    let Some(family) = name.strip_prefix("cache.").and_then(|n| n.split('.').next()) else { return false };
    let split = |f: &str| -> Option<(String, u32)> {
        let letters: String = f.chars().take_while(|c| c.is_ascii_lowercase()).collect();
        let digits: String = f[letters.len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
        Some((letters, digits.parse().ok()?))
    };
    let Some((letters, generation)) = split(family) else { return false };
    data::NODE_TYPES
        .iter()
        .filter_map(|(n, _)| split(n.strip_prefix("cache.")?.split('.').next()?))
        .any(|(l, g)| l == letters && g > generation)
}

/// Whether `name` has the shape of an ElastiCache node type, `cache.<family>.<size>`,
/// with a family such as `r7g` or `c7gn` (letters, a generation number, letters) and
/// a size such as `large`, `xlarge` or `12xlarge`: a type the data does not list
/// yet may be newer than the data, where a name of another shape cannot be a type.
pub fn is_node_type_shaped(name: &str) -> bool {
    let mut parts = name.split('.');
    let (Some("cache"), Some(family), Some(size), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let letters = family.trim_start_matches(|c: char| c.is_ascii_lowercase());
    let rest = letters.trim_start_matches(|c: char| c.is_ascii_digit());
    let family_ok =
        letters.len() < family.len() && rest.len() < letters.len() && rest.chars().all(|c| c.is_ascii_lowercase());
    let size_ok = matches!(size, "nano" | "micro" | "small" | "medium" | "large" | "xlarge" | "metal")
        || size.strip_suffix("xlarge").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    family_ok && size_ok
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

/// Whether node type `name` has an SSD tier and needs data tiering (the `r6gd` family).
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html>
pub const fn has_data_tiering(name: &str) -> bool {
    matches!(name.as_bytes(), [b'c', b'a', b'c', b'h', b'e', b'.', b'r', b'6', b'g', b'd', b'.', ..])
}

/// The most nodes (shards x (1 + replicas)) in one cluster-mode group, engine 5.0.6
/// or later, and below that ([`MAX_CLUSTER_NODES_BEFORE_5_0_6`]); the default quota is
/// [`DEFAULT_CLUSTER_NODE_QUOTA`].
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html>
/// ("comprised of from 1 to 90 shards", "can be increased to a maximum of 500 per
/// cluster if the Valkey or Redis OSS engine version is 5.0.6 or higher", "For
/// versions below 5.0.6, the limit is 250 per cluster").
pub const MAX_CLUSTER_NODES: u32 = 500;
/// The most nodes in one cluster-mode group below Redis OSS 5.0.6.
pub const MAX_CLUSTER_NODES_BEFORE_5_0_6: u32 = 250;
/// The default quota of nodes per cluster, raised on request up to [`MAX_CLUSTER_NODES`].
pub const DEFAULT_CLUSTER_NODE_QUOTA: u32 = 90;

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
/// AUTH token length bounds (an RBAC user's password has the same).
pub const AUTH_TOKEN_LENGTH: (u32, u32) = (16, 128);

/// Why a generated secret of `length` characters, used as `what` (`"AUTH token"`,
/// `"password"`: both 16 to 128 characters, [`AUTH_TOKEN_LENGTH`]), is one
/// ElastiCache refuses, or `None`: the one SEC003 length check of the constructs.
pub fn secret_length_problem(what: &str, length: u32) -> Option<String> {
    let (min, max) = AUTH_TOKEN_LENGTH;
    (!(min..=max).contains(&length)).then(|| {
        format!("{what} length must be between {min} and {max} characters (ElastiCache's {what} limits), got {length}; use 32 or more")
    })
}
/// Characters ElastiCache rejects in an AUTH token (besides spaces and non-printables).
pub const AUTH_TOKEN_FORBIDDEN: &str = "@\"/";
/// Characters ElastiCache rejects in an RBAC user's password (besides non-printables).
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html>
pub const USER_PASSWORD_FORBIDDEN: &str = ",\"/@";
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
/// Neither the CreateServerlessCache API nor CloudFormation lists the values; the
/// AWS CDK's `CacheEngine` names "the versions currently available on ElastiCache
/// Serverless": Redis OSS 7, Valkey 7, 8 and 9
/// (<https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-elasticache-alpha.CacheEngine.html>),
/// and the engine versions page says serverless supports "all Redis OSS versions
/// 7.1 and before". A Valkey major newer than these is a dated warning (EC026); a
/// Redis OSS major above 7 does not exist on ElastiCache.
pub const SERVERLESS_MAJOR_VERSIONS: &[(Engine, &str)] =
    &[(Engine::Redis, "7"), (Engine::Valkey, "7"), (Engine::Valkey, "8"), (Engine::Valkey, "9")];

/// The major version the library gives a new serverless cache when none is given:
/// the newest, as the service itself chooses when the property is left out ("When
/// `undefined`, the service selects the latest major version automatically", the
/// AWS CDK page above).
pub fn serverless_default_major_version(engine: Engine) -> &'static str {
    SERVERLESS_MAJOR_VERSIONS.iter().rev().find(|(e, _)| *e == engine).map_or("", |(_, v)| *v)
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

// ---- Parameter groups ---------------------------------------------------------------

/// What ElastiCache says of one parameter group value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterCheck {
    /// Accepted.
    Ok,
    /// Not a parameter the table knows: it may be valid; check it against the family.
    Unknown,
    /// Rejected, with the fix.
    Rejected(String),
}

/// The eviction policies (`maxmemory-policy`).
pub const EVICTION_POLICIES: &[&str] = &[
    "volatile-lru",
    "allkeys-lru",
    "volatile-lfu",
    "allkeys-lfu",
    "volatile-random",
    "allkeys-random",
    "volatile-ttl",
    "noeviction",
];

/// The eviction policies data tiering (`r6gd`) allows (source:
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html>, "Data
/// tiering only supports volatile-lru, allkeys-lru and noeviction maxmemory policies").
pub const DATA_TIERING_EVICTION_POLICIES: &[&str] = &["volatile-lru", "allkeys-lru", "noeviction"];

/// A parameter whose ElastiCache default differs from the open-source engine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElastiCacheDefault {
    /// The parameter.
    pub name: &'static str,
    /// ElastiCache's default.
    pub value: &'static str,
    /// Only in cluster mode.
    pub cluster_only: bool,
    /// Only for these families (empty: every Redis OSS 7 and Valkey family).
    pub families: &'static [&'static str],
}

/// ElastiCache's defaults that differ from the open-source engine's, where the
/// engine has the parameter: what a cache runs when its parameter group leaves
/// them out. `synth local` applies them before the group's own values. From
/// "Engine specific parameters",
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>
/// (read 2026-12-02; the page lists each default in the version that changed it:
/// `maxmemory-policy` volatile-lru (2.6.13), `active-defrag-cycle-max` 75 (4.0.10),
/// `active-defrag-cycle-min` 5 (5.0), `cluster-require-full-coverage` no (3.2.4),
/// `acl-pubsub-default` allchannels (6.x), `latency-tracking` no (7),
/// `maxmemory-samples` 3 (Valkey 8.0, and "By default, Redis OSS chooses 3 keys"),
/// `extended-redis-compatibility` yes (Valkey 8.0)); the open-source defaults from
/// `src/config.c` of Redis 7.0.15 and Valkey 7.2.7/8.0.1. Left out: `maxclients`
/// 65000 (not modifiable; a laptop's file limit decides) and ElastiCache's own
/// parameters (`reserved-memory-percent` 25, `close-on-replica-write` yes), which no
/// engine has.
pub const ELASTICACHE_DEFAULTS: &[ElastiCacheDefault] = &[
    ElastiCacheDefault { name: "maxmemory-policy", value: "volatile-lru", cluster_only: false, families: &[] },
    ElastiCacheDefault { name: "maxmemory-samples", value: "3", cluster_only: false, families: &[] },
    ElastiCacheDefault { name: "acl-pubsub-default", value: "allchannels", cluster_only: false, families: &[] },
    ElastiCacheDefault { name: "latency-tracking", value: "no", cluster_only: false, families: &[] },
    ElastiCacheDefault { name: "active-defrag-cycle-min", value: "5", cluster_only: false, families: &[] },
    ElastiCacheDefault { name: "active-defrag-cycle-max", value: "75", cluster_only: false, families: &[] },
    ElastiCacheDefault { name: "cluster-require-full-coverage", value: "no", cluster_only: true, families: &[] },
    ElastiCacheDefault {
        name: "extended-redis-compatibility",
        value: "yes",
        cluster_only: false,
        families: &["valkey8", "valkey9"],
    },
];

/// Parameters ElastiCache does not let a parameter group change ("Modifiable: No",
/// or not supported since Redis OSS 2.8.22 for the append-only file).
const NOT_MODIFIABLE: &[&str] = &["maxclients", "appendonly", "appendfsync", "repl-timeout", "lua-time-limit"];

/// Parameters the valkey8 family removed ("Removed parameter groups in Valkey 8.0"),
/// and so also valkey9, which builds on it.
const REMOVED_IN_VALKEY_8: &[&str] = &[
    "lazyfree-lazy-eviction",
    "lazyfree-lazy-expire",
    "lazyfree-lazy-server-del",
    "lazyfree-lazy-user-del",
    "replica-lazy-flush",
];

/// Checks a parameter group value for `family` (`None` when unknown), by the
/// "Engine specific parameters" page,
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>:
/// what cannot be modified, what a family removed, and the documented values
/// (`timeout` "0 ... 1-19 invalid values ... >=20"; `maxmemory-samples` "1 to 64" from
/// Valkey 8.0, no documented bound before it but a positive count; the
/// `maxmemory-policy`, yes/no and keyspace-event values). Parameters the page
/// documents without a bound are checked only for their type.
pub fn check_parameter(family: Option<&str>, name: &str, value: &str) -> ParameterCheck {
    use ParameterCheck::{Ok as Fine, Rejected, Unknown};
    let valkey8_on = family.is_some_and(|f| f == "valkey8" || f == "valkey9");
    if NOT_MODIFIABLE.contains(&name) {
        return Rejected(format!("ElastiCache does not let a parameter group change {name}; remove it"));
    }
    if valkey8_on && REMOVED_IN_VALKEY_8.contains(&name) {
        return Rejected(format!(
            "{name} was removed in Valkey 8 (family {}); remove it (Valkey frees lazily by default)",
            family.unwrap_or_default()
        ));
    }
    let int = |lo: i64, hi: i64| match value.trim().parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Fine,
        _ if hi == i64::MAX => Rejected(format!("use a whole number of at least {lo}")),
        _ => Rejected(format!("use a whole number from {lo} to {hi}")),
    };
    let one_of = |allowed: &[&str]| {
        if allowed.contains(&value) {
            Fine
        } else {
            Rejected(format!("use one of {}", allowed.join(", ")))
        }
    };
    match name {
        "activedefrag"
        | "cluster-enabled"
        | "lazyfree-lazy-eviction"
        | "lazyfree-lazy-expire"
        | "lazyfree-lazy-server-del"
        | "lazyfree-lazy-user-del"
        | "replica-lazy-flush" => one_of(&["yes", "no"]),
        "databases" => int(1, 1_200_000),
        "maxmemory-policy" => one_of(EVICTION_POLICIES),
        "maxmemory-samples" if valkey8_on => int(1, 64),
        "maxmemory-samples" => int(1, i64::MAX),
        "notify-keyspace-events" => {
            const FLAGS: &str = "KEg$lshzxeAtmdn";
            match value.chars().find(|c| !FLAGS.contains(*c)) {
                None => Fine,
                Some(c) => Rejected(format!(
                    "'{c}' is not a keyspace event flag; use flags from {FLAGS} (such as Ex for expired keys)"
                )),
            }
        }
        "reserved-memory-percent" => int(0, 100),
        "slowlog-log-slower-than" => int(-1, i64::MAX),
        "slowlog-max-len" | "tcp-keepalive" => int(0, i64::MAX),
        "timeout" => match value.trim().parse::<i64>() {
            Ok(0) => Fine,
            Ok(n) if n >= 20 => Fine,
            _ => Rejected("use 0 (never disconnect idle clients) or 20 seconds or more; 1 to 19 are invalid".into()),
        },
        _ => Unknown,
    }
}

// ---- CloudWatch alarms ----------------------------------------------------------

/// The most metrics (`MetricStat` entries) one metric-math alarm can read.
///
/// Source: <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html>
pub const MAX_ALARM_METRICS: usize = 10;

/// The most actions per alarm state (`AlarmActions`, `OKActions`).
pub const MAX_ALARM_ACTIONS: usize = 5;

/// The longest evaluation range of an alarm (period × evaluation periods), in
/// seconds, for periods under an hour; for an hour or more it is
/// [`MAX_ALARM_EVALUATION_SECONDS_HOURLY`] ([`max_alarm_evaluation_seconds`]).
///
/// Source: <https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html>
/// ("Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For
/// alarms with a period of less than one hour (3,600 seconds), the total evaluation
/// period can't be longer than one day (86,400 seconds).")
pub const MAX_ALARM_EVALUATION_SECONDS: u32 = 86_400;
/// The longest evaluation range of an alarm whose period is an hour or more.
pub const MAX_ALARM_EVALUATION_SECONDS_HOURLY: u32 = 604_800;

/// The longest evaluation range (period × evaluation periods) for `period` seconds.
pub fn max_alarm_evaluation_seconds(period: u32) -> u32 {
    if period >= 3_600 {
        MAX_ALARM_EVALUATION_SECONDS_HOURLY
    } else {
        MAX_ALARM_EVALUATION_SECONDS
    }
}

/// Whether `seconds` is an alarm period CloudWatch accepts: 10, 20, 30 or a multiple
/// of 60 (source: PutMetricAlarm, "Valid values are 10, 20, 30, and any multiple of 60").
pub fn is_valid_alarm_period(seconds: u32) -> bool {
    matches!(seconds, 10 | 20 | 30) || (seconds > 0 && seconds % 60 == 0)
}

/// The `maxclients` of a node type: 65,000, except the small burstable types.
///
/// Source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>
/// ("maxclients ... Default: 65000 ... Modifiable: No"; "t2.micro/t2.small/t2.medium,
/// t3.micro, t4g.micro Default: 20000"; "t3.small, t3.medium Default: 46000").
pub fn maxclients(node_type: &str) -> u32 {
    match node_type {
        "cache.t2.micro" | "cache.t2.small" | "cache.t2.medium" | "cache.t3.micro" | "cache.t4g.micro" => 20_000,
        "cache.t3.small" | "cache.t3.medium" => 46_000,
        _ => 65_000,
    }
}

/// How often ElastiCache publishes its metrics, in seconds.
pub const ELASTICACHE_METRIC_RESOLUTION_SECONDS: u32 = 60;

/// Why `name` is not an IAM role name ([`data::IAM_ROLE_NAME`]: letters, digits and
/// `_+=,.@-`, 1 to 64 characters), or `None` when it is one.
pub fn iam_role_name_problem(name: &str) -> Option<String> {
    iam_name_problem(IamKind::Role, name)
}

/// What an IAM managed policy attaches to, by name: a role, a user or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IamKind {
    /// A role (`Roles`, AttachRolePolicy).
    Role,
    /// A user (`Users`, AttachUserPolicy).
    User,
    /// A group (`Groups`, AttachGroupPolicy).
    Group,
}

impl IamKind {
    /// `role`, `user` or `group`, as IAM ARNs write it (`:role/`).
    pub fn name(self) -> &'static str {
        match self {
            IamKind::Role => "role",
            IamKind::User => "user",
            IamKind::Group => "group",
        }
    }

    /// The property of a managed policy that lists principals of this kind.
    pub fn policy_key(self) -> &'static str {
        match self {
            IamKind::Role => "Roles",
            IamKind::User => "Users",
            IamKind::Group => "Groups",
        }
    }

    /// The IAM API's constraint on the name: pattern, shortest, longest
    /// ([`data::IAM_ROLE_NAME`], [`data::IAM_USER_NAME`], [`data::IAM_GROUP_NAME`]).
    pub fn name_constraint(self) -> (&'static str, usize, usize) {
        match self {
            IamKind::Role => data::IAM_ROLE_NAME,
            IamKind::User => data::IAM_USER_NAME,
            IamKind::Group => data::IAM_GROUP_NAME,
        }
    }
}

/// Why `name` is not the name of an IAM principal of `kind` (letters, digits and
/// `_+=,.@-`; 1 to 64 characters for roles and users, 1 to 128 for groups, as the
/// generated data says), or `None` when it is one.
pub fn iam_name_problem(kind: IamKind, name: &str) -> Option<String> {
    let (pattern, lo, hi) = kind.name_constraint();
    debug_assert_eq!(pattern, r"[\w+=,.@-]+", "the IAM data changed: update iam_name_problem");
    let what = kind.name();
    let len = name.chars().count();
    if !(lo..=hi).contains(&len) {
        return Some(format!("is {len} characters long; IAM {what} names are {lo} to {hi}"));
    }
    name.chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)))
        .map(|c| format!("contains '{c}'; IAM {what} names hold letters, digits and _+=,.@- only"))
}

/// Why `path` is not an IAM path ([`data::IAM_PATH`]: `/`, or `/` then printable
/// ASCII then `/`, 1 to 512 characters), or `None` when it is one.
pub fn iam_path_problem(path: &str) -> Option<String> {
    let (pattern, lo, hi) = data::IAM_PATH;
    debug_assert_eq!(
        pattern, r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
        "the IAM data changed: update iam_path_problem"
    );
    if !(lo..=hi).contains(&path.len()) {
        return Some(format!("is {} characters long; IAM paths are {lo} to {hi}", path.len()));
    }
    if !(path == "/" || (path.len() >= 3 && path.starts_with('/') && path.ends_with('/'))) {
        return Some("must be / or start and end with /".into());
    }
    path.chars()
        .find(|&c| !('\u{21}'..='\u{7e}').contains(&c))
        .map(|c| format!("contains {c:?}; IAM paths hold printable ASCII only"))
}

/// The shortest `Timeout` of AWS's ElastiCache user rotation function, in seconds:
/// "set Timeout to at least 12 minutes" (source: "Automatically rotating passwords
/// for users", <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html>,
/// step 3). Lambda's own ceiling is 900 seconds (the `AWS::Lambda::Function` schema).
pub const ROTATION_FUNCTION_MIN_TIMEOUT_SECONDS: u32 = 720;

/// Why `days` is not a rotation interval ([`data::ROTATION_DAYS`]), or `None`.
pub fn rotation_days_problem(days: i64) -> Option<String> {
    let (lo, hi) = data::ROTATION_DAYS;
    (!u64::try_from(days).is_ok_and(|d| (lo..=hi).contains(&d)))
        .then(|| format!("AutomaticallyAfterDays must be {lo} to {hi} days (the Secrets Manager API), got {days}"))
}

/// Why `expression` is not a rotation `ScheduleExpression`
/// ([`data::ROTATION_SCHEDULE_EXPRESSION`]: letters, digits and `()#?*-/,` and
/// spaces, 1 to 256 characters, starting `rate(` or `cron(`), or `None`.
pub fn rotation_schedule_problem(expression: &str) -> Option<String> {
    let (pattern, lo, hi) = data::ROTATION_SCHEDULE_EXPRESSION;
    debug_assert_eq!(
        pattern, r"[0-9A-Za-z\(\)#\?\*\-\/, ]+",
        "the Secrets Manager data changed: update rotation_schedule_problem"
    );
    let len = expression.chars().count();
    if !(lo..=hi).contains(&len) {
        return Some(format!(
            "ScheduleExpression '{expression}' is {len} characters long; the Secrets Manager API takes {lo} to {hi}"
        ));
    }
    if let Some(c) = expression.chars().find(|&c| !(c.is_ascii_alphanumeric() || "()#?*-/, ".contains(c))) {
        return Some(format!(
            "ScheduleExpression '{expression}' contains '{c}'; it holds letters, digits, spaces and ()#?*-/, only"
        ));
    }
    // the API documents rate() and cron() expressions (RotationRulesType.ScheduleExpression)
    if !(expression.starts_with("rate(") || expression.starts_with("cron(")) || !expression.ends_with(')') {
        return Some(format!(
            "ScheduleExpression '{expression}' is neither rate(...) nor cron(...); use such as 'rate(30 days)'"
        ));
    }
    None
}

/// Why `duration` is not a rotation window `Duration` ([`data::ROTATION_DURATION`]:
/// hours such as `3h`, 2 to 3 characters), or `None`.
pub fn rotation_duration_problem(duration: &str) -> Option<String> {
    let (pattern, lo, hi) = data::ROTATION_DURATION;
    debug_assert_eq!(pattern, "[0-9]+h", "the Secrets Manager data changed: update rotation_duration_problem");
    let digits = duration.strip_suffix('h').unwrap_or("");
    let ok = (lo..=hi).contains(&duration.len()) && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| {
        format!("Duration '{duration}' must be hours such as '3h' ({lo} to {hi} characters, the Secrets Manager API)")
    })
}

/// Monthly on-demand cost in USD of `nodes` nodes of `node_type` in `region`
/// (us-east-1 when `None` or unknown): the hourly price ([`NODE_TYPES`]) × the
/// region's factor × [`HOURS_PER_MONTH`] × nodes, rounded to cents; 0 for a node
/// type without a price. The constructs' estimates and `synth cost` both use it.
pub fn node_monthly_cost(engine: Engine, node_type: &str, nodes: u32, region: Option<&str>) -> f64 {
    let Some(hourly) = self::node_type(node_type).and_then(|n| n.hourly_usd_for(engine)) else { return 0.0 };
    let factor = region.and_then(region_price_factor).unwrap_or(1.0);
    let cents = (hourly * factor * HOURS_PER_MONTH * nodes as f64 * 100.0).round();
    cents / 100.0
}

/// Monthly cost in USD of a serverless cache of `engine` in `region`: the minimum
/// billed storage × GB-hour price × [`HOURS_PER_MONTH`], plus a steady
/// [`SERVERLESS_ASSUMED_ECPU_PER_SECOND`] × price per million ECPUs, times the
/// region's factor, rounded to cents (`crate::ServerlessCache::estimated_monthly_cost_usd`).
pub fn serverless_monthly_cost(engine: Engine, region: Option<&str>) -> f64 {
    serverless_monthly_cost_storing(engine, 0.0, region)
}

/// [`serverless_monthly_cost`] with `gb` stored: the storage billed is `gb` or
/// the engine's minimum, whichever is more (a configured
/// `CacheUsageLimits.DataStorage.Minimum`, as `synth cost` reads it).
pub fn serverless_monthly_cost_storing(engine: Engine, gb: f64, region: Option<&str>) -> f64 {
    let Some(price) = serverless_price(engine) else { return 0.0 };
    let factor = region.and_then(region_price_factor).unwrap_or(1.0);
    let storage = price.minimum_gb.max(gb) * price.gb_hour_usd * HOURS_PER_MONTH;
    let million_ecpus = SERVERLESS_ASSUMED_ECPU_PER_SECOND * 3600.0 * HOURS_PER_MONTH / 1_000_000.0;
    let cents = ((storage + million_ecpus * price.million_ecpu_usd) * factor * 100.0).round();
    cents / 100.0
}

/// The monthly storage cost in USD alone of a serverless cache of `engine` storing
/// `gb` (at least the engine's minimum) in `region`, rounded to cents: what it
/// bills however idle it is.
pub fn serverless_storage_monthly_cost(engine: Engine, gb: f64, region: Option<&str>) -> f64 {
    let Some(price) = serverless_price(engine) else { return 0.0 };
    let factor = region.and_then(region_price_factor).unwrap_or(1.0);
    (price.minimum_gb.max(gb) * price.gb_hour_usd * HOURS_PER_MONTH * factor * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_consistent() {
        assert!(NODE_TYPES.windows(2).all(|w| w[0].name < w[1].name));
        assert!(node_type("cache.r6gd.xlarge").unwrap().data_tiering);
        assert!(!node_type("cache.r6g.xlarge").unwrap().data_tiering);
        assert!(node_type("cache.t4g.nano").is_none());
        for engine in [Engine::Redis, Engine::Valkey] {
            for v in engine_versions(engine) {
                assert!(FAMILIES.contains(&parameter_group_family(engine, v).unwrap()), "{engine} {v}");
            }
        }
        // Every type the data lists has a size row, and every size row is in the data.
        for (name, _) in data::NODE_TYPES {
            assert!(node_type(name).is_some(), "{name} has no size and price row");
        }
        for n in NODE_TYPES {
            assert!(node_type_regions(n.name).is_some(), "{} is not in the generated data", n.name);
        }
        assert_eq!(parameter_group_family(Engine::Redis, "7.1"), Some("redis7"));
        assert_eq!(parameter_group_family(Engine::Valkey, "8.0"), Some("valkey8"));
        assert_eq!(parameter_group_family(Engine::Valkey, "7.1"), None);
        assert_eq!(parameter_group_family(Engine::Valkey, "9.1"), Some("valkey9"));
        assert_eq!(version_status(Engine::Redis, "6.x"), VersionStatus::Offered("redis6.x"));
        assert!(matches!(version_status(Engine::Redis, "5.0.5"), VersionStatus::Ended(_)));
        assert!(matches!(version_status(Engine::Redis, "2.8.24"), VersionStatus::Ended(_)));
        assert_eq!(version_status(Engine::Valkey, "9.2"), VersionStatus::Newer);
        assert_eq!(version_status(Engine::Valkey, "10.0"), VersionStatus::Newer);
        assert_eq!(version_status(Engine::Valkey, "8.9"), VersionStatus::Unknown);
        assert_eq!(version_status(Engine::Redis, "seven"), VersionStatus::Unknown);
        assert!(extended_support(Engine::Redis, "5.0.6").is_some());
        assert!(extended_support(Engine::Redis, "6.2").is_none());
        assert!(is_valid_alarm_period(20) && is_valid_alarm_period(10) && !is_valid_alarm_period(45));
        assert_eq!(max_alarm_evaluation_seconds(3_600), 604_800);
        assert_eq!(max_alarm_evaluation_seconds(1_800), 86_400);
        assert_eq!(maxclients("cache.t4g.micro"), 20_000);
        assert_eq!(maxclients("cache.r7g.large"), 65_000);
        assert!(matches!(check_parameter(Some("valkey8"), "maxmemory-samples", "64"), ParameterCheck::Ok));
        assert!(matches!(check_parameter(Some("redis7"), "timeout", "19"), ParameterCheck::Rejected(_)));
        assert!(version_below("5.0.5", "5.0.6") && !version_below("6.x", "5.0.6") && !version_below("5.0.6", "5.0.6"));
        assert_eq!(node_type_offered_in("cache.c7gn.large", "ca-central-1"), Some(false));
        assert_eq!(node_type_offered_in("cache.c7gn.large", "us-east-1"), Some(true));
        assert_eq!(node_type_offered_in("cache.t4g.micro", "me-central-1"), Some(false));
        assert_eq!(node_type_offered_in("cache.r8g.large", "ca-central-1"), Some(true));
        assert!(is_retired_generation("cache.r3.large") && is_retired_generation("cache.m1.small"));
        assert!(!is_retired_generation("cache.r9g.large") && !is_retired_generation("cache.x1.large"));
        assert!(matches!(version_status(Engine::Redis, "3.2"), VersionStatus::Ended(_)));
        assert!(matches!(version_status(Engine::Redis, "2.8"), VersionStatus::Ended(_)));
        assert!(is_node_type_shaped("cache.r9g.large") && is_node_type_shaped("cache.c9gn.12xlarge"));
        assert!(
            !is_node_type_shaped("r7g.large")
                && !is_node_type_shaped("cache.r7g.huge")
                && !is_node_type_shaped("cache.7g.large")
        );
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
