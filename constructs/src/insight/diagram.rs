//! A diagram of a synthesized app: one box per stack, resources grouped by the
//! construct that made them, arrows for references and cross-stack imports.
//!
//! Mermaid (`flowchart LR`, renders on GitHub) or Graphviz DOT. Arrows point from
//! the resource referred to to the one that refers to it (the security group
//! flows into the cluster), except for `*Actions` properties, where the alarm
//! notifies the topic. `DependsOn` is dashed; imports are labelled `import`.

use crate::synthesis::{Assembly, StackArtifact};
use crate::template::{each_import, references};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// How an arrow was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EdgeKind {
    /// A `Ref`, `Fn::GetAtt` or `Fn::Sub` in a property.
    Reference,
    /// A `DependsOn`.
    DependsOn,
    /// An `Fn::ImportValue` of another stack's export.
    Import,
}

/// A resource in the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramNode {
    /// The diagram id: the logical ID, prefixed with the stack when two stacks share it.
    pub id: String,
    /// The stack.
    pub stack: String,
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// The construct path below the stack (the logical ID when unknown).
    pub path: String,
}

/// An arrow between two resources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiagramEdge {
    /// Diagram id of the tail.
    pub from: String,
    /// Diagram id of the head.
    pub to: String,
    /// The property the reference is in (`DependsOn`, `import`).
    pub label: String,
    /// How it was found.
    pub kind: EdgeKind,
}

/// The resources and references of an app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// Stack names, in order.
    pub stacks: Vec<String>,
    /// Resources, in stack and template order.
    pub nodes: Vec<DiagramNode>,
    /// Arrows, sorted and without duplicates.
    pub edges: Vec<DiagramEdge>,
}

const RESERVED: &[&str] =
    &["end", "graph", "subgraph", "flowchart", "style", "class", "classdef", "click", "direction"];

/// Builds the diagram of `assembly`.
pub fn diagram(assembly: &Assembly) -> Diagram {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &assembly.stacks {
        for id in resources(s).keys() {
            *count.entry(id.as_str()).or_default() += 1;
        }
    }
    let node_id = |stack: &str, logical: &str| {
        let base = if count.get(logical).copied().unwrap_or(0) > 1 {
            format!("{}_{logical}", sanitize(stack))
        } else {
            logical.to_string()
        };
        if RESERVED.contains(&base.to_ascii_lowercase().as_str()) || base.starts_with(|c: char| c.is_ascii_digit()) {
            format!("r_{base}")
        } else {
            base
        }
    };
    let mut nodes = Vec::new();
    // export name → (stack, logical ids its value refers to)
    let mut exports: HashMap<String, (String, BTreeSet<String>)> = HashMap::new();
    for s in &assembly.stacks {
        for (id, r) in resources(s) {
            nodes.push(DiagramNode {
                id: node_id(&s.name, id),
                stack: s.name.clone(),
                logical_id: id.clone(),
                resource_type: r.get("Type").and_then(Json::as_str).unwrap_or("").to_string(),
                path: s.logical_ids.get(id).cloned().unwrap_or_else(|| id.clone()),
            });
        }
        if let Some(outputs) = s.template.get("Outputs").and_then(Json::as_object) {
            for o in outputs.values() {
                if let Some(name) = o.get("Export").and_then(|e| e.get("Name")).and_then(Json::as_str) {
                    let mut refs = BTreeSet::new();
                    references(o.get("Value").unwrap_or(&Json::Null), &mut refs);
                    exports.insert(name.to_string(), (s.name.clone(), refs));
                }
            }
        }
    }
    let mut edges = BTreeSet::new();
    for s in &assembly.stacks {
        let res = resources(s);
        for (id, r) in res {
            let me = node_id(&s.name, id);
            if let Some(props) = r.get("Properties").and_then(Json::as_object) {
                for (prop, v) in props {
                    let mut refs = BTreeSet::new();
                    references(v, &mut refs);
                    for target in refs.iter().filter(|t| res.contains_key(*t) && *t != id) {
                        let other = node_id(&s.name, target);
                        let (from, to) =
                            if prop.ends_with("Actions") { (me.clone(), other) } else { (other, me.clone()) };
                        edges.insert(DiagramEdge { from, to, label: prop.clone(), kind: EdgeKind::Reference });
                    }
                    let mut imports = Vec::new();
                    each_import(v, &mut |name| imports.push(name.to_string()));
                    for name in imports {
                        let Some((producer, refs)) = exports.get(&name) else { continue };
                        for target in refs {
                            edges.insert(DiagramEdge {
                                from: node_id(producer, target),
                                to: me.clone(),
                                label: "import".into(),
                                kind: EdgeKind::Import,
                            });
                        }
                    }
                }
            }
            let deps: Vec<&str> = match r.get("DependsOn") {
                Some(Json::String(d)) => vec![d.as_str()],
                Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
                _ => Vec::new(),
            };
            for d in deps.into_iter().filter(|d| res.contains_key(*d)) {
                edges.insert(DiagramEdge {
                    from: node_id(&s.name, d),
                    to: me.clone(),
                    label: "DependsOn".into(),
                    kind: EdgeKind::DependsOn,
                });
            }
        }
    }
    // Keep the edges that exist; drop duplicates of one pair (first label wins).
    let declared: BTreeSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let edges = edges
        .into_iter()
        .filter(|e| declared.contains(e.from.as_str()) && declared.contains(e.to.as_str()))
        .filter(|e| seen.insert((e.from.clone(), e.to.clone(), e.kind)))
        .collect();
    Diagram { stacks: assembly.stacks.iter().map(|s| s.name.clone()).collect(), nodes, edges }
}

