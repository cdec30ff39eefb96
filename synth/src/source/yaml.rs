//! CloudFormation's YAML: YAML 1.1 without aliases, hash merges and the binary,
//! omap, pairs, set and timestamp tags (template-formats.html, "CloudFormation
//! supports the YAML Version 1.1 specification with a few exceptions"), plus the
//! short forms of the intrinsic functions (`!Ref`, `!GetAtt A.B`, `!Sub`, ...).
//!
//! The events of `saphyr-parser` are folded into a `serde_json::Value` in document
//! order, recording where each node starts. Plain scalars are resolved as YAML 1.1
//! resolves them (PyYAML's implicit resolvers, which cfn-lint uses too), except
//! timestamps, which CloudFormation keeps as strings (`AWSTemplateFormatVersion:
//! 2010-09-09`). What CloudFormation would refuse (an alias, a merge key, an unknown
//! tag) is a `YAML` finding at its place; the rest of the template is still read.

use super::{Pos, Positions};
use redis_cdk::validate::Finding;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value as J};

/// Deepest nesting accepted, as serde_json's own limit for JSON: the checks walk
/// templates recursively, and no real template comes near it.
pub const MAX_DEPTH: usize = 128;

/// The intrinsic functions with a YAML short form: `!Name` is `{"Fn::Name": ...}`
/// (`!Ref` and `!Condition` keep their names). The list is CloudFormation's
/// (intrinsic-function-reference.html, Rules' functions from rules-section-structure.html,
/// `Fn::Length` and `Fn::ToJsonString` from the LanguageExtensions transform).
const SHORT_FORMS: &[&str] = &[
    "And",
    "Base64",
    "Cidr",
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "Equals",
    "FindInMap",
    "GetAZs",
    "GetAtt",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "RefAll",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
    "ValueOf",
    "ValueOfAll",
];

/// Why a text is not YAML at all: the scanner's message and where it stopped.
#[derive(Debug)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub pos: Pos,
}

/// A parsed YAML template: the value, where each node starts, and the findings
/// of the reading (duplicate keys, what CloudFormation does not support).
#[derive(Debug)]
pub struct Parsed {
    /// The template.
    pub value: J,
    /// Where each node starts.
    pub positions: Positions,
    /// `TPL013` duplicate keys and `YAML` findings.
    pub findings: Vec<Finding>,
}

enum Frame {
    Map {
        map: Map<String, J>,
        key: Option<(String, Pos)>,
        tag: Option<Tag>,
        base_len: usize,
        path_len: usize,
        pos: Pos,
    },
    Seq {
        items: Vec<J>,
        tag: Option<Tag>,
        base_len: usize,
        path_len: usize,
        pos: Pos,
    },
}

fn pos(span: &Span) -> Pos {
    Pos { line: span.start.line() as u32, col: span.start.col() as u32 + 1 }
}

/// Reads `text` as one YAML document.
///
/// # Errors
///
/// When the text is not YAML (a scanner error), or holds more than one document.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    let mut b = Builder {
        stack: Vec::new(),
        path: String::new(),
        positions: Positions::default(),
        findings: Vec::new(),
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            message: e.info().to_string(),
            pos: Pos { line: e.marker().line() as u32, col: e.marker().col() as u32 + 1 },
        })?;
        b.event(event, &span)?;
    }
    Ok(Parsed { value: b.root.unwrap_or(J::Null), positions: b.positions, findings: b.findings })
}

