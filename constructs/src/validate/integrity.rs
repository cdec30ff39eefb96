//! Template integrity: every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn`
//! and `Condition` names something that exists; `Fn::GetAtt` attributes exist for
//! the type; resources do not depend on each other in a cycle; CloudFormation's
//! limits hold.
//!
//! | rule   | severity | what |
//! |--------|----------|------|
//! | TPL001 | error    | `Ref` to something that is not a resource, parameter or pseudo parameter |
//! | TPL002 | error    | `Fn::GetAtt` of a missing resource, or an attribute the type does not have |
//! | TPL003 | error    | `DependsOn` a missing resource |
//! | TPL004 | error    | a condition that is not defined |
//! | TPL005 | error    | resources that depend on each other in a cycle |
//! | TPL006 | error    | a logical ID that is not `^[A-Za-z0-9]{1,255}$` |
//! | TPL007 | error    | over a CloudFormation limit (500 resources, 200 parameters, 200 outputs, 1 MB) |
//! | TPL008 | warning  | over 51,200 bytes: `aws cloudformation deploy` needs `--s3-bucket` |
//! | TPL009 | error    | not a template: not an object, no `Resources`, a resource without `Type` |
//! | TPL010 | error    | a `DeletionPolicy`/`UpdateReplacePolicy` the type does not support |
//! | TPL011 | error    | two outputs with the same export name |
//! | TPL012 | error    | a `Fn::Sub` variable that is not defined |
//! | TPL015 | error    | a parameter without a Type, of a type CloudFormation does not have, or with a Default its type cannot hold or its AllowedValues do not list |
//! | TPL016 | error    | a description (template 1,024 bytes, parameter 4,000, output 1,024) or a parameter value (4,096) over its limit |
//! | TPL017 | error    | an output value that is not a string or a function giving one |
//! | TPL018 | error    | a `null` value anywhere in the template |
//! | TPL019 | warning  | a parameter nothing uses |
//! | TPL020 | warning  | a `Fn::Sub` with nothing to substitute |
//! | TPL022 | error    | a condition that is not a well-formed condition function (`Fn::Equals` of two values, `Fn::And`/`Fn::Or` of 2 to 10, `Fn::Not` of one) |
//! | TPL023 | warning  | an `Fn::Equals` of two literals: always true or always false |
//! | TPL021 | error    | a reference to a resource its `Condition` leaves out when the referrer exists (checked per scenario of the conditions, in `scenarios.rs`) |
//!
//! (TPL013, duplicate JSON keys, is found while reading: [`super::json`]. The rule
//! set's table, [`super::rules::RULES`], lists every id.)

use super::{transforms, Finding};
use crate::cfn::type_spec;
use crate::core::{is_valid_logical_id, Pseudo, SNAPSHOT_TYPES};
use crate::facts::data;
use crate::template::{
    self, any_reference, below, push_index, push_key, Attribute, Intrinsic, Reference, Template, Visit,
};
use serde_json::Value as J;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The most resources a template may declare.
pub const MAX_RESOURCES: usize = 500;
/// The most parameters a template may declare.
pub const MAX_PARAMETERS: usize = 200;
/// The most outputs a template may declare.
pub const MAX_OUTPUTS: usize = 200;
/// The largest template CloudFormation accepts from S3, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// The largest template `aws cloudformation deploy` sends inline, in bytes.
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;

/// The sections whose keys are logical ids.
const ID_SECTIONS: &[&str] = &["Resources", "Parameters", "Outputs", "Conditions", "Mappings"];

const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
];

