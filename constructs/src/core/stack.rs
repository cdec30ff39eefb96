//! The construct tree: [`App`] → [`Stack`] → constructs, addressed by [`Scope`].

use super::diagnostics::Diagnostic;
use super::elements::{ConditionHandle, Element, Output, OutputHandle, Parameter, ParameterHandle, ResourceHandle};
use super::env::Environment;
use super::resource::ResourceDef;
use super::value::{FastHash, OrderedMap};
use super::value::{Target, Value};
use indexmap::IndexMap;
use std::collections::HashMap;

/// The longest stack name CloudFormation accepts.
pub const MAX_STACK_NAME_LENGTH: usize = 128;

/// The root of the construct tree: a set of stacks synthesized together.
#[derive(Debug, Default)]
pub struct App {
    pub(crate) stacks: IndexMap<String, Stack>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    environment: Option<Environment>,
}

impl App {
    /// An empty app.
    pub fn new() -> Self {
        App::default()
    }

    /// An empty app built for `environment` (the `--env` flag of `synth`).
    pub fn for_environment(environment: Environment) -> Self {
        App { environment: Some(environment), ..App::default() }
    }

    /// The environment the app is built for, if any.
    pub fn environment(&self) -> Option<Environment> {
        self.environment
    }

    /// Adds a stack named `name` and returns it.
    ///
    /// Stack names must match `^[A-Za-z][A-Za-z0-9-]*$` and be at most 128
    /// characters; an invalid or duplicate name is reported at synth. The stack is
    /// built for the app's environment ([`Stack::environment`]).
    ///
    /// The returned `&mut Stack` borrows the app, so a second `add_stack` ends it
    /// (E0499); to create stacks first and fill them later, keep their
    /// [`Stack::handle`]s and index the app with them (`app[handle]`, [`StackRef`]).
    pub fn add_stack(&mut self, name: &str) -> &mut Stack {
        if !is_valid_stack_name(name) {
            self.diagnostics.push(Diagnostic::error(
                name,
                format!("stack name must match ^[A-Za-z][A-Za-z0-9-]*$ and be at most {MAX_STACK_NAME_LENGTH} characters, got '{name}'; use letters, digits and hyphens, starting with a letter"),
            ).with_rule("APP001"));
        }
        let mut key = name.to_string();
        if self.stacks.contains_key(&key) {
            self.diagnostics.push(
                Diagnostic::error(
                    name,
                    format!("there is already a stack named '{name}' in the app; give each stack its own name"),
                )
                .with_rule("APP002"),
            );
            let mut n = 2;
            while self.stacks.contains_key(&format!("{name}#{n}")) {
                n += 1;
            }
            key = format!("{name}#{n}");
        }
        // a duplicate keeps its distinct key as its name, so its elements never mix with the first's
        let mut stack = Stack::new(&key);
        stack.index = self.stacks.len();
        stack.environment = self.environment;
        self.stacks.insert(key.clone(), stack);
        self.stacks.get_mut(&key).expect("just inserted")
    }

    /// The stack behind `handle` ([`Stack::handle`]), mutably: stacks can be
    /// created first and filled in any order, one at a time (also `app[handle]`).
    pub fn stack_at(&mut self, handle: StackRef) -> &mut Stack {
        &mut self.stacks[handle.0]
    }

    /// The stack named `name`, if there is one.
    pub fn stack(&self, name: &str) -> Option<&Stack> {
        self.stacks.get(name)
    }

    /// The stack named `name`, mutably, if there is one.
    pub fn stack_mut(&mut self, name: &str) -> Option<&mut Stack> {
        self.stacks.get_mut(name)
    }

    /// The stack names in the order they were added.
    pub fn stack_names(&self) -> Vec<&str> {
        self.stacks.values().map(|s| s.name.as_str()).collect()
    }

    /// Records an app-level error (reported at synth).
    pub fn error(&mut self, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error("", message));
    }
}

/// A handle to a stack of an [`App`], from [`Stack::handle`]: it borrows nothing,
/// so several stacks can be created first and filled later, in any order.
///
/// ```
/// use redis_cdk::{App, AuthSecret, AuthSecretProps, ConnectionSecret, ConnectionSecretProps};
///
/// let mut app = App::new();
/// let data = app.add_stack("Data").handle();
/// let web = app.add_stack("Web").handle();
/// // two `&mut Stack` at once would not compile (E0499); handles take turns
/// let token = AuthSecret::new(&mut app[data], "Token", AuthSecretProps::default());
/// let props = ConnectionSecretProps::new().secret("token", token.token());
/// ConnectionSecret::new(&mut app[web], "Connection", props);
/// let assembly = app.synth().unwrap();
/// assert_eq!(assembly.stacks[1].dependencies, ["Data"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StackRef(usize);

