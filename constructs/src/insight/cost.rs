//! What the caches of a synthesized app cost on demand each month, read from the
//! templates: node types × node counts × hours for node-based clusters, the
//! minimum billed storage for serverless caches, in each stack's region.
//!
//! Prices are the data tables of [`crate::facts`] (node types, region factors,
//! serverless prices); node-based figures come from
//! [`crate::facts::node_monthly_cost`], the function the constructs' own
//! `estimated_monthly_cost_usd` use, so a stack output and this report agree.
//!
//! ```
//! use redis_cdk::insight::template_cost;
//! use serde_json::json;
//!
//! let t = json!({"Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
//!     "Properties": {"CacheNodeType": "cache.t4g.micro", "NumCacheClusters": 2}}}});
//! let cost = template_cost("Demo", &t, Some("us-east-1"));
//! assert_eq!(cost.monthly_usd, 23.36); // 2 × $0.016 × 730 h
//! ```

use crate::facts::node_monthly_cost;
use crate::facts::{self, Engine};
use crate::synthesis::Assembly;
use crate::template::Template;
use serde::Serialize;
use serde_json::{json, Map, Value as Json};
use std::fmt::Write as _;

/// The region prices are read for when a stack names none.
pub const DEFAULT_PRICING_REGION: &str = "us-east-1";

/// The monthly estimate of one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostLine {
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// `redis`, `valkey` or `memcached`, when known.
    pub engine: Option<String>,
    /// The node type of a node-based cluster.
    pub node_type: Option<String>,
    /// The number of nodes of a node-based cluster, when known.
    pub nodes: Option<u32>,
    /// Hours billed per month.
    pub hours: f64,
    /// Price per node-hour in the stack's region, engine discount included.
    pub node_hourly_usd: Option<f64>,
    /// The minimum monthly charge of a serverless cache (minimum billed storage).
    pub serverless_minimum_usd: Option<f64>,
    /// The monthly estimate, USD; `None` when a value it needs is not known at synth time.
    pub monthly_usd: Option<f64>,
    /// Why the figure is unknown or what it leaves out.
    pub note: Option<String>,
}

/// The estimate of one stack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackCost {
    /// The stack name.
    pub stack: String,
    /// The region priced.
    pub region: String,
    /// Whether the region has a price factor in [`facts::REGION_PRICE_FACTORS`]
    /// (otherwise us-east-1 prices are used).
    pub region_priced: bool,
    /// One line per cache resource, in template order.
    pub lines: Vec<CostLine>,
    /// The sum of the known lines, USD per month.
    pub monthly_usd: f64,
    /// How many lines are unknown (not in the sum).
    pub unknown: usize,
}

/// The estimate of a whole app.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostReport {
    /// One entry per stack.
    pub stacks: Vec<StackCost>,
    /// The sum over stacks, USD per month.
    pub monthly_usd: f64,
    /// How many lines are unknown (not in the sum).
    pub unknown: usize,
}

/// Estimates every stack of `assembly`, each in its own region (us-east-1 when unset).
pub fn assembly_cost(assembly: &Assembly) -> CostReport {
    assembly_cost_in(assembly, None)
}

/// Estimates every stack of `assembly` in `region`, or in its own region when `None`.
pub fn assembly_cost_in(assembly: &Assembly, region: Option<&str>) -> CostReport {
    let stacks: Vec<StackCost> =
        assembly.stacks.iter().map(|s| template_cost(&s.name, &s.template, region.or(s.region.as_deref()))).collect();
    let monthly_usd = cents(stacks.iter().map(|s| s.monthly_usd).sum());
    let unknown = stacks.iter().map(|s| s.unknown).sum();
    CostReport { stacks, monthly_usd, unknown }
}

