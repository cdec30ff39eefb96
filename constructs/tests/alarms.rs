//! `RedisAlarms`: per-node metric-math alarms, splitting, serverless alarms,
//! overrides, custom alarms, and every validation message.

use redis_cdk::*;
use serde_json::{json, Value as J};

mod common;
use common::{serverless_access as access, *};

/// The construct paths of every alarm, in template order.
fn alarm_paths(assembly: &Assembly) -> Vec<String> {
    let s = &assembly.stacks[0];
    s.logical_ids
        .iter()
        .filter(|(id, _)| s.template["Resources"][id.as_str()]["Type"] == "AWS::CloudWatch::Alarm")
        .map(|(_, p)| p.clone())
        .collect()
}

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ops";

fn token(stack: &mut Stack) -> Auth {
    Auth::Token(AuthSecret::new(stack, "Token", AuthSecretProps::default()).token())
}

fn group(stack: &mut Stack, env: Environment) -> ReplicationGroup {
    stack.set_environment(env);
    let acc = access(stack);
    let auth = token(stack);
    ReplicationGroup::new(stack, "Cache", &acc, auth, ReplicationGroupProps::new())
}

fn synth(build: impl FnOnce(&mut Stack)) -> Result<Assembly, SynthError> {
    let mut app = App::new();
    build(app.add_stack("Alarms"));
    app.synth()
}

fn errors(build: impl FnOnce(&mut Stack)) -> Vec<String> {
    synth(build).expect_err("synth should fail").errors().map(ToString::to_string).collect()
}

fn alarm_warnings(build: impl FnOnce(&mut Stack)) -> Vec<String> {
    let a = synth(build).expect("synth should succeed");
    a.warnings.iter().filter(|w| w.path.starts_with("Alarms/Alarms")).map(ToString::to_string).collect()
}

#[test]
fn group_alarms_read_every_node_and_notify_an_encrypted_topic() {
    let a = synth(|s| {
        let rg = group(s, Environment::Prod);
        let key = EncryptionKey::new(s, "AlertKey", EncryptionKeyProps::default());
        RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());
    })
    .unwrap();
    let rg = logical_id(&a, "Cache/Resource");
    let topic = logical_id(&a, "Alarms/Topic");
    let key = logical_id(&a, "AlertKey/Resource");
    assert_props(&a, "Alarms/Topic", json!({"KmsMasterKeyId": {"Fn::GetAtt": [key, "Arn"]}}));
    assert_eq!(
        alarm_paths(&a),
        [
            "Alarms/CPUUtilization",
            "Alarms/EngineCPUUtilization",
            "Alarms/DatabaseMemoryUsagePercentage",
            "Alarms/Evictions",
            "Alarms/SwapUsage",
            "Alarms/CurrConnections",
            "Alarms/ReplicationLag",
            "Alarms/BytesUsedForCache",
        ]
    );
    let node = |n: &str| {
        json!({"Metric": {
            "Dimensions": [{"Name": "CacheClusterId", "Value": {"Fn::Sub": format!("${{{rg}}}-{n}")}}],
            "MetricName": "CPUUtilization",
            "Namespace": "AWS/ElastiCache"
        }, "Period": 300, "Stat": "Average"})
    };
    let p = props(&a, "Alarms/CPUUtilization");
    assert_eq!(
        p,
        json!({
            "AlarmActions": [{"Ref": topic}],
            "AlarmDescription": {"Fn::Sub": format!("replication group ${{{rg}}} (Alarms/Cache): CPUUtilization > 75 % on any of 3 nodes (300 s periods, 2 in a row)")},
            "ComparisonOperator": "GreaterThanThreshold",
            "EvaluationPeriods": 2,
            "Metrics": [
                {"Id": "m0", "MetricStat": node("001"), "ReturnData": false},
                {"Id": "m1", "MetricStat": node("002"), "ReturnData": false},
                {"Id": "m2", "MetricStat": node("003"), "ReturnData": false},
                {"Expression": "MAX([m0,m1,m2])", "Id": "maxOverNodes", "Label": "CPUUtilization (Average), highest node", "ReturnData": true}
            ],
            "OKActions": [{"Ref": topic}],
            "Threshold": 75,
            "TreatMissingData": "missing"
        })
    );
    // ReplicationLag reads every node: roles swap on failover, and a primary publishes none.
    let lag = props(&a, "Alarms/ReplicationLag");
    let dims: Vec<&J> = lag["Metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.pointer("/MetricStat/Metric/Dimensions/0/Value"))
        .collect();
    assert_eq!(
        dims,
        [
            &json!({"Fn::Sub": format!("${{{rg}}}-001")}),
            &json!({"Fn::Sub": format!("${{{rg}}}-002")}),
            &json!({"Fn::Sub": format!("${{{rg}}}-003")})
        ]
    );
    assert_props(
        &a,
        "Alarms/ReplicationLag",
        json!({"Threshold": 30, "EvaluationPeriods": 5, "TreatMissingData": "notBreaching"}),
    );
    assert_props(&a, "Alarms/Evictions", json!({"Threshold": 1000, "TreatMissingData": "notBreaching"}));
    assert_props(&a, "Alarms/SwapUsage", json!({"Threshold": 52428800}));
    assert_props(&a, "Alarms/DatabaseMemoryUsagePercentage", json!({"Threshold": 90}));
    assert_props(&a, "Alarms/EngineCPUUtilization", json!({"Threshold": 90}));
    assert_props(&a, "Alarms/CurrConnections", json!({"Threshold": 50000}));
    // 70 % of cache.r7g.large's 13.07 GiB.
    assert_props(&a, "Alarms/BytesUsedForCache", json!({"Threshold": 9823663948i64}));
    // No alarm uses the group id itself as a dimension (it would never get data).
    for path in alarm_paths(&a) {
        let p = props(&a, &path);
        assert!(p.get("Dimensions").is_none() && p.get("MetricName").is_none(), "{path}");
        for m in p["Metrics"].as_array().unwrap() {
            if let Some(v) = m.pointer("/MetricStat/Metric/Dimensions/0/Value") {
                assert_ne!(v, &json!({"Ref": rg}), "{path}");
            }
        }
    }
}

