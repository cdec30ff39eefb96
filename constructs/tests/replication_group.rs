//! The node-based Redis constructs: fragments of what they emit, and a table of
//! every validation message.

use redis_cdk::assertions::Template;
use redis_cdk::{
    App, AtRestEncryption, Auth, AuthSecret, AuthSecretProps, EncryptionKey, EncryptionKeyProps, Engine, Environment,
    LogType, RedisVpcAccess, ReplicationGroup, ReplicationGroupProps, ShardedCluster, SplitRedis, SplitRedisProps,
    TransitEncryption, VpcAccessProps,
};
use serde_json::json;

mod common;
use common::*;

fn synth_template(app: &App) -> Template {
    let a = app.synth().unwrap_or_else(|e| panic!("{e}"));
    Template::from_artifact(&a.stacks[0])
}

fn with_group(env: Environment, props: impl FnOnce(ReplicationGroupProps) -> ReplicationGroupProps) -> App {
    let mut app = App::for_environment(env);
    let stack = app.add_stack("S");
    let access = access(stack);
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    ReplicationGroup::new(stack, "Cache", &access, Auth::Token(secret.token()), props(ReplicationGroupProps::new()));
    app
}

#[test]
fn prod_group_is_secure_by_default() {
    let t = synth_template(&with_group(Environment::Prod, |p| p));
    t.has_resource_properties(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({
            "AtRestEncryptionEnabled": true,
            "AuthToken": {"Fn::Sub": "{{resolve:secretsmanager:${AuthC256A5EC}:SecretString:token::}}"},
            "AutomaticFailoverEnabled": true,
            "MultiAZEnabled": true,
            "NumCacheClusters": 3,
            "CacheNodeType": "cache.r7g.large",
            "Engine": "redis",
            "EngineVersion": "7.1",
            "TransitEncryptionEnabled": true,
            "TransitEncryptionMode": "required",
            "KmsKeyId": {"Fn::GetAtt": ["CacheKeyCDF9DE27", "Arn"]},
            "CacheSubnetGroupName": {"Ref": "AccessSubnetGroup19DADC9B"},
            "SnapshotRetentionLimit": 15,
        }),
    )
    .unwrap();
    t.has_resource(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"}),
    )
    .unwrap();
    t.has_resource("AWS::KMS::Key", &json!({"Properties": {"EnableKeyRotation": true}, "DeletionPolicy": "Retain"}))
        .unwrap();
    t.has_resource("AWS::SecretsManager::Secret", &json!({"DeletionPolicy": "Retain"})).unwrap();
    t.has_resource_properties(
        "AWS::SecretsManager::Secret",
        &json!({"GenerateSecretString": {"ExcludePunctuation": true, "GenerateStringKey": "token", "PasswordLength": 64}}),
    )
    .unwrap();
    t.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        &json!({"FromPort": 6379, "ToPort": 6379, "IpProtocol": "tcp", "SourceSecurityGroupId": "sg-000000a0"}),
    )
    .unwrap();
    t.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        &json!({"SecurityGroupEgress": [{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}]}),
    )
    .unwrap();
    t.has_resource_properties("AWS::ElastiCache::ParameterGroup", &json!({"CacheParameterGroupFamily": "redis7"}))
        .unwrap();
    assert!(!t.json().to_string().contains("CacheParameterGroupName\":\""), "no fixed parameter group name");
}

#[test]
fn dev_group_is_one_node_and_may_be_destroyed() {
    let t = synth_template(&with_group(Environment::Dev, |p| p));
    t.has_resource(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"Properties": {"NumCacheClusters": 1, "MultiAZEnabled": false, "AutomaticFailoverEnabled": false, "SnapshotRetentionLimit": 0}, "DeletionPolicy": "Delete"}),
    )
    .unwrap();
}

#[test]
fn valkey_takes_its_own_family_and_explicit_tls() {
    let t = synth_template(&with_group(Environment::Staging, |p| p.engine(Engine::Valkey, "8.0")));
    t.has_resource_properties("AWS::ElastiCache::ParameterGroup", &json!({"CacheParameterGroupFamily": "valkey8"}))
        .unwrap();
    t.has_resource_properties(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"Engine": "valkey", "EngineVersion": "8.0", "TransitEncryptionEnabled": true}),
    )
    .unwrap();
}

