//! `CacheUser` and `CacheUserGroup`: template fragments and every validation message.

use redis_cdk::*;
use serde_json::{json, Value as J};

mod common;
use common::*;

fn password() -> SecretValue {
    SecretValue::secrets_manager("app/redis", Some("password"), None)
}

fn synth(build: impl FnOnce(&mut Stack)) -> Result<Assembly, SynthError> {
    let mut app = App::new();
    build(app.add_stack("Users"));
    app.synth()
}

fn errors(build: impl FnOnce(&mut Stack)) -> Vec<String> {
    let err = synth(build).expect_err("synth should fail");
    err.errors().map(ToString::to_string).collect()
}

fn warnings(build: impl FnOnce(&mut Stack)) -> Vec<String> {
    synth(build).expect("synth should succeed").warnings.iter().map(ToString::to_string).collect()
}

fn default_user(stack: &mut Stack) -> CacheUser {
    CacheUser::new(
        stack,
        "Default",
        "default",
        UserAuthentication::password(password()),
        CacheUserProps::default().user_id("app-default").access_string("off -@all"),
    )
}

#[test]
fn password_user_renders_authentication_mode_and_default_access() {
    let a = synth(|s| {
        CacheUser::new(s, "App", "app", UserAuthentication::password(password()), CacheUserProps::default());
    })
    .unwrap();
    let r = resource(&a, "App/Resource");
    assert_eq!(r["Type"], "AWS::ElastiCache::User");
    assert_props(
        &a,
        "App/Resource",
        json!({
            "AccessString": "on ~* +@all",
            "AuthenticationMode": {
                "Passwords": ["{{resolve:secretsmanager:app/redis:SecretString:password::}}"],
                "Type": "password"
            },
            "Engine": "redis",
            "UserName": "app"
        }),
    );
    let id = r["Properties"]["UserId"].as_str().unwrap();
    assert!(id.starts_with("users-app-") && id.len() <= 40 && id == id.to_lowercase(), "{id}");
}

#[test]
fn two_passwords_while_rotating() {
    let a = synth(|s| {
        let old = SecretValue::secrets_manager("app/redis", Some("password"), Some("AWSPREVIOUS"));
        CacheUser::new(
            s,
            "App",
            "app",
            UserAuthentication::Passwords(vec![password(), old]),
            CacheUserProps::default().user_id("app"),
        );
    })
    .unwrap();
    assert_props(
        &a,
        "App/Resource",
        json!({"AuthenticationMode": {"Passwords": [
            "{{resolve:secretsmanager:app/redis:SecretString:password::}}",
            "{{resolve:secretsmanager:app/redis:SecretString:password:AWSPREVIOUS:}}"
        ]}, "UserId": "app"}),
    );
}

#[test]
fn iam_user_takes_its_name_as_id() {
    let a = synth(|s| {
        let u = CacheUser::new(
            s,
            "Worker",
            "worker",
            UserAuthentication::Iam,
            CacheUserProps::default().engine(Engine::Valkey),
        );
        assert_eq!(u.user_id_literal(), "worker");
    })
    .unwrap();
    assert_props(
        &a,
        "Worker/Resource",
        json!({"AuthenticationMode": {"Type": "iam"}, "Engine": "valkey", "UserId": "worker", "UserName": "worker"}),
    );
}

#[test]
fn group_lists_users_by_reference_and_feeds_a_replication_group() {
    let a = synth(|s| {
        let d = default_user(s);
        let app = CacheUser::new(
            s,
            "App",
            "app",
            UserAuthentication::password(password()),
            CacheUserProps::default().user_id("app"),
        );
        let group = CacheUserGroup::new(
            s,
            "Group",
            Engine::Redis,
            &[&d, &app],
            CacheUserGroupProps::default().user_group_id("app-users"),
        );
        let access = RedisVpcAccess::new(
            s,
            "Access",
            VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa", "subnet-0bbbbbbb"]),
        );
        ReplicationGroup::new(
            s,
            "Cache",
            &access,
            Auth::UserGroups(vec![group.user_group_id()]),
            ReplicationGroupProps::new(),
        );
    })
    .unwrap();
    let d = logical_id(&a, "Default/Resource");
    let app = logical_id(&a, "App/Resource");
    let g = logical_id(&a, "Group/Resource");
    assert_eq!(resource(&a, "Group/Resource")["Type"], "AWS::ElastiCache::UserGroup");
    assert_props(
        &a,
        "Group/Resource",
        json!({"Engine": "redis", "UserGroupId": "app-users", "UserIds": [{"Ref": d}, {"Ref": app}]}),
    );
    assert_props(&a, "Cache/Resource", json!({"UserGroupIds": [{"Ref": g}]}));
}

