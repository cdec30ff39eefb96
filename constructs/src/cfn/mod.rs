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
