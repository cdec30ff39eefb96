//! `ServerlessCache`: template fragments, attributes, cost, warnings and every validation message.

use redis_cdk::assertions::{self};
use redis_cdk::*;
use serde_json::{json, Value as J};

mod common;
use common::{serverless_access as access, *};

fn assert_resource(assembly: &Assembly, path: &str, partial: J) {
    let r = resource(assembly, path);
    assert!(assertions::matches(&r, &partial), "{path}: {r:#}\ndoes not contain\n{partial:#}");
}

fn synth_in(env: Environment, build: impl FnOnce(&mut Stack)) -> Result<Assembly, SynthError> {
    let mut app = App::for_environment(env);
    build(app.add_stack("Serverless"));
    app.synth()
}

fn errors(build: impl FnOnce(&mut Stack)) -> Vec<String> {
    synth_in(Environment::Dev, build).expect_err("synth should fail").errors().map(ToString::to_string).collect()
}

fn warnings(env: Environment, build: impl FnOnce(&mut Stack)) -> Vec<String> {
    synth_in(env, build).expect("synth should succeed").warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn dev_defaults_valkey_9_with_own_key_in_the_access_subnets() {
    let a = synth_in(Environment::Dev, |s| {
        let acc = access(s);
        ServerlessCache::new(s, "Cache", &acc, ServerlessCacheProps::new());
    })
    .unwrap();
    let key = logical_id(&a, "Cache/Key/Resource");
    let sg = logical_id(&a, "Access/SecurityGroup");
    assert_resource(
        &a,
        "Cache/Resource",
        json!({
            "Type": "AWS::ElastiCache::ServerlessCache",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "Description": "Valkey serverless cache for Serverless/Cache",
                "Engine": "valkey",
                "KmsKeyId": {"Fn::GetAtt": [key, "Arn"]},
                "MajorEngineVersion": "9",
                "SecurityGroupIds": [{"Fn::GetAtt": [sg, "GroupId"]}],
                "SnapshotRetentionLimit": 0,
                "SubnetIds": ["subnet-0aaaaaaa", "subnet-0bbbbbbb"]
            }
        }),
    );
    let props = &resource(&a, "Cache/Resource")["Properties"];
    let name = props["ServerlessCacheName"].as_str().unwrap();
    assert!(name.starts_with("serverless-cache-") && name.len() <= 40, "{name}");
    assert!(props.get("CacheUsageLimits").is_none() && props.get("UserGroupId").is_none());
    assert_eq!(
        a.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["[Serverless/Cache] [EC020] no user_group_id: every client that reaches the cache gets full access as the default user; add a CacheUserGroup"]
    );
}

#[test]
fn prod_retains_and_sets_limits_snapshots_and_user_group() {
    let a = synth_in(Environment::Prod, |s| {
        let acc = access(s);
        let user = CacheUser::new(
            s,
            "Default",
            "default",
            UserAuthentication::password(SecretValue::secrets_manager("app/redis", Some("password"), None)),
            CacheUserProps::default().user_id("app-default").engine(Engine::Valkey),
        );
        let group = CacheUserGroup::new(s, "Users", Engine::Valkey, &[&user], CacheUserGroupProps::default());
        ServerlessCache::new(
            s,
            "Cache",
            &acc,
            ServerlessCacheProps::new()
                .cache_name("sessions")
                .max_data_storage_gb(100)
                .max_ecpu_per_second(50_000)
                .daily_snapshot_time("03:00")
                .user_group(&group),
        );
    })
    .unwrap();
    let group = logical_id(&a, "Users/Resource");
    assert_resource(
        &a,
        "Cache/Resource",
        json!({
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "CacheUsageLimits": {"DataStorage": {"Maximum": 100, "Unit": "GB"}, "ECPUPerSecond": {"Maximum": 50000}},
                "DailySnapshotTime": "03:00",
                "ServerlessCacheName": "sessions",
                "SnapshotRetentionLimit": 15,
                "UserGroupId": {"Ref": group}
            }
        }),
    );
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

#[test]
fn redis_engine_given_key_and_final_snapshot() {
    let a = synth_in(Environment::Staging, |s| {
        let acc = access(s);
        ServerlessCache::new(
            s,
            "Cache",
            &acc,
            ServerlessCacheProps::new()
                .engine(Engine::Redis, "7")
                .at_rest_encryption(AtRestEncryption::Key("arn:aws:kms:us-east-1:123456789012:key/abc".into()))
                .removal_policy(RemovalPolicy::Destroy)
                .final_snapshot_name("cache-final")
                .user_group_id("app-users"),
        );
    })
    .unwrap();
    assert_resource(
        &a,
        "Cache/Resource",
        json!({
            "DeletionPolicy": "Delete",
            "Properties": {
                "Description": "Redis OSS serverless cache for Serverless/Cache",
                "Engine": "redis",
                "FinalSnapshotName": "cache-final",
                "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc",
                "MajorEngineVersion": "7",
                "SnapshotRetentionLimit": 7,
                "UserGroupId": "app-users"
            }
        }),
    );
    assert!(a.stacks[0].logical_ids.values().all(|p| !p.starts_with("Cache/Key")));
}

