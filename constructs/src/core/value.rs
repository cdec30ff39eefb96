//! Typed CloudFormation values: literals, intrinsic functions, pseudo parameters
//! and dynamic references.
//!
//! A [`Value`] never holds a logical ID it cannot vouch for: references to
//! elements of the construct tree hold the element's [`Target`] (stack and
//! construct path), and become `{"Ref": ...}`, `{"Fn::GetAtt": ...}` or, across
//! stacks, `{"Fn::ImportValue": ...}` only at synth, when every logical ID is known.

use serde_json::{json, Map, Number};

/// The hasher of the construct tree's maps: foldhash with a fixed seed. It is
/// several times faster than the standard library's SipHash on the short keys a
/// template has (property names, construct paths), and iteration order never
/// depends on it: the maps keep insertion order. (SipHash's resistance to
/// crafted keys buys nothing for a program's own construct tree.)
pub type FastHash = foldhash::fast::FixedState;

/// An insertion-ordered map with [`FastHash`]: what [`Value::Map`] and
/// [`Value::Sub`] hold. Build one with `OrderedMap::default()`, `from_iter`, or
/// the [`map!`](crate::map) macro.
pub type OrderedMap<K, V> = indexmap::IndexMap<K, V, FastHash>;

/// An element of the construct tree: the stack that owns it and its construct path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    /// The name of the stack that owns the element.
    pub stack: String,
    /// The element's construct path below the stack, such as `Cache/Resource`.
    pub path: String,
}

/// CloudFormation pseudo parameters (`Ref: AWS::...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::NotificationARNs`
    NotificationArns,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
    /// `AWS::Partition`
    Partition,
    /// `AWS::Region`
    Region,
    /// `AWS::StackId`
    StackId,
    /// `AWS::StackName`
    StackName,
    /// `AWS::URLSuffix`
    UrlSuffix,
}

impl Pseudo {
    /// The name CloudFormation uses, such as `AWS::Region`.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// Every pseudo parameter name.
    pub const NAMES: [&'static str; 8] = [
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    ];
}

/// A CloudFormation value: a literal or an intrinsic function.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// JSON `null`.
    Null,
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Number(Number),
    /// A string literal.
    String(String),
    /// A list.
    List(Vec<Value>),
    /// An object whose keys keep their insertion order.
    Map(OrderedMap<String, Value>),
    /// `Ref` to a resource or parameter of the construct tree.
    Ref(Target),
    /// `Fn::GetAtt` of a resource of the construct tree.
    GetAtt(Target, String),
    /// `Ref` to a raw logical ID (escape hatch: checked at synth to exist).
    RefLogicalId(String),
    /// `Fn::GetAtt` of a raw logical ID (escape hatch: checked at synth).
    GetAttLogicalId(String, String),
    /// `Ref` to a pseudo parameter.
    Pseudo(Pseudo),
    /// `Fn::Sub` with a template string and variables.
    Sub(String, OrderedMap<String, Value>),
    /// `Fn::Join` with a delimiter.
    Join(String, Vec<Value>),
    /// `Fn::Select` of an index from a list.
    Select(u32, Box<Value>),
    /// `Fn::Split` of a string by a delimiter.
    Split(String, Box<Value>),
    /// `Fn::GetAZs` of a region (`""` for the stack's region).
    GetAzs(Box<Value>),
    /// `Fn::ImportValue` of an export name.
    ImportValue(Box<Value>),
    /// `Fn::Base64`.
    Base64(Box<Value>),
    /// `Fn::If` on a condition of the construct tree.
    If(Target, Box<Value>, Box<Value>),
    /// `Fn::Equals`.
    Equals(Box<Value>, Box<Value>),
    /// `Fn::And` (2 to 10 conditions).
    And(Vec<Value>),
    /// `Fn::Or` (2 to 10 conditions).
    Or(Vec<Value>),
    /// `Fn::Not`.
    Not(Box<Value>),
    /// `{"Condition": name}`: a condition of the tree used inside `Fn::And`/`Fn::Or`/`Fn::Not`.
    Condition(Target),
    /// An intrinsic function written as raw JSON that names logical ids directly
    /// (`Fn::If`, `Condition`, `Fn::FindInMap`, ...): rendered as is, checked at synth.
    Raw(serde_json::Value),
}

