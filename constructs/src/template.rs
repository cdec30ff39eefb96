//! The read model of a CloudFormation template, written once for every reader:
//! the integrity checks and the ElastiCache rules ([`crate::validate`]) and the
//! diff, cost and diagram reports ([`crate::insight`]).
//!
//! - [`Template`]: the sections, and every resource's type and properties read
//!   once, in template order ([`Template::resources`], [`Template::of_type`]).
//! - [`Lit`]: a value known at synth time, a literal or the `Default` of the
//!   parameter a `Ref` names ([`Template::resolve`]).
//! - [`Intrinsic`]: an intrinsic function's argument, parsed once in the shapes
//!   CloudFormation takes (or [`Intrinsic::Malformed`]).
//! - [`each_reference`] and [`any_reference`]: what a value refers to (`Ref`,
//!   `Fn::GetAtt`, the variables of `Fn::Sub`), as [`Reference`]s; and
//!   [`references`], the logical ids alone; [`each_import`], the exports a value
//!   imports. They and the integrity checks are
//!   readers of one template walk, which tells a visitor each [`Intrinsic`] and
//!   each [`Reference`].
//! - [`sub_variables`]: the one `Fn::Sub` parser; [`Template::dynamic_secrets`]:
//!   the secrets a `{{resolve:secretsmanager:...}}` dynamic reference copies.
//! - [`Template::replication_group_shape`]: the one reader of a replication
//!   group's shards and nodes (the rules' node limits, the cost report and
//!   `synth local`).
//!
//! Nothing here judges a template: a value of the wrong shape is skipped, so the
//! readers never panic whatever the input; [`crate::validate`] reports the shapes.
//!
//! ```
//! use redis_cdk::template::{Reference, Template};
//! use serde_json::json;
//!
//! let t = json!({
//!     "Parameters": {"Nodes": {"Type": "Number", "Default": 3}},
//!     "Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
//!         "Properties": {"NumCacheClusters": {"Ref": "Nodes"}}}},
//!     "Outputs": {"Url": {"Value": {"Fn::Sub": "rediss://${Cache.PrimaryEndPoint.Address}"}}},
//! });
//! let t = Template::new(&t, None).unwrap();
//! let (id, props) = t.of_type("AWS::ElastiCache::ReplicationGroup").next().unwrap();
//! assert_eq!(id, "Cache");
//! assert_eq!(t.replication_group_nodes(props), Ok(3));
//! let mut seen = Vec::new();
//! redis_cdk::template::each_reference(&t.outputs["Url"]["Value"], &mut "Url.Value".to_string(), &mut |r, path| {
//!     seen.push((r, path.to_string()));
//! });
//! assert_eq!(seen, [(Reference::GetAtt("Cache", "PrimaryEndPoint.Address"), "Url.Value".to_string())]);
//! ```

use serde_json::{Map, Value as J};
use std::collections::BTreeSet;
use std::sync::LazyLock;

static EMPTY: LazyLock<Map<String, J>> = LazyLock::new(Map::new);

/// A CloudFormation template as its readers see it: its sections, and each
/// resource's type and properties, read once.
#[derive(Debug, Clone)]
pub struct Template<'a> {
    /// The `Resources` section (empty when missing or not an object).
    pub resources: &'a Map<String, J>,
    /// The `Parameters` section (empty when missing or not an object).
    pub parameters: &'a Map<String, J>,
    /// The `Outputs` section (empty when missing or not an object).
    pub outputs: &'a Map<String, J>,
    /// The `Conditions` section (empty when missing or not an object).
    pub conditions: &'a Map<String, J>,
    /// The region the template is read for, when one is known.
    pub region: Option<&'a str>,
    entries: Vec<Resource<'a>>,
}

/// One entry of `Resources`, read.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    /// The logical id.
    pub id: &'a str,
    /// `Type`, when it is a string.
    pub ty: Option<&'a str>,
    /// `Properties`: empty when there are none, `None` when they are not an object.
    pub props: Option<&'a Map<String, J>>,
    /// The entry as written.
    pub entry: &'a J,
}

impl<'a> Template<'a> {
    /// Reads `template`; `None` when it is not a JSON object. `region` is the
    /// region it is read for (the rules check node types against it).
    pub fn new(template: &'a J, region: Option<&'a str>) -> Option<Self> {
        let top = template.as_object()?;
        let section = |name: &str| top.get(name).and_then(J::as_object).unwrap_or(&EMPTY);
        let resources = section("Resources");
        let entries = resources
            .iter()
            .map(|(id, entry)| Resource {
                id: id.as_str(),
                ty: entry.get("Type").and_then(J::as_str),
                props: props_of(entry),
                entry,
            })
            .collect();
        Some(Template {
            resources,
            parameters: section("Parameters"),
            outputs: section("Outputs"),
            conditions: section("Conditions"),
            region,
            entries,
        })
    }