impl std::ops::Index<StackRef> for App {
    type Output = Stack;
    fn index(&self, handle: StackRef) -> &Stack {
        &self.stacks[handle.0]
    }
}

impl std::ops::IndexMut<StackRef> for App {
    fn index_mut(&mut self, handle: StackRef) -> &mut Stack {
        &mut self.stacks[handle.0]
    }
}

/// Whether `name` is a valid CloudFormation stack name.
pub fn is_valid_stack_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= MAX_STACK_NAME_LENGTH
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) children: OrderedMap<String, usize>,
    pub(crate) element: Option<Element>,
    pub(crate) logical_id_override: Option<String>,
}

/// A condition for every resource and output below a scope.
#[derive(Debug, Clone)]
pub(crate) struct ConditionRule {
    pub(crate) scope_path: String,
    pub(crate) target: super::value::Target,
}

#[derive(Debug, Clone)]
pub(crate) struct TagRule {
    pub(crate) scope_path: String,
    pub(crate) key: String,
    pub(crate) value: Value,
    pub(crate) priority: u32,
    pub(crate) order: usize,
}

/// A CloudFormation stack: the unit of deployment, and a scope for constructs.
#[derive(Debug)]
pub struct Stack {
    pub(crate) name: String,
    index: usize,
    environment: Option<Environment>,
    pub(crate) description: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) by_path: HashMap<String, usize, FastHash>,
    pub(crate) tags: Vec<TagRule>,
    pub(crate) conditions: Vec<ConditionRule>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) metadata: IndexMap<String, serde_json::Value>,
    pub(crate) dependencies: Vec<String>,
    pub(crate) stack_tags: IndexMap<String, String>,
}

impl Stack {
    fn new(name: &str) -> Self {
        let root = Node {
            id: String::new(),
            path: String::new(),
            children: OrderedMap::default(),
            element: None,
            logical_id_override: None,
        };
        Stack {
            name: name.to_string(),
            index: 0,
            environment: None,
            description: None,
            region: None,
            nodes: vec![root],
            by_path: HashMap::default(),
            tags: Vec::new(),
            conditions: Vec::new(),
            diagnostics: Vec::new(),
            metadata: IndexMap::new(),
            dependencies: Vec::new(),
            stack_tags: IndexMap::new(),
        }
    }

    /// The stack name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A handle to this stack in its app, to come back to it later ([`StackRef`]).
    pub fn handle(&self) -> StackRef {
        StackRef(self.index)
    }

    /// The environment the stack is built for: its own ([`Stack::set_environment`]),
    /// else the app's ([`App::for_environment`]), else none. Every construct
    /// takes its defaults from this environment's preset (dev's when there is
    /// none), so one stack never mixes two environments' sizes and policies.
    pub fn environment(&self) -> Option<Environment> {
        self.environment
    }

    /// Builds this stack for `environment`, whatever the app's (an app with a
    /// staging and a prod stack, say).
    ///
    /// Default: the app's environment.
    pub fn set_environment(&mut self, environment: Environment) -> &mut Self {
        self.environment = Some(environment);
        self
    }

    /// Sets the template `Description`.
    ///
    /// Default: no description.
    pub fn set_description(&mut self, description: impl Into<String>) -> &mut Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the region the stack is meant for (recorded in the manifest and used by
    /// cost estimates; the template itself stays region-agnostic).
    ///
    /// Default: no region; `aws cloudformation deploy` uses the CLI's region.
    pub fn set_region(&mut self, region: impl Into<String>) -> &mut Self {
        self.region = Some(region.into());
        self
    }

    /// The region set with [`Stack::set_region`], if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Adds a template-level `Metadata` entry.
    pub fn add_metadata(&mut self, key: impl Into<String>, value: serde_json::Value) -> &mut Self {
        self.metadata.insert(key.into(), value);
        self
    }

    /// Adds a tag to every taggable resource of the stack (priority 100).
    pub fn add_tag(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.root().add_tag(key, value);
        self
    }

    /// Adds a stack-level tag, recorded in the manifest for `aws cloudformation deploy --tags`.
    pub fn add_stack_tag(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.stack_tags.insert(key.into(), value.into());
        self
    }

    /// Declares that this stack must be deployed after the stack named `other`.
    pub fn add_dependency(&mut self, other: &str) -> &mut Self {
        if !self.dependencies.iter().any(|d| d == other) {
            self.dependencies.push(other.to_string());
        }
        self
    }

    /// The root scope of the stack.
    pub fn root(&mut self) -> Scope<'_> {
        Scope { stack: self, node: 0 }
    }