#[test]
fn node_ids_match_cloudwatch_naming() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    let rg = ReplicationGroup::new(stack, "Cache", &access, Auth::None, ReplicationGroupProps::new());
    let sharded =
        ShardedCluster::new(stack, "Tenants", &access, Auth::None, 2, ReplicationGroupProps::new().replicas(1));
    let render = |v: &redis_cdk::Value| format!("{v:?}");
    assert_eq!(rg.node_ids().len(), 3);
    assert!(render(&rg.node_ids()[2]).contains("-003"));
    assert_eq!(rg.replica_node_ids().len(), 2);
    let ids: Vec<String> = sharded.group().node_ids().iter().map(render).collect();
    assert_eq!(ids.len(), 4);
    assert!(ids[0].contains("-0001-001") && ids[3].contains("-0002-002"), "{ids:?}");
    assert_eq!(sharded.group().replica_node_ids().len(), 2);
}

#[test]
fn sharded_cluster_is_cluster_mode_with_failover() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    let c = ShardedCluster::new(
        stack,
        "Tenants",
        &access,
        Auth::Token(secret.token()),
        2,
        ReplicationGroupProps::new().replicas(1).node_type("cache.r5.large"),
    );
    assert_eq!(c.shards(), 2);
    let t = synth_template(&app);
    t.has_resource_properties(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"NumNodeGroups": 2, "ReplicasPerNodeGroup": 1, "AutomaticFailoverEnabled": true, "MultiAZEnabled": true}),
    )
    .unwrap();
    t.has_resource_properties("AWS::ElastiCache::ParameterGroup", &json!({"Properties": {"cluster-enabled": "yes"}}))
        .unwrap();
    assert!(t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap().get("NumCacheClusters").is_none());
}

#[test]
fn split_redis_offsets_windows_and_shares_one_parameter_group() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default().length(32));
    let split = SplitRedis::new(
        stack,
        "Redis",
        &access,
        Auth::Token(secret.token()),
        SplitRedisProps::new()
            .base(
                ReplicationGroupProps::new()
                    .maintenance_window("sun:05:00-sun:06:00")
                    .snapshot_window("03:00-04:00")
                    .parameter("maxmemory-policy", "volatile-lru"),
            )
            .adapter("cache.r6g.large", 2)
            .state("cache.r6g.xlarge", 1),
    );
    assert!(split.is_split());
    let t = synth_template(&app);
    assert_eq!(t.resource_count("AWS::ElastiCache::ReplicationGroup"), 2);
    assert_eq!(t.resource_count("AWS::ElastiCache::ParameterGroup"), 1);
    assert_eq!(t.resource_count("AWS::KMS::Key"), 1);
    t.has_resource_properties(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"CacheNodeType": "cache.r6g.large", "NumCacheClusters": 3, "PreferredMaintenanceWindow": "sun:05:00-sun:06:00", "SnapshotWindow": "03:00-04:00"}),
    )
    .unwrap();
    t.has_resource_properties(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"CacheNodeType": "cache.r6g.xlarge", "NumCacheClusters": 2, "PreferredMaintenanceWindow": "sun:06:00-sun:07:00", "SnapshotWindow": "04:00-05:00"}),
    )
    .unwrap();

    let mut single = App::new();
    let stack = single.add_stack("S");
    let single_access = self::access(stack);
    let one = SplitRedis::new(stack, "Redis", &single_access, Auth::None, SplitRedisProps::new());
    assert!(!one.is_split());
    assert_eq!(one.adapter_endpoint_address(), one.state_endpoint_address());
    assert_eq!(synth_template(&single).resource_count("AWS::ElastiCache::ReplicationGroup"), 1);
}

#[test]
fn log_groups_are_created_and_encrypted() {
    let t =
        synth_template(&with_group(Environment::Prod, |p| p.log_delivery(vec![LogType::SlowLog, LogType::EngineLog])));
    assert_eq!(t.resource_count("AWS::Logs::LogGroup"), 2);
    t.has_resource_properties(
        "AWS::Logs::LogGroup",
        &json!({"RetentionInDays": 365, "KmsKeyId": {"Fn::GetAtt": ["CacheKeyCDF9DE27", "Arn"]}}),
    )
    .unwrap();
}