    /// Every resource, in template order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource<'a>> + '_ {
        self.entries.iter()
    }

    /// The type of resource `id`.
    pub fn type_of(&self, id: &str) -> Option<&'a str> {
        self.resources.get(id)?.get("Type")?.as_str()
    }

    /// The properties of resource `id` (empty when it has none).
    pub fn props(&self, id: &str) -> Option<&'a Map<String, J>> {
        props_of(self.resources.get(id)?)
    }

    /// Every resource of type `ty` whose properties are an object, with them, in
    /// template order.
    pub fn of_type<'t>(&'t self, ty: &'t str) -> impl Iterator<Item = (&'a str, &'a Map<String, J>)> + 't {
        self.entries.iter().filter(move |r| r.ty == Some(ty)).filter_map(|r| Some((r.id, r.props?)))
    }

    /// A literal value, or a `Ref` to a parameter with a `Default` resolved to it.
    pub fn resolve(&self, v: &'a J) -> Option<Lit<'a>> {
        match v {
            J::String(_) | J::Number(_) | J::Bool(_) => Some(Lit { v, param: None }),
            J::Object(_) => {
                let Some(Intrinsic::Ref(name)) = Intrinsic::parse(v) else { return None };
                let default = self.parameters.get(name)?.get("Default")?;
                match default {
                    J::String(_) | J::Number(_) | J::Bool(_) => Some(Lit { v: default, param: Some(name) }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Property `key` of `props`, resolved.
    pub fn get(&self, props: &'a Map<String, J>, key: &str) -> Option<Lit<'a>> {
        self.resolve(props.get(key)?)
    }

    /// The resource a `Ref` or `Fn::GetAtt` points to, if it is one of this template.
    pub fn target(&self, v: &'a J) -> Option<&'a str> {
        let name = match Intrinsic::parse(v)? {
            Intrinsic::Ref(name) | Intrinsic::GetAtt { resource: name, .. } => name,
            _ => return None,
        };
        let (key, _) = self.resources.get_key_value(name)?;
        Some(key.as_str())
    }

    /// The nodes of a replication group with properties `p`, as
    /// [`Template::replication_group_shape`] reads them.
    pub fn replication_group_nodes(&self, p: &'a Map<String, J>) -> Result<u64, &'static str> {
        self.replication_group_shape(p).map(|s| s.nodes)
    }

    /// The shape of a replication group with properties `p`, as the
    /// CreateReplicationGroup API reference defines it: `NumCacheClusters` nodes
    /// in one shard; or one shard per `NodeGroupConfiguration` group, each of one
    /// primary and its `ReplicaCount` (default `ReplicasPerNodeGroup`), unless
    /// `NumNodeGroups` is given beside a single group; or `NumNodeGroups` (default
    /// one) shards of one primary and `ReplicasPerNodeGroup` (default 0). The error
    /// says why the shape is not known at synth time.
    ///
    /// ```
    /// use redis_cdk::template::{GroupShape, Template};
    /// use serde_json::json;
    ///
    /// let t = json!({"Resources": {"Rg": {"Type": "AWS::ElastiCache::ReplicationGroup",
    ///     "Properties": {"NumNodeGroups": 3, "ReplicasPerNodeGroup": "2"}}}});
    /// let t = Template::new(&t, None).unwrap();
    /// let shape = t.replication_group_shape(t.props("Rg").unwrap());
    /// assert_eq!(shape, Ok(GroupShape { shards: 3, replicas: 2, nodes: 9 }));
    /// ```
    pub fn replication_group_shape(&self, p: &'a Map<String, J>) -> Result<GroupShape, &'static str> {
        const UNKNOWN: &str = "the node count is not known at synth time";
        let count = |v: &'a J| self.resolve(v).and_then(|l| l.count()).ok_or(UNKNOWN);
        if let Some(v) = p.get("NumCacheClusters") {
            let nodes = count(v)?;
            return Ok(GroupShape { shards: 1, replicas: nodes.saturating_sub(1), nodes });
        }
        let replicas = p.get("ReplicasPerNodeGroup").map(count).transpose();
        if let Some(J::Array(groups)) = p.get("NodeGroupConfiguration") {
            if !p.contains_key("NumNodeGroups") || groups.len() > 1 {
                let mut shape = GroupShape { shards: groups.len() as u64, replicas: 0, nodes: 0 };
                for g in groups {
                    let r = match g.get("ReplicaCount") {
                        Some(v) => count(v).map_err(|_| "ReplicaCount is not known")?,
                        None => replicas?.unwrap_or(0),
                    };
                    shape.replicas = shape.replicas.max(r);
                    shape.nodes = shape.nodes.saturating_add(r.saturating_add(1));
                }
                return Ok(shape);
            }
        }
        if let Some(shards) = p.get("NumNodeGroups") {
            let shards = count(shards)?;
            let r = replicas?.unwrap_or(0);
            return Ok(GroupShape { shards, replicas: r, nodes: shards.saturating_mul(r.saturating_add(1)) });
        }
        if let Some(r) = replicas? {
            return Ok(GroupShape { shards: 1, replicas: r, nodes: r.saturating_add(1) });
        }
        if p.contains_key("PrimaryClusterId") || p.contains_key("GlobalReplicationGroupId") {
            return Err("built from an existing cluster: its nodes are priced there");
        }
        Err("no node count (NumCacheClusters or NumNodeGroups) is set")
    }
}

/// A replication group's shards and nodes ([`Template::replication_group_shape`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupShape {
    /// Shards (node groups).
    pub shards: u64,
    /// Replicas of the shard that has the most.
    pub replicas: u64,
    /// Nodes in all: primaries and replicas.
    pub nodes: u64,
}

/// A resource entry's `Properties`: empty when it has none, `None` when they are
/// not an object.
fn props_of(entry: &J) -> Option<&Map<String, J>> {
    match entry.get("Properties") {
        None => Some(&EMPTY),
        Some(p) => p.as_object(),
    }
}

/// A value known at synth time: a literal, or the default of the parameter it refers to.
#[derive(Debug, Clone, Copy)]
pub struct Lit<'a> {
    /// The value.
    pub v: &'a J,
    /// The parameter whose default this is, if it came through a `Ref`.
    pub param: Option<&'a str>,
}

impl Lit<'_> {
    /// The value as text (numbers and booleans too).
    pub fn text(&self) -> String {
        match self.v {
            J::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The value as a string, if it is one.
    pub fn str(&self) -> Option<&str> {
        self.v.as_str()
    }

    /// The value as an integer: a JSON integer or a string holding one.
    pub fn int(&self) -> Option<i64> {
        match self.v {
            J::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            J::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a count: a whole number (or numeric string) that is not negative.
    pub fn count(&self) -> Option<u64> {
        self.int().and_then(|n| u64::try_from(n).ok())
    }

    /// The value as a boolean: a JSON boolean or `"true"`/`"false"`.
    pub fn bool(&self) -> Option<bool> {
        match self.v {
            J::Bool(b) => Some(*b),
            J::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            J::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The value for a message: `'text'` or `7`, with the parameter it came from.
    pub fn show(&self) -> String {
        let v = match self.v {
            J::String(s) => format!("'{s}'"),
            other => other.to_string(),
        };
        match self.param {
            Some(p) => format!("{v} (the default of parameter {p})"),
            None => v,
        }
    }
}

/// What a value refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference<'a> {
    /// `{"Ref": name}`, or `${name}` in a `Fn::Sub` string: a resource, a
    /// parameter or a pseudo parameter (`AWS::Region`).
    Ref(&'a str),
    /// `{"Fn::GetAtt": [resource, attribute]}` (or `"resource.attribute"`), or
    /// `${resource.attribute}` in a `Fn::Sub` string. The attribute is empty when
    /// the `Fn::GetAtt` names none.
    GetAtt(&'a str, &'a str),
}

impl<'a> Reference<'a> {
    /// The logical id (or parameter name) referred to.
    pub fn target(&self) -> &'a str {
        match *self {
            Reference::Ref(name) | Reference::GetAtt(name, _) => name,
        }
    }
}

/// Calls `f(reference, path)` for every [`Reference`] inside `v`, where `path` is
/// `path` extended to the intrinsic (a reused buffer: each level appends its
/// segment and cuts it back, so the walk builds no path string).
///
/// A `Fn::Sub` variable its own variable map defines refers to nothing of the
/// template; the values of that map are walked (at `….Fn::Sub.1.name`). The
/// attribute of a `Fn::GetAtt` written as a function is walked too. A function
/// whose argument CloudFormation refuses ([`Intrinsic::Malformed`]) refers to
/// nothing; [`crate::validate`] reports it.
pub fn each_reference<'a>(v: &'a J, path: &mut String, f: &mut dyn FnMut(Reference<'a>, &str)) {
    let _ = walk(
        v,
        path,
        &mut OnReference(|r, p: &String| {
            f(r, p);
            false
        }),
    );
}

/// Whether `hit` holds for some [`Reference`] inside `v`: the walk of
/// [`each_reference`] without locations, stopping at the first hit, so a rule can
/// ask first and build paths only for a template that has a finding.
pub fn any_reference<'a>(v: &'a J, hit: &mut dyn FnMut(Reference<'a>) -> bool) -> bool {
    walk(v, &mut NoTrail, &mut OnReference(|r, _: &NoTrail| hit(r)))
}

/// The logical ids (and parameter names) `v` refers to, pseudo parameters left out.
pub fn references(v: &J, out: &mut BTreeSet<String>) {
    any_reference(v, &mut |r| {
        let name = r.target();
        if !name.starts_with("AWS::") && !out.contains(name) {
            out.insert(name.to_string());
        }
        false
    });
}

/// An intrinsic function, its argument read once for every walk in the shapes
/// CloudFormation takes (the intrinsic function reference of the CloudFormation
/// User Guide; cfn-lint's E1028 also holds `Fn::If` to exactly three items, and
/// E1019 `Fn::Sub` to a string, a string and a map, or a `Fn::Transform`).
///
/// ```
/// use redis_cdk::template::{Attribute, Intrinsic};
/// use serde_json::json;
///
/// let v = json!({"Fn::GetAtt": "Cache.PrimaryEndPoint.Address"});
/// assert!(matches!(
///     Intrinsic::parse(&v),
///     Some(Intrinsic::GetAtt { resource: "Cache", attribute: Attribute::Name("PrimaryEndPoint.Address") })
/// ));
/// let v = json!({"Fn::Sub": ["${A}", "not a map"]});
/// assert!(matches!(Intrinsic::parse(&v), Some(Intrinsic::Malformed("Fn::Sub", _))));
/// assert!(Intrinsic::parse(&json!({"Port": 6379})).is_none());
/// ```
#[derive(Debug, Clone, Copy)]
pub enum Intrinsic<'a> {
    /// `{"Ref": name}`.
    Ref(&'a str),
    /// `{"Fn::GetAtt": [resource, attribute]}`, or `"resource.attribute"`.
    GetAtt {
        /// The logical id.
        resource: &'a str,
        /// The attribute.
        attribute: Attribute<'a>,
    },
    /// `{"Fn::Sub": text}`, or `[text, {name: value}]`.
    Sub {
        /// The text, whose `${...}` are [`sub_variables`].
        text: &'a str,
        /// The variable map, when one is given.
        variables: Option<&'a Map<String, J>>,
    },
    /// `{"Fn::If": [condition, value if true, value if false]}`.
    If {
        /// The condition's name as written (a string, when well formed).
        condition: &'a J,
        /// The two values.
        branches: &'a [J],
    },
    /// Another function (`Fn::Join`, `Fn::Select`, …), `{"Condition": name}`, or a
    /// `Fn::Sub` whose whole argument is a `Fn::Transform` (a macro writes it at
    /// deploy time): the key and its argument, which a walk reads as any other value.
    Other(&'a str, &'a J),
    /// `Ref`, `Fn::GetAtt`, `Fn::Sub` or `Fn::If` with an argument CloudFormation
    /// refuses: the key and the argument. It refers to nothing.
    Malformed(&'static str, &'a J),
}

/// The attribute of a [`Intrinsic::GetAtt`].
#[derive(Debug, Clone, Copy)]
pub enum Attribute<'a> {
    /// Named by a string.
    Name(&'a str),
    /// Given by a function (`{"Ref": "AttributeParameter"}`).
    Computed(&'a J),
}

impl<'a> Intrinsic<'a> {
    /// The intrinsic function `v` is, when it is an object of one key that is
    /// `Ref`, `Condition` or `Fn::…`.
    #[inline(always)]
    pub fn parse(v: &'a J) -> Option<Self> {
        let J::Object(m) = v else { return None };
        if m.len() != 1 {
            return None;
        }
        let (key, arg) = m.iter().next().expect("one entry");
        Some(match key.as_str() {
            "Ref" => match arg {
                J::String(name) => Intrinsic::Ref(name),
                _ => Intrinsic::Malformed("Ref", arg),
            },
            "Fn::GetAtt" => {
                // the attribute is a non-empty name, or a function that gives one
                let parts = match arg {
                    J::String(s) => {
                        s.split_once('.').filter(|(_, a)| !a.is_empty()).map(|(r, a)| (r, Attribute::Name(a)))
                    }
                    J::Array(a) if a.len() == 2 => match (&a[0], &a[1]) {
                        (J::String(r), J::String(attr)) if !attr.is_empty() => {
                            Some((r.as_str(), Attribute::Name(attr)))
                        }
                        (J::String(r), attr) if attr.is_object() && Intrinsic::parse(attr).is_some() => {
                            Some((r.as_str(), Attribute::Computed(attr)))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                match parts {
                    Some((resource, attribute)) => Intrinsic::GetAtt { resource, attribute },
                    None => Intrinsic::Malformed("Fn::GetAtt", arg),
                }
            }
            "Fn::Sub" => match arg {
                J::String(text) => Intrinsic::Sub { text, variables: None },
                J::Array(a) if a.len() == 2 => match (&a[0], &a[1]) {
                    (J::String(text), J::Object(vars)) => Intrinsic::Sub { text, variables: Some(vars) },
                    _ => Intrinsic::Malformed("Fn::Sub", arg),
                },
                // a macro (AWS::Include) writes the argument at deploy time (cfn-lint E1019)
                J::Object(m) if m.len() == 1 && m.contains_key("Fn::Transform") => Intrinsic::Other("Fn::Sub", arg),
                _ => Intrinsic::Malformed("Fn::Sub", arg),
            },
            "Fn::If" => match arg {
                J::Array(a) if a.len() == 3 => Intrinsic::If { condition: &a[0], branches: &a[1..] },
                _ => Intrinsic::Malformed("Fn::If", arg),
            },
            k if k == "Condition" || k.starts_with("Fn::") => Intrinsic::Other(k, arg),
            _ => return None,
        })
    }
}

/// What a walk tells its reader.
pub(crate) trait Visit<'a, T> {
    /// At an intrinsic function, before its arguments: whether to walk on into
    /// them (by default, yes). False skips the function whole: the references it
    /// makes (a `Ref`, a `Fn::GetAtt`, the variables of a `Fn::Sub`) are not told
    /// either.
    #[inline(always)]
    fn function(&mut self, _f: &Intrinsic<'a>, _at: &T) -> bool {
        true
    }

    /// A reference; `sub` is the variable as written when it is one of a
    /// `Fn::Sub` text. True stops the walk (by default, references are passed by).
    #[inline(always)]
    fn reference(&mut self, _r: Reference<'a>, _sub: Option<&'a str>, _at: &T) -> bool {
        false
    }

    /// A string value (not the argument of a `Ref`, `Fn::GetAtt` or `Fn::Sub`,
    /// nor the condition of a `Fn::If`, which [`Visit::function`] sees). True
    /// stops the walk.
    #[inline(always)]
    fn text(&mut self, _s: &'a str, _at: &T) -> bool {
        false
    }
}

/// A visitor that only wants references, as a closure.
struct OnReference<F>(F);

impl<'a, T, F: FnMut(Reference<'a>, &T) -> bool> Visit<'a, T> for OnReference<F> {
    #[inline(always)]
    fn reference(&mut self, r: Reference<'a>, _sub: Option<&'a str>, at: &T) -> bool {
        (self.0)(r, at)
    }
}

/// Where a walk is: a path string, or nothing when the caller needs no location.
pub(crate) trait Trail {
    fn mark(&self) -> usize;
    fn key(&mut self, k: &str);
    fn index(&mut self, i: usize);
    fn cut(&mut self, mark: usize);
}

impl Trail for String {
    #[inline]
    fn mark(&self) -> usize {
        self.len()
    }
    #[inline]
    fn key(&mut self, k: &str) {
        push_key(self, k);
    }
    #[inline]
    fn index(&mut self, i: usize) {
        push_index(self, i);
    }
    #[inline]
    fn cut(&mut self, mark: usize) {
        self.truncate(mark);
    }
}

/// The trail of a walk without locations.
pub(crate) struct NoTrail;

impl Trail for NoTrail {
    #[inline(always)]
    fn mark(&self) -> usize {
        0
    }
    #[inline(always)]
    fn key(&mut self, _: &str) {}
    #[inline(always)]
    fn index(&mut self, _: usize) {}
    #[inline(always)]
    fn cut(&mut self, _: usize) {}
}

/// The one template walk: every value of `v`, every [`Intrinsic`] told to
/// `visit.function` and every [`Reference`] to `visit.reference`, in document
/// order. A `Fn::Sub` variable its own map defines refers to nothing; the map's
/// values are walked (at `….Fn::Sub.1.name`), and so is a computed `Fn::GetAtt`
/// attribute (at `….Fn::GetAtt.1`). Returns true when the visitor stopped it.
pub(crate) fn walk<'a, T: Trail>(v: &'a J, trail: &mut T, visit: &mut impl Visit<'a, T>) -> bool {
    fn under<'a, T: Trail>(
        trail: &mut T,
        step: impl FnOnce(&mut T),
        item: &'a J,
        visit: &mut impl Visit<'a, T>,
    ) -> bool {
        let mark = trail.mark();
        step(trail);
        let stop = walk(item, trail, visit);
        trail.cut(mark);
        stop
    }
    match v {
        J::Array(items) => items.iter().enumerate().any(|(i, item)| under(trail, |t| t.index(i), item, visit)),
        J::Object(m) => {
            let Some(f) = Intrinsic::parse(v) else {
                return m.iter().any(|(k, item)| under(trail, |t| t.key(k), item, visit));
            };
            if !visit.function(&f, trail) {
                return false;
            }
            match f {
                Intrinsic::Ref(name) => visit.reference(Reference::Ref(name), None, trail),
                Intrinsic::GetAtt { resource, attribute: Attribute::Name(a) } => {
                    visit.reference(Reference::GetAtt(resource, a), None, trail)
                }
                Intrinsic::GetAtt { resource, attribute: Attribute::Computed(a) } => {
                    visit.reference(Reference::GetAtt(resource, ""), None, trail)
                        || under(
                            trail,
                            |t| {
                                t.key("Fn::GetAtt");
                                t.index(1)
                            },
                            a,
                            visit,
                        )
                }
                Intrinsic::Sub { text, variables } => {
                    sub_variables(text).any(|var| {
                        if variables.is_some_and(|m| m.contains_key(var)) {
                            return false;
                        }
                        let r = match var.split_once('.') {
                            Some((res, attr)) => Reference::GetAtt(res, attr),
                            None => Reference::Ref(var),
                        };
                        visit.reference(r, Some(var), trail)
                    }) || variables.is_some_and(|m| {
                        m.iter().any(|(k, item)| {
                            under(
                                trail,
                                |t| {
                                    t.key("Fn::Sub");
                                    t.index(1);
                                    t.key(k)
                                },
                                item,
                                visit,
                            )
                        })
                    })
                }
                Intrinsic::If { branches, .. } => branches.iter().enumerate().any(|(i, b)| {
                    under(
                        trail,
                        |t| {
                            t.key("Fn::If");
                            t.index(i + 1)
                        },
                        b,
                        visit,
                    )
                }),
                Intrinsic::Other(k, arg) => under(trail, |t| t.key(k), arg, visit),
                Intrinsic::Malformed(..) => false,
            }
        }
        J::String(s) => visit.text(s, trail),
        _ => false,
    }
}

/// Calls `f(name)` for every `{"Fn::ImportValue": name}` inside `v` whose export
/// name is a literal, in document order (the one walk, told each function).
pub fn each_import<'a>(v: &'a J, f: &mut dyn FnMut(&'a str)) {
    struct Imports<'f, 'a>(&'f mut dyn FnMut(&'a str));
    impl<'a> Visit<'a, NoTrail> for Imports<'_, 'a> {
        fn function(&mut self, f: &Intrinsic<'a>, _: &NoTrail) -> bool {
            if let Intrinsic::Other("Fn::ImportValue", J::String(name)) = *f {
                (self.0)(name);
            }
            true
        }
    }
    let _ = walk(v, &mut NoTrail, &mut Imports(f));
}

/// The opening of a Secrets Manager dynamic reference.
pub const DYNAMIC_SECRET: &str = "{{resolve:secretsmanager:";

/// What a `{{resolve:secretsmanager:...}}` dynamic reference names its secret by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretRef<'a> {
    /// A resource of the template: `${Id}` in a `Fn::Sub` (or a variable of its
    /// map that refers to one), or a `Ref`/`Fn::GetAtt` right after the
    /// reference's opening in a `Fn::Join`.
    Id(&'a str),
    /// A literal name or ARN.
    Literal(&'a str),
}

impl<'a> Template<'a> {
    /// Every secret whose value a dynamic reference inside `v` copies at deploy
    /// time, in document order.
    ///
    /// ```
    /// use redis_cdk::template::{SecretRef, Template};
    /// use serde_json::json;
    ///
    /// let t = json!({"Resources": {"Token": {"Type": "AWS::SecretsManager::Secret"}}});
    /// let t = Template::new(&t, None).unwrap();
    /// let v = json!([
    ///     {"Fn::Sub": "{{resolve:secretsmanager:${Token}:SecretString:token}}"},
    ///     {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "Token"}, ":SecretString:token}}"]]},
    ///     "{{resolve:secretsmanager:prod/redis:SecretString:token}}",
    /// ]);
    /// assert_eq!(t.dynamic_secrets(&v), [
    ///     SecretRef::Id("Token"), SecretRef::Id("Token"), SecretRef::Literal("prod/redis"),
    /// ]);
    /// ```
    pub fn dynamic_secrets(&self, v: &'a J) -> Vec<SecretRef<'a>> {
        struct Secrets<'t, 'a> {
            t: &'t Template<'a>,
            out: Vec<SecretRef<'a>>,
        }
        impl<'a> Secrets<'_, 'a> {
            fn in_text(&mut self, text: &'a str, vars: Option<&'a Map<String, J>>) {
                for (i, _) in text.match_indices(DYNAMIC_SECRET) {
                    let rest = &text[i + DYNAMIC_SECRET.len()..];
                    if let Some(var) = rest.strip_prefix("${").and_then(|r| r.split_once('}')).map(|(v, _)| v.trim()) {
                        let id = match vars.and_then(|m| m.get(var)) {
                            Some(x) => self.t.target(x),
                            None => Some(var.split('.').next().unwrap_or(var)),
                        };
                        self.out.extend(id.map(SecretRef::Id));
                    } else if !rest.is_empty() {
                        self.out.push(SecretRef::Literal(secret_id_at(rest)));
                    }
                }
            }
        }
        impl<'a> Visit<'a, NoTrail> for Secrets<'_, 'a> {
            fn function(&mut self, f: &Intrinsic<'a>, _: &NoTrail) -> bool {
                match *f {
                    Intrinsic::Sub { text, variables } => self.in_text(text, variables),
                    // a part that ends with the opening, then the secret's Ref or GetAtt
                    Intrinsic::Other("Fn::Join", arg) => {
                        let parts = arg.get(1).and_then(J::as_array).map_or(&[][..], Vec::as_slice);
                        for (i, part) in parts.iter().enumerate() {
                            if part.as_str().is_some_and(|s| s.ends_with(DYNAMIC_SECRET)) {
                                self.out
                                    .extend(parts.get(i + 1).and_then(|next| self.t.target(next)).map(SecretRef::Id));
                            }
                        }
                    }
                    _ => {}
                }
                true
            }
            fn text(&mut self, s: &'a str, _: &NoTrail) -> bool {
                self.in_text(s, None);
                false
            }
        }
        let mut secrets = Secrets { t: self, out: Vec::new() };
        let _ = walk(v, &mut NoTrail, &mut secrets);
        secrets.out
    }
}

/// The secret id that opens `rest` (the text after `{{resolve:secretsmanager:`): an
/// ARN (`arn:...:secret:name`), or a name up to the next `:` or `}`.
fn secret_id_at(rest: &str) -> &str {
    let end = if rest.starts_with("arn:") {
        // arn:partition:secretsmanager:region:account:secret:name, then :SecretString...
        rest.match_indices(':').nth(6).map_or(rest.len(), |(i, _)| i)
    } else {
        rest.find([':', '}']).unwrap_or(rest.len())
    };
    let id = &rest[..end];
    id.find('}').map_or(id, |i| &id[..i])
}

/// Runs `walk` with `path` extended by what `segment` appends, then cuts `path`
/// back: how the template walks share one path buffer, building no path string
/// unless a finding needs it.
#[inline(always)]
pub(crate) fn below<R>(path: &mut String, segment: impl FnOnce(&mut String), walk: impl FnOnce(&mut String) -> R) -> R {
    let len = path.len();
    segment(path);
    let r = walk(path);
    path.truncate(len);
    r
}

/// Appends the object key `k` to a location path, after a `.` unless the path is empty.
#[inline]
pub(crate) fn push_key(path: &mut String, k: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(k);
}

/// Appends `.i` to a location path (walks call it at every list item, so the
/// common one-digit index skips the formatting machinery).
pub(crate) fn push_index(path: &mut String, i: usize) {
    path.push('.');
    if i < 10 {
        path.push(char::from(b'0' + i as u8));
    } else {
        use std::fmt::Write;
        let _ = write!(path, "{i}");
    }
}

/// The `${...}` variables of a `Fn::Sub` string, trimmed, skipping `${!literal}`,
/// one by one (the walks call it at every `Fn::Sub`, so it builds no list).
///
/// ```
/// let vars: Vec<&str> = redis_cdk::template::sub_variables("${A}:${B.Port}/${!C}").collect();
/// assert_eq!(vars, ["A", "B.Port"]);
/// ```
pub fn sub_variables(s: &str) -> SubVariables<'_> {
    SubVariables { rest: s }
}

/// The iterator of [`sub_variables`].
#[derive(Debug, Clone)]
pub struct SubVariables<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SubVariables<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let start = self.rest.find("${")?;
            let after = &self.rest[start + 2..];
            let Some(end) = after.find('}') else {
                self.rest = "";
                return None;
            };
            let name = after[..end].trim();
            self.rest = &after[end + 1..];
            if !name.starts_with('!') && !name.is_empty() {
                return Some(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameter_defaults_resolve() {
        let t = json!({"Parameters": {"P": {"Type": "Number", "Default": 3}, "Q": {"Type": "String"}},
                       "Resources": {"A": {"Type": "X", "Properties": {"N": {"Ref": "P"}, "M": {"Ref": "Q"}, "L": "5"}}}});
        let tpl = Template::new(&t, None).unwrap();
        let props = tpl.props("A").unwrap();
        assert_eq!(tpl.get(props, "N").unwrap().show(), "3 (the default of parameter P)");
        assert!(tpl.get(props, "M").is_none());
        assert_eq!(tpl.get(props, "L").unwrap().int(), Some(5));
    }

    #[test]
    fn resources_are_read_once_in_order() {
        let t = json!({"Resources": {
            "B": {"Type": "T::B"}, "A": {"Type": "T::A", "Properties": {"X": 1}},
            "C": {"Type": "T::A", "Properties": []}, "D": {"Properties": {}}, "E": 7}});
        let tpl = Template::new(&t, None).unwrap();
        let read: Vec<_> = tpl.resources().map(|r| (r.id, r.ty, r.props.map(Map::len))).collect();
        assert_eq!(
            read,
            [
                ("B", Some("T::B"), Some(0)),
                ("A", Some("T::A"), Some(1)),
                ("C", Some("T::A"), None),
                ("D", None, Some(0)),
                ("E", None, Some(0))
            ]
        );
        // C's properties are not an object: of_type leaves it out
        assert_eq!(tpl.of_type("T::A").map(|(id, _)| id).collect::<Vec<_>>(), ["A"]);
        assert!(Template::new(&json!([]), None).is_none());
    }

    #[test]
    fn references_are_found_with_their_paths() {
        let v = json!({
            "A": {"Fn::Sub": "${R.PrimaryEndPoint.Address}:${P}:${AWS::Region}:${!Literal}"},
            "B": [{"Fn::GetAtt": ["S", "Arn"]}, {"Fn::GetAtt": "T.X.Y"}, {"Ref": "U"}],
            "C": {"Fn::Sub": ["${Own}-${V}", {"Own": {"Ref": "W"}}]},
            "D": {"Fn::GetAtt": ["X", {"Ref": "AttrName"}]},
            "E": {"Fn::If": ["Cond", {"Ref": "Y"}, {"Ref": "AWS::NoValue"}]},
        });
        let mut seen = Vec::new();
        each_reference(&v, &mut "Value".to_string(), &mut |r, p| seen.push(format!("{p} {r:?}")));
        assert_eq!(
            seen,
            [
                "Value.A GetAtt(\"R\", \"PrimaryEndPoint.Address\")",
                "Value.A Ref(\"P\")",
                "Value.A Ref(\"AWS::Region\")",
                "Value.B.0 GetAtt(\"S\", \"Arn\")",
                "Value.B.1 GetAtt(\"T\", \"X.Y\")",
                "Value.B.2 Ref(\"U\")",
                "Value.C Ref(\"V\")",
                "Value.C.Fn::Sub.1.Own Ref(\"W\")",
                "Value.D GetAtt(\"X\", \"\")",
                "Value.D.Fn::GetAtt.1 Ref(\"AttrName\")",
                "Value.E.Fn::If.1 Ref(\"Y\")",
                "Value.E.Fn::If.2 Ref(\"AWS::NoValue\")",
            ]
        );
        let mut ids = BTreeSet::new();
        references(&v, &mut ids);
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["AttrName", "P", "R", "S", "T", "U", "V", "W", "X", "Y"]);
        // any_reference stops at the first hit
        let mut asked = 0;
        assert!(any_reference(&v, &mut |r| {
            asked += 1;
            r.target() == "P"
        }));
        assert_eq!(asked, 2);
    }

    #[test]
    fn node_counts_follow_the_api() {
        let t = json!({"Parameters": {"N": {"Type": "Number", "Default": "4"}}, "Resources": {}});
        let t = Template::new(&t, None).unwrap();
        let nodes = |p: J| {
            let p: &'static J = Box::leak(Box::new(p));
            t.replication_group_nodes(p.as_object().unwrap())
        };
        assert_eq!(nodes(json!({"NumCacheClusters": {"Ref": "N"}})), Ok(4));
        assert_eq!(nodes(json!({"NumNodeGroups": 3, "ReplicasPerNodeGroup": 2})), Ok(9));
        assert_eq!(nodes(json!({"NumNodeGroups": 2})), Ok(2));
        assert_eq!(nodes(json!({"ReplicasPerNodeGroup": 2})), Ok(3));
        assert_eq!(
            nodes(json!({"ReplicasPerNodeGroup": 1, "NodeGroupConfiguration": [{"ReplicaCount": 2}, {}]})),
            Ok(5)
        );
        // NumNodeGroups beside a single group configuration: the count of groups wins
        assert_eq!(nodes(json!({"NumNodeGroups": 3, "NodeGroupConfiguration": [{"ReplicaCount": 2}]})), Ok(3));
        assert_eq!(nodes(json!({"NumNodeGroups": u64::MAX, "ReplicasPerNodeGroup": 5})), Ok(u64::MAX));
        assert_eq!(
            nodes(json!({"NumCacheClusters": {"Fn::If": ["C", 1, 2]}})),
            Err("the node count is not known at synth time")
        );
        assert_eq!(nodes(json!({"NumCacheClusters": -1})), Err("the node count is not known at synth time"));
        assert_eq!(
            nodes(json!({"NodeGroupConfiguration": [{"ReplicaCount": {"Ref": "X"}}]})),
            Err("ReplicaCount is not known")
        );
        assert_eq!(
            nodes(json!({"PrimaryClusterId": "c"})),
            Err("built from an existing cluster: its nodes are priced there")
        );
        assert_eq!(nodes(json!({})), Err("no node count (NumCacheClusters or NumNodeGroups) is set"));
    }

    #[test]
    fn sub_variables_skip_literals_and_blanks() {
        assert_eq!(sub_variables("${ A }${}${!B}${C").collect::<Vec<_>>(), ["A"]);
    }

    #[test]
    fn sub_variables_skip_literals() {
        assert_eq!(sub_variables("${A}-${!B}-${C.D}").collect::<Vec<_>>(), vec!["A", "C.D"]);
        assert_eq!(sub_variables("${unterminated").collect::<Vec<_>>(), Vec::<&str>::new());
        assert_eq!(sub_variables("${ A }${}${!x}tail").collect::<Vec<_>>(), vec!["A"]);
    }

    #[test]
    fn malformed_functions_refer_to_nothing_and_if_walks_its_branches() {
        let v = json!({"A": {"Fn::GetAtt": "NoAttribute"}, "B": {"Fn::Sub": ["${X}", "not a map"]},
                       "C": {"Fn::If": ["Cond", {"Ref": "Yes"}, {"Fn::GetAtt": ["R", {"Ref": "Attr"}]}]},
                       "D": {"Fn::If": ["Cond", {"Ref": "TwoArgumentsOnly"}]}});
        let mut seen = Vec::new();
        each_reference(&v, &mut String::new(), &mut |r, p| seen.push((r, p.to_string())));
        assert_eq!(
            seen,
            [
                (Reference::Ref("Yes"), "C.Fn::If.1".to_string()),
                (Reference::GetAtt("R", ""), "C.Fn::If.2".to_string()),
                (Reference::Ref("Attr"), "C.Fn::If.2.Fn::GetAtt.1".to_string()),
            ]
        );
    }

    #[test]
    fn secret_ids_are_read_whole() {
        assert_eq!(secret_id_at("app:SecretString:p}}"), "app");
        assert_eq!(secret_id_at("app}}"), "app");
        assert_eq!(
            secret_id_at("arn:aws:secretsmanager:eu-west-1:123:secret:a-b-XyZ123:SecretString:p}}"),
            "arn:aws:secretsmanager:eu-west-1:123:secret:a-b-XyZ123"
        );
        assert_eq!(
            secret_id_at("arn:aws:secretsmanager:eu-west-1:123:secret:a}}"),
            "arn:aws:secretsmanager:eu-west-1:123:secret:a"
        );
        assert_eq!(secret_id_at(""), "");
    }

    #[test]
    fn imports_are_the_literal_export_names_of_fn_import_value() {
        let v = json!({"A": {"Fn::ImportValue": "Net-VpcId"}, "B": [{"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-X"}}],
                       "C": {"Fn::ImportValue": "Two", "Other": 1}});
        let mut seen = Vec::new();
        each_import(&v, &mut |name| seen.push(name));
        assert_eq!(seen, ["Net-VpcId"]);
    }
}
