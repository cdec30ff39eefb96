//! `examples/rotating_users.rs`: RBAC users whose passwords AWS's rotation function
//! changes on a schedule. Its templates are snapshots
//! (`snapshots/rotating_users__<env>.snap`, `INSTA_UPDATE=always cargo test --test
//! rotating_users`); cfn-lint, checkov and moto see it with every other example.

#[allow(dead_code)]
#[path = "../examples/rotating_users.rs"]
mod rotating_users;

use redis_cdk::Environment;
use serde_json::{json, Value as J};

fn template(env: Environment) -> J {
    let assembly = rotating_users::build(env).synth().unwrap_or_else(|e| panic!("{env}: {:#?}", e.diagnostics));
    assert!(assembly.warnings.is_empty(), "{env}: {:?}", assembly.warnings);
    let [stack] = &assembly.stacks[..] else { panic!("one stack") };
    stack.template.clone()
}

fn of_type<'a>(t: &'a J, ty: &str) -> Vec<(&'a String, &'a J)> {
    t["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == ty).collect()
}

#[test]
fn the_example_matches_its_snapshots() {
    for env in Environment::ALL {
        let assembly = rotating_users::build(env).synth().unwrap();
        let [stack] = &assembly.stacks[..] else { panic!("one stack") };
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("rotating_users__{env}"), stack.to_json());
        });
    }
}

#[test]
fn each_user_has_its_own_rotated_secret_weekly_in_prod() {
    for env in Environment::ALL {
        let t = template(env);
        let secrets = of_type(&t, "AWS::SecretsManager::Secret");
        let schedules = of_type(&t, "AWS::SecretsManager::RotationSchedule");
        let users = of_type(&t, "AWS::ElastiCache::User");
        assert_eq!((secrets.len(), schedules.len(), users.len()), (2, 2, 2), "{env}");
        let days = if env == Environment::Prod { 7 } else { 30 };
        for (id, s) in &schedules {
            assert_eq!(s["Properties"]["RotationRules"], json!({"AutomaticallyAfterDays": days}), "{env} {id}");
            // each schedule rotates a secret of the stack, with a function of the stack
            let secret = s["Properties"]["SecretId"]["Ref"].as_str().unwrap();
            assert!(secrets.iter().any(|(sid, _)| *sid == secret), "{env} {id}");
            let function = s["Properties"]["RotationLambdaARN"]["Fn::GetAtt"][0].as_str().unwrap();
            let f = &t["Resources"][function]["Properties"];
            // the function rotates exactly that secret, for the user whose password reads it
            assert_eq!(f["Environment"]["Variables"]["SECRET_ARN"], json!({"Ref": secret}), "{env} {id}");
            let user_name = f["Environment"]["Variables"]["USER_NAME"].as_str().unwrap();
            let (_, user) = users.iter().find(|(_, u)| u["Properties"]["UserName"] == user_name).unwrap();
            let reads = user["Properties"]["AuthenticationMode"]["Passwords"][0]["Fn::Sub"].as_str().unwrap();
            assert!(reads.contains(&format!("${{{secret}}}:SecretString:password")), "{env} {id}: {reads}");
            let template = t["Resources"][secret]["Properties"]["GenerateSecretString"]["SecretStringTemplate"]
                ["Fn::Sub"]
                .as_str()
                .unwrap();
            let shape: J = serde_json::from_str(template).unwrap();
            assert_eq!(shape["username"], user_name, "{env} {id}");
            let user_id = user["Properties"]["UserId"].as_str().unwrap();
            assert!(shape["user_arn"].as_str().unwrap().ends_with(&format!(":user:{user_id}")), "{env} {id}");
        }
    }
}

#[test]
fn the_application_reads_only_its_own_user_s_secret() {
    let t = template(Environment::Prod);
    let policies = of_type(&t, "AWS::IAM::ManagedPolicy");
    let [(_, policy)] = &policies[..] else { panic!("one managed policy: {policies:?}") };
    let app_secret = of_type(&t, "AWS::SecretsManager::Secret")
        .into_iter()
        .find(|(id, _)| id.starts_with("AppUser"))
        .map(|(id, _)| id.clone())
        .unwrap();
    let statement = &policy["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Resource"], json!([{"Ref": app_secret}]));
    assert_eq!(policy["Properties"]["Roles"], json!([{"Ref": "AppRoleName"}]));
}