/// Checks a template's integrity. Never panics, whatever the input.
pub fn check(template: &J) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(top) = template.as_object() else {
        out.push(Finding::error("TPL009", None, "", "a template must be a JSON object with a Resources section"));
        return out;
    };
    let sam = transforms::declares(template, transforms::SAM);
    let loops = transforms::declares(template, transforms::LANGUAGE_EXTENSIONS);
    let is_loop = |k: &str| loops && k.starts_with(transforms::FOR_EACH);
    for key in top.keys() {
        if !(SECTIONS.contains(&key.as_str()) || (sam && key == "Globals")) {
            out.push(Finding::error(
                "TPL009",
                None,
                key.as_str(),
                format!("unknown template section '{key}'; sections are {}", SECTIONS.join(", ")),
            ));
        }
    }
    let empty = serde_json::Map::new();
    let resources = match top.get("Resources") {
        Some(J::Object(r)) if !r.is_empty() => r,
        Some(J::Object(_)) => {
            out.push(Finding::error(
                "TPL009",
                None,
                "Resources",
                "the Resources section is empty; a template needs at least one resource",
            ));
            &empty
        }
        Some(_) => {
            out.push(Finding::error(
                "TPL009",
                None,
                "Resources",
                "the Resources section must be an object of logical id to resource",
            ));
            &empty
        }
        None => {
            out.push(Finding::error("TPL009", None, "", "a template must have a Resources section"));
            &empty
        }
    };
    let Some(tpl) = Template::new(template, None) else { return out };
    let (parameters, conditions, outputs) = (tpl.parameters, tpl.conditions, tpl.outputs);

    for (name, map) in
        [("Resources", resources), ("Parameters", parameters), ("Outputs", outputs), ("Conditions", conditions)]
    {
        for id in map.keys().filter(|k| !is_loop(k)) {
            if !is_valid_logical_id(id) {
                out.push(Finding::error(
                    "TPL006",
                    Some(id),
                    "",
                    format!("logical id '{id}' in {name} must match ^[A-Za-z0-9]{{1,255}}$"),
                ));
            }
        }
    }

    for (id, c) in conditions.iter().filter(|(k, _)| !is_loop(k)) {
        let mut path = String::new();
        condition_function(id, c, &mut path, 0, &mut out);
    }

    let mut types: HashMap<&str, &str> = HashMap::new();
    for r in tpl.resources().filter(|r| !is_loop(r.id)) {
        let id = r.id;
        match r.ty {
            Some(t) if !is_type_name(t) => out.push(Finding::error(
                "TPL009",
                Some(id),
                "Type",
                format!("'{t}' is not a resource type name; types are Service::Resource under a namespace, such as AWS::ElastiCache::ReplicationGroup or Custom::Name"),
            )),
            Some(t) => {
                types.insert(id, t);
            }
            None => out.push(Finding::error(
                "TPL009",
                Some(id),
                "Type",
                "a resource needs a Type string, such as AWS::ElastiCache::ReplicationGroup",
            )),
        }
    }

    let generated = transforms::generated_prefixes(template);
    let ctx = Ctx { resources, parameters, conditions, types: &types, generated: &generated };
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();

    for (id, r) in resources.iter().filter(|(k, _)| !is_loop(k)) {
        let Some(r) = r.as_object() else {
            out.push(Finding::error("TPL009", Some(id), "", "a resource must be an object with Type and Properties"));
            continue;
        };
        let mut refs = Vec::new();
        for (k, v) in r {
            if k != "DependsOn" && k != "Condition" {
                ctx.walk(v, &mut k.clone(), &mut refs, &mut out, id, false);
            }
        }
        let deps = edges.entry(id.as_str()).or_default();
        for target in refs {
            if resources.contains_key(target) {
                deps.insert(target);
            }
        }
        match r.get("DependsOn") {
            None => {}
            Some(J::String(d)) => ctx.depends_on(id, d, "DependsOn", deps, &mut out),
            Some(J::Array(list)) => {
                for (i, d) in list.iter().enumerate() {
                    match d.as_str() {
                        Some(d) => ctx.depends_on(id, d, &format!("DependsOn.{i}"), deps, &mut out),
                        None => out.push(Finding::error(
                            "TPL003",
                            Some(id),
                            format!("DependsOn.{i}"),
                            "DependsOn entries must be logical id strings",
                        )),
                    }
                }
            }
            Some(_) => out.push(Finding::error(
                "TPL003",
                Some(id),
                "DependsOn",
                "DependsOn must be a logical id or a list of them",
            )),
        }
        if let Some(c) = r.get("Condition") {
            ctx.condition_name(c, id, "Condition", &mut out);
        }
        let ty = types.get(id.as_str()).copied().unwrap_or("");
        for attr in ["DeletionPolicy", "UpdateReplacePolicy"] {
            let Some(p) = r.get(attr) else { continue };
            // AWS::LanguageExtensions lets the policies be Fn::If of policies or a
            // Ref to a parameter (transform-aws-languageextensions.html)
            let mut policies: Vec<(String, &J)> = vec![(attr.to_string(), p)];
            if loops {
                if let Some(J::Array(branches)) = p.get("Fn::If") {
                    if branches.len() == 3 {
                        policies = vec![
                            (format!("{attr}.Fn::If.1"), &branches[1]),
                            (format!("{attr}.Fn::If.2"), &branches[2]),
                        ];
                    }
                } else if p.get("Ref").is_some_and(|r| r.as_str().is_some_and(|n| parameters.contains_key(n))) {
                    policies.clear();
                }
            }
            for (path, p) in policies {
                match p.as_str() {
                    Some("Delete" | "Retain") => {}
                    Some("RetainExceptOnCreate") if attr == "DeletionPolicy" => {}
                    Some("Snapshot") if SNAPSHOT_TYPES.contains(&ty) => {}
                    Some("Snapshot") => out.push(Finding::error(
                        "TPL010",
                        Some(id),
                        path,
                        format!("{attr} Snapshot is not supported by {ty}; use Retain or Delete"),
                    )),
                    _ => out.push(Finding::error(
                        "TPL010",
                        Some(id),
                        path,
                        format!(
                            "{attr} must be Delete, Retain{} or Snapshot, got {p}",
                            if attr == "DeletionPolicy" { ", RetainExceptOnCreate" } else { "" }
                        ),
                    )),
                }
            }
        }
    }

    for (id, c) in conditions {
        let mut refs = Vec::new();
        ctx.walk(c, &mut String::new(), &mut refs, &mut out, id, true);
    }
    description(None, top.get("Description"), data::TEMPLATE_DESCRIPTION_MAX, "the template", &mut out);
    let mut found = Vec::new();
    if has_null(template) {
        nulls(template, &mut String::new(), &mut found);
    }
    for path in found {
        let (logical_id, inner) = match path.splitn(3, '.').collect::<Vec<_>>()[..] {
            [section, id, rest] if ID_SECTIONS.contains(&section) => (Some(id.to_string()), rest.to_string()),
            [section, id] if ID_SECTIONS.contains(&section) => (Some(id.to_string()), String::new()),
            _ => (None, path.clone()),
        };
        out.push(Finding::error(
            "TPL018",
            logical_id.as_deref(),
            inner,
            "a null value: CloudFormation refuses them ('null' values are not allowed in templates); remove the key or give it a value (in YAML, `Key:` with nothing after it is null)",
        ));
    }
    for (id, p) in parameters {
        parameter(id, p, &mut out);
    }
    // TPL019: a parameter nothing uses (a transform may use it: not judged then)
    if top.get("Transform").is_none() {
        let mut used = HashSet::new();
        for (k, v) in top {
            if k != "Parameters" && k != "Metadata" {
                any_reference(v, &mut |r| {
                    used.insert(r.target());
                    false
                });
            }
        }
        for id in parameters.keys().filter(|p| !used.contains(p.as_str())) {
            out.push(Finding::warning(
                "TPL019",
                Some(id),
                "",
                format!("parameter {id} is not used by any resource, output, condition or rule; remove it, or use it"),
            ));
        }
    }
    let mut export_names: HashMap<String, &str> = HashMap::new();
    for (id, o) in outputs {
        let Some(o) = o.as_object() else {
            out.push(Finding::error("TPL009", Some(id), "", "an output must be an object with a Value"));
            continue;
        };
        match o.get("Value") {
            None => out.push(Finding::error("TPL009", Some(id), "Value", "an output needs a Value")),
            Some(v) => output_value(id, v, parameters, &types, &mut out),
        }
        description(Some(id), o.get("Description"), data::OUTPUT_DESCRIPTION_MAX, "an output", &mut out);
        let mut refs = Vec::new();
        for (k, v) in o {
            if k != "Condition" {
                ctx.walk(v, &mut k.clone(), &mut refs, &mut out, id, false);
            }
        }
        if let Some(c) = o.get("Condition") {
            ctx.condition_name(c, id, "Condition", &mut out);
        }
        if let Some(name) = o.get("Export").and_then(|e| e.get("Name")).and_then(J::as_str) {
            if let Some(first) = export_names.get(name) {
                out.push(Finding::error(
                    "TPL011",
                    Some(id),
                    "Export.Name",
                    format!("export name '{name}' is also used by output {first}; export names must be unique"),
                ));
            } else {
                export_names.insert(name.to_string(), id);
            }
        }
    }

    cycles(&edges, &mut out);

    if resources.len() > MAX_RESOURCES {
        out.push(Finding::error(
            "TPL007",
            None,
            "Resources",
            format!(
                "{} resources, over the CloudFormation limit of {MAX_RESOURCES}; split the app into more stacks",
                resources.len()
            ),
        ));
    }
    if parameters.len() > MAX_PARAMETERS {
        out.push(Finding::error(
            "TPL007",
            None,
            "Parameters",
            format!("{} parameters, over the CloudFormation limit of {MAX_PARAMETERS}", parameters.len()),
        ));
    }
    if outputs.len() > MAX_OUTPUTS {
        out.push(Finding::error(
            "TPL007",
            None,
            "Outputs",
            format!("{} outputs, over the CloudFormation limit of {MAX_OUTPUTS}", outputs.len()),
        ));
    }
    let size = minified_size(template);
    if size > MAX_TEMPLATE_BYTES {
        out.push(Finding::error("TPL007", None, "", format!("the template is {size} bytes (minified), over the CloudFormation limit of {MAX_TEMPLATE_BYTES}; split the app into more stacks")));
    } else if size > MAX_INLINE_TEMPLATE_BYTES {
        out.push(Finding::warning("TPL008", None, "", format!("the template is {size} bytes (minified), over {MAX_INLINE_TEMPLATE_BYTES}: aws cloudformation deploy needs --s3-bucket to upload it")));
    }
    out
}