#[test]
fn group_without_replicas_has_no_replication_lag_alarm() {
    let a = synth(|s| {
        let rg = group(s, Environment::Dev);
        RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    })
    .unwrap();
    let paths = alarm_paths(&a);
    assert_eq!(paths.len(), 7);
    assert!(!paths.iter().any(|p| p.contains("ReplicationLag")));
    assert_props(
        &a,
        "Alarms/Evictions",
        json!({"AlarmActions": [TOPIC], "OKActions": [TOPIC], "Metrics": [{"Id": "m0"}, {"Expression": "MAX([m0])"}]}),
    );
}

#[test]
fn alarms_chosen_by_inclusion_and_exclusion_together() {
    let paths = |props: RedisAlarmsProps| {
        let a = synth(|s| {
            let rg = group(s, Environment::Prod);
            RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), props);
        })
        .unwrap();
        alarm_paths(&a)
    };
    let only = RedisAlarmsProps::default().only([AlarmMetric::CpuUtilization, AlarmMetric::Evictions]);
    assert_eq!(paths(only.clone()), ["Alarms/CPUUtilization", "Alarms/Evictions"]);
    // disable and only both apply, in either order
    assert_eq!(paths(only.clone().disable(AlarmMetric::Evictions)), ["Alarms/CPUUtilization"]);
    let disabled_first = RedisAlarmsProps::default()
        .disable(AlarmMetric::Evictions)
        .only([AlarmMetric::CpuUtilization])
        .only([AlarmMetric::Evictions]);
    assert_eq!(paths(disabled_first), ["Alarms/CPUUtilization"]);
    // a metric the target has no alarm for is a warning, not a silent no-op
    let warned = synth(|s| {
        let rg = group(s, Environment::Prod);
        RedisAlarms::new(
            s,
            "Alarms",
            &rg,
            AlarmTopic::Existing(TOPIC.into()),
            RedisAlarmsProps::default().only([AlarmMetric::ThrottledCmds]),
        );
    })
    .unwrap();
    let w: Vec<String> = warned.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter().any(
            |w| w.contains("[CON029] ThrottledCmds is in only(...), but it is not alarmed for a replication group")
        ),
        "{w:?}"
    );
}

fn metric_count(a: &Assembly, path: &str) -> usize {
    props(a, path)["Metrics"].as_array().unwrap().iter().filter(|m| m.get("MetricStat").is_some()).count()
}

