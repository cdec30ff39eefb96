//! Template validation, applied to CloudFormation JSON: by synth to every
//! template it emits, and by `synth check` to any template.
//!
//! - [`integrity`]: references, attributes, dependency cycles, limits.
//! - [`schema`]: resource properties against the shipped provider schemas.
//! - [`rules`]: the ElastiCache rule set (security, sizing, windows, cross-resource),
//!   applied in every scenario the template's conditions allow.
//! - [`json`]: reading a JSON template, duplicate keys included.
//! - [`transforms`]: SAM and `AWS::LanguageExtensions` templates, checked as the
//!   transforms would leave them where that is known before deploy.

pub mod integrity;
pub mod json;
pub mod rules;
mod scenarios;
pub mod schema;
pub mod transforms;

use crate::core::Severity;
use std::fmt;

/// One problem found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Stable rule id, such as `TPL001`.
    pub rule: &'static str,
    /// The logical ID of the resource, parameter, output or condition concerned.
    pub logical_id: Option<String>,
    /// The path inside the element, such as `Properties.AuthToken`; empty for the element itself.
    pub path: String,
    /// What is wrong, with the bad value and the fix.
    pub message: String,
}

impl Finding {
    /// A finding of `severity`.
    pub fn new(
        severity: Severity,
        rule: &'static str,
        logical_id: Option<&str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity,
            rule,
            logical_id: logical_id.map(str::to_string),
            path: path.into(),
            message: message.into(),
        }
    }

    /// An error.
    pub fn error(
        rule: &'static str,
        logical_id: Option<&str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, rule, logical_id, path, message)
    }

    /// A warning.
    pub fn warning(
        rule: &'static str,
        logical_id: Option<&str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, rule, logical_id, path, message)
    }

    /// Information: worth knowing, never a failure.
    pub fn info(
        rule: &'static str,
        logical_id: Option<&str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Info, rule, logical_id, path, message)
    }

    /// `LogicalId.Path`, the location `synth check` prints.
    pub fn location(&self) -> String {
        match (&self.logical_id, self.path.is_empty()) {
            (Some(id), true) => id.clone(),
            (Some(id), false) => format!("{id}.{}", self.path),
            (None, _) => self.path.clone(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location();
        if loc.is_empty() {
            write!(f, "[{}] {}", self.rule, self.message)
        } else {
            write!(f, "{loc}: [{}] {}", self.rule, self.message)
        }
    }
}

/// Runs every check on a template and returns the findings, errors and warnings,
/// in a stable order. Never panics, whatever the input.
pub fn check_template(template: &serde_json::Value) -> Vec<Finding> {
    check_template_in(template, None)
}

/// [`check_template`] for a template deployed to `region`: node types must be
/// offered there. `None` checks for every region the data knows.
pub fn check_template_in(template: &serde_json::Value, region: Option<&str>) -> Vec<Finding> {
    let expanded = transforms::expand(template);
    let (template, mut out) = match expanded {
        Some((t, findings)) => (std::borrow::Cow::Owned(t), findings),
        None => (std::borrow::Cow::Borrowed(template), Vec::new()),
    };
    let template = template.as_ref();
    out.extend(integrity::check(template));
    let all = scenarios::scenarios(template);
    if let Some(all) = &all {
        out.extend(in_scenarios(all, |s| scenarios::conditional_references(template, s)));
    }
    let rule_findings = rules_in_scenarios(template, all.as_deref(), region);
    // A rule and the schema may both see a bad value; the rule's message is the
    // more precise one, so the schema's finding at the same place is dropped.
    // (and a null, TPL018, is reported once, not again as a schema type error)
    let same_place = |s: &Finding, r: &Finding| r.logical_id == s.logical_id && r.path == s.path;
    let nulls: Vec<Finding> = out.iter().filter(|f| f.rule == "TPL018").cloned().collect();
    out.extend(
        schema::check(template)
            .into_iter()
            .filter(|s| !rule_findings.iter().any(|r| same_place(s, r)) && !nulls.iter().any(|r| same_place(s, r))),
    );
    out.extend(rule_findings);
    out
}

/// The rule findings of a template, in every scenario its conditions allow
/// ([`scenarios`]): a finding of every scenario is reported as it is, one of some
/// scenarios once, with the condition values under which it holds.
fn rules_in_scenarios(
    template: &serde_json::Value,
    all: Option<&[scenarios::Scenario]>,
    region: Option<&str>,
) -> Vec<Finding> {
    match all {
        None => rules::check_in(template, region),
        Some(all) => in_scenarios(all, |s| rules::check_in(&s.template, region)),
    }
}

/// The findings `check` gives in each scenario, merged: a finding of every
/// scenario as it is, one of some scenarios once, with the condition values under
/// which it holds.
fn in_scenarios(all: &[scenarios::Scenario], check: impl Fn(&scenarios::Scenario) -> Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<(Finding, Vec<usize>)> = Vec::new();
    for (i, s) in all.iter().enumerate() {
        for f in check(s) {
            match merged.iter_mut().find(|(g, _)| *g == f) {
                Some((_, seen)) => seen.push(i),
                None => merged.push((f, vec![i])),
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut f, seen)| {
            if seen.len() < all.len() {
                f.message.push_str(&when(all, &seen));
            }
            f
        })
        .collect()
}

/// ` (when C is true, D is false)`: the condition values that all the scenarios
/// `seen` share and some other scenario does not.
fn when(all: &[scenarios::Scenario], seen: &[usize]) -> String {
    let first = &all[seen[0]].conditions;
    let parts: Vec<String> = first
        .iter()
        .filter(|(name, v)| {
            seen.iter().all(|&i| all[i].conditions.get(*name) == Some(v))
                && all.iter().any(|s| s.conditions.get(*name) != Some(v))
        })
        .map(|(name, v)| format!("{name} is {v}"))
        .collect();
    if parts.is_empty() {
        format!(" (in {} of the {} scenarios of the template's conditions)", seen.len(), all.len())
    } else {
        format!(" (when {})", parts.join(", "))
    }
}

/// The Levenshtein distance between `a` and `b`, in characters: what the
/// "did you mean" hints of the schema check, of specs and of `synth check`'s
/// YAML reader measure closeness by.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as J};

    fn rules_of(t: &J) -> Vec<String> {
        check_template(t)
            .iter()
            .filter(|f| f.rule.starts_with("EC") || f.rule.starts_with("SEC"))
            .map(|f| f.to_string())
            .collect()
    }

    #[test]
    fn a_reference_to_a_conditional_resource_is_fine_only_where_it_exists() {
        let t = |alarm: J| {
            json!({
                "Parameters": { "On": { "Type": "String", "AllowedValues": ["true", "false"], "Default": "true" } },
                "Conditions": { "IsOn": { "Fn::Equals": [{ "Ref": "On" }, "true"] } },
                "Resources": {
                    "Topic": { "Type": "AWS::SNS::Topic", "Condition": "IsOn", "Properties": { "KmsMasterKeyId": "alias/aws/sns" } },
                    "Queue": alarm
                }
            })
        };
        let tpl021 = |alarm: J| check_template(&t(alarm)).into_iter().filter(|f| f.rule == "TPL021").count();
        let unguarded = json!({ "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::GetAtt": ["Topic", "TopicName"] } } });
        assert_eq!(tpl021(unguarded), 1);
        let same = json!({ "Type": "AWS::SQS::Queue", "Condition": "IsOn", "Properties": { "QueueName": { "Fn::GetAtt": ["Topic", "TopicName"] } } });
        assert_eq!(tpl021(same), 0, "the same condition");
        let guarded = json!({ "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::If": ["IsOn", { "Fn::GetAtt": ["Topic", "TopicName"] }, { "Ref": "AWS::NoValue" }] } } });
        assert_eq!(tpl021(guarded), 0, "inside Fn::If on the condition");
        let sub = json!({ "Type": "AWS::SQS::Queue", "DependsOn": "Topic", "Properties": { "QueueName": "q" } });
        assert_eq!(tpl021(sub), 1, "DependsOn counts too");
    }

    #[test]
    fn condition_functions_are_checked_for_their_shape() {
        let rules = |c: J| {
            let t = json!({ "Parameters": { "P": { "Type": "String" } }, "Conditions": { "C": c }, "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Condition": "C" } } });
            let mut r: Vec<String> = check_template(&t)
                .into_iter()
                .filter(|f| f.rule.starts_with("TPL02"))
                .map(|f| f.rule.to_string())
                .collect();
            r.sort();
            r
        };
        assert!(rules(json!({ "Fn::Equals": [{ "Ref": "P" }, "x"] })).is_empty());
        assert_eq!(rules(json!({ "Fn::Equals": [{ "Ref": "P" }] })), ["TPL022"]);
        assert_eq!(rules(json!({ "Fn::Equals": [{ "Ref": "P" }, {}] })), ["TPL022"]);
        assert_eq!(rules(json!({ "Fn::Equals": ["a", "a"] })), ["TPL023"]);
        assert_eq!(
            rules(json!({ "Fn::Not": [{ "Fn::Equals": [{ "Ref": "P" }, "x"] }, { "Condition": "C" }] })),
            ["TPL022"]
        );
        assert_eq!(rules(json!({ "Fn::Or": [{ "Fn::Equals": [{ "Ref": "P" }, "x"] }] })), ["TPL022"]);
        assert_eq!(rules(json!({ "Fn::If": ["C", "a", "b"] })), ["TPL022"]);
    }

    /// A secure Redis OSS 7.1 group of two nodes, with `props` merged in and a
    /// parameter group whose properties are `pg`.
    fn template(props: J, pg: J, extra: J) -> J {
        let mut p = json!({
            "ReplicationGroupDescription": "d", "Engine": "redis", "EngineVersion": "7.1", "CacheNodeType": "cache.r7g.large",
            "NumCacheClusters": 2, "AutomaticFailoverEnabled": true, "MultiAZEnabled": true,
            "AtRestEncryptionEnabled": true, "TransitEncryptionEnabled": true, "TransitEncryptionMode": "required",
            "AuthToken": "{{resolve:secretsmanager:redis:SecretString:token}}", "CacheParameterGroupName": {"Ref": "Params"}
        });
        for (k, v) in props.as_object().unwrap() {
            if v.is_null() {
                p.as_object_mut().unwrap().remove(k);
            } else {
                p[k] = v.clone();
            }
        }
        let mut t = json!({"Resources": {
            "Params": {"Type": "AWS::ElastiCache::ParameterGroup", "Properties": {"CacheParameterGroupFamily": "redis7", "Description": "p", "Properties": pg}},
            "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": p}
        }});
        for (k, v) in extra.as_object().unwrap() {
            t[k] = v.clone();
        }
        t
    }

    #[test]
    fn an_insecure_branch_is_found_and_says_when() {
        let t = template(
            json!({"AtRestEncryptionEnabled": {"Fn::If": ["Legacy", false, true]}}),
            json!({}),
            json!({"Parameters": {"Env": {"Type": "String", "Default": "prod", "AllowedValues": ["prod", "legacy"]}},
                   "Conditions": {"Legacy": {"Fn::Equals": [{"Ref": "Env"}, "legacy"]}}}),
        );
        assert_eq!(rules_of(&t), vec![
            "Cache.Properties.AtRestEncryptionEnabled: [EC018] encryption at rest is off; set AtRestEncryptionEnabled to true (it can only be set when the group is created) (when Legacy is true)",
        ]);
        // A condition that always holds: the insecure branch is the only one.
        let mut always = t.clone();
        always["Conditions"] = json!({"Legacy": {"Fn::Equals": ["a", "a"]}});
        assert_eq!(rules_of(&always), vec![
            "Cache.Properties.AtRestEncryptionEnabled: [EC018] encryption at rest is off; set AtRestEncryptionEnabled to true (it can only be set when the group is created)",
        ]);
    }

    #[test]
    fn a_setting_under_fn_if_is_judged_per_branch_not_as_a_bad_value() {
        // The shard count comes from a parameter defaulting to 1; cluster-enabled follows it.
        let t = template(
            json!({"NumCacheClusters": null, "NumNodeGroups": {"Ref": "Shards"}, "ReplicasPerNodeGroup": 1}),
            json!({"cluster-enabled": {"Fn::If": ["Clustered", "yes", "no"]}}),
            json!({"Parameters": {"Shards": {"Type": "Number", "Default": 1}},
                   "Conditions": {"Clustered": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Shards"}, 1]}]}},
                   "Outputs": {"Host": {"Value": {"Fn::If": ["Clustered",
                       {"Fn::GetAtt": ["Cache", "ConfigurationEndPoint.Address"]},
                       {"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]}]}}}}),
        );
        assert_eq!(rules_of(&t), Vec::<String>::new());
        // Without the condition on the endpoint, the clustered branch reads an endpoint it has not.
        let mut wrong = t.clone();
        wrong["Outputs"]["Host"]["Value"] = json!({"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]});
        assert_eq!(rules_of(&wrong), vec![
            "Host.Value: [EC025] Cache.PrimaryEndPoint.Address does not exist: Cache is in cluster mode; use Cache.ConfigurationEndPoint.Address (when Clustered is true)",
        ]);
    }

    #[test]
    fn resources_of_a_false_condition_are_not_judged() {
        let t = template(
            json!({}),
            json!({}),
            json!({"Parameters": {"Legacy": {"Type": "String", "Default": "no", "AllowedValues": ["no"]}},
                   "Conditions": {"UseLegacy": {"Fn::Equals": [{"Ref": "Legacy"}, "yes"]}}}),
        );
        let mut t = t;
        t["Resources"]["Old"] = json!({"Type": "AWS::ElastiCache::ReplicationGroup", "Condition": "UseLegacy",
            "Properties": {"ReplicationGroupDescription": "old", "Engine": "redis", "EngineVersion": "2.8.24"}});
        assert_eq!(rules_of(&t), Vec::<String>::new());
    }
}