impl Value {
    /// A string literal.
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// `Fn::Join` of `parts` with `delimiter`.
    pub fn join(delimiter: impl Into<String>, parts: impl IntoIterator<Item = Value>) -> Value {
        Value::Join(delimiter.into(), parts.into_iter().collect())
    }

    /// String concatenation (`Fn::Join` with an empty delimiter), as CDK renders token strings.
    pub fn concat(parts: impl IntoIterator<Item = Value>) -> Value {
        Value::join("", parts)
    }

    /// `Fn::Sub` without variables.
    pub fn sub(template: impl Into<String>) -> Value {
        Value::Sub(template.into(), OrderedMap::default())
    }

    /// `Fn::Sub` with variables.
    pub fn sub_with(template: impl Into<String>, vars: impl IntoIterator<Item = (String, Value)>) -> Value {
        Value::Sub(template.into(), vars.into_iter().collect())
    }

    /// `Fn::Select`.
    pub fn select(index: u32, list: Value) -> Value {
        Value::Select(index, Box::new(list))
    }

    /// `Fn::Split`.
    pub fn split(delimiter: impl Into<String>, source: Value) -> Value {
        Value::Split(delimiter.into(), Box::new(source))
    }

    /// `Fn::GetAZs` of the stack's region.
    pub fn get_azs() -> Value {
        Value::GetAzs(Box::new(Value::str("")))
    }

    /// `Fn::ImportValue` of an export name.
    pub fn import_value(name: impl Into<Value>) -> Value {
        Value::ImportValue(Box::new(name.into()))
    }

    /// `Fn::Base64`.
    pub fn base64(v: impl Into<Value>) -> Value {
        Value::Base64(Box::new(v.into()))
    }

    /// `Fn::Equals`.
    pub fn condition_equals(a: impl Into<Value>, b: impl Into<Value>) -> Value {
        Value::Equals(Box::new(a.into()), Box::new(b.into()))
    }

    /// `Fn::Not`.
    pub fn condition_not(v: Value) -> Value {
        Value::Not(Box::new(v))
    }

    /// `Fn::And`; more than 10 operands are chunked into nested groups of at most 10.
    pub fn condition_and(items: impl IntoIterator<Item = Value>) -> Value {
        chunk_condition(items.into_iter().collect(), Value::And)
    }

    /// `Fn::Or`; more than 10 operands are chunked into nested groups of at most 10.
    pub fn condition_or(items: impl IntoIterator<Item = Value>) -> Value {
        chunk_condition(items.into_iter().collect(), Value::Or)
    }

    /// A pseudo parameter.
    pub fn pseudo(p: Pseudo) -> Value {
        Value::Pseudo(p)
    }

    /// `{{resolve:ssm:NAME}}` (or `NAME:VERSION`): a plain SSM parameter read at deploy time.
    pub fn ssm_parameter(name: &str, version: Option<u32>) -> Value {
        match version {
            Some(v) => Value::String(format!("{{{{resolve:ssm:{name}:{v}}}}}")),
            None => Value::String(format!("{{{{resolve:ssm:{name}}}}}")),
        }
    }

