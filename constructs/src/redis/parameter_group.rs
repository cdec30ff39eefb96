//! `CacheParameterGroup`: engine settings, with the family derived from the engine
//! and version and the values checked against a table of known parameters.

use crate::cfn::elasticache::CfnParameterGroup;
use crate::core::{AsScope, ResourceHandle, Scope, Value};
use crate::facts::{parameter_group_family, Engine, FAMILIES};
use indexmap::IndexMap;

/// A known parameter: its name and a check of a value.
struct Known {
    name: &'static str,
    check: fn(&str) -> Result<(), String>,
}

const EVICTION_POLICIES: &[&str] = &[
    "volatile-lru",
    "allkeys-lru",
    "volatile-lfu",
    "allkeys-lfu",
    "volatile-random",
    "allkeys-random",
    "volatile-ttl",
    "noeviction",
];

fn one_of(v: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(format!("use one of {}", allowed.join(", ")))
    }
}

fn int_range(v: &str, min: i64, max: i64) -> Result<(), String> {
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(format!("use a whole number from {min} to {max}")),
    }
}

fn keyspace_events(v: &str) -> Result<(), String> {
    const FLAGS: &str = "KEg$lshzxeAtmdn";
    match v.chars().find(|c| !FLAGS.contains(*c)) {
        None => Ok(()),
        Some(c) => {
            Err(format!("'{c}' is not a keyspace event flag; use flags from {FLAGS} (such as Ex for expired keys)"))
        }
    }
}

/// Parameters the library checks; others are passed through with a warning.
const KNOWN: &[Known] = &[
    Known { name: "activedefrag", check: |v| one_of(v, &["yes", "no"]) },
    Known { name: "appendonly", check: |v| one_of(v, &["yes", "no"]) },
    Known { name: "cluster-enabled", check: |v| one_of(v, &["yes", "no"]) },
    Known { name: "databases", check: |v| int_range(v, 1, 1_200_000) },
    Known { name: "lazyfree-lazy-eviction", check: |v| one_of(v, &["yes", "no"]) },
    Known { name: "lazyfree-lazy-expire", check: |v| one_of(v, &["yes", "no"]) },
    Known { name: "maxclients", check: |v| int_range(v, 1, 65000) },
    Known { name: "maxmemory-policy", check: |v| one_of(v, EVICTION_POLICIES) },
    Known { name: "maxmemory-samples", check: |v| int_range(v, 1, 10) },
    Known { name: "notify-keyspace-events", check: keyspace_events },
    Known { name: "reserved-memory-percent", check: |v| int_range(v, 0, 100) },
    Known { name: "slowlog-log-slower-than", check: |v| int_range(v, -1, i64::MAX) },
    Known { name: "slowlog-max-len", check: |v| int_range(v, 0, i64::MAX) },
    Known { name: "tcp-keepalive", check: |v| int_range(v, 0, i64::MAX) },
    Known { name: "timeout", check: |v| int_range(v, 0, i64::MAX) },
];

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
        let derived = parameter_group_family(engine, version);
        let family = match (family, derived) {
            (Some(f), Some(d)) if f != d => {
                me.error(format!(
                    "parameter_group_family '{f}' does not match {engine} {version}, which takes '{d}'; drop the override or use '{d}'"
                ));
                f.to_string()
            }
            (Some(f), None) => {
                if !FAMILIES.contains(&f) {
                    me.error(format!(
                        "parameter_group_family '{f}' is not a family; use one of {}",
                        FAMILIES.join(", ")
                    ));
                }
                f.to_string()
            }
            (_, Some(d)) => d.to_string(),
            (None, None) => engine.name().to_string(),
        };
        check_settings(&mut me, settings);
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

    /// The resource.
    pub fn resource(&self) -> &ResourceHandle {
        &self.group
    }
}

fn check_settings(me: &mut Scope<'_>, settings: &IndexMap<String, String>) {
    for (name, value) in settings {
        match KNOWN.iter().find(|k| k.name == name) {
            Some(k) => {
                if let Err(fix) = (k.check)(value) {
                    me.error(format!("parameter {name} is '{value}', which ElastiCache rejects; {fix}"));
                }
            }
            None => me.warn(format!(
                "parameter {name} is not one the library checks; make sure ElastiCache knows it for this family"
            )),
        }
    }
}
