//! The L1 layer: one typed struct per CloudFormation resource type, generated
//! from the shipped provider schemas, each converting into [`ResourceDef`] (the
//! resource entry of a template, kept in `core` with the tree that stores it, and
//! the escape hatch for any other type), and the schema facts of those types
//! ([`type_spec`]).

#[allow(clippy::all)]
mod generated;

pub use generated::*;

pub use crate::core::ResourceDef;

/// Facts about a CloudFormation resource type, read from its provider schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeSpec {
    /// The type name, such as `AWS::ElastiCache::ReplicationGroup`.
    pub type_name: &'static str,
    /// The attributes `Fn::GetAtt` accepts, such as `PrimaryEndPoint.Address`.
    pub attributes: &'static [&'static str],
    /// Properties whose change replaces the resource.
    pub create_only: &'static [&'static str],
    /// Every property the type accepts.
    pub properties: &'static [&'static str],
    /// Whether the type takes a `Tags` list of `{Key, Value}`.
    pub taggable: bool,
}

/// Typed overrides (`Cfn….overrides()`) applied to a resource of another type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongType {
    /// The type the overrides are for.
    pub expected: &'static str,
    /// The type of the resource they were applied to.
    pub found: String,
}

impl std::fmt::Display for WrongType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "overrides for {} applied to a resource of type {}; use the L1 struct of {} (or find the {} child with Stack::child)",
            self.expected, self.found, self.found, self.expected
        )
    }
}

impl std::error::Error for WrongType {}

/// The body of every L1 struct's `apply_to`: `props` written over `resource` when
/// it is of `type_name`.
pub(crate) fn apply_overrides(
    type_name: &'static str,
    props: std::collections::BTreeMap<&'static str, crate::core::Value>,
    resource: &mut ResourceDef,
) -> Result<(), WrongType> {
    if resource.type_name() != type_name {
        return Err(WrongType { expected: type_name, found: resource.type_name().to_string() });
    }
    for (name, value) in props {
        resource.add_property_override(name, value);
    }
    Ok(())
}

/// The [`TypeSpec`] of a type of the typed layer, if it is one.
pub fn type_spec(type_name: &str) -> Option<&'static TypeSpec> {
    TYPE_SPECS.binary_search_by(|s| s.type_name.cmp(type_name)).ok().map(|i| &TYPE_SPECS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_sorted_and_found() {
        assert!(TYPE_SPECS.windows(2).all(|w| w[0].type_name < w[1].type_name));
        let rg = type_spec("AWS::ElastiCache::ReplicationGroup").unwrap();
        assert!(rg.attributes.contains(&"PrimaryEndPoint.Address"));
        assert!(rg.create_only.contains(&"AtRestEncryptionEnabled"));
        assert!(type_spec("AWS::Nope::Nope").is_none());
    }

    #[test]
    fn typed_properties_are_alphabetical_and_overrides_nest() {
        let def = ResourceDef::from(
            elasticache::CfnReplicationGroup::new("desc")
                .transit_encryption_enabled(true)
                .at_rest_encryption_enabled(true),
        )
        .property("LogDeliveryConfigurations.0.LogFormat", "json");
        let keys: Vec<&String> = def.properties.keys().collect();
        assert_eq!(
            keys,
            [
                "AtRestEncryptionEnabled",
                "ReplicationGroupDescription",
                "TransitEncryptionEnabled",
                "LogDeliveryConfigurations"
            ]
        );
        assert_eq!(
            def.get("LogDeliveryConfigurations"),
            Some(&crate::map! {"0" => crate::map!{"LogFormat" => "json"}})
        );
    }
}
