//! Conditions understood: the scenarios a template's conditions allow, each a copy
//! of the template with its `Fn::If`s resolved and the resources and outputs of
//! false conditions removed, so the rules judge values a deploy can really get.
//!
//! A scenario assigns each parameter that a condition reads one value of its
//! domain: its `AllowedValues` when it has them, otherwise its `Default`, the
//! literals the conditions compare it with, and "another value" (then the
//! parameter has no value the rules may read). Conditions are evaluated under the
//! assignment the way CloudFormation does (`Fn::Equals`, `Fn::And`, `Fn::Or`,
//! `Fn::Not`, `Condition`); a condition that depends on what is not known at check
//! time (a pseudo parameter, an import) is taken both ways. Scenarios that give
//! every condition and parameter the same value are one. This is how cfn-lint
//! treats conditions too, in spirit: a finding is a finding of some deploy.

use super::Finding;
use crate::template::Intrinsic;
use serde_json::{Map, Value as J};
use std::collections::BTreeMap;

/// The most scenarios a template is checked in; past it, parameter domains shrink
/// to their default and "another value".
const MAX_SCENARIOS: usize = 64;
/// The most values of one parameter's domain.
const MAX_DOMAIN: usize = 8;
/// How deep conditions may refer to conditions (deeper is treated as unknown).
const MAX_DEPTH: usize = 32;

/// One scenario: the template as it deploys in it, and the condition values that define it.
pub(crate) struct Scenario {
    pub template: J,
    /// Each condition the template uses, with its value in this scenario.
    pub conditions: BTreeMap<String, bool>,
}

/// A parameter's value in a scenario: one of its listed values, or another one.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Val {
    Is(String),
    Other,
}

/// The scenarios of `template`, or `None` when it has no conditions (the common
/// case: then the template is checked as it is).
pub(crate) fn scenarios(template: &J) -> Option<Vec<Scenario>> {
    let top = template.as_object()?;
    let conditions = top.get("Conditions")?.as_object().filter(|c| !c.is_empty())?;
    let empty = Map::new();
    let parameters = top.get("Parameters").and_then(J::as_object).unwrap_or(&empty);

    // The parameters the conditions read, and the literals compared with each.
    let mut compared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in conditions.values() {
        collect_equals(c, parameters, &mut compared, 0);
    }
    let mut domains: Vec<(String, Vec<Val>)> = compared
        .into_iter()
        .map(|(name, literals)| {
            let p = &parameters[&name];
            let mut d: Vec<Val> = Vec::new();
            match p.get("AllowedValues").and_then(J::as_array) {
                Some(allowed) if !allowed.is_empty() => {
                    d.extend(allowed.iter().filter_map(scalar).map(Val::Is).take(MAX_DOMAIN));
                }
                _ => {
                    if let Some(v) = p.get("Default").and_then(scalar) {
                        d.push(Val::Is(v));
                    }
                    for l in literals {
                        if !d.contains(&Val::Is(l.clone())) && d.len() < MAX_DOMAIN - 1 {
                            d.push(Val::Is(l));
                        }
                    }
                    d.push(Val::Other);
                }
            }
            (name, d)
        })
        .collect();
    let count = |domains: &[(String, Vec<Val>)]| domains.iter().try_fold(1usize, |n, (_, d)| n.checked_mul(d.len()));
    if count(&domains).is_none_or(|n| n > MAX_SCENARIOS) {
        for (name, d) in &mut domains {
            let default = parameters[name.as_str()].get("Default").and_then(scalar).map(Val::Is);
            *d = default.into_iter().chain([Val::Other]).collect();
        }
    }
    if count(&domains).is_none_or(|n| n > MAX_SCENARIOS) {
        // 2^5 scenarios: the parameters an ElastiCache resource reads vary first; the
        // others keep their default (a parameter left out of the assignment would
        // make every condition on it unknown, taken both ways).
        let ec = top.get("Resources").and_then(J::as_object).map_or(String::new(), |rs| {
            rs.values()
                .filter(|r| r["Type"].as_str().is_some_and(|t| t.starts_with("AWS::ElastiCache::")))
                .map(J::to_string)
                .collect()
        });
        domains.sort_by_key(|(name, _)| !ec.contains(&serde_json::json!({"Ref": name}).to_string()));
        for (_, d) in domains.iter_mut().skip(5) {
            d.truncate(1);
        }
    }

    // Every assignment, then every way to take the conditions left unknown.
    let mut assignments: Vec<BTreeMap<String, Val>> = vec![BTreeMap::new()];
    for (name, d) in &domains {
        assignments = assignments
            .into_iter()
            .flat_map(|a| {
                d.iter().map(move |v| {
                    let mut a = a.clone();
                    a.insert(name.clone(), v.clone());
                    a
                })
            })
            .collect();
    }
    let mut seen: Vec<(BTreeMap<String, Val>, BTreeMap<String, bool>)> = Vec::new();
    for a in assignments {
        // Branch on the unknown leaves (an `Fn::Equals` on a pseudo parameter or an
        // import), not on each condition apart: conditions built on one leaf stay
        // consistent (`B: !Not [!Condition A]` is never true together with `A`).
        let mut pending: Vec<BTreeMap<String, bool>> = vec![BTreeMap::new()];
        let mut evaluated: Vec<BTreeMap<String, Option<bool>>> = Vec::new();
        while let Some(leaves) = pending.pop() {
            let (mut known, mut open) = (BTreeMap::new(), Vec::new());
            for name in conditions.keys() {
                eval_condition(name, conditions, &a, &leaves, &mut known, &mut open, 0);
                // it records each value in `known`
            }
            match open.first() {
                Some(leaf) if evaluated.len() + pending.len() + 2 <= MAX_SCENARIOS => {
                    for b in [false, true] {
                        let mut l = leaves.clone();
                        l.insert(leaf.clone(), b);
                        pending.push(l);
                    }
                }
                _ => evaluated.push(known),
            }
        }
        // What is still unknown (a cycle, a leaf past the limit) is taken both ways.
        let mut values: Vec<BTreeMap<String, bool>> = Vec::new();
        for known in evaluated {
            let mut each: Vec<BTreeMap<String, bool>> = vec![BTreeMap::new()];
            for (name, v) in known {
                let choices: &[bool] = match v {
                    Some(true) => &[true],
                    Some(false) => &[false],
                    None => &[true, false],
                };
                each = each
                    .into_iter()
                    .flat_map(|m| {
                        let name = &name;
                        choices.iter().map(move |b| {
                            let mut m = m.clone();
                            m.insert(name.clone(), *b);
                            m
                        })
                    })
                    .take(MAX_SCENARIOS)
                    .collect();
            }
            values.extend(each);
        }
        for v in values {
            if seen.len() < MAX_SCENARIOS && !seen.iter().any(|(sa, sv)| *sa == a && *sv == v) {
                seen.push((a.clone(), v));
            }
        }
    }
    Some(seen.into_iter().map(|(a, c)| Scenario { template: resolve(template, &a, &c), conditions: c }).collect())
}