    /// A list of strings.
    pub fn str_list<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
        Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
    }

    /// The literal string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The literal number as `i64`, if this is an integer literal (or a string holding one).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// The literal boolean, if this is one (or the string `"true"`/`"false"`).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// Whether the value is fully known at synth time (no intrinsic function inside).
    pub fn is_literal(&self) -> bool {
        match self {
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(items) => items.iter().all(Value::is_literal),
            Value::Map(map) => map.values().all(Value::is_literal),
            _ => false,
        }
    }

    /// Every tree element this value refers to, in order of appearance.
    pub fn targets(&self) -> Vec<&Target> {
        let mut out = Vec::new();
        self.collect_targets(&mut out);
        out
    }

    fn collect_targets<'a>(&'a self, out: &mut Vec<&'a Target>) {
        match self {
            Value::Ref(t) | Value::GetAtt(t, _) | Value::Condition(t) => out.push(t),
            Value::If(t, a, b) => {
                out.push(t);
                a.collect_targets(out);
                b.collect_targets(out);
            }
            Value::List(items) | Value::Join(_, items) | Value::And(items) | Value::Or(items) => {
                items.iter().for_each(|v| v.collect_targets(out))
            }
            Value::Map(map) | Value::Sub(_, map) => map.values().for_each(|v| v.collect_targets(out)),
            Value::Select(_, v)
            | Value::Split(_, v)
            | Value::GetAzs(v)
            | Value::ImportValue(v)
            | Value::Base64(v)
            | Value::Not(v) => v.collect_targets(out),
            Value::Equals(a, b) => {
                a.collect_targets(out);
                b.collect_targets(out);
            }
            _ => {}
        }
    }

    /// Renders the value to JSON, resolving tree references with `resolver`.
    pub(crate) fn render(&self, resolver: &mut dyn Resolver) -> Result<serde_json::Value, String> {
        self.clone().into_json(resolver)
    }

    /// Renders the value to JSON like [`Value::render`], moving its strings into
    /// the JSON instead of copying them: synth renders a tree it owns this way.
    pub(crate) fn into_json(self, resolver: &mut dyn Resolver) -> Result<serde_json::Value, String> {
        use serde_json::Value as J;
        Ok(match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(b),
            Value::Number(n) => J::Number(n),
            Value::String(s) => J::String(s),
            Value::List(items) => J::Array(render_all(items, resolver)?),
            Value::Map(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    out.insert(k, v.into_json(resolver)?);
                }
                J::Object(out)
            }
            Value::Ref(t) => resolver.reference(&t, None)?,
            Value::GetAtt(t, attr) => resolver.reference(&t, Some(&attr))?,
            Value::RefLogicalId(id) => json!({ "Ref": id }),
            Value::GetAttLogicalId(id, attr) => json!({ "Fn::GetAtt": [id, attr] }),
            Value::Pseudo(p) => json!({ "Ref": p.name() }),
            Value::Sub(template, vars) => {
                if vars.is_empty() {
                    json!({ "Fn::Sub": template })
                } else {
                    let mut out = Map::with_capacity(vars.len());
                    for (k, v) in vars {
                        out.insert(k, v.into_json(resolver)?);
                    }
                    json!({ "Fn::Sub": [template, out] })
                }
            }
            Value::Join(delimiter, parts) => render_join(delimiter, parts, resolver)?,
            Value::Select(i, list) => json!({ "Fn::Select": [i, list.into_json(resolver)?] }),
            Value::Split(d, s) => json!({ "Fn::Split": [d, s.into_json(resolver)?] }),
            Value::GetAzs(region) => json!({ "Fn::GetAZs": region.into_json(resolver)? }),
            Value::ImportValue(name) => json!({ "Fn::ImportValue": name.into_json(resolver)? }),
            Value::Base64(v) => json!({ "Fn::Base64": v.into_json(resolver)? }),
            Value::If(c, a, b) => {
                let name = resolver.condition(&c)?;
                json!({ "Fn::If": [name, a.into_json(resolver)?, b.into_json(resolver)?] })
            }
            Value::Equals(a, b) => json!({ "Fn::Equals": [a.into_json(resolver)?, b.into_json(resolver)?] }),
            Value::And(items) => json!({ "Fn::And": render_all(condition_operands("Fn::And", items)?, resolver)? }),
            Value::Or(items) => json!({ "Fn::Or": render_all(condition_operands("Fn::Or", items)?, resolver)? }),
            Value::Not(v) => json!({ "Fn::Not": [v.into_json(resolver)?] }),
            Value::Condition(c) => json!({ "Condition": resolver.condition(&c)? }),
            Value::Raw(v) => v,
        })
    }
}