fn resources(s: &StackArtifact) -> &Map<String, Json> {
    static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
    s.template.get("Resources").and_then(Json::as_object).unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The construct a resource belongs to: the path without its last segment, and
/// the id shown on the node (the owner's id for an L1 child named `Resource`).
fn split_path(path: &str) -> (Vec<&str>, &str) {
    let mut segs: Vec<&str> = path.split('/').collect();
    let leaf = segs.pop().unwrap_or(path);
    if leaf == "Resource" {
        if let Some(owner) = segs.last() {
            return (segs.clone(), owner);
        }
    }
    (segs, leaf)
}

/// A tree of construct groups: resources directly in it, and child groups.
#[derive(Default)]
struct Group<'a> {
    nodes: Vec<&'a DiagramNode>,
    children: BTreeMap<&'a str, Group<'a>>,
    order: Vec<&'a str>,
}

impl<'a> Group<'a> {
    fn insert(&mut self, segs: &[&'a str], node: &'a DiagramNode) {
        match segs.split_first() {
            None => self.nodes.push(node),
            Some((first, rest)) => {
                if !self.children.contains_key(first) {
                    self.order.push(first);
                }
                self.children.entry(first).or_default().insert(rest, node);
            }
        }
    }
    fn size(&self) -> usize {
        self.nodes.len() + self.children.values().map(Group::size).sum::<usize>()
    }
}

fn groups_of<'a>(d: &'a Diagram, stack: &str) -> Group<'a> {
    let mut root = Group::default();
    for n in d.nodes.iter().filter(|n| n.stack == stack) {
        let (segs, _) = split_path(&n.path);
        root.insert(&segs, n);
    }
    root
}

fn label(n: &DiagramNode) -> String {
    let (_, id) = split_path(&n.path);
    format!("{} {id}", super::short_type(&n.resource_type))
}

/// Text safe inside a quoted Mermaid label.
pub fn escape_mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text safe inside a quoted DOT string.
pub fn escape_dot(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\n' => vec!['\\', 'n'],
            c => vec![c],
        })
        .collect()
}

impl Diagram {
    /// Mermaid `flowchart LR`: a subgraph per stack, nested subgraphs per construct
    /// of two or more resources.
    pub fn to_mermaid(&self) -> String {
        let mut s = String::from("flowchart LR\n");
        for stack in &self.stacks {
            let sid = format!("stack_{}", sanitize(stack));
            let _ = writeln!(s, "  subgraph {sid}[\"{}\"]", escape_mermaid(&format!("Stack {stack}")));
            let root = groups_of(self, stack);
            mermaid_group(&mut s, &root, &sid, 2);
            let _ = writeln!(s, "  end");
        }
        for e in &self.edges {
            let arrow = match e.kind {
                EdgeKind::Reference | EdgeKind::Import => "-->",
                EdgeKind::DependsOn => "-.->",
            };
            let _ = writeln!(s, "  {} {arrow}|{}| {}", e.from, escape_mermaid(&e.label), e.to);
        }
        s
    }