fn scalar(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        J::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn param_ref<'a>(v: &'a J, parameters: &Map<String, J>) -> Option<&'a str> {
    match Intrinsic::parse(v)? {
        Intrinsic::Ref(name) if parameters.contains_key(name) => Some(name),
        _ => None,
    }
}

fn collect_equals(v: &J, parameters: &Map<String, J>, out: &mut BTreeMap<String, Vec<String>>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        J::Object(m) => {
            if let Some(J::Array(pair)) = m.get("Fn::Equals") {
                if let [a, b] = pair.as_slice() {
                    for (x, y) in [(a, b), (b, a)] {
                        if let Some(name) = param_ref(x, parameters) {
                            let entry = out.entry(name.to_string()).or_default();
                            if let Some(l) = scalar(y) {
                                if !entry.contains(&l) {
                                    entry.push(l);
                                }
                            }
                        }
                    }
                }
            }
            for x in m.values() {
                collect_equals(x, parameters, out, depth + 1);
            }
        }
        J::Array(a) => a.iter().for_each(|x| collect_equals(x, parameters, out, depth + 1)),
        _ => {}
    }
}

fn eval_condition(
    name: &str,
    conditions: &Map<String, J>,
    a: &BTreeMap<String, Val>,
    leaves: &BTreeMap<String, bool>,
    known: &mut BTreeMap<String, Option<bool>>,
    open: &mut Vec<String>,
    depth: usize,
) -> Option<bool> {
    if let Some(v) = known.get(name) {
        return *v;
    }
    if depth > MAX_DEPTH {
        return None;
    }
    let v = eval(conditions.get(name)?, conditions, a, leaves, known, open, depth + 1);
    known.insert(name.to_string(), v);
    v
}

