//! Declarative specs: each spec of `examples/specs/` synthesizes the
//! byte-identical template of its Rust example in every environment, mistaken
//! specs get messages that point at the right place, and random or mutated
//! specs never panic.

mod common;
mod seed_examples;

use common::Rng;
use redis_cdk::{spec, App, Environment};
use std::path::Path;

use seed_examples::*;

fn spec_path(name: &str) -> String {
    format!("{}/examples/specs/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn templates(app: App) -> Vec<(String, String)> {
    let assembly = app.synth().unwrap_or_else(|e| panic!("synth failed:\n{e}"));
    assembly.stacks.iter().map(|s| (s.name.clone(), s.to_json())).collect()
}

#[test]
fn every_example_spec_synthesizes_the_template_of_its_rust_example() {
    for (name, build) in EXAMPLES {
        if std::env::var("SPEC_ONLY").is_ok_and(|only| only != *name) {
            continue;
        }
        for env in Environment::ALL {
            let from_rust = templates(build(env));
            let app =
                spec::load_file(Path::new(&spec_path(name)), env).unwrap_or_else(|e| panic!("{name} ({env}):\n{e}"));
            let from_spec = templates(app);
            assert_eq!(from_rust.len(), from_spec.len(), "{name} ({env}): stacks");
            for ((rn, rt), (sn, st)) in from_rust.iter().zip(&from_spec) {
                assert_eq!(rn, sn, "{name} ({env}): stack names");
                if rt != st {
                    let diff: Vec<String> = rt
                        .lines()
                        .zip(st.lines())
                        .enumerate()
                        .filter(|(_, (a, b))| a != b)
                        .take(8)
                        .map(|(i, (a, b))| format!("line {}:\n  rust: {a}\n  spec: {b}", i + 1))
                        .collect();
                    panic!(
                        "{name} ({env}): templates differ ({} vs {} lines)\n{}",
                        rt.lines().count(),
                        st.lines().count(),
                        diff.join("\n")
                    );
                }
            }
        }
    }
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema_that_every_example_spec_passes() {
    let schema = spec::schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let meta = jsonschema::draft202012::meta::validate(&schema);
    assert!(meta.is_ok(), "not a valid schema: {meta:?}");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for (name, _) in EXAMPLES {
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(spec_path(name)).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        for env in Environment::ALL {
            let effective = spec::effective(&doc, env);
            assert!(validator.is_valid(&effective), "{name} ({env}) after its patch");
        }
    }
    // descriptions and defaults come from the props' docs
    let rg = &schema["$defs"]["ReplicationGroupProps"]["properties"]["replicas"];
    assert!(rg["description"].as_str().unwrap().starts_with("Replicas of each primary, 0 to 5"), "{rg}");
    assert_eq!(rg["maximum"], 5);
}

fn mistakes(fixture: &str, env: Environment) -> Vec<String> {
    let path = format!("{}/tests/fixtures/specs/{fixture}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    match spec::load(&text, "spec.json", env) {
        Ok(_) => panic!("{fixture} ({env}) loads"),
        Err(e) => e.messages,
    }
}

#[test]
fn fails_with_every_schema_mistake_at_once_each_at_its_pointer() {
    assert_eq!(
        mistakes("schema_mistakes", Environment::Dev),
        [
            "spec.json: /stacks/ChatSplit/constructs/Key/kind: expected one of \"encryption_key\", \"vpc_access\", \"auth_secret\", \"replication_group\", \"sharded_cluster\", \"split_redis\", \"serverless_cache\", \"cache_user\", \"cache_user_group\", \"alarms\", \"custom_alarm\", \"connection_secret\", \"grant_read\", \"raw_resource\", found \"encryption_kee\"; did you mean 'encryption_key'?",
            "spec.json: /stacks/ChatSplit/constructs/AuthToken/props/length: expected integer from 16 to 128, found 8",
            "spec.json: /stacks/ChatSplit/constructs/Redis/props/base/replicas: expected integer or null from 0 to 5, found \"two\"",
            "spec.json: /stacks/ChatSplit/constructs/Redis/props/base/node_typ: unknown field 'node_typ'; did you mean 'node_type'? expected one of: engine, engine_version, node_type, replicas, multi_az, automatic_failover, transit_encryption, at_rest_encryption, parameters, parameter_group_family, existing_parameter_group, maintenance_window, snapshot_window, snapshot_retention_limit, auto_minor_version_upgrade, notification_topic_arn, log_delivery, log_retention_days, log_removal_policy, data_tiering, network_type, replication_group_id, description, removal_policy, tags",
        ]
    );
}

#[test]
fn fails_with_unknown_and_wrong_kind_references_at_their_pointers() {
    assert_eq!(
        mistakes("reference_mistakes", Environment::Dev),
        [
            "spec.json: /stacks/ChatSplit/constructs/Sessions/access: expected the id of a vpc_access defined above, found 'Acess'; did you mean 'Access'?",
            "spec.json: /stacks/ChatSplit/constructs/Sessions/auth/secret: expected an auth_secret, found 'Key', which is an encryption_key",
            "spec.json: /stacks/ChatSplit/outputs/AdapterPort/value/attribute: expected an attribute of a split_redis (adapter_endpoint_address, adapter_endpoint_port, state_endpoint_address, state_endpoint_port), found 'adapter_port'; did you mean 'adapter_endpoint_port'?",
        ]
    );
}

#[test]
fn fails_with_unknown_conditions_and_secret_fields_that_are_no_secret() {
    assert_eq!(
        mistakes("condition_mistakes", Environment::Dev),
        [
            "spec.json: /stacks/Switches/constructs/Key/condition: expected a condition of the stack's `conditions`, found 'UseItConditon'; did you mean 'UseItCondition'?",
            "spec.json: /stacks/Switches/constructs/Secret/fields/token/parameter: parameter 'Token' is not NoEcho: a secret from a parameter needs \"no_echo\": true",
            "spec.json: /stacks/Switches/constructs/Secret/fields/other/parameter: expected a parameter of the stack, found 'Nope'",
            "spec.json: /stacks/Switches/outputs/SecretArn/condition: expected a condition of the stack's `conditions`, found 'Missing'",
        ]
    );
}

#[test]
fn fails_in_the_environment_whose_patch_has_the_mistake() {
    assert!(spec::load_file(
        Path::new(&format!("{}/tests/fixtures/specs/prod_patch_mistake.json", env!("CARGO_MANIFEST_DIR"))),
        Environment::Dev
    )
    .is_ok());
    assert_eq!(
        mistakes("prod_patch_mistake", Environment::Prod),
        ["spec.json (with the prod patch): /stacks/ChatSplit/constructs/Redis/props/base/snapshot_retention_limit: expected integer or null from 0 to 35, found 40"]
    );
}

#[test]
fn fails_on_invalid_json_with_line_and_column() {
    let e = spec::load("{\"stacks\": {", "spec.json", Environment::Dev).unwrap_err();
    assert!(e.messages[0].starts_with("spec.json: line 1, column 12:"), "{e}");
}

const WORDS: &[&str] = &[
    "kind",
    "props",
    "replicas",
    "Cache",
    "Key",
    "Access",
    "construct",
    "attribute",
    "concat",
    "cost",
    "Ref",
    "Fn::Sub",
    "replication_group",
    "sharded_cluster",
    "serverless_cache",
    "alarms",
    "-1",
    "",
    "prod",
    "only_in",
    "stacks",
];

fn random_json(rng: &mut Rng, depth: u32) -> serde_json::Value {
    use serde_json::{json, Value as J};
    match rng.below(if depth > 3 { 5 } else { 8 }) {
        0 => J::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64 % 100_000),
        3 => json!(-1.5e300),
        4 => json!(WORDS[rng.below(WORDS.len())]),
        5 | 6 => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(4) {
                m.insert(WORDS[rng.below(WORDS.len())].to_string(), random_json(rng, depth + 1));
            }
            J::Object(m)
        }
        _ => J::Array((0..rng.below(4)).map(|_| random_json(rng, depth + 1)).collect()),
    }
}

