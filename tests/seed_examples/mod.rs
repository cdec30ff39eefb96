//! The five seed examples, included as modules so tests can call their `build`
//! functions in-process (shared by `tests/examples.rs` and `tests/specs.rs`).

#[allow(dead_code)]
#[path = "../../examples/bi_cache_rate_limit.rs"]
pub mod bi_cache_rate_limit;
#[allow(dead_code)]
#[path = "../../examples/chat_split.rs"]
pub mod chat_split;
#[allow(dead_code)]
#[path = "../../examples/managed_redis_with_alarms.rs"]
pub mod managed_redis_with_alarms;
#[allow(dead_code)]
#[path = "../../examples/ownership_cache.rs"]
pub mod ownership_cache;
#[allow(dead_code)]
#[path = "../../examples/tenant_sharded.rs"]
pub mod tenant_sharded;

use redis_cdk::{App, Environment};

/// An example's app builder.
pub type Build = fn(Environment) -> App;

/// Every seed example, by its `cargo run --example` name.
pub const EXAMPLES: &[(&str, Build)] = &[
    ("bi_cache_rate_limit", bi_cache_rate_limit::build),
    ("managed_redis_with_alarms", managed_redis_with_alarms::build),
    ("ownership_cache", ownership_cache::build),
    ("chat_split", chat_split::build),
    ("tenant_sharded", tenant_sharded::build),
];
