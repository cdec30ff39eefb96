//! Synthesis: the construct tree becomes one CloudFormation template per stack.
//!
//! 1. logical IDs are allocated for every element (CDK algorithm or override);
//! 2. each stack is rendered in tree order, resolving references: across stacks
//!    a reference becomes an export in the producer and `Fn::ImportValue` in
//!    the consumer. Meanwhile the other cores compile the schemas the stacks use
//!    and run [`crate::validate::check_template`] (integrity, schemas, ElastiCache
//!    rules) on each template as soon as it is rendered;
//! 3. the exports are added to their producers, whose templates are checked again;
//! 4. the app-wide checks run (export names, stack dependency cycles), and every
//!    finding is mapped back to its construct path, in stack order.
//!
//! Everything found is reported together; any error means no template at all.

use crate::core::diagnostics::{Diagnostic, Severity, SynthError};
use crate::core::elements::{DependsOn, Element, Output, Parameter, SNAPSHOT_TYPES};
use crate::core::files;
use crate::core::logical_id::{is_valid_logical_id, make_unique_id};
use crate::core::parallel::{available_cores, par_map, par_map_chunks};
use crate::core::resource::ResourceDef;
use crate::core::stack::{join_path, App, Node, Stack};
use crate::core::value::{FastHash, OrderedMap, Resolver, Target, Value};
use crate::validate::Finding;
use indexmap::IndexMap;
use serde_json::{json, Map};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::{mpsc, Condvar, Mutex};

/// The version of the AWS CDK cloud-assembly schema the manifest is written in.
/// The fields synth writes are all in schema 21 (aws-cdk-lib 2.5x, 2022), and the
/// CDK CLI reads every major from 0 to its own: measured on 2026-12-01 with CLI
/// 2.1148.1 (schema 55) and 3.0.0 (schema 43), with the CLI's schema validation on
/// (`TESTING_CDK=1`), in `tests/cdk_cli.rs`. A lower version reaches older CLIs.
pub const CLOUD_ASSEMBLY_VERSION: &str = "21.0.0";

/// The synthesized app: one template per stack, plus the warnings.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// The stacks, in the order they were added.
    pub stacks: Vec<StackArtifact>,
    /// Warnings found while synthesizing.
    pub warnings: Vec<Diagnostic>,
}

/// One synthesized stack.
#[derive(Debug, Clone)]
pub struct StackArtifact {
    /// The stack name.
    pub name: String,
    /// The CloudFormation template.
    pub template: serde_json::Value,
    /// Stacks that must be deployed first.
    pub dependencies: Vec<String>,
    /// The region set on the stack, if any.
    pub region: Option<String>,
    /// Stack-level tags, for `aws cloudformation deploy --tags`.
    pub stack_tags: IndexMap<String, String>,
    /// Logical ID → construct path (below the stack) of every element.
    pub logical_ids: OrderedMap<String, String>,
}

impl StackArtifact {
    /// The template as pretty JSON (one-space indentation, as CDK writes), with a final newline.
    pub fn to_json(&self) -> String {
        to_pretty_json(&self.template)
    }

    /// The file name `synth --out` writes: `<Stack>.template.json`.
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.name)
    }
}

/// Pretty JSON with one-space indentation and a final newline.
pub fn to_pretty_json(value: &serde_json::Value) -> String {
    let mut buf = Vec::with_capacity(16 * 1024);
    write_pretty_json(value, &mut buf);
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

/// Appends `value` as pretty JSON (one-space indentation, final newline) to `buf`.
fn write_pretty_json(value: &serde_json::Value, buf: &mut Vec<u8>) {
    use serde::Serialize;
    let mut ser = serde_json::Serializer::with_formatter(&mut *buf, OneSpace { depth: 0, has_value: false });
    value.serialize(&mut ser).expect("serializing a JSON value cannot fail");
    buf.push(b'\n');
}

/// serde_json's `PrettyFormatter` with a one-space indent, byte for byte, but
/// writing each line break and its indentation at once rather than one space at
/// a time (serializing is most of the cost of writing templates).
struct OneSpace {
    depth: usize,
    has_value: bool,
}

/// `,` then a line break then indentation, sliced for each depth.
const BREAK: &[u8] = b",\n                                                                ";

impl OneSpace {
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        let from = usize::from(!comma);
        if self.depth + 2 <= BREAK.len() {
            w.write_all(&BREAK[from..self.depth + 2])
        } else {
            w.write_all(&BREAK[from..2])?;
            (0..self.depth).try_for_each(|_| w.write_all(b" "))
        }
    }

    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, open: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, close: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(close)
    }
}

