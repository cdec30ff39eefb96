//! CloudWatch alarm rules: an alarm nobody hears (ALM001), a dimension that never
//! matches ElastiCache's lowercase ids (ALM002), a connections threshold the
//! watched nodes can never reach (ALM003).

use super::finding;
use crate::facts;
use crate::template::{sub_variables, Template};
use crate::validate::Finding;
use serde_json::Value as J;

/// The first cache (a replication group or cache cluster of this template) an
/// alarm's dimensions name, by `Ref`, `${Id}` in a `Fn::Sub`, or a literal node id.
fn watched_cache<'a>(t: &Template<'a>, p: &'a serde_json::Map<String, J>) -> Option<&'a str> {
    let top = p.get("Dimensions").and_then(J::as_array).into_iter().flatten();
    let queries = p.get("Metrics").and_then(J::as_array).into_iter().flatten();
    let nested = queries.filter_map(|m| metric_of(m)?.get("Dimensions")?.as_array()).flatten();
    let is_cache = |n: &str| {
        let (key, r) = t.resources.get_key_value(n)?;
        let ty = r.get("Type")?.as_str()?;
        matches!(ty, "AWS::ElastiCache::ReplicationGroup" | "AWS::ElastiCache::CacheCluster").then_some(key.as_str())
    };
    top.chain(nested).find_map(|d| {
        let v = d.get("Value")?;
        if let Some(target) = t.target(v) {
            return is_cache(target);
        }
        if let Some(s) = v.get("Fn::Sub").and_then(J::as_str) {
            return sub_variables(s).find_map(is_cache);
        }
        // a literal node id: the group or cluster whose id it starts with
        let s = v.as_str()?.to_ascii_lowercase();
        t.of_type("AWS::ElastiCache::ReplicationGroup").chain(t.of_type("AWS::ElastiCache::CacheCluster")).find_map(
            |(rid, rp)| {
                let own =
                    rp.get("ReplicationGroupId").or_else(|| rp.get("ClusterName"))?.as_str()?.to_ascii_lowercase();
                (s == own || s.strip_prefix(&own).is_some_and(|rest| rest.starts_with('-'))).then_some(rid)
            },
        )
    })
}

/// The `Metric` of a metric-math query (`MetricStat.Metric`).
fn metric_of(query: &J) -> Option<&J> {
    query.get("MetricStat")?.get("Metric")
}

/// ALM003: a `CurrConnections` alarm above the `maxclients` of the node type it
/// watches ([`facts::maxclients`]) never fires.
fn unreachable_connections(t: &Template, id: &str, p: &serde_json::Map<String, J>, out: &mut Vec<Finding>) {
    let Some(op) = p.get("ComparisonOperator").and_then(J::as_str) else { return };
    if !op.starts_with("GreaterThan") {
        return;
    }
    let metric = p
        .get("MetricName")
        .and_then(J::as_str)
        .or_else(|| p.get("Metrics")?.as_array()?.iter().find_map(|m| metric_of(m)?.get("MetricName")?.as_str()));
    if metric != Some("CurrConnections") {
        return;
    }
    let Some(threshold) = p.get("Threshold").and_then(|v| t.resolve(v)).and_then(|l| l.text().parse::<f64>().ok())
    else {
        return;
    };
    let Some(cache) = watched_cache(t, p) else { return };
    let Some(node) = t.props(cache).and_then(|cp| t.get(cp, "CacheNodeType")).map(|l| l.text()) else { return };
    let max = facts::maxclients(&node);
    if threshold >= f64::from(max) {
        out.push(finding("ALM003", id, "Properties.Threshold", format!("CurrConnections threshold {threshold} can never be reached: {cache} runs {node}, whose maxclients is {max}; set the threshold below it, such as {}", (f64::from(max) * 0.77).round())));
    }
}