#[test]
fn valkey_group_needs_no_default_user() {
    let a = synth(|s| {
        let p = CacheUser::new(
            s,
            "Legacy",
            "legacy",
            UserAuthentication::password(password()),
            CacheUserProps::default().engine(Engine::Valkey),
        );
        let v =
            CacheUser::new(s, "App", "app", UserAuthentication::Iam, CacheUserProps::default().engine(Engine::Valkey));
        CacheUserGroup::new(s, "Group", Engine::Valkey, &[&p, &v], CacheUserGroupProps::default());
    })
    .unwrap();
    assert_props(&a, "Group/Resource", json!({"Engine": "valkey"}));
}

#[test]
fn no_password_user_warns() {
    let w = warnings(|s| {
        CacheUser::new(s, "Open", "open", UserAuthentication::NoPasswordRequired, CacheUserProps::default());
    });
    assert_eq!(
        w,
        ["[Users/Open] [CON019] user 'open' needs no password: anyone who reaches the cache can log in as it; use passwords or IAM, or give it the access string 'off'"]
    );
    let w = warnings(|s| {
        CacheUser::new(
            s,
            "Off",
            "off",
            UserAuthentication::password(password()),
            CacheUserProps::default().access_string("~* +@all"),
        );
    });
    assert_eq!(
        w,
        ["[Users/Off] [CON021] access_string '~* +@all' has neither 'on' nor 'off', so ElastiCache creates the user off and it cannot log in; start it with 'on'"]
    );
}

type Build = Box<dyn FnOnce(&mut Stack)>;