fn chunk_condition(mut items: Vec<Value>, make: fn(Vec<Value>) -> Value) -> Value {
    if items.len() == 1 {
        return items.pop().expect("one item");
    }
    while items.len() > 10 {
        items = items.chunks(10).map(|c| if c.len() == 1 { c[0].clone() } else { make(c.to_vec()) }).collect();
    }
    make(items)
}

/// CloudFormation takes 2 to 10 conditions in `Fn::And` and `Fn::Or`.
fn condition_operands(name: &str, items: Vec<Value>) -> Result<Vec<Value>, String> {
    if (2..=10).contains(&items.len()) {
        Ok(items)
    } else {
        Err(format!("{name} takes 2 to 10 conditions, got {}; build it with Value::condition_and/condition_or, which chunks long lists", items.len()))
    }
}

fn render_all(items: Vec<Value>, resolver: &mut dyn Resolver) -> Result<Vec<serde_json::Value>, String> {
    items.into_iter().map(|v| v.into_json(resolver)).collect()
}

/// Renders `Fn::Join` as CDK does: nested joins with the same delimiter are
/// flattened, adjacent literals merged when the delimiter is empty, and a join of
/// literals only collapses to a plain string.
fn render_join(delimiter: String, parts: Vec<Value>, resolver: &mut dyn Resolver) -> Result<serde_json::Value, String> {
    fn flatten(delimiter: &str, parts: Vec<Value>, out: &mut Vec<Value>) {
        for part in parts {
            match part {
                Value::Join(d, inner) if d == delimiter => flatten(delimiter, inner, out),
                other => out.push(other),
            }
        }
    }
    let mut values = Vec::with_capacity(parts.len());
    flatten(&delimiter, parts, &mut values);
    if delimiter.is_empty() {
        return render_concat(values, resolver);
    }
    let mut flat: Vec<serde_json::Value> = Vec::with_capacity(values.len());
    for part in values {
        flat.push(part.into_json(resolver)?);
    }
    if flat.iter().all(serde_json::Value::is_string) {
        let strings: Vec<&str> = flat.iter().filter_map(serde_json::Value::as_str).collect();
        return Ok(json!(strings.join(&delimiter)));
    }
    Ok(json!({ "Fn::Join": [delimiter, flat] }))
}

