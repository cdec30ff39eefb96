//! Two stacks: `Network` owns the cache's security group; `Alerts` uses it, so synth
//! exports the group id from `Network` and imports it in `Alerts`.
//!
//! `cargo run --example cross_stack -- --out cdk.out`

use redis_cdk::cfn::ec2::{CfnSecurityGroup, CfnSecurityGroupIngress};
use redis_cdk::{App, Environment, Parameter, ParameterType};
use std::process::ExitCode;

fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let network = app.add_stack("Network");
    let vpc = network.root().add_parameter("VpcId", Parameter::new(ParameterType::VpcId));
    let sg = network
        .root()
        .add_resource("CacheSecurityGroup", CfnSecurityGroup::new("Security group for the cache").vpc_id(vpc.value()));
    let consumer = app.add_stack("Consumer");
    let app_sg = consumer.root().add_parameter("AppSecurityGroupId", Parameter::new(ParameterType::SecurityGroupId));
    consumer.root().add_resource(
        "IngressFromApp",
        CfnSecurityGroupIngress::new("tcp")
            .group_id(sg.get_att("GroupId"))
            .source_security_group_id(app_sg.value())
            .from_port(6379)
            .to_port(6379)
            .description("Redis from the application"),
    );
    app
}

fn main() -> ExitCode {
    synth::main_with(build)
}
