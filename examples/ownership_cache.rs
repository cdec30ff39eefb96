//! A read-through cache of immutable ownership records in front of DynamoDB
//! (seed `002`): cache-aside fills, no TTL, no invalidation, and the Lambda
//! function falls through to DynamoDB whenever Redis is unavailable, so losing
//! the cache costs latency, never correctness.
//!
//! `cargo run --example ownership_cache -- --env dev|staging|prod`
//!
//! | env | cache |
//! |---|---|
//! | dev | `cache.t4g.micro`, single node |
//! | staging | `cache.t4g.micro`, single node |
//! | prod | ElastiCache Serverless (Redis OSS 7), up to 10 GB |
//!
//! Both modes take the same credentials: an RBAC user `ownership-app` limited to
//! the `own:*` keys, whose password is a generated secret, and the `default`
//! user switched off. The connection details, including the `url` the function
//! uses as `REDIS_URL`, are one Secrets Manager secret. Every key lives forever,
//! so the node-based caches evict with `allkeys-lru` rather than fail writes,
//! and nothing is snapshotted: the cache rebuilds itself from DynamoDB.
//!
//! Three alarms notify an encrypted SNS topic: bytes used for cache above 80 %
//! of the node's memory (or of the serverless 10 GB limit), and the function's
//! own `CasfaCache` metrics: `ErrorRate` above 10 % over 5 minutes and `HitRate`
//! below 20 % over an hour.
//!
//! The Lambda function joins the VPC, so the stack also adds the VPC endpoints
//! that spare it a NAT gateway: DynamoDB and S3 (gateway endpoints, free) and
//! Cognito user pools (`cognito-idp`, an interface endpoint reachable on 443
//! from the function only).

use redis_cdk::cfn::ec2::{CfnSecurityGroup, CfnSecurityGroupIngress, CfnVPCEndpoint};
use redis_cdk::{
    AlarmMetric, AlarmTopic, App, Auth, AuthSecret, AuthSecretProps, CacheUser, CacheUserGroup, CacheUserGroupProps,
    CacheUserProps, Comparison, ConnectionSecret, ConnectionSecretProps, CustomAlarm, EncryptionKey,
    EncryptionKeyProps, Engine, Environment, Output, Parameter, ParameterType, RedisAlarms, RedisAlarmsProps,
    RedisVpcAccess, ReplicationGroup, ReplicationGroupProps, ServerlessCache, ServerlessCacheProps, UserAuthentication,
    Value, VpcAccessProps,
};
use std::process::ExitCode;

/// Prices are those of us-east-1: the seed names no region.
const PRICING_REGION: &str = "us-east-1";

/// The node type of dev and staging.
const NODE_TYPE: &str = "cache.t4g.micro";

/// The namespace of the function's cache metrics.
const METRICS_NAMESPACE: &str = "CasfaCache";

/// The user the Lambda function logs in as.
const APP_USER: &str = "ownership-app";