#[test]
fn read_policy_is_least_privilege() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default().kms_key(&key));
    secret.read_policy(stack, "Read");
    let t = synth_template(&app);
    t.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        &json!({"PolicyDocument": {"Statement": [
            {"Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Effect": "Allow", "Resource": [{"Ref": "AuthC256A5EC"}], "Sid": "ReadRedisSecret"},
            {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": [{"Fn::GetAtt": ["Key961B73FD", "Arn"]}], "Sid": "DecryptRedisSecretViaSecretsManager",
             "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}}}}
        ]}}),
    )
    .unwrap();
}

fn errors_of(app: &App) -> Vec<String> {
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn fails_with_exact_messages() {
    type Case = (fn(ReplicationGroupProps) -> ReplicationGroupProps, &'static str);
    let cases: Vec<Case> = vec![
        (|p| p.engine(Engine::Redis, "7.0.1"), "[S/Cache] [EC010] engine_version '7.0.1' is not a redis version ElastiCache offers; use one of 4.0.10, 5.0.6, 6.0, 6.2, 7.0, 7.1"),
        (|p| p.node_type("cache.huge"), "[S/Cache] [EC008] node_type 'cache.huge' is not an ElastiCache node type; use one such as cache.t4g.micro, cache.r7g.large"),
        (|p| p.data_tiering(true), "[S/Cache] [EC009] data_tiering needs an r6gd node type, got 'cache.r7g.large'; use cache.r6gd.xlarge or larger, or turn data tiering off"),
        (|p| p.replicas(6), "[S/Cache] [EC007] replicas must be between 0 and 5, got 6"),
        (|p| p.replicas(0).multi_az(true), "[S/Cache] [EC003] multi_az needs at least one replica, got replicas 0; add a replica or turn multi_az off"),
        (|p| p.replicas(0).automatic_failover(true), "[S/Cache] [EC003] automatic_failover needs at least one replica, got replicas 0; add a replica or turn automatic_failover off"),
        (|p| p.automatic_failover(false), "[S/Cache] [EC004] multi_az requires automatic_failover; turn automatic_failover on"),
        (|p| p.transit_encryption(TransitEncryption::Disabled), "[S/Cache] [EC001] an AUTH token requires TLS, but transit_encryption is Disabled; use TransitEncryption::Required"),
        (|p| p.engine(Engine::Redis, "6.2").transit_encryption(TransitEncryption::PreferredDuringMigration), "[S/Cache] [CON002] transit_encryption PreferredDuringMigration needs Redis 7.0.5 or later, got 6.2; upgrade the engine first"),
        (|p| p.snapshot_retention_limit(36), "[S/Cache] [EC015] snapshot_retention_limit must be between 0 and 35, got 36"),
        (|p| p.maintenance_window("sunday 5am"), "[S/Cache] [EC012] maintenance_window 'sunday 5am' is not a window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), such as sun:05:00-sun:06:00"),
        (|p| p.maintenance_window("sun:05:00-sun:05:30"), "[S/Cache] [EC013] maintenance_window 'sun:05:00-sun:05:30' is 30 minutes; it must be at least 60 minutes"),
        (|p| p.snapshot_window("3-4"), "[S/Cache] [EC012] snapshot_window '3-4' is not a window of the form hh24:mi-hh24:mi (UTC), such as 03:00-04:00"),
        (|p| p.snapshot_window("03:00-03:45"), "[S/Cache] [EC013] snapshot_window '03:00-03:45' is 45 minutes; it must be at least 60 minutes"),
        (|p| p.maintenance_window("sun:05:00-sun:06:00").snapshot_window("05:30-06:30"), "[S/Cache] [EC014] snapshot_window '05:30-06:30' overlaps maintenance_window 'sun:05:00-sun:06:00'; move the snapshot window outside the maintenance window"),
        (|p| p.replication_group_id("Bad--Id"), "[S/Cache] [EC016] replication_group_id 'Bad--Id' must start with a lowercase letter"),
        (|p| p.replication_group_id("chat--state"), "[S/Cache] [EC016] replication_group_id 'chat--state' must not contain two consecutive hyphens"),
        (|p| p.engine(Engine::Redis, "5.0.6").transit_encryption(TransitEncryption::Required), "[S/Cache] [EC032] log delivery needs Redis 6.0 or later, got 5.0.6; upgrade or clear log_delivery"),
        (|p| p.engine(Engine::Redis, "6.0").log_delivery(vec![LogType::EngineLog]), "[S/Cache] [EC032] engine-log delivery needs Redis 6.2 or later, got 6.0; upgrade or drop EngineLog"),
        (|p| p.log_delivery(vec![LogType::SlowLog, LogType::SlowLog]), "[S/Cache] [EC033] log_delivery lists slow-log twice; list each log type once"),
        (|p| p.parameter("cluster-enabled", "yes"), "[S/Cache] [EC006] parameter cluster-enabled is 'yes' on a cluster-mode-off group; use ShardedCluster for cluster mode"),
        (|p| p.parameter("maxmemory-policy", "lru"), "[S/Cache/ParameterGroup] [EC029] parameter maxmemory-policy is 'lru', which ElastiCache rejects; use one of volatile-lru, allkeys-lru, volatile-lfu, allkeys-lfu, volatile-random, allkeys-random, volatile-ttl, noeviction"),
        (|p| p.parameter("notify-keyspace-events", "Exq"), "[S/Cache/ParameterGroup] [EC029] parameter notify-keyspace-events is 'Exq', which ElastiCache rejects; 'q' is not a keyspace event flag; use flags from KEg$lshzxeAtmdn (such as Ex for expired keys)"),
        (|p| p.parameter("reserved-memory-percent", "101"), "[S/Cache/ParameterGroup] [EC029] parameter reserved-memory-percent is '101', which ElastiCache rejects; use a whole number from 0 to 100"),
        (|p| ReplicationGroupProps { parameter_group_family: Some("redis6.x".into()), ..p }, "[S/Cache/ParameterGroup] [EC011] parameter_group_family 'redis6.x' does not match redis 7.1, which takes 'redis7'; drop the override or use 'redis7'"),
        (|p| ReplicationGroupProps { existing_parameter_group: Some("pg".into()), ..p.parameter("timeout", "0") }, "[S/Cache] [CON007] parameters are set together with existing_parameter_group; set them on that group instead"),
    ];
    for (change, want) in cases {
        let errs = errors_of(&with_group(Environment::Prod, change));
        assert_eq!(errs, [want], "want exactly one error");
    }
}

#[test]
fn reports_every_mistake_at_once() {
    let app = with_group(Environment::Prod, |p| p.replicas(9).node_type("cache.nope").snapshot_retention_limit(99));
    assert_eq!(errors_of(&app).len(), 3);
}

#[test]
fn warns_on_insecure_choices_but_synthesizes() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Staging);
    let access = access(stack);
    ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::None,
        ReplicationGroupProps::new()
            .transit_encryption(TransitEncryption::Disabled)
            .at_rest_encryption(AtRestEncryption::Disabled),
    );
    // Each choice once, in the construct's words: the template rules of the same
    // ids (EC018-EC020 on the group's resource) are not reported again.
    let warnings: Vec<String> = match app.synth() {
        Ok(a) => a.warnings.iter().map(|w| w.to_string()).collect(),
        Err(e) => e.diagnostics.iter().map(|w| w.to_string()).collect(),
    };
    assert_eq!(
        warnings,
        [
            "[S/Cache] [EC019] transit_encryption is Disabled: traffic and credentials cross the network in clear text",
            "[S/Cache] [EC018] at_rest_encryption is Disabled: snapshots and swap are not encrypted; enabling it later replaces the cluster",
            "[S/Cache] [EC020] auth is None: anyone who reaches the port can read and write; use an AuthSecret or RBAC user groups",
        ]
    );
}

