//! `CacheParameterGroup`: engine settings, with the family derived from the engine
//! and version and the values checked against a table of known parameters.

use super::common::parent_path;
use crate::cfn::elasticache::CfnParameterGroup;
use crate::core::{AsScope, Construct, ResourceHandle, Scope, Value};
use crate::facts::{self, Engine, FAMILIES};
use indexmap::IndexMap;

/// A custom parameter group (child `Resource`). Its name is left to CloudFormation,
/// so a family change creates a new group and the cache moves to it, instead of
/// failing on a name clash.
#[derive(Debug, Clone)]
pub struct CacheParameterGroup {
    group: ResourceHandle,
    family: String,
}

/// Settings of a [`CacheParameterGroup`]: the engine, required, and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheParameterGroupProps {
    /// The engine whose parameters these are.
    pub engine: Engine,
    /// The engine version the family is derived from.
    ///
    /// Default: the engine's newest ([`Engine::latest_version`]).
    pub engine_version: Option<String>,
    /// `CacheParameterGroupFamily`, such as `redis7` or `valkey8`; it must match
    /// the engine and version (EC011).
    ///
    /// Default: derived from the engine and version.
    pub family: Option<String>,
    /// The parameters and their values, checked at synth (EC029, CON025).
    ///
    /// Default: none, so every parameter has the family's default.
    pub parameters: IndexMap<String, String>,
}

impl CacheParameterGroupProps {
    /// Defaults for `engine`.
    pub fn new(engine: Engine) -> Self {
        CacheParameterGroupProps { engine, engine_version: None, family: None, parameters: IndexMap::new() }
    }

    /// Sets the version; see [`CacheParameterGroupProps::engine_version`].
    pub fn engine_version(mut self, version: impl Into<String>) -> Self {
        self.engine_version = Some(version.into());
        self
    }

    /// Sets the family; see [`CacheParameterGroupProps::family`].
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// Sets one parameter; see [`CacheParameterGroupProps::parameters`].
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }
}

impl CacheParameterGroup {
    /// Creates the parameter group under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: CacheParameterGroupProps) -> Self {
        let engine = props.engine;
        let version = props.engine_version.as_deref().unwrap_or_else(|| engine.latest_version());
        let family = props.family.as_deref();
        let settings = &props.parameters;
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        let derived = match facts::version_status(engine, version) {
            facts::VersionStatus::Offered(f) => Some(f),
            facts::VersionStatus::Newer | facts::VersionStatus::Ended(_) => facts::family_of(engine, version),
            facts::VersionStatus::Unknown => None,
        };
        let family = match (family, derived) {
            (Some(f), Some(d)) if f != d => {
                me.rule_error("EC011", format!(
                    "parameter_group_family '{f}' does not match {engine} {version}, which takes '{d}'; drop the override or use '{d}'"
                ));
                f.to_string()
            }
            (Some(f), None) => {
                if !FAMILIES.contains(&f) {
                    me.rule_error(
                        "EC011",
                        format!("parameter_group_family '{f}' is not a family; use one of {}", FAMILIES.join(", ")),
                    );
                }
                f.to_string()
            }
            (_, Some(d)) => d.to_string(),
            (None, None) => engine.name().to_string(),
        };
        check_settings(&mut me, &family, settings);
        let props: crate::OrderedMap<String, Value> =
            settings.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        let mut cfn = CfnParameterGroup::new(format!("Parameters of {}", me.full_path()), family.clone());
        if !props.is_empty() {
            cfn = cfn.properties(Value::Map(props));
        }
        let group = me.add_resource("Resource", cfn);
        CacheParameterGroup { group, family }
    }

    /// The group name (`Ref`).
    pub fn name(&self) -> Value {
        self.group.reference()
    }

    /// The family, such as `redis7`.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The parameter group (child `Resource`), CDK's `defaultChild`.
    pub fn default_child(&self) -> &ResourceHandle {
        &self.group
    }
}

fn check_settings(me: &mut Scope<'_>, family: &str, settings: &IndexMap<String, String>) {
    for (name, value) in settings {
        match facts::check_parameter(Some(family), name, value) {
            facts::ParameterCheck::Ok => {}
            facts::ParameterCheck::Rejected(fix) => {
                me.rule_error("EC029", format!("parameter {name} is '{value}', which ElastiCache rejects; {fix}"))
            }
            facts::ParameterCheck::Unknown => me.rule_warn(
                "CON025",
                format!(
                    "parameter {name} is not one the library checks; make sure ElastiCache knows it for this family"
                ),
            ),
        }
    }
}

impl Construct for CacheParameterGroup {
    fn stack_name(&self) -> &str {
        &self.group.target().stack
    }

    fn path(&self) -> &str {
        parent_path(&self.group.target().path)
    }
}