#[test]
fn a_huge_shard_count_is_an_error_at_once_not_a_huge_allocation() {
    // u32::MAX shards used to make the alarms enumerate every node id (6.6 GB)
    let e = synth(|s| {
        s.set_environment(Environment::Prod);
        let acc = access(s);
        let auth = token(s);
        let c = ShardedCluster::new(s, "Cache", &acc, auth, u32::MAX, ReplicationGroupProps::new().replicas(u32::MAX));
        RedisAlarms::new(s, "Alarms", &c, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    })
    .unwrap_err();
    let text: Vec<String> = e.diagnostics.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|d| d.contains("[EC007] shards must be between 1 and 500, got 4294967295")), "{text:#?}");
}

#[test]
fn sharded_cluster_splits_into_alarms_of_whole_shards() {
    let a = synth(|s| {
        s.set_environment(Environment::Prod);
        let acc = access(s);
        let auth = token(s);
        let c = ShardedCluster::new(s, "Cache", &acc, auth, 4, ReplicationGroupProps::new());
        RedisAlarms::new(s, "Alarms", &c, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    })
    .unwrap();
    let rg = logical_id(&a, "Cache/Resource");
    let paths = alarm_paths(&a);
    // 4 shards × 3 nodes = 12 > 10: shards 1-3 (9 nodes) and shard 4 (3 nodes).
    assert!(paths.contains(&"Alarms/CPUUtilizationShards1To3".to_string()), "{paths:?}");
    assert_eq!(metric_count(&a, "Alarms/CPUUtilizationShards1To3"), 9);
    assert_eq!(metric_count(&a, "Alarms/CPUUtilizationShard4"), 3);
    // ReplicationLag is split like the others.
    assert_eq!(metric_count(&a, "Alarms/ReplicationLagShards1To3"), 9);
    assert_eq!(paths.len(), 8 * 2);
    let first = props(&a, "Alarms/CPUUtilizationShard4")["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"][0]
        ["Value"]
        .clone();
    assert_eq!(first, json!({"Fn::Sub": format!("${{{rg}}}-0004-001")}));
    assert_props(
        &a,
        "Alarms/CPUUtilizationShards1To3",
        json!({
            "AlarmDescription": {"Fn::Sub": format!("replication group ${{{rg}}} (Alarms/Cache): CPUUtilization > 75 % on any of 9 nodes of shards 1 to 3 (300 s periods, 2 in a row)")},
            "Metrics": [{}, {}, {}, {}, {}, {}, {}, {}, {}, {"Expression": "MAX([m0,m1,m2,m3,m4,m5,m6,m7,m8])", "ReturnData": true}]
        }),
    );
    for p in paths {
        assert!(metric_count(&a, &p) <= 10, "{p}");
    }
}

#[test]
fn large_cluster_fills_alarms_up_to_ten_nodes() {
    let a = synth(|s| {
        s.set_environment(Environment::Staging);
        let acc = access(s);
        let auth = token(s);
        let c = ShardedCluster::new(s, "Cache", &acc, auth, 10, ReplicationGroupProps::new());
        RedisAlarms::new(s, "Alarms", &c, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    })
    .unwrap();
    // 10 shards × 2 nodes: two alarms of 5 shards (10 nodes) each, ReplicationLag too.
    assert_eq!(metric_count(&a, "Alarms/SwapUsageShards1To5"), 10);
    assert_eq!(metric_count(&a, "Alarms/SwapUsageShards6To10"), 10);
    assert_eq!(metric_count(&a, "Alarms/ReplicationLagShards6To10"), 10);
}

#[test]
fn serverless_alarms_use_the_cluster_id_dimension_and_the_cache_limits() {
    let a = synth(|s| {
        let acc = access(s);
        let c = ServerlessCache::new(
            s,
            "Cache",
            &acc,
            ServerlessCacheProps::new().max_ecpu_per_second(50_000).max_data_storage_gb(100),
        );
        RedisAlarms::new(s, "Alarms", &c, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    })
    .unwrap();
    let cache = logical_id(&a, "Cache/Resource");
    assert_eq!(
        alarm_paths(&a),
        ["Alarms/ElastiCacheProcessingUnits", "Alarms/ThrottledCmds", "Alarms/BytesUsedForCache"]
    );
    assert_eq!(
        props(&a, "Alarms/ElastiCacheProcessingUnits"),
        json!({
            "AlarmActions": [TOPIC],
            "AlarmDescription": {"Fn::Sub": format!("serverless cache ${{{cache}}} (Alarms/Cache): ElastiCacheProcessingUnits > 2400000 ECPUs (60 s periods, 5 in a row)")},
            "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "clusterId", "Value": {"Ref": cache}}],
            "EvaluationPeriods": 5,
            "MetricName": "ElastiCacheProcessingUnits",
            "Namespace": "AWS/ElastiCache",
            "OKActions": [TOPIC],
            "Period": 60,
            "Statistic": "Sum",
            "Threshold": 2400000,
            "TreatMissingData": "notBreaching"
        })
    );
    assert_props(&a, "Alarms/BytesUsedForCache", json!({"Threshold": 80000000000i64, "Statistic": "Maximum"}));
    assert_props(&a, "Alarms/ThrottledCmds", json!({"Threshold": 100, "Period": 300}));
}

#[test]
fn serverless_defaults_without_limits() {
    let a = synth(|s| {
        let acc = access(s);
        let c = ServerlessCache::new(s, "Cache", &acc, ServerlessCacheProps::new());
        RedisAlarms::new(s, "Alarms", &c, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    })
    .unwrap();
    assert_props(&a, "Alarms/ElastiCacheProcessingUnits", json!({"Threshold": 600000}));
    assert_props(&a, "Alarms/BytesUsedForCache", json!({"Threshold": 10000000000i64}));
}

#[test]
fn overrides_change_one_metric_and_disable_another() {
    let a = synth(|s| {
        let rg = group(s, Environment::Prod);
        RedisAlarms::new(
            s,
            "Alarms",
            &rg,
            AlarmTopic::Existing(TOPIC.into()),
            RedisAlarmsProps::default()
                .threshold(AlarmMetric::CpuUtilization, 60.5)
                .period_seconds(AlarmMetric::CpuUtilization, 60)
                .evaluation_periods(AlarmMetric::CpuUtilization, 10)
                .treat_missing_data(AlarmMetric::CpuUtilization, TreatMissingData::Breaching)
                .disable(AlarmMetric::SwapUsage)
                .disable(AlarmMetric::BytesUsedForCache)
                .additional_action("arn:aws:sns:us-east-1:123456789012:pager"),
        );
    })
    .unwrap();
    let paths = alarm_paths(&a);
    assert_eq!(paths.len(), 6);
    assert!(!paths.iter().any(|p| p.ends_with("SwapUsage") || p.ends_with("BytesUsedForCache")));
    assert_props(
        &a,
        "Alarms/CPUUtilization",
        json!({
            "AlarmActions": [TOPIC, "arn:aws:sns:us-east-1:123456789012:pager"],
            "OKActions": [TOPIC, "arn:aws:sns:us-east-1:123456789012:pager"],
            "EvaluationPeriods": 10,
            "Metrics": [{"MetricStat": {"Period": 60}}, {"MetricStat": {"Period": 60}}, {"MetricStat": {"Period": 60}}, {"ReturnData": true}],
            "Threshold": 60.5,
            "TreatMissingData": "breaching"
        }),
    );
}

#[test]
fn custom_alarm_on_the_application_namespace() {
    let a = synth(|s| {
        let rg = group(s, Environment::Prod);
        let mut alarms =
            RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
        alarms
            .add_custom_alarm(
                s,
                "HitRate",
                CustomAlarm::new("Checkout/Cache", "CacheHitRate", Comparison::LessThan, 80.0)
                    .dimension("Service", "checkout"),
            )
            .unwrap();
        alarms.add_custom_alarm(
            s,
            "ErrorRate",
            CustomAlarm::new("Checkout/Cache", "ErrorRate", Comparison::GreaterThanOrEqual, 1.5)
                .statistic(Statistic::Maximum)
                .period_seconds(60)
                .evaluation_periods(5)
                .treat_missing_data(TreatMissingData::NotBreaching)
                .description("checkout cache errors"),
        );
        assert_eq!(alarms.alarms().len(), 10);
    })
    .unwrap();
    let rg = logical_id(&a, "Cache/Resource");
    assert_eq!(
        props(&a, "Alarms/HitRate/Resource"),
        json!({
            "AlarmActions": [TOPIC],
            "AlarmDescription": {"Fn::Sub": format!("replication group ${{{rg}}} (Alarms/Cache): Checkout/Cache/CacheHitRate < 80 (Average, 300 s periods, 3 in a row)")},
            "ComparisonOperator": "LessThanThreshold",
            "Dimensions": [{"Name": "Service", "Value": "checkout"}],
            "EvaluationPeriods": 3,
            "MetricName": "CacheHitRate",
            "Namespace": "Checkout/Cache",
            "OKActions": [TOPIC],
            "Period": 300,
            "Statistic": "Average",
            "Threshold": 80,
            "TreatMissingData": "missing"
        })
    );
    assert_props(
        &a,
        "Alarms/ErrorRate/Resource",
        json!({
            "AlarmDescription": "checkout cache errors",
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Period": 60,
            "Statistic": "Maximum",
            "Threshold": 1.5,
            "TreatMissingData": "notBreaching"
        }),
    );
}

#[test]
fn warnings_for_overrides_that_do_nothing_and_short_periods() {
    let w = alarm_warnings(|s| {
        let rg = group(s, Environment::Dev);
        RedisAlarms::new(
            s,
            "Alarms",
            &rg,
            AlarmTopic::Existing(TOPIC.into()),
            RedisAlarmsProps::default()
                .threshold(AlarmMetric::ThrottledCmds, 5.0)
                .threshold(AlarmMetric::ReplicationLag, 10.0)
                .period_seconds(AlarmMetric::Evictions, 30),
        );
    });
    assert_eq!(
        w,
        [
            "[Alarms/Alarms] [CON029] ThrottledCmds has an override, but it is not alarmed for a replication group; remove the override",
            "[Alarms/Alarms] [CON029] ReplicationLag has an override, but the group has no replicas, so it has no ReplicationLag alarm; remove the override",
            "[Alarms/Alarms] [CON033] Evictions period_seconds is 30, but ElastiCache publishes every 60 s, so most periods have no data; use 60 or more",
        ]
    );
}

type Build = Box<dyn FnOnce(&mut Stack)>;

#[test]
fn fails_with_one_message_per_problem() {
    let with = |topic: AlarmTopic, props: RedisAlarmsProps| -> Build {
        Box::new(move |s: &mut Stack| {
            let rg = group(s, Environment::Prod);
            RedisAlarms::new(s, "Alarms", &rg, topic, props);
        })
    };
    let t = || AlarmTopic::Existing(TOPIC.into());
    let d = RedisAlarmsProps::default;
    let cases: Vec<(Build, &str)> = vec![
        (
            with(t(), d().threshold(AlarmMetric::CpuUtilization, 120.0)),
            "[Alarms/Alarms] [CON031] CPUUtilization threshold is a percentage and must be between 0 and 100, got 120",
        ),
        (
            with(t(), d().threshold(AlarmMetric::DatabaseMemoryUsagePercentage, -1.0)),
            "[Alarms/Alarms] [CON031] DatabaseMemoryUsagePercentage threshold is a percentage and must be between 0 and 100, got -1",
        ),
        (with(t(), d().threshold(AlarmMetric::Evictions, -5.0)), "[Alarms/Alarms] [CON031] Evictions threshold must be 0 or more, got -5"),
        (
            with(t(), d().threshold(AlarmMetric::SwapUsage, f64::NAN)),
            "[Alarms/Alarms] [CON031] SwapUsage threshold must be a finite number, got NaN",
        ),
        (
            with(t(), d().period_seconds(AlarmMetric::CurrConnections, 45)),
            "[Alarms/Alarms] [CON032] CurrConnections period_seconds must be 10, 20, 30 or a multiple of 60, got 45; use 60 or 300",
        ),
        (
            with(t(), d().evaluation_periods(AlarmMetric::ReplicationLag, 0)),
            "[Alarms/Alarms] [CON032] ReplicationLag evaluation_periods must be at least 1, got 0",
        ),
        (
            with(t(), d().period_seconds(AlarmMetric::Evictions, 3600).evaluation_periods(AlarmMetric::Evictions, 169)),
            "[Alarms/Alarms] [CON032] Evictions evaluates 169 periods of 3600 s, over CloudWatch's limit of seven days (604800 s) for this period; use fewer or shorter periods",
        ),
        (
            with(t(), d().period_seconds(AlarmMetric::Evictions, 1800).evaluation_periods(AlarmMetric::Evictions, 49)),
            "[Alarms/Alarms] [CON032] Evictions evaluates 49 periods of 1800 s, over CloudWatch's limit of one day (86400 s) for this period; use fewer or shorter periods",
        ),
        (
            with(AlarmTopic::None, d()),
            "[Alarms/Alarms] [ALM001] the alarms have no action: topic is AlarmTopic::None and additional_actions is empty; give a topic or an action, or no one is notified",
        ),
        (
            with(t(), (0..5).fold(d(), |p, i| p.additional_action(format!("arn:aws:sns:us-east-1:123456789012:t{i}")))),
            "[Alarms/Alarms] [CON028] the alarms have 6 actions; CloudWatch allows at most 5 per state, so drop some additional_actions",
        ),
        (
            with(AlarmTopic::Create { kms_key: "alias/aws/sns".into() }, d()),
            "[Alarms/Alarms] [CON026] topic kms_key is alias/aws/sns, whose key policy does not let CloudWatch publish, so no alarm would ever notify; use a customer-managed key such as EncryptionKey::key_arn()",
        ),
        (
            with(AlarmTopic::Existing("ops-alerts".into()), d()),
            "[Alarms/Alarms] [CON027] topic 'ops-alerts' is not an SNS topic ARN; give an ARN such as arn:aws:sns:us-east-1:123456789012:alerts",
        ),
        (
            Box::new(|s: &mut Stack| {
                let rg = group(s, Environment::Prod);
                let mut al = RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
                al.add_custom_alarm(s, "Bad", CustomAlarm::new(":App", "HitRate", Comparison::LessThan, 80.0));
            }),
            "[Alarms/Alarms/Bad] [CON030] namespace ':App' must be 1 to 255 characters and not start with ':'; use a name such as 'Checkout/Cache'",
        ),
        (
            Box::new(|s: &mut Stack| {
                let rg = group(s, Environment::Prod);
                let mut al = RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
                al.add_custom_alarm(s, "Bad", CustomAlarm::new("App", "", Comparison::LessThan, 80.0));
            }),
            "[Alarms/Alarms/Bad] [CON030] metric_name '' must be 1 to 255 characters",
        ),
        (
            Box::new(|s: &mut Stack| {
                let rg = group(s, Environment::Prod);
                let mut al = RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
                al.add_custom_alarm(s, "Bad", CustomAlarm::new("App", "HitRate", Comparison::LessThan, 80.0).period_seconds(90));
            }),
            "[Alarms/Alarms/Bad] [CON032] HitRate period_seconds must be 10, 20, 30 or a multiple of 60, got 90; use 60 or 300",
        ),
        (
            Box::new(|s: &mut Stack| {
                let rg = group(s, Environment::Prod);
                let mut al = RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
                al.add_custom_alarm(s, "Bad", CustomAlarm::new("App", "HitRate", Comparison::LessThan, 80.0).evaluation_periods(0));
            }),
            "[Alarms/Alarms/Bad] [CON032] HitRate evaluation_periods must be at least 1, got 0",
        ),
        (
            Box::new(|s: &mut Stack| {
                let rg = group(s, Environment::Prod);
                let mut al = RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
                let dims = (0..31).fold(CustomAlarm::new("App", "HitRate", Comparison::LessThan, 80.0), |c, i| c.dimension(format!("D{i}"), "x"));
                al.add_custom_alarm(s, "Bad", dims);
            }),
            "[Alarms/Alarms/Bad] [CON030] dimensions has 31 entries; CloudWatch allows at most 30",
        ),
    ];
    for (build, want) in cases {
        assert_eq!(errors(build), [want]);
    }
}

#[test]
fn fails_when_custom_alarm_is_added_from_another_stack() {
    let mut app = App::new();
    let s = app.add_stack("Alarms");
    let rg = group(s, Environment::Prod);
    let mut al = RedisAlarms::new(s, "Alarms", &rg, AlarmTopic::Existing(TOPIC.into()), RedisAlarmsProps::default());
    let other = app.add_stack("Other");
    assert!(al
        .add_custom_alarm(other, "HitRate", CustomAlarm::new("App", "HitRate", Comparison::LessThan, 80.0))
        .is_none());
    let errs: Vec<String> = app.synth().unwrap_err().errors().map(ToString::to_string).collect();
    assert_eq!(
        errs,
        ["[Other] [APP010] add_custom_alarm must be called with the stack that holds Alarms ('Alarms'), got 'Other'"]
    );
}
