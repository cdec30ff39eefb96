//! A multi-tenant Redis cache for sessions, LLM responses and rate limits
//! (seed `004`, story 0.5, AC1 to AC10): cluster mode in every environment for
//! dev/prod parity, reachable only from the Kubernetes nodes, with the connection
//! details in one Secrets Manager secret and a least-privilege policy to read it.
//!
//! `cargo run --example tenant_sharded -- --env dev|staging|prod`
//!
//! | env | node type | shards | replicas per shard | Multi-AZ, failover |
//! |---|---|---|---|---|
//! | dev | `cache.t3.micro` | 1 | 0 | no |
//! | staging | `cache.t3.small` | 2 | 1 | yes |
//! | prod | `cache.r5.large` | 2 | 1 | yes |
//!
//! Redis 7.1, TLS, at-rest encryption with a customer KMS key with rotation,
//! `allkeys-lru`, `tcp-keepalive 300`, `timeout 0`, keyspace events for expired
//! and evicted keys (`Exe`) and 25 % of memory reserved.
//!
//! # Key namespacing (AC10)
//!
//! Every key is `{tenant_id}:{scope}:{key_identifier}`, so no tenant can read
//! another's keys by accident; the template carries the same table as metadata
//! (`KeyNamespacing`), with where multi-key commands need a hash tag in cluster
//! mode (`MultiKeyCommands`; `synth local up --env staging` shows it on a real
//! cluster).
//!
//! | scope | TTL | why |
//! |---|---|---|
//! | `session` | 24 hours | user session expiry |
//! | `llm_cache` | 1 to 7 days | freshness against cost savings |
//! | `rate_limit` | 1 minute | the rate-limiting window |
//! | `temp` | 1 hour | temporary processing data |
//!
//! Examples: `tenant_acme:session:user_12345`, `tenant_acme:llm_cache:prompt_hash_abc123`.

use redis_cdk::{
    App, Auth, AuthSecret, AuthSecretProps, ConnectionSecret, ConnectionSecretProps, EncryptionKey, EncryptionKeyProps,
    Engine, Environment, Output, Parameter, ParameterType, RedisVpcAccess, ReplicationGroupProps, ShardedCluster,
    VpcAccessProps,
};
use serde_json::json;
use std::process::ExitCode;

/// The seed's endpoints are in us-east-1 (`use1`).
const REGION: &str = "us-east-1";

/// Builds the `TenantSharded` stack for `env`.
pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("TenantSharded");
    stack.set_region(REGION);
    stack.set_description(format!("Multi-tenant Redis cache, cluster mode ({env})"));
    stack.add_tag("application", "tenant-cache");
    stack.add_tag("environment", env.name());
    stack.add_metadata(
        "KeyNamespacing",
        json!({
            "Format": "{tenant_id}:{scope}:{key_identifier}",
            "Scopes": [
                { "Scope": "session", "Ttl": "24 hours", "Example": "tenant_acme:session:user_12345" },
                { "Scope": "llm_cache", "Ttl": "1-7 days", "Example": "tenant_acme:llm_cache:prompt_hash_abc123" },
                { "Scope": "rate_limit", "Ttl": "1 minute", "Example": "tenant_acme:rate_limit:api_user_12345" },
                { "Scope": "temp", "Ttl": "1 hour", "Example": "tenant_acme:temp:upload_progress_xyz789" },
            ],
            "MultiKeyCommands": "Cluster mode in every environment: a multi-key command (MGET, MSET, DEL of several keys, a MULTI transaction, a Lua script) works only on keys in one hash slot, else CROSSSLOT. Keys of one tenant share a slot only when the tenant is a hash tag: {tenant_acme}:session:user_12345 and {tenant_acme}:temp:upload_progress_xyz789.",
        }),
    );

    let mut root = stack.root();
    let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId).description("VPC of the cache"));
    let subnets = root.add_parameter(
        "SubnetIds",
        Parameter::new(ParameterType::SubnetIdList).description("Database subnets for the cache nodes, in two AZs"),
    );
    let k8s_nodes = root.add_parameter(
        "K8sNodeSecurityGroupId",
        Parameter::new(ParameterType::SecurityGroupId).description("Security group of the Kubernetes nodes"),
    );

    let key = EncryptionKey::new(
        stack,
        "Key",
        EncryptionKeyProps { description: Some("Tenant cache: data at rest and secrets".into()), ..Default::default() },
    );
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value())
            .allow_from_security_group(k8s_nodes.value(), "Redis from the Kubernetes nodes"),
    );
    let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().length(64).kms_key(&key));

    let (node_type, shards, replicas) = match env {
        Environment::Dev => ("cache.t3.micro", 1, 0),
        Environment::Staging => ("cache.t3.small", 2, 1),
        Environment::Prod => ("cache.r5.large", 2, 1),
    };
    let cache = ShardedCluster::new(
        stack,
        "Cache",
        &access,
        Auth::Token(token.token()),
        shards,
        ReplicationGroupProps::new()
            .engine(Engine::Redis, "7.1")
            .node_type(node_type)
            .replicas(replicas)
            .multi_az(replicas > 0)
            .kms_key(&key)
            .parameter("maxmemory-policy", "allkeys-lru")
            .parameter("tcp-keepalive", "300")
            .parameter("timeout", "0")
            .parameter("notify-keyspace-events", "Exe")
            .parameter("reserved-memory-percent", "25"),
    );
    let connection = ConnectionSecret::new(
        stack,
        "Connection",
        ConnectionSecretProps::for_replication_group(cache.group(), token.token())
            .description(format!("Redis connection details of the tenant cache ({env})"))
            .kms_key(&key),
    );
    let read_connection = connection.read_policy(stack, "ReadConnection");

    let cost = cache.group().estimated_monthly_cost_usd(Some(REGION));
    let mut root = stack.root();
    root.add_output(
        "ConfigurationEndpoint",
        Output::new(cache.configuration_endpoint_address()).description("Cluster-mode configuration endpoint"),
    );
    root.add_output("Port", Output::new(cache.configuration_endpoint_port()).description("Port"));
    root.add_output(
        "ConnectionSecretArn",
        Output::new(connection.secret_arn()).description(
            "Secret with primary_endpoint, reader_endpoint, port, auth_token, ssl_enabled, connection_uri",
        ),
    );
    root.add_output(
        "ReadConnectionPolicyArn",
        Output::new(read_connection.reference()).description("Managed policy for the pods' IRSA role"),
    );
    root.add_output(
        "EstimatedMonthlyCost",
        Output::new(format!("~${cost:.2}/month (on-demand, {REGION})"))
            .description("Cache nodes only, before reserved-node discounts"),
    );
    app
}

fn main() -> ExitCode {
    synth::main_with(build)
}
