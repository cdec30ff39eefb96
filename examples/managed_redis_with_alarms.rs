//! Managed Redis for the Transparent Trust application (seed `001`, SEC-1057,
//! option A): a primary and a replica `cache.t4g.micro` in different AZs, Redis
//! 7.1, KMS at rest, TLS, an AUTH token in Secrets Manager, daily snapshots and a
//! maintenance window, and the outputs the application and operators use.
//!
//! `cargo run --example managed_redis_with_alarms -- --env dev|staging|prod`
//!
//! | env | cache | snapshots |
//! |---|---|---|
//! | dev | `cache.t4g.micro`, single node (the seed's cost advice for dev) | none |
//! | staging | `cache.t4g.micro` primary + replica, Multi-AZ, automatic failover | 7 days |
//! | prod | `cache.t4g.micro` primary + replica, Multi-AZ, automatic failover | 7 days |
//!
//! Maintenance on Sundays 05:00-06:00 UTC, snapshots daily 03:00-04:00 UTC.
//!
//! Four CloudWatch alarms, each the maximum over the nodes, notify an encrypted
//! SNS topic (output `AlarmTopicArn`) on ALARM and on OK: CPU > 75 %, memory
//! (`DatabaseMemoryUsagePercentage`) > 90 %, evictions > 1000 in 5 minutes, swap > 50 MB.
//!
//! # Option B: Upstash
//!
//! The seed's `create_elasticache` and `use_upstash` switches are the parameters
//! `CreateElastiCache` (default `true`) and `UseUpstash` (default `false`), and
//! two conditions: with `CreateElastiCache=false` no ElastiCache resource (nor its
//! security group, token, alarms or outputs) is created; with `UseUpstash=true`
//! the Upstash REST URL and token, given as the NoEcho parameters
//! `UpstashRedisUrl` and `UpstashRedisToken`, are stored in a KMS-encrypted
//! Secrets Manager secret (`{"url", "token"}`, the seed's shape) with a managed
//! policy to read it. The VPC parameters stay required in both options:
//! CloudFormation validates AWS-typed parameters even when nothing uses them.

use redis_cdk::{
    AlarmMetric, AlarmTopic, App, Auth, AuthSecret, AuthSecretProps, ConnectionSecret, ConnectionSecretProps,
    EncryptionKey, EncryptionKeyProps, Engine, Environment, Output, Parameter, ParameterType, RedisAlarms,
    RedisAlarmsProps, RedisVpcAccess, ReplicationGroup, ReplicationGroupProps, SecretValue, Value, VpcAccessProps,
};
use std::process::ExitCode;

/// The seed's prices are those of us-east-1.
const REGION: &str = "us-east-1";

