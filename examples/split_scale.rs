//! The performance workload: N copies of a split-Redis stack (security group,
//! subnet group, parameter group, AUTH secret, KMS key, two replication groups,
//! alarms, SNS topic, outputs), synthesized with full validation (integrity,
//! schemas, rules), one template per stack.
//!
//! `cargo run --release --example split_scale -- --stacks 100 --out /tmp/split`
//! (`--env` picks the preset, prod by default; without `--out` nothing is written).
//!
//! Prints the wall time of build, synth (with validation) and writes to stderr.

use redis_cdk::{
    AlarmTopic, App, Auth, AuthSecret, AuthSecretProps, EncryptionKey, EncryptionKeyProps, Environment, Output,
    Parameter, ParameterType, RedisAlarms, RedisAlarmsProps, RedisVpcAccess, ReplicationGroupProps, SplitRedis,
    SplitRedisProps, VpcAccessProps,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Adds one split-Redis stack named `name`, sized for `env`, to `app`.
pub fn add_split_stack(app: &mut App, name: &str, env: Environment) {
    let stack = app.add_stack(name).set_environment(env);
    let mut root = stack.root();
    let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId));
    let subnets = root.add_parameter("SubnetIds", Parameter::new(ParameterType::SubnetIdList));
    let app_sg = root.add_parameter("AppSecurityGroupId", Parameter::new(ParameterType::SecurityGroupId));
    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new(vpc.value(), subnets.value())
            .allow_from_security_group(app_sg.value(), "Redis from the app"),
    );
    let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default().kms_key(&key));
    let redis = SplitRedis::new(
        stack,
        "Redis",
        &access,
        Auth::Token(token.token()),
        SplitRedisProps::new()
            .split(true)
            .base(
                ReplicationGroupProps::new()
                    .kms_key(&key)
                    .parameter("maxmemory-policy", "volatile-lru")
                    .maintenance_window("sun:05:00-sun:06:00")
                    .snapshot_window("03:00-04:00"),
            )
            .adapter("cache.r6g.large", 1)
            .state("cache.r6g.large", 1),
    );
    for (id, cluster) in [("AdapterAlarms", redis.adapter()), ("StateAlarms", redis.state())] {
        RedisAlarms::new(stack, id, cluster, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());
    }
    let mut root = stack.root();
    root.add_output("AdapterEndpoint", Output::new(redis.adapter_endpoint_address()));
    root.add_output("AdapterPort", Output::new(redis.adapter_endpoint_port()));
    root.add_output("StateEndpoint", Output::new(redis.state_endpoint_address()));
    root.add_output("StatePort", Output::new(redis.state_endpoint_port()));
    root.add_output("AuthSecretArn", Output::new(token.secret_arn()));
}

fn main() -> ExitCode {
    let mut stacks = 1usize;
    let mut env = Environment::Prod;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--stacks", Some(n)) => match n.parse() {
                Ok(n) if n >= 1 => stacks = n,
                _ => return usage(&format!("--stacks takes a whole number of at least 1, got '{n}'")),
            },
            ("--out", Some(dir)) => out = Some(PathBuf::from(dir)),
            ("--env", Some(e)) => match e.parse() {
                Ok(e) => env = e,
                Err(err) => return usage(&format!("{err}")),
            },
            (other, _) => return usage(&format!("unknown argument '{other}'")),
        }
    }
    let t0 = Instant::now();
    let mut app = App::new();
    for i in 1..=stacks {
        add_split_stack(&mut app, &format!("Split{i}"), env);
    }
    let t1 = Instant::now();
    let assembly = match app.into_assembly() {
        Ok(a) => a,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(1);
        }
    };
    let t2 = Instant::now();
    if let Some(dir) = &out {
        if let Err(e) = assembly.write_to_dir(dir) {
            eprintln!("error: writing to {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    }
    let t3 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    eprintln!(
        "{stacks} stack(s): build {:.2} ms, synth+validate {:.2} ms, write {:.2} ms",
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3)
    );
    // Freeing the tree and the templates one allocation at a time costs as much as
    // writing them; the process is done, so let the OS take the memory back at once.
    std::mem::forget(assembly);
    ExitCode::SUCCESS
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nusage: split_scale [--stacks N] [--env dev|staging|prod] [--out DIR]");
    ExitCode::from(2)
}