impl serde_json::ser::Formatter for OneSpace {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.line(w, !first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.line(w, !first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

impl Assembly {
    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The cloud-assembly manifest, in the AWS CDK's schema (version
    /// [`CLOUD_ASSEMBLY_VERSION`]), so the CDK CLI reads the directory as its own
    /// `cdk.out`: one `aws:cloudformation:stack` artifact per stack, with its
    /// environment (`aws://unknown-account/<region or unknown-region>`), template
    /// file, stack tags, dependencies and display name; and under `runtime` the
    /// library and its version, by which synth knows its own manifest again.
    pub fn manifest(&self) -> serde_json::Value {
        let mut artifacts = Map::new();
        for s in &self.stacks {
            let mut a = Map::new();
            a.insert("type".into(), json!("aws:cloudformation:stack"));
            a.insert(
                "environment".into(),
                json!(format!("aws://unknown-account/{}", s.region.as_deref().unwrap_or("unknown-region"))),
            );
            let mut props = Map::new();
            props.insert("templateFile".into(), json!(s.template_file()));
            if !s.stack_tags.is_empty() {
                props.insert("tags".into(), json!(s.stack_tags));
            }
            a.insert("properties".into(), serde_json::Value::Object(props));
            a.insert("dependencies".into(), json!(s.dependencies));
            a.insert("displayName".into(), json!(s.name));
            artifacts.insert(s.name.clone(), serde_json::Value::Object(a));
        }
        json!({
            "version": CLOUD_ASSEMBLY_VERSION,
            "artifacts": artifacts,
            "runtime": { "libraries": { files::LIBRARY: env!("CARGO_PKG_VERSION") } },
        })
    }

    /// Adds `"Metadata": {"aws:cdk:path": "<Stack>/<construct path>"}` to every
    /// resource, as the AWS CDK does under its CLI: `cdk diff` and the
    /// CloudFormation console then name each resource by its construct path. A
    /// resource that already has an `aws:cdk:path` keeps it. `synth --out` and
    /// the CDK app contract add it; the templates printed to stdout (and
    /// [`App::synth`]) have none.
    pub fn add_path_metadata(&mut self) {
        for s in &mut self.stacks {
            let Some(resources) = s.template.get_mut("Resources").and_then(serde_json::Value::as_object_mut) else {
                continue;
            };
            for (id, resource) in resources.iter_mut() {
                let (Some(path), Some(resource)) = (s.logical_ids.get(id), resource.as_object_mut()) else { continue };
                let metadata = resource.entry("Metadata").or_insert_with(|| json!({}));
                if let Some(m) = metadata.as_object_mut() {
                    m.entry("aws:cdk:path").or_insert_with(|| json!(format!("{}/{path}", s.name)));
                }
            }
        }
    }

    /// Keeps only the stack `name` and the stacks it depends on, directly or not
    /// (a cloud assembly must hold every stack its stacks depend on).
    ///
    /// # Errors
    ///
    /// No stack has that name: the message lists the stacks there are.
    pub fn select_stack(&mut self, name: &str) -> Result<(), String> {
        if self.stack(name).is_none() {
            let names: Vec<&str> = self.stacks.iter().map(|s| s.name.as_str()).collect();
            return Err(format!("no stack named '{name}'; the app has: {}", names.join(", ")));
        }
        let mut keep: Vec<String> = vec![name.to_string()];
        let mut i = 0;
        while i < keep.len() {
            if let Some(s) = self.stack(&keep[i]) {
                for d in &s.dependencies {
                    if !keep.contains(d) {
                        keep.push(d.clone());
                    }
                }
            }
            i += 1;
        }
        self.stacks.retain(|s| keep.contains(&s.name));
        Ok(())
    }

    /// Writes `<Stack>.template.json` for every stack and `manifest.json` into `dir`
    /// (created if missing), safely:
    ///
    /// - each file is written to a hidden temporary file in `dir` and renamed over
    ///   the old one, so a failed or killed synth leaves every template
    ///   either as it was or complete, never cut; the manifest goes last; temporary
    ///   files a killed run left behind are removed by the next;
    /// - a symbolic link (or a directory) where a file is to go is refused, never
    ///   followed;
    /// - a file that already holds exactly these bytes is left as it is, so an
    ///   unchanged template keeps its modification time;
    /// - templates of stacks no longer in the app are removed, but only those the
    ///   previous `manifest.json` written by synth lists.
    ///
    /// # Errors
    ///
    /// The first I/O error, naming the file.
    pub fn write_to_dir(&self, dir: &Path) -> std::io::Result<()> {
        self.write_files(dir, false)
    }

    /// [`Assembly::write_to_dir`], with every file synced to disk before it is
    /// renamed into place and the directory synced after, so the templates survive
    /// a power loss or a crash of the machine too (a killed synth needs no sync:
    /// the rename is atomic either way). Costs a disk flush: on the 2-core CI
    /// machine about 20 ms for 100 templates, a fifth of `split_scale`'s time.
    ///
    /// # Errors
    ///
    /// As [`Assembly::write_to_dir`].
    pub fn write_to_dir_durable(&self, dir: &Path) -> std::io::Result<()> {
        self.write_files(dir, true)
    }

    fn write_files(&self, dir: &Path, durable: bool) -> std::io::Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| files::named(dir, e))?;
        files::remove_stale_temporaries(dir);
        let previous = files::previous_templates(dir);
        // serializing and writing the temporary files: one thread per core, each
        // reusing one buffer; then syncing together and renaming
        let staged = par_map_chunks(&self.stacks, |part| {
            let mut buf = Vec::with_capacity(64 * 1024);
            part.iter()
                .map(|s| {
                    buf.clear();
                    write_pretty_json(&s.template, &mut buf);
                    files::stage(dir, &s.template_file(), &buf)
                })
                .collect::<Vec<_>>()
        });
        let mut ready = Vec::with_capacity(staged.len());
        let mut failed = None;
        for s in staged {
            match s {
                Ok(Some(f)) => ready.push(f),
                Ok(None) => {}
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        if let Some(e) = failed {
            files::discard(ready);
            return Err(e);
        }
        // the manifest is renamed last: a reader never sees it name a template not yet in place
        match files::stage(dir, "manifest.json", to_pretty_json(&self.manifest()).as_bytes()) {
            Ok(m) => ready.extend(m),
            Err(e) => {
                files::discard(ready);
                return Err(e);
            }
        }
        files::commit_staged(ready, durable)?;
        let current: Vec<String> = self.stacks.iter().map(StackArtifact::template_file).collect();
        for old in previous.iter().filter(|f| !current.contains(f)) {
            files::remove_listed(dir, old)?;
        }
        if durable {
            files::sync_dir(dir)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Resource,
    Parameter,
    Condition,
    Output,
}

#[derive(Debug)]
struct Ids {
    /// path → (logical id, kind)
    by_path: HashMap<String, (String, Kind), FastHash>,
    /// logical id → path, in tree order
    by_logical: OrderedMap<String, String>,
}

struct ExportRequest {
    producer: String,
    output_id: String,
    value: serde_json::Value,
    name: String,
}

struct Ctx<'a> {
    stack: &'a str,
    ids: &'a HashMap<String, Ids, FastHash>,
    exports: &'a mut Vec<ExportRequest>,
    deps: &'a mut Vec<String>,
}

impl Resolver for Ctx<'_> {
    fn reference(&mut self, target: &Target, attr: Option<&str>) -> Result<serde_json::Value, String> {
        let what = if attr.is_some() { "Fn::GetAtt" } else { "Ref" };
        let Some(ids) = self.ids.get(&target.stack) else {
            return Err(format!(
                "{what} to '{}' of stack '{}', which is not in this app; add that stack to the same app",
                target.path, target.stack
            ));
        };
        let Some((logical, kind)) = ids.by_path.get(&target.path) else {
            return Err(format!("{what} to '{}', which is not an element of stack '{}'", target.path, target.stack));
        };
        if !referable(attr, *kind) {
            return Err(format!(
                "{what} to '{}', which is a {}; only resources{} can be referenced this way",
                target.path,
                kind_name(*kind),
                if attr.is_none() { " and parameters" } else { "" }
            ));
        }
        let rendered = match attr {
            None => json!({ "Ref": logical }),
            Some(a) => json!({ "Fn::GetAtt": [logical, a] }),
        };
        if target.stack == self.stack {
            return Ok(rendered);
        }
        if *kind == Kind::Parameter {
            return Err(format!("parameter '{}' of stack '{}' is used in stack '{}'; parameters cannot cross stacks, pass the value to both stacks", target.path, target.stack, self.stack));
        }
        let compact = serde_json::to_string(&rendered).expect("JSON");
        let output_id = make_unique_id(&["Exports", &format!("Output{compact}")])?;
        let full = format!("{}:{}", target.stack, output_id);
        let name = if full.len() > 255 { full[full.len() - 255..].to_string() } else { full };
        if !self.exports.iter().any(|e| e.producer == target.stack && e.output_id == output_id) {
            self.exports.push(ExportRequest {
                producer: target.stack.clone(),
                output_id,
                value: rendered,
                name: name.clone(),
            });
        }
        if !self.deps.contains(&target.stack) {
            self.deps.push(target.stack.clone());
        }
        Ok(json!({ "Fn::ImportValue": name }))
    }

    fn local_name(&mut self, target: &Target, attr: Option<&str>) -> Option<String> {
        if target.stack != self.stack {
            return None;
        }
        let (logical, kind) = self.ids.get(&target.stack)?.by_path.get(&target.path)?;
        referable(attr, *kind).then(|| logical.clone())
    }

    fn condition(&mut self, target: &Target) -> Result<String, String> {
        if target.stack != self.stack {
            return Err(format!(
                "condition '{}' of stack '{}' is used in stack '{}'; conditions cannot cross stacks",
                target.path, target.stack, self.stack
            ));
        }
        match self.ids.get(&target.stack).and_then(|i| i.by_path.get(&target.path)) {
            Some((logical, Kind::Condition)) => Ok(logical.clone()),
            Some((_, k)) => Err(format!("'{}' is a {}, not a condition", target.path, kind_name(*k))),
            None => Err(format!("condition '{}' is not an element of stack '{}'", target.path, target.stack)),
        }
    }
}

/// Whether an element of `kind` can be the target of a `Ref` (`attr` is `None`:
/// resources and parameters) or of a `Fn::GetAtt` (resources only).
fn referable(attr: Option<&str>, kind: Kind) -> bool {
    matches!((attr, kind), (None, Kind::Resource | Kind::Parameter) | (Some(_), Kind::Resource))
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Resource => "resource",
        Kind::Parameter => "parameter",
        Kind::Condition => "condition",
        Kind::Output => "output",
    }
}

/// A stack once rendered.
struct Built {
    name: String,
    /// `Null` while the template is out being checked.
    template: serde_json::Value,
    deps: Vec<String>,
    region: Option<String>,
    stack_tags: IndexMap<String, String>,
    /// Whether the template checks run on this stack.
    checked: bool,
    findings: Vec<Finding>,
}

/// A construct of the stack reported an error.
fn construct_failed(stack: &Stack) -> bool {
    stack.diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// What the constructs of `stack` reported: the paths of those that failed, the
/// template rules their errors stand for, and the rules of their warnings with
/// their paths ([`crate::core::Scope::rule_error`], `rule_warn`).
#[derive(Default)]
struct Failed {
    paths: Vec<String>,
    rules: Vec<String>,
    warned: Vec<(String, String)>,
}

impl Failed {
    fn of(stack: &Stack) -> Self {
        let mut f = Failed::default();
        for d in &stack.diagnostics {
            match (d.severity, &d.rule) {
                (Severity::Error, rule) => {
                    if !f.paths.contains(&d.path) {
                        f.paths.push(d.path.clone());
                    }
                    if let Some(r) = rule {
                        f.rules.push(r.clone());
                    }
                }
                (Severity::Warning, Some(r)) => f.warned.push((r.clone(), d.path.clone())),
                (Severity::Warning | Severity::Info, None) | (Severity::Info, Some(_)) => {}
            }
        }
        f
    }

    /// Whether a template finding of `rule` at construct path `path` repeats what a
    /// construct already reported: it is under a failed construct, of a rule a
    /// construct error stands for, or of the rule of a warning of the construct it
    /// is under. One choice is reported once, in the construct's words.
    fn covers(&self, path: &str, rule: &str) -> bool {
        self.rules.iter().any(|r| r == rule)
            || self.paths.iter().any(|p| under(path, p))
            || self.warned.iter().any(|(r, p)| r == rule && under(path, p))
    }
}

/// Whether construct path `path` is `failed` or below it.
fn under(path: &str, failed: &str) -> bool {
    path.strip_prefix(failed).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Work for the checking threads.
enum CheckTask {
    /// Compile the schema of a resource type.
    Compile(String),
    /// Check the template of stack `.0`, deployed to region `.2` when it has one.
    Check(usize, serde_json::Value, Option<String>),
}

/// The tasks synth hands to the checking threads as it renders.
struct CheckQueue {
    state: Mutex<(VecDeque<CheckTask>, bool)>,
    ready: Condvar,
}

impl CheckQueue {
    fn new(tasks: impl IntoIterator<Item = CheckTask>) -> Self {
        CheckQueue { state: Mutex::new((tasks.into_iter().collect(), false)), ready: Condvar::new() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (VecDeque<CheckTask>, bool)> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn push(&self, task: CheckTask) {
        self.lock().0.push_back(task);
        self.ready.notify_one();
    }

    /// No more tasks will come: the threads finish what is queued and stop.
    fn close(&self) {
        self.lock().1 = true;
        self.ready.notify_all();
    }

    /// Runs tasks until the queue is closed and empty, sending each template back
    /// with its findings.
    fn run(&self, done: &mpsc::Sender<(usize, serde_json::Value, Vec<Finding>)>) {
        loop {
            let task = {
                let mut state = self.lock();
                loop {
                    if let Some(task) = state.0.pop_front() {
                        break task;
                    }
                    if state.1 {
                        return;
                    }
                    state = self.ready.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
                }
            };
            match task {
                CheckTask::Compile(type_name) => {
                    crate::validate::schema::precompile([type_name.as_str()]);
                }
                CheckTask::Check(index, template, region) => {
                    let findings = crate::validate::check_template_in(&template, region.as_deref());
                    // the receiver lives until every sender is gone
                    let _ = done.send((index, template, findings));
                }
            }
        }
    }
}

impl App {
    /// Synthesizes every stack, validating everything on the way.
    ///
    /// # Errors
    ///
    /// A [`SynthError`] listing every error found (construction errors, unresolved
    /// references, integrity, schema and rule findings), each as `[path] message`.
    /// No template is produced when there is any error.
    pub fn synth(&self) -> Result<Assembly, SynthError> {
        synthesize(&self.diagnostics, self.stacks.values().map(StackSrc::Borrowed).collect())
    }

    /// Synthesizes like [`App::synth`], with the same result, but consumes the app:
    /// each stack's strings and maps move into its template instead of being
    /// copied, and the rest of its tree is freed as soon as the template is
    /// rendered, so a large app never holds its trees and all its templates at
    /// once. Faster; for programs that synthesize once, such as the `synth` command.
    ///
    /// # Errors
    ///
    /// As [`App::synth`].
    pub fn into_assembly(self) -> Result<Assembly, SynthError> {
        synthesize(&self.diagnostics, self.stacks.into_values().map(|s| StackSrc::Owned(Box::new(s))).collect())
    }
}

/// A stack to synthesize, borrowed or owned (dropped once rendered).
enum StackSrc<'a> {
    Borrowed(&'a Stack),
    Owned(Box<Stack>),
}

impl StackSrc<'_> {
    fn get(&self) -> &Stack {
        match self {
            StackSrc::Borrowed(s) => s,
            StackSrc::Owned(s) => s,
        }
    }

    /// The elements in tree order, each with its node: moved out of an owned
    /// stack (its strings then move into the template), copied from a borrowed one.
    fn take_elements(&mut self) -> Vec<(usize, Element)> {
        let mut order: Vec<usize> = Vec::new();
        let stack = self.get();
        stack.walk_indices(0, &mut |i| {
            if stack.nodes[i].element.is_some() {
                order.push(i);
            }
        });
        match self {
            StackSrc::Borrowed(s) => order.into_iter().filter_map(|i| Some((i, s.nodes[i].element.clone()?))).collect(),
            StackSrc::Owned(s) => order.into_iter().filter_map(|i| Some((i, s.nodes[i].element.take()?))).collect(),
        }
    }
}

fn synthesize(app_diagnostics: &[Diagnostic], stacks: Vec<StackSrc<'_>>) -> Result<Assembly, SynthError> {
    let mut diags: Vec<Diagnostic> = app_diagnostics.to_vec();
    for stack in &stacks {
        diags.extend(stack.get().diagnostics.iter().cloned());
    }
    let names: Vec<String> = stacks.iter().map(|s| s.get().name.clone()).collect();

    // 1. logical ids
    let mut ids: HashMap<String, Ids, FastHash> = HashMap::default();
    for stack in &stacks {
        let stack = stack.get();
        ids.insert(stack.name.clone(), allocate_ids(stack, &mut diags));
    }

    // 2. render the stacks in order on this thread, while the other cores compile
    //    the schemas the stacks use and check each template as soon as it is
    //    rendered; this thread joins the checks once it has rendered the last stack.
    //
    //    Rendering stays on this thread, and an owned stack's tree is dropped right
    //    after its template is rendered, so the allocator reuses that memory for the
    //    next templates. Rendering on the other cores too was measured slower and
    //    bigger (100 split stacks: 38 MB instead of 35, and about 1,000 futex calls):
    //    a thread that frees tree memory this thread allocated contends for the
    //    allocator's arena lock. The checks only read a template and free what they
    //    allocate themselves.
    let types: BTreeSet<String> = stacks
        .iter()
        .map(StackSrc::get)
        .filter(|s| !construct_failed(s))
        .flat_map(|s| {
            s.nodes.iter().filter_map(|n| match &n.element {
                Some(Element::Resource(def)) => Some(def.type_name.clone()),
                _ => None,
            })
        })
        .collect();
    let workers = available_cores().saturating_sub(1).min(types.len() + stacks.len());
    let queue = CheckQueue::new(types.into_iter().map(CheckTask::Compile));
    let mut built: Vec<Built> = Vec::with_capacity(stacks.len());
    let mut failed_paths: Vec<Failed> = Vec::with_capacity(stacks.len());
    let mut exports: Vec<ExportRequest> = Vec::new();
    let (done_tx, done_rx) = mpsc::channel::<(usize, serde_json::Value, Vec<Finding>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (queue, done) = (&queue, done_tx.clone());
            scope.spawn(move || queue.run(&done));
        }
        // Should rendering panic, the queue still closes, so the scope's join of the
        // checking threads ends and the panic goes on up instead of hanging.
        struct CloseOnDrop<'q>(&'q CheckQueue);
        impl Drop for CloseOnDrop<'_> {
            fn drop(&mut self) {
                self.0.close();
            }
        }
        let _close = CloseOnDrop(&queue);
        for (index, mut src) in stacks.into_iter().enumerate() {
            let elements = src.take_elements();
            let stack = src.get();
            let mut deps: Vec<String> = Vec::new();
            let mut stack_diags: Vec<Diagnostic> = Vec::new();
            let mut ctx = Ctx { stack: &stack.name, ids: &ids, exports: &mut exports, deps: &mut deps };
            let sections = render_stack(stack, elements, &mut ctx, &ids[&stack.name], &mut stack_diags);
            // Template checks run unless a reference could not be rendered (that leaves
            // holes the checks would only repeat). A construct that reported an error
            // has told the user what to fix in its own terms, so the findings under its
            // own path are dropped below; findings elsewhere in the stack still show.
            let checked = stack_diags.is_empty();
            failed_paths.push(Failed::of(stack));
            for d in &stack.dependencies {
                if !deps.contains(d) {
                    deps.push(d.clone());
                }
                if !names.contains(d) {
                    stack_diags.push(
                        Diagnostic::error(
                            stack.name.clone(),
                            format!("stack depends on '{d}', which is not in this app"),
                        )
                        .with_rule("APP005"),
                    );
                }
            }
            diags.extend(stack_diags);
            let mut template = Map::new();
            if let Some(d) = &stack.description {
                template.insert("Description".into(), json!(d));
            }
            if !stack.metadata.is_empty() {
                template.insert("Metadata".into(), json!(stack.metadata));
            }
            for (k, v) in sections {
                if !v.is_empty() {
                    template.insert(k.to_string(), serde_json::Value::Object(v));
                }
            }
            let mut template = serde_json::Value::Object(template);
            if checked {
                // back with its findings once checked
                queue.push(CheckTask::Check(index, std::mem::take(&mut template), stack.region.clone()));
            }
            built.push(Built {
                name: stack.name.clone(),
                template,
                deps,
                region: stack.region.clone(),
                stack_tags: stack.stack_tags.clone(),
                checked,
                findings: Vec::new(),
            });
            drop(src);
        }
        queue.close();
        queue.run(&done_tx);
        drop(done_tx);
        for (index, template, findings) in done_rx {
            built[index].template = template;
            built[index].findings = findings;
        }
    });

    // 3. outputs the other stacks import; a template that gains some is checked again
    let mut recheck: Vec<usize> = Vec::new();
    for e in exports {
        let Some(i) = built.iter().position(|b| b.name == e.producer) else { continue };
        if let Some(template) = built[i].template.as_object_mut() {
            let outputs = template.entry("Outputs").or_insert_with(|| serde_json::Value::Object(Map::new()));
            if let Some(outputs) = outputs.as_object_mut() {
                outputs.insert(e.output_id, json!({ "Value": e.value, "Export": { "Name": e.name } }));
            }
        }
        if built[i].checked && !recheck.contains(&i) {
            recheck.push(i);
        }
    }
    let rechecked =
        par_map(&recheck, |&i| crate::validate::check_template_in(&built[i].template, built[i].region.as_deref()));
    for (i, findings) in recheck.into_iter().zip(rechecked) {
        built[i].findings = findings;
    }

    // 4. app-wide checks
    check_export_names(&built, &ids, &mut diags);
    check_stack_cycles(&built, &mut diags);

    // 5. the findings of every template, mapped back to construct paths
    let mut stacks = Vec::with_capacity(built.len());
    for (b, failed) in built.into_iter().zip(failed_paths) {
        let logical_ids = ids.remove(&b.name).map(|i| i.by_logical).unwrap_or_default();
        for f in b.findings {
            let path = f
                .logical_id
                .as_ref()
                .and_then(|l| logical_ids.get(l))
                .map(|p| join_path(&b.name, p))
                .unwrap_or_else(|| b.name.clone());
            if failed.covers(&path, f.rule) {
                continue;
            }
            let message = if f.path.is_empty() { f.message } else { format!("{}: {}", f.path, f.message) };
            diags.push(Diagnostic { severity: f.severity, path, message, rule: Some(f.rule.to_string()) });
        }
        stacks.push(StackArtifact {
            name: b.name,
            template: b.template,
            dependencies: b.deps,
            region: b.region,
            stack_tags: b.stack_tags,
            logical_ids,
        });
    }

    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(SynthError { diagnostics: diags });
    }
    Ok(Assembly { stacks, warnings: diags })
}

