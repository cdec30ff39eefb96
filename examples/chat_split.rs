//! Redis for a real-time chat service (seed `003`): one cluster in dev and
//! staging, and in prod two, an *adapter* cluster for Socket.IO pub/sub fan-out
//! and a *state* cluster for presence, sessions and rate limits, each sized on
//! its own. Both endpoints are outputs in both modes, so the service never needs
//! to know which mode runs.
//!
//! `cargo run --example chat_split -- --env dev|staging|prod`
//!
//! | env | mode | clusters |
//! |---|---|---|
//! | dev | single | `cache.t3.micro`, no replica |
//! | staging | single | `cache.t3.small` + 1 replica, Multi-AZ |
//! | prod | split | adapter `cache.r6g.large` + 1 replica, state `cache.m6g.large` + 1 replica, Multi-AZ |
//!
//! Parameters tuned for Socket.IO (`volatile-lru`, expiry notifications, no idle
//! timeout, 5-minute TCP keepalive), a generated 32-character AUTH token, TLS, KMS
//! at rest, and offset windows: the state cluster's maintenance and snapshot
//! windows follow the adapter's, so the two are never down together.

use redis_cdk::{
    App, Auth, AuthSecret, AuthSecretProps, EncryptionKey, EncryptionKeyProps, Engine, Environment, Output, Parameter,
    ParameterType, RedisVpcAccess, ReplicationGroupProps, SplitRedis, SplitRedisProps, VpcAccessProps,
};
use std::process::ExitCode;

/// Prices are those of us-east-1: the seed names no region.
const PRICING_REGION: &str = "us-east-1";

/// Builds the `ChatSplit` stack for `env`.
pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("ChatSplit");
    stack.set_description(format!("Redis for the chat service's Socket.IO adapter and state ({env})"));
    stack.add_tag("application", "chat");
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
        Parameter::new(ParameterType::SecurityGroupId).description("Security group of the ECS realtime tasks"),
    );

    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value())
            .allow_from_security_group(app_sg.value(), "Redis from the realtime tasks"),
    );
    let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().length(32).kms_key(&key));

    let (node_type, replicas) = match env {
        Environment::Dev => ("cache.t3.micro", 0),
        Environment::Staging => ("cache.t3.small", 1),
        Environment::Prod => ("cache.r6g.large", 1),
    };
    let base = ReplicationGroupProps::new()
        .engine(Engine::Redis, "7.1")
        .node_type(node_type)
        .replicas(replicas)
        .kms_key(&key)
        .parameter("maxmemory-policy", "volatile-lru")
        .parameter("notify-keyspace-events", "Ex")
        .parameter("timeout", "0")
        .parameter("tcp-keepalive", "300")
        .maintenance_window("sun:05:00-sun:06:00")
        .snapshot_window("03:00-04:00")
        .snapshot_retention_limit(if env == Environment::Prod { 7 } else { 1 });
    let props = match env {
        Environment::Prod => {
            SplitRedisProps::new().split(true).base(base).adapter("cache.r6g.large", 1).state("cache.m6g.large", 1)
        }
        _ => SplitRedisProps::new().split(false).base(base),
    };
    let redis = SplitRedis::new(stack, "Redis", &access, Auth::Token(token.token()), props);
    let read_token = token.read_policy(stack, "ReadAuthToken");

    let cost = redis.estimated_monthly_cost_usd(Some(PRICING_REGION));
    let mut root = stack.root();
    root.add_output(
        "RedisMode",
        Output::new(if redis.is_split() { "split" } else { "single" })
            .description("single: both endpoints are one cluster; split: adapter and state clusters"),
    );
    root.add_output(
        "AdapterEndpoint",
        Output::new(redis.adapter_endpoint_address()).description("REDIS_ADAPTER_HOST: Socket.IO pub/sub"),
    );
    root.add_output(
        "AdapterPort",
        Output::new(redis.adapter_endpoint_port()).description("Port of the adapter endpoint"),
    );
    root.add_output(
        "StateEndpoint",
        Output::new(redis.state_endpoint_address()).description("REDIS_STATE_HOST: presence, sessions, rate limits"),
    );
    root.add_output("StatePort", Output::new(redis.state_endpoint_port()).description("Port of the state endpoint"));
    root.add_output(
        "AuthSecretArn",
        Output::new(token.secret_arn()).description("Secrets Manager secret holding the AUTH token (key `token`)"),
    );
    root.add_output(
        "ReadAuthTokenPolicyArn",
        Output::new(read_token.reference()).description("Managed policy for the realtime tasks' role"),
    );
    root.add_output(
        "EstimatedMonthlyCost",
        Output::new(format!("~${cost:.2}/month (on-demand, {PRICING_REGION})"))
            .description("Cache nodes only, before reserved-node discounts"),
    );
    app
}

fn main() -> ExitCode {
    synth::main_with(build)
}