/// A string concatenation: a plain string when every part is literal, otherwise
/// `Fn::Sub` (what cfn-lint prefers over `Fn::Join` with an empty delimiter).
/// Adjacent literals are merged and then escaped (`${` becomes `${!`); a `Ref` or
/// `Fn::GetAtt` of a plain name becomes `${Name}` or `${Name.Attr}` (a reference
/// to an element of the same stack is written so without building its JSON);
/// anything else becomes a variable `JoinPartN`.
fn render_concat(parts: Vec<Value>, resolver: &mut dyn Resolver) -> Result<serde_json::Value, String> {
    let mut template = String::new();
    let mut literal = String::new();
    let mut vars = Map::new();
    let mut only_literals = true;
    fn flush(literal: &mut String, template: &mut String) {
        if literal.contains("${") {
            template.push_str(&literal.replace("${", "${!"));
        } else {
            template.push_str(literal);
        }
        literal.clear();
    }
    let name = |template: &mut String, literal: &mut String, logical: &str, attr: Option<&str>| {
        flush(literal, template);
        template.push_str("${");
        template.push_str(logical);
        if let Some(a) = attr {
            template.push('.');
            template.push_str(a);
        }
        template.push('}');
    };
    for part in parts {
        if let Value::String(s) = &part {
            literal.push_str(s);
            continue;
        }
        if let Value::Ref(t) | Value::GetAtt(t, _) = &part {
            let attr = if let Value::GetAtt(_, a) = &part { Some(a.as_str()) } else { None };
            if let Some(logical) = resolver.local_name(t, attr) {
                only_literals = false;
                name(&mut template, &mut literal, &logical, attr);
                continue;
            }
        }
        let rendered = part.into_json(resolver)?;
        if let serde_json::Value::String(s) = &rendered {
            literal.push_str(s);
            continue;
        }
        only_literals = false;
        let simple = rendered.as_object().filter(|o| o.len() == 1).and_then(|o| {
            if let Some(r) = o.get("Ref").and_then(|r| r.as_str()) {
                return Some((r, None));
            }
            let att = o.get("Fn::GetAtt")?.as_array()?;
            match (att.first()?.as_str(), att.get(1)?.as_str(), att.len()) {
                (Some(r), Some(a), 2) => Some((r, Some(a))),
                _ => None,
            }
        });
        match simple {
            Some((r, a)) => name(&mut template, &mut literal, r, a),
            None => {
                flush(&mut literal, &mut template);
                let var = format!("JoinPart{}", vars.len());
                template.push_str("${");
                template.push_str(&var);
                template.push('}');
                vars.insert(var, rendered);
            }
        }
    }
    if only_literals {
        return Ok(serde_json::Value::String(literal));
    }
    flush(&mut literal, &mut template);
    if vars.is_empty() {
        Ok(json!({ "Fn::Sub": template }))
    } else {
        Ok(json!({ "Fn::Sub": [template, vars] }))
    }
}

/// Turns tree references into JSON during synth.
pub(crate) trait Resolver {
    /// `Ref` (attr `None`) or `Fn::GetAtt` of a tree element.
    fn reference(&mut self, target: &Target, attr: Option<&str>) -> Result<serde_json::Value, String>;
    /// The logical ID of a condition of the tree.
    fn condition(&mut self, target: &Target) -> Result<String, String>;
    /// The logical ID `reference` would name in a plain `Ref` or `Fn::GetAtt`
    /// (an element of the stack being rendered that can be referenced so), or
    /// `None` to have `reference` render it.
    fn local_name(&mut self, _target: &Target, _attr: Option<&str>) -> Option<String> {
        None
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(Number::from(n))
            }
        }
    )*};
}
from_int!(i32, i64, u8, u16, u32, u64, usize);

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

impl From<Pseudo> for Value {
    fn from(p: Pseudo) -> Self {
        Value::Pseudo(p)
    }
}

impl From<&Value> for Value {
    fn from(v: &Value) -> Self {
        v.clone()
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Pseudo(Pseudo::NoValue), Into::into)
    }
}

impl From<serde_json::Value> for Value {
    /// JSON as written in a template: literals stay literals, and single-key
    /// objects that are intrinsic functions become the matching variant (`Ref` and
    /// `Fn::GetAtt` by logical id), so synth-time checks know they are unresolved.
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(b),
            J::Number(n) => Value::Number(n),
            J::String(s) => Value::String(s),
            J::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            J::Object(o) if o.len() == 1 && is_intrinsic_key(o.keys().next().map(String::as_str).unwrap_or("")) => {
                intrinsic_from_json(o)
            }
            J::Object(o) => Value::Map(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect()),
        }
    }
}

fn is_intrinsic_key(k: &str) -> bool {
    k == "Ref" || k == "Condition" || k.starts_with("Fn::")
}

