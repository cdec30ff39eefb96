//! Resource properties checked against the CloudFormation provider schemas the
//! crate ships (`constructs/schemas/`, from the cfn-lint package data, MIT-0).
//!
//! | rule   | severity | what |
//! |--------|----------|------|
//! | SCHEMA | error    | a property of the wrong type, out of range, not in its enum, not matching its pattern, missing though required, or unknown |
//!
//! Each schema is embedded with `include_str!` and compiled the first time a
//! template uses its type, once per process. Before compiling, three fixes:
//! `$schema` is dropped (some point to the CloudFormation meta-schema), the
//! Python-only `\Z` anchor becomes `$`, and every subschema that constrains a
//! value also accepts an intrinsic function (an object with one key `Ref`,
//! `Condition` or `Fn::*`) and a string holding a dynamic reference
//! (`{{resolve:...}}`). Numbers and booleans written as strings (`"6379"`,
//! `"true"`), which CloudFormation accepts, pass too, and so do numbers and booleans
//! where a string is wanted (YAML's `EngineVersion: 7.0`). Those two allowances are
//! keywords of the crate's own, checked in Rust (`redisCdkIntrinsic`,
//! `redisCdkStringFor`), so that no pattern or `$ref` is compiled for them at
//! every property. Types the crate does not ship are skipped.
//!
//! The same schemas give each type's attributes (`readOnlyProperties`, what
//! `Fn::GetAtt` accepts) and create-only properties (a change replaces the
//! resource): [`attributes`], [`create_only_properties`].

use super::Finding;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::{Location, LocationSegment};
use jsonschema::ValidationError;
use serde_json::{json, Map, Value as J};
use std::sync::OnceLock;

/// The rule id of every schema finding.
pub const RULE: &str = "SCHEMA";

macro_rules! schemas {
    ($($ty:literal => $file:literal),* $(,)?) => {
        /// The shipped provider schemas: type name and schema text, sorted by type name.
        pub const SCHEMAS: &[(&str, &str)] = &[$(($ty, include_str!(concat!("../../schemas/", $file)))),*];
    };
}

schemas! {
    "AWS::CloudWatch::Alarm" => "AWS_CloudWatch_Alarm.json",
    "AWS::EC2::SecurityGroup" => "AWS_EC2_SecurityGroup.json",
    "AWS::EC2::SecurityGroupEgress" => "AWS_EC2_SecurityGroupEgress.json",
    "AWS::EC2::SecurityGroupIngress" => "AWS_EC2_SecurityGroupIngress.json",
    "AWS::EC2::VPCEndpoint" => "AWS_EC2_VPCEndpoint.json",
    "AWS::ElastiCache::CacheCluster" => "AWS_ElastiCache_CacheCluster.json",
    "AWS::ElastiCache::ParameterGroup" => "AWS_ElastiCache_ParameterGroup.json",
    "AWS::ElastiCache::ReplicationGroup" => "AWS_ElastiCache_ReplicationGroup.json",
    "AWS::ElastiCache::ServerlessCache" => "AWS_ElastiCache_ServerlessCache.json",
    "AWS::ElastiCache::SubnetGroup" => "AWS_ElastiCache_SubnetGroup.json",
    "AWS::ElastiCache::User" => "AWS_ElastiCache_User.json",
    "AWS::ElastiCache::UserGroup" => "AWS_ElastiCache_UserGroup.json",
    "AWS::IAM::ManagedPolicy" => "AWS_IAM_ManagedPolicy.json",
    "AWS::IAM::Role" => "AWS_IAM_Role.json",
    "AWS::KMS::Alias" => "AWS_KMS_Alias.json",
    "AWS::KMS::Key" => "AWS_KMS_Key.json",
    "AWS::Lambda::Function" => "AWS_Lambda_Function.json",
    "AWS::Lambda::Permission" => "AWS_Lambda_Permission.json",
    "AWS::Logs::LogGroup" => "AWS_Logs_LogGroup.json",
    "AWS::SNS::Topic" => "AWS_SNS_Topic.json",
    "AWS::SNS::TopicPolicy" => "AWS_SNS_TopicPolicy.json",
    "AWS::SQS::Queue" => "AWS_SQS_Queue.json",
    "AWS::SecretsManager::RotationSchedule" => "AWS_SecretsManager_RotationSchedule.json",
    "AWS::SecretsManager::Secret" => "AWS_SecretsManager_Secret.json",
}