/// Estimates the ElastiCache resources of one template in `region` (us-east-1 when `None`).
///
/// A value that is an intrinsic function is unknown, except a `Ref` to a
/// parameter with a `Default`, which is read as that default.
pub fn template_cost(stack: &str, template: &Json, region: Option<&str>) -> StackCost {
    let region = region.unwrap_or(DEFAULT_PRICING_REGION);
    let mut lines = Vec::new();
    if let Some(tpl) = Template::new(template, None) {
        for r in tpl.resources() {
            let (Some(t), Some(p)) = (r.ty, r.props) else { continue };
            let line = match t {
                "AWS::ElastiCache::ReplicationGroup" => {
                    let nodes = tpl.replication_group_nodes(p).map(|n| u32::try_from(n).unwrap_or(u32::MAX));
                    node_based(r.id, t, p, &tpl, region, nodes)
                }
                "AWS::ElastiCache::CacheCluster" => {
                    let nodes = match p.get("NumCacheNodes").and_then(|v| tpl.resolve(v)) {
                        None => Err("NumCacheNodes is not known at synth time"),
                        Some(n) => n
                            .count()
                            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                            .ok_or("NumCacheNodes is not a number"),
                    };
                    node_based(r.id, t, p, &tpl, region, nodes)
                }
                "AWS::ElastiCache::ServerlessCache" => serverless(r.id, t, p, &tpl, region),
                _ => continue,
            };
            lines.push(line);
        }
    }
    let monthly_usd = cents(lines.iter().filter_map(|l| l.monthly_usd).sum());
    let unknown = lines.iter().filter(|l| l.monthly_usd.is_none()).count();
    StackCost {
        stack: stack.to_string(),
        region: region.to_string(),
        region_priced: facts::region_price_factor(region).is_some(),
        lines,
        monthly_usd,
        unknown,
    }
}

/// Rounded to cents (and never `-0.0`, which an empty float sum is).
fn cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0 + 0.0
}

fn engine_of<'a>(p: &'a Map<String, Json>, tpl: &Template<'a>, default: &str) -> Option<String> {
    match p.get("Engine") {
        None => Some(default.to_string()),
        Some(v) => tpl.resolve(v).and_then(|v| v.str().map(str::to_ascii_lowercase)),
    }
}

fn node_based<'a>(
    id: &str,
    t: &str,
    p: &'a Map<String, Json>,
    tpl: &Template<'a>,
    region: &str,
    nodes: Result<u32, &'static str>,
) -> CostLine {
    let engine = engine_of(p, tpl, "redis");
    let node_type = tpl.get(p, "CacheNodeType").and_then(|v| v.str().map(str::to_string));
    let mut line = CostLine {
        logical_id: id.to_string(),
        resource_type: t.to_string(),
        engine: engine.clone(),
        node_type: node_type.clone(),
        nodes: nodes.ok(),
        hours: facts::HOURS_PER_MONTH,
        node_hourly_usd: None,
        serverless_minimum_usd: None,
        monthly_usd: None,
        note: None,
    };
    // Memcached and Redis OSS nodes are priced alike; Valkey 20 % less.
    let priced_engine = match engine.as_deref() {
        Some("valkey") => Some(Engine::Valkey),
        Some("redis" | "memcached") => Some(Engine::Redis),
        _ => None,
    };
    let (Some(engine), Some(node_type)) = (priced_engine, node_type) else {
        line.note = Some(if line.node_type.is_none() {
            "CacheNodeType is not known at synth time".into()
        } else {
            "Engine is not known at synth time".into()
        });
        return line;
    };
    let Some(hourly) = facts::node_type(&node_type).and_then(|n| n.hourly_usd_for(engine)) else {
        line.note = Some(format!("no price for node type {node_type} with {engine}"));
        return line;
    };
    let region_factor = facts::region_price_factor(region).unwrap_or(1.0);
    line.node_hourly_usd = Some(hourly * region_factor);
    match nodes {
        Ok(n) => line.monthly_usd = Some(node_monthly_cost(engine, &node_type, n, Some(region))),
        Err(why) => line.note = Some(why.to_string()),
    }
    line
}

