//! [`ResourceDef`]: a resource entry of a template, as the tree stores it.

use super::elements::{DependsOn, RemovalPolicy};
use super::value::{OrderedMap, Target, Value};

/// A resource entry: type, properties and resource attributes (`DependsOn`,
/// `DeletionPolicy`, `UpdateReplacePolicy`, `Condition`, `Metadata`).
///
/// Typed L1 structs convert into it with `ResourceDef::from`; any other type is
/// written with [`ResourceDef::raw`] and [`ResourceDef::property`].
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDef {
    pub(crate) type_name: String,
    pub(crate) properties: OrderedMap<String, Value>,
    pub(crate) depends_on: Vec<DependsOn>,
    pub(crate) removal_policy: Option<RemovalPolicy>,
    pub(crate) condition: Option<Target>,
    pub(crate) metadata: OrderedMap<String, serde_json::Value>,
    pub(crate) update_policy: Option<serde_json::Value>,
    /// `None`: as the typed layer knows the type (resolved at synth).
    pub(crate) taggable: Option<bool>,
}

impl ResourceDef {
    /// A resource of any type with no properties yet (escape hatch).
    ///
    /// Types of the typed layer keep their schema facts (attributes, tags).
    pub fn raw(type_name: impl Into<String>) -> Self {
        ResourceDef {
            taggable: None,
            type_name: type_name.into(),
            properties: OrderedMap::default(),
            depends_on: Vec::new(),
            removal_policy: None,
            condition: None,
            metadata: OrderedMap::default(),
            update_policy: None,
        }
    }

    /// A typed resource (of the L1 layer); `props` iterate in name order, CloudFormation's.
    pub(crate) fn typed(type_name: &'static str, props: std::collections::BTreeMap<&'static str, Value>) -> Self {
        let mut def = ResourceDef::raw(type_name);
        def.properties = props.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        def
    }

    /// Sets a property (a raw override on a typed resource, or any property on a raw one).
    /// A dotted name such as `LogDeliveryConfigurations.0.LogFormat` sets a nested value.
    pub fn property(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.add_property_override(name, value);
        self
    }

    /// Sets a property of a resource already in the tree, as the CDK's
    /// `addPropertyOverride`: `path` is a property name, or a dotted path into it
    /// (`LogDeliveryConfigurations.0.LogFormat`: a number indexes an existing list
    /// item); missing objects on the way are created, and a value on the way that
    /// is not an object or list is replaced by one. Synth still checks the result.
    pub fn add_property_override(&mut self, path: &str, value: impl Into<Value>) {
        let value = value.into();
        let mut parts = path.split('.');
        let first = parts.next().unwrap_or_default().to_string();
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() {
            self.properties.insert(first, value);
            return;
        }
        let slot = self.properties.entry(first).or_insert_with(|| Value::Map(OrderedMap::default()));
        set_nested(slot, &rest, value);
    }

    /// Removes a property, or a value inside one by a dotted path (as
    /// [`ResourceDef::add_property_override`] takes), as the CDK's
    /// `addPropertyDeletionOverride`. A path to nothing changes nothing.
    pub fn add_property_deletion_override(&mut self, path: &str) {
        let parts: Vec<&str> = path.split('.').collect();
        let Some((last, parents)) = parts.split_last() else { return };
        let Some((first, rest)) = parents.split_first() else {
            self.properties.shift_remove(*last);
            return;
        };
        let mut slot = self.properties.get_mut(*first);
        for part in rest {
            slot = match slot {
                Some(Value::Map(m)) => m.get_mut(*part),
                Some(Value::List(items)) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            };
        }
        match slot {
            Some(Value::Map(m)) => {
                m.shift_remove(*last);
            }
            Some(Value::List(items)) => {
                if let Some(i) = last.parse::<usize>().ok().filter(|&i| i < items.len()) {
                    items.remove(i);
                }
            }
            _ => {}
        }
    }