const N: usize = 24;
const _: () = assert!(SCHEMAS.len() == N);

/// Facts one provider schema gives about its type.
#[derive(Debug)]
pub struct SchemaFacts {
    /// The type name, such as `AWS::ElastiCache::ReplicationGroup`.
    pub type_name: &'static str,
    /// Every top-level property, in schema order.
    pub properties: Vec<String>,
    /// Required properties.
    pub required: Vec<String>,
    /// The attributes `Fn::GetAtt` accepts (the leaves of `readOnlyProperties`), dotted,
    /// such as `PrimaryEndPoint.Address`, sorted.
    pub attributes: Vec<String>,
    /// The attributes whose value is not a string, with their JSON type
    /// (`ReadEndPoint.AddressesList`, `array`): an output cannot hold one as it is.
    pub non_string_attributes: Vec<(String, String)>,
    /// Properties whose change replaces the resource (`createOnlyProperties`), dotted, sorted.
    pub create_only: Vec<String>,
    /// Properties CloudFormation never returns (`writeOnlyProperties`), dotted, sorted.
    pub write_only: Vec<String>,
}

struct Compiled {
    facts: SchemaFacts,
    validator: Option<jsonschema::Validator>,
}

static COMPILED: [OnceLock<Compiled>; N] = [const { OnceLock::new() }; N];

fn index(type_name: &str) -> Option<usize> {
    SCHEMAS.binary_search_by(|(t, _)| (*t).cmp(type_name)).ok()
}

fn compiled(type_name: &str) -> Option<&'static Compiled> {
    let i = index(type_name)?;
    Some(COMPILED[i].get_or_init(|| compile(SCHEMAS[i].0, SCHEMAS[i].1)))
}

/// Compiles the schemas of `types` (the shipped ones among them) now, spread over
/// the machine's cores, instead of one by one on first use. Synth queues each
/// type its stacks use as a task of its own for the checking threads, which call
/// this with one type at a time. Returns how many schemas were known.
pub fn precompile<'a>(types: impl IntoIterator<Item = &'a str>) -> usize {
    let mut wanted: Vec<usize> = types.into_iter().filter_map(index).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let pending: Vec<usize> = wanted.iter().copied().filter(|&i| COMPILED[i].get().is_none()).collect();
    crate::core::parallel::par_map(&pending, |&i| {
        COMPILED[i].get_or_init(|| compile(SCHEMAS[i].0, SCHEMAS[i].1));
    });
    wanted.len()
}

/// The resource types whose schemas are shipped, sorted.
pub fn shipped_types() -> impl Iterator<Item = &'static str> {
    SCHEMAS.iter().map(|(t, _)| *t)
}

/// The facts of a shipped type's schema, or `None` for a type that is not shipped.
pub fn facts(type_name: &str) -> Option<&'static SchemaFacts> {
    compiled(type_name).map(|c| &c.facts)
}

/// The create-only properties of a shipped type (a change replaces the resource),
/// dotted for nested ones, such as `Port` or `NodeGroupConfiguration.NodeGroupId`.
pub fn create_only_properties(type_name: &str) -> Option<&'static [String]> {
    facts(type_name).map(|f| f.create_only.as_slice())
}

/// The attributes `Fn::GetAtt` accepts on a shipped type, such as `PrimaryEndPoint.Address`.
pub fn attributes(type_name: &str) -> Option<&'static [String]> {
    facts(type_name).map(|f| f.attributes.as_slice())
}

