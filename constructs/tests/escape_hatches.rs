//! Escape hatches (issue 16, item 2): every construct says where it is
//! (`Construct`), its primary resource is `default_child()`, its other resources
//! are found by id (`Stack::child`, `Stack::children`) and changed in place
//! (`add_property_override`, `add_property_deletion_override`, `add_override`,
//! `add_deletion_override`, `apply_removal_policy`, `add_metadata`, or typed with an
//! L1 struct's `overrides()` and `apply_to`); the presets' values are props.

use redis_cdk::assertions::Template;
use redis_cdk::{
    App, Auth, AuthSecret, AuthSecretProps, CacheUser, CacheUserProps, Construct, EncryptionKey, EncryptionKeyProps,
    Environment, RemovalPolicy, ReplicationGroup, ReplicationGroupProps, SplitRedis, SplitRedisProps, Stack,
    UserAuthentication,
};
use serde_json::json;

mod common;
use common::*;

fn template(app: &App) -> Template {
    Template::from_artifact(&app.synth().unwrap_or_else(|e| panic!("{e}")).stacks[0])
}

/// A replication group `Cache` with its VPC access and an AUTH token `Token`, all defaults.
fn token_cache(stack: &mut Stack) -> ReplicationGroup {
    let access = access(stack);
    let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    ReplicationGroup::new(stack, "Cache", &access, Auth::Token(token.token()), ReplicationGroupProps::new())
}

#[test]
fn children_are_found_by_id_and_changed_in_place() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let cache = token_cache(stack);
    assert_eq!((cache.stack_name(), cache.path()), ("S", "Cache"));
    let ids: Vec<String> = stack.children(&cache).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["ParameterGroup/Resource", "Key/Resource", "SlowLog", "Resource"]);
    assert_eq!(stack.child(&cache, "Resource").as_ref(), Some(cache.default_child()));
    assert!(stack.child(&cache, "EngineLog").is_none(), "no engine log was asked for");

    // the CDK's addPropertyOverride / addPropertyDeletionOverride, on any child
    let slow_log = stack.child(&cache, "SlowLog").unwrap();
    stack.resource_mut(&slow_log).unwrap().add_property_override("RetentionInDays", 90);
    let rg = stack.resource_mut(cache.default_child()).unwrap();
    rg.add_property_override("LogDeliveryConfigurations.0.LogFormat", "text");
    rg.add_property_deletion_override("AutoMinorVersionUpgrade");
    let t = template(&app);
    t.has_resource_properties("AWS::Logs::LogGroup", &json!({"RetentionInDays": 90})).unwrap();
    let p = t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap();
    assert_eq!(p["LogDeliveryConfigurations"][0]["LogFormat"], "text");
    assert_eq!(p["LogDeliveryConfigurations"][0]["LogType"], "slow-log", "the rest of the item is kept");
    assert!(p.get("AutoMinorVersionUpgrade").is_none());
}

#[test]
fn resource_attributes_are_changed_in_place() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let cache = token_cache(stack);
    // the CDK's addOverride / addDeletionOverride / applyRemovalPolicy / addMetadata
    let slow_log = stack.child(&cache, "SlowLog").unwrap();
    let log = stack.resource_mut(&slow_log).unwrap();
    log.apply_removal_policy(RemovalPolicy::Retain);
    log.add_override("Properties.RetentionInDays", 400).unwrap();
    let rg = stack.resource_mut(cache.default_child()).unwrap();
    rg.add_metadata("Owner", json!("payments"));
    rg.add_metadata("Review", json!({"by": "ops", "tickets": ["A-1", "A-2"]}));
    rg.add_deletion_override("Metadata.Review.tickets.0").unwrap();
    rg.add_deletion_override("Metadata.Review.by").unwrap();
    assert!(rg.add_deletion_override("Metadata.").is_err(), "an empty key names nothing");
    rg.add_deletion_override("Properties.AutoMinorVersionUpgrade").unwrap();
    let err = rg.add_override("DeletionPolicy", "Retain").unwrap_err();
    assert_eq!(
        err.to_string(),
        "override path 'DeletionPolicy' is not taken here: set the two together with apply_removal_policy"
    );
    let err = rg.add_deletion_override("Propertys.Port").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("override path 'Propertys.Port' is not taken here: a deletion takes Properties.<path>"),
        "{err}"
    );
    let t = template(&app);
    let log = t.resource_at("Cache/SlowLog").unwrap();
    assert_eq!((log["DeletionPolicy"].as_str(), log["UpdateReplacePolicy"].as_str()), (Some("Retain"), Some("Retain")));
    assert_eq!(log["Properties"]["RetentionInDays"], 400);
    let rg = t.resource_at("Cache/Resource").unwrap();
    assert_eq!(rg["Metadata"]["Owner"], "payments");
    assert_eq!(rg["Metadata"]["Review"], json!({"tickets": ["A-2"]}));
    assert!(rg["Properties"].get("AutoMinorVersionUpgrade").is_none());
}

