//! The two transforms a template may declare that change what the checks see.
//!
//! - `AWS::Serverless-2016-10-31` (SAM): `Globals` is a section, `AWS::Serverless::*`
//!   resources are known types (no provider schema: not checked against one), and
//!   what the transform generates from them is not reported missing: a reference to
//!   `<Id>Role`, `<Id>.Alias`, `<Id>Stage`, ... of a serverless resource `<Id>`, or
//!   to the implicit `ServerlessRestApi` / `ServerlessHttpApi`
//!   (sam-specification-generated-resources.html).
//! - `AWS::LanguageExtensions` (transform-aws-languageextensions.html): each
//!   `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: Value}]` of
//!   `Resources`, `Outputs` and `Conditions` is expanded when the collection is known
//!   here (a literal list, or a list parameter's default), replacing `${Identifier}`
//!   and `&{Identifier}` (non-alphanumerics dropped) in keys and strings and
//!   `{"Ref": Identifier}` in values, nested loops included; `Fn::Length` of a
//!   literal list and `Fn::ToJsonString` of a literal are evaluated, and
//!   `DeletionPolicy`/`UpdateReplacePolicy` may be `Fn::If` of policies or a `Ref`
//!   to a parameter (checked in [`super::integrity`]). A loop whose
//!   collection is known only at deploy is left as it is and reported once as
//!   information (TPL014); references to the ids it would generate (those that
//!   start as its output key does) are not reported missing.

use super::Finding;
use serde_json::{Map, Value as J};

/// The SAM transform.
pub const SAM: &str = "AWS::Serverless-2016-10-31";
/// The LanguageExtensions transform.
pub const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";
/// The prefix of a `Fn::ForEach` key.
pub const FOR_EACH: &str = "Fn::ForEach::";
/// CloudFormation allows loops nested five deep.
const MAX_NESTING: usize = 5;
/// The most items one template's loops may expand to, so a hostile template
/// cannot make the check allocate without bound (CloudFormation's own limit is
/// 500 resources).
const MAX_GENERATED: usize = 5_000;