#[test]
fn fails_with_one_message_per_problem() {
    let user = |id: &'static str, name: &'static str, auth: UserAuthentication, props: CacheUserProps| -> Build {
        Box::new(move |s: &mut Stack| {
            CacheUser::new(s, id, name, auth, props);
        })
    };
    let cases: Vec<(Build, &str)> = vec![
        (
            user("U", "app", UserAuthentication::password(password()), CacheUserProps::default().user_id("App_1")),
            "[Users/U] [CON016] user_id 'App_1' must start with a lowercase letter; use an id such as 'app-reader'",
        ),
        (
            user("U", "app", UserAuthentication::password(password()), CacheUserProps::default().user_id("app_1")),
            "[Users/U] [CON016] user_id 'app_1' may contain only lowercase letters, digits and hyphens, found '_'; use an id such as 'app-reader'",
        ),
        (
            user("U", "default", UserAuthentication::password(password()), CacheUserProps::default().user_id("default")),
            "[Users/U] [CON016] user_id 'default' is taken by the built-in user ElastiCache creates in every account; use another id such as 'app-default' and keep user_name 'default'",
        ),
        (
            user("U", "my app", UserAuthentication::password(password()), CacheUserProps::default().user_id("app")),
            "[Users/U] [CON016] user_name 'my app' must be non-empty and contain no spaces; use a name such as 'app'",
        ),
        (
            user("U", "app", UserAuthentication::Passwords(vec![]), CacheUserProps::default()),
            "[Users/U] [CON017] authentication Passwords must hold 1 or 2 passwords, got 0; give one password, or two while rotating",
        ),
        (
            user("U", "app", UserAuthentication::Passwords(vec![password(), password(), password()]), CacheUserProps::default()),
            "[Users/U] [CON017] authentication Passwords must hold 1 or 2 passwords, got 3; give one password, or two while rotating",
        ),
        (
            user("U", "app", UserAuthentication::Passwords(vec![password(), password()]), CacheUserProps::default()),
            "[Users/U] [CON017] authentication Passwords lists the same password twice; give two different secrets, or one",
        ),
        (
            user("U", "app", UserAuthentication::password(SecretValue::ssm_secure("/app/redis", None)), CacheUserProps::default()),
            "[Users/U] [SEC007] authentication Passwords uses an ssm-secure reference, which CloudFormation does not resolve in AWS::ElastiCache::User (cfn-lint E1027); keep the password in Secrets Manager and use SecretValue::secrets_manager",
        ),
        (
            user("U", "app", UserAuthentication::Iam, CacheUserProps::default().user_id("app-iam")),
            "[Users/U] [CON018] IAM authentication needs user_id and user_name to be equal, got user_id 'app-iam' and user_name 'app'; drop user_id or set it to the user name",
        ),
        (
            user("U", "app", UserAuthentication::password(password()), CacheUserProps::default().access_string("  ")),
            "[Users/U] [CON020] access_string is empty; use 'on ~* +@all' for full access or a narrower rule set",
        ),
        (
            user("U", "app", UserAuthentication::password(password()), CacheUserProps::default().access_string("on reset ~*")),
            "[Users/U] [CON020] access_string 'on reset ~*' contains 'reset', which ElastiCache refuses (it would drop the user's passwords); remove it",
        ),
        (
            user("U", "app", UserAuthentication::password(password()), CacheUserProps::default().access_string("on >secret ~* +@all")),
            "[Users/U] [CON020] access_string 'on >secret ~* +@all' contains the password rule '>secret'; passwords go in the authentication argument, not the access string",
        ),
        (
            Box::new(|s: &mut Stack| {
                CacheUserGroup::new(s, "G", Engine::Redis, &[], CacheUserGroupProps::default());
            }),
            "[Users/G] [CON022] users is empty; a user group needs at least one user",
        ),
        (
            Box::new(|s: &mut Stack| {
                let d = default_user(s);
                CacheUserGroup::new(s, "G", Engine::Redis, &[&d], CacheUserGroupProps::default().user_group_id("9users"));
            }),
            "[Users/G] [CON016] user_group_id '9users' must start with a lowercase letter; use an id such as 'app-users'",
        ),
        (
            Box::new(|s: &mut Stack| {
                let u = CacheUser::new(s, "App", "app", UserAuthentication::password(password()), CacheUserProps::default());
                CacheUserGroup::new(s, "G", Engine::Redis, &[&u], CacheUserGroupProps::default());
            }),
            "[Users/G] [CON023] a redis user group must contain a user whose user_name is 'default'; add a CacheUser named 'default' (with a user_id such as 'app-default' and access string 'off' to shut it)",
        ),
        (
            Box::new(|s: &mut Stack| {
                let d = default_user(s);
                let v = CacheUser::new(s, "Val", "val", UserAuthentication::Iam, CacheUserProps::default().engine(Engine::Valkey));
                CacheUserGroup::new(s, "G", Engine::Redis, &[&d, &v], CacheUserGroupProps::default());
            }),
            "[Users/G] [EC023] user Users/Val has engine valkey, but the group's engine is redis; a redis user group holds only redis users, give the user engine redis",
        ),
        (
            Box::new(|s: &mut Stack| {
                let d = default_user(s);
                CacheUserGroup::new(s, "G", Engine::Redis, &[&d, &d], CacheUserGroupProps::default());
            }),
            "[Users/G] [CON022] user Users/Default is listed twice (user_id 'app-default'); list each user once",
        ),
        (
            Box::new(|s: &mut Stack| {
                let o = CacheUser::new(s, "Open", "open", UserAuthentication::NoPasswordRequired, CacheUserProps::default());
                CacheUserGroup::new(s, "G", Engine::Valkey, &[&o], CacheUserGroupProps::default());
            }),
            "[Users/G] [EC023] user Users/Open needs no password, which a valkey user group refuses; give it a password or IAM",
        ),
        (
            Box::new(|s: &mut Stack| {
                let o = CacheUser::new(
                    s,
                    "Open",
                    "open",
                    UserAuthentication::NoPasswordRequired,
                    CacheUserProps::default().engine(Engine::Valkey),
                );
                CacheUserGroup::new(s, "G", Engine::Valkey, &[&o], CacheUserGroupProps::default());
            }),
            "[Users/G] [EC023] user Users/Open needs no password, which a valkey user group refuses; give it a password or IAM",
        ),
    ];
    for (build, want) in cases {
        assert_eq!(errors(build), [want]);
    }
}