#[test]
fn attributes_render_as_references() {
    let a = synth_in(Environment::Dev, |s| {
        let acc = access(s);
        let c = ServerlessCache::new(s, "Cache", &acc, ServerlessCacheProps::new());
        let mut root = s.root();
        root.add_output("Url", Output::new(c.connection_string()));
        root.add_output("Reader", Output::new(c.reader_endpoint_address()));
        root.add_output("ReaderPort", Output::new(c.reader_endpoint_port()));
        root.add_output("Name", Output::new(c.cache_name()));
        root.add_output("Arn", Output::new(c.cache_arn()));
    })
    .unwrap();
    let id = logical_id(&a, "Cache/Resource");
    let out = &a.stacks[0].template["Outputs"];
    assert_eq!(
        out["Url"]["Value"],
        json!({"Fn::Sub": format!("rediss://${{{id}.Endpoint.Address}}:${{{id}.Endpoint.Port}}")})
    );
    assert_eq!(out["Reader"]["Value"], json!({"Fn::GetAtt": [id, "ReaderEndpoint.Address"]}));
    assert_eq!(out["ReaderPort"]["Value"], json!({"Fn::GetAtt": [id, "ReaderEndpoint.Port"]}));
    assert_eq!(out["Name"]["Value"], json!({"Ref": id}));
    assert_eq!(out["Arn"]["Value"], json!({"Fn::GetAtt": [id, "ARN"]}));
}

#[test]
fn cost_is_minimum_storage_plus_assumed_ecpus() {
    // Valkey: 0.1 GB × 0.084 × 730 + 1000 ECPU/s × 3600 × 730 / 1e6 × 0.0023
    assert_eq!(facts::serverless_monthly_cost(Engine::Valkey, None), 12.18);
    // Redis OSS: 1 GB × 0.125 × 730 + 2628 M ECPUs × 0.0034
    assert_eq!(facts::serverless_monthly_cost(Engine::Redis, None), 100.19);
    assert_eq!(facts::serverless_monthly_cost(Engine::Redis, Some("eu-west-1")), 111.21);
    let mut app = App::new();
    let s = app.add_stack("S");
    let acc = access(s);
    let c = ServerlessCache::new(s, "Cache", &acc, ServerlessCacheProps::new());
    assert_eq!(c.estimated_monthly_cost_usd(Some("us-east-1")), 12.18);
}