struct Builder {
    stack: Vec<Frame>,
    /// The dotted path of the node being read (`Resources.Cache.Properties`).
    path: String,
    positions: Positions,
    findings: Vec<Finding>,
    root: Option<J>,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), SyntaxError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(SyntaxError {
                        message: "a template is one YAML document; this is the second (remove the `---` that starts it, or split the file)".into(),
                        pos: pos(span),
                    });
                }
            }
            Event::Scalar(text, style, _anchor, tag) => {
                let at = pos(span);
                if let Some(Frame::Map { key: key @ None, path_len, .. }) = self.stack.last_mut() {
                    // a key
                    self.path.truncate(*path_len);
                    if tag.is_some() {
                        self.findings.push(yaml_error(
                            &self.path,
                            format!(
                                "a mapping key with a tag ({}): CloudFormation keys are plain strings",
                                show_tag(tag.as_deref())
                            ),
                        ));
                    }
                    let name = text.into_owned();
                    if !self.path.is_empty() {
                        self.path.push('.');
                    }
                    self.path.push_str(&name);
                    *key = Some((name, at));
                    return Ok(());
                }
                let value = self.scalar(&text, style, tag.as_deref());
                self.value(value, at, true);
            }
            Event::Alias(_) => {
                let at = pos(span);
                let p = self.path.clone();
                self.findings.push(yaml_error(&p, "a YAML alias (*name): CloudFormation does not support aliases; repeat the value, or use Fn::FindInMap or a parameter"));
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    // an alias as a key: nothing sensible to keep
                    return Err(SyntaxError { message: "an alias as a mapping key".into(), pos: at });
                }
                self.value(J::Null, at, true);
            }
            Event::MappingStart(_, tag) | Event::SequenceStart(_, tag) if self.stack.len() >= MAX_DEPTH => {
                let _ = tag;
                return Err(SyntaxError { message: format!("nested deeper than {MAX_DEPTH} levels"), pos: pos(span) });
            }
            Event::MappingStart(_, tag) => {
                self.no_collection_key(span)?;
                self.enter_item();
                let tag = tag.map(|t| t.into_owned());
                let base_len = self.enter_function(tag.as_ref(), pos(span));
                let path_len = self.path.len();
                self.stack.push(Frame::Map { map: Map::new(), key: None, tag, base_len, path_len, pos: pos(span) });
            }
            Event::SequenceStart(_, tag) => {
                self.no_collection_key(span)?;
                self.enter_item();
                let tag = tag.map(|t| t.into_owned());
                let base_len = self.enter_function(tag.as_ref(), pos(span));
                let path_len = self.path.len();
                self.stack.push(Frame::Seq { items: Vec::new(), tag, base_len, path_len, pos: pos(span) });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else { return Ok(()) };
                let (value, tag, base_len, at) = match frame {
                    Frame::Map { map, tag, base_len, pos, .. } => (J::Object(map), tag, base_len, pos),
                    Frame::Seq { items, tag, base_len, pos, .. } => (J::Array(items), tag, base_len, pos),
                };
                self.path.truncate(base_len);
                let value = self.tagged_collection(value, tag.as_ref());
                self.value(value, at, false);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn no_collection_key(&self, span: &Span) -> Result<(), SyntaxError> {
        match self.stack.last() {
            Some(Frame::Map { key: None, .. }) => Err(SyntaxError {
                message: "a mapping or sequence as a mapping key: CloudFormation keys are plain strings".into(),
                pos: pos(span),
            }),
            _ => Ok(()),
        }
    }

    /// Puts a finished value into its parent (or makes it the document), recording
    /// its position: a scalar's own, a collection's at its key when it has one (the
    /// line a reader looks for), else where it starts.
    fn value(&mut self, value: J, at: Pos, scalar: bool) {
        match self.stack.last_mut() {
            None => {
                self.positions.insert(String::new(), at);
                self.root = Some(value);
            }
            Some(Frame::Map { map, key, path_len, .. }) => {
                let Some((name, key_pos)) = key.take() else { return };
                let here = if scalar { at } else { key_pos };
                let p = std::mem::take(&mut self.path);
                if name == "<<" {
                    self.findings.push(yaml_error(
                        &p,
                        "a hash merge (<<): CloudFormation does not support merge keys; write the keys out",
                    ));
                } else if let Some(first) = self.positions.get(&p) {
                    let (logical_id, inner) = split_path(&p);
                    self.findings.push(Finding::error(
                        "TPL013",
                        logical_id,
                        inner,
                        format!(
                            "duplicate key '{name}' at line {} column {} (first at line {} column {}); YAML readers keep only the last, so the first is silently lost; CloudFormation refuses the template: remove or rename one",
                            key_pos.line, key_pos.col, first.line, first.col
                        ),
                    ));
                    self.positions.insert(p.clone(), here);
                    map.insert(name, value);
                } else {
                    self.positions.insert(p.clone(), here);
                    map.insert(name, value);
                }
                self.path = p;
                self.path.truncate(*path_len);
            }
            Some(Frame::Seq { items, path_len, .. }) => {
                if scalar {
                    push_index(&mut self.path, items.len());
                }
                // a collection's path got its index when it started (enter_item)
                self.positions.insert(self.path.clone(), at);
                self.path.truncate(*path_len);
                items.push(value);
            }
        }
    }

    /// A collection tagged with a short form (`!If [...]`) is the argument of the
    /// function: its children's paths go through the function's key, as in JSON
    /// (`AuthToken.Fn::If.1`). Returns the path length before that key.
    fn enter_function(&mut self, tag: Option<&Tag>, at: Pos) -> usize {
        let base = self.path.len();
        let name = match tag {
            Some(t) if t.handle == "!" && matches!(t.suffix.as_str(), "Ref" | "Condition") => t.suffix.clone(),
            Some(t) if t.handle == "!" && SHORT_FORMS.contains(&t.suffix.as_str()) => format!("Fn::{}", t.suffix),
            _ => return base,
        };
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(&name);
        self.positions.insert(self.path.clone(), at);
        base
    }

    /// A collection that starts as an item of a sequence: its path is the
    /// sequence's and its index.
    fn enter_item(&mut self) {
        if let Some(Frame::Seq { items, .. }) = self.stack.last() {
            push_index(&mut self.path, items.len());
        }
    }

    fn scalar(&mut self, text: &str, style: ScalarStyle, tag: Option<&Tag>) -> J {
        let Some(tag) = tag else {
            return if style == ScalarStyle::Plain { resolve_plain(text) } else { J::String(text.to_string()) };
        };
        match (tag.handle.as_str(), tag.suffix.as_str()) {
            ("!", "Ref") => one("Ref", J::String(text.to_string())),
            ("!", "Condition") => one("Condition", J::String(text.to_string())),
            ("!", "GetAtt") => {
                let parts = match text.split_once('.') {
                    Some((res, attr)) => vec![J::String(res.into()), J::String(attr.into())],
                    None => {
                        let p = self.path.clone();
                        self.findings.push(yaml_error(
                            &p,
                            format!("!GetAtt {text}: the short form is !GetAtt LogicalId.Attribute"),
                        ));
                        vec![J::String(text.into())]
                    }
                };
                one("Fn::GetAtt", J::Array(parts))
            }
            ("!", name) if SHORT_FORMS.contains(&name) => one(&format!("Fn::{name}"), J::String(text.to_string())),
            ("tag:yaml.org,2002:", "str") => J::String(text.to_string()),
            ("tag:yaml.org,2002:", "null") => J::Null,
            ("tag:yaml.org,2002:", "bool" | "int" | "float") => {
                let v = resolve_plain(text);
                let fits = matches!((tag.suffix.as_str(), &v), ("bool", J::Bool(_)) | ("int" | "float", J::Number(_)));
                if !fits {
                    let p = self.path.clone();
                    self.findings.push(yaml_error(&p, format!("'{text}' is not a YAML 1.1 {}", tag.suffix)));
                }
                v
            }
            _ => {
                let p = self.path.clone();
                self.findings.push(unknown_tag(&p, tag));
                J::String(text.to_string())
            }
        }
    }

    fn tagged_collection(&mut self, value: J, tag: Option<&Tag>) -> J {
        let Some(tag) = tag else { return value };
        match (tag.handle.as_str(), tag.suffix.as_str()) {
            ("!", "Ref") => one("Ref", value),
            ("!", "Condition") => one("Condition", value),
            ("!", name) if SHORT_FORMS.contains(&name) => one(&format!("Fn::{name}"), value),
            ("tag:yaml.org,2002:", "map") if value.is_object() => value,
            ("tag:yaml.org,2002:", "seq") if value.is_array() => value,
            _ => {
                let p = self.path.clone();
                self.findings.push(unknown_tag(&p, tag));
                value
            }
        }
    }
}