/// Builds the `ManagedRedisWithAlarms` stack for `env`.
pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("ManagedRedisWithAlarms");
    stack.set_region(REGION);
    stack.set_description(format!("ElastiCache Redis for Transparent Trust caching and rate limiting ({env})"));
    stack.add_tag("application", "transparent-trust");
    stack.add_tag("environment", env.name());

    let mut root = stack.root();
    let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId).description("VPC of the cache"));
    let subnets = root.add_parameter(
        "SubnetIds",
        Parameter::new(ParameterType::SubnetIdList)
            .description("Private subnets for the cache nodes, in two or more AZs"),
    );
    let app_sg = root.add_parameter(
        "AppSecurityGroupId",
        Parameter::new(ParameterType::SecurityGroupId).description("Security group of the ECS/Fargate tasks"),
    );
    // option A or B (the seed's create_elasticache and use_upstash)
    let switch = |description: &str, default: &str| {
        Parameter::new(ParameterType::String)
            .allowed_values(["true", "false"])
            .default_value(default)
            .description(description)
    };
    let create = root.add_parameter(
        "CreateElastiCache",
        switch("Create the ElastiCache cluster, its token and alarms (option A)", "true"),
    );
    let use_upstash = root.add_parameter(
        "UseUpstash",
        switch("Store the Upstash REST URL and token in Secrets Manager (option B)", "false"),
    );
    let upstash_url = root.add_parameter(
        "UpstashRedisUrl",
        Parameter::new(ParameterType::String)
            .no_echo()
            .default_value("")
            .description("Upstash REST URL (UPSTASH_REDIS_REST_URL), with UseUpstash=true"),
    );
    let upstash_token = root.add_parameter(
        "UpstashRedisToken",
        Parameter::new(ParameterType::String)
            .no_echo()
            .default_value("")
            .description("Upstash REST token (UPSTASH_REDIS_REST_TOKEN), with UseUpstash=true"),
    );
    let elasticache = root.add_condition("CreateElastiCacheCondition", Value::condition_equals(create.value(), "true"));
    let upstash = root.add_condition("UseUpstashCondition", Value::condition_equals(use_upstash.value(), "true"));

    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value())
            .allow_from_security_group(app_sg.value(), "Redis from the application"),
    );
    let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().kms_key(&key));

    let (replicas, snapshot_days) = if env == Environment::Dev { (0, 0) } else { (1, 7) };
    let cache = ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::Token(token.token()),
        ReplicationGroupProps::new()
            .engine(Engine::Redis, "7.1")
            .node_type("cache.t4g.micro")
            .replicas(replicas)
            .multi_az(replicas > 0)
            .kms_key(&key)
            .snapshot_retention_limit(snapshot_days)
            .maintenance_window("sun:05:00-sun:06:00")
            .snapshot_window("03:00-04:00"),
    );
    // The seed's four alarms, at the library's defaults, which are the seed's
    // thresholds: CPU > 75 %, memory > 90 %, evictions > 1000, swap > 50 MB.
    let alarms = RedisAlarms::new(
        stack,
        "Alarms",
        &cache,
        AlarmTopic::encrypted_with(&key),
        RedisAlarmsProps::default()
            .threshold(AlarmMetric::CpuUtilization, 75.0)
            .threshold(AlarmMetric::DatabaseMemoryUsagePercentage, 90.0)
            .threshold(AlarmMetric::Evictions, 1000.0)
            .threshold(AlarmMetric::SwapUsage, 50.0 * 1024.0 * 1024.0)
            // the seed's four alarms, by inclusion: a default alarm added later stays out
            .only([
                AlarmMetric::CpuUtilization,
                AlarmMetric::DatabaseMemoryUsagePercentage,
                AlarmMetric::Evictions,
                AlarmMetric::SwapUsage,
            ]),
    );

    // option A exists only with CreateElastiCache=true
    for construct in ["Access", "AuthToken", "Cache", "Alarms"] {
        stack.root().at_path(construct).set_condition(&elasticache);
    }

    // option B: the Upstash credentials in Secrets Manager, encrypted with the key
    let token_of = |p| SecretValue::from_parameter(p).expect("the Upstash parameters are NoEcho");
    let upstash_secret = ConnectionSecret::new(
        stack,
        "UpstashSecret",
        ConnectionSecretProps::new()
            .description("Upstash REST URL and token (UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN)")
            .secret("url", token_of(&upstash_url))
            .secret("token", token_of(&upstash_token))
            .kms_key(&key),
    );
    upstash_secret.read_policy(stack, "ReadUpstashSecret");
    for construct in ["UpstashSecret", "ReadUpstashSecret"] {
        stack.root().at_path(construct).set_condition(&upstash);
    }

    let cost = cache.estimated_monthly_cost_usd(Some(REGION));
    let mut root = stack.root();
    root.add_output(
        "RedisEndpoint",
        Output::new(cache.primary_endpoint_address()).description("Primary endpoint address").condition(&elasticache),
    );
    root.add_output(
        "RedisPort",
        Output::new(cache.primary_endpoint_port()).description("Redis port").condition(&elasticache),
    );
    root.add_output(
        "RedisConnectionString",
        Output::new(cache.connection_string())
            .description("rediss:// URL without the token; the token is in the secret")
            .condition(&elasticache),
    );
    root.add_output(
        "RedisAuthTokenSecretArn",
        Output::new(token.secret_arn())
            .description("Auth token in Secrets Manager (key `token`)")
            .condition(&elasticache),
    );
    root.add_output(
        "DeploymentInfo",
        Output::new(format!(
            "redis 7.1 on {} x {}, {}, TLS, KMS at rest, snapshots kept {snapshot_days} days",
            cache.node_count(),
            cache.node_type(),
            if replicas > 0 { "Multi-AZ with automatic failover" } else { "single node" },
        ))
        .description("Summary of the configuration")
        .condition(&elasticache),
    );
    if let Some(topic) = alarms.topic_arn() {
        root.add_output(
            "AlarmTopicArn",
            Output::new(topic).description("SNS topic of the four alarms").condition(&elasticache),
        );
    }
    root.add_output(
        "EstimatedMonthlyCost",
        Output::new(format!("~${cost:.2}/month (on-demand, {REGION})"))
            .description("Cache nodes only, before reserved-node discounts")
            .condition(&elasticache),
    );
    root.add_output(
        "UpstashSecretArn",
        Output::new(upstash_secret.secret_arn())
            .description("Upstash REST URL and token in Secrets Manager (keys `url`, `token`)")
            .condition(&upstash),
    );
    app
}

fn main() -> ExitCode {
    synth::main_with(build)
}
