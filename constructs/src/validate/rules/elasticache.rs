//! ElastiCache rules (EC001..EC025): replication groups, cache clusters, their
//! parameter groups, serverless caches, users and user groups.

use super::finding;
use crate::facts::{self, Engine, VersionStatus};
use crate::template::{any_reference, each_reference, Lit, Reference, Template};
use crate::validate::Finding;
use serde_json::{Map, Value as J};

const RG: &str = "AWS::ElastiCache::ReplicationGroup";
const CC: &str = "AWS::ElastiCache::CacheCluster";
const PG: &str = "AWS::ElastiCache::ParameterGroup";
const SERVERLESS: &str = "AWS::ElastiCache::ServerlessCache";
const USER: &str = "AWS::ElastiCache::User";
const USER_GROUP: &str = "AWS::ElastiCache::UserGroup";

type Props<'a> = &'a Map<String, J>;

/// EC031: properties whose values the ElastiCache API enumerates (botocore's
/// service model, [`facts::data`]); the current provider schemas leave most of
/// them open strings.
const API_ENUMS: &[(&str, &str, &[&str])] = &[
    (RG, "TransitEncryptionMode", facts::data::TRANSIT_ENCRYPTION_MODES),
    (RG, "ClusterMode", facts::data::CLUSTER_MODES),
    (RG, "NetworkType", facts::data::NETWORK_TYPES),
    (RG, "IpDiscovery", facts::data::IP_DISCOVERY),
    (RG, "Durability", facts::data::DURABILITY),
    (CC, "NetworkType", facts::data::NETWORK_TYPES),
    (CC, "IpDiscovery", facts::data::IP_DISCOVERY),
];

/// EC031 for one resource: its enumerated properties, its log deliveries, its
/// node group ids, a user's authentication type.
fn api_values(t: &Template, id: &str, ty: &str, p: Props, out: &mut Vec<Finding>) {
    let mut check = |v: Option<&J>, allowed: &[&str], what: &str, path: &dyn Fn() -> String| {
        let Some(l) = v.and_then(|v| t.resolve(v)) else { return };
        if !allowed.iter().any(|a| l.v.as_str() == Some(*a)) {
            out.push(finding(
                "EC031",
                id,
                path(),
                format!(
                    "{what} {} is not a value the ElastiCache API takes; use one of {} ({})",
                    l.show(),
                    allowed.join(", "),
                    facts::data::SOURCE
                ),
            ));
        }
    };
    for (t_ty, key, allowed) in API_ENUMS {
        if *t_ty == ty {
            check(p.get(*key), allowed, key, &|| format!("Properties.{key}"));
        }
    }
    if let Some(J::Array(logs)) = p.get("LogDeliveryConfigurations") {
        for (i, log) in logs.iter().enumerate() {
            for (key, allowed) in [
                ("LogType", facts::data::LOG_TYPES),
                ("LogFormat", facts::data::LOG_FORMATS),
                ("DestinationType", facts::data::LOG_DESTINATION_TYPES),
            ] {
                check(log.get(key), allowed, key, &|| format!("Properties.LogDeliveryConfigurations.{i}.{key}"));
            }
        }
    }
    if ty == USER {
        check(
            p.get("AuthenticationMode").and_then(|a| a.get("Type")),
            facts::data::USER_AUTHENTICATION_TYPES,
            "AuthenticationMode.Type",
            &|| "Properties.AuthenticationMode.Type".into(),
        );
    }
    if let Some(J::Array(groups)) = p.get("NodeGroupConfiguration") {
        let (_, lo, hi) = facts::data::NODE_GROUP_ID;
        for (i, g) in groups.iter().enumerate() {
            let Some(l) = g.get("NodeGroupId").and_then(|v| t.resolve(v)) else { continue };
            let s = l.text();
            if !(lo..=hi).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_digit()) {
                out.push(finding("EC031", id, format!("Properties.NodeGroupConfiguration.{i}.NodeGroupId"), format!("NodeGroupId {} is not a value the ElastiCache API takes; use {lo} to {hi} digits, such as 0001 ({})", l.show(), facts::data::SOURCE)));
            }
        }
    }
}

pub(super) fn check(t: &Template, out: &mut Vec<Finding>) {
    for (id, r) in t.resources {
        let Some(ty) = r.get("Type").and_then(J::as_str) else { continue };
        if matches!(ty, RG | CC | USER) {
            if let Some(p) = t.props(id) {
                api_values(t, id, ty, p, out);
            }
        }
    }
    for (id, p) in t.of_type(PG) {
        parameter_group_family(t, id, p, out);
        parameter_values(t, id, p, out);
    }
    for (id, p) in t.of_type(RG) {
        replication_group(t, id, p, out);
    }
    for (id, p) in t.of_type(CC) {
        cache_cluster(t, id, p, out);
    }
    for (id, p) in t.of_type(SERVERLESS) {
        serverless(t, id, p, out);
    }
    for (id, p) in t.of_type(USER_GROUP) {
        user_group(t, id, p, out);
    }
    endpoints(t, out);
}

/// The engine of a cache: `Ok(None)` for memcached, `Err` when unresolved or unknown
/// (already reported).
fn engine(
    t: &Template,
    id: &str,
    p: Props,
    default: Option<Engine>,
    allow_memcached: bool,
    out: &mut Vec<Finding>,
) -> Option<Engine> {
    let Some(v) = p.get("Engine") else { return default };
    let lit = t.resolve(v)?;
    let text = lit.text();
    if allow_memcached && text.eq_ignore_ascii_case("memcached") {
        return None;
    }
    match text.parse::<Engine>() {
        Ok(e) => Some(e),
        Err(_) => {
            out.push(finding(
                "EC010",
                id,
                "Properties.Engine",
                format!("unknown engine {}; use redis or valkey", lit.show()),
            ));
            None
        }
    }
}

/// A parameter group as a cache sees it.
struct ParamGroup {
    /// How to name it in a message.
    name: String,
    family: Option<String>,
    /// `Some(true)` when it sets `cluster-enabled: yes`, `None` when unknown.
    cluster_enabled: Option<bool>,
}

fn param_group(t: &Template, p: Props) -> Option<ParamGroup> {
    let v = p.get("CacheParameterGroupName")?;
    if let Some(pg) = t.target(v).filter(|r| t.type_of(r) == Some(PG)) {
        let pp = t.props(pg)?;
        let family = t.get(pp, "CacheParameterGroupFamily").map(|l| l.text());
        let cluster_enabled = match pp.get("Properties") {
            None => Some(false),
            Some(J::Object(params)) => match params.get("cluster-enabled") {
                None => Some(false),
                Some(v) => t.resolve(v).map(|l| l.text().eq_ignore_ascii_case("yes")),
            },
            Some(_) => None,
        };
        return Some(ParamGroup { name: format!("parameter group {pg}"), family, cluster_enabled });
    }
    let name = t.resolve(v)?.text();
    let rest = name.strip_prefix("default.")?;
    let (family, on) = match rest.strip_suffix(".cluster.on") {
        Some(f) => (f, true),
        None => (rest, false),
    };
    Some(ParamGroup {
        name: format!("parameter group '{name}'"),
        family: Some(family.to_string()),
        cluster_enabled: Some(on),
    })
}

/// Whether a replication group runs in cluster mode, with the reason; `None` when unknown.
///
/// More than one node group means cluster mode. One node group (`NumNodeGroups: 1`,
/// or a single `NodeGroupConfiguration`) is what AWS documents for cluster mode
/// disabled as well ("For Valkey or Redis OSS (cluster mode disabled) either omit
/// this parameter or set it to 1", source:
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html>),
/// so then the parameter group decides.
fn cluster_mode(t: &Template, p: Props, pg: Option<&ParamGroup>) -> Option<(bool, &'static str)> {
    if let Some(mode) = p.get("ClusterMode") {
        match t.resolve(mode)?.text().as_str() {
            "enabled" => return Some((true, "ClusterMode is enabled")),
            "disabled" => return Some((false, "ClusterMode is disabled")),
            _ => return None, // compatible: clients of both modes, during a migration
        }
    }
    // Some(None): node groups are set but not known at synth time.
    let groups = match (p.get("NumNodeGroups"), p.get("NodeGroupConfiguration")) {
        (Some(v), _) => Some(t.resolve(v).and_then(|l| l.int())),
        (None, Some(J::Array(g))) => Some(Some(g.len() as i64)),
        (None, Some(_)) => Some(None),
        (None, None) => None,
    };
    if let Some(Some(n)) = groups {
        if n > 1 {
            return Some((
                true,
                if p.contains_key("NumNodeGroups") {
                    "NumNodeGroups is above 1"
                } else {
                    "NodeGroupConfiguration has more than one node group"
                },
            ));
        }
    }
    match pg.map(|g| g.cluster_enabled) {
        Some(Some(true)) => Some((true, "its parameter group sets cluster-enabled yes")),
        Some(None) => None,
        _ if groups == Some(None) => None,
        _ => Some((false, "it has one node group and no cluster-enabled yes parameter group")),
    }
}