fn serverless<'a>(id: &str, t: &str, p: &'a Map<String, Json>, tpl: &Template<'a>, region: &str) -> CostLine {
    let engine = engine_of(p, tpl, "");
    let mut line = CostLine {
        logical_id: id.to_string(),
        resource_type: t.to_string(),
        engine: engine.clone().filter(|e| !e.is_empty()),
        node_type: None,
        nodes: None,
        hours: facts::HOURS_PER_MONTH,
        node_hourly_usd: None,
        serverless_minimum_usd: None,
        monthly_usd: None,
        note: None,
    };
    let Some(price) = engine
        .and_then(|e| e.parse::<Engine>().ok())
        .and_then(|e| facts::SERVERLESS_PRICES.iter().find(|p| p.engine == e))
    else {
        line.note = Some("Engine is not known at synth time".into());
        return line;
    };
    // A configured storage minimum (CacheUsageLimits.DataStorage.Minimum, GB) is billed when higher.
    let configured = p
        .get("CacheUsageLimits")
        .and_then(|l| l.get("DataStorage"))
        .and_then(|d| tpl.resolve(d.get("Minimum")?))
        .and_then(|l| l.count())
        .map_or(0.0, |gb| gb as f64);
    let gb = price.minimum_gb.max(configured);
    let minimum = facts::serverless_storage_monthly_cost(price.engine, gb, Some(region));
    line.serverless_minimum_usd = Some(minimum);
    // the construct's estimate (the assumed steady load), with the storage configured
    line.monthly_usd = Some(facts::serverless_monthly_cost_storing(price.engine, gb, Some(region)));
    let factor = facts::region_price_factor(region).unwrap_or(1.0);
    line.note = Some(format!(
        "serverless: minimum ${minimum:.2} ({gb} GB stored); estimate adds {} ECPU/s around the clock at ${:.4} per million",
        facts::SERVERLESS_ASSUMED_ECPU_PER_SECOND,
        price.million_ecpu_usd * factor
    ));
    line
}

impl CostReport {
    /// The machine-readable form.
    pub fn to_json(&self) -> Json {
        json!(self)
    }

    /// A plain-text table per stack, then the total.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for stack in &self.stacks {
            let _ = writeln!(
                s,
                "Stack {} ({}{})",
                stack.stack,
                stack.region,
                if stack.region_priced { "" } else { ": no price factor, us-east-1 prices" }
            );
            if stack.lines.is_empty() {
                s.push_str("  no ElastiCache resources\n\n");
                continue;
            }
            let header = ["RESOURCE", "TYPE", "ENGINE", "NODE TYPE", "NODES", "HOURS", "USD/NODE-HOUR", "MONTHLY USD"];
            let mut rows: Vec<[String; 8]> = vec![header.map(str::to_string)];
            let mut notes = Vec::new();
            for l in &stack.lines {
                rows.push([
                    l.logical_id.clone(),
                    l.resource_type.rsplit("::").next().unwrap_or("").to_string(),
                    l.engine.clone().unwrap_or_else(|| "?".into()),
                    l.node_type.clone().unwrap_or_else(|| {
                        if l.serverless_minimum_usd.is_some() {
                            "serverless".into()
                        } else {
                            "?".into()
                        }
                    }),
                    l.nodes.map_or_else(
                        || if l.serverless_minimum_usd.is_some() { "-".into() } else { "?".into() },
                        |n| n.to_string(),
                    ),
                    format!("{}", l.hours),
                    l.node_hourly_usd.map_or_else(|| "-".into(), |h| format!("{h:.4}")),
                    match (l.monthly_usd, l.serverless_minimum_usd) {
                        (Some(m), Some(min)) => format!("{m:.2} (min {min:.2})"),
                        (Some(m), None) => format!("{m:.2}"),
                        (None, _) => "unknown".into(),
                    },
                ]);
                if let Some(n) = &l.note {
                    notes.push(format!("  {}: {n}", l.logical_id));
                }
            }
            let mut widths = [0usize; 8];
            for r in &rows {
                for (i, c) in r.iter().enumerate() {
                    widths[i] = widths[i].max(c.chars().count());
                }
            }
            for r in &rows {
                let mut line = String::new();
                for (i, c) in r.iter().enumerate() {
                    // Text columns left-aligned, figures right-aligned.
                    if i <= 3 {
                        let _ = write!(line, "  {c:<w$}", w = widths[i]);
                    } else {
                        let _ = write!(line, "  {c:>w$}", w = widths[i]);
                    }
                }
                let _ = writeln!(s, "{}", line.trim_end());
            }
            let _ = writeln!(
                s,
                "  stack total: ${:.2}/month{}",
                stack.monthly_usd,
                if stack.unknown > 0 { format!(" + {} unknown", stack.unknown) } else { String::new() }
            );
            for n in notes {
                let _ = writeln!(s, "{n}");
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "Total: ${:.2}/month{} (on-demand cache nodes and serverless caches, before reserved-node discounts)",
            self.monthly_usd,
            if self.unknown > 0 { format!(" + {} unknown", self.unknown) } else { String::new() }
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::serverless_monthly_cost;

    fn one(t: &str, props: Json) -> Json {
        json!({ "Resources": { "X": { "Type": t, "Properties": props } } })
    }

    #[test]
    fn two_t4g_micro_in_us_east_1() {
        let c = template_cost(
            "S",
            &one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({ "CacheNodeType": "cache.t4g.micro", "NumCacheClusters": 2 }),
            ),
            None,
        );
        assert_eq!(c.region, "us-east-1");
        assert_eq!(c.lines[0].monthly_usd, Some(23.36)); // 2 × 0.016 × 730
        assert_eq!(c.lines[0].nodes, Some(2));
        assert_eq!(c.lines[0].node_hourly_usd, Some(0.016));
        assert_eq!(c.monthly_usd, 23.36);
    }

