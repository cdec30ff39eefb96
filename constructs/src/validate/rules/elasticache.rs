//! ElastiCache rules (EC001..EC025): replication groups, cache clusters, their
//! parameter groups, serverless caches, users and user groups.

use super::{each_get_att, finding, Lit, Tpl};
use crate::facts::{self, Engine};
use crate::validate::Finding;
use serde_json::{Map, Value as J};

const RG: &str = "AWS::ElastiCache::ReplicationGroup";
const CC: &str = "AWS::ElastiCache::CacheCluster";
const PG: &str = "AWS::ElastiCache::ParameterGroup";
const SERVERLESS: &str = "AWS::ElastiCache::ServerlessCache";
const USER: &str = "AWS::ElastiCache::User";
const USER_GROUP: &str = "AWS::ElastiCache::UserGroup";

type Props<'a> = &'a Map<String, J>;

pub(super) fn check(t: &Tpl, out: &mut Vec<Finding>) {
    for (id, p) in t.of_type(PG) {
        parameter_group_family(t, id, p, out);
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
    t: &Tpl,
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

fn param_group(t: &Tpl, p: Props) -> Option<ParamGroup> {
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
fn cluster_mode(t: &Tpl, p: Props, pg: Option<&ParamGroup>) -> Option<(bool, &'static str)> {
    if let Some(mode) = p.get("ClusterMode") {
        match t.resolve(mode)?.text().as_str() {
            "enabled" => return Some((true, "ClusterMode is enabled")),
            "disabled" => return Some((false, "ClusterMode is disabled")),
            _ => return None,
        }
    }
    for key in ["NumNodeGroups", "ReplicasPerNodeGroup", "NodeGroupConfiguration"] {
        if p.contains_key(key) {
            return Some((
                true,
                match key {
                    "NumNodeGroups" => "it sets NumNodeGroups",
                    "ReplicasPerNodeGroup" => "it sets ReplicasPerNodeGroup",
                    _ => "it sets NodeGroupConfiguration",
                },
            ));
        }
    }
    match pg.map(|g| g.cluster_enabled) {
        Some(Some(true)) => Some((true, "its parameter group sets cluster-enabled yes")),
        Some(None) => None,
        _ => Some((false, "it sets neither NumNodeGroups nor cluster-enabled")),
    }
}

fn bool_prop(t: &Tpl, p: Props, key: &str) -> Result<bool, ()> {
    match p.get(key) {
        None => Ok(false),
        Some(v) => t.resolve(v).and_then(|l| l.bool()).ok_or(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn int_in(t: &Tpl, id: &str, p: Props, key: &str, lo: i64, hi: i64, what: &str, out: &mut Vec<Finding>) {
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

fn replication_group(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
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
    let multi_az = bool_prop(t, p, "MultiAZEnabled");
    let failover = bool_prop(t, p, "AutomaticFailoverEnabled");
    match mode {
        Some((false, _)) => {
            let nodes = match p.get("NumCacheClusters") {
                None => Some(1),
                Some(v) => t.resolve(v).and_then(|l| l.int()),
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

    // Node type, engine version, parameter group family.
    node_type(t, id, p, true, out);
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

fn cache_cluster(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
    if p.get("Engine").and_then(|v| t.resolve(v)).is_some_and(|l| l.text().eq_ignore_ascii_case("memcached")) {
        return;
    }
    let Some(e) = engine(t, id, p, None, true, out) else { return };
    if e == Engine::Valkey && !p.contains_key("TransitEncryptionEnabled") {
        out.push(finding("EC021", id, "Properties.TransitEncryptionEnabled", "Valkey without an explicit TransitEncryptionEnabled: its default differs from Redis and drifts on update; set TransitEncryptionEnabled to true"));
    }
    node_type(t, id, p, false, out);
    let pg = param_group(t, p);
    if let Some(g) = &pg {
        if g.cluster_enabled == Some(true) {
            out.push(finding("EC006", id, "Properties.CacheParameterGroupName", format!("{} sets cluster-enabled yes, which a single CacheCluster cannot use; use a replication group with NumNodeGroups for cluster mode, or a parameter group without cluster-enabled", g.name)));
        }
    }
    version_and_family(t, id, p, e, pg.as_ref(), out);
    int_in(t, id, p, "NumCacheNodes", 1, 1, "node (a Redis or Valkey CacheCluster has exactly one)", out);
    windows(t, id, p, out);
    retention(t, id, p, "EC015", out);
    port(t, id, p, out);
}

fn node_type(t: &Tpl, id: &str, p: Props, replication_group: bool, out: &mut Vec<Finding>) {
    let Some(l) = t.get(p, "CacheNodeType") else { return };
    let name = l.text();
    let Some(n) = facts::node_type(&name) else {
        let family = name.rsplit_once('.').map_or("", |(f, _)| f);
        let same: Vec<&str> = facts::NODE_TYPES
            .iter()
            .map(|n| n.name)
            .filter(|n| !family.is_empty() && n.starts_with(&format!("{family}.")))
            .collect();
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
        return;
    };
    if !replication_group {
        return;
    }
    match bool_prop(t, p, "DataTieringEnabled") {
        Ok(true) if !n.data_tiering => out.push(finding("EC009", id, "Properties.DataTieringEnabled", format!("DataTieringEnabled is true but node type {} has no SSD tier; use an r6gd node type such as cache.r6gd.xlarge, or set DataTieringEnabled to false", l.show()))),
        Ok(false) if n.data_tiering => out.push(finding("EC009", id, "Properties.DataTieringEnabled", format!("node type {} requires data tiering; set DataTieringEnabled to true, or use an r6g or r7g node type", l.show()))),
        _ => {}
    }
}

fn version_and_family(t: &Tpl, id: &str, p: Props, e: Engine, pg: Option<&ParamGroup>, out: &mut Vec<Finding>) {
    let version = t.get(p, "EngineVersion");
    let mut expected: Option<&str> = None;
    if let Some(l) = version {
        match facts::parameter_group_family(e, &l.text()) {
            Some(f) => expected = Some(f),
            None => out.push(finding(
                "EC010",
                id,
                "Properties.EngineVersion",
                format!(
                    "engine version {} is not a known {e} version; use one of {}",
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

fn parameter_group_family(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
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

fn windows(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
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

fn retention(t: &Tpl, id: &str, p: Props, rule: &'static str, out: &mut Vec<Finding>) {
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

fn port(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
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

fn serverless(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
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
}

fn user_group(t: &Tpl, id: &str, p: Props, out: &mut Vec<Finding>) {
    let Some(group_engine) = t.get(p, "Engine").map(|l| l.text().to_ascii_lowercase()) else { return };
    let Some(J::Array(users)) = p.get("UserIds") else { return };
    for (i, u) in users.iter().enumerate() {
        let Some(user) = t.target(u).filter(|r| t.type_of(r) == Some(USER)) else { continue };
        let Some(up) = t.props(user) else { continue };
        let Some(l) = t.get(up, "Engine") else { continue };
        let user_engine = l.text().to_ascii_lowercase();
        if user_engine != group_engine {
            out.push(finding("EC023", id, format!("Properties.UserIds.{i}"), format!("user {user} has engine '{user_engine}' but the user group's engine is '{group_engine}'; give the user and its group the same engine")));
        }
    }
}

/// EC024, EC025: endpoints that do not exist in the group's cluster mode.
fn endpoints(t: &Tpl, out: &mut Vec<Finding>) {
    let mut modes: Vec<(&str, bool)> = Vec::new();
    for (id, p) in t.of_type(RG) {
        if let Some((on, _)) = cluster_mode(t, p, param_group(t, p).as_ref()) {
            modes.push((id, on));
        }
    }
    if modes.is_empty() {
        return;
    }
    let mut check = |owner: &str, v: &J, base: &str| {
        each_get_att(v, base, &mut |r, attr, path| {
            let Some(&(_, on)) = modes.iter().find(|(id, _)| *id == r) else { return };
            let head = attr.split('.').next().unwrap_or(attr);
            if !on && head == "ConfigurationEndPoint" {
                out.push(finding("EC024", owner, path, format!("{r}.{attr} does not exist: {r} is not in cluster mode; use {r}.PrimaryEndPoint.Address (or ReaderEndPoint for reads)")));
            } else if on && matches!(head, "PrimaryEndPoint" | "ReadEndPoint" | "ReaderEndPoint") {
                out.push(finding(
                    "EC025",
                    owner,
                    path,
                    format!("{r}.{attr} does not exist: {r} is in cluster mode; use {r}.ConfigurationEndPoint.Address"),
                ));
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
            "Cache.Properties.AutomaticFailoverEnabled: [EC005] the group is in cluster mode (it sets NumNodeGroups) but AutomaticFailoverEnabled is not true; cluster mode requires it, set AutomaticFailoverEnabled to true");
        pair(rg_pg(json!({"NumCacheClusters": 1, "AutomaticFailoverEnabled": false, "MultiAZEnabled": false}), pg.clone()), rg(json!({"NumCacheClusters": 1, "AutomaticFailoverEnabled": false, "MultiAZEnabled": false})),
            "Cache.Properties.AutomaticFailoverEnabled: [EC005] the group is in cluster mode (its parameter group sets cluster-enabled yes) but AutomaticFailoverEnabled is not true; cluster mode requires it, set AutomaticFailoverEnabled to true");
    }

    #[test]
    fn fails_ec006_cluster_mode_without_cluster_enabled() {
        pair(rg(sharded(json!({}))), rg_pg(sharded(json!({})), json!({"Properties": {"cluster-enabled": "yes"}})),
            "Cache.Properties.CacheParameterGroupName: [EC006] the group is in cluster mode (it sets NumNodeGroups) but parameter group Params does not set cluster-enabled yes; use a parameter group with cluster-enabled: yes (or a default.*.cluster.on group)");
        pair(rg(sharded(json!({"CacheParameterGroupName": "default.redis7"}))), rg(sharded(json!({"CacheParameterGroupName": "default.redis7.cluster.on"}))),
            "Cache.Properties.CacheParameterGroupName: [EC006] the group is in cluster mode (it sets NumNodeGroups) but parameter group 'default.redis7' does not set cluster-enabled yes; use a parameter group with cluster-enabled: yes (or a default.*.cluster.on group)");
    }

    #[test]
    fn fails_ec007_counts_out_of_range() {
        let pg = json!({"Properties": {"cluster-enabled": "yes"}});
        pair(
            rg_pg(sharded(json!({"NumNodeGroups": 501})), pg.clone()),
            rg_pg(sharded(json!({"NumNodeGroups": 500})), pg.clone()),
            "Cache.Properties.NumNodeGroups: [EC007] NumNodeGroups 501 is out of range; use 1 to 500 shards",
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
        pair(rg(json!({"EngineVersion": "7.3"})), rg(json!({"EngineVersion": "7.0"})),
            "Cache.Properties.EngineVersion: [EC010] engine version '7.3' is not a known redis version; use one of 4.0.10, 5.0.0, 5.0.3, 5.0.4, 5.0.5, 5.0.6, 6.0, 6.2, 6.x, 7.0, 7.1");
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
        pair(t("redis"), t("valkey"),
            "Other.Properties.UserIds.1: [EC023] user App has engine 'redis' but the user group's engine is 'valkey'; give the user and its group the same engine");
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
        pair(cc(json!({"CacheNodeType": "cache.x1.large"})), cc(json!({})),
            "Other.Properties.CacheNodeType: [EC008] node type 'cache.x1.large' is not an ElastiCache node type; use a current type, such as cache.t4g.micro, cache.m7g.large or cache.r7g.large");
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
