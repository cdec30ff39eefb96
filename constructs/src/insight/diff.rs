//! What a deploy would change: two templates compared resource by resource, with
//! every replacement flagged and the replacements that lose data called out.
//!
//! CloudFormation replaces a resource when a create-only property changes (from
//! the shipped provider schemas, [`crate::cfn::type_spec`]), when its type
//! changes, and when its logical ID changes (the old one is deleted, a new one
//! created). A replaced cache starts empty; a replaced secret has a new value; a
//! replaced KMS key cannot decrypt what the old one encrypted.
//!
//! ```
//! use redis_cdk::insight::diff_templates;
//! use serde_json::json;
//!
//! let old = json!({"Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
//!     "Properties": {"AtRestEncryptionEnabled": true}}}});
//! let new = json!({"Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
//!     "Properties": {"AtRestEncryptionEnabled": false}}}});
//! let diff = diff_templates(&old, &new);
//! assert!(diff.has_replacement());
//! assert!(diff.resources[0].data_loss.is_some());
//! ```

use crate::cfn::type_spec;
use crate::template::{references, sub_variables, Attribute, Intrinsic};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

/// Resource types that hold data, and what a replacement or deletion loses.
pub const DATA_HOLDERS: &[(&str, &str)] = &[
    ("AWS::ElastiCache::CacheCluster", "cached data"),
    ("AWS::ElastiCache::ReplicationGroup", "cached data"),
    ("AWS::ElastiCache::ServerlessCache", "cached data"),
    ("AWS::KMS::Key", "the key: data encrypted with it can no longer be decrypted"),
    ("AWS::Logs::LogGroup", "logs"),
    ("AWS::SecretsManager::Secret", "the secret value: a new one is generated"),
];

/// In-place updates that interrupt or take long: type, property, note.
///
/// Sources: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html>,
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Modifying.html>,
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable-existing.html>
pub const UPDATE_NOTES: &[(&str, &str, &str)] = &[
    (RG, "CacheNodeType", "in place: online vertical scaling, may take minutes to hours"),
    (RG, "CacheParameterGroupName", "in place: parameter group swap, static parameters apply only after a reboot"),
    (RG, "Engine", "in place: engine switch, may take minutes"),
    (RG, "EngineVersion", "in place: engine upgrade, nodes may reboot one at a time"),
    (RG, "NumCacheClusters", "in place: replicas added or removed, may take minutes"),
    (RG, "NumNodeGroups", "in place: online resharding, may take minutes to hours"),
    (RG, "TransitEncryptionEnabled", "in place from 7.0.5 via TransitEncryptionMode preferred; clients may disconnect"),
    (RG, "TransitEncryptionMode", "in place: go preferred, then required in a later deploy; clients may disconnect"),
    (RG, "AuthToken", "in place: AUTH token rotation, clients need the new token"),
    (RG, "UserGroupIds", "moving from AuthToken to UserGroupIds may replace the group (coverage-roadmap #2356)"),
    (CC, "CacheNodeType", "in place: the node is resized, may take minutes"),
    (CC, "EngineVersion", "in place: engine upgrade, the node may reboot"),
    (CC, "CacheParameterGroupName", "in place: static parameters apply only after a reboot"),
    ("AWS::ElastiCache::ParameterGroup", "Properties", "in place: static parameters apply only after a reboot"),
    ("AWS::ElastiCache::ServerlessCache", "MajorEngineVersion", "in place: engine upgrade, may take minutes"),
    ("AWS::SecretsManager::Secret", "GenerateSecretString", "in place: a new secret value is generated"),
];

const RG: &str = "AWS::ElastiCache::ReplicationGroup";
const CC: &str = "AWS::ElastiCache::CacheCluster";
const RESOURCE_ATTRIBUTES: &[&str] =
    &["Condition", "DeletionPolicy", "DependsOn", "Metadata", "UpdatePolicy", "UpdateReplacePolicy"];
/// Below this share of equal properties, a removed and an added resource are not
/// taken for one that moved.
const MOVE_SIMILARITY: f64 = 0.5;

/// The difference between two templates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateDiff {
    /// Resources added, removed, changed or moved, in the new template's order
    /// (removed ones last).
    pub resources: Vec<ResourceDiff>,
    /// Parameters added, removed or changed.
    pub parameters: Vec<EntryDiff>,
    /// Outputs added, removed or changed.
    pub outputs: Vec<EntryDiff>,
    /// Everything else: `Description`, `Conditions.<name>`, `Mappings.<name>`, ...
    pub other: Vec<EntryDiff>,
}

/// What happened to a resource or an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the old template: deleted on deploy.
    Removed,
    /// In both, with differences.
    Modified,
    /// Its logical ID changed: the old resource is deleted and a new one created.
    Moved,
}

/// How a property change is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Effect {
    /// Updated in place, no interruption expected.
    InPlace,
    /// Updated in place, but it may reboot nodes, disconnect clients or take long.
    MayInterrupt,
    /// The resource is replaced.
    Replacement,
}

/// One changed resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDiff {
    /// The logical ID (the new one when it moved).
    pub logical_id: String,
    /// The old logical ID of a resource that moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_logical_id: Option<String>,
    /// The resource type (the new one when it changed).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// What happened.
    pub change: ChangeKind,
    /// Whether the deploy replaces the resource.
    pub replacement: bool,
    /// Set when the change replaces or deletes a resource that holds data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_loss: Option<DataLoss>,
    /// The changed properties and resource attributes (empty for added and removed ones).
    pub properties: Vec<PropertyDiff>,
    /// Why it is replaced, and what to watch for.
    pub notes: Vec<String>,
}