/// Replaces, removes or adds one value somewhere in `doc`.
fn mutate(rng: &mut Rng, doc: &mut serde_json::Value, depth: u32) {
    use serde_json::Value as J;
    let descend = depth < 12 && rng.below(4) != 0;
    match doc {
        J::Object(m) if descend && !m.is_empty() => {
            let i = rng.below(m.len());
            let key = m.keys().nth(i).cloned().unwrap_or_default();
            match rng.below(6) {
                0 => {
                    m.shift_remove(&key);
                }
                1 => {
                    m.insert(WORDS[rng.below(WORDS.len())].to_string(), random_json(rng, 0));
                }
                _ => mutate(rng, m.get_mut(&key).unwrap(), depth + 1),
            }
        }
        J::Array(a) if descend && !a.is_empty() => {
            let i = rng.below(a.len());
            mutate(rng, &mut a[i], depth + 1)
        }
        other => *other = random_json(rng, 0),
    }
}

/// Random and mutated specs for a bounded time: never a panic, always a message
/// or a template.
#[test]
fn random_and_mutated_specs_never_panic() {
    let budget = std::time::Duration::from_secs(
        std::env::var("SPEC_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(4),
    );
    let seeds: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(n, _)| serde_json::from_str(&std::fs::read_to_string(spec_path(n)).unwrap()).unwrap())
        .collect();
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let start = std::time::Instant::now();
    let (mut runs, mut built, mut refused) = (0, 0, 0);
    while start.elapsed() < budget {
        let mut doc = if rng.below(10) == 0 { random_json(&mut rng, 0) } else { seeds[rng.below(seeds.len())].clone() };
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut doc, 0);
        }
        let env = Environment::ALL[rng.below(3)];
        match spec::from_json(&doc, "fuzz.json", env) {
            Ok(app) => match app.synth() {
                Ok(a) => {
                    assert!(a.stacks.iter().all(|s| s.to_json().starts_with('{')));
                    built += 1;
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            },
            Err(e) => {
                assert!(!e.messages.is_empty() && e.messages.iter().all(|m| m.starts_with("fuzz.json")), "{e}");
                refused += 1;
            }
        }
        runs += 1;
    }
    assert!(runs > 20, "only {runs} runs in {budget:?}");
    eprintln!("{runs} specs: {built} built, {refused} refused by the spec check");
}