#[test]
fn sharded_failures() {
    let build = |shards: u32, props: ReplicationGroupProps| {
        let mut app = App::new();
        let stack = app.add_stack("S").set_environment(Environment::Prod);
        let access = access(stack);
        ShardedCluster::new(stack, "Tenants", &access, Auth::None, shards, props);
        errors_of(&app)
    };
    assert_eq!(build(0, ReplicationGroupProps::new()), ["[S/Tenants] [EC007] shards must be between 1 and 500, got 0"]);
    assert_eq!(
        build(501, ReplicationGroupProps::new()),
        ["[S/Tenants] [EC007] shards must be between 1 and 500, got 501"]
    );
    assert_eq!(
        build(2, ReplicationGroupProps::new().parameter("cluster-enabled", "no")),
        ["[S/Tenants] [EC006] parameter cluster-enabled must be 'yes' in cluster mode; drop it, ShardedCluster sets it"]
    );
    // the user's false is reported, never silently turned on
    assert_eq!(
        build(2, ReplicationGroupProps::new().automatic_failover(false)),
        ["[S/Tenants] [EC005] cluster mode requires automatic_failover, but it is set to false; drop the setting (it defaults to on) or turn it on"]
    );
}

/// Issue 16, item 4: `replicas` used to reset `multi_az` and `automatic_failover`,
/// so the result depended on the setter order.
#[test]
fn setters_never_override_each_other() {
    let rg = |env: Environment, props: fn(ReplicationGroupProps) -> ReplicationGroupProps| {
        let t = synth_template(&with_group(env, props));
        let p = t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap().clone();
        (p["NumCacheClusters"].clone(), p["MultiAZEnabled"].clone(), p["AutomaticFailoverEnabled"].clone())
    };
    // an explicit setting wins in either order
    let single_az = (json!(3), json!(false), json!(true));
    assert_eq!(rg(Environment::Prod, |p| p.multi_az(false).replicas(2)), single_az);
    assert_eq!(rg(Environment::Prod, |p| p.replicas(2).multi_az(false)), single_az);
    // derived from the final replica count and the environment when not set
    assert_eq!(rg(Environment::Prod, |p| p.replicas(0).replicas(1)), (json!(2), json!(true), json!(true)));
    assert_eq!(rg(Environment::Dev, |p| p.replicas(1)), (json!(2), json!(false), json!(true)));
    assert_eq!(rg(Environment::Dev, |p| p.multi_az(true).replicas(1)), (json!(2), json!(true), json!(true)));
    assert_eq!(rg(Environment::Staging, |p| p.replicas(0)), (json!(1), json!(false), json!(false)));
    assert_eq!(rg(Environment::Staging, |p| p.replicas(0).replicas(2)), (json!(3), json!(true), json!(true)));
}