/// Data lost by a replacement or a deletion, and what protects it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataLoss {
    /// What is lost, such as `cached data`.
    pub what: String,
    /// `Snapshot` or `Retain` when the policy in effect keeps a copy or the old resource.
    pub protected_by: Option<String>,
}

/// One changed property or resource attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyDiff {
    /// The property name, or the attribute name (`DeletionPolicy`, `DependsOn`, ...).
    pub name: String,
    /// Whether it is a resource attribute rather than a property.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub attribute: bool,
    /// The old value (absent when it was added).
    pub old: Option<Json>,
    /// The new value (absent when it was removed).
    pub new: Option<Json>,
    /// How the change is applied.
    pub effect: Effect,
    /// Why, when it is not a plain in-place update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A changed parameter, output or other template entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryDiff {
    /// The name (`Conditions.IsProd` for entries of other sections).
    pub name: String,
    /// What happened.
    pub change: ChangeKind,
    /// The old value.
    pub old: Option<Json>,
    /// The new value.
    pub new: Option<Json>,
    /// What to watch for, such as an export other stacks may import.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl TemplateDiff {
    /// Whether the templates are the same.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.parameters.is_empty() && self.outputs.is_empty() && self.other.is_empty()
    }

    /// Whether any resource is replaced.
    pub fn has_replacement(&self) -> bool {
        self.resources.iter().any(|r| r.replacement)
    }

    /// The resources that are replaced.
    pub fn replacements(&self) -> impl Iterator<Item = &ResourceDiff> {
        self.resources.iter().filter(|r| r.replacement)
    }

    /// The resources whose data is lost (replaced or deleted data holders).
    pub fn data_losses(&self) -> impl Iterator<Item = &ResourceDiff> {
        self.resources.iter().filter(|r| r.data_loss.is_some())
    }

    /// Counts: `added`, `removed`, `modified`, `moved`, `replacements`, `data_loss`.
    pub fn summary(&self) -> Json {
        let count = |k: ChangeKind| self.resources.iter().filter(|r| r.change == k).count();
        json!({
            "added": count(ChangeKind::Added),
            "removed": count(ChangeKind::Removed),
            "modified": count(ChangeKind::Modified),
            "moved": count(ChangeKind::Moved),
            "replacements": self.replacements().count(),
            "data_loss": self.data_losses().count(),
        })
    }

    /// The machine-readable form: `changed`, `summary` and the four lists.
    pub fn to_json(&self) -> Json {
        let mut v = serde_json::to_value(self).expect("a diff serializes");
        let obj = v.as_object_mut().expect("a struct serializes to an object");
        let mut out = Map::new();
        out.insert("changed".into(), json!(!self.is_empty()));
        out.insert("summary".into(), self.summary());
        out.append(obj);
        Json::Object(out)
    }

    /// Human-readable text, one line per change.
    pub fn render(&self) -> String {
        self.render_styled(&|_, text| text.to_string())
    }

    /// [`TemplateDiff::render`], each piece of text passed through `style` with
    /// its [`Style`], so a front end can colour it (the CLI's ANSI colours live
    /// in the CLI).
    pub fn render_styled(&self, style: &dyn Fn(Style, &str) -> String) -> String {
        let p = Paint(style);
        let mut s = String::new();
        if self.is_empty() {
            s.push_str("no changes\n");
            return s;
        }
        if !self.resources.is_empty() {
            s.push_str(&p.bold("Resources"));
            s.push('\n');
            for r in &self.resources {
                render_resource(&mut s, r, p);
            }
        }
        for (title, entries) in [("Parameters", &self.parameters), ("Outputs", &self.outputs), ("Other", &self.other)] {
            if entries.is_empty() {
                continue;
            }
            s.push_str(&p.bold(title));
            s.push('\n');
            for e in entries {
                let (mark, colour) = mark(e.change);
                let _ = writeln!(s, "{} {}{}", p.paint(colour, mark), e.name, change_text(&e.old, &e.new));
                for n in &e.notes {
                    let _ = writeln!(s, "    {}", p.paint(YELLOW, &format!("! {n}")));
                }
            }
        }
        let count = |k: ChangeKind| self.resources.iter().filter(|r| r.change == k).count();
        let replaced = self.replacements().count();
        let lost = self.data_losses().count();
        let line = format!(
            "{} added, {} removed, {} modified, {} moved; {replaced} replacement{}, {lost} with data loss",
            count(ChangeKind::Added),
            count(ChangeKind::Removed),
            count(ChangeKind::Modified),
            count(ChangeKind::Moved),
            if replaced == 1 { "" } else { "s" },
        );
        let _ = writeln!(s, "{}", if replaced + lost > 0 { p.paint(RED, &line) } else { line });
        s
    }
}