fn synth_cli(config: Option<&str>, env: Environment, command: Option<synth::Command>) -> (u8, String, String) {
    let cli = synth::Cli {
        env,
        stack: None,
        list: false,
        out: None,
        config: config.map(Into::into),
        durable: false,
        no_path_metadata: false,
        command,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let unused = |_: Environment| -> App { panic!("--config replaces the program's app") };
    let code = synth::run(&cli, &unused, &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn synth_config_prints_the_template_and_synth_schema_the_schema() {
    let (code, out, err) = synth_cli(Some(&spec_path("chat_split")), Environment::Prod, None);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, templates(chat_split::build(Environment::Prod))[0].1);

    let (code, out, _) = synth_cli(None, Environment::Dev, Some(synth::Command::Schema));
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), spec::schema());

    let fixture = format!("{}/tests/fixtures/specs/schema_mistakes.json", env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = synth_cli(Some(&fixture), Environment::Dev, None);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains(
            "/stacks/ChatSplit/constructs/Redis/props/base/replicas: expected integer or null from 0 to 5, found \"two\""
        ),
        "{err}"
    );
    assert!(err.ends_with("the spec has 4 mistakes; no template was written\n"), "{err}");
}

#[test]
fn construct_validation_runs_after_the_spec_check_as_for_rust_programs() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec_path("chat_split")).unwrap()).unwrap();
    doc["stacks"]["ChatSplit"]["constructs"]["Redis"]["props"]["base"]["maintenance_window"] =
        "sun:05:00-sun:05:30".into();
    let app = spec::from_json(&doc, "spec.json", Environment::Dev).expect("the spec itself is fine");
    let e = app.synth().unwrap_err().to_string();
    assert!(e.contains("ChatSplit/Redis") && e.contains("maintenance_window"), "{e}");
}