    /// Sets a value by its path from the resource entry, as the CDK's
    /// `addOverride`: `Properties.<path>` is
    /// [`ResourceDef::add_property_override`]. The resource attributes have typed
    /// setters instead, so a path to one is refused with the setter to use
    /// ([`ResourceDef::apply_removal_policy`], [`ResourceDef::add_metadata`]).
    ///
    /// ```
    /// use redis_cdk::ResourceDef;
    ///
    /// let mut def = ResourceDef::raw("AWS::Logs::LogGroup");
    /// def.add_override("Properties.RetentionInDays", 90).unwrap();
    /// assert!(def.get("RetentionInDays").is_some());
    /// let err = def.add_override("DeletionPolicy", "Retain").unwrap_err();
    /// assert!(err.to_string().contains("apply_removal_policy"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// A path outside `Properties.`, with the setter that takes it.
    pub fn add_override(&mut self, path: &str, value: impl Into<Value>) -> Result<(), OverrideError> {
        match path.split_once('.') {
            Some(("Properties", rest)) if !rest.is_empty() => {
                self.add_property_override(rest, value);
                Ok(())
            }
            _ => Err(OverrideError::new(path, false)),
        }
    }

    /// Removes a value by its path from the resource entry, as the CDK's
    /// `addDeletionOverride`: `Properties` or `Properties.<path>` (as
    /// [`ResourceDef::add_property_deletion_override`]), `Metadata` or
    /// `Metadata.<key>[.<path>]`, `UpdatePolicy`, `Condition`, `DependsOn`, and
    /// `DeletionPolicy` or `UpdateReplacePolicy`, which go together here (both are
    /// removed; set them with [`ResourceDef::apply_removal_policy`]). A path to
    /// nothing changes nothing.
    ///
    /// # Errors
    ///
    /// A path that names no part of a resource entry.
    pub fn add_deletion_override(&mut self, path: &str) -> Result<(), OverrideError> {
        let (root, rest) = path.split_once('.').map_or((path, None), |(r, rest)| (r, Some(rest)));
        match (root, rest) {
            ("Properties", Some(rest)) if !rest.is_empty() => self.add_property_deletion_override(rest),
            ("Properties", None) => self.properties.clear(),
            ("Metadata", None) => self.metadata.clear(),
            ("Metadata", Some(rest)) if !rest.is_empty() => {
                let mut parts = rest.split('.');
                let key = parts.next().unwrap_or_default();
                let inner: Vec<&str> = parts.collect();
                match inner.split_last() {
                    None => {
                        self.metadata.shift_remove(key);
                    }
                    Some((last, parents)) => {
                        let mut slot = self.metadata.get_mut(key);
                        for part in parents {
                            slot = match slot {
                                Some(serde_json::Value::Object(m)) => m.get_mut(*part),
                                Some(serde_json::Value::Array(a)) => {
                                    part.parse::<usize>().ok().and_then(|i| a.get_mut(i))
                                }
                                _ => None,
                            };
                        }
                        match slot {
                            Some(serde_json::Value::Object(m)) => {
                                m.shift_remove(*last);
                            }
                            Some(serde_json::Value::Array(a)) => {
                                if let Some(i) = last.parse::<usize>().ok().filter(|&i| i < a.len()) {
                                    a.remove(i);
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            ("UpdatePolicy", None) => self.update_policy = None,
            ("Condition", None) => self.condition = None,
            ("DependsOn", None) => self.depends_on.clear(),
            ("DeletionPolicy" | "UpdateReplacePolicy", None) => self.removal_policy = None,
            _ => return Err(OverrideError::new(path, true)),
        }
        Ok(())
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy` of a resource already in
    /// the tree, as the CDK's `applyRemovalPolicy` (see
    /// [`ResourceDef::removal_policy`]).
    pub fn apply_removal_policy(&mut self, policy: RemovalPolicy) {
        self.removal_policy = Some(policy);
    }

    /// Adds a `Metadata` entry to a resource already in the tree, as the CDK's
    /// `addMetadata`.
    pub fn add_metadata(&mut self, key: impl Into<String>, value: serde_json::Value) {
        self.metadata.insert(key.into(), value);
    }

    /// Adds a `DependsOn` on another resource of the same stack.
    pub fn depends_on(mut self, on: impl Into<DependsOn>) -> Self {
        self.depends_on.push(on.into());
        self
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy`.
    ///
    /// Default: none, so CloudFormation deletes the resource. `Snapshot` is accepted
    /// only by the types that support it; synth reports an error otherwise.
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Creates the resource only when `condition` (a condition of the same stack) holds.
    pub fn condition(mut self, condition: &crate::core::ConditionHandle) -> Self {
        self.condition = Some(condition.target().clone());
        self
    }

    /// Adds a `Metadata` entry.
    pub fn metadata(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }

    /// Sets the `UpdatePolicy` attribute (raw JSON).
    pub fn update_policy(mut self, policy: serde_json::Value) -> Self {
        self.update_policy = Some(policy);
        self
    }

    /// Marks a raw resource as taking a `Tags` list, so stack and scope tags reach it.
    ///
    /// Default: taggable when the typed layer knows the type takes tags, else not.
    pub fn taggable(mut self, taggable: bool) -> Self {
        self.taggable = Some(taggable);
        self
    }

    /// The CloudFormation type name.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// A property's value, if set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.properties.get(name)
    }

    /// The properties in template order.
    pub fn properties(&self) -> &OrderedMap<String, Value> {
        &self.properties
    }

    /// The removal policy, if set.
    pub fn get_removal_policy(&self) -> Option<RemovalPolicy> {
        self.removal_policy
    }
}

/// An override path [`ResourceDef::add_override`] or
/// [`ResourceDef::add_deletion_override`] does not take, with what does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    /// The path as given.
    pub path: String,
    fix: &'static str,
}

impl OverrideError {
    fn new(path: &str, deleting: bool) -> Self {
        let root = path.split('.').next().unwrap_or_default();
        let fix = match (root, deleting) {
            ("DeletionPolicy" | "UpdateReplacePolicy", _) => "set the two together with apply_removal_policy",
            ("Metadata", _) => "add an entry with add_metadata",
            ("Properties", false) => "name a property: Properties.<name>, or a dotted path into it",
            ("UpdatePolicy" | "Condition" | "DependsOn", false) => {
                "set it when the resource is built (update_policy, condition, depends_on)"
            }
            (_, false) => "overrides take Properties.<path>; resource attributes have setters (apply_removal_policy, add_metadata)",
            (_, true) => "a deletion takes Properties.<path>, Metadata[.<key>], UpdatePolicy, Condition, DependsOn, DeletionPolicy or UpdateReplacePolicy",
        };
        OverrideError { path: path.to_string(), fix }
    }
}

impl std::fmt::Display for OverrideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "override path '{}' is not taken here: {}", self.path, self.fix)
    }
}

impl std::error::Error for OverrideError {}

fn set_nested(slot: &mut Value, path: &[&str], value: Value) {
    let Some((head, rest)) = path.split_first() else {
        *slot = value;
        return;
    };
    match slot {
        Value::List(items) => {
            if let Ok(i) = head.parse::<usize>() {
                if i < items.len() {
                    set_nested(&mut items[i], rest, value);
                    return;
                }
            }
            let mut map = OrderedMap::default();
            map.insert(head.to_string(), Value::Null);
            *slot = Value::Map(map);
            set_nested(slot, path, value);
        }
        Value::Map(map) => {
            let child = map.entry(head.to_string()).or_insert_with(|| Value::Map(OrderedMap::default()));
            set_nested(child, rest, value);
        }
        other => {
            *other = Value::Map(OrderedMap::default());
            set_nested(other, path, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_overrides_reach_into_maps_and_lists() {
        let mut def = ResourceDef::raw("AWS::X::Y")
            .property("A", Value::List(vec![crate::map! {"K" => 1, "L" => 2}, Value::from(3)]))
            .property("B.C", true);
        def.add_property_deletion_override("A.0.K");
        def.add_property_deletion_override("A.1");
        def.add_property_deletion_override("A.7.K");
        def.add_property_deletion_override("Nope.X");
        def.add_property_deletion_override("B");
        assert_eq!(def.get("A"), Some(&Value::List(vec![crate::map! {"L" => 2}])));
        assert_eq!(def.properties().len(), 1);
    }
}