#[test]
fn deletion_overrides_remove_each_resource_attribute() {
    use redis_cdk::{ResourceDef, Value};
    let mut app = App::new();
    let stack = app.add_stack("S");
    let first = stack.root().add_resource("First", ResourceDef::raw("AWS::SNS::Topic"));
    let def = ResourceDef::raw("AWS::SNS::Topic")
        .property("TopicName", Value::str("t"))
        .depends_on(&first)
        .removal_policy(RemovalPolicy::Retain)
        .metadata("Note", json!("x"))
        .update_policy(json!({"AutoScalingReplacingUpdate": {"WillReplace": true}}));
    let second = stack.root().add_resource("Second", def);
    let r = stack.resource_mut(&second).unwrap();
    for path in ["Properties", "DependsOn", "DeletionPolicy", "Metadata", "UpdatePolicy", "Condition"] {
        r.add_deletion_override(path).unwrap();
    }
    let t = template(&app);
    let entry = t.resource_at("Second").unwrap();
    assert_eq!(entry, &json!({"Type": "AWS::SNS::Topic"}), "every attribute removed");
}

#[test]
fn typed_overrides_name_properties_the_compiler_checks() {
    use redis_cdk::cfn::{elasticache::CfnReplicationGroup, logs::CfnLogGroup, WrongType};
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let vpc = crate::access(stack);
    let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    let cache = ReplicationGroup::new(stack, "Cache", &vpc, Auth::Token(token.token()), ReplicationGroupProps::new());
    let rg = stack.resource_mut(cache.default_child()).unwrap();
    CfnReplicationGroup::overrides()
        .snapshot_retention_limit(14)
        .preferred_maintenance_window("sun:05:00-sun:06:00")
        .apply_to(rg)
        .unwrap();
    // overrides of another type are refused, and write nothing
    let wrong = CfnLogGroup::overrides().retention_in_days(1).apply_to(rg).unwrap_err();
    assert_eq!(
        wrong,
        WrongType { expected: "AWS::Logs::LogGroup", found: "AWS::ElastiCache::ReplicationGroup".into() }
    );
    assert_eq!(
        wrong.to_string(),
        "overrides for AWS::Logs::LogGroup applied to a resource of type AWS::ElastiCache::ReplicationGroup; use the L1 struct of AWS::ElastiCache::ReplicationGroup (or find the AWS::Logs::LogGroup child with Stack::child)"
    );
    let slow_log = stack.child(&cache, "SlowLog").unwrap();
    CfnLogGroup::overrides().retention_in_days(90).apply_to(stack.resource_mut(&slow_log).unwrap()).unwrap();
    let t = template(&app);
    let p = t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap();
    assert_eq!(p["SnapshotRetentionLimit"], 14);
    assert_eq!(p["PreferredMaintenanceWindow"], "sun:05:00-sun:06:00");
    assert!(p.get("RetentionInDays").is_none());
    t.has_resource_properties("AWS::Logs::LogGroup", &json!({"RetentionInDays": 90})).unwrap();

    // and synth still judges what they wrote: a window too short is EC013 at the cache
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let vpc = crate::access(stack);
    let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    let cache = ReplicationGroup::new(stack, "Cache", &vpc, Auth::Token(token.token()), ReplicationGroupProps::new());
    CfnReplicationGroup::overrides()
        .preferred_maintenance_window("sun:05:00-sun:05:30")
        .apply_to(stack.resource_mut(cache.default_child()).unwrap())
        .unwrap();
    let e = app.synth().unwrap_err().to_string();
    assert!(e.contains("[S/Cache/Resource] [EC013]"), "{e}");
}

#[test]
fn an_override_is_checked_like_everything_else() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    stack.resource_mut(key.default_child()).unwrap().add_property_override("EnableKeyRotation", false);
    let warnings: Vec<String> =
        app.synth().unwrap().warnings.iter().map(|d| d.to_string()).filter(|w| w.contains("SEC004")).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("[S/Key/Resource] [SEC004]"), "{warnings:?}");
}