fn render_resource(s: &mut String, r: &ResourceDiff, p: Paint<'_>) {
    let (mark, colour) = mark(r.change);
    let id = match &r.old_logical_id {
        Some(old) => format!("{old} → {}", r.logical_id),
        None => r.logical_id.clone(),
    };
    let mut tags = Vec::new();
    if r.change == ChangeKind::Moved {
        tags.push(p.paint(RED, "logical id moved (replacement)"));
    } else if r.replacement {
        tags.push(p.paint(RED, "replacement"));
    }
    if let Some(loss) = &r.data_loss {
        let protection = match &loss.protected_by {
            Some(policy) => format!("protected by {policy}"),
            None => "not protected by a Snapshot or Retain policy".into(),
        };
        tags.push(p.paint(RED, &format!("DATA LOSS: {} ({protection})", loss.what)));
    }
    let tags = if tags.is_empty() { String::new() } else { format!("  {}", tags.join(", ")) };
    let _ = writeln!(s, "{} {} {id}{tags}", p.paint(colour, mark), r.resource_type);
    for d in &r.properties {
        let (m, c) = match (&d.old, &d.new) {
            (None, _) => ("+", GREEN),
            (_, None) => ("-", RED),
            _ => ("~", YELLOW),
        };
        let effect = match d.effect {
            Effect::Replacement => p.paint(RED, &format!("  ({})", d.note.as_deref().unwrap_or("replacement"))),
            Effect::MayInterrupt => p.paint(YELLOW, &format!("  ({})", d.note.as_deref().unwrap_or("may interrupt"))),
            Effect::InPlace => d.note.as_ref().map(|n| format!("  ({n})")).unwrap_or_default(),
        };
        let name = if d.attribute { format!("[{}]", d.name) } else { d.name.clone() };
        let _ = writeln!(s, "    {} {name}{}{effect}", p.paint(c, m), change_text(&d.old, &d.new));
    }
    for n in &r.notes {
        let _ = writeln!(s, "    {}", p.paint(YELLOW, &format!("! {n}")));
    }
}

fn mark(k: ChangeKind) -> (&'static str, Style) {
    match k {
        ChangeKind::Added => ("[+]", GREEN),
        ChangeKind::Removed => ("[-]", RED),
        ChangeKind::Modified | ChangeKind::Moved => ("[~]", YELLOW),
    }
}

fn change_text(old: &Option<Json>, new: &Option<Json>) -> String {
    match (old, new) {
        (Some(o), Some(n)) => format!(": {} → {}", short(o), short(n)),
        (None, Some(n)) => format!(": {}", short(n)),
        (Some(o), None) => format!(": {} (removed)", short(o)),
        (None, None) => String::new(),
    }
}

/// Compact JSON, cut to 80 characters.
fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() <= 80 {
        s
    } else {
        format!("{}…", s.chars().take(79).collect::<String>())
    }
}

/// What a piece of rendered diff text says, for a front end that styles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Style {
    /// A section title (`Resources`, `Parameters`, ...).
    Heading,
    /// Something added.
    Added,
    /// Something removed, replaced or lost: a danger.
    Danger,
    /// Something changed in place, or a note to read.
    Caution,
}

const RED: Style = Style::Danger;
const GREEN: Style = Style::Added;
const YELLOW: Style = Style::Caution;

#[derive(Clone, Copy)]
struct Paint<'a>(&'a dyn Fn(Style, &str) -> String);

impl Paint<'_> {
    fn paint(self, style: Style, text: &str) -> String {
        (self.0)(style, text)
    }
    fn bold(self, text: &str) -> String {
        self.paint(Style::Heading, text)
    }
}

/// Compares two CloudFormation templates.
///
/// Resources are matched by logical ID. A resource removed and another added with
/// the same type and mostly the same properties is reported as one that moved
/// (a replacement). Values are compared as CloudFormation reads them (`"3"` equals
/// `3`). A create-only property that refers to a resource being replaced changes
/// too, so that resource is replaced as well.
pub fn diff_templates(old: &Json, new: &Json) -> TemplateDiff {
    let empty = Map::new();
    let old_res = section(old, "Resources").unwrap_or(&empty);
    let new_res = section(new, "Resources").unwrap_or(&empty);

    let removed: Vec<&String> = old_res.keys().filter(|k| !new_res.contains_key(*k)).collect();
    let added: Vec<&String> = new_res.keys().filter(|k| !old_res.contains_key(*k)).collect();
    let moves = find_moves(old_res, new_res, &removed, &added);
    let moved_to: HashMap<&str, &str> = moves.iter().map(|(o, n)| (n.as_str(), o.as_str())).collect();
    let moved_from: BTreeSet<&str> = moves.iter().map(|(o, _)| o.as_str()).collect();
    let renames: HashMap<String, String> = moves.iter().cloned().collect();

    let mut resources = Vec::new();
    for (id, new_r) in new_res {
        if let Some(old_id) = moved_to.get(id.as_str()) {
            resources.push(moved(old_id, id, &old_res[*old_id], new_r, &renames));
        } else if let Some(old_r) = old_res.get(id) {
            if let Some(d) = modified(id, old_r, new_r) {
                resources.push(d);
            }
        } else {
            resources.push(ResourceDiff {
                logical_id: id.clone(),
                old_logical_id: None,
                resource_type: type_of(new_r).to_string(),
                change: ChangeKind::Added,
                replacement: false,
                data_loss: None,
                properties: Vec::new(),
                notes: Vec::new(),
            });
        }
    }
    for id in removed.iter().filter(|id| !moved_from.contains(id.as_str())) {
        let old_r = &old_res[*id];
        let data_loss = data_holder(type_of(old_r))
            .map(|what| DataLoss { what: what.into(), protected_by: protection(old_r, "DeletionPolicy") });
        resources.push(ResourceDiff {
            logical_id: (*id).clone(),
            old_logical_id: None,
            resource_type: type_of(old_r).to_string(),
            change: ChangeKind::Removed,
            replacement: false,
            data_loss,
            properties: Vec::new(),
            notes: Vec::new(),
        });
    }
    cascade_replacements(&mut resources, new_res);

    TemplateDiff {
        resources,
        parameters: entries(old, new, "Parameters", false),
        outputs: entries(old, new, "Outputs", true),
        other: other_sections(old, new),
    }
}