fn bool_prop(t: &Template, p: Props, key: &str) -> Result<bool, ()> {
    match p.get(key) {
        None => Ok(false),
        Some(v) => t.resolve(v).and_then(|l| l.bool()).ok_or(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn int_in(t: &Template, id: &str, p: Props, key: &str, lo: i64, hi: i64, what: &str, out: &mut Vec<Finding>) {
    if let Some(l) = p.get(key).and_then(|v| t.resolve(v)) {
        if let Some(n) = l.int() {
            if n < lo || n > hi {
                out.push(finding(
                    "EC007",
                    id,
                    format!("Properties.{key}"),
                    format!("{key} {} is out of range; use {lo} to {hi} {what}", l.show()),
                ));
            }
        }
    }
}

fn replication_group(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let engine = engine(t, id, p, Some(Engine::Redis), false, out);
    let pg = param_group(t, p);
    let mode = cluster_mode(t, p, pg.as_ref());

    // Encryption and authentication.
    let transit = p.get("TransitEncryptionEnabled").map(|v| t.resolve(v).and_then(|l| l.bool()));
    let valkey_implicit = engine == Some(Engine::Valkey) && transit.is_none();
    if let Some(token) = p.get("AuthToken") {
        if !valkey_implicit && matches!(transit, None | Some(Some(false))) {
            let _ = token;
            out.push(finding("EC001", id, "Properties.AuthToken", "AuthToken needs TransitEncryptionEnabled true: ElastiCache accepts an AUTH token only over TLS; set TransitEncryptionEnabled to true"));
        }
    }
    if let Some(l) = t.get(p, "TransitEncryptionMode") {
        if l.text() == "preferred" {
            out.push(finding("EC002", id, "Properties.TransitEncryptionMode", format!("TransitEncryptionMode {} also accepts unencrypted connections; use it only while migrating clients to TLS, then set required", l.show())));
        }
    }
    if valkey_implicit {
        out.push(finding("EC021", id, "Properties.TransitEncryptionEnabled", "Valkey without an explicit TransitEncryptionEnabled: its default differs from Redis and drifts on update; set TransitEncryptionEnabled to true"));
    } else if let Some(Some(false)) | None = transit {
        out.push(finding("EC019", id, "Properties.TransitEncryptionEnabled", format!("encryption in transit is {}; set TransitEncryptionEnabled to true (with TransitEncryptionMode required)", if transit.is_none() { "not set" } else { "off" })));
    }
    match p.get("AtRestEncryptionEnabled").map(|v| t.resolve(v).and_then(|l| l.bool())) {
        // Valkey encrypts at rest unless told not to (source: the CreateReplicationGroup API
        // reference, AtRestEncryptionEnabled: "Default: true when using Valkey, false when
        // using Redis OSS", <https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html>).
        None if engine == Some(Engine::Valkey) => {}
        None => out.push(finding("EC018", id, "Properties.AtRestEncryptionEnabled", "encryption at rest is not set; set AtRestEncryptionEnabled to true (it can only be set when the group is created)")),
        Some(Some(false)) => out.push(finding("EC018", id, "Properties.AtRestEncryptionEnabled", "encryption at rest is off; set AtRestEncryptionEnabled to true (it can only be set when the group is created)")),
        _ => {}
    }
    if !p.contains_key("AuthToken") && !p.contains_key("UserGroupIds") {
        out.push(finding("EC020", id, "Properties", "neither AuthToken nor UserGroupIds: any client that reaches the port can use the cache; set an AuthToken from Secrets Manager or RBAC UserGroupIds"));
    }

    // Nodes, failover, cluster mode.
    int_in(t, id, p, "NumNodeGroups", 1, facts::MAX_SHARDS as i64, "shards", out);
    int_in(t, id, p, "ReplicasPerNodeGroup", 0, facts::MAX_REPLICAS as i64, "replicas per shard", out);
    int_in(t, id, p, "NumCacheClusters", 1, facts::MAX_NODES as i64, "nodes", out);
    let mut min_replicas: Option<i64> = None;
    if let Some(J::Array(groups)) = p.get("NodeGroupConfiguration") {
        if groups.len() > facts::MAX_SHARDS as usize {
            out.push(finding(
                "EC007",
                id,
                "Properties.NodeGroupConfiguration",
                format!("{} node groups is out of range; use 1 to {} shards", groups.len(), facts::MAX_SHARDS),
            ));
        }
        for (i, g) in groups.iter().enumerate() {
            let Some(l) = g.get("ReplicaCount").and_then(|v| t.resolve(v)) else { continue };
            let Some(n) = l.int() else { continue };
            min_replicas = Some(min_replicas.map_or(n, |m: i64| m.min(n)));
            if !(0..=facts::MAX_REPLICAS as i64).contains(&n) {
                out.push(finding(
                    "EC007",
                    id,
                    format!("Properties.NodeGroupConfiguration.{i}.ReplicaCount"),
                    format!(
                        "ReplicaCount {} is out of range; use 0 to {} replicas per shard",
                        l.show(),
                        facts::MAX_REPLICAS
                    ),
                ));
            }
        }
    }
    if let Some((true, _)) = mode {
        node_total(t, id, p, engine, out);
    }
    let multi_az = bool_prop(t, p, "MultiAZEnabled");
    let failover = bool_prop(t, p, "AutomaticFailoverEnabled");
    match mode {
        Some((false, _)) => {
            let nodes = match (p.get("NumCacheClusters"), p.get("ReplicasPerNodeGroup")) {
                (Some(v), _) => t.resolve(v).and_then(|l| l.int()),
                (None, Some(v)) => t.resolve(v).and_then(|l| l.int()).map(|r| r + 1),
                (None, None) => Some(1),
            };
            if nodes == Some(1) {
                for (key, on) in [("MultiAZEnabled", multi_az), ("AutomaticFailoverEnabled", failover)] {
                    if on == Ok(true) {
                        out.push(finding("EC003", id, format!("Properties.{key}"), format!("{key} is true but the group has a single node, so there is no replica to fail over to; set NumCacheClusters to 2 or more, or {key} to false")));
                    }
                }
            }
        }
        Some((true, why)) => {
            let replicas = match p.get("ReplicasPerNodeGroup") {
                Some(v) => t.resolve(v).and_then(|l| l.int()),
                None if p.contains_key("NodeGroupConfiguration") => min_replicas,
                None => Some(0),
            };
            if replicas == Some(0) && multi_az == Ok(true) {
                out.push(finding("EC003", id, "Properties.MultiAZEnabled", "MultiAZEnabled is true but the shards have no replica to fail over to; set ReplicasPerNodeGroup to 1 or more, or MultiAZEnabled to false"));
            }
            if failover == Ok(false) {
                out.push(finding("EC005", id, "Properties.AutomaticFailoverEnabled", format!("the group is in cluster mode ({why}) but AutomaticFailoverEnabled is not true; cluster mode requires it, set AutomaticFailoverEnabled to true")));
            }
            if let Some(g) = &pg {
                if g.cluster_enabled == Some(false) && why != "its parameter group sets cluster-enabled yes" {
                    out.push(finding("EC006", id, "Properties.CacheParameterGroupName", format!("the group is in cluster mode ({why}) but {} does not set cluster-enabled yes; use a parameter group with cluster-enabled: yes (or a default.*.cluster.on group)", g.name)));
                }
            }
        }
        None => {}
    }
    if multi_az == Ok(true) && failover == Ok(false) {
        out.push(finding("EC004", id, "Properties.MultiAZEnabled", "MultiAZEnabled is true but AutomaticFailoverEnabled is not; Multi-AZ requires automatic failover, set AutomaticFailoverEnabled to true"));
    }

    cache_user_groups(t, id, p, engine, out);
    tiering_eviction_policy(t, id, p, out);
    log_delivery(t, id, p, engine, out);

    // Node type, engine version, parameter group family.
    node_type(t, id, p, engine, true, out);
    if let Some(e) = engine {
        version_and_family(t, id, p, e, pg.as_ref(), out);
    }

    windows(t, id, p, out);
    retention(t, id, p, "EC015", out);
    port(t, id, p, out);
    if let Some(l) = t.get(p, "ReplicationGroupId") {
        if let Some(rid) = l.str() {
            if let Err(e) = facts::check_replication_group_id(&rid.to_ascii_lowercase()) {
                out.push(finding("EC016", id, "Properties.ReplicationGroupId", format!("ReplicationGroupId {} {e}; use 1 to 40 lowercase letters, digits and single hyphens, starting with a letter", l.show())));
            }
        }
    }
}

/// EC007 and EC027: the nodes of a cluster-mode group ([`Template::replication_group_nodes`]),
/// against the per-cluster limits of the CreateReplicationGroup API reference
/// ([`facts::MAX_CLUSTER_NODES`], [`facts::DEFAULT_CLUSTER_NODE_QUOTA`]).
fn node_total(t: &Template, id: &str, p: Props, engine: Option<Engine>, out: &mut Vec<Finding>) {
    // not known at synth time (or negative, which EC007's ranges report): no total
    let Ok(total) = t.replication_group_nodes(p) else { return };
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let version = t.get(p, "EngineVersion").map(|l| l.text());
    let (max, why) = match (engine, version.as_deref()) {
        (Some(Engine::Redis), Some(v)) if facts::version_below(v, "5.0.6") => {
            (facts::MAX_CLUSTER_NODES_BEFORE_5_0_6 as i64, " for Redis OSS below 5.0.6")
        }
        _ => (facts::MAX_CLUSTER_NODES as i64, ""),
    };
    if total > max {
        out.push(finding("EC007", id, "Properties", format!("the group has {total} nodes (shards x (1 + replicas)), more than the {max} a cluster can have{why}; use fewer shards or replicas")));
    } else if total > facts::DEFAULT_CLUSTER_NODE_QUOTA as i64 {
        out.push(finding("EC027", id, "Properties", format!("the group has {total} nodes (shards x (1 + replicas)), more than the default quota of {} nodes per cluster; request a quota increase (Service Quotas, ElastiCache \"Nodes per cluster\") before deploying", facts::DEFAULT_CLUSTER_NODE_QUOTA)));
    }
}

fn cache_cluster(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    if p.get("Engine").and_then(|v| t.resolve(v)).is_some_and(|l| l.text().eq_ignore_ascii_case("memcached")) {
        return;
    }
    let Some(e) = engine(t, id, p, None, true, out) else { return };
    if e == Engine::Valkey && !p.contains_key("TransitEncryptionEnabled") {
        out.push(finding("EC021", id, "Properties.TransitEncryptionEnabled", "Valkey without an explicit TransitEncryptionEnabled: its default differs from Redis and drifts on update; set TransitEncryptionEnabled to true"));
    }
    node_type(t, id, p, Some(e), false, out);
    let pg = param_group(t, p);
    if let Some(g) = &pg {
        if g.cluster_enabled == Some(true) {
            out.push(finding("EC006", id, "Properties.CacheParameterGroupName", format!("{} sets cluster-enabled yes, which a single CacheCluster cannot use; use a replication group with NumNodeGroups for cluster mode, or a parameter group without cluster-enabled", g.name)));
        }
    }
    version_and_family(t, id, p, e, pg.as_ref(), out);
    int_in(t, id, p, "NumCacheNodes", 1, 1, "node (a Redis or Valkey CacheCluster has exactly one)", out);
    log_delivery(t, id, p, Some(e), out);
    windows(t, id, p, out);
    retention(t, id, p, "EC015", out);
    port(t, id, p, out);
}

fn node_type(
    t: &Template,
    id: &str,
    p: Props,
    engine: Option<Engine>,
    replication_group: bool,
    out: &mut Vec<Finding>,
) {
    let Some(l) = t.get(p, "CacheNodeType") else { return };
    let name = l.text();
    let family = name.rsplit_once('.').map_or("", |(f, _)| f);
    match facts::node_type_regions(&name) {
        Some(mask) => {
            if engine == Some(Engine::Redis) && facts::node_type(&name).is_some_and(|n| n.valkey_only) {
                out.push(finding("EC008", id, "Properties.CacheNodeType", format!("node type {} is offered for Valkey (and Memcached) only, not Redis OSS (AWS's Supported node types page lists it under Valkey alone); use engine valkey, or a Redis OSS type such as {}", l.show(), name.replacen("8g", "7g", 1))));
            }
            if let Some(region) = t.region {
                if facts::region_bit(region).is_some_and(|bit| mask & bit == 0) {
                    let same = facts::node_types_of_family(family, Some(region));
                    let hint = if same.is_empty() {
                        format!("no {family} type is offered there; use another family, such as cache.r7g.large")
                    } else {
                        format!("{region} offers {}", same.join(", "))
                    };
                    let offered: Vec<&str> = facts::regions_of(mask).collect();
                    out.push(finding(
                        "EC008",
                        id,
                        "Properties.CacheNodeType",
                        format!(
                            "node type {} is not offered in {region} (it is in {}; {} data of {}); {hint}",
                            l.show(),
                            offered.join(", "),
                            facts::data::SOURCE,
                            facts::data::DATE
                        ),
                    ));
                }
            }
        }
        None => {
            let same = facts::node_types_of_family(family, None);
            if same.is_empty() && facts::is_retired_generation(&name) {
                out.push(finding(
                    "EC008",
                    id,
                    "Properties.CacheNodeType",
                    format!(
                        "node type {} is of a previous generation ElastiCache no longer offers (not in {} data of {}); use a current type such as cache.t4g.micro, cache.m7g.large or cache.r7g.large",
                        l.show(),
                        facts::data::SOURCE,
                        facts::data::DATE
                    ),
                ));
            } else if same.is_empty() && facts::is_node_type_shaped(&name) {
                out.push(finding(
                    "EC026",
                    id,
                    "Properties.CacheNodeType",
                    format!(
                        "node type {} is not in the node-type data ({}, {}); if AWS has released it since, ignore this warning, otherwise use a listed type such as cache.r7g.large",
                        l.show(),
                        facts::data::SOURCE,
                        facts::data::DATE
                    ),
                ));
            } else {
                let hint = if same.is_empty() {
                    "such as cache.t4g.micro, cache.m7g.large or cache.r7g.large".to_string()
                } else {
                    format!("this family has {}", same.join(", "))
                };
                out.push(finding(
                    "EC008",
                    id,
                    "Properties.CacheNodeType",
                    format!("node type {} is not an ElastiCache node type; use a current type, {hint}", l.show()),
                ));
            }
            return;
        }
    }
    if !replication_group {
        return;
    }
    let tiering = facts::has_data_tiering(&name);
    match bool_prop(t, p, "DataTieringEnabled") {
        Ok(true) if !tiering => out.push(finding("EC009", id, "Properties.DataTieringEnabled", format!("DataTieringEnabled is true but node type {} has no SSD tier; use an r6gd node type such as cache.r6gd.xlarge, or set DataTieringEnabled to false", l.show()))),
        Ok(false) if tiering => out.push(finding("EC009", id, "Properties.DataTieringEnabled", format!("node type {} requires data tiering; set DataTieringEnabled to true, or use an r6g or r7g node type", l.show()))),
        _ => {}
    }
}

fn version_and_family(t: &Template, id: &str, p: Props, e: Engine, pg: Option<&ParamGroup>, out: &mut Vec<Finding>) {
    let version = t.get(p, "EngineVersion");
    let mut expected: Option<&str> = None;
    if let Some(l) = version {
        let v = l.text();
        let path = "Properties.EngineVersion";
        match facts::version_status(e, &v) {
            VersionStatus::Offered(f) => {
                expected = Some(f);
                if let Some(s) = facts::extended_support(e, &v) {
                    out.push(finding("EC030", id, path, format!("{e} {} is past the end of standard support ({}); since {} ElastiCache charges for Extended Support, which ends {}; upgrade to {e} {} or Valkey {}", l.show(), s.standard_end, s.charged_from, s.extended_end, e.latest_version(), Engine::Valkey.latest_version())));
                }
            }
            VersionStatus::Ended(end) => {
                expected = facts::family_of(e, &v);
                out.push(finding(
                    "EC010",
                    id,
                    path,
                    format!("{e} engine version {} is {}; use one of {}", l.show(), end.what, facts::known_versions(e)),
                ));
            }
            VersionStatus::Newer => {
                expected = facts::family_of(e, &v);
                out.push(finding("EC026", id, path, format!("{e} engine version {} is newer than the engine-version data ({}, {}), which lists {}; if AWS has released it since, ignore this warning", l.show(), facts::data::SOURCE, facts::data::DATE, facts::known_versions(e))));
            }
            VersionStatus::Unknown => out.push(finding(
                "EC010",
                id,
                path,
                format!(
                    "engine version {} is not a {e} version ElastiCache offers; use one of {}",
                    l.show(),
                    facts::known_versions(e)
                ),
            )),
        }
    }
    let Some(g) = pg else { return };
    let Some(family) = &g.family else { return };
    if !facts::FAMILIES.contains(&family.as_str()) {
        return; // reported on the parameter group itself, or a custom name
    }
    match expected {
        Some(want) if want != family => out.push(finding(
            "EC011",
            id,
            "Properties.CacheParameterGroupName",
            format!(
                "{} has family '{family}' but {e} {} needs family '{want}'; use a parameter group of family {want}",
                g.name,
                version.map(|l| l.text()).unwrap_or_default()
            ),
        )),
        None if version.is_none() && !family.starts_with(e.name()) => out.push(finding(
            "EC011",
            id,
            "Properties.CacheParameterGroupName",
            format!(
                "{} has family '{family}', which is not a {e} family; use a {e} family ({})",
                g.name,
                facts::FAMILIES.iter().filter(|f| f.starts_with(e.name())).copied().collect::<Vec<_>>().join(", ")
            ),
        )),
        _ => {}
    }
}

fn parameter_group_family(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let Some(l) = t.get(p, "CacheParameterGroupFamily") else { return };
    let family = l.text();
    if family.starts_with("memcached") || facts::FAMILIES.contains(&family.as_str()) {
        return;
    }
    out.push(finding(
        "EC011",
        id,
        "Properties.CacheParameterGroupFamily",
        format!("unknown parameter group family {}; use one of {}", l.show(), facts::FAMILIES.join(", ")),
    ));
}

/// EC032 and EC033: log delivery the engine version has, each log type once.
/// Slow log from Redis OSS 6.0, engine log from 6.2, both on every Valkey (source:
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html>, "Slow Log
/// is supported for Valkey 7.x and above, and Redis OSS ... engine version 6.0 onward",
/// "Engine Log ... 6.2 onward").
fn log_delivery(t: &Template, id: &str, p: Props, engine: Option<Engine>, out: &mut Vec<Finding>) {
    let Some(J::Array(logs)) = p.get("LogDeliveryConfigurations") else { return };
    // a YAML `EngineVersion: 6.0` is a number; CloudFormation passes its text
    let version = t.get(p, "EngineVersion").map(|l| l.text());
    let version = version.as_deref();
    let mut seen: Vec<String> = Vec::new();
    for (i, log) in logs.iter().enumerate() {
        let Some(ty) = log.get("LogType").and_then(|v| t.resolve(v)).map(|l| l.text()) else { continue };
        let path = || format!("Properties.LogDeliveryConfigurations.{i}.LogType");
        if let (Some(Engine::Redis), Some(v)) = (engine, version) {
            let needs = if ty == "engine-log" { "6.2" } else { "6.0" };
            if facts::version_below(v, needs) {
                out.push(finding("EC032", id, path(), format!("{ty} delivery needs Redis OSS {needs} or later, but EngineVersion is '{v}'; upgrade the engine or drop this log")));
            }
        }
        if seen.contains(&ty) {
            out.push(finding(
                "EC033",
                id,
                path(),
                format!("LogType '{ty}' is delivered twice; list each log type once"),
            ));
        }
        seen.push(ty);
    }
}

/// EC029: each value of a parameter group, by the table the `CacheParameterGroup`
/// construct uses ([`facts::check_parameter`]).
fn parameter_values(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let Some(J::Object(params)) = p.get("Properties") else { return };
    let family = t.get(p, "CacheParameterGroupFamily").map(|l| l.text());
    if family.as_deref().is_some_and(|f| f.starts_with("memcached")) {
        return;
    }
    for (name, v) in params {
        let Some(l) = t.resolve(v) else { continue };
        if let facts::ParameterCheck::Rejected(fix) = facts::check_parameter(family.as_deref(), name, &l.text()) {
            out.push(finding(
                "EC029",
                id,
                format!("Properties.Properties.{name}"),
                format!("parameter {name} is {}, which ElastiCache rejects; {fix}", l.show()),
            ));
        }
    }
}

/// EC029 across resources: a data-tiering (`r6gd`) group whose parameter group sets
/// an eviction policy data tiering does not support.
fn tiering_eviction_policy(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let Some(node) = t.get(p, "CacheNodeType").and_then(|l| l.v.as_str()) else { return };
    if !facts::has_data_tiering(node) {
        return;
    }
    let Some(pg) = p.get("CacheParameterGroupName").and_then(|v| t.target(v)) else { return };
    let Some(params) = t.props(pg).and_then(|pp| pp.get("Properties")) else { return };
    let Some(l) = params.get("maxmemory-policy").and_then(|v| t.resolve(v)) else { return };
    if !facts::DATA_TIERING_EVICTION_POLICIES.contains(&l.text().as_str()) {
        out.push(finding("EC029", id, "Properties.CacheParameterGroupName", format!("parameter group {pg} sets maxmemory-policy {} but data tiering ({node}) supports only {}; use one of those", l.show(), facts::DATA_TIERING_EVICTION_POLICIES.join(", "))));
    }
}

fn windows(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let mut maintenance = None;
    if let Some(l) = t.get(p, "PreferredMaintenanceWindow") {
        match facts::parse_maintenance_window(&l.text()) {
            Ok(w) => {
                let len = facts::weekly_length(w);
                if len < facts::MIN_WINDOW_MINUTES {
                    out.push(finding("EC013", id, "Properties.PreferredMaintenanceWindow", format!("maintenance window {} is {len} minutes; make it at least {} minutes, such as sun:05:00-sun:06:00", l.show(), facts::MIN_WINDOW_MINUTES)));
                }
                maintenance = Some(w);
            }
            Err(e) => out.push(finding(
                "EC012",
                id,
                "Properties.PreferredMaintenanceWindow",
                format!(
                    "PreferredMaintenanceWindow {}",
                    e.replace(&format!("'{}' is", l.text()), &format!("{} is", l.show()))
                ),
            )),
        }
    }
    if let Some(l) = t.get(p, "SnapshotWindow") {
        match facts::parse_daily_window(&l.text()) {
            Ok(w) => {
                let len = facts::daily_length(w);
                if len < facts::MIN_WINDOW_MINUTES {
                    out.push(finding(
                        "EC013",
                        id,
                        "Properties.SnapshotWindow",
                        format!(
                            "snapshot window {} is {len} minutes; make it at least {} minutes, such as 03:00-04:00",
                            l.show(),
                            facts::MIN_WINDOW_MINUTES
                        ),
                    ));
                }
                if let Some(m) = maintenance {
                    if facts::snapshot_overlaps_maintenance(w, m) {
                        let ml = t.get(p, "PreferredMaintenanceWindow").map(|m| m.show()).unwrap_or_default();
                        out.push(finding("EC014", id, "Properties.SnapshotWindow", format!("snapshot window {} overlaps maintenance window {ml}; move one of them so they do not meet", l.show())));
                    }
                }
            }
            Err(e) => out.push(finding(
                "EC012",
                id,
                "Properties.SnapshotWindow",
                format!("SnapshotWindow {}", e.replace(&format!("'{}' is", l.text()), &format!("{} is", l.show()))),
            )),
        }
    }
}

fn retention(t: &Template, id: &str, p: Props, rule: &'static str, out: &mut Vec<Finding>) {
    let Some(l) = t.get(p, "SnapshotRetentionLimit") else { return };
    let Some(n) = l.int() else { return };
    let max = facts::MAX_SNAPSHOT_RETENTION_DAYS as i64;
    if !(0..=max).contains(&n) {
        out.push(finding(
            rule,
            id,
            "Properties.SnapshotRetentionLimit",
            format!("SnapshotRetentionLimit {} is out of range; keep snapshots 0 to {max} days", l.show()),
        ));
    }
}

fn port(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let Some(l) = t.get(p, "Port") else { return };
    let Some(n) = l.int() else { return };
    if !(1..=65535).contains(&n) {
        out.push(finding(
            "EC017",
            id,
            "Properties.Port",
            format!("Port {} is out of range; use 1 to 65535 ({} is the default)", l.show(), facts::DEFAULT_PORT),
        ));
    }
}

fn serverless(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    if let Some(l) = t.get(p, "DailySnapshotTime") {
        let s = l.text();
        if facts::parse_daily_window(&format!("{s}-{s}")).is_err() {
            out.push(finding(
                "EC022",
                id,
                "Properties.DailySnapshotTime",
                format!(
                    "DailySnapshotTime {} is not a time of the form hh24:mi (UTC); use one such as 03:00",
                    l.show()
                ),
            ));
        }
    }
    retention(t, id, p, "EC022", out);
    let Some(engine) = t.get(p, "Engine").and_then(|l| l.text().parse::<Engine>().ok()) else { return };
    let Some(l) = t.get(p, "MajorEngineVersion") else { return };
    let major = l.text();
    if facts::SERVERLESS_MAJOR_VERSIONS.iter().any(|(e, v)| *e == engine && *v == major) {
        return;
    }
    let known: Vec<&str> =
        facts::SERVERLESS_MAJOR_VERSIONS.iter().filter(|(e, _)| *e == engine).map(|(_, v)| *v).collect();
    let newest = known.last().and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
    match major.parse::<u32>() {
        Ok(n) if engine == Engine::Valkey && n > newest => out.push(finding("EC026", id, "Properties.MajorEngineVersion", format!("serverless valkey major version {} is newer than the library's list ({}); if AWS has released it since, ignore this warning", l.show(), known.join(", ")))),
        _ => out.push(finding("EC022", id, "Properties.MajorEngineVersion", format!("serverless {engine} has no major version {}; use {}", l.show(), known.join(" or ")))),
    }
}

/// How a user authenticates, from `AuthenticationMode.Type` or the older
/// `NoPasswordRequired`/`Passwords`; `None` when unresolved.
fn user_authenticates(t: &Template, up: Props) -> Option<bool> {
    if let Some(mode) = up.get("AuthenticationMode") {
        let ty = t.resolve(mode.get("Type")?)?.text();
        return Some(ty != "no-password-required");
    }
    if let Some(v) = up.get("NoPasswordRequired") {
        if t.resolve(v)?.bool()? {
            return Some(false);
        }
    }
    Some(true)
}

/// EC023: what a user group may hold. A Redis OSS group holds Redis OSS users; a
/// Valkey group holds Valkey users and Redis OSS users, each with a password or IAM
/// authentication, never a user that needs no password (source:
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html>).
fn user_group(t: &Template, id: &str, p: Props, out: &mut Vec<Finding>) {
    let Some(group_engine) = t.get(p, "Engine").map(|l| l.text().to_ascii_lowercase()) else { return };
    let Some(J::Array(users)) = p.get("UserIds") else { return };
    for (i, u) in users.iter().enumerate() {
        let Some(user) = t.target(u).filter(|r| t.type_of(r) == Some(USER)) else { continue };
        let Some(up) = t.props(user) else { continue };
        let Some(l) = t.get(up, "Engine") else { continue };
        let user_engine = l.text().to_ascii_lowercase();
        let path = format!("Properties.UserIds.{i}");
        match group_engine.as_str() {
            "valkey" => {
                if user_authenticates(t, up) == Some(false) {
                    out.push(finding("EC023", id, path, format!("user {user} needs no password, which a valkey user group refuses; give it a password or IAM authentication")));
                } else if user_engine != "valkey" && user_engine != "redis" {
                    out.push(finding("EC023", id, path, format!("user {user} has engine '{user_engine}'; a valkey user group holds valkey and redis users")));
                }
            }
            _ if user_engine != group_engine => out.push(finding("EC023", id, path, format!("user {user} has engine '{user_engine}' but the user group's engine is '{group_engine}'; a {group_engine} user group holds only {group_engine} users, give the user engine {group_engine}"))),
            _ => {}
        }
    }
}

/// EC028: a Redis OSS cache cannot use a Valkey user group (source:
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html>).
fn cache_user_groups(t: &Template, id: &str, p: Props, engine: Option<Engine>, out: &mut Vec<Finding>) {
    let Some(Engine::Redis) = engine else { return };
    let Some(J::Array(groups)) = p.get("UserGroupIds") else { return };
    for (i, g) in groups.iter().enumerate() {
        let Some(group) = t.target(g).filter(|r| t.type_of(r) == Some(USER_GROUP)) else { continue };
        let Some(gp) = t.props(group) else { continue };
        let Some(l) = t.get(gp, "Engine") else { continue };
        if l.text().eq_ignore_ascii_case("valkey") {
            out.push(finding("EC028", id, format!("Properties.UserGroupIds.{i}"), format!("user group {group} is a valkey group but this cache runs redis; use a redis user group, or move the cache to valkey")));
        }
    }
}

/// EC024, EC025: endpoints that do not exist in the group's cluster mode.
fn endpoints(t: &Template, out: &mut Vec<Finding>) {
    let mut modes: Vec<(&str, bool)> = Vec::new();
    for (id, p) in t.of_type(RG) {
        if let Some((on, _)) = cluster_mode(t, p, param_group(t, p).as_ref()) {
            modes.push((id, on));
        }
    }
    if modes.is_empty() {
        return;
    }
    // The attribute `attr` of `r` does not exist in `r`'s cluster mode: EC024 or EC025.
    let wrong = |r: &str, attr: &str| -> Option<(&'static str, bool)> {
        let &(_, on) = modes.iter().find(|(id, _)| *id == r)?;
        let head = attr.split('.').next().unwrap_or(attr);
        if !on && head == "ConfigurationEndPoint" {
            Some(("EC024", on))
        } else if on && matches!(head, "PrimaryEndPoint" | "ReadEndPoint" | "ReaderEndPoint") {
            Some(("EC025", on))
        } else {
            None
        }
    };
    let mut check = |owner: &str, v: &J, base: &str| {
        // most templates have no such reference: look first, build paths only if one is there
        if !any_reference(v, &mut |r| matches!(r, Reference::GetAtt(r, attr) if wrong(r, attr).is_some())) {
            return;
        }
        each_reference(v, &mut base.to_string(), &mut |r, path| {
            let Reference::GetAtt(r, attr) = r else { return };
            match wrong(r, attr) {
            Some(("EC024", _)) => out.push(finding("EC024", owner, path, format!("{r}.{attr} does not exist: {r} is not in cluster mode; use {r}.PrimaryEndPoint.Address (or ReaderEndPoint for reads)"))),
            Some(_) => out.push(finding(
                "EC025",
                owner,
                path,
                format!("{r}.{attr} does not exist: {r} is in cluster mode; use {r}.ConfigurationEndPoint.Address"),
            )),
            None => {}
        }
        });
    };
    for (id, r) in t.resources {
        if let Some(p) = r.get("Properties") {
            check(id, p, "Properties");
        }
    }
    for (id, o) in t.outputs {
        if let Some(v) = o.get("Value") {
            check(id, v, "Value");
        }
    }
}

#[allow(dead_code)]
fn show(l: Option<Lit>) -> String {
    l.map(|l| l.show()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::tests::pair;
    use serde_json::{json, Value as J};

    /// A template with one secure replication group and its parameter group, with
    /// `props` merged over the group's properties (a `null` removes one).
    fn rg(props: J) -> J {
        rg_pg(props, json!({}))
    }

    fn rg_pg(props: J, pg: J) -> J {
        let mut base = json!({
            "ReplicationGroupDescription": "sessions",
            "Engine": "redis", "EngineVersion": "7.1", "CacheNodeType": "cache.r7g.large",
            "NumCacheClusters": 2, "AutomaticFailoverEnabled": true, "MultiAZEnabled": true,
            "AtRestEncryptionEnabled": true, "TransitEncryptionEnabled": true, "TransitEncryptionMode": "required",
            "AuthToken": "{{resolve:secretsmanager:redis-auth:SecretString:token}}",
            "CacheParameterGroupName": {"Ref": "Params"},
            "PreferredMaintenanceWindow": "sun:05:00-sun:06:00", "SnapshotWindow": "03:00-04:00",
            "SnapshotRetentionLimit": 7, "Port": 6379
        });
        merge(&mut base, props);
        base.as_object_mut().unwrap().retain(|_, v| !v.is_null());
        let mut pgp = json!({"CacheParameterGroupFamily": "redis7", "Description": "p", "Properties": {"maxmemory-policy": "volatile-lru"}});
        merge(&mut pgp, pg);
        json!({"Resources": {
            "Params": {"Type": "AWS::ElastiCache::ParameterGroup", "Properties": pgp},
            "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": base}
        }})
    }

    fn merge(base: &mut J, over: J) {
        if let (Some(b), J::Object(o)) = (base.as_object_mut(), over) {
            for (k, v) in o {
                b.insert(k, v);
            }
        }
    }

    const SHARDED: &str = r#"{"NumCacheClusters": null, "NumNodeGroups": 3, "ReplicasPerNodeGroup": 1}"#;

    fn sharded(extra: J) -> J {
        let mut p: J = serde_json::from_str(SHARDED).unwrap();
        merge(&mut p, extra);
        p
    }

    #[test]
    fn the_secure_group_is_clean() {
        let got = super::super::tests::run(&rg(json!({})));
        assert_eq!(got, Vec::<String>::new());
        let got =
            super::super::tests::run(&rg_pg(sharded(json!({})), json!({"Properties": {"cluster-enabled": "yes"}})));
        assert_eq!(got, Vec::<String>::new());
    }

    #[test]
    fn fails_ec001_auth_token_without_tls() {
        pair(rg(json!({"TransitEncryptionEnabled": false, "TransitEncryptionMode": null})), rg(json!({})),
            "Cache.Properties.AuthToken: [EC001] AuthToken needs TransitEncryptionEnabled true: ElastiCache accepts an AUTH token only over TLS; set TransitEncryptionEnabled to true");
    }

    #[test]
    fn fails_ec002_preferred_transit_mode() {
        pair(rg(json!({"TransitEncryptionMode": "preferred"})), rg(json!({})),
            "Cache.Properties.TransitEncryptionMode: [EC002] TransitEncryptionMode 'preferred' also accepts unencrypted connections; use it only while migrating clients to TLS, then set required");
    }

    #[test]
    fn fails_ec003_failover_with_one_node() {
        pair(rg(json!({"NumCacheClusters": 1, "MultiAZEnabled": false})), rg(json!({})),
            "Cache.Properties.AutomaticFailoverEnabled: [EC003] AutomaticFailoverEnabled is true but the group has a single node, so there is no replica to fail over to; set NumCacheClusters to 2 or more, or AutomaticFailoverEnabled to false");
        pair(rg_pg(sharded(json!({"ReplicasPerNodeGroup": 0})), json!({"Properties": {"cluster-enabled": "yes"}})), rg_pg(sharded(json!({})), json!({"Properties": {"cluster-enabled": "yes"}})),
            "Cache.Properties.MultiAZEnabled: [EC003] MultiAZEnabled is true but the shards have no replica to fail over to; set ReplicasPerNodeGroup to 1 or more, or MultiAZEnabled to false");
    }

    #[test]
    fn fails_ec004_multi_az_without_failover() {
        pair(rg(json!({"AutomaticFailoverEnabled": false})), rg(json!({})),
            "Cache.Properties.MultiAZEnabled: [EC004] MultiAZEnabled is true but AutomaticFailoverEnabled is not; Multi-AZ requires automatic failover, set AutomaticFailoverEnabled to true");
    }

    #[test]
    fn fails_ec005_cluster_mode_without_failover() {
        let pg = json!({"Properties": {"cluster-enabled": "yes"}});
        pair(rg_pg(sharded(json!({"AutomaticFailoverEnabled": null, "MultiAZEnabled": null})), pg.clone()), rg_pg(sharded(json!({})), pg.clone()),
            "Cache.Properties.AutomaticFailoverEnabled: [EC005] the group is in cluster mode (NumNodeGroups is above 1) but AutomaticFailoverEnabled is not true; cluster mode requires it, set AutomaticFailoverEnabled to true");
        pair(rg_pg(json!({"NumCacheClusters": 1, "AutomaticFailoverEnabled": false, "MultiAZEnabled": false}), pg.clone()), rg(json!({"NumCacheClusters": 1, "AutomaticFailoverEnabled": false, "MultiAZEnabled": false})),
            "Cache.Properties.AutomaticFailoverEnabled: [EC005] the group is in cluster mode (its parameter group sets cluster-enabled yes) but AutomaticFailoverEnabled is not true; cluster mode requires it, set AutomaticFailoverEnabled to true");
    }

    #[test]
    fn fails_ec006_cluster_mode_without_cluster_enabled() {
        pair(rg(sharded(json!({}))), rg_pg(sharded(json!({})), json!({"Properties": {"cluster-enabled": "yes"}})),
            "Cache.Properties.CacheParameterGroupName: [EC006] the group is in cluster mode (NumNodeGroups is above 1) but parameter group Params does not set cluster-enabled yes; use a parameter group with cluster-enabled: yes (or a default.*.cluster.on group)");
        pair(rg(sharded(json!({"CacheParameterGroupName": "default.redis7"}))), rg(sharded(json!({"CacheParameterGroupName": "default.redis7.cluster.on"}))),
            "Cache.Properties.CacheParameterGroupName: [EC006] the group is in cluster mode (NumNodeGroups is above 1) but parameter group 'default.redis7' does not set cluster-enabled yes; use a parameter group with cluster-enabled: yes (or a default.*.cluster.on group)");
    }

    #[test]
    fn fails_ec007_counts_out_of_range() {
        let pg = json!({"Properties": {"cluster-enabled": "yes"}});
        pair(
            rg_pg(
                sharded(json!({"NumNodeGroups": 501, "ReplicasPerNodeGroup": 0, "MultiAZEnabled": false})),
                pg.clone(),
            ),
            rg_pg(
                sharded(json!({"NumNodeGroups": 500, "ReplicasPerNodeGroup": 0, "MultiAZEnabled": false})),
                pg.clone(),
            ),
            "Cache.Properties.NumNodeGroups: [EC007] NumNodeGroups 501 is out of range; use 1 to 500 shards",
        );
        // Nodes: shards x (1 + replicas), at most 500 (250 below Redis OSS 5.0.6); over 90 needs a quota increase.
        pair(
            rg_pg(sharded(json!({"NumNodeGroups": 84, "ReplicasPerNodeGroup": 5})), pg.clone()),
            rg_pg(sharded(json!({"NumNodeGroups": 83, "ReplicasPerNodeGroup": 5})), pg.clone()),
            "Cache.Properties: [EC007] the group has 504 nodes (shards x (1 + replicas)), more than the 500 a cluster can have; use fewer shards or replicas",
        );
        pair(
            rg_pg(sharded(json!({"NumNodeGroups": 130, "ReplicasPerNodeGroup": 1, "EngineVersion": "5.0.5"})), json!({"CacheParameterGroupFamily": "redis5.0", "Properties": {"cluster-enabled": "yes"}})),
            rg_pg(sharded(json!({"NumNodeGroups": 130, "ReplicasPerNodeGroup": 1, "EngineVersion": "5.0.6"})), json!({"CacheParameterGroupFamily": "redis5.0", "Properties": {"cluster-enabled": "yes"}})),
            "Cache.Properties: [EC007] the group has 260 nodes (shards x (1 + replicas)), more than the 250 a cluster can have for Redis OSS below 5.0.6; use fewer shards or replicas",
        );
        pair(
            rg_pg(sharded(json!({"NumNodeGroups": 46, "ReplicasPerNodeGroup": 1})), pg.clone()),
            rg_pg(sharded(json!({"NumNodeGroups": 45, "ReplicasPerNodeGroup": 1})), pg.clone()),
            "Cache.Properties: [EC027] the group has 92 nodes (shards x (1 + replicas)), more than the default quota of 90 nodes per cluster; request a quota increase (Service Quotas, ElastiCache \"Nodes per cluster\") before deploying",
        );
        pair(rg_pg(sharded(json!({"ReplicasPerNodeGroup": "6"})), pg.clone()), rg_pg(sharded(json!({"ReplicasPerNodeGroup": "5"})), pg.clone()),
            "Cache.Properties.ReplicasPerNodeGroup: [EC007] ReplicasPerNodeGroup '6' is out of range; use 0 to 5 replicas per shard");
        let mut t = rg(json!({"NumCacheClusters": {"Ref": "Nodes"}}));
        t["Parameters"] = json!({"Nodes": {"Type": "Number", "Default": 7}});
        pair(t, rg(json!({"NumCacheClusters": 6})),
            "Cache.Properties.NumCacheClusters: [EC007] NumCacheClusters 7 (the default of parameter Nodes) is out of range; use 1 to 6 nodes");
    }

    #[test]
    fn fails_ec008_unknown_node_type() {
        pair(rg(json!({"CacheNodeType": "cache.t4g.nano"})), rg(json!({"CacheNodeType": "cache.t4g.micro"})),
            "Cache.Properties.CacheNodeType: [EC008] node type 'cache.t4g.nano' is not an ElastiCache node type; use a current type, this family has cache.t4g.medium, cache.t4g.micro, cache.t4g.small");
    }

    #[test]
    fn fails_ec009_data_tiering() {
        pair(rg(json!({"DataTieringEnabled": true})), rg(json!({"DataTieringEnabled": true, "CacheNodeType": "cache.r6gd.xlarge"})),
            "Cache.Properties.DataTieringEnabled: [EC009] DataTieringEnabled is true but node type 'cache.r7g.large' has no SSD tier; use an r6gd node type such as cache.r6gd.xlarge, or set DataTieringEnabled to false");
        pair(rg(json!({"CacheNodeType": "cache.r6gd.xlarge"})), rg(json!({"DataTieringEnabled": true, "CacheNodeType": "cache.r6gd.xlarge"})),
            "Cache.Properties.DataTieringEnabled: [EC009] node type 'cache.r6gd.xlarge' requires data tiering; set DataTieringEnabled to true, or use an r6g or r7g node type");
    }

    #[test]
    fn fails_ec010_unknown_engine_or_version() {
        pair(rg(json!({"EngineVersion": "6.1"})), rg(json!({"EngineVersion": "7.0"})),
            "Cache.Properties.EngineVersion: [EC010] engine version '6.1' is not a redis version ElastiCache offers; use one of 4.0.10, 5.0.6, 6.0, 6.2, 7.0, 7.1");
        // End of life and deprecation say so; 6.x is the API's name for the latest 6.
        let v = |version: &str, family: &str| {
            rg_pg(json!({"EngineVersion": version}), json!({"CacheParameterGroupFamily": family}))
        };
        pair(v("3.2.10", "redis3.2"), v("6.x", "redis6.x"),
            "Cache.Properties.EngineVersion: [EC010] redis engine version '3.2.10' is past end of life (since 2023-07-31); use one of 4.0.10, 5.0.6, 6.0, 6.2, 7.0, 7.1");
        pair(v("5.0.5", "redis5.0"), v("6.2", "redis6.x"),
            "Cache.Properties.EngineVersion: [EC010] redis engine version '5.0.5' is deprecated (AWS: use 5.0.6 or later) and no longer offered by the ElastiCache API; use one of 4.0.10, 5.0.6, 6.0, 6.2, 7.0, 7.1");
        pair(v("5.0.6", "redis5.0"), v("6.2", "redis6.x"),
            "Cache.Properties.EngineVersion: [EC030] redis '5.0.6' is past the end of standard support (2026-01-31); since 2026-02-01 ElastiCache charges for Extended Support, which ends 2029-01-31; upgrade to redis 7.1 or Valkey 9.1");
        // Newer than the data: a dated warning, not an error.
        let valkey = |version: &str| {
            rg_pg(
                json!({"Engine": "valkey", "EngineVersion": version}),
                json!({"CacheParameterGroupFamily": "valkey9"}),
            )
        };
        pair(valkey("9.2"), valkey("9.1"),
            "Cache.Properties.EngineVersion: [EC026] valkey engine version '9.2' is newer than the engine-version data (cfn-lint 1.58.0 and botocore 1.44.8, 2026-10-20), which lists 7.2, 8.0, 8.1, 8.2, 9.0, 9.1; if AWS has released it since, ignore this warning");
        pair(
            rg(json!({"Engine": "redis7"})),
            rg(json!({"Engine": "Redis"})),
            "Cache.Properties.Engine: [EC010] unknown engine 'redis7'; use redis or valkey",
        );
    }

    #[test]
    fn fails_ec011_family_mismatch() {
        pair(rg_pg(json!({}), json!({"CacheParameterGroupFamily": "redis6.x"})), rg(json!({})),
            "Cache.Properties.CacheParameterGroupName: [EC011] parameter group Params has family 'redis6.x' but redis 7.1 needs family 'redis7'; use a parameter group of family redis7");
        pair(rg_pg(json!({}), json!({"CacheParameterGroupFamily": "redis8"})), rg(json!({})),
            "Params.Properties.CacheParameterGroupFamily: [EC011] unknown parameter group family 'redis8'; use one of redis2.6, redis2.8, redis3.2, redis4.0, redis5.0, redis6.x, redis7, valkey7, valkey8, valkey9");
        pair(rg(json!({"Engine": "valkey", "EngineVersion": null})), rg_pg(json!({"Engine": "valkey", "EngineVersion": null}), json!({"CacheParameterGroupFamily": "valkey8"})),
            "Cache.Properties.CacheParameterGroupName: [EC011] parameter group Params has family 'redis7', which is not a valkey family; use a valkey family (valkey7, valkey8, valkey9)");
    }

    #[test]
    fn fails_ec012_to_ec014_windows() {
        pair(rg(json!({"PreferredMaintenanceWindow": "sunday:05:00-sunday:06:00"})), rg(json!({})),
            "Cache.Properties.PreferredMaintenanceWindow: [EC012] PreferredMaintenanceWindow 'sunday:05:00-sunday:06:00' is not a window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), such as sun:05:00-sun:06:00");
        pair(rg(json!({"SnapshotWindow": "3:00-4:00"})), rg(json!({})),
            "Cache.Properties.SnapshotWindow: [EC012] SnapshotWindow '3:00-4:00' is not a window of the form hh24:mi-hh24:mi (UTC), such as 03:00-04:00");
        pair(rg(json!({"PreferredMaintenanceWindow": "sun:05:00-sun:05:30"})), rg(json!({})),
            "Cache.Properties.PreferredMaintenanceWindow: [EC013] maintenance window 'sun:05:00-sun:05:30' is 30 minutes; make it at least 60 minutes, such as sun:05:00-sun:06:00");
        pair(rg(json!({"SnapshotWindow": "03:00-03:45"})), rg(json!({})),
            "Cache.Properties.SnapshotWindow: [EC013] snapshot window '03:00-03:45' is 45 minutes; make it at least 60 minutes, such as 03:00-04:00");
        pair(rg(json!({"SnapshotWindow": "05:30-06:30"})), rg(json!({})),
            "Cache.Properties.SnapshotWindow: [EC014] snapshot window '05:30-06:30' overlaps maintenance window 'sun:05:00-sun:06:00'; move one of them so they do not meet");
    }

    #[test]
    fn fails_ec015_retention() {
        pair(rg(json!({"SnapshotRetentionLimit": 36})), rg(json!({"SnapshotRetentionLimit": 35})),
            "Cache.Properties.SnapshotRetentionLimit: [EC015] SnapshotRetentionLimit 36 is out of range; keep snapshots 0 to 35 days");
    }

    #[test]
    fn fails_ec016_replication_group_id() {
        pair(rg(json!({"ReplicationGroupId": "sessions--1"})), rg(json!({"ReplicationGroupId": "Sessions-1"})),
            "Cache.Properties.ReplicationGroupId: [EC016] ReplicationGroupId 'sessions--1' must not contain two consecutive hyphens; use 1 to 40 lowercase letters, digits and single hyphens, starting with a letter");
    }

    #[test]
    fn fails_ec017_port() {
        pair(
            rg(json!({"Port": 70000})),
            rg(json!({"Port": 6380})),
            "Cache.Properties.Port: [EC017] Port 70000 is out of range; use 1 to 65535 (6379 is the default)",
        );
    }

    #[test]
    fn fails_ec018_to_ec021_encryption_and_auth() {
        pair(rg(json!({"AtRestEncryptionEnabled": false})), rg(json!({})),
            "Cache.Properties.AtRestEncryptionEnabled: [EC018] encryption at rest is off; set AtRestEncryptionEnabled to true (it can only be set when the group is created)");
        pair(rg(json!({"TransitEncryptionEnabled": null, "TransitEncryptionMode": null, "AuthToken": null, "UserGroupIds": ["app"]})), rg(json!({})),
            "Cache.Properties.TransitEncryptionEnabled: [EC019] encryption in transit is not set; set TransitEncryptionEnabled to true (with TransitEncryptionMode required)");
        pair(rg(json!({"AuthToken": null})), rg(json!({"AuthToken": null, "UserGroupIds": ["app"]})),
            "Cache.Properties: [EC020] neither AuthToken nor UserGroupIds: any client that reaches the port can use the cache; set an AuthToken from Secrets Manager or RBAC UserGroupIds");
        let valkey = |extra: J| {
            let mut p = json!({"Engine": "valkey", "EngineVersion": "8.0"});
            merge(&mut p, extra);
            rg_pg(p, json!({"CacheParameterGroupFamily": "valkey8"}))
        };
        pair(valkey(json!({"TransitEncryptionEnabled": null, "TransitEncryptionMode": null})), valkey(json!({})),
            "Cache.Properties.TransitEncryptionEnabled: [EC021] Valkey without an explicit TransitEncryptionEnabled: its default differs from Redis and drifts on update; set TransitEncryptionEnabled to true");
    }

    fn other(ty: &str, props: J) -> J {
        let mut t = rg(json!({}));
        t["Resources"]["Other"] = json!({"Type": ty, "Properties": props});
        t
    }

    #[test]
    fn fails_ec022_serverless() {
        let s = |extra: J| {
            let mut p = json!({"ServerlessCacheName": "s", "Engine": "valkey", "DailySnapshotTime": "04:00", "SnapshotRetentionLimit": 7});
            merge(&mut p, extra);
            other("AWS::ElastiCache::ServerlessCache", p)
        };
        pair(s(json!({"DailySnapshotTime": "04:00-05:00"})), s(json!({})),
            "Other.Properties.DailySnapshotTime: [EC022] DailySnapshotTime '04:00-05:00' is not a time of the form hh24:mi (UTC); use one such as 03:00");
        pair(s(json!({"SnapshotRetentionLimit": 40})), s(json!({})),
            "Other.Properties.SnapshotRetentionLimit: [EC022] SnapshotRetentionLimit 40 is out of range; keep snapshots 0 to 35 days");
        pair(
            s(json!({"Engine": "redis", "MajorEngineVersion": "9"})),
            s(json!({"MajorEngineVersion": "9"})),
            "Other.Properties.MajorEngineVersion: [EC022] serverless redis has no major version '9'; use 7",
        );
        pair(s(json!({"MajorEngineVersion": "10"})), s(json!({"Engine": "redis", "MajorEngineVersion": "7"})),
            "Other.Properties.MajorEngineVersion: [EC026] serverless valkey major version '10' is newer than the library's list (7, 8, 9); if AWS has released it since, ignore this warning");
    }

    #[test]
    fn fails_ec023_user_engine_mismatch() {
        let t = |user_engine: &str| {
            let mut t = other(
                "AWS::ElastiCache::UserGroup",
                json!({"UserGroupId": "app", "Engine": "valkey", "UserIds": ["default", {"Ref": "App"}]}),
            );
            t["Resources"]["App"] = json!({"Type": "AWS::ElastiCache::User", "Properties": {"UserId": "app", "UserName": "app", "Engine": user_engine, "AccessString": "on ~* +@all", "AuthenticationMode": {"Type": "iam"}}});
            t
        };
        // A valkey group holds valkey users and redis users that authenticate.
        let got = super::super::tests::run(&t("redis"));
        assert!(!got.iter().any(|f| f.contains("EC023")), "{got:?}");
        let mut no_password = t("redis");
        no_password["Resources"]["App"]["Properties"]["AuthenticationMode"] = json!({"Type": "no-password-required"});
        pair(no_password, t("valkey"),
            "Other.Properties.UserIds.1: [EC023] user App needs no password, which a valkey user group refuses; give it a password or IAM authentication");
        let mut redis_group = t("valkey");
        redis_group["Resources"]["Other"]["Properties"]["Engine"] = json!("redis");
        let mut redis_ok = t("redis");
        redis_ok["Resources"]["Other"]["Properties"]["Engine"] = json!("redis");
        pair(redis_group, redis_ok,
            "Other.Properties.UserIds.1: [EC023] user App has engine 'valkey' but the user group's engine is 'redis'; a redis user group holds only redis users, give the user engine redis");
    }

    #[test]
    fn fails_ec028_redis_cache_with_valkey_user_group() {
        let t = |group_engine: &str| {
            let mut t = rg(json!({"AuthToken": null, "UserGroupIds": [{"Ref": "Group"}]}));
            t["Resources"]["Group"] = json!({"Type": "AWS::ElastiCache::UserGroup", "Properties": {"UserGroupId": "app", "Engine": group_engine, "UserIds": ["default"]}});
            t
        };
        pair(t("valkey"), t("redis"),
            "Cache.Properties.UserGroupIds.0: [EC028] user group Group is a valkey group but this cache runs redis; use a redis user group, or move the cache to valkey");
    }

    #[test]
    fn fails_ec029_parameter_values() {
        let pg = |family: &str, params: J| {
            rg_pg(json!({}), json!({"CacheParameterGroupFamily": family, "Properties": params}))
        };
        for (params, want) in [
            (json!({"maxclients": "10000"}), "Params.Properties.Properties.maxclients: [EC029] parameter maxclients is '10000', which ElastiCache rejects; ElastiCache does not let a parameter group change maxclients; remove it"),
            (json!({"appendonly": "yes"}), "Params.Properties.Properties.appendonly: [EC029] parameter appendonly is 'yes', which ElastiCache rejects; ElastiCache does not let a parameter group change appendonly; remove it"),
            (json!({"timeout": "10"}), "Params.Properties.Properties.timeout: [EC029] parameter timeout is '10', which ElastiCache rejects; use 0 (never disconnect idle clients) or 20 seconds or more; 1 to 19 are invalid"),
        ] {
            pair(pg("redis7", params), pg("redis7", json!({"timeout": "300", "maxmemory-samples": "20"})), want);
        }
        let valkey = |params: J| {
            rg_pg(
                json!({"Engine": "valkey", "EngineVersion": "8.0"}),
                json!({"CacheParameterGroupFamily": "valkey8", "Properties": params}),
            )
        };
        pair(valkey(json!({"lazyfree-lazy-eviction": "yes"})), valkey(json!({"maxmemory-samples": "64"})),
            "Params.Properties.Properties.lazyfree-lazy-eviction: [EC029] parameter lazyfree-lazy-eviction is 'yes', which ElastiCache rejects; lazyfree-lazy-eviction was removed in Valkey 8 (family valkey8); remove it (Valkey frees lazily by default)");
        pair(valkey(json!({"maxmemory-samples": "65"})), valkey(json!({"maxmemory-samples": "11"})),
            "Params.Properties.Properties.maxmemory-samples: [EC029] parameter maxmemory-samples is '65', which ElastiCache rejects; use a whole number from 1 to 64");
        let tiering = |policy: &str| {
            rg_pg(
                json!({"CacheNodeType": "cache.r6gd.xlarge", "DataTieringEnabled": true}),
                json!({"Properties": {"maxmemory-policy": policy}}),
            )
        };
        pair(tiering("allkeys-lfu"), tiering("allkeys-lru"),
            "Cache.Properties.CacheParameterGroupName: [EC029] parameter group Params sets maxmemory-policy 'allkeys-lfu' but data tiering (cache.r6gd.xlarge) supports only volatile-lru, allkeys-lru, noeviction; use one of those");
    }

    #[test]
    fn fails_ec032_ec033_log_delivery() {
        let log = |ty: &str| json!({"LogType": ty, "LogFormat": "json", "DestinationType": "cloudwatch-logs", "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "g"}}});
        let v = |version: &str, family: &str, logs: J| {
            rg_pg(
                json!({"EngineVersion": version, "LogDeliveryConfigurations": logs}),
                json!({"CacheParameterGroupFamily": family}),
            )
        };
        pair(v("6.0", "redis6.x", json!([log("engine-log")])), v("6.2", "redis6.x", json!([log("engine-log")])),
            "Cache.Properties.LogDeliveryConfigurations.0.LogType: [EC032] engine-log delivery needs Redis OSS 6.2 or later, but EngineVersion is '6.0'; upgrade the engine or drop this log");
        pair(v("5.0.6", "redis5.0", json!([log("slow-log")])), v("6.0", "redis6.x", json!([log("slow-log")])),
            "Cache.Properties.LogDeliveryConfigurations.0.LogType: [EC032] slow-log delivery needs Redis OSS 6.0 or later, but EngineVersion is '5.0.6'; upgrade the engine or drop this log");
        pair(rg(json!({"LogDeliveryConfigurations": [log("slow-log"), log("slow-log")]})), rg(json!({"LogDeliveryConfigurations": [log("slow-log"), log("engine-log")]})),
            "Cache.Properties.LogDeliveryConfigurations.1.LogType: [EC033] LogType 'slow-log' is delivered twice; list each log type once");
    }

    #[test]
    fn fails_ec031_values_the_api_does_not_take() {
        pair(rg(json!({"TransitEncryptionMode": "optional"})), rg(json!({})),
            "Cache.Properties.TransitEncryptionMode: [EC031] TransitEncryptionMode 'optional' is not a value the ElastiCache API takes; use one of preferred, required (cfn-lint 1.58.0 and botocore 1.44.8)");
        pair(rg(json!({"LogDeliveryConfigurations": [{"LogType": "slowlog", "LogFormat": "json", "DestinationType": "cloudwatch-logs"}]})),
            rg(json!({"LogDeliveryConfigurations": [{"LogType": "slow-log", "LogFormat": "json", "DestinationType": "cloudwatch-logs"}]})),
            "Cache.Properties.LogDeliveryConfigurations.0.LogType: [EC031] LogType 'slowlog' is not a value the ElastiCache API takes; use one of slow-log, engine-log (cfn-lint 1.58.0 and botocore 1.44.8)");
        let pg = json!({"Properties": {"cluster-enabled": "yes"}});
        pair(rg_pg(json!({"NumCacheClusters": null, "NodeGroupConfiguration": [{"NodeGroupId": "00001", "ReplicaCount": 1}, {"NodeGroupId": "0002", "ReplicaCount": 1}]}), pg.clone()),
            rg_pg(json!({"NumCacheClusters": null, "NodeGroupConfiguration": [{"NodeGroupId": "0001", "ReplicaCount": 1}, {"NodeGroupId": "0002", "ReplicaCount": 1}]}), pg),
            "Cache.Properties.NodeGroupConfiguration.0.NodeGroupId: [EC031] NodeGroupId '00001' is not a value the ElastiCache API takes; use 1 to 4 digits, such as 0001 (cfn-lint 1.58.0 and botocore 1.44.8)");
    }

    #[test]
    fn one_node_group_is_cluster_mode_off_unless_the_parameter_group_says_so() {
        // NumNodeGroups 1 without cluster-enabled: a cluster-mode-disabled group, primary endpoint and all.
        let mut t = rg(json!({"NumCacheClusters": null, "NumNodeGroups": 1, "ReplicasPerNodeGroup": 1}));
        t["Outputs"] = json!({"Host": {"Value": {"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]}}});
        assert_eq!(super::super::tests::run(&t), Vec::<String>::new());
        let mut on = rg_pg(
            json!({"NumCacheClusters": null, "NumNodeGroups": 1, "ReplicasPerNodeGroup": 1}),
            json!({"Properties": {"cluster-enabled": "yes"}}),
        );
        on["Outputs"] = t["Outputs"].clone();
        assert_eq!(super::super::tests::run(&on), vec!["Host.Value: [EC025] Cache.PrimaryEndPoint.Address does not exist: Cache is in cluster mode; use Cache.ConfigurationEndPoint.Address"]);
    }

    #[test]
    fn valkey_is_encrypted_at_rest_by_default() {
        let valkey = |extra: J| {
            let mut p = json!({"Engine": "valkey", "EngineVersion": "8.0", "AtRestEncryptionEnabled": null});
            merge(&mut p, extra);
            rg_pg(p, json!({"CacheParameterGroupFamily": "valkey8"}))
        };
        assert_eq!(super::super::tests::run(&valkey(json!({}))), Vec::<String>::new());
        pair(valkey(json!({"AtRestEncryptionEnabled": false})), valkey(json!({})),
            "Cache.Properties.AtRestEncryptionEnabled: [EC018] encryption at rest is off; set AtRestEncryptionEnabled to true (it can only be set when the group is created)");
        pair(rg(json!({"AtRestEncryptionEnabled": null})), valkey(json!({})),
            "Cache.Properties.AtRestEncryptionEnabled: [EC018] encryption at rest is not set; set AtRestEncryptionEnabled to true (it can only be set when the group is created)");
    }

    #[test]
    fn node_types_follow_the_region_and_the_engine() {
        let in_region = |ty: &str, region: &str| {
            let t = rg(json!({"CacheNodeType": ty}));
            super::super::check_in(&t, Some(region)).iter().map(|f| f.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(in_region("cache.c7gn.large", "ca-central-1"), vec![
            "Cache.Properties.CacheNodeType: [EC008] node type 'cache.c7gn.large' is not offered in ca-central-1 (it is in eu-west-1, us-east-1, us-east-2, us-west-2; cfn-lint 1.58.0 and botocore 1.44.8 data of 2026-10-20); no cache.c7gn type is offered there; use another family, such as cache.r7g.large",
        ]);
        assert_eq!(in_region("cache.c7gn.large", "us-east-1"), Vec::<String>::new());
        assert_eq!(in_region("cache.t4g.micro", "me-central-1").len(), 1);
        // Every r8g/m8g/c8gn type the data lists is a node type, for Valkey.
        for (name, _) in crate::facts::data::NODE_TYPES.iter().filter(|(n, _)| n.contains("8g")) {
            let t = rg_pg(
                json!({"Engine": "valkey", "EngineVersion": "8.0", "CacheNodeType": name}),
                json!({"CacheParameterGroupFamily": "valkey8"}),
            );
            assert_eq!(super::super::tests::run(&t), Vec::<String>::new(), "{name}");
        }
        pair(rg(json!({"CacheNodeType": "cache.r8g.large"})), rg(json!({"CacheNodeType": "cache.r7g.large"})),
            "Cache.Properties.CacheNodeType: [EC008] node type 'cache.r8g.large' is offered for Valkey (and Memcached) only, not Redis OSS (AWS's Supported node types page lists it under Valkey alone); use engine valkey, or a Redis OSS type such as cache.r7g.large");
    }

    #[test]
    fn fails_ec024_ec025_endpoints() {
        let with_output = |mut t: J, attr: &str| {
            t["Outputs"] = json!({"Host": {"Value": {"Fn::GetAtt": ["Cache", attr]}}, "Url": {"Value": {"Fn::Sub": format!("rediss://${{Cache.{attr}}}:6379")}}});
            t
        };
        pair(with_output(rg(json!({})), "ConfigurationEndPoint.Address"), with_output(rg(json!({})), "PrimaryEndPoint.Address"),
            "Url.Value: [EC024] Cache.ConfigurationEndPoint.Address does not exist: Cache is not in cluster mode; use Cache.PrimaryEndPoint.Address (or ReaderEndPoint for reads)");
        let pg = json!({"Properties": {"cluster-enabled": "yes"}});
        pair(with_output(rg_pg(sharded(json!({})), pg.clone()), "PrimaryEndPoint.Address"), with_output(rg_pg(sharded(json!({})), pg.clone()), "ConfigurationEndPoint.Address"),
            "Host.Value: [EC025] Cache.PrimaryEndPoint.Address does not exist: Cache is in cluster mode; use Cache.ConfigurationEndPoint.Address");
    }

    #[test]
    fn cache_clusters_and_unresolved_values() {
        let cc = |extra: J| {
            let mut p = json!({"Engine": "valkey", "EngineVersion": "8.0", "CacheNodeType": "cache.t4g.micro", "NumCacheNodes": 1, "TransitEncryptionEnabled": true, "CacheParameterGroupName": "default.valkey8"});
            merge(&mut p, extra);
            p.as_object_mut().unwrap().retain(|_, v| !v.is_null());
            other("AWS::ElastiCache::CacheCluster", p)
        };
        pair(cc(json!({"CacheNodeType": "r7g.large"})), cc(json!({})),
            "Other.Properties.CacheNodeType: [EC008] node type 'r7g.large' is not an ElastiCache node type; use a current type, such as cache.t4g.micro, cache.m7g.large or cache.r7g.large");
        // A well-formed type of a family the data does not list is newer than the data.
        pair(cc(json!({"CacheNodeType": "cache.r9g.large"})), cc(json!({"CacheNodeType": "cache.r8g.large"})),
            "Other.Properties.CacheNodeType: [EC026] node type 'cache.r9g.large' is not in the node-type data (cfn-lint 1.58.0 and botocore 1.44.8, 2026-10-20); if AWS has released it since, ignore this warning, otherwise use a listed type such as cache.r7g.large");
        pair(cc(json!({"CacheParameterGroupName": "default.valkey7"})), cc(json!({})),
            "Other.Properties.CacheParameterGroupName: [EC011] parameter group 'default.valkey7' has family 'valkey7' but valkey 8.0 needs family 'valkey8'; use a parameter group of family valkey8");
        // Memcached clusters and unresolved values are skipped.
        let got = super::super::tests::run(&cc(json!({"Engine": "memcached", "CacheNodeType": "cache.x1.large"})));
        assert!(!got.iter().any(|g| g.contains("[EC0")), "{got:?}");
        let mut t = rg(
            json!({"NumCacheClusters": {"Ref": "N"}, "EngineVersion": {"Ref": "V"}, "PreferredMaintenanceWindow": {"Fn::If": ["C", "x", "y"]}}),
        );
        t["Parameters"] = json!({"N": {"Type": "Number"}, "V": {"Type": "String"}});
        assert_eq!(super::super::tests::run(&t), Vec::<String>::new());
    }
}
