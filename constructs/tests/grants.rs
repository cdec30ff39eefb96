//! Grants to IAM roles outside the app and inside it, and to IAM users and groups:
//! the policy's `Roles` (`Users`, `Groups`) holds the *name*, the last part of the
//! ARN, whatever its path.

use redis_cdk::assertions::Template;
use redis_cdk::cfn::ResourceDef;
use redis_cdk::{
    App, AuthSecret, AuthSecretProps, ConnectionSecret, ConnectionSecretProps, Parameter, ParameterType, Principal,
    Role, RoleError,
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
    connection.grant_read(stack, "ReadByName", Role::from_name(name.value()));
    connection.grant_read(stack, "ReadByOwnRole", Role::from_resource(&own).unwrap());
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
    secret.grant_read(stack, "ReadWithPath", Role::from_name("service/app"));
    secret.grant_read(stack, "ReadWithSpace", Role::from_name("my app"));
    assert_eq!(
        errors_of(&app),
        [
            "[S/ReadWithPath] [SEC008] Properties.Roles.0: Roles entry 'service/app' holds a path, but IAM attaches policies by role name; give the name, 'app' (the part after the last /), e.g. with Role::from_arn",
            "[S/ReadWithSpace] [SEC008] Properties.Roles.0: Roles entry 'my app' contains ' '; IAM role names hold letters, digits and _+=,.@- only (cfn-lint 1.58.0 and botocore 1.44.8)",
        ]
    );
}

#[test]
fn users_and_groups_outside_the_app_are_attached_by_name() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    let alice = Principal::user_from_arn("arn:aws:iam::123456789012:user/ops/alice").unwrap();
    secret.grant_read(stack, "ReadAlice", &alice);
    // a group name may be 128 characters, twice a role's
    let long = "g".repeat(128);
    let group = Principal::group_from_arn(&format!("arn:aws:iam::123456789012:group/{long}")).unwrap();
    secret.grant_read(stack, "ReadGroup", group);
    let t = synth_template(&app);
    t.has_resource_properties("AWS::IAM::ManagedPolicy", &json!({"Users": ["alice"]})).unwrap();
    t.has_resource_properties("AWS::IAM::ManagedPolicy", &json!({"Groups": [long]})).unwrap();
    assert!(t.resources("AWS::IAM::ManagedPolicy").iter().all(|(_, r)| r["Properties"].get("Roles").is_none()));

    let err = Principal::user_from_arn("arn:aws:iam::123456789012:group/ops").unwrap_err();
    assert_eq!(err.to_string(), "'arn:aws:iam::123456789012:group/ops' is not a user ARN: it names a 'group', not a user; use arn:<partition>:iam::<12-digit account>:user/[<path>/]<name>, such as arn:aws:iam::123456789012:user/team/name");
    let err = Principal::group_from_arn(&format!("arn:aws:iam::123456789012:group/{}", "g".repeat(129))).unwrap_err();
    assert!(matches!(err, RoleError::InvalidPrincipalName { kind: "group", .. }), "{err}");
    assert!(err.to_string().contains("is 129 characters long; IAM group names are 1 to 128"), "{err}");
}

#[test]
fn fails_on_a_user_or_group_name_iam_refuses() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    secret.grant_read(stack, "ReadUser", Principal::user("ops/alice"));
    secret.grant_read(stack, "ReadGroup", Principal::group("on call"));
    secret.grant_read(stack, "ReadLongUser", Principal::user("u".repeat(65)));
    assert_eq!(
        errors_of(&app),
        [
            "[S/ReadUser] [SEC008] Properties.Users.0: Users entry 'ops/alice' holds a path, but IAM attaches policies by user name; give the name, 'alice' (the part after the last /), e.g. with Principal::user_from_arn".to_string(),
            "[S/ReadGroup] [SEC008] Properties.Groups.0: Groups entry 'on call' contains ' '; IAM group names hold letters, digits and _+=,.@- only (cfn-lint 1.58.0 and botocore 1.44.8)".to_string(),
            format!("[S/ReadLongUser] [SEC008] Properties.Users.0: Users entry '{}' is 65 characters long; IAM user names are 1 to 64 (cfn-lint 1.58.0 and botocore 1.44.8)", "u".repeat(65)),
        ]
    );
}
