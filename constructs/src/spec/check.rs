//! The spec's JSON Schema and the check of a spec against it, with messages that
//! name the JSON pointer, what was expected and what was found.

use crate::validate::edit_distance;
use jsonschema::error::ValidationErrorKind;
use serde_json::{json, Map, Value as J};
use std::sync::OnceLock;

/// The schema as generated from the types, made friendlier to validate: the
/// `kind`-tagged constructs become `if`/`then` pairs (so a mistake inside a
/// construct is reported against its own kind, not as "no variant matched"),
/// alarm override keys get their names, and `"default": null` goes.
pub(crate) fn finish_schema(mut schema: J) -> J {
    if let Some(defs) = schema.get_mut("$defs").and_then(J::as_object_mut) {
        if let Some(J::Object(constructs)) = defs.get("ConstructSpec").cloned() {
            let variants = constructs.get("oneOf").and_then(J::as_array).cloned().unwrap_or_default();
            let mut kinds = Vec::new();
            let mut all_of = Vec::new();
            for v in variants {
                let Some(kind) = v.pointer("/properties/kind/const").and_then(J::as_str).map(str::to_string) else {
                    continue;
                };
                let name = format!("Construct_{kind}");
                all_of.push(json!({
                    "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
                    "then": { "$ref": format!("#/$defs/{name}") },
                }));
                kinds.push(J::String(kind));
                defs.insert(name, v);
            }
            defs.insert(
                "ConstructSpec".into(),
                json!({
                    "description": "A construct: `kind` says which, and which other fields it takes.",
                    "type": "object",
                    "required": ["kind"],
                    "properties": { "kind": { "enum": kinds, "description": "Which construct." } },
                    "allOf": all_of,
                }),
            );
        }
        if let Some(overrides) = defs.get_mut("RedisAlarmsProps").and_then(|p| p.pointer_mut("/properties/overrides")) {
            let mut names: Vec<J> = Vec::new();
            for spec in crate::redis::NODE_ALARMS.iter().chain(crate::redis::SERVERLESS_ALARMS.iter()) {
                let name = serde_json::to_value(spec.metric).unwrap_or(J::Null);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            overrides["propertyNames"] = json!({ "enum": names });
        }
    }
    strip_null_defaults(&mut schema);
    schema
}

/// Drops `"default": null` and turns rustdoc links in descriptions into plain
/// code spans (`[`crate::EncryptionKey`]` → `` `EncryptionKey` ``).
fn strip_null_defaults(j: &mut J) {
    match j {
        J::Object(o) => {
            if o.get("default") == Some(&J::Null) {
                o.shift_remove("default");
            }
            if let Some(J::String(d)) = o.get_mut("description") {
                *d = d.replace("[`", "`").replace("`]", "`").replace("crate::", "").replace("super::", "");
            }
            o.values_mut().for_each(strip_null_defaults);
        }
        J::Array(a) => a.iter_mut().for_each(strip_null_defaults),
        _ => {}
    }
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(super::schema_ref()).expect("the generated spec schema compiles"))
}

/// Every way `doc` breaks the schema, as `pointer: message`, in document order.
pub(crate) fn schema_errors(doc: &J) -> Vec<String> {
    let schema = super::schema_ref();
    let mut out: Vec<(String, String)> = Vec::new();
    for e in validator().iter_errors(doc) {
        report(schema, &e, &mut out);
    }
    out.dedup();
    out.into_iter().map(|(at, m)| format!("{}: {m}", if at.is_empty() { "/" } else { &at })).collect()
}

/// One schema error as `(pointer, message)`, or those of the alternative a
/// `oneOf` value chose.
fn report(schema: &J, e: &jsonschema::ValidationError<'_>, out: &mut Vec<(String, String)>) {
    let at = e.instance_path().to_string();
    let node = schema_node(schema, &e.schema_path().to_string());
    let found = describe(e.instance());
    match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let known: Vec<&str> = node
                .and_then(|n| n.get("properties"))
                .and_then(J::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for u in unexpected {
                let hint =
                    did_you_mean(u, known.iter().copied()).map(|s| format!("did you mean '{s}'? ")).unwrap_or_default();
                out.push((
                    format!("{at}/{}", super::pointer(u)),
                    format!("unknown field '{u}'; {hint}expected one of: {}", known.join(", ")),
                ));
            }
        }
        ValidationErrorKind::Required { property } => {
            let p = property.as_str().unwrap_or_default();
            out.push((at, format!("missing required field '{p}'")));
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options.as_array().map(|a| a.iter().map(short).collect()).unwrap_or_default();
            let hint = e
                .instance()
                .as_str()
                .and_then(|s| did_you_mean(s, opts.iter().map(|o| o.trim_matches('"'))))
                .map(|s| format!("; did you mean '{s}'?"))
                .unwrap_or_default();
            out.push((at, format!("expected one of {}, found {found}{hint}", opts.join(", "))));
        }
        ValidationErrorKind::Constant { expected_value } => {
            out.push((at, format!("expected {}, found {found}", short(expected_value))));
        }
        ValidationErrorKind::Type { .. }
        | ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. } => {
            let parent = schema_node(schema, &parent_path(&e.schema_path().to_string()));
            out.push((at, format!("expected {}, found {found}", expected(parent))));
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            // an externally tagged value ({"secret_password": {...}}) names its
            // alternative: its own mistakes, at their own pointers, say more
            match chosen_alternative(schema, node, e.instance()).and_then(|i| context.get(i)) {
                Some(inner) if !inner.is_empty() => inner.iter().for_each(|e| report(schema, e, out)),
                _ => out.push((at, format!("expected {}, found {found}", alternatives(schema, node)))),
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            out.push((at, format!("expected {}, found {found}", alternatives(schema, node))));
        }
        _ => out.push((at, e.to_string())),
    }
}

