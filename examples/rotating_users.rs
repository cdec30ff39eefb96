//! RBAC users whose passwords rotate: a Valkey replication group that trusts a
//! user group of two users, `default` (switched off) and `app`, each with a
//! password of its own in Secrets Manager that AWS's ElastiCache user rotation
//! function changes every 30 days (prod: every 7).
//!
//! `cargo run --example rotating_users -- --env dev|staging|prod`
//!
//! The rotation function's code is AWS's `SecretsManagerElasticacheUserRotation`
//! (<https://github.com/aws-samples/aws-secrets-manager-rotation-lambdas>): zip
//! its `lambda_function.py`, upload the zip to a bucket of the stack's region, and
//! pass the bucket and key as `RotationCodeBucket` and `RotationCodeKey`. The
//! application role (`AppRoleName`) may read the `app` user's secret; clients
//! read the password from it at connection time, so a rotation needs no deploy.
use redis_cdk::*;

pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("RotatingUsers");
    stack.set_description(format!("Valkey with rotating RBAC user passwords ({env})"));
    let mut root = stack.root();
    let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId));
    let subnets = root.add_parameter("SubnetIds", Parameter::new(ParameterType::SubnetIdList));
    let app_sg = root.add_parameter("AppSecurityGroupId", Parameter::new(ParameterType::SecurityGroupId));
    let app_role = root.add_parameter("AppRoleName", Parameter::new(ParameterType::String));
    let code_bucket = root.add_parameter(
        "RotationCodeBucket",
        Parameter::new(ParameterType::String).description("Bucket of the rotation function's zip"),
    );
    let code_key = root.add_parameter(
        "RotationCodeKey",
        Parameter::new(ParameterType::String).description("Object key of the rotation function's zip"),
    );

    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value()).allow_from_security_group(app_sg.value(), "app"),
    );
    let days = if env == Environment::Prod { 7 } else { 30 };
    let password = |key: &EncryptionKey| {
        let code = RotationCode::s3(code_bucket.value(), code_key.value());
        UserPasswordProps::default().kms_key(key).rotation(PasswordRotation::new(code).every_days(days))
    };
    let default_user = CacheUser::new(
        stack,
        "DefaultUser",
        "default",
        UserAuthentication::secret_password(password(&key)),
        CacheUserProps::default().engine(Engine::Valkey).access_string("off"),
    );
    let app_user = CacheUser::new(
        stack,
        "AppUser",
        "app",
        UserAuthentication::secret_password(password(&key)),
        CacheUserProps::default().engine(Engine::Valkey).access_string("on ~app:* +@all -@dangerous"),
    );
    let users = CacheUserGroup::new(
        stack,
        "Users",
        Engine::Valkey,
        &[&default_user, &app_user],
        CacheUserGroupProps::default(),
    );
    let cache = ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::UserGroups(vec![users.user_group_id()]),
        ReplicationGroupProps::new().engine(Engine::Valkey, "8.1").kms_key(&key),
    );
    if let Some(secret) = app_user.password() {
        secret.grant_read(stack, "ReadAppPassword", Role::from_name(app_role.value()));
        stack.root().add_output("AppPasswordSecretArn", Output::new(secret.secret_arn()));
    }
    RedisAlarms::new(stack, "Alarms", &cache, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());
    stack.root().add_output("Endpoint", Output::new(cache.primary_endpoint_address()));
    app
}

fn main() -> std::process::ExitCode {
    synth::main_with(build)
}