    /// Graphviz DOT: a cluster per stack and per construct of two or more resources.
    pub fn to_dot(&self) -> String {
        let mut s = String::from("digraph app {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for stack in &self.stacks {
            let sid = format!("cluster_stack_{}", sanitize(stack));
            let _ = writeln!(s, "  subgraph \"{sid}\" {{\n    label=\"{}\";", escape_dot(&format!("Stack {stack}")));
            let root = groups_of(self, stack);
            dot_group(&mut s, &root, &sid, 2);
            let _ = writeln!(s, "  }}");
        }
        for e in &self.edges {
            let style = match e.kind {
                EdgeKind::DependsOn => ", style=dashed",
                EdgeKind::Import => ", style=bold",
                EdgeKind::Reference => "",
            };
            let _ = writeln!(s, "  \"{}\" -> \"{}\" [label=\"{}\"{style}];", e.from, e.to, escape_dot(&e.label));
        }
        s.push_str("}\n");
        s
    }
}

fn mermaid_group(s: &mut String, g: &Group<'_>, prefix: &str, depth: usize) {
    let pad = "  ".repeat(depth);
    for n in &g.nodes {
        let _ = writeln!(s, "{pad}{}[\"{}\"]", n.id, escape_mermaid(&label(n)));
    }
    for name in &g.order {
        let child = &g.children[name];
        let id = format!("{prefix}__{}", sanitize(name));
        if child.size() >= 2 {
            let _ = writeln!(s, "{pad}subgraph {id}[\"{}\"]", escape_mermaid(name));
            mermaid_group(s, child, &id, depth + 1);
            let _ = writeln!(s, "{pad}end");
        } else {
            mermaid_group(s, child, &id, depth);
        }
    }
}