/// The alternative of a `oneOf`/`anyOf` node that an object value names by its
/// keys: the one alternative whose required keys the value all has (serde's
/// externally tagged enums, `{"variant": {...}}`).
fn chosen_alternative(schema: &J, node: Option<&J>, instance: &J) -> Option<usize> {
    let given = instance.as_object()?;
    let list = node?.get("oneOf").or_else(|| node?.get("anyOf"))?.as_array()?;
    let mut chosen = None;
    for (i, alt) in list.iter().enumerate() {
        let alt = match alt.get("$ref").and_then(J::as_str) {
            Some(r) => schema.pointer(r.trim_start_matches('#')).unwrap_or(alt),
            None => alt,
        };
        let Some(required) = alt.get("required").and_then(J::as_array).filter(|r| !r.is_empty()) else { continue };
        if required.iter().all(|k| k.as_str().is_some_and(|k| given.contains_key(k))) {
            if chosen.is_some() {
                return None;
            }
            chosen = Some(i);
        }
    }
    chosen
}

/// The schema node at a canonical schema path (`/$defs/X/properties/y/type`).
fn schema_node<'a>(schema: &'a J, path: &str) -> Option<&'a J> {
    let parent = parent_path(path);
    let node = schema.pointer(path)?;
    // A keyword's value (`"type": "integer"`) is not the node: its parent is.
    if node.is_object() && !path.ends_with("/additionalProperties") {
        Some(node)
    } else {
        schema.pointer(&parent)
    }
}

fn parent_path(path: &str) -> String {
    path.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default()
}

/// What a schema node expects, such as `integer from 0 to 5` or `string or null`.
fn expected(node: Option<&J>) -> String {
    let Some(node) = node else { return "another value".into() };
    let types: Vec<&str> = match node.get("type") {
        Some(J::String(t)) => vec![t.as_str()],
        Some(J::Array(a)) => a.iter().filter_map(J::as_str).collect(),
        _ => vec![],
    };
    let mut text = if types.is_empty() { "a value".to_string() } else { types.join(" or ") };
    match (node.get("minimum"), node.get("maximum")) {
        (Some(min), Some(max)) => text.push_str(&format!(" from {min} to {max}")),
        (Some(min), None) if min.as_f64() != Some(0.0) => text.push_str(&format!(" of at least {min}")),
        (None, Some(max)) => text.push_str(&format!(" of at most {max}")),
        _ => {}
    }
    text
}

/// The alternatives of a `oneOf`/`anyOf` node: constants, and objects by their key.
fn alternatives(schema: &J, node: Option<&J>) -> String {
    let Some(node) = node else { return "another value".into() };
    let list = node.get("oneOf").or_else(|| node.get("anyOf")).and_then(J::as_array);
    let mut out = Vec::new();
    for alt in list.into_iter().flatten() {
        let alt = match alt.get("$ref").and_then(J::as_str) {
            Some(r) => schema.pointer(r.trim_start_matches('#')).unwrap_or(alt),
            None => alt,
        };
        if let Some(c) = alt.get("const") {
            out.push(short(c));
        } else if let Some(req) = alt.get("required").and_then(J::as_array) {
            let keys: Vec<String> = req.iter().filter_map(J::as_str).map(|k| format!("\"{k}\": ...")).collect();
            out.push(format!("{{{}}}", keys.join(", ")));
        } else {
            out.push(expected(Some(alt)));
        }
    }
    if out.is_empty() {
        "another value".into()
    } else {
        format!("one of {}", out.join(", "))
    }
}

fn short(j: &J) -> String {
    let s = j.to_string();
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// The found value in a message: scalars as JSON, containers by their type.
fn describe(j: &J) -> String {
    match j {
        J::Object(_) => "an object".into(),
        J::Array(_) => "an array".into(),
        other => short(other),
    }
}

/// The candidate closest to `word`, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let close = candidates
        .iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string());
    // or a name holding every word of it: `adapter_port` → `adapter_endpoint_port`
    close.or_else(|| {
        let words: Vec<&str> = word.split('_').filter(|w| !w.is_empty()).collect();
        (words.len() > 1)
            .then(|| candidates.iter().find(|c| words.iter().all(|w| c.split('_').any(|p| p == *w))))
            .flatten()
            .map(|c| c.to_string())
    })
}

/// Applies a JSON merge patch (RFC 7386) to `target`.
pub(crate) fn merge_patch(target: &mut J, patch: &J) {
    let J::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = J::Object(Map::new());
    }
    let t = target.as_object_mut().expect("an object");
    for (k, v) in p {
        if v.is_null() {
            t.shift_remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(J::Null), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_and_suggestions() {
        assert_eq!(edit_distance("replicas", "replica"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(did_you_mean("replcas", ["replicas", "shards"]), Some("replicas".into()));
        assert_eq!(did_you_mean("zzz", ["replicas", "shards"]), None);
        assert_eq!(did_you_mean("adapter_port", ["adapter_endpoint_port"]), Some("adapter_endpoint_port".into()));
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut doc = json!({"a": {"b": 1, "c": 2}, "d": [1], "e": 1});
        merge_patch(&mut doc, &json!({"a": {"b": null, "x": 3}, "d": [2], "f": {"g": 1}}));
        assert_eq!(doc, json!({"a": {"c": 2, "x": 3}, "d": [2], "e": 1, "f": {"g": 1}}));
    }
}
