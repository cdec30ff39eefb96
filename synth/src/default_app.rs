//! The app `synth` builds when run without an app of its own: a production-ready
//! Redis stack from the library's constructs.

use redis_cdk::{
    AlarmTopic, App, Auth, AuthSecret, AuthSecretProps, EncryptionKey, EncryptionKeyProps, Environment, Output,
    Parameter, ParameterType, RedisAlarms, RedisAlarmsProps, RedisVpcAccess, ReplicationGroup, ReplicationGroupProps,
    VpcAccessProps,
};

/// Builds the default app for `env`: one stack, `RedisCache`, with VPC access from
/// the application's security group, a generated AUTH token, a KMS key with
/// rotation, a TLS-only replication group sized by the environment preset, and
/// alarms on every node to an encrypted SNS topic.
pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("RedisCache");
    stack.set_description(format!("ElastiCache Redis for the application ({env}), synthesized by redis-cdk"));
    stack.add_tag("environment", env.name());
    stack.add_tag("managed-by", "redis-cdk");

    let mut root = stack.root();
    let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId).description("VPC of the cache"));
    let subnets = root.add_parameter(
        "SubnetIds",
        Parameter::new(ParameterType::SubnetIdList)
            .description("Private subnets for the cache nodes, in two or more AZs"),
    );
    let app_sg = root.add_parameter(
        "AppSecurityGroupId",
        Parameter::new(ParameterType::SecurityGroupId).description("Security group of the application that connects"),
    );

    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value())
            .allow_from_security_group(app_sg.value(), "Redis from the application"),
    );
    let secret = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().kms_key(&key));
    let cache = ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::Token(secret.token()),
        ReplicationGroupProps::new()
            .kms_key(&key)
            .maintenance_window("sun:05:00-sun:06:00")
            .snapshot_window("03:00-04:00")
            .parameter("maxmemory-policy", "volatile-lru"),
    );
    let read_policy = secret.read_policy(stack, "ReadAuthToken");
    let alarms =
        RedisAlarms::new(stack, "Alarms", &cache, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());

    let mut root = stack.root();
    root.add_output(
        "PrimaryEndpoint",
        Output::new(cache.primary_endpoint_address()).description("Primary endpoint host"),
    );
    root.add_output("Port", Output::new(cache.primary_endpoint_port()).description("Port"));
    root.add_output(
        "ConnectionString",
        Output::new(cache.connection_string())
            .description("rediss:// URL without the token; read the token from AuthSecretArn"),
    );
    root.add_output(
        "AuthSecretArn",
        Output::new(secret.secret_arn()).description("Secrets Manager secret holding the AUTH token"),
    );
    root.add_output(
        "ReadAuthTokenPolicyArn",
        Output::new(read_policy.reference()).description("Managed policy to attach to the application's role"),
    );
    if let Some(topic) = alarms.topic_arn() {
        root.add_output(
            "AlarmTopicArn",
            Output::new(topic).description("SNS topic the alarms notify: subscribe the on-call"),
        );
    }
    root.add_output(
        "SecurityGroupId",
        Output::new(access.security_group_id()).description("Security group of the cache"),
    );
    app
}