#[test]
fn warnings_name_the_fix() {
    let w = warnings(Environment::Dev, |s| {
        let acc = RedisVpcAccess::new(s, "Access", VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa"]));
        ServerlessCache::new(
            s,
            "Cache",
            &acc,
            ServerlessCacheProps::new().daily_snapshot_time("03:00").user_group_id("app-users"),
        );
    });
    assert_eq!(
        w,
        [
            "[Serverless/Cache] [CON010] daily_snapshot_time '03:00' has no effect: snapshot_retention_limit is 0, so no snapshots are taken",
            "[Serverless/Cache] [CON015] the access has no reader port, so clients cannot reach the reader endpoint on 6380; build the RedisVpcAccess with .reader_port(6380)",
        ]
    );
    let w = warnings(Environment::Prod, |s| {
        let acc = access(s);
        ServerlessCache::new(
            s,
            "Cache",
            &acc,
            ServerlessCacheProps::new().removal_policy(RemovalPolicy::Destroy).user_group_id("app-users"),
        );
    });
    assert_eq!(
        w,
        ["[Serverless/Cache] [CON006] removal_policy Destroy in prod without final_snapshot_name: deleting or replacing the cache loses its data; use Retain or set final_snapshot_name"]
    );
    let w = warnings(Environment::Prod, |s| {
        let acc = access(s);
        ServerlessCache::new(
            s,
            "Cache",
            &acc,
            ServerlessCacheProps::new().final_snapshot_name("last").user_group_id("app-users"),
        );
    });
    assert_eq!(
        w,
        ["[Serverless/Cache] [CON013] final_snapshot_name 'last' is only used when the cache is deleted, but removal_policy Retain keeps it; drop one of them"]
    );
}

#[test]
fn fails_with_one_message_per_problem() {
    let cases: Vec<(ServerlessCacheProps, &str)> = vec![
        (
            ServerlessCacheProps::new().engine(Engine::Redis, "8"),
            "[EC022] major_engine_version '8' is not a serverless redis version; use one of 7",
        ),
        (
            ServerlessCacheProps::new().engine(Engine::Valkey, "6"),
            "[EC022] major_engine_version '6' is not a serverless valkey version; use one of 7, 8, 9",
        ),
        (ServerlessCacheProps::new().cache_name("Sessions"), "[CON008] cache_name 'Sessions' must start with a lowercase letter"),
        (
            ServerlessCacheProps::new().cache_name("a".repeat(41)),
            "[CON008] cache_name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' must be 1 to 40 characters, got 41",
        ),
        (ServerlessCacheProps::new().max_data_storage_gb(0), "[CON009] max_data_storage_gb must be between 1 and 5000, got 0"),
        (
            ServerlessCacheProps::new().max_data_storage_gb(5001),
            "[CON009] max_data_storage_gb must be between 1 and 5000, got 5001",
        ),
        (
            ServerlessCacheProps::new().max_ecpu_per_second(999),
            "[CON009] max_ecpu_per_second must be between 1000 and 15000000, got 999",
        ),
        (
            ServerlessCacheProps::new().max_ecpu_per_second(15_000_001),
            "[CON009] max_ecpu_per_second must be between 1000 and 15000000, got 15000001",
        ),
        (
            ServerlessCacheProps::new().daily_snapshot_time("3:00"),
            "[EC022] daily_snapshot_time '3:00' is not a time of the form hh24:mi (UTC), such as 03:00",
        ),
        (
            ServerlessCacheProps::new().daily_snapshot_time("24:00"),
            "[EC022] daily_snapshot_time '24:00' is not a time of the form hh24:mi (UTC), such as 03:00",
        ),
        (
            ServerlessCacheProps::new().snapshot_retention_limit(36),
            "[EC022] snapshot_retention_limit must be between 0 and 35, got 36",
        ),
        (
            ServerlessCacheProps::new().at_rest_encryption(AtRestEncryption::Disabled),
            "[CON011] at_rest_encryption is Disabled, but serverless caches are always encrypted at rest; use CreateKey, Key or AwsManagedKey",
        ),
        (
            ServerlessCacheProps::new().removal_policy(RemovalPolicy::Snapshot),
            "[TPL010] removal_policy Snapshot is not supported by AWS::ElastiCache::ServerlessCache; use Retain, or Destroy with final_snapshot_name",
        ),
        (
            ServerlessCacheProps::new().final_snapshot_name(""),
            "[CON012] final_snapshot_name is empty; give a snapshot name such as 'sessions-final'",
        ),
    ];
    for (props, want) in cases {
        let got = errors(|s| {
            let acc = access(s);
            ServerlessCache::new(s, "Cache", &acc, props.user_group_id("app-users"));
        });
        assert_eq!(got, [format!("[Serverless/Cache] {want}")]);
    }
}

#[test]
fn fails_on_wrong_ports() {
    let got = errors(|s| {
        let acc = RedisVpcAccess::new(
            s,
            "Access",
            VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa"]).port(6400).reader_port(6381),
        );
        ServerlessCache::new(s, "Cache", &acc, ServerlessCacheProps::new().user_group_id("app-users"));
    });
    assert_eq!(
        got,
        [
            "[Serverless/Cache] [CON014] the access allows port 6400, but serverless caches listen on 6379; build the RedisVpcAccess with port 6379",
            "[Serverless/Cache] [CON014] the access has reader port 6381, but the reader endpoint of a serverless cache listens on 6380; use .reader_port(6380)",
        ]
    );
}

/// Issue 16, item 7: the serverless connection document, with the replication
/// group preset's names where they mean the same.
#[test]
fn connection_secret_preset_for_a_serverless_cache() {
    let a = synth_in(Environment::Prod, |s| {
        let acc = access(s);
        let password = AuthSecret::new(s, "Password", AuthSecretProps::default());
        let user = CacheUser::new(
            s,
            "App",
            "app",
            UserAuthentication::password(password.token()),
            CacheUserProps::default().engine(Engine::Valkey),
        );
        let group = CacheUserGroup::new(s, "Users", Engine::Valkey, &[&user], CacheUserGroupProps::default());
        let cache = ServerlessCache::new(s, "Cache", &acc, ServerlessCacheProps::new().user_group(&group));
        let props = ConnectionSecretProps::for_serverless_cache(&cache, "app", password.token());
        let names: Vec<&String> = props.fields.keys().collect();
        assert_eq!(
            names,
            [
                "primary_endpoint",
                "reader_endpoint",
                "port",
                "reader_port",
                "username",
                "password",
                "ssl_enabled",
                "connection_uri"
            ]
        );
        ConnectionSecret::new(s, "Connection", props);
    })
    .unwrap();
    let cache = logical_id(&a, "Cache/Resource");
    let password = logical_id(&a, "Password/Resource");
    let token = format!("{{{{resolve:secretsmanager:${{{password}}}:SecretString:token::}}}}");
    let host = format!("${{{cache}.Endpoint.Address}}");
    let port = format!("${{{cache}.Endpoint.Port}}");
    assert_eq!(
        resource(&a, "Connection/Resource")["Properties"]["SecretString"],
        json!({"Fn::Sub": format!(
            r#"{{"primary_endpoint":"{host}","reader_endpoint":"${{{cache}.ReaderEndpoint.Address}}","port":{port},"reader_port":${{{cache}.ReaderEndpoint.Port}},"username":"app","password":"{token}","ssl_enabled":true,"connection_uri":"rediss://app:{token}@{host}:{port}"}}"#
        )})
    );
}
