//! ElastiCache Redis for the SIN application's Lambda functions in ca-central-1
//! (seed `000`, INFRA-003): server-side rate limiting, the BI pivot and query
//! caches, concurrency guardrails and permission caching, all shared across
//! Lambda instances.
//!
//! `cargo run --example bi_cache_rate_limit -- --env dev|staging|prod`
//!
//! | env | cache |
//! |---|---|
//! | dev | `cache.t4g.micro`, single node |
//! | staging (perf) | `cache.t4g.small`, single node |
//! | prod | `cache.m7g.large` primary + 1 replica, Multi-AZ with automatic failover |
//!
//! TLS and an AUTH token (in Secrets Manager), KMS at rest, ingress only from the
//! Lambda functions' security group. Prod runs on an `m7g` node rather than a
//! burstable `t4g`: the rate limiter works hardest during abuse, exactly when
//! CPU credits would run out. The data is short-lived by design (5-minute BI
//! caches, 1 to 5-minute permission caches, rate-limit windows), so snapshots are
//! kept one day in prod and none elsewhere: no long-lived copies of cached PII.
//!
//! CloudWatch alarms on memory, evictions, connections, CPU, swap and, in prod,
//! replication lag notify an encrypted SNS topic (output `AlarmTopicArn`).
//!
//! The outputs are what the application reads: `RedisHost`, `RedisPort`,
//! `RedisAuthTokenSecretArn` (the token is under `token`), `RedisTls` and
//! `RedisPrefix` (keys are `sin:...`).

use redis_cdk::{
    AlarmTopic, App, Auth, AuthSecret, AuthSecretProps, EncryptionKey, EncryptionKeyProps, Environment, Output,
    Parameter, ParameterType, RedisAlarms, RedisAlarmsProps, RedisVpcAccess, ReplicationGroup, ReplicationGroupProps,
    VpcAccessProps,
};
use std::process::ExitCode;

const REGION: &str = "ca-central-1";

/// Builds the `BiCacheRateLimit` stack for `env`.
pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("BiCacheRateLimit");
    stack.set_region(REGION);
    stack.set_description(format!("Redis for SIN rate limiting and shared caches ({env})"));
    stack.add_tag("application", "sin");
    stack.add_tag("environment", env.name());

    let mut root = stack.root();
    let vpc =
        root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId).description("VPC of the Lambda functions"));
    let subnets = root.add_parameter(
        "SubnetIds",
        Parameter::new(ParameterType::SubnetIdList)
            .description("Private subnets for the cache nodes, in two or more AZs"),
    );
    let lambda_sg = root.add_parameter(
        "LambdaSecurityGroupId",
        Parameter::new(ParameterType::SecurityGroupId).description("Security group of the Lambda (SST) functions"),
    );

    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value())
            .allow_from_security_group(lambda_sg.value(), "Redis from the Lambda functions"),
    );
    let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().kms_key(&key));

    let (node_type, replicas, snapshot_days) = match env {
        Environment::Dev => ("cache.t4g.micro", 0, 0),
        Environment::Staging => ("cache.t4g.small", 0, 0),
        Environment::Prod => ("cache.m7g.large", 1, 1),
    };
    let cache = ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::Token(token.token()),
        ReplicationGroupProps::new()
            .node_type(node_type)
            .replicas(replicas)
            .multi_az(replicas > 0)
            .kms_key(&key)
            .parameter("maxmemory-policy", "volatile-lru")
            .snapshot_retention_limit(snapshot_days)
            .maintenance_window("sun:08:00-sun:09:00")
            .snapshot_window("06:00-07:00"),
    );
    let read_token = token.read_policy(stack, "ReadAuthToken");
    // Memory, evictions, connections, CPU (host and engine), swap, bytes used and,
    // where there is a replica, replication lag: each the maximum over the nodes.
    let alarms =
        RedisAlarms::new(stack, "Alarms", &cache, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());

    let cost = cache.estimated_monthly_cost_usd(Some(REGION));
    let mut root = stack.root();
    root.add_output("RedisHost", Output::new(cache.primary_endpoint_address()).description("Primary endpoint host"));
    root.add_output("RedisPort", Output::new(cache.primary_endpoint_port()).description("Port"));
    root.add_output(
        "RedisAuthTokenSecretArn",
        Output::new(token.secret_arn()).description("Secrets Manager secret holding the AUTH token (key `token`)"),
    );
    root.add_output("RedisTls", Output::new("true").description("REDIS_TLS: the cache accepts TLS connections only"));
    root.add_output("RedisPrefix", Output::new("sin").description("REDIS_PREFIX: every key starts with `sin:`"));
    root.add_output(
        "ReadAuthTokenPolicyArn",
        Output::new(read_token.reference()).description("Managed policy for the Lambda functions' role"),
    );
    if let Some(topic) = alarms.topic_arn() {
        root.add_output(
            "AlarmTopicArn",
            Output::new(topic).description("SNS topic of the alarms: subscribe the on-call"),
        );
    }
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
