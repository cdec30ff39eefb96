//! What the construct tests share: the VPC access their caches sit behind, and
//! reading the first stack of an assembly by construct path.
#![allow(dead_code)] // each test crate uses some of these

use redis_cdk::assertions::Template;
use redis_cdk::{Assembly, RedisVpcAccess, Stack, VpcAccessProps};
use serde_json::Value as J;

/// The VPC access of a node-based cache: one VPC, two subnets, the app's security group let in.
pub fn access(stack: &mut Stack) -> RedisVpcAccess {
    RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new("vpc-00001234", vec!["subnet-0aaaaaaa", "subnet-0bbbbbbb"])
            .allow_from_security_group("sg-000000a0", "from app"),
    )
}

/// The VPC access of a serverless cache: its reader port (6380) open too.
pub fn serverless_access(stack: &mut Stack) -> RedisVpcAccess {
    RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa", "subnet-0bbbbbbb"]).reader_port(6380),
    )
}

/// The first stack's template, with its construct paths.
pub fn template(assembly: &Assembly) -> Template {
    Template::from_artifact(&assembly.stacks[0])
}

/// The logical id of the element at construct path `path` of the first stack.
pub fn logical_id(assembly: &Assembly, path: &str) -> String {
    template(assembly).logical_id_at(path).unwrap_or_else(|e| panic!("{e}")).to_string()
}

/// The resource at construct path `path` of the first stack.
pub fn resource(assembly: &Assembly, path: &str) -> J {
    template(assembly).resource_at(path).unwrap_or_else(|e| panic!("{e}")).clone()
}

/// The properties of the resource at `path`.
pub fn props(assembly: &Assembly, path: &str) -> J {
    resource(assembly, path)["Properties"].clone()
}

/// The resource at `path` has properties matching `partial`.
pub fn assert_props(assembly: &Assembly, path: &str, partial: J) {
    template(assembly).has_properties_at(path, &partial).unwrap_or_else(|e| panic!("{e}"));
}