/// Builds the `OwnershipCache` stack for `env`.
pub fn build(env: Environment) -> App {
    let serverless = env == Environment::Prod;
    let mut app = App::for_environment(env);
    let stack = app.add_stack("OwnershipCache");
    stack.set_description(format!("Redis cache of ownership records in front of DynamoDB ({env})"));
    stack.add_tag("application", "casfa");
    stack.add_tag("environment", env.name());

    let mut root = stack.root();
    let vpc =
        root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId).description("VPC of the Lambda function"));
    let subnets = root.add_parameter(
        "SubnetIds",
        Parameter::new(ParameterType::SubnetIdList)
            .description("Private subnets for the cache and the Cognito endpoint, in two or more AZs"),
    );
    let lambda_sg = root.add_parameter(
        "LambdaSecurityGroupId",
        Parameter::new(ParameterType::SecurityGroupId)
            .description("Security group of the Lambda function (CasfaFunction)"),
    );
    let route_tables = root.add_parameter(
        "RouteTableIds",
        Parameter::new(ParameterType::CommaDelimitedList)
            .description("Route tables of the private subnets, for the DynamoDB and S3 gateway endpoints"),
    );

    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let mut access_props = VpcAccessProps::new(vpc.value(), subnets.value())
        .allow_from_security_group(lambda_sg.value(), "Redis from the Lambda function");
    if serverless {
        access_props = access_props.reader_port(6380);
    }
    let access = RedisVpcAccess::new(stack, "Access", access_props);

    let password = AuthSecret::new(stack, "AppPassword", AuthSecretProps::default().kms_key(&key));
    let default_user = CacheUser::new(
        stack,
        "DefaultUser",
        "default",
        UserAuthentication::password(password.token()),
        CacheUserProps::default().access_string("off"),
    );
    let app_user = CacheUser::new(
        stack,
        "AppUser",
        APP_USER,
        UserAuthentication::password(password.token()),
        CacheUserProps::default().access_string("on ~own:* +@all -@dangerous +info"),
    );
    let users =
        CacheUserGroup::new(stack, "Users", Engine::Redis, &[&default_user, &app_user], CacheUserGroupProps::default());

    // Alarms on the bytes the cache holds (> 80 % of the serverless storage limit,
    // or of the node's memory), to catch unbounded growth: every key lives forever.
    let topic = AlarmTopic::encrypted_with(&key);
    let (host, port, cost, mut alarms) = if serverless {
        let cache = ServerlessCache::new(
            stack,
            "Serverless",
            &access,
            ServerlessCacheProps::new()
                .engine(Engine::Redis, "7")
                .kms_key(&key)
                .user_group(&users)
                .max_data_storage_gb(10)
                .snapshot_retention_limit(0),
        );
        let props = RedisAlarmsProps::default().only([AlarmMetric::BytesUsedForCache]);
        let alarms = RedisAlarms::new(stack, "Alarms", &cache, topic, props);
        (
            cache.endpoint_address(),
            cache.endpoint_port(),
            cache.estimated_monthly_cost_usd(Some(PRICING_REGION)),
            alarms,
        )
    } else {
        let cache = ReplicationGroup::new(
            stack,
            "Cache",
            &access,
            Auth::UserGroups(vec![users.user_group_id()]),
            ReplicationGroupProps::new()
                .engine(Engine::Redis, "7.1")
                .node_type(NODE_TYPE)
                .replicas(0)
                .kms_key(&key)
                .parameter("maxmemory-policy", "allkeys-lru")
                .snapshot_retention_limit(0),
        );
        let memory_bytes =
            redis_cdk::facts::node_type(NODE_TYPE).map_or(0.0, |n| n.memory_gib * 1024.0 * 1024.0 * 1024.0);
        let props = RedisAlarmsProps::default()
            .threshold(AlarmMetric::BytesUsedForCache, (0.8 * memory_bytes).round())
            .only([AlarmMetric::BytesUsedForCache]);
        let alarms = RedisAlarms::new(stack, "Alarms", &cache, topic, props);
        (
            cache.primary_endpoint_address(),
            cache.primary_endpoint_port(),
            cache.estimated_monthly_cost_usd(Some(PRICING_REGION)),
            alarms,
        )
    };
    // The function's own metrics, emitted as EMF in the `CasfaCache` namespace (percentages, no dimensions).
    alarms.add_custom_alarm(
        stack,
        "CacheErrorRate",
        CustomAlarm::new(METRICS_NAMESPACE, "ErrorRate", Comparison::GreaterThan, 10.0)
            .period_seconds(300)
            .evaluation_periods(1)
            .description("Cache error rate > 10 % over 5 minutes: investigate Redis connectivity"),
    );
    alarms.add_custom_alarm(
        stack,
        "CacheHitRate",
        CustomAlarm::new(METRICS_NAMESPACE, "HitRate", Comparison::LessThan, 20.0)
            .period_seconds(3600)
            .evaluation_periods(1)
            .description(
                "Cache hit rate < 20 % over 1 hour (informational): caching may not pay off for this workload",
            ),
    );

    // one document for both modes, field by field rather than a preset
    // (`for_serverless_cache`, `for_replication_group`): the seed's functions read
    // the same names whichever cache is built, and `url` is their REDIS_URL
    let connection = ConnectionSecret::new(
        stack,
        "Connection",
        ConnectionSecretProps::new()
            .string("host", host.clone())
            .number("port", port.clone())
            .string("username", APP_USER)
            .secret("password", password.token())
            .boolean("tls", true)
            .string(
                "url",
                Value::concat([
                    Value::str(format!("rediss://{APP_USER}:")),
                    password.token().into_value(),
                    Value::str("@"),
                    host.clone(),
                    Value::str(":"),
                    port.clone(),
                ]),
            )
            .description(format!("REDIS_URL and connection details of the ownership cache ({env})"))
            .kms_key(&key),
    );
    let read_connection = connection.read_policy(stack, "ReadConnection");

    add_vpc_endpoints(stack.root(), &vpc.value(), &subnets.value(), &route_tables.value(), &lambda_sg.value());

    let mut root = stack.root();
    root.add_output(
        "CacheMode",
        Output::new(if serverless { "serverless" } else { "node" })
            .description("node: one cache.t4g.micro; serverless"),
    );
    root.add_output("RedisEndpoint", Output::new(host).description("Endpoint address"));
    root.add_output("RedisPort", Output::new(port).description("Port"));
    root.add_output(
        "ConnectionSecretArn",
        Output::new(connection.secret_arn())
            .description("Secret with host, port, username, password, tls and url (REDIS_URL)"),
    );
    root.add_output(
        "ReadConnectionPolicyArn",
        Output::new(read_connection.reference()).description("Managed policy for the Lambda function's role"),
    );
    if let Some(topic) = alarms.topic_arn() {
        root.add_output("AlarmTopicArn", Output::new(topic).description("SNS topic of the cache alarms"));
    }
    root.add_output(
        "EstimatedMonthlyCost",
        Output::new(format!("~${cost:.2}/month (on-demand, {PRICING_REGION})")).description(if serverless {
            "Serverless minimum storage and 1,000 ECPU/s; the Cognito endpoint adds about $7.30 per AZ"
        } else {
            "Cache node only; the Cognito endpoint adds about $7.30 per AZ"
        }),
    );
    app
}