fn dot_group(s: &mut String, g: &Group<'_>, prefix: &str, depth: usize) {
    let pad = "  ".repeat(depth);
    for n in &g.nodes {
        let _ = writeln!(s, "{pad}\"{}\" [label=\"{}\"];", n.id, escape_dot(&label(n)));
    }
    for name in &g.order {
        let child = &g.children[name];
        let id = format!("{prefix}__{}", sanitize(name));
        if child.size() >= 2 {
            let _ = writeln!(s, "{pad}subgraph \"{id}\" {{\n{pad}  label=\"{}\";", escape_dot(name));
            dot_group(s, child, &id, depth + 1);
            let _ = writeln!(s, "{pad}}}");
        } else {
            dot_group(s, child, &id, depth);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;
    use serde_json::json;

    fn stack(name: &str, template: Json, paths: &[(&str, &str)]) -> StackArtifact {
        StackArtifact {
            name: name.into(),
            template,
            dependencies: Vec::new(),
            region: None,
            stack_tags: IndexMap::new(),
            logical_ids: paths.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        }
    }

    fn app() -> Assembly {
        let net = stack(
            "Net",
            json!({
                "Resources": {
                    "SG": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "a \"quoted\" <b>" } },
                    "Topic": { "Type": "AWS::SNS::Topic" }
                },
                "Outputs": { "ExportsOutputRefSG": { "Value": { "Ref": "SG" }, "Export": { "Name": "Net:ExportsOutputRefSG" } } }
            }),
            &[("SG", "Access/SecurityGroup"), ("Topic", "Alerts/Resource")],
        );
        let cache = stack(
            "Cache",
            json!({
                "Resources": {
                    "Secret": { "Type": "AWS::SecretsManager::Secret" },
                    "PG": { "Type": "AWS::ElastiCache::ParameterGroup" },
                    "RG": { "Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
                        "SecurityGroupIds": [{ "Fn::ImportValue": "Net:ExportsOutputRefSG" }],
                        "AuthToken": { "Fn::Sub": "{{resolve:secretsmanager:${Secret}:SecretString:token}}" },
                        "CacheParameterGroupName": { "Ref": "PG" }
                    }, "DependsOn": ["PG"] },
                    "Alarm": { "Type": "AWS::CloudWatch::Alarm", "Properties": {
                        "Dimensions": [{ "Value": { "Ref": "RG" } }], "AlarmActions": [{ "Ref": "Secret" }] } },
                    "end": { "Type": "AWS::SNS::Topic" }
                }
            }),
            &[
                ("Secret", "AuthToken/Resource"),
                ("PG", "Redis/ParameterGroup"),
                ("RG", "Redis/Resource"),
                ("Alarm", "Redis/Alarms/Cpu/Resource"),
            ],
        );
        Assembly { stacks: vec![net, cache], warnings: Vec::new() }
    }

    /// The structure a Mermaid parser needs: a header, balanced subgraph/end,
    /// every node declared once, every edge endpoint declared.
    pub(crate) fn check_mermaid(m: &str) {
        let mut lines = m.lines();
        assert_eq!(lines.next(), Some("flowchart LR"));
        let mut depth = 0i32;
        let mut declared = BTreeSet::new();
        let mut subgraphs = BTreeSet::new();
        let mut edges = Vec::new();
        for line in lines {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("subgraph ") {
                depth += 1;
                let id = rest.split('[').next().unwrap();
                assert!(subgraphs.insert(id.to_string()), "subgraph {id} twice");
            } else if t == "end" {
                depth -= 1;
                assert!(depth >= 0, "end without subgraph");
            } else if let Some((from, rest)) = t.split_once(" -->|").or_else(|| t.split_once(" -.->|")) {
                let to = rest.split_once("| ").unwrap().1;
                edges.push((from.to_string(), to.to_string()));
            } else {
                let (id, label) = t.split_once("[\"").expect(t);
                assert!(label.ends_with("\"]") && !label[..label.len() - 2].contains('"'), "label of {id}: {label}");
                assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "id {id}");
                assert!(!RESERVED.contains(&id.to_ascii_lowercase().as_str()), "reserved id {id}");
                assert!(declared.insert(id.to_string()), "node {id} declared twice");
            }
        }
        assert_eq!(depth, 0, "unbalanced subgraph/end");
        for (a, b) in edges {
            assert!(declared.contains(&a) && declared.contains(&b), "edge {a} -> {b}: endpoint not declared");
        }
    }

    #[test]
    fn mermaid_structure() {
        let m = diagram(&app()).to_mermaid();
        check_mermaid(&m);
        assert_eq!(
            m,
            "flowchart LR\n  \
               subgraph stack_Net[\"Stack Net\"]\n    \
                 SG[\"SecurityGroup SecurityGroup\"]\n    \
                 Topic[\"Topic Alerts\"]\n  \
               end\n  \
               subgraph stack_Cache[\"Stack Cache\"]\n    \
                 r_end[\"Topic end\"]\n    \
                 Secret[\"Secret AuthToken\"]\n    \
                 subgraph stack_Cache__Redis[\"Redis\"]\n      \
                   PG[\"ParameterGroup ParameterGroup\"]\n      \
                   RG[\"ReplicationGroup Redis\"]\n      \
                   Alarm[\"Alarm Cpu\"]\n    \
                 end\n  \
               end\n  \
               Alarm -->|AlarmActions| Secret\n  \
               PG -->|CacheParameterGroupName| RG\n  \
               PG -.->|DependsOn| RG\n  \
               RG -->|Dimensions| Alarm\n  \
               SG -->|import| RG\n  \
               Secret -->|AuthToken| RG\n"
        );
    }

    #[test]
    fn dot_is_balanced() {
        let d = diagram(&app()).to_dot();
        assert!(d.starts_with("digraph app {\n"));
        assert_eq!(d.matches('{').count(), d.matches('}').count());
        assert!(d.contains("\"SG\" -> \"RG\" [label=\"import\", style=bold];"));
        assert!(d.contains("\"PG\" -> \"RG\" [label=\"DependsOn\", style=dashed];"));
    }

    #[test]
    fn shared_logical_ids_are_prefixed_with_the_stack() {
        let a = stack("A", json!({ "Resources": { "T": { "Type": "AWS::SNS::Topic" } } }), &[]);
        let b = stack("B-2", json!({ "Resources": { "T": { "Type": "AWS::SNS::Topic" } } }), &[]);
        let d = diagram(&Assembly { stacks: vec![a, b], warnings: Vec::new() });
        assert_eq!(d.nodes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["A_T", "B_2_T"]);
        check_mermaid(&d.to_mermaid());
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(escape_mermaid("a \"b\" <c> #1 | d"), "a #quot;b#quot; #lt;c#gt; #35;1 #124; d");
        assert_eq!(escape_dot("a \"b\" \\"), "a \\\"b\\\" \\\\");
    }
}