fn allocate_ids(stack: &Stack, diags: &mut Vec<Diagnostic>) -> Ids {
    let mut ids = Ids { by_path: HashMap::default(), by_logical: OrderedMap::default() };
    stack.walk(0, &mut |n: &Node| {
        let Some(el) = &n.element else { return };
        let kind = match el {
            Element::Resource(_) => Kind::Resource,
            Element::Parameter(_) => Kind::Parameter,
            Element::Condition(_) => Kind::Condition,
            Element::Output(_) => Kind::Output,
        };
        let full = || join_path(&stack.name, &n.path);
        let logical = match &n.logical_id_override {
            Some(o) => o.clone(),
            None => {
                let parts: Vec<&str> = n.path.split('/').collect();
                match make_unique_id(&parts) {
                    Ok(id) => id,
                    Err(e) => {
                        diags.push(Diagnostic::error(full(), e).with_rule("APP009"));
                        return;
                    }
                }
            }
        };
        if !is_valid_logical_id(&logical) {
            diags.push(Diagnostic::error(
                full(),
                format!("logical id '{logical}' must match ^[A-Za-z0-9]{{1,255}}$; choose an override of letters and digits"),
            ).with_rule("TPL006"));
        }
        if let Some(other) = ids.by_logical.get(&logical) {
            diags.push(Diagnostic::error(
                full(),
                format!("two elements have the logical id '{logical}': {} and {}; rename one construct or change its logical id override", join_path(&stack.name, other), join_path(&stack.name, &n.path)),
            ).with_rule("APP007"));
            return;
        }
        ids.by_logical.insert(logical.clone(), n.path.clone());
        ids.by_path.insert(n.path.clone(), (logical, kind));
    });
    ids
}