    /// Overrides the logical ID of the element at `target` (bypassing the CDK algorithm).
    pub fn override_logical_id(&mut self, target: &Target, logical_id: impl Into<String>) {
        match self.by_path.get(&target.path) {
            Some(&i) if target.stack == self.name => self.nodes[i].logical_id_override = Some(logical_id.into()),
            _ => self.diagnostics.push(
                Diagnostic::error(
                    format!("{}/{}", target.stack, target.path),
                    format!("cannot override the logical id: no element at this path in stack '{}'", self.name),
                )
                .with_rule("APP003"),
            ),
        }
    }

    /// The resource behind `handle`, to change its properties or attributes after creation.
    pub fn resource_mut(&mut self, handle: &ResourceHandle) -> Option<&mut ResourceDef> {
        if handle.target().stack != self.name {
            return None;
        }
        let i = *self.by_path.get(&handle.target().path)?;
        match &mut self.nodes[i].element {
            Some(Element::Resource(def)) => Some(def),
            _ => None,
        }
    }

    /// The resource at construct path `path` (below the stack), if there is one.
    pub fn resource(&self, path: &str) -> Option<&ResourceDef> {
        let i = *self.by_path.get(path)?;
        match &self.nodes[i].element {
            Some(Element::Resource(def)) => Some(def),
            _ => None,
        }
    }

    /// The resource `id` below `construct` (a relative path such as `ParameterGroup`
    /// or `ParameterGroup/Resource`), if the construct made one there: the handle
    /// to change it with [`Stack::resource_mut`] or to refer to it.
    ///
    /// ```
    /// use redis_cdk::{App, AuthSecret, AuthSecretProps, Value};
    ///
    /// let mut app = App::new();
    /// let stack = app.add_stack("Demo");
    /// let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    /// let secret = stack.child(&token, "Resource").expect("the secret");
    /// stack
    ///     .resource_mut(&secret)
    ///     .unwrap()
    ///     .add_property_override("GenerateSecretString.ExcludeCharacters", Value::str("0O1l"));
    /// ```
    pub fn child(&self, construct: &impl Construct, id: &str) -> Option<ResourceHandle> {
        if construct.stack_name() != self.name {
            return None;
        }
        let i = *self.by_path.get(&join_path(construct.path(), id))?;
        self.handle_at(i)
    }

    /// Every resource below `construct`, in tree order, with its path relative to
    /// the construct (`Resource`, `ParameterGroup/Resource`, `SlowLog`, ...).
    pub fn children(&self, construct: &impl Construct) -> Vec<(String, ResourceHandle)> {
        let Some(&start) = self.by_path.get(construct.path()).filter(|_| construct.stack_name() == self.name) else {
            return Vec::new();
        };
        let prefix = self.nodes[start].path.len() + 1;
        let mut out = Vec::new();
        self.walk_indices(start, &mut |i| {
            if let Some(h) = self.handle_at(i) {
                out.push((self.nodes[i].path[prefix..].to_string(), h));
            }
        });
        out
    }

    fn handle_at(&self, i: usize) -> Option<ResourceHandle> {
        match &self.nodes[i].element {
            Some(Element::Resource(def)) => Some(ResourceHandle::new(
                Target { stack: self.name.clone(), path: self.nodes[i].path.clone() },
                def.type_name.clone(),
            )),
            _ => None,
        }
    }

    /// The diagnostics recorded so far by the constructs of this stack.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Every construct path of the stack with an element, in tree order.
    pub fn element_paths(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(0, &mut |n: &Node| {
            if n.element.is_some() {
                out.push(n.path.as_str());
            }
        });
        out
    }

    /// Visits the indices of `node` and its descendants in tree order.
    pub(crate) fn walk_indices(&self, node: usize, f: &mut dyn FnMut(usize)) {
        f(node);
        for &child in self.nodes[node].children.values() {
            self.walk_indices(child, f);
        }
    }