fn intrinsic_from_json(o: Map<String, serde_json::Value>) -> Value {
    use serde_json::Value as J;
    let raw = J::Object(o.clone());
    let Some((key, arg)) = o.into_iter().next() else { return Value::Raw(raw) };
    let boxed = |v: J| Box::new(Value::from(v));
    match (key.as_str(), arg) {
        ("Ref", J::String(name)) => match Pseudo::NAMES.iter().position(|p| *p == name) {
            Some(i) => Value::Pseudo(PSEUDOS[i]),
            None => Value::RefLogicalId(name),
        },
        ("Fn::GetAtt", J::Array(a)) if a.len() == 2 && a.iter().all(J::is_string) => Value::GetAttLogicalId(
            a[0].as_str().unwrap_or_default().to_string(),
            a[1].as_str().unwrap_or_default().to_string(),
        ),
        ("Fn::GetAtt", J::String(s)) if s.contains('.') => {
            let (r, a) = s.split_once('.').unwrap_or_default();
            Value::GetAttLogicalId(r.to_string(), a.to_string())
        }
        ("Fn::Sub", J::String(t)) => Value::Sub(t, OrderedMap::default()),
        ("Fn::Sub", J::Array(mut a)) if a.len() == 2 && a[0].is_string() && a[1].is_object() => {
            let vars = match a.pop() {
                Some(J::Object(m)) => m.into_iter().map(|(k, v)| (k, Value::from(v))).collect(),
                _ => OrderedMap::default(),
            };
            Value::Sub(a[0].as_str().unwrap_or_default().to_string(), vars)
        }
        ("Fn::Join", J::Array(mut a)) if a.len() == 2 && a[0].is_string() && a[1].is_array() => {
            let parts = match a.pop() {
                Some(J::Array(p)) => p.into_iter().map(Value::from).collect(),
                _ => Vec::new(),
            };
            Value::Join(a[0].as_str().unwrap_or_default().to_string(), parts)
        }
        ("Fn::Select", J::Array(mut a)) if a.len() == 2 && a[0].as_u64().is_some_and(|i| i <= u32::MAX as u64) => {
            let list = a.pop().unwrap_or(J::Null);
            Value::Select(a[0].as_u64().unwrap_or(0) as u32, boxed(list))
        }
        ("Fn::Split", J::Array(mut a)) if a.len() == 2 && a[0].is_string() => {
            let src = a.pop().unwrap_or(J::Null);
            Value::Split(a[0].as_str().unwrap_or_default().to_string(), boxed(src))
        }
        ("Fn::GetAZs", v) => Value::GetAzs(boxed(v)),
        ("Fn::ImportValue", v) => Value::ImportValue(boxed(v)),
        ("Fn::Base64", v) => Value::Base64(boxed(v)),
        ("Fn::Equals", J::Array(mut a)) if a.len() == 2 => {
            let b = a.pop().unwrap_or(J::Null);
            let first = a.pop().unwrap_or(J::Null);
            Value::Equals(boxed(first), boxed(b))
        }
        ("Fn::And", J::Array(a)) => Value::And(a.into_iter().map(Value::from).collect()),
        ("Fn::Or", J::Array(a)) => Value::Or(a.into_iter().map(Value::from).collect()),
        ("Fn::Not", J::Array(mut a)) if a.len() == 1 => Value::Not(boxed(a.pop().unwrap_or(J::Null))),
        _ => Value::Raw(raw),
    }
}

const PSEUDOS: [Pseudo; 8] = [
    Pseudo::AccountId,
    Pseudo::NotificationArns,
    Pseudo::NoValue,
    Pseudo::Partition,
    Pseudo::Region,
    Pseudo::StackId,
    Pseudo::StackName,
    Pseudo::UrlSuffix,
];

/// Builds a [`Value::Map`] from `key => value` pairs, keeping their order.
#[macro_export]
macro_rules! map {
    ($($k:expr => $v:expr),* $(,)?) => {
        $crate::Value::Map($crate::OrderedMap::from_iter([$(($k.to_string(), $crate::Value::from($v))),*]))
    };
}

// ---------------------------------------------------------------------------
// Serde and JSON Schema (declarative specs, `crate::spec`)
//
// A `Value` in a props struct reads any JSON, through `From<serde_json::Value>`,
// so `{"Ref": "VpcId"}` becomes the typed variant that renders identically.
// It writes literals and intrinsics that name logical ids; a reference to an
// element of the construct tree has no JSON form until synth, so writing one is
// a serde error.
// ---------------------------------------------------------------------------

