//! Grants to IAM roles outside the app and inside it: the policy's `Roles` holds
//! the role *name*, the last part of its ARN, whatever its path.

use redis_cdk::assertions::Template;
use redis_cdk::cfn::ResourceDef;
use redis_cdk::{
    App, AuthSecret, AuthSecretProps, ConnectionSecret, ConnectionSecretProps, Parameter, ParameterType, Role,
};
use serde_json::json;

fn synth_template(app: &App) -> Template {
    Template::from_artifact(&app.synth().expect("synth").stacks[0])
}

fn errors_of(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn a_role_imported_by_arn_is_attached_by_its_name() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    let role = Role::from_arn("arn:aws:iam::123456789012:role/service/team/app").unwrap();
    secret.grant_read(stack, "Read", &role);
    synth_template(&app).has_resource_properties("AWS::IAM::ManagedPolicy", &json!({"Roles": ["app"]})).unwrap();
}

#[test]
fn roles_by_parameter_and_of_the_app() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let name = stack.root().add_parameter("AppRoleName", Parameter::new(ParameterType::String));
    let own = stack.root().add_resource(
        "TaskRole",
        ResourceDef::raw("AWS::IAM::Role").property(
            "AssumeRolePolicyDocument",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        ),
    );
    let connection =
        ConnectionSecret::new(stack, "Connection", ConnectionSecretProps::new().string("host", "example.internal"));
    connection.grant_read(stack, "ReadByName", &Role::from_name(name.value()));
    connection.grant_read(stack, "ReadByOwnRole", &Role::from_resource(&own).unwrap());
    let t = synth_template(&app);
    t.has_resource_properties("AWS::IAM::ManagedPolicy", &json!({"Roles": [{"Ref": "AppRoleName"}]})).unwrap();
    t.has_resource_properties("AWS::IAM::ManagedPolicy", &json!({"Roles": [{"Ref": "TaskRole"}]})).unwrap();
}

#[test]
fn a_read_policy_is_attached_to_no_role() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    let policy = secret.read_policy(stack, "Read");
    assert!(stack.resource(&policy.target().path).unwrap().get("Roles").is_none());
}

#[test]
fn fails_on_a_role_name_iam_refuses_with_the_grant_path() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    // the mistake of issue 16: the ARN split by hand, the path left in
    secret.grant_read(stack, "ReadWithPath", &Role::from_name("service/app"));
    secret.grant_read(stack, "ReadWithSpace", &Role::from_name("my app"));
    assert_eq!(
        errors_of(&app),
        [
            "[S/ReadWithPath] [SEC008] Properties.Roles.0: Roles entry 'service/app' holds a path, but IAM attaches policies by role name; give the name, 'app' (the part after the last /), e.g. with Role::from_arn",
            "[S/ReadWithSpace] [SEC008] Properties.Roles.0: Roles entry 'my app' contains ' '; IAM role names hold letters, digits and _+=,.@- only (cfn-lint 1.58.0 and botocore 1.44.8)",
        ]
    );
}
