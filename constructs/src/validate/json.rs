//! Reading a JSON template: serde_json parses it, keeping the last of two equal
//! keys as every JSON parser does, so a second pass finds duplicate keys, which
//! CloudFormation's own parser and cfn-lint refuse, and which would otherwise hide
//! a resource or a setting (TPL013).

use super::Finding;
use serde_json::Value as J;
use std::collections::HashMap;

/// A template and the duplicate keys it holds (TPL013 findings, each naming both
/// places), or why it is not JSON.
///
/// # Errors
///
/// serde_json's message, with its line and column, when `text` is not JSON.
pub fn parse_template(text: &str) -> Result<(J, Vec<Finding>), serde_json::Error> {
    let value: J = serde_json::from_str(text)?;
    Ok((value, duplicate_keys(text)))
}

/// A place in the text: line and column, from 1.
#[derive(Clone, Copy)]
struct Pos {
    line: usize,
    col: usize,
}

/// One open object: its keys so far, and the path of the object.
struct Frame {
    keys: HashMap<String, Pos>,
    /// The key whose value is being read, for the path of what is below it.
    current: Option<String>,
    is_object: bool,
    index: usize,
}

/// The TPL013 findings of `text`, which must be valid JSON.
fn duplicate_keys(text: &str) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'{' | b'[' => {
                if let Some(top) = stack.last_mut() {
                    if !top.is_object {
                        top.index += 1;
                    }
                }
                stack.push(Frame { keys: HashMap::new(), current: None, is_object: bytes[i] == b'{', index: 0 });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let raw = &text[start..=i.min(bytes.len() - 1)];
                // A key is a string followed by a colon.
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let is_key = bytes.get(j) == Some(&b':') && stack.last().is_some_and(|f| f.is_object);
                if is_key {
                    let key: String = serde_json::from_str(raw).unwrap_or_else(|_| raw.to_string());
                    let pos = Pos { line, col: text[line_start..start].chars().count() + 1 };
                    let path = path_of(&stack, &key);
                    let top = stack.last_mut().expect("inside an object");
                    if let Some(first) = top.keys.get(&key) {
                        let (logical_id, inner) = split(&path);
                        out.push(Finding::error(
                            "TPL013",
                            logical_id.as_deref(),
                            inner,
                            format!(
                                "duplicate key '{key}' at line {} column {} (first at line {} column {}); JSON readers keep only the last, so the first is silently lost; CloudFormation refuses the template: remove or rename one",
                                pos.line, pos.col, first.line, first.col
                            ),
                        ));
                    } else {
                        top.keys.insert(key.clone(), pos);
                    }
                    top.current = Some(key);
                } else if let Some(top) = stack.last_mut() {
                    if !top.is_object {
                        top.index += 1;
                    }
                }
            }
            b'0'..=b'9' | b'-' | b't' | b'f' | b'n' => {
                // a scalar in a list counts as an item
                if let Some(top) = stack.last_mut() {
                    if !top.is_object {
                        top.index += 1;
                    }
                }
                while i + 1 < bytes.len() && !matches!(bytes[i + 1], b',' | b']' | b'}' | b'\n' | b' ' | b'\t' | b'\r')
                {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The path of `key` in the innermost open object: `Resources.Cache.Properties.Port`.
fn path_of(stack: &[Frame], key: &str) -> Vec<String> {
    let mut path: Vec<String> = Vec::new();
    for f in &stack[..stack.len().saturating_sub(1)] {
        if f.is_object {
            path.push(f.current.clone().unwrap_or_default());
        } else {
            path.push(f.index.saturating_sub(1).to_string());
        }
    }
    path.push(key.to_string());
    path
}

/// `Resources.Cache.Properties.Port` as (`Cache`, `Properties.Port`); a top-level
/// section or the section's own key has no logical id.
fn split(path: &[String]) -> (Option<String>, String) {
    match path {
        [section, id, rest @ ..]
            if !rest.is_empty()
                || matches!(section.as_str(), "Resources" | "Parameters" | "Outputs" | "Conditions" | "Mappings") =>
        {
            (Some(id.clone()), rest.join("."))
        }
        _ => (None, path.join(".")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_name_both_places() {
        let text = "{\n \"Resources\": {\n  \"Cache\": {\"Type\": \"A\"},\n  \"Other\": {\"Type\": \"B\", \"Properties\": {\"L\": [1, {\"x\": 1, \"x\": 2}]}},\n  \"Cache\": {\"Type\": \"C\"}\n }\n}\n";
        let (v, found) = parse_template(text).unwrap();
        assert_eq!(v["Resources"]["Cache"]["Type"], "C");
        let got: Vec<String> = found.iter().map(|f| f.to_string()).collect();
        assert_eq!(got, vec![
            "Other.Properties.L.1.x: [TPL013] duplicate key 'x' at line 4 column 59 (first at line 4 column 51); JSON readers keep only the last, so the first is silently lost; CloudFormation refuses the template: remove or rename one",
            "Cache: [TPL013] duplicate key 'Cache' at line 5 column 3 (first at line 3 column 3); JSON readers keep only the last, so the first is silently lost; CloudFormation refuses the template: remove or rename one",
        ]);
        let (_, none) =
            parse_template("{\"a\": {\"k\": \"\\\"k\\\"\"}, \"b\": {\"k\": 1}, \"s\": [\"k\", \"k\"]}").unwrap();
        assert!(none.is_empty(), "{none:?}");
        assert!(parse_template("{\"a\": 1,}").is_err());
    }
}