fn push_index(path: &mut String, i: usize) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(&i.to_string());
}

fn one(key: &str, value: J) -> J {
    let mut m = Map::with_capacity(1);
    m.insert(key.to_string(), value);
    J::Object(m)
}

fn show_tag(tag: Option<&Tag>) -> String {
    match tag {
        Some(t) if t.handle == "tag:yaml.org,2002:" => format!("!!{}", t.suffix),
        Some(t) => format!("{}{}", t.handle, t.suffix),
        None => String::new(),
    }
}

fn unknown_tag(path: &str, tag: &Tag) -> Finding {
    let shown = show_tag(Some(tag));
    let message = if tag.handle == "tag:yaml.org,2002:" {
        format!("the {shown} tag: CloudFormation does not support the binary, omap, pairs, set and timestamp tags; write the value as a string")
    } else {
        let near = SHORT_FORMS
            .iter()
            .chain(["Ref", "Condition"].iter())
            .find(|n| {
                redis_cdk::validate::edit_distance(&n.to_ascii_lowercase(), &tag.suffix.to_ascii_lowercase()) <= 1
            })
            .map(|n| format!(" (did you mean !{n}?)"))
            .unwrap_or_default();
        format!(
            "unknown tag {shown}{near}: CloudFormation's short forms are !Ref, !Condition and !{}",
            SHORT_FORMS.join(", !")
        )
    };
    yaml_error(path, message)
}