#[test]
fn vpc_access_refuses_open_ingress_and_bad_cidrs() {
    let build = |props: VpcAccessProps| {
        let mut app = App::new();
        let stack = app.add_stack("S");
        let a = RedisVpcAccess::new(stack, "Access", props);
        ReplicationGroup::new(stack, "Cache", &a, Auth::None, ReplicationGroupProps::new());
        errors_of(&app)
    };
    let base = || VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa"]);
    assert_eq!(
        build(base().allow_from_cidr("0.0.0.0/0", "world")),
        ["[S/Access] [SEC002] allowed_cidrs contains '0.0.0.0/0', which opens the cache to the whole internet; allow the application's security group or private CIDR instead, or set allow_open_ingress"]
    );
    assert_eq!(
        build(base().allow_from_cidr("10.0.10.0/33", "x")),
        ["[S/Access] [CON024] allowed_cidrs contains '10.0.10.0/33', which is not an IPv4 or IPv6 CIDR such as 10.0.10.0/24"]
    );
    assert_eq!(build(base().port(0)), ["[S/Access] [EC017] port must be between 1 and 65535, got 0"]);
    assert!(build(base().allow_from_cidr("10.0.10.0/24", "k8s a").allow_from_cidr("2001:db8::/32", "v6")).is_empty());
}

#[test]
fn vpc_access_covers_the_reader_port_and_later_peers() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let mut a = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa"]).reader_port(6380),
    );
    a.allow_from_security_group(stack, "sg-0000a7e0", "added later");
    ReplicationGroup::new(stack, "Cache", &a, Auth::None, ReplicationGroupProps::new());
    let t = synth_template(&app);
    t.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        &json!({"FromPort": 6379, "ToPort": 6380, "SourceSecurityGroupId": "sg-0000a7e0"}),
    )
    .unwrap();
}

#[test]
fn auth_secret_and_key_failures() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    AuthSecret::new(stack, "Short", AuthSecretProps::default().length(8));
    EncryptionKey::new(
        stack,
        "Key",
        EncryptionKeyProps { alias: Some("alias/aws/mine".into()), pending_window_days: Some(3), ..Default::default() },
    );
    assert_eq!(
        errors_of(&app),
        [
            "[S/Short] [SEC003] AUTH token length must be between 16 and 128 characters (ElastiCache's AUTH token limits), got 8; use 32 or more",
            "[S/Key] [CON034] pending_window_days must be between 7 and 30, got 3; pick a value in that range",
            "[S/Key] [CON034] alias must start with 'alias/' and not 'alias/aws/', got 'alias/aws/mine'",
        ]
    );
}