/// The endpoints that let the function reach DynamoDB, S3 and Cognito without a NAT gateway.
fn add_vpc_endpoints(
    mut root: redis_cdk::Scope<'_>,
    vpc: &Value,
    subnets: &Value,
    route_tables: &Value,
    lambda_sg: &Value,
) {
    for (id, service) in [("DynamoDbEndpoint", "dynamodb"), ("S3Endpoint", "s3")] {
        root.add_resource(
            id,
            CfnVPCEndpoint::new(vpc.clone())
                .service_name(Value::sub(format!("com.amazonaws.${{AWS::Region}}.{service}")))
                .vpc_endpoint_type("Gateway")
                .route_table_ids(route_tables.clone()),
        );
    }
    let sg = root.add_resource(
        "CognitoEndpointSecurityGroup",
        CfnSecurityGroup::new("Cognito interface endpoint, reachable from the Lambda function").vpc_id(vpc.clone()),
    );
    root.add_resource(
        "CognitoEndpointIngress",
        CfnSecurityGroupIngress::new("tcp")
            .group_id(sg.get_att("GroupId"))
            .source_security_group_id(lambda_sg.clone())
            .from_port(443)
            .to_port(443)
            .description("HTTPS from the Lambda function"),
    );
    root.add_resource(
        "CognitoEndpoint",
        CfnVPCEndpoint::new(vpc.clone())
            .service_name(Value::sub("com.amazonaws.${AWS::Region}.cognito-idp"))
            .vpc_endpoint_type("Interface")
            .subnet_ids(subnets.clone())
            .security_group_ids(vec![sg.get_att("GroupId")])
            .private_dns_enabled(true),
    );
}

fn main() -> ExitCode {
    synth::main_with(build)
}