    pub(crate) fn walk<'a>(&'a self, node: usize, f: &mut dyn FnMut(&'a Node)) {
        self.walk_indices(node, &mut |i| f(&self.nodes[i]));
    }
}

/// A construct of the tree, as every L2 construct is: where it is, so the
/// resources it made can be found ([`Stack::child`], [`Stack::children`]) and
/// changed ([`Stack::resource_mut`]), CDK's `node.findChild` and escape hatches.
pub trait Construct {
    /// The name of the stack the construct is in.
    fn stack_name(&self) -> &str;

    /// The construct path below the stack, such as `Sessions` or `Tenants/Adapter`:
    /// never starting with the stack name (messages add it).
    fn path(&self) -> &str;

    /// The path with the stack name first, `Stack/Sessions`, as messages name constructs.
    fn full_path(&self) -> String {
        join_path(self.stack_name(), self.path())
    }
}

/// Something constructs can be added to: a [`Stack`] (its root) or a [`Scope`].
pub trait AsScope {
    /// A scope at this place of the tree.
    fn as_scope(&mut self) -> Scope<'_>;
}

impl AsScope for Stack {
    fn as_scope(&mut self) -> Scope<'_> {
        self.root()
    }
}

impl AsScope for Scope<'_> {
    fn as_scope(&mut self) -> Scope<'_> {
        Scope { stack: self.stack, node: self.node }
    }
}

/// A place in the construct tree of one stack, where constructs add children.
#[derive(Debug)]
pub struct Scope<'a> {
    stack: &'a mut Stack,
    node: usize,
}

impl<'a> Scope<'a> {
    /// The construct path below the stack (`""` for the stack itself).
    pub fn path(&self) -> &str {
        &self.stack.nodes[self.node].path
    }

    /// The full path, starting with the stack name, as used in messages.
    pub fn full_path(&self) -> String {
        join_path(&self.stack.name, self.path())
    }

    /// The id of this scope (the last path component).
    pub fn id(&self) -> &str {
        &self.stack.nodes[self.node].id
    }

    /// The name of the stack this scope belongs to.
    pub fn stack_name(&self) -> &str {
        &self.stack.name
    }

    /// The stack this scope belongs to.
    pub fn stack(&mut self) -> &mut Stack {
        self.stack
    }

    /// A [`Target`] for a child of this scope with the given relative path.
    pub fn target(&self, relative: &str) -> Target {
        Target { stack: self.stack.name.clone(), path: join_path(self.path(), relative) }
    }