#[test]
fn cost_estimates_follow_the_price_table() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    let rg = ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::None,
        ReplicationGroupProps::new().node_type("cache.t4g.micro").replicas(1),
    );
    // 2 nodes x $0.016/h x 730 h
    assert_eq!(rg.estimated_monthly_cost_usd(None), 23.36);
    // ca-central-1 is priced 11 % above us-east-1
    assert_eq!(rg.estimated_monthly_cost_usd(Some("ca-central-1")), 25.93);
    let v = ReplicationGroup::new(
        stack,
        "Valkey",
        &access,
        Auth::None,
        ReplicationGroupProps::new().engine(Engine::Valkey, "8.1").node_type("cache.t4g.micro").replicas(1),
    );
    assert_eq!(v.estimated_monthly_cost_usd(None), 18.69);
}

#[test]
fn tags_reach_the_group_and_its_children() {
    let t = synth_template(&with_group(Environment::Prod, |p| p.tag("team", "chat")));
    t.has_resource_properties(
        "AWS::ElastiCache::ReplicationGroup",
        &json!({"Tags": [{"Key": "team", "Value": "chat"}]}),
    )
    .unwrap();
    t.has_resource_properties("AWS::KMS::Key", &json!({"Tags": [{"Key": "team", "Value": "chat"}]})).unwrap();
    t.has_resource_properties("AWS::Logs::LogGroup", &json!({"Tags": [{"Key": "team", "Value": "chat"}]})).unwrap();
    assert!(
        t.only_properties("AWS::SecretsManager::Secret").unwrap().get("Tags").is_none(),
        "the secret is outside the construct"
    );
}

#[test]
fn node_types_are_checked_in_the_stack_region() {
    let in_region = |region: &str, node: &'static str| {
        let mut app = App::new();
        let stack = app.add_stack("S").set_environment(Environment::Prod);
        stack.set_region(region);
        let access = access(stack);
        let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
        ReplicationGroup::new(
            stack,
            "Cache",
            &access,
            Auth::Token(secret.token()),
            ReplicationGroupProps::new().node_type(node),
        );
        app.synth().map(|_| ()).map_err(|e| e.errors().map(ToString::to_string).collect::<Vec<_>>())
    };
    assert_eq!(in_region("us-east-1", "cache.c7gn.large"), Ok(()));
    assert_eq!(in_region("ca-central-1", "cache.c7gn.large"), Err(vec![
        "[S/Cache/Resource] [EC008] Properties.CacheNodeType: node type 'cache.c7gn.large' is not offered in ca-central-1 (it is in eu-west-1, us-east-1, us-east-2, us-west-2; cfn-lint 1.58.0 and botocore 1.44.8 data of 2026-10-20); no cache.c7gn type is offered there; use another family, such as cache.r7g.large".to_string(),
    ]));
    // The Graviton4 types are Valkey (and Memcached) only.
    assert_eq!(in_region("us-east-1", "cache.r8g.large").unwrap_err().len(), 1);
}

#[test]
fn construct_rules_carry_their_ids() {
    // CON001 and CON006 warn, CON003 fails: each with its id, once.
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = access(stack);
    ShardedCluster::new(
        stack,
        "Shards",
        &access,
        Auth::UserGroups(vec![]),
        2,
        ReplicationGroupProps::new().replicas(0).removal_policy(redis_cdk::RemovalPolicy::Destroy),
    );
    let diags: Vec<String> =
        app.synth().expect_err("CON003 fails synth").diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(diags, vec![
        "[S/Shards] [CON003] auth UserGroups is empty; give at least one user group id",
        "[S/Shards] [CON001] cluster mode with 0 replicas per shard: CloudFormation updates can fail with 'must have at least one read replica' (aws-cdk#13389); add a replica for anything long-lived",
        "[S/Shards] [CON006] removal_policy Destroy in prod: deleting or replacing the group loses its data; use Snapshot",
    ]);
}

