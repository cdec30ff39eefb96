//! CloudWatch alarm rules: an alarm nobody hears (ALM001), a dimension that never
//! matches ElastiCache's lowercase ids (ALM002).

use super::{finding, Tpl};
use crate::validate::Finding;
use serde_json::Value as J;

pub(super) fn check(t: &Tpl, out: &mut Vec<Finding>) {
    for (id, p) in t.of_type("AWS::CloudWatch::Alarm") {
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
    fn fails_alm002_capital_dimension() {
        pair(alarm(json!({"Dimensions": [{"Name": "ReplicationGroupId", "Value": "Sessions"}]})), alarm(json!({})),
            "Cpu.Properties.Dimensions.0.Value: [ALM002] dimension ReplicationGroupId 'Sessions' has capitals but ElastiCache stores ids lowercase, so the alarm never gets data; use 'sessions'");
    }
}