#[test]
fn a_valkey_group_holds_redis_users_that_authenticate() {
    // AWS's RBAC guide: "Valkey user groups can contain Valkey users, and Redis OSS
    // users who are either password protected or IAM auth enabled."
    let mut app = App::new();
    let s = app.add_stack("Users");
    let iam = CacheUser::new(s, "Iam", "iam", UserAuthentication::Iam, CacheUserProps::default().engine(Engine::Redis));
    let val =
        CacheUser::new(s, "Val", "val", UserAuthentication::Iam, CacheUserProps::default().engine(Engine::Valkey));
    CacheUserGroup::new(s, "G", Engine::Valkey, &[&iam, &val], CacheUserGroupProps::default());
    let a = app.synth().unwrap_or_else(|e| panic!("{e}"));
    assert!(a.warnings.iter().all(|w| w.rule.as_deref() != Some("EC023")), "{:?}", a.warnings);
}

/// Issue 16: grants where they fit. An IAM-authenticated user: the role may
/// connect as it, to the cache, with `elasticache:Connect` on both ARNs.
#[test]
fn an_iam_user_grants_connect_to_a_role() {
    let mut app = App::for_environment(Environment::Prod);
    let stack = app.add_stack("S");
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa", "subnet-0bbbbbbb"]),
    );
    let admin = AuthSecret::new(stack, "Admin", AuthSecretProps::default());
    let default_user = CacheUser::new(
        stack,
        "Default",
        "default",
        UserAuthentication::password(admin.token()),
        CacheUserProps::default().user_id("app-default").access_string("off"),
    );
    let app_user = CacheUser::new(stack, "App", "app-iam", UserAuthentication::Iam, CacheUserProps::default());
    let group =
        CacheUserGroup::new(stack, "Users", Engine::Redis, &[&default_user, &app_user], CacheUserGroupProps::default());
    let cache = ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::UserGroups(vec![group.user_group_id()]),
        ReplicationGroupProps::new(),
    );
    let role = Role::from_arn("arn:aws:iam::123456789012:role/service/app").unwrap();
    app_user.grant_connect(stack, "ConnectApp", &role, cache.replication_group_arn());
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let t = &assembly.stacks[0].template["Resources"];
    let policy = t.as_object().unwrap().values().find(|r| r["Type"] == "AWS::IAM::ManagedPolicy").unwrap();
    let rg = assembly.stacks[0].logical_ids.iter().find(|(_, p)| p.as_str() == "Cache/Resource").unwrap().0.clone();
    let user = assembly.stacks[0].logical_ids.iter().find(|(_, p)| p.as_str() == "App/Resource").unwrap().0.clone();
    assert_eq!(
        policy["Properties"]["PolicyDocument"]["Statement"][0],
        json!({"Sid": "ConnectWithIam", "Effect": "Allow", "Action": "elasticache:Connect", "Resource": [
            {"Fn::Sub": ["arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:replicationgroup:${Id}", {"Id": {"Ref": rg}}]},
            {"Fn::GetAtt": [user, "Arn"]}
        ]})
    );
    assert_eq!(policy["Properties"]["Roles"], json!(["app"]));
}

#[test]
fn fails_to_grant_connect_as_a_password_user() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let secret = AuthSecret::new(stack, "Secret", AuthSecretProps::default());
    let user =
        CacheUser::new(stack, "App", "app", UserAuthentication::password(secret.token()), CacheUserProps::default());
    let role = Role::from_name("app");
    user.grant_connect(stack, "Connect", &role, "arn:aws:elasticache:us-east-1:123456789012:serverlesscache:app");
    let errors: Vec<String> = app.synth().unwrap_err().errors().map(|d| d.to_string()).collect();
    assert_eq!(
        errors,
        ["[S/Connect] [CON037] grant_connect needs a user with IAM authentication, but S/App authenticates otherwise; create it with UserAuthentication::Iam, or grant the role its password secret with grant_read"]
    );
}