/// A `YAML` finding at `path` (dotted, from the root); `synth check` places it at
/// the line and column recorded for that path.
fn yaml_error(path: &str, message: impl Into<String>) -> Finding {
    let (logical_id, inner) = split_path(path);
    Finding::error("YAML", logical_id, inner, message)
}

/// `Resources.Cache.Properties.Port` as (`Cache`, `Properties.Port`); a top-level
/// key has no logical id.
pub(crate) fn split_path(path: &str) -> (Option<&str>, &str) {
    let mut parts = path.splitn(3, '.');
    let section = parts.next().unwrap_or("");
    match (parts.next(), parts.next()) {
        (Some(id), rest)
            if matches!(section, "Resources" | "Parameters" | "Outputs" | "Conditions" | "Mappings" | "Rules") =>
        {
            (Some(id), rest.unwrap_or(""))
        }
        _ => (None, path),
    }
}

/// A plain scalar as YAML 1.1 reads it: null, a boolean, an integer (decimal,
/// `0b`, octal `0…`, `0x`, base 60 `1:30`, `_` separators), a float; anything else,
/// timestamps included, a string. A number JSON cannot hold (`.inf`, `.nan`) stays
/// a string, and so does an integer too large for 64 bits.
pub fn resolve_plain(s: &str) -> J {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return J::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return J::Bool(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => return J::Bool(false),
        _ => {}
    }
    if let Some(n) = int_1_1(s) {
        return J::Number(n);
    }
    if let Some(f) = float_1_1(s) {
        if let Some(n) = Number::from_f64(f) {
            return J::Number(n);
        }
    }
    J::String(s.to_string())
}

fn sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

fn digits_in(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c == '_' || c.is_digit(radix)) && s.chars().any(|c| c != '_')
}

fn number_from(neg: bool, magnitude: u128) -> Option<Number> {
    if neg {
        let v = i64::try_from(magnitude).ok().map(|v| -v).or_else(|| (magnitude == 1u128 << 63).then_some(i64::MIN))?;
        Some(Number::from(v))
    } else {
        u64::try_from(magnitude).ok().map(Number::from)
    }
}

/// PyYAML's int resolver: `[-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*)
/// | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`.
fn int_1_1(s: &str) -> Option<Number> {
    let (neg, body) = sign(s);
    let parse = |digits: &str, radix: u32| -> Option<u128> {
        let clean: String = digits.chars().filter(|&c| c != '_').collect();
        u128::from_str_radix(&clean, radix).ok()
    };
    let magnitude = if let Some(b) = body.strip_prefix("0b") {
        digits_in(b, 2).then(|| parse(b, 2)).flatten()?
    } else if let Some(h) = body.strip_prefix("0x") {
        digits_in(h, 16).then(|| parse(h, 16)).flatten()?
    } else if body == "0" {
        0
    } else if let Some(o) = body.strip_prefix('0') {
        digits_in(o, 8).then(|| parse(o, 8)).flatten()?
    } else if body.starts_with(|c: char| ('1'..='9').contains(&c)) {
        if body.contains(':') {
            sexagesimal(body)?
        } else if digits_in(body, 10) {
            parse(body, 10)?
        } else {
            return None;
        }
    } else {
        return None;
    };
    number_from(neg, magnitude)
}