struct Ctx<'a> {
    resources: &'a serde_json::Map<String, J>,
    parameters: &'a serde_json::Map<String, J>,
    conditions: &'a serde_json::Map<String, J>,
    types: &'a HashMap<&'a str, &'a str>,
    /// Prefixes of the logical ids a transform generates (SAM, an unexpanded
    /// `Fn::ForEach`): a reference to one is not reported missing.
    generated: &'a [String],
}

impl Ctx<'_> {
    fn is_generated(&self, name: &str) -> bool {
        self.generated.iter().any(|p| name.starts_with(p.as_str()))
    }

    fn depends_on<'t>(&self, id: &str, dep: &'t str, path: &str, deps: &mut BTreeSet<&'t str>, out: &mut Vec<Finding>) {
        if self.resources.contains_key(dep) {
            deps.insert(dep);
        } else if !self.is_generated(dep) {
            out.push(Finding::error(
                "TPL003",
                Some(id),
                path,
                format!("DependsOn '{dep}', which is not a resource of this template"),
            ));
        }
    }

    fn condition_name(&self, c: &J, id: &str, path: &str, out: &mut Vec<Finding>) {
        match c.as_str() {
            Some(name) if self.conditions.contains_key(name) => {}
            Some(name) => out.push(Finding::error(
                "TPL004",
                Some(id),
                path,
                format!("condition '{name}' is not defined in Conditions"),
            )),
            None => out.push(Finding::error("TPL004", Some(id), path, "a condition must be named by a string")),
        }
    }

    fn ref_target(&self, name: &str, in_condition: bool) -> Result<(), String> {
        if Pseudo::NAMES.contains(&name) || self.parameters.contains_key(name) {
            return Ok(());
        }
        if self.resources.contains_key(name) {
            return if in_condition {
                Err(format!("conditions can only Ref parameters, not resource '{name}'"))
            } else {
                Ok(())
            };
        }
        if self.is_generated(name) {
            return Ok(());
        }
        Err(format!("Ref to '{name}', which is not a resource, parameter or pseudo parameter of this template"))
    }

    /// A `Fn::GetAtt` of `res`, and of `attr` when it is named.
    fn get_att(&self, res: &str, attr: Option<&str>) -> Result<(), String> {
        let Some(ty) = self.types.get(res) else {
            if self.is_generated(res) {
                return Ok(());
            }
            return Err(format!("Fn::GetAtt of '{res}', which is not a resource of this template"));
        };
        if let (Some(spec), Some(attr)) = (type_spec(ty), attr) {
            if !spec.attributes.is_empty() && !spec.attributes.contains(&attr) {
                return Err(format!("{ty} has no attribute '{attr}'; it has {}", spec.attributes.join(", ")));
            }
        }
        Ok(())
    }

    /// Walks `v`, whose location is `path`, with the one template walk
    /// ([`template::walk`]): reports the functions CloudFormation refuses and the
    /// references to nothing, and gathers the references that resolve in `refs`.
    fn walk<'t>(
        &self,
        v: &'t J,
        path: &mut String,
        refs: &mut Vec<&'t str>,
        out: &mut Vec<Finding>,
        id: &str,
        in_condition: bool,
    ) {
        let _ = template::walk(v, path, &mut Check { cx: self, id, in_condition, refs, out });
    }
}

/// The integrity checks of one value's intrinsic functions, as a visitor of the
/// template walk.
struct Check<'c, 'x, 't> {
    cx: &'c Ctx<'x>,
    id: &'c str,
    in_condition: bool,
    refs: &'c mut Vec<&'t str>,
    out: &'c mut Vec<Finding>,
}

