//! The README's program: a sharded Valkey cluster with alarms, and a flag of its own.
use redis_cdk::*;
use synth::clap;

/// The app's flags, beside synth's (`--env`, `--out`, ...).
#[derive(clap::Args)]
pub struct Flags {
    /// Shards of the cluster, 1 to 500.
    #[arg(long, default_value_t = 3)]
    pub shards: u32,
}

pub fn build(env: Environment, flags: &Flags) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("SessionStore");
    let vpc = stack.root().add_parameter("VpcId", Parameter::new(ParameterType::VpcId));
    let subnets = stack.root().add_parameter("SubnetIds", Parameter::new(ParameterType::SubnetIdList));
    let app_sg = stack.root().add_parameter("AppSecurityGroupId", Parameter::new(ParameterType::SecurityGroupId));
    let app_role = stack.root().add_parameter("AppRoleName", Parameter::new(ParameterType::String));
    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value()).allow_from_security_group(app_sg.value(), "app"),
    );
    let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().kms_key(&key));
    let cluster = ShardedCluster::new(
        stack,
        "Sessions",
        &access,
        Auth::Token(token.token()),
        flags.shards,
        ReplicationGroupProps::new().engine(Engine::Valkey, "8.1").replicas(1).kms_key(&key),
    );
    token.grant_read(stack, "ReadToken", Role::from_name(app_role.value()));
    RedisAlarms::new(stack, "Alarms", &cluster, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());
    stack.root().add_output("Endpoint", Output::new(cluster.configuration_endpoint_address()));
    app
}

fn main() -> std::process::ExitCode {
    synth::main_with_args(build)
}