#[test]
fn preset_values_are_props() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    let key = EncryptionKey::new(
        stack,
        "Key",
        EncryptionKeyProps::default().alias("alias/sessions").removal_policy(RemovalPolicy::Destroy),
    );
    let token = AuthSecret::new(
        stack,
        "Token",
        AuthSecretProps::default().kms_key(&key).removal_policy(RemovalPolicy::Destroy),
    );
    ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::Token(token.token()),
        ReplicationGroupProps::new().kms_key(&key).log_retention_days(30).log_removal_policy(RemovalPolicy::Destroy),
    );
    let t = template(&app);
    t.has_resource("AWS::KMS::Key", &json!({"DeletionPolicy": "Delete"})).unwrap();
    t.has_resource("AWS::SecretsManager::Secret", &json!({"DeletionPolicy": "Delete"})).unwrap();
    t.has_resource("AWS::Logs::LogGroup", &json!({"DeletionPolicy": "Delete", "Properties": {"RetentionInDays": 30}}))
        .unwrap();
}

#[test]
fn a_log_retention_cloudwatch_refuses_is_reported() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let access = access(stack);
    let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::Token(token.token()),
        ReplicationGroupProps::new().log_retention_days(10),
    );
    let errors: Vec<String> = app.synth().unwrap_err().errors().map(|d| d.to_string()).collect();
    assert_eq!(
        errors,
        ["[S/Cache/SlowLog] [SCHEMA] Properties.RetentionInDays: 10 is not allowed; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"]
    );
}

#[test]
fn every_path_is_below_the_stack() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    let token = AuthSecret::new(stack, "Token", AuthSecretProps::default());
    let user =
        CacheUser::new(stack, "AppUser", "app", UserAuthentication::password(token.token()), CacheUserProps::default());
    let split = SplitRedis::new(stack, "Chat", &access, Auth::Token(token.token()), SplitRedisProps::new());
    assert_eq!(user.path(), "AppUser", "CacheUser::path used to start with the stack name");
    assert_eq!(split.path(), "Chat");
    assert_eq!(access.path(), "Access");
    let clusters: Vec<String> = stack
        .children(&split)
        .into_iter()
        .filter(|(_, h)| h.type_name() == "AWS::ElastiCache::ReplicationGroup")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(clusters, ["Adapter/Resource", "State/Resource"]);
    assert_eq!(stack.child(&split, "State/Resource").as_ref(), Some(split.state().default_child()));
}

/// Issue 16, item 3: a dev app given prod props used to make a prod-sized cluster
/// next to a dev-policy secret, silently. Props carry no environment now: every
/// construct takes its stack's, so the two always agree.
#[test]
fn every_construct_takes_its_stack_s_environment() {
    for (env, nodes, policy) in [(Environment::Dev, 1, "Delete"), (Environment::Prod, 3, "Snapshot")] {
        let mut app = App::for_environment(env);
        let stack = app.add_stack("S");
        assert_eq!(stack.environment(), Some(env));
        token_cache(stack);
        let t = template(&app);
        let rg = t.resources("AWS::ElastiCache::ReplicationGroup")[0].1.clone();
        assert_eq!(
            (rg["Properties"]["NumCacheClusters"].clone(), rg["DeletionPolicy"].clone()),
            (json!(nodes), json!(policy))
        );
        let secret_policy = if env == Environment::Dev { "Delete" } else { "Retain" };
        t.has_resource("AWS::SecretsManager::Secret", &json!({"DeletionPolicy": secret_policy})).unwrap();
    }
}

#[test]
fn a_stack_may_be_built_for_its_own_environment() {
    let mut app = App::for_environment(Environment::Dev);
    let prod = app.add_stack("Prod").set_environment(Environment::Prod).handle();
    let dev = app.add_stack("Dev").handle();
    for handle in [prod, dev] {
        let stack = &mut app[handle];
        token_cache(stack);
    }
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let nodes: Vec<serde_json::Value> = assembly
        .stacks
        .iter()
        .map(|s| {
            Template::from_artifact(s).only_properties("AWS::ElastiCache::ReplicationGroup").unwrap()
                ["NumCacheClusters"]
                .clone()
        })
        .collect();
    assert_eq!(nodes, [json!(3), json!(1)]);
}