pub(super) fn check(t: &Template, out: &mut Vec<Finding>) {
    for (id, p) in t.of_type("AWS::CloudWatch::Alarm") {
        unreachable_connections(t, id, p, out);
        let actions = ["AlarmActions", "OKActions", "InsufficientDataActions"]
            .iter()
            .any(|k| p.get(*k).is_some_and(|v| !matches!(v, J::Array(a) if a.is_empty())));
        if !actions {
            out.push(finding(
                "ALM001",
                id,
                "Properties.AlarmActions",
                "the alarm has no action, so nobody is told when it fires; set AlarmActions to an SNS topic",
            ));
        } else if p.get("ActionsEnabled").and_then(|v| t.resolve(v)).and_then(|l| l.bool()) == Some(false) {
            out.push(finding(
                "ALM001",
                id,
                "Properties.ActionsEnabled",
                "ActionsEnabled is false, so the alarm's actions never run; set ActionsEnabled to true or drop it",
            ));
        }
        let Some(J::Array(dims)) = p.get("Dimensions") else { continue };
        for (i, d) in dims.iter().enumerate() {
            let Some(name) = d.get("Name").and_then(|v| t.resolve(v)).map(|l| l.text()) else { continue };
            if name != "ReplicationGroupId" && name != "CacheClusterId" {
                continue;
            }
            let Some(l) = d.get("Value").and_then(|v| t.resolve(v)) else { continue };
            let value = l.text();
            if value.chars().any(|c| c.is_ascii_uppercase()) {
                out.push(finding("ALM002", id, format!("Properties.Dimensions.{i}.Value"), format!("dimension {name} {} has capitals but ElastiCache stores ids lowercase, so the alarm never gets data; use '{}'", l.show(), value.to_ascii_lowercase())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::pair;
    use serde_json::{json, Value as J};

    fn alarm(extra: J) -> J {
        let mut p = json!({"MetricName": "EngineCPUUtilization", "Namespace": "AWS/ElastiCache", "Statistic": "Average", "Period": 60,
            "EvaluationPeriods": 5, "Threshold": 80, "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [{"Ref": "Topic"}], "Dimensions": [{"Name": "ReplicationGroupId", "Value": "sessions"}]});
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            p[k] = v;
        }
        json!({"Resources": {"Cpu": {"Type": "AWS::CloudWatch::Alarm", "Properties": p}, "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": "alias/x"}}}})
    }

    #[test]
    fn fails_alm001_no_action() {
        pair(alarm(json!({"AlarmActions": []})), alarm(json!({})),
            "Cpu.Properties.AlarmActions: [ALM001] the alarm has no action, so nobody is told when it fires; set AlarmActions to an SNS topic");
        pair(alarm(json!({"ActionsEnabled": false})), alarm(json!({"ActionsEnabled": true})),
            "Cpu.Properties.ActionsEnabled: [ALM001] ActionsEnabled is false, so the alarm's actions never run; set ActionsEnabled to true or drop it");
    }

    #[test]
    fn fails_alm003_connections_over_maxclients() {
        let t = |threshold: u32, dims: J| {
            let mut t = alarm(
                json!({"MetricName": "CurrConnections", "Statistic": "Maximum", "Threshold": threshold, "Dimensions": dims}),
            );
            t["Resources"]["Cache"] = json!({"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"ReplicationGroupDescription": "d", "ReplicationGroupId": "sessions", "CacheNodeType": "cache.t4g.micro"}});
            t
        };
        let by_sub = json!([{"Name": "CacheClusterId", "Value": {"Fn::Sub": "${Cache}-001"}}]);
        pair(t(50_000, by_sub.clone()), t(15_000, by_sub),
            "Cpu.Properties.Threshold: [ALM003] CurrConnections threshold 50000 can never be reached: Cache runs cache.t4g.micro, whose maxclients is 20000; set the threshold below it, such as 15400");
        let literal = json!([{"Name": "CacheClusterId", "Value": "sessions-001"}]);
        pair(t(20_000, literal.clone()), t(19_999, literal),
            "Cpu.Properties.Threshold: [ALM003] CurrConnections threshold 20000 can never be reached: Cache runs cache.t4g.micro, whose maxclients is 20000; set the threshold below it, such as 15400");
    }

    #[test]
    fn fails_alm002_capital_dimension() {
        pair(alarm(json!({"Dimensions": [{"Name": "ReplicationGroupId", "Value": "Sessions"}]})), alarm(json!({})),
            "Cpu.Properties.Dimensions.0.Value: [ALM002] dimension ReplicationGroupId 'Sessions' has capitals but ElastiCache stores ids lowercase, so the alarm never gets data; use 'sessions'");
    }
}