    /// The scope of an existing construct at `path` below the stack, to add more
    /// children to it later (the stack root when `path` is empty or unknown).
    pub fn at_path(&mut self, path: &str) -> Scope<'_> {
        let node = self.stack.by_path.get(path).copied().unwrap_or(0);
        Scope { stack: self.stack, node }
    }

    /// Adds a child construct with `id` and returns its scope.
    ///
    /// An empty id, or an id already used by a sibling, is reported at synth; the
    /// construct is still built (under a distinct hidden name) so that every other
    /// mistake is reported in the same run.
    pub fn child(&mut self, id: &str) -> Scope<'_> {
        let node = self.add_node(id);
        Scope { stack: self.stack, node }
    }

    fn add_node(&mut self, id: &str) -> usize {
        let clean = if id.contains('/') { id.replace('/', "--") } else { id.to_string() };
        let key = if clean.is_empty() {
            self.rule_error("APP004", "only the root may have an empty id; give the construct an id");
            format!("#empty{}", self.stack.nodes.len())
        } else if self.stack.nodes[self.node].children.contains_key(&clean) {
            let parent_path = self.path();
            let error = Diagnostic::error(
                join_path(&self.stack.name, &join_path(parent_path, &clean)),
                format!(
                    "there is already a construct with id '{clean}' in {}; give each sibling its own id",
                    join_path(&self.stack.name, parent_path)
                ),
            )
            .with_rule("APP004");
            self.stack.diagnostics.push(error);
            format!("{clean}#{}", self.stack.nodes.len())
        } else {
            clean
        };
        let path = join_path(self.path(), &key);
        let index = self.stack.nodes.len();
        self.stack.nodes.push(Node {
            id: key.clone(),
            path: path.clone(),
            children: OrderedMap::default(),
            element: None,
            logical_id_override: None,
        });
        self.stack.nodes[self.node].children.insert(key, index);
        self.stack.by_path.insert(path, index);
        index
    }

    fn add_element(&mut self, id: &str, element: Element) -> Target {
        let node = self.add_node(id);
        self.stack.nodes[node].element = Some(element);
        Target { stack: self.stack.name.clone(), path: self.stack.nodes[node].path.clone() }
    }

    /// Adds a resource (typed L1 or raw) with `id` below this scope.
    pub fn add_resource(&mut self, id: &str, resource: impl Into<ResourceDef>) -> ResourceHandle {
        let def: ResourceDef = resource.into();
        let type_name = def.type_name.clone();
        let target = self.add_element(id, Element::Resource(def));
        ResourceHandle::new(target, type_name)
    }

    /// Adds a template parameter with `id` below this scope.
    pub fn add_parameter(&mut self, id: &str, parameter: Parameter) -> ParameterHandle {
        let no_echo = parameter.no_echo;
        let ty = parameter.parameter_type.clone();
        let default = parameter.default.clone();
        let target = self.add_element(id, Element::Parameter(parameter));
        ParameterHandle::new(target, no_echo, ty, default)
    }

    /// Adds a template condition with `id` below this scope.
    pub fn add_condition(&mut self, id: &str, expression: Value) -> ConditionHandle {
        ConditionHandle::new(self.add_element(id, Element::Condition(expression)))
    }

    /// Makes every resource and output below this scope (a construct's whole
    /// subtree, built before or after) exist only when `condition` holds: their
    /// `Condition`. A resource's or output's own condition wins, then the deepest
    /// scope's. Whatever refers to them must have the same condition (synth and
    /// cfn-lint check it), or use [`ConditionHandle::if_then`].
    pub fn set_condition(&mut self, condition: &ConditionHandle) {
        let scope_path = self.path().to_string();
        self.stack.conditions.retain(|c| c.scope_path != scope_path);
        self.stack.conditions.push(ConditionRule { scope_path, target: condition.target().clone() });
    }

    /// Adds a template output with `id` below this scope.
    pub fn add_output(&mut self, id: &str, output: Output) -> OutputHandle {
        OutputHandle::new(self.add_element(id, Element::Output(output)))
    }

    /// Adds a tag to every taggable resource below this scope (priority 100).
    pub fn add_tag(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.add_tag_with_priority(key, value, 100);
    }

    /// Adds a tag with an explicit priority: the highest priority wins for a key,
    /// then the deepest scope, then the latest added. Tags given in a resource's own
    /// `Tags` property have priority 50.
    pub fn add_tag_with_priority(&mut self, key: impl Into<String>, value: impl Into<Value>, priority: u32) {
        let order = self.stack.tags.len();
        let scope_path = self.path().to_string();
        self.stack.tags.push(TagRule { scope_path, key: key.into(), value: value.into(), priority, order });
    }

    /// Records a validation error at this scope's path; synth will fail and list it.
    pub fn error(&mut self, message: impl Into<String>) {
        let path = self.full_path();
        self.stack.diagnostics.push(Diagnostic::error(path, message));
    }

    /// Records a validation error of template rule `rule` (such as `EC017`), found
    /// on the props before the template exists: synth then reports the choice once,
    /// here, and drops that rule's findings in this stack's template.
    pub fn rule_error(&mut self, rule: &'static str, message: impl Into<String>) {
        let path = self.full_path();
        self.stack.diagnostics.push(Diagnostic::error(path, message).with_rule(rule));
    }

    /// Records a warning of rule `rule` at this scope's path (see [`Scope::rule_error`]).
    pub fn rule_warn(&mut self, rule: &'static str, message: impl Into<String>) {
        let path = self.full_path();
        self.stack.diagnostics.push(Diagnostic::warning(path, message).with_rule(rule));
    }

    /// Records a warning at this scope's path; synth prints it and goes on.
    pub fn warn(&mut self, message: impl Into<String>) {
        let path = self.full_path();
        self.stack.diagnostics.push(Diagnostic::warning(path, message));
    }

    /// The resource behind `handle`, to change it after creation.
    pub fn resource_mut(&mut self, handle: &ResourceHandle) -> Option<&mut ResourceDef> {
        self.stack.resource_mut(handle)
    }
}

pub(crate) fn join_path(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => {
            let mut path = String::with_capacity(a.len() + 1 + b.len());
            path.push_str(a);
            path.push('/');
            path.push_str(b);
            path
        }
    }
}
