//! The app `synth` builds when run without an app of its own.

use redis_cdk::cfn::ec2::{CfnSecurityGroup, CfnSecurityGroupIngress};
use redis_cdk::cfn::elasticache::CfnSubnetGroup;
use redis_cdk::{App, Environment, Output, Parameter, ParameterType};

/// Builds the default app for `env`: one stack, `RedisCache`.
pub fn build(env: Environment) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("RedisCache");
    stack.set_description(format!("ElastiCache Redis network access ({env})"));
    let mut root = stack.root();
    let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId).description("VPC of the cache"));
    let subnets = root.add_parameter(
        "SubnetIds",
        Parameter::new(ParameterType::SubnetIdList).description("Private subnets for the cache nodes"),
    );
    let app_sg = root.add_parameter(
        "AppSecurityGroupId",
        Parameter::new(ParameterType::SecurityGroupId).description("Security group of the application that connects"),
    );
    let mut access = root.child("Access");
    let sg = access
        .add_resource("SecurityGroup", CfnSecurityGroup::new("Security group for the Redis cache").vpc_id(vpc.value()));
    access.add_resource(
        "IngressFromApp",
        CfnSecurityGroupIngress::new("tcp")
            .group_id(sg.get_att("GroupId"))
            .source_security_group_id(app_sg.value())
            .from_port(6379)
            .to_port(6379)
            .description("Redis from the application"),
    );
    let subnet_group =
        access.add_resource("SubnetGroup", CfnSubnetGroup::new("Subnets of the Redis cache", subnets.value()));
    root.add_output("SecurityGroupId", Output::new(sg.get_att("GroupId")).description("Security group of the cache"));
    root.add_output("SubnetGroupName", Output::new(subnet_group.reference()).description("Subnet group of the cache"));
    app
}