impl<'t> Visit<'t, String> for Check<'_, '_, 't> {
    fn function(&mut self, f: &Intrinsic<'t>, at: &String) -> bool {
        let id = Some(self.id);
        match *f {
            Intrinsic::Malformed(name, _) => {
                let (rule, shape) = match name {
                    "Ref" => ("TPL001", "Ref needs a logical id string"),
                    "Fn::GetAtt" => ("TPL002", "Fn::GetAtt needs [LogicalId, Attribute]"),
                    "Fn::Sub" => ("TPL012", "Fn::Sub needs a string or [string, {variables}]"),
                    _ => ("TPL004", "Fn::If needs [condition, value if true, value if false]"),
                };
                self.out.push(Finding::error(rule, id, at.as_str(), shape));
                false
            }
            Intrinsic::Sub { text, variables } => {
                if !text.contains("${") && variables.is_none_or(|m| m.is_empty()) {
                    self.out.push(Finding::warning(
                        "TPL020",
                        id,
                        at.as_str(),
                        format!("Fn::Sub of '{text}', which has no ${{...}} to substitute; write the string itself"),
                    ));
                }
                for (k, v) in variables.into_iter().flatten() {
                    let plain_object = v.is_object() && Intrinsic::parse(v).is_none();
                    if plain_object || v.is_array() {
                        self.out.push(Finding::error(
                            "TPL012",
                            id,
                            format!("{at}.Fn::Sub.1.{k}"),
                            format!("Fn::Sub variable {k} must be a string or a function that gives one, got {v}"),
                        ));
                    }
                }
                true
            }
            Intrinsic::If { condition, .. } => {
                self.cx.condition_name(condition, self.id, at, self.out);
                true
            }
            Intrinsic::Other("Condition", c) if self.in_condition => {
                self.cx.condition_name(c, self.id, at, self.out);
                false
            }
            _ => true,
        }
    }

    fn reference(&mut self, r: Reference<'t>, sub: Option<&'t str>, at: &String) -> bool {
        let check = match r {
            Reference::Ref(name) => self.cx.ref_target(name, self.in_condition),
            // a computed attribute (the walk's "") is known at deploy time only
            Reference::GetAtt(res, "") if sub.is_none() => self.cx.get_att(res, None),
            Reference::GetAtt(res, attr) => self.cx.get_att(res, Some(attr)),
        };
        match (check, sub) {
            (Ok(()), _) => self.refs.push(r.target()),
            (Err(e), Some(var)) => self.out.push(Finding::error(
                "TPL012",
                Some(self.id),
                at.as_str(),
                format!("Fn::Sub variable ${{{var}}}: {e}"),
            )),
            (Err(e), None) => {
                let rule = if matches!(r, Reference::Ref(_)) { "TPL001" } else { "TPL002" };
                self.out.push(Finding::error(rule, Some(self.id), at.as_str(), e))
            }
        }
        false
    }
}

/// The template's size as minified JSON, counted without building the string.
/// TPL016: a `Description` that is not a string, or longer than CloudFormation
/// takes (`max` bytes).
fn description(id: Option<&str>, d: Option<&J>, max: usize, of: &str, out: &mut Vec<Finding>) {
    match d {
        None => {}
        Some(J::String(s)) if s.len() <= max => {}
        Some(J::String(s)) => out.push(Finding::error(
            "TPL016",
            id,
            "Description",
            format!("the description of {of} is {} bytes; CloudFormation takes at most {max}: shorten it", s.len()),
        )),
        Some(other) => out.push(Finding::error(
            "TPL016",
            id,
            "Description",
            format!("the description of {of} must be a string, got {other}"),
        )),
    }
}