/// A user's own password, rotated by AWS's function: the secret has the shape the
/// function reads, the user's password reads it, and the function gets exactly
/// the environment and permissions AWS's guide lists (User-Secrets-Manager.html).
#[test]
fn a_secret_password_rotates_with_aws_function() {
    let mut user_password = None;
    let assembly = synth(|stack| {
        let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
        let rotation =
            PasswordRotation::new(RotationCode::s3("artifacts-bucket", "rotation/elasticache-user.zip")).every_days(30);
        let user = CacheUser::new(
            stack,
            "App",
            "app",
            UserAuthentication::secret_password(UserPasswordProps::default().kms_key(&key).rotation(rotation)),
            CacheUserProps::default().user_id("app-user"),
        );
        let role = Role::from_name("app-role");
        let password = user.password().expect("a secret password");
        password.grant_read(stack, "ReadPassword", &role);
        user_password = Some(password.clone());
    })
    .unwrap();
    let secret = logical_id(&assembly, "App/Password");
    let key = logical_id(&assembly, "Key/Resource");
    assert_props(
        &assembly,
        "App/Password",
        json!({
            "GenerateSecretString": {
                "ExcludePunctuation": true, "GenerateStringKey": "password", "IncludeSpace": false, "PasswordLength": 64,
                "SecretStringTemplate": {"Fn::Sub": "{\"username\":\"app\",\"user_arn\":\"arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:user:app-user\"}"}
            },
            "KmsKeyId": {"Fn::GetAtt": [key, "Arn"]}
        }),
    );
    assert_props(
        &assembly,
        "App/Resource",
        json!({"AuthenticationMode": {"Type": "password", "Passwords": [
            {"Fn::Sub": format!("{{{{resolve:secretsmanager:${{{secret}}}:SecretString:password::}}}}")}
        ]}}),
    );
    let function = logical_id(&assembly, "App/Rotation/Function");
    let logs = logical_id(&assembly, "App/Rotation/Logs");
    let queue = logical_id(&assembly, "App/Rotation/DeadLetters");
    assert_props(
        &assembly,
        "App/Rotation/Function",
        json!({
            "Code": {"S3Bucket": "artifacts-bucket", "S3Key": "rotation/elasticache-user.zip"},
            "Handler": "lambda_function.lambda_handler",
            "Runtime": facts::data::LAMBDA_PYTHON_RUNTIME,
            "Timeout": 900,
            "ReservedConcurrentExecutions": 1,
            "KmsKeyArn": {"Fn::GetAtt": [key, "Arn"]},
            "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": [queue, "Arn"]}},
            "LoggingConfig": {"LogGroup": {"Ref": logs}},
            "Environment": {"Variables": {
                "EXCLUDE_CHARACTERS": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
                "PASSWORD_LENGTH": "64",
                "SECRETS_MANAGER_ENDPOINT": {"Fn::Sub": "https://secretsmanager.${AWS::Region}.${AWS::URLSuffix}"},
                "SECRET_ARN": {"Ref": secret},
                "USER_NAME": "app"
            }}
        }),
    );
    let role = resource(&assembly, "App/Rotation/Role");
    let statements = &role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let actions: Vec<(String, J)> =
        statements.as_array().unwrap().iter().map(|s| (s["Action"].to_string(), s["Resource"].clone())).collect();
    assert_eq!(
        actions,
        vec![
            (
                json!(["elasticache:DescribeUsers", "elasticache:ModifyUser"]).to_string(),
                json!({"Fn::Sub": "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:user:app-user"})
            ),
            (
                json!([
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecretVersionStage"
                ])
                .to_string(),
                json!({"Ref": secret})
            ),
            (json!("secretsmanager:GetRandomPassword").to_string(), json!("*")),
            (json!(["logs:CreateLogStream", "logs:PutLogEvents"]).to_string(), json!({"Fn::GetAtt": [logs, "Arn"]})),
            (json!("sqs:SendMessage").to_string(), json!({"Fn::GetAtt": [queue, "Arn"]})),
            (json!(["kms:Decrypt", "kms:GenerateDataKey"]).to_string(), json!({"Fn::GetAtt": [key, "Arn"]})),
        ]
    );
    assert_props(
        &assembly,
        "App/Rotation/Invoke",
        json!({
            "Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": [function, "Arn"]},
            "Principal": "secretsmanager.amazonaws.com", "SourceAccount": {"Ref": "AWS::AccountId"}
        }),
    );
    assert_props(
        &assembly,
        "App/Rotation/Schedule",
        json!({
            "SecretId": {"Ref": secret}, "RotationLambdaARN": {"Fn::GetAtt": [function, "Arn"]},
            "RotationRules": {"AutomaticallyAfterDays": 30}
        }),
    );
    // the first rotation runs at creation: the permission and the user come first
    let depends = &resource(&assembly, "App/Rotation/Schedule")["DependsOn"];
    let mut want = [logical_id(&assembly, "App/Rotation/Invoke"), logical_id(&assembly, "App/Resource")];
    want.sort();
    assert_eq!(depends, &json!(want), "DependsOn, sorted as CDK writes it");
    assert_props(&assembly, "ReadPassword", json!({"Roles": ["app-role"]}));
    let password = user_password.unwrap();
    assert_eq!(password.rotation_schedule().map(|s| s.target().path.as_str()), Some("App/Rotation/Schedule"));
    // no password in the template: only the generated secret holds it
    let text = serde_json::to_string(&assembly.stacks[0].template).unwrap();
    assert!(!text.contains("\"Passwords\":[\""), "{text}");
}