fn section<'a>(t: &'a Json, name: &str) -> Option<&'a Map<String, Json>> {
    t.get(name).and_then(Json::as_object)
}

fn type_of(r: &Json) -> &str {
    r.get("Type").and_then(Json::as_str).unwrap_or("")
}

fn props(r: &Json) -> Map<String, Json> {
    r.get("Properties").and_then(Json::as_object).cloned().unwrap_or_default()
}

fn data_holder(type_name: &str) -> Option<&'static str> {
    DATA_HOLDERS.iter().find(|(t, _)| *t == type_name).map(|(_, w)| *w)
}

fn protection(r: &Json, attribute: &str) -> Option<String> {
    match r.get(attribute).and_then(Json::as_str) {
        Some(p @ ("Snapshot" | "Retain" | "RetainExceptOnCreate")) => Some(p.to_string()),
        _ => None,
    }
}

/// Values as CloudFormation compares them: numbers and booleans as strings.
fn loose(v: &Json) -> Json {
    match v {
        Json::Number(n) => Json::String(n.to_string()),
        Json::Bool(b) => Json::String(b.to_string()),
        Json::Array(a) => Json::Array(a.iter().map(loose).collect()),
        Json::Object(o) => Json::Object(o.iter().map(|(k, v)| (k.clone(), loose(v))).collect()),
        other => other.clone(),
    }
}

fn same(a: &Json, b: &Json) -> bool {
    a == b || loose(a) == loose(b)
}

/// Rewrites references to old logical IDs that moved into the new ones, reading
/// intrinsics with the read model's one parse ([`Intrinsic`]) and `Fn::Sub` texts
/// with its one parser ([`sub_variables`]).
fn rename_refs(v: &Json, renames: &HashMap<String, String>) -> Json {
    let re = |s: &str| renames.get(s).cloned().unwrap_or_else(|| s.to_string());
    match Intrinsic::parse(v) {
        Some(Intrinsic::Ref(s)) => json!({ "Ref": re(s) }),
        Some(Intrinsic::GetAtt { resource, attribute }) => match (&v["Fn::GetAtt"], attribute) {
            (Json::String(_), Attribute::Name(attr)) => json!({ "Fn::GetAtt": format!("{}.{attr}", re(resource)) }),
            (_, Attribute::Name(attr)) => json!({ "Fn::GetAtt": [re(resource), attr] }),
            (_, Attribute::Computed(attr)) => json!({ "Fn::GetAtt": [re(resource), rename_refs(attr, renames)] }),
        },
        Some(Intrinsic::Sub { text, variables: None }) => json!({ "Fn::Sub": rename_sub(text, None, renames) }),
        Some(Intrinsic::Sub { text, variables: Some(vars) }) => {
            let vars: Map<String, Json> = vars.iter().map(|(k, x)| (k.clone(), rename_refs(x, renames))).collect();
            json!({ "Fn::Sub": [rename_sub(text, Some(&vars), renames), vars] })
        }
        _ => match v {
            Json::Object(o) => Json::Object(o.iter().map(|(k, v)| (k.clone(), rename_refs(v, renames))).collect()),
            Json::Array(a) => Json::Array(a.iter().map(|x| rename_refs(x, renames)).collect()),
            other => other.clone(),
        },
    }
}

/// `text` with each `${Old}` and `${Old.Attribute}` that refers to a renamed
/// resource renamed, the variables of its own map (`own`) and `${!Literal}` left.
fn rename_sub(text: &str, own: Option<&Map<String, Json>>, renames: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for var in sub_variables(text) {
        if own.is_some_and(|m| m.contains_key(var)) {
            continue;
        }
        let id = var.split('.').next().unwrap_or(var);
        let Some(new) = renames.get(id) else { continue };
        // the variable is a slice of `text`: its offset is where the id starts
        let start = var.as_ptr() as usize - text.as_ptr() as usize;
        out.push_str(&text[copied..start]);
        out.push_str(new);
        copied = start + id.len();
    }
    out.push_str(&text[copied..]);
    out
}

/// Share of properties (and resource attributes) equal in both, 1.0 when both have none.
fn similarity(old_r: &Json, new_r: &Json, renames: &HashMap<String, String>) -> f64 {
    let (a, b) = (props(old_r), props(new_r));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    if keys.is_empty() {
        return 1.0;
    }
    let equal = keys
        .iter()
        .filter(|k| match (a.get(**k), b.get(**k)) {
            (Some(x), Some(y)) => same(&rename_refs(x, renames), y),
            _ => false,
        })
        .count();
    equal as f64 / keys.len() as f64
}