/// TPL015 (the type) and TPL016 (value lengths) of one parameter.
fn parameter(id: &str, p: &J, out: &mut Vec<Finding>) {
    let Some(p) = p.as_object() else {
        out.push(Finding::error("TPL009", Some(id), "", "a parameter must be an object with a Type"));
        return;
    };
    match p.get("Type") {
        Some(J::String(t)) if data::PARAMETER_TYPES.contains(&t.as_str()) => {}
        Some(J::String(t)) => {
            let near = data::PARAMETER_TYPES
                .iter()
                .min_by_key(|c| super::edit_distance(&c.to_ascii_lowercase(), &t.to_ascii_lowercase()))
                .filter(|c| super::edit_distance(&c.to_ascii_lowercase(), &t.to_ascii_lowercase()) <= 3)
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            out.push(Finding::error(
                "TPL015",
                Some(id),
                "Type",
                format!("'{t}' is not a CloudFormation parameter type{near}; use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or an AWS::SSM::Parameter::Value<...> type"),
            ));
        }
        Some(other) => out.push(Finding::error(
            "TPL015",
            Some(id),
            "Type",
            format!("a parameter Type must be a string, got {other}"),
        )),
        None => out.push(Finding::error("TPL015", Some(id), "Type", "a parameter needs a Type, such as String")),
    }
    description(Some(id), p.get("Description"), data::PARAMETER_DESCRIPTION_MAX, "a parameter", out);
    if let (Some(J::String(t)), Some(d)) = (p.get("Type"), p.get("Default")) {
        if let Some(why) = default_misfit(t, d) {
            out.push(Finding::error("TPL015", Some(id), "Default", format!("the default {d} cannot be a {t}: {why}")));
        }
    }
    // a default must be one of the AllowedValues (each item of a list type), as
    // CloudFormation checks it (cfn-lint E2015)
    if let (Some(J::Array(allowed)), Some(d)) = (p.get("AllowedValues"), p.get("Default")) {
        let text = |v: &J| match v {
            J::String(s) => Some(s.clone()),
            J::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let allowed: Vec<String> = allowed.iter().filter_map(text).collect();
        let list =
            p.get("Type").and_then(J::as_str).is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"));
        if let Some(d) = text(d) {
            let items: Vec<&str> = if list { d.split(',').map(str::trim).collect() } else { vec![d.as_str()] };
            if let Some(bad) = items.iter().find(|i| !allowed.iter().any(|a| a == *i)) {
                out.push(Finding::error(
                    "TPL015",
                    Some(id),
                    "Default",
                    format!(
                        "the default '{bad}' is not one of the AllowedValues ({}); CloudFormation refuses it",
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    let long = |v: &J| v.as_str().is_some_and(|s| s.len() > data::PARAMETER_VALUE_MAX);
    if p.get("Default").is_some_and(long) {
        out.push(Finding::error(
            "TPL016",
            Some(id),
            "Default",
            format!("the default is over {} bytes, the most CloudFormation takes", data::PARAMETER_VALUE_MAX),
        ));
    }
    if let Some(J::Array(values)) = p.get("AllowedValues") {
        for (i, v) in values.iter().enumerate().filter(|(_, v)| long(v)) {
            let _ = v;
            out.push(Finding::error(
                "TPL016",
                Some(id),
                format!("AllowedValues.{i}"),
                format!("an allowed value over {} bytes, the most CloudFormation takes", data::PARAMETER_VALUE_MAX),
            ));
        }
    }
}

/// TPL022 and TPL023: the condition function `c` of condition `id` (at `path` in
/// it), as CloudFormation's "Condition functions" page defines them: `Fn::Equals`
/// of exactly two values (strings, numbers, booleans or a function that gives one,
/// not a list or an object), `Fn::And` and `Fn::Or` of 2 to 10 conditions,
/// `Fn::Not` of one, or `{"Condition": name}`; cfn-lint's E8003 and W8003. An
/// `Fn::Equals` of two literals is valid but constant: a warning.
fn condition_function(id: &str, c: &J, path: &mut String, depth: usize, out: &mut Vec<Finding>) {
    let bad = |path: &str, why: String, out: &mut Vec<Finding>| {
        out.push(Finding::error("TPL022", Some(id), path.trim_start_matches('.'), why));
    };
    let Some((f, args)) = c.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next()) else {
        bad(
            path,
            format!("a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, got {c}"),
            out,
        );
        return;
    };
    if depth > 32 {
        return;
    }
    let len = path.len();
    path.push('.');
    path.push_str(f);
    match (f.as_str(), args) {
        ("Fn::Equals", J::Array(items)) if items.len() == 2 => {
            let mut literals = 0;
            for (i, v) in items.iter().enumerate() {
                match v {
                    J::String(_) | J::Number(_) | J::Bool(_) => literals += 1,
                    J::Object(o) if o.len() == 1 && o.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) => {}
                    other => bad(
                        &format!("{path}.{i}"),
                        format!(
                            "Fn::Equals compares strings; {other} is neither a value nor a function that gives one"
                        ),
                        out,
                    ),
                }
            }
            if literals == 2 {
                let same = scalar_text(&items[0]) == scalar_text(&items[1]);
                out.push(Finding::warning(
                    "TPL023",
                    Some(id),
                    path.trim_start_matches('.'),
                    format!(
                        "Fn::Equals of two literals, {} and {}, is always {same}; compare a parameter (Ref) or a function with a value",
                        items[0], items[1]
                    ),
                ));
            }
        }
        ("Fn::Equals", other) => {
            bad(path, format!("Fn::Equals takes a list of exactly two values, got {}", count_of(other)), out)
        }
        ("Fn::And" | "Fn::Or", J::Array(items)) if (2..=10).contains(&items.len()) => {
            for (i, v) in items.iter().enumerate() {
                let l = path.len();
                path.push_str(&format!(".{i}"));
                condition_function(id, v, path, depth + 1, out);
                path.truncate(l);
            }
        }
        ("Fn::And" | "Fn::Or", other) => {
            bad(path, format!("{f} takes a list of 2 to 10 conditions, got {}", count_of(other)), out)
        }
        ("Fn::Not", J::Array(items)) if items.len() == 1 => {
            path.push_str(".0");
            condition_function(id, &items[0], path, depth + 1, out);
        }
        ("Fn::Not", other) => bad(path, format!("Fn::Not takes a list of one condition, got {}", count_of(other)), out),
        ("Condition", J::String(_)) => {}
        ("Condition", other) => bad(path, format!("Condition takes the name of a condition, got {other}"), out),
        (other, _) => bad(
            path,
            format!("{other} is not a condition function; use Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition"),
            out,
        ),
    }
    path.truncate(len);
}

/// A literal as CloudFormation compares it: its text.
fn scalar_text(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// "3 items", "1 item" or "an object": how many a function was given.
fn count_of(v: &J) -> String {
    match v {
        J::Array(a) => format!("{} item{}", a.len(), if a.len() == 1 { "" } else { "s" }),
        other => format!("{other}"),
    }
}

/// Why a parameter's `Default` cannot be of its `Type`, if it cannot: not a
/// number for `Number`, or not an id of the shape AWS gives for `AWS::EC2::VPC::Id`,
/// `Subnet::Id`, `SecurityGroup::Id` and `Image::Id` (and their `List<...>`), as
/// cfn-lint's formats check them (`cfnlint/rules/formats/VpcId.py` and the like:
/// the prefix, then 8 or 17 hexadecimal characters, or lowercase alphanumerics for
/// images). CloudFormation checks the id exists at deploy, so a default of another
/// shape always fails.
fn default_misfit(ty: &str, default: &J) -> Option<String> {
    let text = match default {
        J::String(s) => s.clone(),
        J::Number(n) => n.to_string(),
        other => return Some(format!("a default is a string, got {other}")),
    };
    let (list, item) = match ty.strip_prefix("List<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    let items: Vec<&str> = if list { text.split(',').map(str::trim).collect() } else { vec![text.as_str()] };
    for v in items {
        let ok = match item {
            "Number" => v.trim().parse::<f64>().is_ok(),
            "AWS::EC2::VPC::Id" => super::schema::id_of(v, "vpc-", false),
            "AWS::EC2::Subnet::Id" => super::schema::id_of(v, "subnet-", false),
            "AWS::EC2::SecurityGroup::Id" => super::schema::id_of(v, "sg-", false),
            "AWS::EC2::Image::Id" => super::schema::id_of(v, "ami-", true),
            _ => true,
        };
        if !ok {
            return Some(match item {
                "Number" => format!("'{v}' is not a number"),
                _ => format!("'{v}' is not of the form AWS gives such ids (a prefix such as vpc-, then 8 or 17 hexadecimal characters)"),
            });
        }
    }
    None
}

/// `Namespace::Service::Resource` (or `Custom::Name`, or a module's four parts):
/// letters and digits between the `::`.
fn is_type_name(t: &str) -> bool {
    let parts: Vec<&str> = t.split("::").collect();
    (2..=4).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `v` holds a `null` anywhere: the walk of [`nulls`] without paths, so
/// that only a template with a null pays for locating it.
fn has_null(v: &J) -> bool {
    match v {
        J::Null => true,
        J::Object(m) => m.values().any(has_null),
        J::Array(a) => a.iter().any(has_null),
        _ => false,
    }
}

/// TPL018: `null` anywhere in the template, which CloudFormation refuses ("'null'
/// values are not allowed in templates"); YAML's `Key:` with nothing after it is one.
fn nulls(v: &J, path: &mut String, out: &mut Vec<String>) {
    match v {
        J::Null => out.push(path.clone()),
        J::Object(m) => {
            for (k, x) in m {
                below(path, |p| push_key(p, k), |p| nulls(x, p, out));
            }
        }
        J::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                below(path, |p| push_index(p, i), |p| nulls(x, p, out));
            }
        }
        _ => {}
    }
}

/// TPL017: an output value CloudFormation refuses ("every Value member must be a
/// string"): a number, boolean, null, list or plain object, or a function that
/// gives a list (`Fn::GetAZs`, `Fn::Split`, `Fn::Cidr`, a `Ref` to a list
/// parameter), or `Fn::GetAtt` of an attribute that is not a string
/// (`ReadEndPoint.AddressesList`; a boolean or number attribute fails too, cfn-lint
/// issues 3013 and 3725). A literal number passes: CloudFormation takes it.
/// `Fn::If` is judged by its branches.
fn output_value(
    id: &str,
    v: &J,
    parameters: &serde_json::Map<String, J>,
    types: &HashMap<&str, &str>,
    out: &mut Vec<Finding>,
) {
    type Ctx<'a> = (&'a serde_json::Map<String, J>, &'a HashMap<&'a str, &'a str>);
    fn why(v: &J, cx: Ctx<'_>, path: &mut String) -> Option<String> {
        let (parameters, types) = cx;
        match v {
            J::String(_) => None,
            J::Object(m) => match Intrinsic::parse(v) {
                Some(Intrinsic::Other(k @ ("Fn::GetAZs" | "Fn::Split" | "Fn::Cidr"), _)) => {
                    Some(format!("{k} gives a list; join it with Fn::Join"))
                }
                Some(Intrinsic::GetAtt { resource, attribute: Attribute::Name(attr) }) => {
                    let t = super::schema::non_string_attribute(types.get(resource)?, attr)?;
                    let fix = if t == "array" {
                        "join it with Fn::Join"
                    } else {
                        "use a string attribute, or Fn::Join it into one"
                    };
                    Some(format!("Fn::GetAtt {resource}.{attr}, which is of type {t}; {fix}"))
                }
                Some(Intrinsic::Ref(name)) => {
                    let ty = parameters.get(name)?.get("Type")?.as_str()?;
                    let list =
                        ty.starts_with("List<") || ty.contains("CommaDelimitedList") || ty.contains("Value<List<");
                    list.then(|| format!("Ref to {name}, a {ty} parameter, gives a list; join it with Fn::Join"))
                }
                Some(Intrinsic::If { branches, .. }) => {
                    for (i, b) in branches.iter().enumerate() {
                        let len = path.len();
                        path.push_str(if i == 0 { ".Fn::If.1" } else { ".Fn::If.2" });
                        if let Some(w) = why(b, cx, path) {
                            return Some(w);
                        }
                        path.truncate(len);
                    }
                    None
                }
                Some(Intrinsic::Other("Condition", _)) => {
                    Some("an object with the key 'Condition', which is not an intrinsic function".into())
                }
                // another function, or one of a shape the walk reports
                Some(_) => None,
                None if m.len() == 1 => {
                    let k = m.keys().next().expect("one key");
                    Some(format!("an object with the key '{k}', which is not an intrinsic function"))
                }
                None => Some("an object, which is not an intrinsic function".into()),
            },
            J::Array(_) => Some("a list".into()),
            // CloudFormation takes literal numbers and booleans (it is their
            // attributes of those types it refuses)
            J::Number(_) | J::Bool(_) => None,
            J::Null => Some("null".into()),
        }
    }
    let mut path = String::from("Value");
    if let Some(w) = why(v, (parameters, types), &mut path) {
        out.push(Finding::error(
            "TPL017",
            Some(id),
            path,
            format!("an output value must be a string or a function that gives one; this is {w}"),
        ));
    }
}

fn minified_size(template: &J) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, template) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

fn cycles(edges: &BTreeMap<&str, BTreeSet<&str>>, out: &mut Vec<Finding>) {
    // Iterative three-colour DFS; reports each cycle once, at its smallest member.
    let mut state: HashMap<&str, u8> = HashMap::new();
    let mut reported: HashSet<Vec<String>> = HashSet::new();
    for &start in edges.keys() {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, edges[start].iter().copied().collect())];
        let mut path: Vec<&str> = vec![start];
        state.insert(start, 1);
        while let Some((node, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(next) => match state.get(next).copied().unwrap_or(0) {
                    0 => {
                        state.insert(next, 1);
                        path.push(next);
                        let children = edges.get(next).map(|s| s.iter().copied().collect()).unwrap_or_default();
                        stack.push((next, children));
                    }
                    1 => {
                        let i = path.iter().position(|p| *p == next).unwrap_or(0);
                        let mut cycle: Vec<String> = path[i..].iter().map(|s| s.to_string()).collect();
                        let mut key = cycle.clone();
                        key.sort();
                        if reported.insert(key) {
                            cycle.push(next.to_string());
                            let first = cycle[0].clone();
                            out.push(Finding::error("TPL005", Some(&first), "", format!("resources depend on each other in a cycle: {}; remove one of the references or DependsOn", cycle.join(" -> "))));
                        }
                    }
                    _ => {}
                },
                None => {
                    state.insert(node, 2);
                    path.pop();
                    stack.pop();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(t: J) -> Vec<String> {
        check(&t).iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn clean_template_has_no_findings() {
        let t = json!({
            "Parameters": {"Env": {"Type": "String"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {
                "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x"}},
                "Rg": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
                    "ReplicationGroupDescription": {"Fn::Sub": "${AWS::StackName} ${Env} ${Sg.GroupId}"},
                    "SecurityGroupIds": [{"Fn::GetAtt": ["Sg", "GroupId"]}],
                    "NumCacheClusters": {"Fn::If": ["IsProd", 2, 1]}
                }, "DependsOn": ["Sg"], "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot", "Condition": "IsProd"}
            },
            "Outputs": {"Host": {"Value": {"Fn::GetAtt": ["Rg", "PrimaryEndPoint.Address"]}, "Export": {"Name": "h"}}}
        });
        assert_eq!(rules(t), Vec::<String>::new());
    }

    #[test]
    fn parameters_descriptions_and_output_values_within_cloudformation_limits() {
        let t = json!({
            "Description": "d".repeat(1025),
            "Parameters": {
                "Ok": {"Type": "AWS::SSM::Parameter::Value<String>", "Description": "fine"},
                "Typo": {"Type": "Comma DelimitedList"},
                "NoType": {"Default": "x"},
                "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"},
                "Long": {"Type": "String", "Default": "v".repeat(4097)}
            },
            "Resources": {"Rg": {"Type": "AWS::ElastiCache::ReplicationGroup"}},
            "Outputs": {
                "Number": {"Value": 6379},
                "Port": {"Value": {"Fn::GetAtt": ["Rg", "PrimaryEndPoint.Port"]}},
                "List": {"Value": ["a", "b"]},
                "Azs": {"Value": {"Fn::If": ["C", "a", {"Fn::GetAZs": ""}]}},
                "Subnets": {"Value": {"Ref": "Subnets"}},
                "Ports": {"Value": {"Fn::GetAtt": "Rg.ReadEndPoint.PortsList"}, "Description": "p".repeat(1025)}
            },
            "Conditions": {"C": {"Fn::Equals": ["a", "b"]}}
        });
        let got: Vec<String> =
            rules(t).into_iter().filter(|f| f.contains("[TPL01") && !f.contains("[TPL019]")).collect();
        assert_eq!(got, vec![
            "Description: [TPL016] the description of the template is 1025 bytes; CloudFormation takes at most 1024: shorten it",
            "Typo.Type: [TPL015] 'Comma DelimitedList' is not a CloudFormation parameter type (did you mean CommaDelimitedList?); use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or an AWS::SSM::Parameter::Value<...> type",
            "NoType.Type: [TPL015] a parameter needs a Type, such as String",
            "Long.Default: [TPL016] the default is over 4096 bytes, the most CloudFormation takes",
            "List.Value: [TPL017] an output value must be a string or a function that gives one; this is a list",
            "Azs.Value.Fn::If.2: [TPL017] an output value must be a string or a function that gives one; this is Fn::GetAZs gives a list; join it with Fn::Join",
            "Subnets.Value: [TPL017] an output value must be a string or a function that gives one; this is Ref to Subnets, a List<AWS::EC2::Subnet::Id> parameter, gives a list; join it with Fn::Join",
            "Ports.Value: [TPL017] an output value must be a string or a function that gives one; this is Fn::GetAtt Rg.ReadEndPoint.PortsList, which is of type array; join it with Fn::Join",
            "Ports.Description: [TPL016] the description of an output is 1025 bytes; CloudFormation takes at most 1024: shorten it",
        ]);
    }

    #[test]
    fn defaults_that_their_type_cannot_hold_nulls_and_object_sub_variables() {
        let t = json!({
            "Parameters": {
                "Vpc": {"Type": "AWS::EC2::VPC::Id", "Default": "Cache"},
                "GoodVpc": {"Type": "AWS::EC2::VPC::Id", "Default": "vpc-0123456789abcdef0"},
                "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "subnet-01234567, subnet-x"},
                "Count": {"Type": "Number", "Default": "three"},
                "Free": {"Type": "String", "Default": "anything"}
            },
            "Metadata": {"Notes": [1, null]},
            "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
                "DisplayName": {"Fn::Sub": ["${A}", {"A": {"attribute": "token"}}]},
                "TopicName": null}}}
        });
        let got: Vec<String> =
            rules(t).into_iter().filter(|f| f.contains("[TPL01") && !f.contains("[TPL019]")).collect();
        assert_eq!(got, vec![
            "T.Properties.DisplayName.Fn::Sub.1.A: [TPL012] Fn::Sub variable A must be a string or a function that gives one, got {\"attribute\":\"token\"}",
            "Metadata.Notes.1: [TPL018] a null value: CloudFormation refuses them ('null' values are not allowed in templates); remove the key or give it a value (in YAML, `Key:` with nothing after it is null)",
            "T.Properties.TopicName: [TPL018] a null value: CloudFormation refuses them ('null' values are not allowed in templates); remove the key or give it a value (in YAML, `Key:` with nothing after it is null)",
            "Vpc.Default: [TPL015] the default \"Cache\" cannot be a AWS::EC2::VPC::Id: 'Cache' is not of the form AWS gives such ids (a prefix such as vpc-, then 8 or 17 hexadecimal characters)",
            "Subnets.Default: [TPL015] the default \"subnet-01234567, subnet-x\" cannot be a List<AWS::EC2::Subnet::Id>: 'subnet-x' is not of the form AWS gives such ids (a prefix such as vpc-, then 8 or 17 hexadecimal characters)",
            "Count.Default: [TPL015] the default \"three\" cannot be a Number: 'three' is not a number",
        ]);
    }

    #[test]
    fn language_extensions_policies_may_be_fn_if_or_a_parameter() {
        let t = |policy: J, transform: bool| {
            let mut t = json!({"Parameters": {"P": {"Type": "String", "Default": "Retain"}},
                "Conditions": {"C": {"Fn::Equals": ["a", "b"]}},
                "Resources": {"A": {"Type": "AWS::SNS::Topic", "DeletionPolicy": policy}}});
            if transform {
                t["Transform"] = json!("AWS::LanguageExtensions");
            }
            rules(t).into_iter().filter(|f| f.contains("[TPL010]")).collect::<Vec<_>>()
        };
        assert_eq!(t(json!({"Fn::If": ["C", "Retain", "Delete"]}), true), Vec::<String>::new());
        assert_eq!(t(json!({"Ref": "P"}), true), Vec::<String>::new());
        assert_eq!(t(json!({"Fn::If": ["C", "Retain", "Keep"]}), true), vec![
            "A.DeletionPolicy.Fn::If.2: [TPL010] DeletionPolicy must be Delete, Retain, RetainExceptOnCreate or Snapshot, got \"Keep\"",
        ]);
        // without the transform CloudFormation wants a literal
        assert_eq!(t(json!({"Fn::If": ["C", "Retain", "Delete"]}), false).len(), 1);
    }

    #[test]
    fn each_integrity_error_has_its_message() {
        let cases: Vec<(J, &str)> = vec![
            (json!([]), "[TPL009] a template must be a JSON object with a Resources section"),
            (json!({}), "[TPL009] a template must have a Resources section"),
            (json!({"Resources": {}}), "Resources: [TPL009] the Resources section is empty; a template needs at least one resource"),
            (json!({"Resources": {"A": {"Properties": {}}}}), "A.Type: [TPL009] a resource needs a Type string, such as AWS::ElastiCache::ReplicationGroup"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Nope"}}}}}), "A.Properties.TopicName: [TPL001] Ref to 'Nope', which is not a resource, parameter or pseudo parameter of this template"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::GetAtt": ["Nope", "Arn"]}}}}}), "A.Properties.TopicName: [TPL002] Fn::GetAtt of 'Nope', which is not a resource of this template"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::GetAtt": ["B", "Nope"]}}}, "B": {"Type": "AWS::SNS::Topic"}}}), "A.Properties.TopicName: [TPL002] AWS::SNS::Topic has no attribute 'Nope'; it has ContentBasedDeduplication, DisplayName, FifoThroughputScope, FifoTopic, KmsMasterKeyId, MaximumMessageSize, SignatureVersion, TopicArn, TopicName, TracingConfig"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"}}}), "A.DependsOn: [TPL003] DependsOn 'B', which is not a resource of this template"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Condition": "C"}}}), "A.Condition: [TPL004] condition 'C' is not defined in Conditions"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"}, "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"}}}), "A: [TPL005] resources depend on each other in a cycle: A -> B -> A; remove one of the references or DependsOn"),
            (json!({"Resources": {"a-b": {"Type": "AWS::SNS::Topic"}}}), "a-b: [TPL006] logical id 'a-b' in Resources must match ^[A-Za-z0-9]{1,255}$"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "DeletionPolicy": "Snapshot"}}}), "A.DeletionPolicy: [TPL010] DeletionPolicy Snapshot is not supported by AWS::SNS::Topic; use Retain or Delete"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"X": {"Value": "1", "Export": {"Name": "n"}}, "Y": {"Value": "2", "Export": {"Name": "n"}}}}), "Y.Export.Name: [TPL011] export name 'n' is also used by output X; export names must be unique"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${Missing}-${!Literal}"}}}}}), "A.Properties.TopicName: [TPL012] Fn::Sub variable ${Missing}: Ref to 'Missing', which is not a resource, parameter or pseudo parameter of this template"),
            (json!({"Resources": {"A": {"Type": "AWS::SNS::Topic"}}, "Bogus": 1}), "Bogus: [TPL009] unknown template section 'Bogus'; sections are AWSTemplateFormatVersion, Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, Resources, Outputs"),
        ];
        for (t, want) in cases {
            let got = rules(t.clone());
            assert!(got.iter().any(|g| g == want), "template {t}\nwant {want}\ngot {got:#?}");
        }
    }

    #[test]
    fn intrinsic_functions_of_a_shape_cloudformation_refuses() {
        let t = json!({
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "Attr"}, "b"]}},
            "Parameters": {"Attr": {"Type": "String", "Default": "TopicName"}},
            "Resources": {
                "B": {"Type": "AWS::SNS::Topic"},
                "A": {"Type": "AWS::SNS::Topic", "Properties": {
                    "TopicName": {"Fn::If": ["C", "x"]},
                    "DisplayName": {"Fn::Sub": ["${X}", "not a map"]},
                    "KmsMasterKeyId": {"Ref": ["B"]},
                    "Tags": [
                        {"Key": "a", "Value": {"Fn::GetAtt": "B"}},
                        {"Key": "b", "Value": {"Fn::GetAtt": ["B", {"Ref": "Attr"}]}},
                        {"Key": "c", "Value": {"Fn::Sub": ["${V}", {"V": {"Ref": "Missing"}}]}},
                        {"Key": "d", "Value": {"Fn::Sub": "${B.}"}},
                        {"Key": "e", "Value": {"Fn::Sub": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}}},
                        {"Key": "f", "Value": {"Fn::GetAtt": "B."}},
                        {"Key": "g", "Value": {"Fn::GetAtt": ["B", ""]}},
                        {"Key": "h", "Value": {"Fn::GetAtt": ["B", 5]}}
                    ]
                }}
            }
        });
        assert_eq!(rules(t), vec![
            "A.Properties.TopicName: [TPL004] Fn::If needs [condition, value if true, value if false]",
            "A.Properties.DisplayName: [TPL012] Fn::Sub needs a string or [string, {variables}]",
            "A.Properties.KmsMasterKeyId: [TPL001] Ref needs a logical id string",
            "A.Properties.Tags.0.Value: [TPL002] Fn::GetAtt needs [LogicalId, Attribute]",
            // a computed attribute is judged at deploy time; the Ref inside it is walked
            "A.Properties.Tags.2.Value.Fn::Sub.1.V: [TPL001] Ref to 'Missing', which is not a resource, parameter or pseudo parameter of this template",
            "A.Properties.Tags.3.Value: [TPL012] Fn::Sub variable ${B.}: AWS::SNS::Topic has no attribute ''; it has ContentBasedDeduplication, DisplayName, FifoThroughputScope, FifoTopic, KmsMasterKeyId, MaximumMessageSize, SignatureVersion, TopicArn, TopicName, TracingConfig",
            "A.Properties.Tags.5.Value: [TPL002] Fn::GetAtt needs [LogicalId, Attribute]",
            "A.Properties.Tags.6.Value: [TPL002] Fn::GetAtt needs [LogicalId, Attribute]",
            "A.Properties.Tags.7.Value: [TPL002] Fn::GetAtt needs [LogicalId, Attribute]",
        ]);
    }

    #[test]
    fn limits_are_enforced() {
        let mut resources = serde_json::Map::new();
        for i in 0..501 {
            resources.insert(
                format!("T{i}"),
                json!({"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x".repeat(100)}}),
            );
        }
        let got = rules(json!({ "Resources": resources }));
        assert!(got.contains(&"Resources: [TPL007] 501 resources, over the CloudFormation limit of 500; split the app into more stacks".to_string()), "{got:?}");
        assert!(got.iter().any(|g| g.starts_with("[TPL008] the template is")), "{got:?}");
    }
}