struct NoTree;

impl Resolver for NoTree {
    fn reference(&mut self, target: &Target, _: Option<&str>) -> Result<serde_json::Value, String> {
        Err(format!(
            "a reference to the construct tree ({}/{}) has no JSON form before synth",
            target.stack, target.path
        ))
    }
    fn condition(&mut self, target: &Target) -> Result<String, String> {
        Err(format!(
            "a condition of the construct tree ({}/{}) has no JSON form before synth",
            target.stack, target.path
        ))
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.render(&mut NoTree).map_err(serde::ser::Error::custom)?.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Value::from)
    }
}

impl schemars::JsonSchema for Value {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Value".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A CloudFormation value: any JSON literal, or an intrinsic function such as {\"Ref\": \"VpcId\"} or {\"Fn::Sub\": \"...\"}"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl Resolver for Fixed {
        fn reference(&mut self, t: &Target, attr: Option<&str>) -> Result<serde_json::Value, String> {
            let id = t.path.replace('/', "");
            Ok(match attr {
                None => json!({ "Ref": id }),
                Some(a) => json!({ "Fn::GetAtt": [id, a] }),
            })
        }
        fn condition(&mut self, t: &Target) -> Result<String, String> {
            Ok(t.path.clone())
        }
    }

    fn r(v: &Value) -> String {
        serde_json::to_string(&v.render(&mut Fixed).unwrap()).unwrap()
    }

    fn t(path: &str) -> Target {
        Target { stack: "S".into(), path: path.into() }
    }