fn eval(
    v: &J,
    conditions: &Map<String, J>,
    a: &BTreeMap<String, Val>,
    leaves: &BTreeMap<String, bool>,
    known: &mut BTreeMap<String, Option<bool>>,
    open: &mut Vec<String>,
    depth: usize,
) -> Option<bool> {
    // the condition functions (and `Condition`) are the read model's `Other`
    let Some(Intrinsic::Other(key, arg)) = Intrinsic::parse(v) else { return None };
    let list = || arg.as_array().map(Vec::as_slice).unwrap_or(&[]);
    match key {
        "Condition" => eval_condition(arg.as_str()?, conditions, a, leaves, known, open, depth + 1),
        "Fn::Not" => eval(list().first()?, conditions, a, leaves, known, open, depth + 1).map(|b| !b),
        "Fn::And" | "Fn::Or" => {
            let and = key == "Fn::And";
            let mut unknown = false;
            for x in list() {
                match eval(x, conditions, a, leaves, known, open, depth + 1) {
                    Some(b) if b != and => return Some(b),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            if unknown {
                None
            } else {
                Some(and)
            }
        }
        "Fn::Equals" => {
            let [x, y] = list() else { return None };
            fn operand(v: &J, a: &BTreeMap<String, Val>) -> Option<(Option<String>, Val)> {
                if let Some(s) = scalar(v) {
                    return Some((None, Val::Is(s)));
                }
                let Some(Intrinsic::Ref(name)) = Intrinsic::parse(v) else { return None };
                a.get(name).map(|val| (Some(name.to_string()), val.clone()))
            }
            let operand = |v: &J| operand(v, a);
            let r = match (operand(x), operand(y)) {
                (Some((px, vx)), Some((py, vy))) => match (vx, vy) {
                    (Val::Is(p), Val::Is(q)) => Some(p == q),
                    // another value than every literal compared with the parameter
                    (Val::Other, Val::Is(_)) | (Val::Is(_), Val::Other) => Some(false),
                    (Val::Other, Val::Other) if px == py => Some(true),
                    _ => None,
                },
                _ => None,
            };
            // an unknown leaf: its value in this branch, or a leaf to branch on
            r.or_else(|| {
                let key = v.to_string();
                let b = leaves.get(&key).copied();
                if b.is_none() && !open.contains(&key) {
                    open.push(key);
                }
                b
            })
        }
        _ => None,
    }
}

/// The template in one scenario.
fn resolve(template: &J, a: &BTreeMap<String, Val>, c: &BTreeMap<String, bool>) -> J {
    let mut t = template.clone();
    let Some(top) = t.as_object_mut() else { return t };
    if let Some(J::Object(params)) = top.get_mut("Parameters") {
        for (name, v) in a {
            let Some(J::Object(p)) = params.get_mut(name) else { continue };
            match v {
                Val::Is(s) => {
                    p.insert("Default".into(), J::String(s.clone()));
                }
                Val::Other => {
                    p.remove("Default");
                }
            }
        }
    }
    for section in ["Resources", "Outputs"] {
        let Some(J::Object(items)) = top.get_mut(section) else { continue };
        items.retain(|_, item| match item.get("Condition").and_then(J::as_str) {
            Some(name) => c.get(name).copied().unwrap_or(true),
            None => true,
        });
        for item in items.values_mut() {
            resolve_ifs(item, c, 0);
        }
    }
    t
}

fn is_no_value(v: &J) -> bool {
    matches!(Intrinsic::parse(v), Some(Intrinsic::Ref("AWS::NoValue")))
}

/// Replaces each `Fn::If` whose condition has a value with its branch, dropping
/// keys and list items whose branch is `AWS::NoValue`.
fn resolve_ifs(v: &mut J, c: &BTreeMap<String, bool>, depth: usize) {
    if depth > 256 {
        return;
    }
    while let Some(Intrinsic::If { condition, branches }) = Intrinsic::parse(v) {
        let branch = match condition.as_str().and_then(|name| c.get(name)) {
            Some(true) => branches[0].clone(),
            Some(false) => branches[1].clone(),
            None => break,
        };
        *v = branch;
    }
    match v {
        J::Object(m) => {
            for x in m.values_mut() {
                resolve_ifs(x, c, depth + 1);
            }
            m.retain(|_, x| !is_no_value(x));
        }
        J::Array(items) => {
            for x in items.iter_mut() {
                resolve_ifs(x, c, depth + 1);
            }
            items.retain(|x| !is_no_value(x));
        }
        _ => {}
    }
}

/// TPL021 in scenario `s` of `template`: a `Ref`, `Fn::GetAtt`, `Fn::Sub` variable
/// or `DependsOn` of a resource or output that exists to a resource its
/// `Condition` left out (after the scenario's `Fn::If`s). CloudFormation fails such
/// a deploy ("Unresolved resource dependencies"); cfn-lint warns (W1001).
pub(crate) fn conditional_references(template: &J, s: &Scenario) -> Vec<Finding> {
    let Some(declared) = template.get("Resources").and_then(J::as_object) else { return Vec::new() };
    let present = s.template.get("Resources").and_then(J::as_object);
    let gone = |id: &str| declared.contains_key(id) && !present.is_some_and(|p| p.contains_key(id));
    let mut found = Vec::new();
    for (section, key) in [("Resources", "resource"), ("Outputs", "output")] {
        for (id, element) in s.template.get(section).and_then(J::as_object).into_iter().flatten() {
            let mut refs = Vec::new();
            references(element, &mut refs);
            for (at, target) in refs.into_iter().filter(|(_, t)| gone(t)) {
                let what = declared[target.as_str()]["Condition"].as_str().unwrap_or("its condition");
                found.push(Finding::error(
                    "TPL021",
                    Some(id),
                    at,
                    format!(
                        "this {key} refers to '{target}', which its Condition {what} leaves out; give the {key} the same Condition, or refer to it inside Fn::If [{what}, ..., AWS::NoValue]"
                    ),
                ));
            }
        }
    }
    found
}

/// The resources (and parameters) an element names, with where: its references
/// ([`crate::template::each_reference`]) and a resource's `DependsOn`.
fn references(element: &J, out: &mut Vec<(String, String)>) {
    for (k, x) in element.as_object().into_iter().flatten() {
        match (k.as_str(), x) {
            ("DependsOn", J::String(d)) => out.push((k.clone(), d.clone())),
            ("DependsOn", J::Array(ds)) => {
                out.extend(ds.iter().filter_map(J::as_str).map(|d| (k.clone(), d.to_string())))
            }
            ("DependsOn", _) => {}
            _ => crate::template::each_reference(x, &mut k.clone(), &mut |r, at| {
                out.push((at.to_string(), r.target().to_string()))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_and_conditions_give_the_scenarios() {
        let t = json!({
            "Parameters": {"Shards": {"Type": "Number", "Default": 1}},
            "Conditions": {"Clustered": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Shards"}, 1]}]}},
            "Resources": {"C": {"Type": "X", "Properties": {"Mode": {"Fn::If": ["Clustered", "yes", "no"]},
                "Extra": {"Fn::If": ["Clustered", {"Ref": "AWS::NoValue"}, 5]}}},
                "Only": {"Type": "X", "Condition": "Clustered"}}
        });
        let s = scenarios(&t).unwrap();
        assert_eq!(s.len(), 2);
        let off = &s[0];
        assert!(!off.conditions["Clustered"]);
        assert_eq!(off.template["Parameters"]["Shards"]["Default"], json!("1"));
        assert_eq!(off.template["Resources"]["C"]["Properties"], json!({"Mode": "no", "Extra": 5}));
        assert!(off.template["Resources"].get("Only").is_none());
        let on = &s[1];
        assert!(on.conditions["Clustered"]);
        assert!(on.template["Parameters"]["Shards"].get("Default").is_none());
        assert_eq!(on.template["Resources"]["C"]["Properties"], json!({"Mode": "yes"}));
        assert!(on.template["Resources"].get("Only").is_some());
        assert!(scenarios(&json!({"Resources": {}})).is_none());
    }

    #[test]
    fn unknown_conditions_go_both_ways_and_cycles_end() {
        let t = json!({
            "Conditions": {"East": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
                           "A": {"Condition": "B"}, "B": {"Condition": "A"}},
            "Resources": {}
        });
        let s = scenarios(&t).unwrap();
        assert_eq!(s.len(), 8);
    }

    #[test]
    fn conditions_on_one_unknown_leaf_stay_consistent() {
        let t = json!({
            "Conditions": {"On": {"Fn::Not": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]},
                           "Off": {"Fn::Not": [{"Condition": "On"}]}},
            "Resources": {}
        });
        let s = scenarios(&t).unwrap();
        assert_eq!(s.len(), 2);
        assert!(s.iter().all(|x| x.conditions["On"] != x.conditions["Off"]));
    }
}