#[test]
fn the_rotation_logs_take_their_retention_and_removal_policy() {
    let assembly = synth(|stack| {
        let rotation = PasswordRotation::new(RotationCode::s3("artifacts-bucket", "k.zip"))
            .log_retention_days(365)
            .log_removal_policy(RemovalPolicy::Destroy);
        CacheUser::new(
            stack,
            "App",
            "app",
            UserAuthentication::secret_password(UserPasswordProps::default().rotation(rotation)),
            CacheUserProps::default().user_id("app-user"),
        );
    })
    .unwrap();
    assert_props(&assembly, "App/Rotation/Logs", json!({"RetentionInDays": 365}));
    for path in ["App/Rotation/Logs", "App/Rotation/DeadLetters"] {
        let r = resource(&assembly, path);
        assert_eq!(
            (r["DeletionPolicy"].as_str(), r["UpdateReplacePolicy"].as_str()),
            (Some("Delete"), Some("Delete")),
            "{path}"
        );
    }
}

#[test]
fn fails_on_rotation_settings_the_function_cannot_run_with() {
    let errs = errors(|stack| {
        let rotation = PasswordRotation::new(RotationCode::s3("b", "k.zip"))
            .every_days(1001)
            .timeout_seconds(300)
            .reserved_concurrency(Some(0));
        CacheUser::new(
            stack,
            "App",
            "app",
            UserAuthentication::secret_password(UserPasswordProps::default().length(8).rotation(rotation)),
            CacheUserProps::default(),
        );
    });
    assert_eq!(errs, [
        "[Users/App] [SEC003] password length must be between 16 and 128 characters (ElastiCache's password limits), got 8; use 32 or more",
        "[Users/App] [SEC009] password rotation: AutomaticallyAfterDays must be 1 to 1000 days (the Secrets Manager API), got 1001",
        "[Users/App] [CON038] password rotation: timeout_seconds must be 720 to 900 (AWS asks at least 12 minutes for the ElastiCache user rotation function; Lambda allows 900), got 300; use 900",
        "[Users/App] [CON038] password rotation: reserved_concurrency 0 stops the function from ever running; use 1, or None for no reservation",
    ]);
}

/// A connection secret that copies a rotating password is stale after the first
/// rotation: SEC010 warns at the connection secret, and the ARN is the fix.
#[test]
fn warns_when_a_connection_secret_copies_a_rotating_password() {
    let build = |copy: bool| {
        move |stack: &mut Stack| {
            let rotation = PasswordRotation::new(RotationCode::s3("artifacts-bucket", "k.zip"));
            let user = CacheUser::new(
                stack,
                "App",
                "app",
                UserAuthentication::secret_password(UserPasswordProps::default().rotation(rotation)),
                CacheUserProps::default().user_id("app-user"),
            );
            let password = user.password().expect("a secret password");
            let props = ConnectionSecretProps::new().string("username", "app");
            let props = if copy {
                props.secret("password", password.password())
            } else {
                props.string("password_secret_arn", password.secret_arn())
            };
            ConnectionSecret::new(stack, "Conn", props);
        }
    };
    let sec010 = |w: Vec<String>| w.into_iter().filter(|w| w.contains("[SEC010]")).collect::<Vec<_>>();
    let copied = sec010(warnings(build(true)));
    assert_eq!(copied.len(), 1, "{copied:#?}");
    assert!(
        copied[0].starts_with("[Users/Conn/Resource] [SEC010] Properties.SecretString: SecretString copies the value of secret AppPassword"),
        "{copied:#?}"
    );
    assert!(sec010(warnings(build(false))).is_empty());
}