    #[test]
    fn renders_every_intrinsic() {
        let cases: Vec<(Value, &str)> = vec![
            (Value::Ref(t("P")), r#"{"Ref":"P"}"#),
            (
                Value::GetAtt(t("Cache"), "PrimaryEndPoint.Address".into()),
                r#"{"Fn::GetAtt":["Cache","PrimaryEndPoint.Address"]}"#,
            ),
            (Value::pseudo(Pseudo::Region), r#"{"Ref":"AWS::Region"}"#),
            (Value::sub("${AWS::StackName}-x"), r#"{"Fn::Sub":"${AWS::StackName}-x"}"#),
            (
                Value::sub_with("${AWS::StackName}-${Env}", [("Env".to_string(), Value::Ref(t("EnvName")))]),
                r#"{"Fn::Sub":["${AWS::StackName}-${Env}",{"Env":{"Ref":"EnvName"}}]}"#,
            ),
            (
                Value::concat(["x-".into(), Value::Ref(t("P")), "-".into(), Pseudo::Region.into(), "-y".into()]),
                r#"{"Fn::Sub":"x-${P}-${AWS::Region}-y"}"#,
            ),
            (Value::join("-", ["a".into(), "b".into()]), r#""a-b""#),
            (Value::select(0, Value::get_azs()), r#"{"Fn::Select":[0,{"Fn::GetAZs":""}]}"#),
            (Value::split(",", Value::Ref(t("L"))), r#"{"Fn::Split":[",",{"Ref":"L"}]}"#),
            (Value::import_value("Core:Out"), r#"{"Fn::ImportValue":"Core:Out"}"#),
            (Value::base64("hi"), r#"{"Fn::Base64":"hi"}"#),
            (
                Value::If(t("IsProd"), Box::new(1.into()), Box::new(Pseudo::NoValue.into())),
                r#"{"Fn::If":["IsProd",1,{"Ref":"AWS::NoValue"}]}"#,
            ),
            (Value::condition_equals(Value::Ref(t("Env")), "prod"), r#"{"Fn::Equals":[{"Ref":"Env"},"prod"]}"#),
            (Value::condition_not(Value::Condition(t("A"))), r#"{"Fn::Not":[{"Condition":"A"}]}"#),
            (
                Value::condition_and([Value::Condition(t("A")), Value::Condition(t("B"))]),
                r#"{"Fn::And":[{"Condition":"A"},{"Condition":"B"}]}"#,
            ),
            (
                Value::condition_or([Value::Condition(t("A")), Value::Condition(t("B"))]),
                r#"{"Fn::Or":[{"Condition":"A"},{"Condition":"B"}]}"#,
            ),
            (Value::RefLogicalId("Raw".into()), r#"{"Ref":"Raw"}"#),
            (Value::GetAttLogicalId("Raw".into(), "Arn".into()), r#"{"Fn::GetAtt":["Raw","Arn"]}"#),
            (Value::ssm_parameter("/p/plain", Some(1)), r#""{{resolve:ssm:/p/plain:1}}""#),
        ];
        for (v, want) in cases {
            assert_eq!(r(&v), want);
        }
    }

    #[test]
    fn nested_joins_flatten_and_literals_merge() {
        let inner = Value::concat(["a".into(), Value::Ref(t("P"))]);
        let v = Value::concat(["<${".into(), inner, "b".into(), Value::import_value("X"), "c".into()]);
        assert_eq!(r(&v), r#"{"Fn::Sub":["<${!a${P}b${JoinPart0}c",{"JoinPart0":{"Fn::ImportValue":"X"}}]}"#);
        let dashed = Value::join("-", [Value::join("-", ["a".into(), Value::Ref(t("P"))]), "b".into()]);
        assert_eq!(r(&dashed), r#"{"Fn::Join":["-",["a",{"Ref":"P"},"b"]]}"#);
    }

    #[test]
    fn or_with_many_operands_is_chunked() {
        let items: Vec<Value> = (0..12).map(|i| Value::Condition(t(&format!("C{i}")))).collect();
        let rendered = r(&Value::condition_or(items));
        assert!(rendered.starts_with(r#"{"Fn::Or":[{"Fn::Or":[{"Condition":"C0"}"#), "{rendered}");
        assert_eq!(r(&Value::condition_or([Value::Condition(t("X"))])), r#"{"Condition":"X"}"#);
    }

    #[test]
    fn and_or_need_two_to_ten_operands() {
        let err = Value::Or(vec![]).render(&mut Fixed).unwrap_err();
        assert_eq!(err, "Fn::Or takes 2 to 10 conditions, got 0; build it with Value::condition_and/condition_or, which chunks long lists");
        let eleven: Vec<Value> = (0..11).map(|i| Value::Condition(t(&format!("C{i}")))).collect();
        assert!(Value::And(eleven.clone()).render(&mut Fixed).is_err());
        assert!(Value::condition_and(eleven).render(&mut Fixed).is_ok());
    }

    #[test]
    fn json_intrinsics_become_variants_and_render_back() {
        let cases = [
            r#"{"Ref":"VpcId"}"#,
            r#"{"Ref":"AWS::Region"}"#,
            r#"{"Fn::GetAtt":["Cache","PrimaryEndPoint.Address"]}"#,
            r#"{"Fn::Sub":"${AWS::StackName}-x"}"#,
            r#"{"Fn::Sub":["${A}",{"A":{"Ref":"B"}}]}"#,
            r#"{"Fn::Join":["-",["a",{"Ref":"B"}]]}"#,
            r#"{"Fn::Select":[1,{"Fn::GetAZs":""}]}"#,
            r#"{"Fn::If":["IsProd",1,2]}"#,
            r#"{"Fn::FindInMap":["M","a","b"]}"#,
            r#"{"Tags":[{"Key":"a","Value":"b"}]}"#,
        ];
        for c in cases {
            let v = Value::from(serde_json::from_str::<serde_json::Value>(c).unwrap());
            assert_eq!(r(&v), c);
        }
        assert!(!Value::from(serde_json::json!({"Ref": "P"})).is_literal());
        assert!(!Value::from(serde_json::json!({"Fn::If": ["C", 1, 2]})).is_literal());
        assert_eq!(Value::from(serde_json::json!({"Ref": "AWS::Region"})), Value::Pseudo(Pseudo::Region));
    }
}