/// Pairs removed and added resources of one type that look like one resource whose
/// logical ID changed: the most similar pairs first, twice, the second time with
/// the references of the first pairs renamed (a moved construct moves its children).
fn find_moves(
    old_res: &Map<String, Json>,
    new_res: &Map<String, Json>,
    removed: &[&String],
    added: &[&String],
) -> Vec<(String, String)> {
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut pairs = Vec::new();
    for _ in 0..2 {
        let mut scored = Vec::new();
        for (i, o) in removed.iter().enumerate() {
            for (j, n) in added.iter().enumerate() {
                let (or, nr) = (&old_res[*o], &new_res[*n]);
                if type_of(or) != type_of(nr) {
                    continue;
                }
                let score = similarity(or, nr, &renames);
                if score >= MOVE_SIMILARITY {
                    scored.push((score, i, j));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let (mut used_old, mut used_new) = (BTreeSet::new(), BTreeSet::new());
        pairs.clear();
        for (_, i, j) in scored {
            if !used_old.contains(&i) && !used_new.contains(&j) {
                used_old.insert(i);
                used_new.insert(j);
                pairs.push((removed[i].clone(), added[j].clone()));
            }
        }
        renames = pairs.iter().cloned().collect();
    }
    pairs
}

fn property_diffs(type_name: &str, old_r: &Json, new_r: &Json, renames: &HashMap<String, String>) -> Vec<PropertyDiff> {
    let spec = type_spec(type_name);
    let (a, b) = (props(old_r), props(new_r));
    let mut names: Vec<&String> = b.keys().collect();
    names.extend(a.keys().filter(|k| !b.contains_key(*k)));
    let mut out = Vec::new();
    for name in names {
        let (o, n) = (a.get(name), b.get(name));
        let unchanged = match (o, n) {
            (Some(x), Some(y)) => same(&rename_refs(x, renames), y),
            (None, None) => true,
            _ => false,
        };
        if unchanged {
            continue;
        }
        let create_only = spec.is_some_and(|s| s.create_only.contains(&name.as_str()));
        let note = UPDATE_NOTES.iter().find(|(t, p, _)| *t == type_name && p == name).map(|(_, _, n)| *n);
        let (effect, note) = if create_only {
            (Effect::Replacement, Some(format!("create-only: {} is replaced", super::short_type(type_name))))
        } else if let Some(n) = note {
            (Effect::MayInterrupt, Some(n.to_string()))
        } else {
            (Effect::InPlace, None)
        };
        out.push(PropertyDiff { name: name.clone(), attribute: false, old: o.cloned(), new: n.cloned(), effect, note });
    }
    for attr in RESOURCE_ATTRIBUTES {
        let (o, n) = (old_r.get(*attr), new_r.get(*attr));
        let unchanged = match (o, n) {
            (Some(x), Some(y)) => same(&rename_refs(x, renames), y),
            (None, None) => true,
            _ => false,
        };
        if !unchanged {
            out.push(PropertyDiff {
                name: attr.to_string(),
                attribute: true,
                old: o.cloned(),
                new: n.cloned(),
                effect: Effect::InPlace,
                note: None,
            });
        }
    }
    out
}

fn modified(id: &str, old_r: &Json, new_r: &Json) -> Option<ResourceDiff> {
    let (ot, nt) = (type_of(old_r), type_of(new_r));
    let no_renames = HashMap::new();
    let properties = property_diffs(nt, old_r, new_r, &no_renames);
    if ot == nt && properties.is_empty() {
        return None;
    }
    let mut notes = Vec::new();
    let mut replacement = properties.iter().any(|p| p.effect == Effect::Replacement);
    if ot != nt {
        replacement = true;
        notes.push(format!("type changed from {ot}: replacement"));
    } else if type_spec(nt).is_none() && properties.iter().any(|p| !p.attribute) {
        notes.push(format!("{nt} is not in the shipped schemas: whether this replaces it is not known"));
    }
    let mut d = ResourceDiff {
        logical_id: id.to_string(),
        old_logical_id: None,
        resource_type: nt.to_string(),
        change: ChangeKind::Modified,
        replacement,
        data_loss: None,
        properties,
        notes,
    };
    if replacement {
        d.data_loss = replaced_data_loss(old_r, new_r);
    }
    Some(d)
}

fn replaced_data_loss(old_r: &Json, new_r: &Json) -> Option<DataLoss> {
    data_holder(type_of(old_r)).map(|what| DataLoss {
        what: what.into(),
        protected_by: protection(new_r, "UpdateReplacePolicy").or_else(|| protection(old_r, "UpdateReplacePolicy")),
    })
}

fn moved(old_id: &str, new_id: &str, old_r: &Json, new_r: &Json, renames: &HashMap<String, String>) -> ResourceDiff {
    let t = type_of(new_r);
    let properties = property_diffs(t, old_r, new_r, renames);
    let data_loss =
        data_holder(t).map(|what| DataLoss { what: what.into(), protected_by: protection(old_r, "DeletionPolicy") });
    ResourceDiff {
        logical_id: new_id.to_string(),
        old_logical_id: Some(old_id.to_string()),
        resource_type: t.to_string(),
        change: ChangeKind::Moved,
        replacement: true,
        data_loss,
        properties,
        notes: vec![format!(
            "logical id moved: {old_id} → {new_id} (replacement); keep the old id with override_logical_id to avoid it"
        )],
    }
}

/// A resource whose create-only property refers to a replaced resource gets a new
/// value at deploy time, so it is replaced too; repeats until nothing changes.
fn cascade_replacements(resources: &mut Vec<ResourceDiff>, new_res: &Map<String, Json>) {
    loop {
        let replaced: BTreeSet<String> = resources
            .iter()
            .filter(|r| r.replacement && r.change != ChangeKind::Added)
            .map(|r| r.logical_id.clone())
            .collect();
        let mut found = None;
        'outer: for (id, r) in new_res {
            if resources.iter().any(|d| &d.logical_id == id && (d.replacement || d.change == ChangeKind::Added)) {
                continue;
            }
            let Some(spec) = type_spec(type_of(r)) else { continue };
            let p = props(r);
            for name in spec.create_only {
                let Some(v) = p.get(*name) else { continue };
                let mut refs = BTreeSet::new();
                references(v, &mut refs);
                if let Some(target) = refs.iter().find(|t| replaced.contains(*t)) {
                    found = Some((id.clone(), name.to_string(), target.clone()));
                    break 'outer;
                }
            }
        }
        let Some((id, name, target)) = found else { return };
        let r = &new_res[&id];
        let note =
            format!("{name} refers to {target}, which is replaced: {} is replaced too", super::short_type(type_of(r)));
        match resources.iter_mut().find(|d| d.logical_id == id) {
            Some(d) => {
                d.replacement = true;
                d.notes.push(note);
                d.data_loss = replaced_data_loss(r, r);
            }
            None => resources.push(ResourceDiff {
                logical_id: id.clone(),
                old_logical_id: None,
                resource_type: type_of(r).to_string(),
                change: ChangeKind::Modified,
                replacement: true,
                data_loss: replaced_data_loss(r, r),
                properties: Vec::new(),
                notes: vec![note],
            }),
        }
    }
}

fn entries(old: &Json, new: &Json, name: &str, outputs: bool) -> Vec<EntryDiff> {
    let empty = Map::new();
    let a = section(old, name).unwrap_or(&empty);
    let b = section(new, name).unwrap_or(&empty);
    let mut out = Vec::new();
    for (k, nv) in b {
        match a.get(k) {
            None => out.push(entry(k, ChangeKind::Added, None, Some(nv))),
            Some(ov) if !same(ov, nv) => {
                let mut e = entry(k, ChangeKind::Modified, Some(ov), Some(nv));
                if outputs && ov.get("Export").is_some() && !same(&ov["Export"], &nv["Export"]) {
                    e.notes.push("its export changes: the update fails while another stack imports it".into());
                }
                out.push(e);
            }
            _ => {}
        }
    }
    for (k, ov) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
        let mut e = entry(k, ChangeKind::Removed, Some(ov), None);
        if outputs && ov.get("Export").is_some() {
            e.notes.push("it is exported: the update fails while another stack imports it".into());
        }
        out.push(e);
    }
    out
}

fn entry(name: &str, change: ChangeKind, old: Option<&Json>, new: Option<&Json>) -> EntryDiff {
    EntryDiff { name: name.to_string(), change, old: old.cloned(), new: new.cloned(), notes: Vec::new() }
}

fn other_sections(old: &Json, new: &Json) -> Vec<EntryDiff> {
    let empty = Map::new();
    let a = old.as_object().unwrap_or(&empty);
    let b = new.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
    let mut out = Vec::new();
    for key in keys {
        if matches!(key.as_str(), "Resources" | "Parameters" | "Outputs") {
            continue;
        }
        match (a.get(key), b.get(key)) {
            (x, y) if matches!(key.as_str(), "Conditions" | "Mappings" | "Rules") => {
                let (x, y) = (x.cloned().unwrap_or(json!({})), y.cloned().unwrap_or(json!({})));
                for e in entries(&json!({ "S": x }), &json!({ "S": y }), "S", false) {
                    out.push(EntryDiff { name: format!("{key}.{}", e.name), ..e });
                }
            }
            (Some(x), Some(y)) if same(x, y) => {}
            (o, n) => {
                let change = match (o, n) {
                    (None, _) => ChangeKind::Added,
                    (_, None) => ChangeKind::Removed,
                    _ => ChangeKind::Modified,
                };
                out.push(entry(key, change, o, n));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_read_intrinsics_as_the_read_model_does() {
        let renames: HashMap<String, String> = [("Old".to_string(), "New".to_string())].into();
        let v = json!({
            "A": {"Ref": "Old"},
            "B": {"Fn::GetAtt": "Old.Arn"},
            "C": {"Fn::GetAtt": ["Old", {"Ref": "Old"}]},
            "D": {"Fn::Sub": "${Old}:${ Old.Port }:${!Old}:${Other}"},
            "E": {"Fn::Sub": ["${Old}-${Old.Arn}", {"Old": {"Ref": "Old"}}]},
            "F": {"Fn::If": ["Old", {"Ref": "Old"}, "Old"]}
        });
        assert_eq!(
            rename_refs(&v, &renames),
            json!({
                "A": {"Ref": "New"},
                "B": {"Fn::GetAtt": "New.Arn"},
                "C": {"Fn::GetAtt": ["New", {"Ref": "New"}]},
                "D": {"Fn::Sub": "${New}:${ New.Port }:${!Old}:${Other}"},
                // the map's own Old is not the resource; its value is
                "E": {"Fn::Sub": ["${Old}-${New.Arn}", {"Old": {"Ref": "New"}}]},
                "F": {"Fn::If": ["Old", {"Ref": "New"}, "Old"]}
            })
        );
    }

    fn rg(props: Json) -> Json {
        json!({
            "Type": "AWS::ElastiCache::ReplicationGroup",
            "Properties": props,
            "DeletionPolicy": "Snapshot",
            "UpdateReplacePolicy": "Snapshot"
        })
    }

    fn template(resources: Json) -> Json {
        json!({ "Resources": resources, "Outputs": { "Host": { "Value": { "Fn::GetAtt": ["Cache18F6EE16", "PrimaryEndPoint.Address"] } } } })
    }

    fn base_props() -> Json {
        json!({
            "ReplicationGroupDescription": "sessions",
            "CacheNodeType": "cache.r7g.large",
            "NumCacheClusters": 2,
            "Engine": "redis",
            "AtRestEncryptionEnabled": true,
            "CacheSubnetGroupName": { "Ref": "SubnetGroup" },
            "CacheParameterGroupName": { "Ref": "ParameterGroup" }
        })
    }

    fn subnet_group() -> Json {
        json!({ "Type": "AWS::ElastiCache::SubnetGroup", "Properties": { "Description": "subnets", "SubnetIds": ["a", "b"] } })
    }

    fn with(mut props: Json, key: &str, value: Json) -> Json {
        props[key] = value;
        props
    }

    #[test]
    fn identical_templates_have_no_changes() {
        let t = template(json!({ "Cache18F6EE16": rg(base_props()), "SubnetGroup": subnet_group() }));
        let d = diff_templates(&t, &t.clone());
        assert!(d.is_empty());
        assert!(!d.has_replacement());
        assert_eq!(d.render(), "no changes\n");
        assert_eq!(d.to_json()["changed"], json!(false));
    }

    #[test]
    fn numbers_and_strings_compare_as_cloudformation_reads_them() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()) }));
        let b = template(json!({ "Cache18F6EE16": rg(with(base_props(), "NumCacheClusters", json!("2"))) }));
        assert!(diff_templates(&a, &b).is_empty());
    }

    #[test]
    fn node_type_change_is_in_place_with_a_note() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()) }));
        let b =
            template(json!({ "Cache18F6EE16": rg(with(base_props(), "CacheNodeType", json!("cache.r7g.xlarge"))) }));
        let d = diff_templates(&a, &b);
        assert_eq!(d.resources.len(), 1);
        let r = &d.resources[0];
        assert_eq!(r.change, ChangeKind::Modified);
        assert!(!r.replacement);
        assert!(r.data_loss.is_none());
        assert_eq!(r.properties.len(), 1);
        assert_eq!(r.properties[0].name, "CacheNodeType");
        assert_eq!(r.properties[0].effect, Effect::MayInterrupt);
        assert_eq!(
            d.render(),
            "Resources\n\
             [~] AWS::ElastiCache::ReplicationGroup Cache18F6EE16\n    \
             ~ CacheNodeType: \"cache.r7g.large\" → \"cache.r7g.xlarge\"  (in place: online vertical scaling, may take minutes to hours)\n\
             0 added, 0 removed, 1 modified, 0 moved; 0 replacements, 0 with data loss\n"
        );
    }

    #[test]
    fn at_rest_encryption_toggle_is_a_replacement_with_data_loss_protected_by_snapshot() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()) }));
        let b = template(json!({ "Cache18F6EE16": rg(with(base_props(), "AtRestEncryptionEnabled", json!(false))) }));
        let d = diff_templates(&a, &b);
        let r = &d.resources[0];
        assert!(r.replacement);
        assert_eq!(r.properties[0].effect, Effect::Replacement);
        assert_eq!(r.data_loss, Some(DataLoss { what: "cached data".into(), protected_by: Some("Snapshot".into()) }));
        let text = d.render();
        assert!(
            text.contains("[~] AWS::ElastiCache::ReplicationGroup Cache18F6EE16  replacement, DATA LOSS: cached data (protected by Snapshot)"),
            "{text}"
        );
        assert!(
            text.contains("~ AtRestEncryptionEnabled: true → false  (create-only: ReplicationGroup is replaced)"),
            "{text}"
        );
        assert_eq!(d.summary()["replacements"], json!(1));
        assert_eq!(d.summary()["data_loss"], json!(1));
    }

    #[test]
    fn unprotected_replacement_says_so() {
        let mut a = template(json!({ "Cache18F6EE16": rg(base_props()) }));
        a["Resources"]["Cache18F6EE16"].as_object_mut().unwrap().remove("UpdateReplacePolicy");
        let mut b = a.clone();
        b["Resources"]["Cache18F6EE16"]["Properties"]["Port"] = json!(6380);
        let d = diff_templates(&a, &b);
        assert_eq!(d.resources[0].data_loss.as_ref().unwrap().protected_by, None);
        assert!(d.render().contains("not protected by a Snapshot or Retain policy"));
    }

    #[test]
    fn renamed_construct_moves_the_logical_id_and_replaces() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()), "SubnetGroup": subnet_group() }));
        let b = template(json!({
            "Sessions5A1B2C3D": rg(with(base_props(), "ReplicationGroupDescription", json!("sessions cache"))),
            "SubnetGroup": subnet_group()
        }));
        let d = diff_templates(&a, &b);
        assert_eq!(d.resources.len(), 1, "{:#?}", d.resources);
        let r = &d.resources[0];
        assert_eq!(r.change, ChangeKind::Moved);
        assert_eq!(r.old_logical_id.as_deref(), Some("Cache18F6EE16"));
        assert_eq!(r.logical_id, "Sessions5A1B2C3D");
        assert!(r.replacement);
        assert_eq!(r.data_loss.as_ref().unwrap().protected_by.as_deref(), Some("Snapshot"));
        assert!(d.render().contains(
            "[~] AWS::ElastiCache::ReplicationGroup Cache18F6EE16 → Sessions5A1B2C3D  logical id moved (replacement)"
        ));
        assert!(d.render().contains("logical id moved: Cache18F6EE16 → Sessions5A1B2C3D (replacement)"));
        // The output that referred to the old id changed too.
        assert_eq!(d.outputs.len(), 0, "the test template's output still names the old id");
    }

    #[test]
    fn moved_children_are_matched_with_renamed_references() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()), "SubnetGroup": subnet_group() }));
        let b = template(json!({
            "Sessions5A1B2C3D": rg(with(base_props(), "CacheSubnetGroupName", json!({ "Ref": "SessionsSubnets" }))),
            "SessionsSubnets": subnet_group()
        }));
        let d = diff_templates(&a, &b);
        let moved: Vec<_> = d.resources.iter().map(|r| (r.old_logical_id.as_deref(), r.logical_id.as_str())).collect();
        assert_eq!(moved, vec![(Some("Cache18F6EE16"), "Sessions5A1B2C3D"), (Some("SubnetGroup"), "SessionsSubnets")]);
        assert!(d.resources[0].properties.is_empty(), "the renamed Ref is not a change: {:#?}", d.resources[0]);
    }

    #[test]
    fn type_change_replaces() {
        let a = json!({ "Resources": { "X": { "Type": "AWS::SNS::Topic" } } });
        let b = json!({ "Resources": { "X": { "Type": "AWS::SQS::Queue" } } });
        let d = diff_templates(&a, &b);
        assert!(d.resources[0].replacement);
        assert_eq!(d.resources[0].notes, vec!["type changed from AWS::SNS::Topic: replacement".to_string()]);
    }

    #[test]
    fn replacing_a_subnet_group_replaces_the_cache_that_names_it() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()), "SubnetGroup": subnet_group() }));
        let mut sg = subnet_group();
        sg["Properties"]["CacheSubnetGroupName"] = json!("named");
        let b = template(json!({ "Cache18F6EE16": rg(base_props()), "SubnetGroup": sg }));
        let d = diff_templates(&a, &b);
        let cache = d.resources.iter().find(|r| r.logical_id == "Cache18F6EE16").expect("cascaded");
        assert!(cache.replacement);
        assert!(cache.data_loss.is_some());
        assert_eq!(
            cache.notes,
            vec!["CacheSubnetGroupName refers to SubnetGroup, which is replaced: ReplicationGroup is replaced too"]
        );
    }

    #[test]
    fn added_removed_outputs_parameters_and_sections() {
        let a = json!({
            "Description": "v1",
            "Parameters": { "Size": { "Type": "String" } },
            "Resources": { "Log": { "Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain" } },
            "Outputs": { "Arn": { "Value": "x", "Export": { "Name": "S:Arn" } } }
        });
        let b = json!({
            "Description": "v2",
            "Conditions": { "IsProd": { "Fn::Equals": ["a", "b"] } },
            "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } },
            "Outputs": { "Port": { "Value": "6379" } }
        });
        let d = diff_templates(&a, &b);
        let kinds: Vec<_> = d.resources.iter().map(|r| (r.logical_id.as_str(), r.change)).collect();
        assert_eq!(kinds, vec![("Topic", ChangeKind::Added), ("Log", ChangeKind::Removed)]);
        assert_eq!(
            d.resources[1].data_loss,
            Some(DataLoss { what: "logs".into(), protected_by: Some("Retain".into()) })
        );
        assert!(!d.has_replacement());
        assert_eq!(d.parameters[0].change, ChangeKind::Removed);
        assert_eq!(d.outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), vec!["Port", "Arn"]);
        assert_eq!(d.outputs[1].notes, vec!["it is exported: the update fails while another stack imports it"]);
        let other: Vec<_> = d.other.iter().map(|o| (o.name.as_str(), o.change)).collect();
        assert_eq!(other, vec![("Description", ChangeKind::Modified), ("Conditions.IsProd", ChangeKind::Added)]);
    }

    #[test]
    fn json_form_is_stable() {
        let a = template(json!({ "Cache18F6EE16": rg(base_props()) }));
        let b = template(json!({ "Cache18F6EE16": rg(with(base_props(), "AtRestEncryptionEnabled", json!(false))) }));
        let j = diff_templates(&a, &b).to_json();
        assert_eq!(
            j,
            json!({
                "changed": true,
                "summary": { "added": 0, "removed": 0, "modified": 1, "moved": 0, "replacements": 1, "data_loss": 1 },
                "resources": [{
                    "logical_id": "Cache18F6EE16",
                    "type": "AWS::ElastiCache::ReplicationGroup",
                    "change": "modified",
                    "replacement": true,
                    "data_loss": { "what": "cached data", "protected_by": "Snapshot" },
                    "properties": [{
                        "name": "AtRestEncryptionEnabled",
                        "old": true,
                        "new": false,
                        "effect": "replacement",
                        "note": "create-only: ReplicationGroup is replaced"
                    }],
                    "notes": []
                }],
                "parameters": [],
                "outputs": [],
                "other": []
            })
        );
    }
}
