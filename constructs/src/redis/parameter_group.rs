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

impl CacheParameterGroup {
    /// Creates a parameter group for `engine` at `version` with `settings`, under `id`.
    ///
    /// `family` overrides the derived family; it must match the engine and version.
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        engine: Engine,
        version: &str,
        family: Option<&str>,
        settings: &IndexMap<String, String>,
    ) -> Self {
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
        parent_path(self.group.target())
    }
}