fn pointers(schema: &J, key: &str) -> Vec<String> {
    let mut v: Vec<String> = schema
        .get(key)
        .and_then(J::as_array)
        .map(|a| {
            a.iter()
                .filter_map(J::as_str)
                .map(|p| p.trim_start_matches("/properties/").replace("/properties/", ".").replace('/', "."))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

/// Drops the paths that are objects with attributes of their own (`PrimaryEndPoint`
/// when `PrimaryEndPoint.Address` exists): `Fn::GetAtt` takes only the leaves.
fn leaves(paths: Vec<String>) -> Vec<String> {
    paths
        .iter()
        .filter(|p| {
            !paths.iter().any(|q| q.len() > p.len() && q.starts_with(p.as_str()) && q.as_bytes()[p.len()] == b'.')
        })
        .cloned()
        .collect()
}

/// The JSON type of the attribute `dotted` (`ReadEndPoint.PortsList`), following
/// the schema's `$ref`s into its definitions.
fn attribute_type(schema: &J, dotted: &str) -> Option<String> {
    let mut node = schema.get("properties")?;
    let mut cur = &J::Null;
    for part in dotted.split('.') {
        cur = node.get(part)?;
        for _ in 0..8 {
            let Some(r) = cur.get("$ref").and_then(J::as_str) else { break };
            cur = schema.get("definitions")?.get(r.rsplit('/').next()?)?;
        }
        node = cur.get("properties").unwrap_or(&J::Null);
    }
    match cur.get("type")? {
        J::String(t) => Some(t.clone()),
        J::Array(ts) => (!ts.iter().any(|t| t == "string")).then(|| ts.first()?.as_str().map(str::to_string)).flatten(),
        _ => None,
    }
}

/// The JSON type of attribute `attr` of a shipped type, when it is not a string.
pub fn non_string_attribute(type_name: &str, attr: &str) -> Option<&'static str> {
    facts(type_name)?.non_string_attributes.iter().find(|(a, _)| a == attr).map(|(_, t)| t.as_str())
}

fn compile(type_name: &'static str, text: &str) -> Compiled {
    let mut schema: J = serde_json::from_str(text).unwrap_or(J::Null);
    let facts = SchemaFacts {
        type_name,
        properties: schema
            .get("properties")
            .and_then(J::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default(),
        required: schema
            .get("required")
            .and_then(J::as_array)
            .map(|a| a.iter().filter_map(J::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
        attributes: leaves(pointers(&schema, "readOnlyProperties")),
        non_string_attributes: leaves(pointers(&schema, "readOnlyProperties"))
            .into_iter()
            .filter_map(|a| {
                let t = attribute_type(&schema, &a)?;
                (t != "string").then_some((a, t))
            })
            .collect(),
        create_only: pointers(&schema, "createOnlyProperties"),
        write_only: pointers(&schema, "writeOnlyProperties"),
    };
    let validator = if prepare(&mut schema) { build(&schema) } else { None };
    Compiled { facts, validator }
}

/// The validator of a prepared schema, with the crate's two keywords.
fn build(schema: &J) -> Option<jsonschema::Validator> {
    let mut options = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .with_keyword(INTRINSIC, |_, _, _| Ok(Box::new(Intrinsic)))
        .with_keyword(STRING_FOR, string_for);
    for (format, check) in ID_FORMATS {
        options = options.with_format(*format, *check);
    }
    // the standard formats are not CloudFormation's: only the id formats are checked
    for standard in ["email", "uri", "date-time", "ipv4", "ipv6", "hostname", "regex", "date", "time", "uri-reference"]
    {
        options = options.with_format(standard, |_: &str| true);
    }
    options.build(schema).ok()
}

/// The id formats cfn-lint's patched provider schemas name (`"format":
/// "AWS::EC2::VPC.Id"`), with the shapes of cfn-lint's format rules
/// (`cfnlint/rules/formats/VpcId.py`, `SubnetId.py`, `SecurityGroupId.py`,
/// `ImageId.py`): the prefix, then 8 or 17 hexadecimal characters (lowercase
/// alphanumerics for images). A dynamic reference passes; CloudFormation resolves it.
/// A format's check.
type FormatCheck = fn(&str) -> bool;

const ID_FORMATS: &[(&str, FormatCheck)] = &[
    ("AWS::EC2::VPC.Id", |v| id_of(v, "vpc-", false)),
    ("AWS::EC2::Subnet.Id", |v| id_of(v, "subnet-", false)),
    ("AWS::EC2::SecurityGroup.Id", |v| id_of(v, "sg-", false)),
    ("AWS::EC2::Image.Id", |v| id_of(v, "ami-", true)),
];

/// Whether `v` has the shape of an AWS id with `prefix` (see [`ID_FORMATS`]).
pub(crate) fn id_of(v: &str, prefix: &str, image: bool) -> bool {
    v.starts_with("{{resolve:")
        || v.strip_prefix(prefix).is_some_and(|rest| {
            matches!(rest.len(), 8 | 17)
                && rest.chars().all(|c| {
                    if image {
                        c.is_ascii_digit() || c.is_ascii_lowercase()
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        })
}

/// Applies the three fixes to a provider schema; `false` if it is not an object.
fn prepare(schema: &mut J) -> bool {
    let Some(root) = schema.as_object_mut() else { return false };
    root.remove("$schema");
    // Keep only the validation keywords at the root: the rest (handlers, tagging,
    // property lists) is metadata.
    let keep = ["type", "properties", "definitions", "required", "additionalProperties", "oneOf", "anyOf", "allOf"];
    root.retain(|k, _| keep.contains(&k.as_str()));
    fix(schema, false);
    true
}

/// The keyword of the `if` that [`wrap`] adds: an intrinsic function (an object
/// with one key `Ref`, `Condition` or `Fn::` and letters or digits) or a string
/// holding a dynamic reference (`{{resolve:`).
///
/// It and [`STRING_FOR`] are checked in Rust rather than written as patterns:
/// compiling their regexes and `$ref`s at every wrapped property was about half
/// the cost of compiling a schema.
const INTRINSIC: &str = "redisCdkIntrinsic";

/// The keyword of the `then` that [`coerce`] adds: a string standing for one of
/// the listed types (`["integer", "boolean"]`), such as `"6379"` or `"true"`.
const STRING_FOR: &str = "redisCdkStringFor";

fn is_intrinsic(v: &J) -> bool {
    match v {
        J::Object(m) if m.len() == 1 => m.keys().next().is_some_and(|k| {
            k == "Ref"
                || k == "Condition"
                || k.strip_prefix("Fn::").is_some_and(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric()))
        }),
        J::String(s) => s.contains("{{resolve:"),
        _ => false,
    }
}

/// `-?[0-9]+`, the whole string.
fn is_integer_string(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `-?[0-9]+(\.[0-9]+)?`, the whole string.
fn is_number_string(s: &str) -> bool {
    match s.split_once('.') {
        Some((whole, fraction)) => {
            is_integer_string(whole) && !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => is_integer_string(s),
    }
}

fn is_boolean_string(s: &str) -> bool {
    matches!(s, "true" | "false" | "True" | "False")
}

struct Intrinsic;

impl<'i> jsonschema::Keyword<'i> for Intrinsic {
    fn validate(&self, instance: &'i J) -> Result<(), ValidationError<'i>> {
        match is_intrinsic(instance) {
            true => Ok(()),
            false => Err(ValidationError::custom("not an intrinsic function or a dynamic reference")),
        }
    }

    fn is_valid(&self, instance: &'i J) -> bool {
        is_intrinsic(instance)
    }
}

/// A string standing for one of the types; the message names them, as in
/// `integer or boolean`.
struct StringFor {
    integer: bool,
    number: bool,
    boolean: bool,
    expected: String,
}

impl StringFor {
    fn accepts(&self, v: &J) -> bool {
        let Some(s) = v.as_str() else { return false };
        (self.integer && is_integer_string(s))
            || (self.number && is_number_string(s))
            || (self.boolean && is_boolean_string(s))
    }
}

impl<'i> jsonschema::Keyword<'i> for StringFor {
    fn validate(&self, instance: &'i J) -> Result<(), ValidationError<'i>> {
        match self.accepts(instance) {
            true => Ok(()),
            false => Err(ValidationError::custom(self.expected.clone())),
        }
    }

    fn is_valid(&self, instance: &'i J) -> bool {
        self.accepts(instance)
    }
}

fn string_for<'a>(
    _: &'a Map<String, J>,
    value: &'a J,
    _: Location,
) -> Result<Box<dyn for<'i> jsonschema::Keyword<'i>>, ValidationError<'a>> {
    let types: Vec<&str> = value.as_array().map(|a| a.iter().filter_map(J::as_str).collect()).unwrap_or_default();
    Ok(Box::new(StringFor {
        integer: types.contains(&"integer"),
        number: types.contains(&"number"),
        boolean: types.contains(&"boolean"),
        expected: types.join(" or "),
    }))
}

/// Fixes a subschema in place and recurses. `in_one_of` is true for the direct
/// branches of a `oneOf`, where coercing strings could make two branches match.
fn fix(node: &mut J, in_one_of: bool) {
    let Some(obj) = node.as_object_mut() else { return };
    if let Some(J::String(p)) = obj.get_mut("pattern") {
        if p.contains("\\Z") {
            *p = p.replace("\\Z", "$");
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(J::Object(props)) = obj.get_mut(key) {
            for (_, sub) in props.iter_mut() {
                fix(sub, false);
                wrap(sub);
            }
        }
    }
    if let Some(J::Object(defs)) = obj.get_mut("definitions") {
        for (_, sub) in defs.iter_mut() {
            fix(sub, false);
        }
    }
    match obj.get_mut("items") {
        Some(J::Array(items)) => {
            for sub in items {
                fix(sub, false);
                wrap(sub);
            }
        }
        Some(sub @ J::Object(_)) => {
            fix(sub, false);
            wrap(sub);
        }
        _ => {}
    }
    if let Some(sub @ J::Object(_)) = obj.get_mut("additionalProperties") {
        fix(sub, false);
        wrap(sub);
    }
    for key in ["anyOf", "allOf", "oneOf"] {
        if let Some(J::Array(branches)) = obj.get_mut(key) {
            for sub in branches {
                fix(sub, key == "oneOf");
            }
        }
    }
    if !in_one_of {
        coerce(node);
    }
}

/// Lets a string stand for a number or boolean where the subschema wants one.
fn coerce(node: &mut J) {
    let Some(obj) = node.as_object() else { return };
    let types: Vec<&str> = match obj.get("type") {
        Some(J::String(t)) => vec![t.as_str()],
        Some(J::Array(a)) => a.iter().filter_map(J::as_str).collect(),
        _ => return,
    };
    if types.contains(&"string") {
        return;
    }
    let standing: Vec<&str> = ["integer", "number", "boolean"].into_iter().filter(|t| types.contains(t)).collect();
    if standing.is_empty() {
        return;
    }
    let then = J::Object(Map::from_iter([(STRING_FOR.to_string(), json!(standing))]));
    let original = node.take();
    *node = json!({"if": {"type": "string"}, "then": then, "else": original});
}

/// Wraps a subschema so an intrinsic function or a dynamic reference also passes.
fn wrap(node: &mut J) {
    if !node.is_object() {
        return;
    }
    let original = node.take();
    let mut m = Map::new();
    m.insert("if".into(), J::Object(Map::from_iter([(INTRINSIC.to_string(), J::Bool(true))])));
    m.insert("else".into(), original);
    *node = J::Object(m);
}

/// Checks the `Properties` of every resource of a shipped type against its schema.
/// Never panics, whatever the input.
pub fn check(template: &J) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(resources) = template.get("Resources").and_then(J::as_object) else { return out };
    for (id, r) in resources {
        let Some(ty) = r.get("Type").and_then(J::as_str) else { continue };
        let Some(c) = compiled(ty) else { continue };
        let Some(validator) = &c.validator else { continue };
        let empty = J::Object(Map::new());
        let props = match r.get("Properties") {
            None => &empty,
            Some(p @ J::Object(m)) => {
                if m.len() == 1 && m.keys().next().is_some_and(|k| k.starts_with("Fn::")) {
                    continue;
                }
                p
            }
            Some(other) => {
                out.push(Finding::error(
                    RULE,
                    Some(id),
                    "Properties",
                    format!("Properties of {ty} must be an object, got {}", show(other)),
                ));
                continue;
            }
        };
        // the common case, a valid resource, without building any error
        if validator.is_valid(props) {
            continue;
        }
        let mut errors: Vec<(String, String)> = Vec::new();
        for e in validator.iter_errors(props) {
            let mut path = String::from("Properties");
            for seg in e.instance_path().iter() {
                path.push('.');
                match seg {
                    LocationSegment::Property(p) => path.push_str(&p),
                    LocationSegment::Index(i) => path.push_str(&i.to_string()),
                }
            }
            let value = e.instance();
            if scalar_for_string(value, e.kind()) {
                continue;
            }
            for (p, m) in message(ty, &c.facts, &path, value, e.kind()) {
                if !errors.iter().any(|(ep, em)| *ep == p && *em == m) {
                    errors.push((p, m));
                }
            }
            if errors.len() >= 50 {
                break;
            }
        }
        for (path, msg) in errors {
            out.push(Finding::error(RULE, Some(id), path, msg));
        }
    }
    out
}

/// A number or boolean where the schema wants a string, which CloudFormation
/// passes as its text (YAML's `EngineVersion: 7.0`), and cfn-lint accepts too.
/// Dropped from the errors rather than allowed in the compiled schemas, so that
/// valid templates pay nothing for it.
fn scalar_for_string(value: &J, kind: &ValidationErrorKind) -> bool {
    let wants_string = match kind {
        ValidationErrorKind::Type { kind: TypeKind::Single(t) } => *t == jsonschema::JsonType::String,
        ValidationErrorKind::Type { kind: TypeKind::Multiple(ts) } => ts.contains(jsonschema::JsonType::String),
        _ => false,
    };
    wants_string && matches!(value, J::Number(_) | J::Bool(_))
}

/// A value for a message: compact JSON, at most 60 characters.
fn show(v: &J) -> String {
    let s = match v {
        J::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn list(v: &J) -> String {
    match v {
        J::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn type_name(k: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| t.to_string();
    match k {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(ts) => ts.iter().map(|t| name(&t)).collect::<Vec<_>>().join(" or "),
    }
}

fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (super::edit_distance(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// The findings (path, message) for one validation error.
fn message(ty: &str, facts: &SchemaFacts, path: &str, value: &J, kind: &ValidationErrorKind) -> Vec<(String, String)> {
    use ValidationErrorKind as K;
    let at = path.to_string();
    let v = show(value);
    let one = |m: String| vec![(at.clone(), m)];
    match kind {
        K::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| {
                let p = format!("{path}.{name}");
                let m = if path == "Properties" {
                    match closest(name, &facts.properties) {
                        Some(c) => format!("unknown property '{name}' for {ty}; did you mean {c}?"),
                        None => format!(
                            "unknown property '{name}' for {ty}; remove it or use one of {}",
                            facts.properties.join(", ")
                        ),
                    }
                } else {
                    format!("unknown property '{name}'; remove it")
                };
                (p, m)
            })
            .collect(),
        K::Required { property } => {
            let name = property.as_str().map(str::to_string).unwrap_or_else(|| property.to_string());
            one(format!(
                "missing required property '{name}' of {}; add it",
                if path == "Properties" { ty } else { path }
            ))
        }
        K::Type { kind } => one(format!("expected {}, got {v}", type_name(kind))),
        K::Enum { options } => one(format!("{v} is not allowed; use one of {}", list(options))),
        K::Constant { expected_value } => one(format!("{v} is not allowed; use {expected_value}")),
        K::Maximum { limit } => one(format!("{v} is over the maximum of {limit}; use at most {limit}")),
        K::Minimum { limit } => one(format!("{v} is under the minimum of {limit}; use at least {limit}")),
        K::ExclusiveMaximum { limit } => one(format!("{v} must be less than {limit}")),
        K::ExclusiveMinimum { limit } => one(format!("{v} must be more than {limit}")),
        K::MaxLength { limit } => {
            let n = value.as_str().map_or(0, |s| s.chars().count());
            one(format!("{v} has {n} characters, over the maximum of {limit}; shorten it"))
        }
        K::MinLength { limit } => {
            let n = value.as_str().map_or(0, |s| s.chars().count());
            one(format!("{v} has {n} characters, under the minimum of {limit}; lengthen it"))
        }
        K::MaxItems { limit } => {
            let n = value.as_array().map_or(0, Vec::len);
            one(format!("{n} items, over the maximum of {limit}; remove some"))
        }
        K::MinItems { limit } => {
            let n = value.as_array().map_or(0, Vec::len);
            one(format!("{n} items, under the minimum of {limit}; add some"))
        }
        K::UniqueItems => one(format!("{v} has duplicate items; remove them")),
        K::Custom { keyword, message } if keyword == STRING_FOR => one(format!("expected {message}, got {v}")),
        K::Pattern { pattern } => one(format!("{v} does not match the pattern {pattern}; change it to match")),
        K::Format { format } => one(format!("{v} is not a {format}: AWS ids of this kind are a prefix (vpc-, subnet-, sg-, ami-) and 8 or 17 hexadecimal characters; give the id, or a Ref to a parameter of the matching AWS-specific type")),
        K::AnyOf { .. } | K::OneOfNotValid { .. } => {
            one(format!("{v} matches none of the allowed forms of {}; see the {ty} documentation", tail(path)))
        }
        K::OneOfMultipleValid { .. } => {
            one(format!("{v} matches more than one exclusive form of {}; keep only the properties of one", tail(path)))
        }
        K::MaxProperties { limit } => one(format!("more than {limit} properties; remove some")),
        K::MinProperties { limit } => one(format!("fewer than {limit} properties; add some")),
        _ => one(format!("{v} is not valid for {}; see the {ty} documentation", tail(path))),
    }
}

fn tail(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::type_spec;

    fn findings(t: J) -> Vec<String> {
        check(&t).iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn every_schema_compiles() {
        for ty in shipped_types() {
            let c = compiled(ty).unwrap();
            assert!(c.validator.is_some(), "{ty} does not compile");
            assert!(!c.facts.properties.is_empty(), "{ty}");
        }
        assert!(SCHEMAS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(facts("AWS::S3::Bucket").is_none());
    }

    #[test]
    fn schema_facts_agree_with_the_typed_layer() {
        for ty in shipped_types() {
            let Some(spec) = type_spec(ty) else { continue };
            let f = facts(ty).unwrap();
            // The typed layer may accept more attributes (cfn-lint's all-property types),
            // never fewer.
            for a in &f.attributes {
                assert!(spec.attributes.contains(&a.as_str()), "attribute {a} of {ty} missing in the typed layer");
            }
            let create: Vec<&str> = f.create_only.iter().map(String::as_str).filter(|p| !p.contains('.')).collect();
            let mut spec_create = spec.create_only.to_vec();
            spec_create.sort_unstable();
            assert_eq!(create, spec_create, "create-only properties of {ty}");
        }
        assert!(create_only_properties("AWS::ElastiCache::ReplicationGroup").unwrap().contains(&"Port".to_string()));
        assert!(attributes("AWS::ElastiCache::ReplicationGroup")
            .unwrap()
            .contains(&"ConfigurationEndPoint.Address".to_string()));
    }

    fn rg(props: J) -> J {
        json!({"Resources": {"Rg": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": props}}})
    }

    #[test]
    fn literal_faults_are_reported() {
        let cases: Vec<(J, &str)> = vec![
            (rg(json!({})), "Rg.Properties: [SCHEMA] missing required property 'ReplicationGroupDescription' of AWS::ElastiCache::ReplicationGroup; add it"),
            (rg(json!({"ReplicationGroupDescription": "d", "NumCacheCluster": 2})), "Rg.Properties.NumCacheCluster: [SCHEMA] unknown property 'NumCacheCluster' for AWS::ElastiCache::ReplicationGroup; did you mean NumCacheClusters?"),
            (rg(json!({"ReplicationGroupDescription": "d", "NumCacheClusters": 7})), "Rg.Properties.NumCacheClusters: [SCHEMA] 7 is over the maximum of 6; use at most 6"),
            (rg(json!({"ReplicationGroupDescription": "d", "NumCacheClusters": "two"})), "Rg.Properties.NumCacheClusters: [SCHEMA] expected integer, got 'two'"),
            (json!({"Resources": {"G": {"Type": "AWS::ElastiCache::UserGroup", "Properties": {"UserGroupId": "g", "Engine": "memcached", "UserIds": ["default"]}}}}), "G.Properties.Engine: [SCHEMA] 'memcached' is not allowed; use one of redis, valkey"),
            (rg(json!({"ReplicationGroupDescription": "d", "AtRestEncryptionEnabled": "yes"})), "Rg.Properties.AtRestEncryptionEnabled: [SCHEMA] expected boolean, got 'yes'"),
            (rg(json!({"ReplicationGroupDescription": "d", "SecurityGroupIds": "sg-1"})), "Rg.Properties.SecurityGroupIds: [SCHEMA] expected array, got 'sg-1'"),
            (rg(json!({"ReplicationGroupDescription": "d", "Tags": [{"Key": "a"}]})), "Rg.Properties.Tags.0: [SCHEMA] missing required property 'Value' of Properties.Tags.0; add it"),
            (json!({"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": []}}}), "T.Properties: [SCHEMA] Properties of AWS::SNS::Topic must be an object, got []"),
        ];
        for (t, want) in cases {
            let got = findings(t.clone());
            assert!(got.iter().any(|g| g == want), "template {t}\nwant {want}\ngot {got:#?}");
        }
    }

    #[test]
    fn intrinsics_dynamic_references_and_strings_pass() {
        let t = json!({
            "Parameters": {"N": {"Type": "Number"}},
            "Conditions": {"C": {"Fn::Equals": ["a", "a"]}},
            "Resources": {
                "Rg": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
                    "ReplicationGroupDescription": {"Fn::Sub": "${AWS::StackName}"},
                    "NumCacheClusters": {"Ref": "N"},
                    "Port": "6379",
                    "AtRestEncryptionEnabled": "true",
                    "TransitEncryptionMode": {"Fn::If": ["C", "required", {"Ref": "AWS::NoValue"}]},
                    "SecurityGroupIds": {"Ref": "AWS::NoValue"},
                    "AuthToken": "{{resolve:secretsmanager:s:SecretString:token}}",
                    "Tags": [{"Key": "a", "Value": {"Ref": "AWS::StackName"}}, {"Fn::If": ["C", {"Key": "b", "Value": "c"}, {"Ref": "AWS::NoValue"}]}]
                }},
                "Log": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/aws/elasticache/x", "RetentionInDays": 7}},
                "S3": {"Type": "AWS::S3::Bucket", "Properties": {"Anything": 1}},
                "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Fn::If": ["C", {}, {}]}}
            }
        });
        assert_eq!(findings(t), Vec::<String>::new());
    }

    #[test]
    fn intrinsic_forms() {
        let cases = [
            (json!({"Ref": "X"}), true),
            (json!({"Condition": "C"}), true),
            (json!({"Fn::GetAtt": ["A", "B"]}), true),
            (json!({"Fn::Base64": "x"}), true),
            (json!({"Fn::": 1}), false),
            (json!({"Fn::Get-Att": 1}), false),
            (json!({"Fn::Ä": 1}), false),
            (json!({"Reff": "X"}), false),
            (json!({"Ref": "X", "Fn::Sub": "y"}), false),
            (json!({}), false),
            (json!("{{resolve:secretsmanager:s:SecretString:token}}"), true),
            (json!("prefix-{{resolve:ssm:p}}"), true),
            (json!("{resolve:ssm:p}"), false),
            (json!(1), false),
            (json!(null), false),
            (json!(["Ref"]), false),
        ];
        for (v, want) in cases {
            assert_eq!(is_intrinsic(&v), want, "{v}");
        }
    }

    #[test]
    fn strings_standing_for_numbers_and_booleans() {
        // (string, integer, number, boolean): what the patterns
        // `^-?[0-9]+$`, `^-?[0-9]+(\.[0-9]+)?$` and `^(true|false|True|False)$` accept
        let cases = [
            ("6379", true, true, false),
            ("-5", true, true, false),
            ("0", true, true, false),
            ("5.5", false, true, false),
            ("-0.25", false, true, false),
            ("5.", false, false, false),
            (".5", false, false, false),
            ("-", false, false, false),
            ("", false, false, false),
            ("5\n", false, false, false),
            (" 5", false, false, false),
            ("1e3", false, false, false),
            ("+5", false, false, false),
            ("٣", false, false, false),
            ("true", false, false, true),
            ("False", false, false, true),
            ("TRUE", false, false, false),
            ("yes", false, false, false),
        ];
        for (s, integer, number, boolean) in cases {
            assert_eq!(is_integer_string(s), integer, "integer {s:?}");
            assert_eq!(is_number_string(s), number, "number {s:?}");
            assert_eq!(is_boolean_string(s), boolean, "boolean {s:?}");
        }
    }

    #[test]
    fn a_string_for_several_types_names_them_all() {
        let mut schema = json!({"type": "object", "additionalProperties": false, "properties": {
            "Either": {"type": ["integer", "boolean"]},
            "Count": {"type": "integer"}
        }});
        assert!(prepare(&mut schema));
        let validator = build(&schema).expect("compiles");
        let facts = SchemaFacts {
            type_name: "Test::Type",
            properties: vec!["Either".into(), "Count".into()],
            required: vec![],
            attributes: vec![],
            non_string_attributes: vec![],
            create_only: vec![],
            write_only: vec![],
        };
        let got = |props: J| -> Vec<String> {
            let mut out = Vec::new();
            for e in validator.iter_errors(&props) {
                for (p, m) in message("Test::Type", &facts, "Properties", e.instance(), e.kind()) {
                    out.push(format!("{p}: {m}"));
                }
            }
            out
        };
        assert_eq!(got(json!({"Either": "maybe"})), ["Properties: expected integer or boolean, got 'maybe'"]);
        assert_eq!(got(json!({"Count": "1.5"})), ["Properties: expected integer, got '1.5'"]);
        for ok in
            [json!({"Either": "true"}), json!({"Either": "12"}), json!({"Either": {"Ref": "P"}}), json!({"Count": "3"})]
        {
            assert!(validator.is_valid(&ok), "{ok}");
            assert!(got(ok).is_empty());
        }
    }

    #[test]
    fn never_panics_on_odd_properties() {
        for props in [json!(null), json!(1), json!("x"), json!({"Ref": 1}), json!({"Tags": {"Ref": []}})] {
            let _ = check(&rg(props));
        }
        let _ =
            check(&json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"Subscription": [[[]]]}}}}));
    }
}