#[test]
fn open_ingress_on_purpose_and_unknown_parameters_warn_once() {
    let mut app = App::new();
    let stack = app.add_stack("S").set_environment(Environment::Prod);
    let access = RedisVpcAccess::new(
        stack,
        "Access",
        VpcAccessProps::new("vpc-00001234", vec!["subnet-0aaaaaaa", "subnet-0bbbbbbb"])
            .allow_from_cidr("0.0.0.0/0", "everyone")
            .allow_open_ingress(),
    );
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    ReplicationGroup::new(
        stack,
        "Cache",
        &access,
        Auth::Token(secret.token()),
        ReplicationGroupProps::new().parameter("io-threads", "4"),
    );
    let diags: Vec<String> = match app.synth() {
        Ok(a) => a.warnings.iter().map(ToString::to_string).collect(),
        Err(e) => e.diagnostics.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(diags, vec![
        "[S/Access] [SEC002] ingress from '0.0.0.0/0' opens the cache port to every address; prefer a security group",
        "[S/Cache/ParameterGroup] [CON025] parameter io-threads is not one the library checks; make sure ElastiCache knows it for this family",
    ]);
}

#[test]
fn split_settings_without_split_and_empty_connection_secrets_say_so() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let access = access(stack);
    let secret = AuthSecret::new(stack, "Auth", AuthSecretProps::default());
    let mut props = SplitRedisProps::new();
    props.adapter_replicas = Some(2);
    SplitRedis::new(stack, "Split", &access, Auth::Token(secret.token()), props);
    redis_cdk::ConnectionSecret::new(stack, "Conn", redis_cdk::ConnectionSecretProps::new());
    let diags: Vec<String> = app
        .synth()
        .expect_err("an empty connection secret fails")
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(diags, vec![
        "[S/Split] [CON035] adapter_replicas is set but split is off, so it is not used; the single cluster uses base",
        "[S/Conn] [CON036] fields is empty; add the connection details, e.g. with ConnectionSecretProps::for_replication_group",
    ]);
}

/// Issue 16, item 9: a parameter group takes props, like every other construct,
/// instead of six positional arguments.
#[test]
fn a_parameter_group_on_its_own_takes_props() {
    use redis_cdk::{CacheParameterGroup, CacheParameterGroupProps};
    let mut app = App::new();
    let stack = app.add_stack("S");
    let group = CacheParameterGroup::new(
        stack,
        "Params",
        CacheParameterGroupProps::new(Engine::Valkey)
            .engine_version("8.1")
            .parameter("maxmemory-policy", "allkeys-lru"),
    );
    assert_eq!(group.family(), "valkey8");
    CacheParameterGroup::new(stack, "Wrong", CacheParameterGroupProps::new(Engine::Redis).family("valkey8"));
    assert_eq!(
        errors_of(&app),
        [format!(
            "[S/Wrong] [EC011] parameter_group_family 'valkey8' does not match redis {}, which takes 'redis7'; drop the override or use 'redis7'",
            Engine::Redis.latest_version()
        )]
    );
}

#[test]
fn every_engine_and_parameter_group_prop_has_a_setter() {
    // Valkey at its newest version, without naming the version
    let t = synth_template(&with_group(Environment::Prod, |p| p.engine_kind(Engine::Valkey)));
    let p = t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap();
    assert_eq!(
        (p["Engine"].as_str(), p["EngineVersion"].as_str()),
        (Some("valkey"), Some(Engine::Valkey.latest_version()))
    );
    // the version alone, on the engine already set; the setters do not undo each other
    let t = synth_template(&with_group(Environment::Prod, |p| p.engine_version("7.2").engine_kind(Engine::Valkey)));
    let p = t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap();
    assert_eq!((p["Engine"].as_str(), p["EngineVersion"].as_str()), (Some("valkey"), Some("7.2")));
    t.has_resource_properties("AWS::ElastiCache::ParameterGroup", &json!({"CacheParameterGroupFamily": "valkey7"}))
        .unwrap();
    // an existing group instead of a new one
    let t = synth_template(&with_group(Environment::Prod, |p| p.existing_parameter_group("shared-redis7")));
    assert_eq!(t.resource_count("AWS::ElastiCache::ParameterGroup"), 0);
    let p = t.only_properties("AWS::ElastiCache::ReplicationGroup").unwrap();
    assert_eq!(p["CacheParameterGroupName"], "shared-redis7");
    // a family that does not fit the engine is refused (EC011), as on a parameter group
    let app = with_group(Environment::Prod, |p| p.parameter_group_family("valkey8"));
    let e = app.synth().unwrap_err().to_string();
    assert!(e.contains("[EC011] parameter_group_family 'valkey8' does not match redis"), "{e}");
}