    #[test]
    fn sharded_valkey_in_ca_central_1() {
        // 3 shards × (1 + 2 replicas) = 9 × cache.r7g.large 0.219 × 1.11 (ca-central-1) × 0.8 (Valkey) × 730
        let c = template_cost(
            "S",
            &one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({ "Engine": "valkey", "CacheNodeType": "cache.r7g.large", "NumNodeGroups": 3, "ReplicasPerNodeGroup": "2" }),
            ),
            Some("ca-central-1"),
        );
        assert_eq!(c.lines[0].nodes, Some(9));
        let expected = (9.0 * 0.219 * 1.11 * 0.8 * 730.0 * 100.0_f64).round() / 100.0;
        assert_eq!(c.monthly_usd, expected);
        assert_eq!(expected, 1277.68);
        assert!(c.region_priced);
    }

    #[test]
    fn agrees_with_node_monthly_cost() {
        let c = template_cost(
            "S",
            &one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({ "CacheNodeType": "cache.m7g.large", "NumCacheClusters": 3 }),
            ),
            Some("eu-west-1"),
        );
        assert_eq!(c.monthly_usd, node_monthly_cost(Engine::Redis, "cache.m7g.large", 3, Some("eu-west-1")));
    }

    #[test]
    fn parameter_defaults_are_read_and_other_intrinsics_are_unknown() {
        let t = json!({
            "Parameters": { "NodeType": { "Type": "String", "Default": "cache.t4g.small" } },
            "Resources": {
                "A": { "Type": "AWS::ElastiCache::ReplicationGroup", "Properties": { "CacheNodeType": { "Ref": "NodeType" }, "NumCacheClusters": 1 } },
                "B": { "Type": "AWS::ElastiCache::ReplicationGroup", "Properties": { "CacheNodeType": "cache.t4g.small", "NumCacheClusters": { "Fn::If": ["C", 1, 2] } } },
                "C": { "Type": "AWS::ElastiCache::CacheCluster", "Properties": { "CacheNodeType": "cache.nope", "NumCacheNodes": 1, "Engine": "memcached" } }
            }
        });
        let c = template_cost("S", &t, None);
        assert_eq!(c.lines[0].monthly_usd, Some(23.36)); // 0.032 × 730
        assert_eq!(c.lines[1].monthly_usd, None);
        assert_eq!(c.lines[1].note.as_deref(), Some("the node count is not known at synth time"));
        assert_eq!(c.lines[2].note.as_deref(), Some("no price for node type cache.nope with redis"));
        assert_eq!(c.unknown, 2);
        assert_eq!(c.monthly_usd, 23.36);
        assert!(c.render_one().contains("unknown"));
    }

    #[test]
    fn node_counts_are_the_rules_node_counts() {
        // several group configurations beside NumNodeGroups: the groups count (as in EC007)
        let groups = json!({ "CacheNodeType": "cache.t4g.micro", "NumNodeGroups": 2, "ReplicasPerNodeGroup": 0,
            "NodeGroupConfiguration": [{ "ReplicaCount": 1 }, { "ReplicaCount": 2 }] });
        let c = template_cost("S", &one("AWS::ElastiCache::ReplicationGroup", groups), None);
        assert_eq!(c.lines[0].nodes, Some(5));
        // a count too big for any cluster is reported, not overflowed
        let huge =
            json!({ "CacheNodeType": "cache.t4g.micro", "NumNodeGroups": 4_000_000_000u64, "ReplicasPerNodeGroup": 5 });
        let c = template_cost("S", &one("AWS::ElastiCache::ReplicationGroup", huge), None);
        assert_eq!(c.lines[0].nodes, Some(u32::MAX));
    }

    #[test]
    fn serverless_minimum_storage() {
        let redis = template_cost("S", &one("AWS::ElastiCache::ServerlessCache", json!({ "Engine": "redis" })), None);
        assert_eq!(redis.lines[0].serverless_minimum_usd, Some(91.25)); // 1 GB × 0.125 × 730
                                                                        // + 1,000 ECPU/s × 3,600 × 730 = 2,628 million ECPUs × $0.0034 = 8.9352
        assert_eq!(redis.monthly_usd, 100.19);
        assert_eq!(redis.monthly_usd, serverless_monthly_cost(Engine::Redis, None));
        let valkey = template_cost("S", &one("AWS::ElastiCache::ServerlessCache", json!({ "Engine": "valkey" })), None);
        assert_eq!(valkey.lines[0].serverless_minimum_usd, Some(6.13)); // 0.1 GB × 0.084 × 730 = 6.132
        assert_eq!(valkey.monthly_usd, serverless_monthly_cost(Engine::Valkey, None)); // + 2,628 × 0.0023
        let limited = template_cost(
            "S",
            &one(
                "AWS::ElastiCache::ServerlessCache",
                json!({ "Engine": "valkey", "CacheUsageLimits": { "DataStorage": { "Minimum": 10, "Unit": "GB" } } }),
            ),
            None,
        );
        assert_eq!(limited.lines[0].serverless_minimum_usd, Some(613.2)); // 10 × 0.084 × 730
                                                                          // 613.2 + 2,628 million ECPUs × 0.0023 = 619.2444, rounded once (facts::serverless_monthly_cost_storing)
        assert_eq!(limited.monthly_usd, 619.24);
    }

    #[test]
    fn unknown_region_uses_us_east_1_prices_and_says_so() {
        let c = template_cost(
            "S",
            &one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({ "CacheNodeType": "cache.t4g.micro", "NumCacheClusters": 2 }),
            ),
            Some("ap-south-2"),
        );
        assert_eq!(c.monthly_usd, 23.36);
        assert!(!c.region_priced);
        let report = CostReport { stacks: vec![c], monthly_usd: 23.36, unknown: 0 };
        assert!(report.render().starts_with("Stack S (ap-south-2: no price factor, us-east-1 prices)\n"));
    }

    #[test]
    fn table_layout() {
        let c = template_cost(
            "Demo",
            &one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({ "CacheNodeType": "cache.t4g.micro", "NumCacheClusters": 2 }),
            ),
            None,
        );
        let report = CostReport { monthly_usd: c.monthly_usd, unknown: 0, stacks: vec![c] };
        assert_eq!(
            report.render(),
            "Stack Demo (us-east-1)\n  \
             RESOURCE  TYPE              ENGINE  NODE TYPE        NODES  HOURS  USD/NODE-HOUR  MONTHLY USD\n  \
             X         ReplicationGroup  redis   cache.t4g.micro      2    730         0.0160        23.36\n  \
             stack total: $23.36/month\n\n\
             Total: $23.36/month (on-demand cache nodes and serverless caches, before reserved-node discounts)\n"
        );
    }

    impl StackCost {
        fn render_one(&self) -> String {
            CostReport { stacks: vec![self.clone()], monthly_usd: self.monthly_usd, unknown: self.unknown }.render()
        }
    }
}