/// The template sections elements render into, in template order.
const SECTIONS: [&str; 4] = ["Parameters", "Conditions", "Resources", "Outputs"];

fn section_of(element: &Element) -> usize {
    match element {
        Element::Parameter(_) => 0,
        Element::Condition(_) => 1,
        Element::Resource(_) => 2,
        Element::Output(_) => 3,
    }
}

fn render_stack(
    stack: &Stack,
    elements: Vec<(usize, Element)>,
    ctx: &mut Ctx<'_>,
    ids: &Ids,
    diags: &mut Vec<Diagnostic>,
) -> [(&'static str, Map<String, serde_json::Value>); 4] {
    let mut counts = [0usize; 4];
    for (_, el) in &elements {
        counts[section_of(el)] += 1;
    }
    let mut sections = [0, 1, 2, 3].map(|i| (SECTIONS[i], Map::with_capacity(counts[i])));
    for (index, element) in elements {
        let n = &stack.nodes[index];
        let Some((logical, _)) = ids.by_path.get(&n.path) else { continue };
        let mut errors: Vec<String> = Vec::new();
        let section = section_of(&element);
        let rendered = match element {
            Element::Resource(mut def) => {
                if def.condition.is_none() {
                    def.condition = scope_condition(stack, &n.path);
                }
                render_resource(stack, n, def, ctx, ids, &mut errors)
            }
            Element::Parameter(p) => render_parameter(&p),
            Element::Condition(expr) => expr.into_json(ctx).unwrap_or_else(|e| {
                errors.push(e);
                serde_json::Value::Null
            }),
            Element::Output(mut o) => {
                if o.condition.is_none() {
                    o.condition = scope_condition(stack, &n.path);
                }
                render_output(o, ctx, &mut errors)
            }
        };
        if !errors.is_empty() {
            let full = join_path(&stack.name, &n.path);
            for e in errors {
                // a removal policy the type does not support is TPL010's choice; the
                // rest are references that cannot be rendered
                let rule = if e.starts_with("removal policy") { "TPL010" } else { "APP006" };
                diags.push(Diagnostic::error(full.clone(), e).with_rule(rule));
            }
        }
        sections[section].1.insert(logical.clone(), rendered);
    }
    sections
}

fn render_value(v: Value, ctx: &mut Ctx<'_>, what: &str, errors: &mut Vec<String>) -> serde_json::Value {
    v.into_json(ctx).unwrap_or_else(|e| {
        errors.push(format!("{what}: {e}"));
        serde_json::Value::Null
    })
}

/// The condition of the deepest scope above `path` that has one
/// ([`crate::core::stack::Scope::set_condition`]).
fn scope_condition(stack: &Stack, path: &str) -> Option<Target> {
    stack
        .conditions
        .iter()
        .filter(|c| {
            c.scope_path.is_empty()
                || path == c.scope_path
                || path.strip_prefix(&c.scope_path).is_some_and(|r| r.starts_with('/'))
        })
        .max_by_key(|c| c.scope_path.len())
        .map(|c| c.target.clone())
}

fn render_resource(
    stack: &Stack,
    node: &Node,
    def: ResourceDef,
    ctx: &mut Ctx<'_>,
    ids: &Ids,
    errors: &mut Vec<String>,
) -> serde_json::Value {
    let mut entry = Map::new();
    entry.insert("Type".into(), serde_json::Value::String(def.type_name.clone()));
    let spec = crate::cfn::type_spec(&def.type_name);
    let taggable = def.taggable.unwrap_or_else(|| spec.is_some_and(|s| s.taggable));
    let mut props = Map::with_capacity(def.properties.len() + usize::from(taggable));
    for (k, v) in def.properties {
        let rendered = render_value(v, ctx, &k, errors);
        props.insert(k, rendered);
    }
    if taggable {
        apply_tags(stack, node, &mut props, ctx, errors);
        if spec.is_some() {
            // typed resources keep CloudFormation's alphabetical property order
            props.sort_keys();
        }
    }
    if !props.is_empty() {
        entry.insert("Properties".into(), serde_json::Value::Object(props));
    }
    if !def.depends_on.is_empty() {
        let mut deps: Vec<(String, String)> = Vec::new();
        for d in &def.depends_on {
            match d {
                DependsOn::Resource(t) if t.stack != stack.name => errors.push(format!(
                    "DependsOn '{}' of stack '{}': a resource can only depend on resources of its own stack; use Stack::add_dependency",
                    t.path, t.stack
                )),
                DependsOn::Resource(t) => match ids.by_path.get(&t.path) {
                    Some((l, Kind::Resource)) => deps.push((t.path.clone(), l.clone())),
                    _ => errors.push(format!("DependsOn '{}', which is not a resource of stack '{}'", t.path, stack.name)),
                },
                DependsOn::LogicalId(l) => deps.push((l.clone(), l.clone())),
            }
        }
        deps.sort();
        deps.dedup_by(|a, b| a.1 == b.1);
        entry.insert("DependsOn".into(), json!(deps.into_iter().map(|d| d.1).collect::<Vec<_>>()));
    }
    if let Some(p) = def.update_policy {
        entry.insert("UpdatePolicy".into(), p);
    }
    if let Some(policy) = def.removal_policy {
        if policy == crate::core::elements::RemovalPolicy::Snapshot && !SNAPSHOT_TYPES.contains(&def.type_name.as_str())
        {
            errors.push(format!(
                "removal policy Snapshot is not supported by {}; use Retain or Destroy (Snapshot applies to {})",
                def.type_name,
                SNAPSHOT_TYPES.join(", ")
            ));
        }
        entry.insert("UpdateReplacePolicy".into(), json!(policy.update_replace_policy()));
        entry.insert("DeletionPolicy".into(), json!(policy.deletion_policy()));
    }
    if !def.metadata.is_empty() {
        entry.insert("Metadata".into(), serde_json::Value::Object(def.metadata.into_iter().collect()));
    }
    if let Some(c) = &def.condition {
        match ctx.condition(c) {
            Ok(name) => {
                entry.insert("Condition".into(), json!(name));
            }
            Err(e) => errors.push(e),
        }
    }
    serde_json::Value::Object(entry)
}

fn apply_tags(
    stack: &Stack,
    node: &Node,
    props: &mut Map<String, serde_json::Value>,
    ctx: &mut Ctx<'_>,
    errors: &mut Vec<String>,
) {
    // (priority, depth, order) decides; own tags have priority 50 and lose ties to rules.
    let mut winners: IndexMap<String, ((u32, usize, usize), serde_json::Value)> = IndexMap::new();
    match props.get("Tags") {
        None => {}
        Some(serde_json::Value::Array(own)) => {
            for (i, t) in own.iter().enumerate() {
                if let (Some(k), Some(v)) = (t.get("Key").and_then(|k| k.as_str()), t.get("Value")) {
                    winners.insert(k.to_string(), ((50, 0, i), v.clone()));
                }
            }
        }
        Some(_) => return,
    }
    let mut any_rule = false;
    for rule in &stack.tags {
        let applies = rule.scope_path.is_empty()
            || node
                .path
                .strip_prefix(rule.scope_path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if !applies {
            continue;
        }
        any_rule = true;
        let depth = if rule.scope_path.is_empty() { 0 } else { rule.scope_path.split('/').count() };
        let rank = (rule.priority, depth, rule.order);
        let better = winners.get(&rule.key).is_none_or(|(r, _)| rank >= *r);
        if better {
            let v = render_value(rule.value.clone(), ctx, &format!("tag {}", rule.key), errors);
            winners.insert(rule.key.clone(), (rank, v));
        }
    }
    if !any_rule && !props.contains_key("Tags") {
        return;
    }
    let mut tags: Vec<(String, serde_json::Value)> = winners.into_iter().map(|(k, (_, v))| (k, v)).collect();
    tags.sort_by(|a, b| a.0.cmp(&b.0));
    props.insert(
        "Tags".into(),
        serde_json::Value::Array(tags.into_iter().map(|(k, v)| json!({ "Key": k, "Value": v })).collect()),
    );
}

fn number(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn render_parameter(p: &Parameter) -> serde_json::Value {
    let mut m = Map::new();
    m.insert("Type".into(), json!(p.parameter_type.name()));
    if let Some(d) = &p.default {
        m.insert("Default".into(), d.clone());
    }
    if let Some(x) = &p.allowed_pattern {
        m.insert("AllowedPattern".into(), json!(x));
    }
    if !p.allowed_values.is_empty() {
        m.insert("AllowedValues".into(), json!(p.allowed_values));
    }
    if let Some(x) = &p.constraint_description {
        m.insert("ConstraintDescription".into(), json!(x));
    }
    if let Some(x) = &p.description {
        m.insert("Description".into(), json!(x));
    }
    if let Some(x) = p.max_length {
        m.insert("MaxLength".into(), json!(x));
    }
    if let Some(x) = p.max_value {
        m.insert("MaxValue".into(), number(x));
    }
    if let Some(x) = p.min_length {
        m.insert("MinLength".into(), json!(x));
    }
    if let Some(x) = p.min_value {
        m.insert("MinValue".into(), number(x));
    }
    if p.no_echo {
        m.insert("NoEcho".into(), json!(true));
    }
    serde_json::Value::Object(m)
}

fn render_output(o: Output, ctx: &mut Ctx<'_>, errors: &mut Vec<String>) -> serde_json::Value {
    let mut m = Map::new();
    if let Some(d) = o.description {
        m.insert("Description".into(), serde_json::Value::String(d));
    }
    m.insert("Value".into(), render_value(o.value, ctx, "Value", errors));
    if let Some(name) = o.export_name {
        m.insert("Export".into(), json!({ "Name": render_value(name, ctx, "Export.Name", errors) }));
    }
    if let Some(c) = &o.condition {
        match ctx.condition(c) {
            Ok(name) => {
                m.insert("Condition".into(), json!(name));
            }
            Err(e) => errors.push(e),
        }
    }
    serde_json::Value::Object(m)
}

fn check_export_names(built: &[Built], ids: &HashMap<String, Ids, FastHash>, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for r in built {
        let Some(outputs) = r.template.get("Outputs").and_then(serde_json::Value::as_object) else { continue };
        for (id, out) in outputs {
            let Some(name) = out.pointer("/Export/Name").and_then(|n| n.as_str()) else { continue };
            let path = ids
                .get(&r.name)
                .and_then(|i| i.by_logical.get(id))
                .map(|p| join_path(&r.name, p))
                .unwrap_or_else(|| format!("{}/{}", r.name, id));
            match seen.get(name) {
                Some(first) => diags.push(Diagnostic::error(
                    path,
                    format!("export name '{name}' is already used by {first}; export names must be unique in an account and region"),
                ).with_rule("TPL011")),
                None => {
                    seen.insert(name.to_string(), path);
                }
            }
        }
    }
}

fn check_stack_cycles(built: &[Built], diags: &mut Vec<Diagnostic>) {
    let graph: HashMap<&str, &Vec<String>> = built.iter().map(|r| (r.name.as_str(), &r.deps)).collect();
    let mut reported: HashSet<Vec<String>> = HashSet::new();
    for start in built.iter().map(|r| r.name.as_str()) {
        let mut stack: Vec<&str> = vec![start];
        if let Some(cycle) = find_cycle(start, &graph, &mut stack) {
            let mut key = cycle.clone();
            key.sort();
            key.dedup();
            if reported.insert(key) {
                diags.push(
                    Diagnostic::error(
                        start,
                        format!(
                            "stacks depend on each other in a cycle: {}; move the shared resources into one stack",
                            cycle.join(" -> ")
                        ),
                    )
                    .with_rule("APP008"),
                );
            }
        }
    }
}

fn find_cycle<'a>(
    node: &'a str,
    graph: &HashMap<&'a str, &'a Vec<String>>,
    path: &mut Vec<&'a str>,
) -> Option<Vec<String>> {
    for next in graph.get(node).map(|v| v.as_slice()).unwrap_or_default() {
        if let Some(i) = path.iter().position(|p| p == next) {
            let mut cycle: Vec<String> = path[i..].iter().map(|s| s.to_string()).collect();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if path.len() > graph.len() {
            return None;
        }
        path.push(next.as_str());
        if let Some(c) = find_cycle(next.as_str(), graph, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}