#[test]
fn the_readme_minimal_spec_synthesizes_in_every_environment() {
    let readme = std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let section = &readme[readme.find("## Without Rust").expect("the README has a Without Rust section")..];
    let start = section.find("```json\n").expect("a json block") + "```json\n".len();
    let text = &section[start..start + section[start..].find("```").unwrap()];
    for env in Environment::ALL {
        let app = spec::load(text, "README.md", env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(templates(app).len(), 1);
    }
}

/// The serverless connection-secret preset from a spec: the same document as the
/// Rust preset, and its mistakes at their pointers.
#[test]
fn a_spec_connection_secret_starts_from_the_serverless_preset() {
    let spec = |connection: serde_json::Value| {
        serde_json::json!({ "stacks": { "S": { "constructs": {
            "Access": { "kind": "vpc_access", "props": { "vpc_id": "vpc-0123abcd", "subnet_ids": ["subnet-0aaaaaaa", "subnet-0bbbbbbb"] } },
            "Password": { "kind": "auth_secret" },
            "App": { "kind": "cache_user", "user_name": "app", "authentication": { "passwords": ["Password"] }, "props": { "engine": "valkey" } },
            "Users": { "kind": "cache_user_group", "engine": "valkey", "users": ["App"] },
            "Cache": { "kind": "serverless_cache", "access": "Access", "user_group": "Users" },
            "Connection": connection
        } } } })
    };
    let ok = spec(serde_json::json!({ "kind": "connection_secret",
        "for_serverless_cache": { "cache": "Cache", "user_name": "app", "password": "Password" } }));
    let app = spec::from_json(&ok, "spec.json", Environment::Prod).unwrap_or_else(|e| panic!("{e}"));
    let (_, text) = templates(app).remove(0);
    for field in ["primary_endpoint", "reader_port", "username", "password", "connection_uri"] {
        assert!(text.contains(&format!("\\\"{field}\\\":")), "{field} missing");
    }
    let both = spec(serde_json::json!({ "kind": "connection_secret",
        "for_replication_group": { "cache": "Cache", "token": "Password" },
        "for_serverless_cache": { "cache": "Access", "user_name": "app", "password": "Password" } }));
    let e = spec::from_json(&both, "spec.json", Environment::Prod).unwrap_err().to_string();
    assert!(e.contains("/stacks/S/constructs/Connection/for_serverless_cache: give for_replication_group or for_serverless_cache, not both"), "{e}");
    let wrong = spec(serde_json::json!({ "kind": "connection_secret",
        "for_serverless_cache": { "cache": "Access", "user_name": "app", "password": "Password" } }));
    let e = spec::from_json(&wrong, "spec.json", Environment::Prod).unwrap_err().to_string();
    assert!(e.contains("for_serverless_cache/cache") && e.contains("serverless_cache"), "{e}");
}

/// Issue 16, item 9: `"engine": "valkey"` with no version used to fail, because
/// the default version was Redis's; the default now follows the engine.
#[test]
fn the_default_engine_version_follows_the_engine() {
    let doc = serde_json::json!({ "stacks": { "S": { "constructs": {
        "Access": { "kind": "vpc_access", "props": { "vpc_id": "vpc-0123abcd", "subnet_ids": ["subnet-0aaaaaaa", "subnet-0bbbbbbb"] } },
        "Cache": { "kind": "replication_group", "access": "Access", "auth": "none", "props": { "engine": "valkey" } },
        "Serverless": { "kind": "serverless_cache", "access": "Access", "props": { "engine": "redis" } }
    } } } });
    let app = spec::from_json(&doc, "spec.json", Environment::Dev).unwrap_or_else(|e| panic!("{e}"));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let t = &assembly.stacks[0].template["Resources"];
    let of = |ty: &str| t.as_object().unwrap().values().find(|r| r["Type"] == ty).unwrap()["Properties"].clone();
    let valkey = redis_cdk::Engine::Valkey.latest_version();
    assert_eq!(of("AWS::ElastiCache::ReplicationGroup")["EngineVersion"], valkey);
    assert_eq!(
        of("AWS::ElastiCache::ParameterGroup")["CacheParameterGroupFamily"],
        redis_cdk::facts::family_of(redis_cdk::Engine::Valkey, valkey).unwrap()
    );
    assert_eq!(of("AWS::ElastiCache::ServerlessCache")["MajorEngineVersion"], "7");
}

/// `grant_read` attaches its policy to a role, user or group given by ARN
/// (path-aware) or name, and a bad ARN is reported at its pointer.
#[test]
fn a_spec_grant_read_attaches_to_a_role() {
    let spec = |grant: serde_json::Value| {
        serde_json::json!({ "stacks": { "S": { "constructs": {
            "Token": { "kind": "auth_secret" },
            "Read": grant
        } } } })
    };
    let ok = spec(serde_json::json!({ "kind": "grant_read", "secret": "Token",
        "role_arn": "arn:aws:iam::123456789012:role/service/app" }));
    let (_, text) = templates(spec::from_json(&ok, "spec.json", Environment::Dev).unwrap()).remove(0);
    assert!(text.contains("\"Roles\": [\n     \"app\"\n    ]"), "{text}");
    let bad = spec(serde_json::json!({ "kind": "grant_read", "secret": "Token",
        "role_arn": "arn:aws:iam::123456789012:user/app" }));
    let e = spec::from_json(&bad, "spec.json", Environment::Dev).unwrap_err().to_string();
    assert!(e.contains("/stacks/S/constructs/Read/role_arn: 'arn:aws:iam::123456789012:user/app' is not a role ARN: it names a 'user', not a role"), "{e}");
    // IAM users and groups, by ARN or name
    let user = spec(serde_json::json!({ "kind": "grant_read", "secret": "Token",
        "user_arn": "arn:aws:iam::123456789012:user/ops/alice" }));
    let (_, text) = templates(spec::from_json(&user, "spec.json", Environment::Dev).unwrap()).remove(0);
    assert!(text.contains("\"Users\": [\n     \"alice\"\n    ]"), "{text}");
    let group = spec(serde_json::json!({ "kind": "grant_read", "secret": "Token", "group_name": "on-call" }));
    let (_, text) = templates(spec::from_json(&group, "spec.json", Environment::Dev).unwrap()).remove(0);
    assert!(text.contains("\"Groups\": [\n     \"on-call\"\n    ]"), "{text}");
    let two = spec(serde_json::json!({ "kind": "grant_read", "secret": "Token",
        "role_name": "app", "group_name": "on-call" }));
    let e = spec::from_json(&two, "spec.json", Environment::Dev).unwrap_err().to_string();
    assert!(
        e.contains("/stacks/S/constructs/Read/group_name: give one principal, not role_name and group_name"),
        "{e}"
    );
}

/// A user's own rotated password from a spec: the same children as the Rust
/// construct, and a schedule given twice refused at its pointer.
#[test]
fn a_spec_user_with_a_rotated_secret_password() {
    let spec = |rotation: serde_json::Value| {
        serde_json::json!({ "stacks": { "S": {
            "parameters": { "CodeBucket": { "type": "String" } },
            "constructs": {
                "Key": { "kind": "encryption_key" },
                "App": { "kind": "cache_user", "user_name": "app",
                    "authentication": { "secret_password": { "kms_key": "Key", "length": 32, "rotation": rotation } },
                    "props": { "engine": "valkey", "user_id": "app-user" } }
            } } } })
    };
    let ok =
        spec(serde_json::json!({ "code_bucket": { "Ref": "CodeBucket" }, "code_key": "rotation.zip", "every_days": 14,
                            "log_retention_days": 365, "log_removal_policy": "destroy" }));
    let app = spec::from_json(&ok, "spec.json", Environment::Prod).unwrap_or_else(|e| panic!("{e}"));
    let (_, text) = templates(app).remove(0);
    let t: serde_json::Value = serde_json::from_str(&text).unwrap();
    let types: Vec<&str> = t["Resources"].as_object().unwrap().values().map(|r| r["Type"].as_str().unwrap()).collect();
    for ty in ["AWS::SecretsManager::Secret", "AWS::Lambda::Function", "AWS::SecretsManager::RotationSchedule"] {
        assert!(types.contains(&ty), "{ty} missing: {types:?}");
    }
    let schedule = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::SecretsManager::RotationSchedule")
        .unwrap();
    assert_eq!(schedule["Properties"]["RotationRules"], serde_json::json!({"AutomaticallyAfterDays": 14}));
    let function = t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::Lambda::Function").unwrap();
    assert_eq!(function["Properties"]["Code"]["S3Bucket"], serde_json::json!({"Ref": "CodeBucket"}));
    assert_eq!(function["Properties"]["Environment"]["Variables"]["PASSWORD_LENGTH"], "32");
    let logs = t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::Logs::LogGroup").unwrap();
    assert_eq!(
        (&logs["Properties"]["RetentionInDays"], &logs["DeletionPolicy"]),
        (&serde_json::json!(365), &serde_json::json!("Delete"))
    );

    let both = spec(
        serde_json::json!({ "code_bucket": "b", "code_key": "k", "every_days": 14, "schedule_expression": "rate(14 days)" }),
    );
    let e = spec::from_json(&both, "spec.json", Environment::Prod).unwrap_err().to_string();
    assert!(e.contains("/stacks/S/constructs/App/authentication/secret_password/rotation: every_days and schedule_expression both set; give one"), "{e}");
    let unknown = spec(serde_json::json!({ "code_bucket": "b", "code_key": "k", "days": 14 }));
    let e = spec::from_json(&unknown, "spec.json", Environment::Prod).unwrap_err().to_string();
    // the value names its alternative (secret_password), so the mistake is reported at
    // the unknown key inside it, not as "expected one of" at the enum
    assert!(
        e.contains("/stacks/S/constructs/App/authentication/secret_password/rotation/days: unknown field 'days'; expected one of: code_bucket, code_key, every_days, schedule_expression, duration, timeout_seconds, log_retention_days, log_removal_policy"),
        "{e}"
    );
    assert!(!e.contains("expected one of {"), "{e}");
    // a value that names no alternative still gets the list of them
    let neither = serde_json::json!({ "stacks": { "S": { "constructs": {
        "App": { "kind": "cache_user", "user_name": "app", "authentication": { "pasword": [] },
            "props": { "engine": "valkey" } } } } } });
    let e = spec::from_json(&neither, "spec.json", Environment::Prod).unwrap_err().to_string();
    assert!(
        e.contains(
            "/stacks/S/constructs/App/authentication: expected one of {\"passwords\": ...}, {\"secret_password\": ...}"
        ),
        "{e}"
    );
}

/// `grant_read` of a `cache_user` reads the user's own secret password; a user
/// without one is refused at the pointer, with what to grant instead.
#[test]
fn a_spec_grant_read_of_a_user_reads_its_own_password() {
    let spec = |authentication: serde_json::Value| {
        serde_json::json!({ "stacks": { "S": { "constructs": {
            "Pw": { "kind": "auth_secret" },
            "App": { "kind": "cache_user", "user_name": "app", "authentication": authentication,
                "props": { "engine": "valkey", "user_id": "app-user" } },
            "Read": { "kind": "grant_read", "secret": "App", "role_name": "app-role" }
        } } } })
    };
    let ok = spec(serde_json::json!({ "secret_password": {} }));
    let (_, text) =
        templates(spec::from_json(&ok, "spec.json", Environment::Dev).unwrap_or_else(|e| panic!("{e}"))).remove(0);
    let t: serde_json::Value = serde_json::from_str(&text).unwrap();
    let resources = t["Resources"].as_object().unwrap();
    let (secret, _) = resources.iter().find(|(id, _)| id.starts_with("AppPassword")).unwrap();
    let policy = resources.values().find(|r| r["Type"] == "AWS::IAM::ManagedPolicy").expect("a policy");
    assert_eq!(policy["Properties"]["Roles"], serde_json::json!(["app-role"]));
    let statement = &policy["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Resource"], serde_json::json!([{ "Ref": secret }]), "{statement}");

    let bad = spec(serde_json::json!({ "passwords": ["Pw"] }));
    let e = spec::from_json(&bad, "spec.json", Environment::Dev).unwrap_err().to_string();
    assert!(e.contains("/stacks/S/constructs/Read/secret: cache_user 'App' has no secret of its own: only a user whose authentication is a secret_password has one; grant the secret its passwords come from instead"), "{e}");
}