/// `1:30:00` as 5400: the first part `[1-9][0-9_]*`, the others `[0-5]?[0-9]`.
fn sexagesimal(s: &str) -> Option<u128> {
    let mut parts = s.split(':');
    let first = parts.next()?;
    if !digits_in(first, 10) {
        return None;
    }
    let mut v: u128 = first.chars().filter(|&c| c != '_').collect::<String>().parse().ok()?;
    for p in parts {
        let ok = matches!(p.len(), 1 | 2)
            && p.chars().all(|c| c.is_ascii_digit())
            && (p.len() == 1 || p.as_bytes()[0] <= b'5');
        if !ok {
            return None;
        }
        v = v.checked_mul(60)?.checked_add(p.parse::<u128>().ok()?)?;
    }
    Some(v)
}

/// PyYAML's float resolver, without `.inf` and `.nan` (which JSON cannot hold):
/// `[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)? | \.[0-9_]+(?:[eE][-+][0-9]+)?`
/// (base-60 floats are left as strings).
fn float_1_1(s: &str) -> Option<f64> {
    let (_, body) = sign(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['-', '+'])?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let (whole, frac) = mantissa.split_once('.')?;
    let whole_ok = if whole.is_empty() {
        s.starts_with('.') && !frac.is_empty() && frac.chars().any(|c| c != '_')
    } else {
        whole.as_bytes()[0].is_ascii_digit() && whole.chars().all(|c| c == '_' || c.is_ascii_digit())
    };
    if !whole_ok || !frac.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let clean = if clean.ends_with('.') || clean.contains(".e") || clean.contains(".E") {
        clean.replacen('.', ".0", 1)
    } else {
        clean
    };
    clean.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_scalars_resolve_as_yaml_1_1() {
        let cases: &[(&str, J)] = &[
            ("", J::Null),
            ("~", J::Null),
            ("yes", json!(true)),
            ("Off", json!(false)),
            ("6379", json!(6379)),
            ("-12", json!(-12)),
            ("0", json!(0)),
            ("0644", json!(420)),
            ("0x1F", json!(31)),
            ("0b101", json!(5)),
            ("1_000", json!(1000)),
            ("1:30", json!(90)),
            ("7.0", json!(7.0)),
            ("6.2", json!(6.2)),
            ("1.", json!(1.0)),
            (".5", json!(0.5)),
            ("1.5e+3", json!(1500.0)),
            // not numbers in YAML 1.1, or not representable in JSON
            ("1e5", json!("1e5")),
            ("012345678901", json!("012345678901")),
            ("2010-09-09", json!("2010-09-09")),
            (".inf", json!(".inf")),
            ("7.x", json!("7.x")),
            ("cache.r7g.large", json!("cache.r7g.large")),
            ("99999999999999999999", json!("99999999999999999999")),
            ("1:60", json!("1:60")),
            ("y", json!("y")),
        ];
        for (text, want) in cases {
            assert_eq!(&resolve_plain(text), want, "{text}");
        }
    }

    fn read(text: &str) -> Parsed {
        parse(text).unwrap_or_else(|e| panic!("{}:{} {}", e.pos.line, e.pos.col, e.message))
    }

    #[test]
    fn short_forms_become_intrinsics_in_order() {
        let p = read(concat!(
            "Resources:\n",
            "  Z:\n",
            "    Type: T\n",
            "    Properties:\n",
            "      A: !Ref Eng\n",
            "      B: !GetAtt Cache.PrimaryEndPoint.Address\n",
            "      C: !GetAtt [Cache, Port]\n",
            "      D: !Sub '${AWS::StackName}-x'\n",
            "      E: !Sub\n",
            "        - '${A}'\n",
            "        - A: !Select [0, !GetAZs '']\n",
            "      F: !If [Cond, !Join ['', [a, b]], !Ref AWS::NoValue]\n",
            "      G: !Equals [!Condition C, 'true']\n",
            "      H: !Base64 x\n",
            "      I: !Cidr [!ImportValue V, 6, 5]\n",
            "      J: !FindInMap [M, !Split [',', 'a,b'], k]\n",
            "      K: !Transform {Name: AWS::Include}\n",
            "      L: !And [!Not [!Or [c1, c2]], c3]\n",
            "  A:\n",
            "    Type: T\n",
        ));
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert_eq!(
            p.value,
            json!({"Resources": {
                "Z": {"Type": "T", "Properties": {
                    "A": {"Ref": "Eng"},
                    "B": {"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]},
                    "C": {"Fn::GetAtt": ["Cache", "Port"]},
                    "D": {"Fn::Sub": "${AWS::StackName}-x"},
                    "E": {"Fn::Sub": ["${A}", {"A": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}}]},
                    "F": {"Fn::If": ["Cond", {"Fn::Join": ["", ["a", "b"]]}, {"Ref": "AWS::NoValue"}]},
                    "G": {"Fn::Equals": [{"Condition": "C"}, "true"]},
                    "H": {"Fn::Base64": "x"},
                    "I": {"Fn::Cidr": [{"Fn::ImportValue": "V"}, 6, 5]},
                    "J": {"Fn::FindInMap": ["M", {"Fn::Split": [",", "a,b"]}, "k"]},
                    "K": {"Fn::Transform": {"Name": "AWS::Include"}},
                    "L": {"Fn::And": [{"Fn::Not": [{"Fn::Or": ["c1", "c2"]}]}, "c3"]},
                }},
                "A": {"Type": "T"},
            }})
        );
        let keys: Vec<&String> = p.value["Resources"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Z", "A"], "document order is kept");
        let at = |path: &str| p.positions.get(path).map(|q| (q.line, q.col));
        assert_eq!(at("Resources.Z"), Some((2, 3)), "a collection is found at its key");
        assert_eq!(at("Resources.Z.Type"), Some((3, 11)), "a scalar at its value");
        assert_eq!(at("Resources.Z.Properties.A"), Some((5, 10)));
        assert_eq!(
            at("Resources.Z.Properties.F.Fn::If.0"),
            Some((12, 15)),
            "paths go through the function, as in JSON"
        );
        assert_eq!(at("Resources.Z.Properties.F.Fn::If.1"), Some((12, 21)));
        assert_eq!(at("Resources.Z.Properties.E.Fn::Sub.1.A"), Some((11, 11)));
    }

    #[test]
    fn what_cloudformation_refuses_is_found_where_it_is() {
        let p = read(concat!(
            "Resources:\n",
            "  Cache:\n",
            "    Type: T\n",
            "    Properties:\n",
            "      A: &x 1\n",
            "      B: *x\n",
            "      C: !Reff X\n",
            "      D: !!binary aGk=\n",
            "      <<: {E: 1}\n",
            "      A: 2\n",
        ));
        let got: Vec<String> = p.findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(got.len(), 5, "{got:#?}");
        assert!(got[0].starts_with("Cache.Properties.B: [YAML] a YAML alias"), "{}", got[0]);
        assert!(got[1].starts_with("Cache.Properties.C: [YAML] unknown tag !Reff (did you mean !Ref?)"), "{}", got[1]);
        assert!(got[2].starts_with("Cache.Properties.D: [YAML] the !!binary tag"), "{}", got[2]);
        assert!(got[3].starts_with("Cache.Properties.<<: [YAML] a hash merge"), "{}", got[3]);
        assert!(
            got[4].starts_with(
                "Cache.Properties.A: [TPL013] duplicate key 'A' at line 10 column 7 (first at line 5 column 10)"
            ),
            "{}",
            got[4]
        );
        assert_eq!(p.value["Resources"]["Cache"]["Properties"]["A"], json!(2), "the last of two keys wins, as in JSON");
    }

    #[test]
    fn bad_yaml_is_an_error_with_its_place_never_a_panic() {
        for (text, line) in [("a: [1, 2\n", 2), ("a: b\n c: d: e\n", 2), ("a: 1\n---\nb: 2\n", 2), ("? [a]\n: 1\n", 1)]
        {
            let e = parse(text).err().unwrap_or_else(|| panic!("{text:?} parsed"));
            assert_eq!(e.pos.line, line, "{text:?}: {}", e.message);
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nested deeper than 128") || e.message.contains("recursion limit"), "{}", e.message);
        assert_eq!(read("").value, J::Null);
        assert_eq!(read("# only a comment\n").value, J::Null);
    }
}