/// Whether `template` declares transform `name` (a string or in a list).
pub fn declares(template: &J, name: &str) -> bool {
    match template.get("Transform") {
        Some(J::String(s)) => s == name,
        Some(J::Array(a)) => a.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

/// The prefixes of logical ids a transform generates, by which references that
/// name no resource of the template are still accepted: the ids of SAM's
/// serverless resources and its implicit APIs, and the literal start of each
/// unexpanded `Fn::ForEach` output key.
pub fn generated_prefixes(template: &J) -> Vec<String> {
    let mut out = Vec::new();
    if declares(template, SAM) {
        out.push("ServerlessRestApi".to_string());
        out.push("ServerlessHttpApi".to_string());
        if let Some(resources) = template.get("Resources").and_then(J::as_object) {
            for (id, r) in resources {
                if r.get("Type").and_then(J::as_str).is_some_and(|t| t.starts_with("AWS::Serverless::")) {
                    out.push(id.clone());
                }
            }
        }
    }
    if declares(template, LANGUAGE_EXTENSIONS) {
        for section in ["Resources", "Outputs", "Conditions"] {
            let Some(map) = template.get(section).and_then(J::as_object) else { continue };
            for (k, v) in map {
                if k.starts_with(FOR_EACH) {
                    loop_key_prefixes(v, &mut out);
                }
            }
        }
    }
    out
}

fn loop_key_prefixes(v: &J, out: &mut Vec<String>) {
    let Some(body) = v.get(2).and_then(J::as_object) else { return };
    for (key, inner) in body {
        if key.starts_with(FOR_EACH) {
            loop_key_prefixes(inner, out);
        } else {
            let literal = key.split(['$', '&']).next().unwrap_or("");
            if !literal.is_empty() {
                out.push(literal.to_string());
            }
        }
    }
}

/// The template with its `AWS::LanguageExtensions` constructs expanded where the
/// input allows, and a TPL014 finding for each loop that could not be; `None`
/// when the template does not declare the transform.
pub fn expand(template: &J) -> Option<(J, Vec<Finding>)> {
    if !declares(template, LANGUAGE_EXTENSIONS) {
        return None;
    }
    let (t, findings, _) = expand_all(template);
    Some((t, findings))
}

/// The logical ids that `Fn::ForEach` loops generate, each with the section and
/// the key of the loop it came from (`("Resources", "Topicdev",
/// "Fn::ForEach::Topics")`), so a finding on a generated id can point at its loop.
pub fn generated_origins(template: &J) -> Vec<(String, String, String)> {
    if !declares(template, LANGUAGE_EXTENSIONS) {
        return Vec::new();
    }
    expand_all(template).2
}

fn expand_all(template: &J) -> (J, Vec<Finding>, Vec<(String, String, String)>) {
    let mut t = template.clone();
    let mut findings = Vec::new();
    let mut origins = Vec::new();
    let parameters = template.get("Parameters").and_then(J::as_object).cloned().unwrap_or_default();
    let mut x =
        Expansion { parameters: &parameters, budget: MAX_GENERATED, findings: &mut findings, origins: Vec::new() };
    if let J::Object(top) = &mut t {
        for section in ["Conditions", "Resources", "Outputs"] {
            if let Some(J::Object(map)) = top.get_mut(section) {
                let old = std::mem::take(map);
                *map = expand_map(old, section, 0, None, &mut x);
                origins.extend(x.origins.drain(..).map(|(id, lp)| (section.to_string(), id, lp)));
            }
        }
        for section in ["Resources", "Outputs", "Conditions"] {
            if let Some(v) = top.get_mut(section) {
                evaluate_functions(v);
            }
        }
    }
    (t, findings, origins)
}

/// What one expansion gives: the map, and for each generated key the loop it
/// came from (the key of the outermost `Fn::ForEach`).
struct Expansion<'f> {
    parameters: &'f Map<String, J>,
    budget: usize,
    findings: &'f mut Vec<Finding>,
    origins: Vec<(String, String)>,
}

fn expand_map(
    map: Map<String, J>,
    path: &str,
    depth: usize,
    outer: Option<&str>,
    x: &mut Expansion<'_>,
) -> Map<String, J> {
    let mut out = Map::new();
    for (key, value) in map {
        if !key.starts_with(FOR_EACH) {
            if let Some(o) = outer {
                x.origins.push((key.clone(), o.to_string()));
            }
            out.insert(key, value);
            continue;
        }
        let here = format!("{path}.{key}");
        let items = match (&value, depth < MAX_NESTING) {
            (J::Array(parts), true) if parts.len() == 3 && parts[0].is_string() && parts[2].is_object() => {
                collection(&parts[1], x.parameters)
            }
            (_, false) => {
                x.findings.push(Finding::error(
                    "TPL009",
                    None,
                    here,
                    format!("Fn::ForEach nested deeper than {MAX_NESTING} levels; CloudFormation allows {MAX_NESTING}"),
                ));
                continue;
            }
            _ => {
                x.findings.push(Finding::error(
                    "TPL009",
                    None,
                    here,
                    "Fn::ForEach needs [Identifier, Collection, {OutputKey: OutputValue}]",
                ));
                continue;
            }
        };
        let Some(items) = items.filter(|i| i.len() <= x.budget) else {
            x.findings.push(Finding::info(
                "TPL014",
                None,
                here,
                format!(
                    "{key} loops over a collection known only at deploy ({}); what it generates was not checked",
                    describe(&value[1])
                ),
            ));
            out.insert(key, value);
            continue;
        };
        x.budget -= items.len();
        let origin = outer.map_or_else(|| key.clone(), str::to_string);
        let identifier = value[0].as_str().unwrap_or_default().to_string();
        let body = value[2].as_object().cloned().unwrap_or_default();
        for item in &items {
            let mut generated = Map::new();
            for (k, v) in &body {
                generated.insert(substitute_text(k, &identifier, item), substitute(v, &identifier, item));
            }
            for (k, v) in expand_map(generated, path, depth + 1, Some(&origin), x) {
                out.insert(k, v);
            }
        }
    }
    out
}

fn describe(v: &J) -> String {
    match v.get("Ref").and_then(J::as_str) {
        Some(p) => format!("Ref {p}, a parameter without a default list"),
        None => "an intrinsic function".to_string(),
    }
}

/// The items a `Fn::ForEach` collection is known to have: a literal list of
/// strings, or a `Ref` to a parameter whose default gives them.
fn collection(v: &J, parameters: &Map<String, J>) -> Option<Vec<String>> {
    let scalars = |a: &[J]| -> Option<Vec<String>> {
        a.iter()
            .map(|x| match x {
                J::String(s) => Some(s.clone()),
                J::Number(n) => Some(n.to_string()),
                J::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .collect()
    };
    match v {
        J::Array(a) => scalars(a),
        J::Object(m) if m.len() == 1 => {
            let name = m.get("Ref")?.as_str()?;
            match parameters.get(name)?.get("Default")? {
                J::String(s) => Some(s.split(',').map(|x| x.trim().to_string()).collect()),
                J::Array(a) => scalars(a),
                _ => None,
            }
        }
        _ => None,
    }
}

fn alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

fn substitute_text(s: &str, identifier: &str, item: &str) -> String {
    s.replace(&format!("${{{identifier}}}"), item).replace(&format!("&{{{identifier}}}"), &alphanumeric(item))
}

fn substitute(v: &J, identifier: &str, item: &str) -> J {
    match v {
        J::String(s) => J::String(substitute_text(s, identifier, item)),
        J::Array(a) => J::Array(a.iter().map(|x| substitute(x, identifier, item)).collect()),
        J::Object(m) => {
            if m.len() == 1 && m.get("Ref").and_then(J::as_str) == Some(identifier) {
                return J::String(item.to_string());
            }
            // `!Sub '${Id} cache'` whose only variable was the loop's: the string it gives
            if let (1, Some(J::String(text))) = (m.len(), m.get("Fn::Sub")) {
                let done = substitute_text(text, identifier, item);
                if !done.contains("${") {
                    return J::String(done);
                }
            }
            J::Object(
                m.iter()
                    .map(|(k, x)| (substitute_text(k, identifier, item), substitute(x, identifier, item)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

fn has_intrinsic(v: &J) -> bool {
    match v {
        J::Array(a) => a.iter().any(has_intrinsic),
        J::Object(m) => {
            m.keys().any(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")) || m.values().any(has_intrinsic)
        }
        _ => false,
    }
}

/// `Fn::Length` of a literal list and `Fn::ToJsonString` of a value without
/// intrinsic functions, replaced by what they give.
fn evaluate_functions(v: &mut J) {
    match v {
        J::Array(a) => a.iter_mut().for_each(evaluate_functions),
        J::Object(m) => {
            m.values_mut().for_each(evaluate_functions);
            if m.len() == 1 {
                if let Some(J::Array(list)) = m.get("Fn::Length") {
                    if !list.iter().any(has_intrinsic) {
                        *v = J::from(list.len());
                        return;
                    }
                }
                if let Some(arg) = m.get("Fn::ToJsonString") {
                    if !has_intrinsic(arg) {
                        *v = J::String(arg.to_string());
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn loops_expand_with_both_identifier_forms_and_nesting() {
        let t = json!({
            "Transform": ["AWS::LanguageExtensions"],
            "Parameters": {"Envs": {"Type": "CommaDelimitedList", "Default": "dev, prod"}},
            "Resources": {
                "Fn::ForEach::Topics": ["Env", {"Ref": "Envs"}, {
                    "Topic${Env}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Env"}, "DisplayName": {"Fn::Sub": "t-${Env}"}}},
                    "Fn::ForEach::Subs": ["Proto", ["https", "e-mail"], {
                        "Sub${Env}&{Proto}": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "${Proto}", "TopicArn": {"Ref": "Topic${Env}"}, "Endpoint": "x"}}
                    }]
                }],
                "Unknown": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": {"Fn::Length": [1, 2, 3]}, "Policy": {"Fn::ToJsonString": {"a": [1]}}}}
            }
        });
        let (out, findings) = expand(&t).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let ids: Vec<&String> = out["Resources"].as_object().unwrap().keys().collect();
        assert_eq!(
            ids,
            ["Topicdev", "Subdevhttps", "Subdevemail", "Topicprod", "Subprodhttps", "Subprodemail", "Unknown"]
        );
        assert_eq!(out["Resources"]["Topicprod"]["Properties"], json!({"TopicName": "prod", "DisplayName": "t-prod"}));
        assert_eq!(out["Resources"]["Subdevemail"]["Properties"]["Protocol"], "e-mail");
        assert_eq!(out["Resources"]["Subdevemail"]["Properties"]["TopicArn"], json!({"Ref": "Topicdev"}));
        assert_eq!(out["Resources"]["Unknown"]["Properties"], json!({"Tags": 3, "Policy": "{\"a\":[1]}"}));
        let origins = generated_origins(&t);
        assert_eq!(origins.len(), 6);
        assert!(origins.iter().all(|(s, _, l)| s == "Resources" && l == "Fn::ForEach::Topics"), "{origins:?}");
        assert!(origins.iter().any(|(_, id, _)| id == "Subprodemail"));
    }

    #[test]
    fn a_loop_over_a_deploy_time_value_is_reported_once_and_its_ids_accepted() {
        let t = json!({
            "Transform": "AWS::LanguageExtensions",
            "Parameters": {"Names": {"Type": "CommaDelimitedList"}},
            "Resources": {"Fn::ForEach::Q": ["N", {"Ref": "Names"}, {"Queue${N}": {"Type": "AWS::SQS::Queue"}}]}
        });
        let (out, findings) = expand(&t).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].to_string(), "Resources.Fn::ForEach::Q: [TPL014] Fn::ForEach::Q loops over a collection known only at deploy (Ref Names, a parameter without a default list); what it generates was not checked");
        assert!(out["Resources"]["Fn::ForEach::Q"].is_array());
        assert_eq!(generated_prefixes(&t), ["Queue"]);
        assert!(expand(&json!({"Resources": {}})).is_none());
    }

    #[test]
    fn sam_generated_ids_are_known() {
        let t = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {
            "Fn": {"Type": "AWS::Serverless::Function"}, "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup"}}});
        assert_eq!(generated_prefixes(&t), ["ServerlessRestApi", "ServerlessHttpApi", "Fn"]);
    }
}
