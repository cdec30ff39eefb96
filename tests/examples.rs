//! The five seed systems as examples, synthesized in-process for every
//! environment: whole-template snapshots under `snapshots/` (a snapshot change is
//! reviewed like a deploy), and one test per requirement a seed states, named
//! after it.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test examples`
//! (or `cargo insta review`), then review the `.snap` diff.

mod seed_examples;

use redis_cdk::assertions::Template;
use redis_cdk::{Environment, StackArtifact};
use serde_json::{json, Value as J};

use seed_examples::*;

const ENVS: [Environment; 3] = Environment::ALL;

/// Warnings an example is allowed to have, as (example, env, part of the message),
/// each a deliberate choice of the seed.
const ACCEPTED_WARNINGS: &[(&str, Environment, &str)] = &[
    // Seed 004 sizes dev as 1 shard with 0 replicas to save cost; the warning is
    // right that updates of such a cluster can fail, which dev tolerates.
    ("tenant_sharded", Environment::Dev, "cluster mode with 0 replicas per shard"),
];

fn build_of(example: &str) -> Build {
    EXAMPLES.iter().find(|(n, _)| *n == example).unwrap_or_else(|| panic!("no example {example}")).1
}

/// The one stack of `example` in `env`, synthesized; panics with every diagnostic on failure.
fn artifact(example: &str, env: Environment) -> (StackArtifact, Vec<String>) {
    let assembly = build_of(example)(env)
        .synth()
        .unwrap_or_else(|e| panic!("{example} ({env}) does not synthesize:\n{:#?}", e.diagnostics));
    assert_eq!(assembly.stacks.len(), 1, "{example} ({env}) has one stack");
    let warnings = assembly.warnings.iter().map(ToString::to_string).collect();
    (assembly.stacks.into_iter().next().unwrap(), warnings)
}

fn template(example: &str, env: Environment) -> J {
    artifact(example, env).0.template
}

/// Properties of every resource of `type_name`, in template order.
fn props<'a>(t: &'a J, type_name: &str) -> Vec<&'a J> {
    resources(t, type_name).into_iter().map(|(_, r)| &r["Properties"]).collect()
}

/// (logical id, resource) of every resource of `type_name`, in template order.
fn resources<'a>(t: &'a J, type_name: &str) -> Vec<(&'a str, &'a J)> {
    t["Resources"]
        .as_object()
        .expect("Resources")
        .iter()
        .filter(|(_, r)| r["Type"] == type_name)
        .map(|(k, r)| (k.as_str(), r))
        .collect()
}

/// Properties of the only resource of `type_name`.
fn only<'a>(t: &'a J, type_name: &str) -> &'a J {
    let all = props(t, type_name);
    assert_eq!(all.len(), 1, "expected one {type_name}, found {}", all.len());
    all[0]
}

/// The logical id of the only resource of `type_name`.
fn only_id<'a>(t: &'a J, type_name: &str) -> &'a str {
    let all = resources(t, type_name);
    assert_eq!(all.len(), 1, "expected one {type_name}, found {}", all.len());
    all[0].0
}

fn has(t: &J, type_name: &str, partial: J) {
    Template::new(t.clone()).has_resource_properties(type_name, &partial).unwrap_or_else(|e| panic!("{e}"));
}

fn output<'a>(t: &'a J, name: &str) -> &'a J {
    let o = &t["Outputs"][name]["Value"];
    assert!(!o.is_null(), "no output {name}; outputs: {}", t["Outputs"]);
    o
}

/// `{{resolve:secretsmanager:${<secret>}:SecretString:token::}}` as synth renders it.
fn token_ref(secret_id: &str) -> J {
    json!({ "Fn::Sub": format!("{{{{resolve:secretsmanager:${{{secret_id}}}:SecretString:token::}}}}") })
}

// ---------------------------------------------------------------------------
// Every example

#[test]
fn every_example_matches_its_snapshot_in_every_environment() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let (artifact, _) = artifact(name, env);
            insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("{name}__{env}"), artifact.to_json());
            });
        }
    }
}

#[test]
fn every_example_synthesizes_with_only_accepted_warnings() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let (_, warnings) = artifact(name, env);
            let unexpected: Vec<&String> = warnings
                .iter()
                .filter(|w| !ACCEPTED_WARNINGS.iter().any(|(n, e, part)| n == name && *e == env && w.contains(part)))
                .collect();
            assert!(unexpected.is_empty(), "{name} ({env}) warns: {unexpected:#?}");
        }
    }
}

#[test]
fn every_example_template_passes_the_library_validation() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let t = template(name, env);
            let findings = redis_cdk::validate::check_template(&t);
            assert!(findings.is_empty(), "{name} ({env}): {findings:#?}");
        }
    }
}

#[test]
fn every_example_declares_the_documented_parameters() {
    let expected: &[(&str, &[&str])] = &[
        ("bi_cache_rate_limit", &["VpcId", "SubnetIds", "LambdaSecurityGroupId"]),
        (
            "managed_redis_with_alarms",
            &[
                "VpcId",
                "SubnetIds",
                "AppSecurityGroupId",
                "CreateElastiCache",
                "UseUpstash",
                "UpstashRedisUrl",
                "UpstashRedisToken",
            ],
        ),
        ("ownership_cache", &["VpcId", "SubnetIds", "LambdaSecurityGroupId", "RouteTableIds"]),
        ("chat_split", &["VpcId", "SubnetIds", "AppSecurityGroupId"]),
        ("tenant_sharded", &["VpcId", "SubnetIds", "K8sNodeSecurityGroupId"]),
    ];
    for (name, params) in expected {
        for env in ENVS {
            let t = template(name, env);
            let got: Vec<&str> = t["Parameters"].as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(&got, params, "{name} ({env})");
        }
    }
}

#[test]
fn every_example_outputs_its_estimated_monthly_cost() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let t = template(name, env);
            let cost = output(&t, "EstimatedMonthlyCost").as_str().unwrap_or_else(|| panic!("{name}: a string"));
            let rest = cost.strip_prefix("~$").unwrap_or_else(|| panic!("{name} ({env}): {cost}"));
            let (amount, tail) = rest.split_once("/month (on-demand, ").unwrap_or_else(|| panic!("{cost}"));
            assert!(amount.parse::<f64>().is_ok_and(|a| a > 0.0), "{name} ({env}): {cost}");
            assert!(tail.ends_with(')'), "{name} ({env}): {cost}");
        }
    }
}

#[test]
fn every_example_outputs_no_secret() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let t = template(name, env);
            let secrets: Vec<&str> =
                resources(&t, "AWS::SecretsManager::Secret").into_iter().map(|(id, _)| id).collect();
            for (out, o) in t["Outputs"].as_object().unwrap() {
                let text = o["Value"].to_string();
                assert!(!text.contains("resolve:"), "{name} ({env}) output {out} holds a dynamic reference: {text}");
                for s in &secrets {
                    // A secret's Ref is its ARN; any attribute or use in a string is not allowed.
                    if text.contains(s) {
                        assert_eq!(o["Value"], json!({ "Ref": s }), "{name} ({env}) output {out} uses secret {s}");
                    }
                }
            }
            // a NoEcho parameter (a credential issued outside AWS, such as Upstash's) may
            // only go into a Secrets Manager secret
            for (p, def) in t["Parameters"].as_object().unwrap() {
                if def.get("NoEcho").is_none() {
                    continue;
                }
                let used_in: Vec<&str> = t["Resources"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(_, r)| {
                        r.to_string().contains(&format!("${{{p}}}"))
                            || r.to_string().contains(&format!("\"Ref\":\"{p}\""))
                    })
                    .map(|(_, r)| r["Type"].as_str().unwrap())
                    .collect();
                assert!(
                    !used_in.is_empty() && used_in.iter().all(|ty| *ty == "AWS::SecretsManager::Secret"),
                    "{name} ({env}): NoEcho parameter {p} is used by {used_in:?}; it may only fill a secret"
                );
                assert!(!t["Outputs"].to_string().contains(p.as_str()), "{name} ({env}): {p} in an output");
            }
        }
    }
}

#[test]
fn every_example_passes_secrets_only_as_dynamic_references() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let t = template(name, env);
            for user in props(&t, "AWS::ElastiCache::User") {
                for p in user["AuthenticationMode"]["Passwords"].as_array().unwrap() {
                    let p = p["Fn::Sub"].as_str().unwrap_or_default();
                    assert!(p.starts_with("{{resolve:secretsmanager:"), "{name} ({env}): password {p}");
                }
            }
            for rg in props(&t, "AWS::ElastiCache::ReplicationGroup") {
                if rg.get("UserGroupIds").is_some() {
                    assert!(rg.get("AuthToken").is_none(), "{name} ({env}): RBAC or a token, not both");
                    continue;
                }
                let token = rg["AuthToken"]["Fn::Sub"].as_str().unwrap_or_default();
                assert!(
                    token.starts_with("{{resolve:secretsmanager:") && token.ends_with(":SecretString:token::}}"),
                    "{name} ({env}): AuthToken is {}",
                    rg["AuthToken"]
                );
            }
            for s in props(&t, "AWS::SecretsManager::Secret") {
                if let Some(g) = s.get("GenerateSecretString") {
                    assert_eq!(g["ExcludePunctuation"], true, "{name} ({env}): tokens are letters and digits");
                    continue;
                }
                let text = s["SecretString"].to_string();
                let no_echo = |p: &str| t["Parameters"][p]["NoEcho"] == true;
                let from_parameters = s["SecretString"]["Fn::Sub"].as_str().is_some_and(|sub| {
                    sub.split("${").skip(1).all(|v| no_echo(v.split('}').next().unwrap_or_default()))
                });
                assert!(text.contains("{{resolve:secretsmanager:") || from_parameters, "{name} ({env}): {text}");
                assert!(!text.contains(r#"auth_token\":\"\""#), "{name} ({env}): empty token in {text}");
            }
        }
    }
}

#[test]
fn every_example_admits_only_its_application_security_group_on_the_cache_port() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let t = template(name, env);
            let params: Vec<&str> = t["Parameters"].as_object().unwrap().keys().map(String::as_str).collect();
            for rule in props(&t, "AWS::EC2::SecurityGroupIngress") {
                assert!(rule.get("CidrIp").is_none() && rule.get("CidrIpv6").is_none(), "{name} ({env}): {rule}");
                let source = rule["SourceSecurityGroupId"]["Ref"].as_str().unwrap_or_default();
                assert!(
                    params.contains(&source) && source.ends_with("SecurityGroupId"),
                    "{name} ({env}): ingress from {rule}"
                );
            }
            for sg in props(&t, "AWS::EC2::SecurityGroup") {
                assert!(sg.get("SecurityGroupIngress").is_none(), "{name} ({env}): inline ingress {sg}");
            }
        }
    }
}

/// Properties of the only alarm on `metric`.
fn alarm<'a>(t: &'a J, metric: &str) -> &'a J {
    let found: Vec<&J> = props(t, "AWS::CloudWatch::Alarm")
        .into_iter()
        .filter(|a| {
            a["MetricName"] == metric
                || a["Metrics"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|q| q["MetricStat"]["Metric"]["MetricName"] == metric))
        })
        .collect();
    assert_eq!(found.len(), 1, "expected one alarm on {metric}, found {}", found.len());
    found[0]
}

fn alarm_metrics(t: &J) -> Vec<String> {
    let mut names: Vec<String> = props(t, "AWS::CloudWatch::Alarm")
        .into_iter()
        .map(|a| {
            a["MetricName"]
                .as_str()
                .or_else(|| a["Metrics"][0]["MetricStat"]["Metric"]["MetricName"].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

/// The `CacheClusterId` dimension values an alarm reads, as `Fn::Sub` templates.
fn alarm_nodes(a: &J) -> Vec<String> {
    a["Metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Fn::Sub"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_alarm_notifies_the_encrypted_topic_on_alarm_and_ok() {
    for (name, _) in EXAMPLES {
        for env in ENVS {
            let t = template(name, env);
            if resources(&t, "AWS::CloudWatch::Alarm").is_empty() {
                continue;
            }
            let topic = only_id(&t, "AWS::SNS::Topic");
            assert_eq!(
                only(&t, "AWS::SNS::Topic")["KmsMasterKeyId"],
                json!({ "Fn::GetAtt": [only_id(&t, "AWS::KMS::Key"), "Arn"] })
            );
            for a in props(&t, "AWS::CloudWatch::Alarm") {
                assert_eq!(a["AlarmActions"], json!([{ "Ref": topic }]), "{name} ({env})");
                assert_eq!(a["OKActions"], json!([{ "Ref": topic }]), "{name} ({env})");
            }
            assert_eq!(output(&t, "AlarmTopicArn"), &json!({ "Ref": topic }));
        }
    }
}

// ---------------------------------------------------------------------------
// bi_cache_rate_limit (seed 000)

fn bi(env: Environment) -> J {
    template("bi_cache_rate_limit", env)
}

#[test]
fn bi_cache_rate_limit_deployed_in_ca_central_1() {
    for env in ENVS {
        let (artifact, _) = artifact("bi_cache_rate_limit", env);
        assert_eq!(artifact.region.as_deref(), Some("ca-central-1"));
        assert!(output(&artifact.template, "EstimatedMonthlyCost")
            .as_str()
            .unwrap()
            .ends_with("(on-demand, ca-central-1)"));
    }
}

#[test]
fn bi_cache_rate_limit_single_node_in_dev_and_perf_multi_az_in_prod() {
    for (env, node, clusters) in [
        (Environment::Dev, "cache.t4g.micro", 1),
        (Environment::Staging, "cache.t4g.small", 1),
        (Environment::Prod, "cache.m7g.large", 2),
    ] {
        let t = bi(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["CacheNodeType"], node, "{env}");
        assert_eq!(rg["NumCacheClusters"], clusters, "{env}");
        assert_eq!(rg["MultiAZEnabled"], clusters > 1, "{env}");
        assert_eq!(rg["AutomaticFailoverEnabled"], clusters > 1, "{env}");
    }
}

#[test]
fn bi_cache_rate_limit_tls_and_auth_token() {
    for env in ENVS {
        let t = bi(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["TransitEncryptionEnabled"], true);
        assert_eq!(rg["TransitEncryptionMode"], "required");
        assert_eq!(rg["AuthToken"], token_ref(only_id(&t, "AWS::SecretsManager::Secret")));
        assert_eq!(rg["AtRestEncryptionEnabled"], true);
        assert_eq!(rg["KmsKeyId"], json!({ "Fn::GetAtt": [only_id(&t, "AWS::KMS::Key"), "Arn"] }));
    }
}

#[test]
fn bi_cache_rate_limit_access_only_from_the_lambda_security_group() {
    for env in ENVS {
        let t = bi(env);
        has(
            &t,
            "AWS::EC2::SecurityGroupIngress",
            json!({ "FromPort": 6379, "ToPort": 6379, "IpProtocol": "tcp", "SourceSecurityGroupId": { "Ref": "LambdaSecurityGroupId" } }),
        );
        assert_eq!(resources(&t, "AWS::EC2::SecurityGroupIngress").len(), 1, "{env}");
    }
}

#[test]
fn bi_cache_rate_limit_short_lived_data_keeps_no_long_snapshots() {
    for (env, days) in [(Environment::Dev, 0), (Environment::Staging, 0), (Environment::Prod, 1)] {
        assert_eq!(only(&bi(env), "AWS::ElastiCache::ReplicationGroup")["SnapshotRetentionLimit"], days, "{env}");
    }
}

#[test]
fn bi_cache_rate_limit_outputs_host_port_and_secret() {
    for env in ENVS {
        let t = bi(env);
        let rg = only_id(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(output(&t, "RedisHost"), &json!({ "Fn::GetAtt": [rg, "PrimaryEndPoint.Address"] }));
        assert_eq!(output(&t, "RedisPort"), &json!({ "Fn::GetAtt": [rg, "PrimaryEndPoint.Port"] }));
        assert_eq!(
            output(&t, "RedisAuthTokenSecretArn"),
            &json!({ "Ref": only_id(&t, "AWS::SecretsManager::Secret") })
        );
        assert_eq!(output(&t, "RedisTls"), "true");
        assert_eq!(output(&t, "RedisPrefix"), "sin");
    }
}

#[test]
fn bi_cache_rate_limit_alarms_on_memory_evictions_connections_cpu_and_replication_lag() {
    for env in ENVS {
        let t = bi(env);
        let rg = only_id(&t, "AWS::ElastiCache::ReplicationGroup");
        let mut expected = vec![
            "BytesUsedForCache",
            "CPUUtilization",
            "CurrConnections",
            "DatabaseMemoryUsagePercentage",
            "EngineCPUUtilization",
            "Evictions",
            "SwapUsage",
        ];
        if env == Environment::Prod {
            expected.push("ReplicationLag");
            expected.sort();
        }
        assert_eq!(alarm_metrics(&t), expected, "{env}");
        let nodes: Vec<String> =
            (1..=if env == Environment::Prod { 2 } else { 1 }).map(|n| format!("${{{rg}}}-00{n}")).collect();
        assert_eq!(alarm_nodes(alarm(&t, "CPUUtilization")), nodes, "{env}: every node, by its real id");
        if env == Environment::Prod {
            // Every node: the replica becomes the primary after a failover.
            assert_eq!(alarm_nodes(alarm(&t, "ReplicationLag")), nodes);
        }
    }
}

// ---------------------------------------------------------------------------
// managed_redis_with_alarms (seed 001)

fn managed(env: Environment) -> J {
    template("managed_redis_with_alarms", env)
}

#[test]
fn managed_redis_primary_plus_replica_t4g_micro_redis_7_1() {
    for (env, clusters) in [(Environment::Dev, 1), (Environment::Staging, 2), (Environment::Prod, 2)] {
        let t = managed(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["CacheNodeType"], "cache.t4g.micro");
        assert_eq!(rg["Engine"], "redis");
        assert_eq!(rg["EngineVersion"], "7.1");
        assert_eq!(rg["NumCacheClusters"], clusters, "{env}");
        assert_eq!(rg["MultiAZEnabled"], clusters > 1, "{env}");
        assert_eq!(rg["AutomaticFailoverEnabled"], clusters > 1, "{env}");
        assert_eq!(rg["AutoMinorVersionUpgrade"], true);
    }
}

#[test]
fn managed_redis_kms_at_rest_tls_and_auth_token_in_secrets_manager() {
    for env in ENVS {
        let t = managed(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        let key = only_id(&t, "AWS::KMS::Key");
        assert_eq!(only(&t, "AWS::KMS::Key")["EnableKeyRotation"], true);
        assert_eq!(rg["AtRestEncryptionEnabled"], true);
        assert_eq!(rg["KmsKeyId"], json!({ "Fn::GetAtt": [key, "Arn"] }));
        assert_eq!(rg["TransitEncryptionEnabled"], true);
        assert_eq!(rg["AuthToken"], token_ref(auth_token_id(&t)));
    }
}

/// The logical id of the generated AUTH token secret (the Upstash secret of option
/// B is the other one).
fn auth_token_id(t: &J) -> &str {
    let generated: Vec<&str> = resources(t, "AWS::SecretsManager::Secret")
        .into_iter()
        .filter(|(_, r)| r["Properties"].get("GenerateSecretString").is_some())
        .map(|(id, _)| id)
        .collect();
    assert_eq!(generated.len(), 1, "one generated token");
    generated[0]
}

#[test]
fn managed_redis_option_b_upstash_instead_of_elasticache() {
    for env in ENVS {
        let t = managed(env);
        // the seed's switches: create_elasticache (default true) and use_upstash (default false)
        for (p, default) in [("CreateElastiCache", "true"), ("UseUpstash", "false")] {
            assert_eq!(t["Parameters"][p]["Default"], default, "{env} {p}");
            assert_eq!(t["Parameters"][p]["AllowedValues"], json!(["true", "false"]), "{env} {p}");
        }
        assert_eq!(
            t["Conditions"]["CreateElastiCacheCondition"],
            json!({ "Fn::Equals": [{ "Ref": "CreateElastiCache" }, "true"] })
        );
        assert_eq!(t["Conditions"]["UseUpstashCondition"], json!({ "Fn::Equals": [{ "Ref": "UseUpstash" }, "true"] }));
        // with CreateElastiCache=false nothing of option A is created: every resource
        // but the shared KMS key, and every output but the Upstash secret's, has the condition
        for (id, r) in t["Resources"].as_object().unwrap() {
            let want = match r["Type"].as_str().unwrap() {
                "AWS::KMS::Key" => None,
                _ if id.starts_with("UpstashSecret") || id == "ReadUpstashSecret" => Some("UseUpstashCondition"),
                _ => Some("CreateElastiCacheCondition"),
            };
            assert_eq!(r["Condition"].as_str(), want, "{env} {id}");
        }
        for (id, o) in t["Outputs"].as_object().unwrap() {
            let want = if id == "UpstashSecretArn" { "UseUpstashCondition" } else { "CreateElastiCacheCondition" };
            assert_eq!(o["Condition"], want, "{env} output {id}");
        }
        // with UseUpstash=true: the REST URL and token from NoEcho parameters, in a
        // KMS-encrypted secret of the seed's shape, with a policy to read it
        for p in ["UpstashRedisUrl", "UpstashRedisToken"] {
            assert_eq!(t["Parameters"][p]["NoEcho"], true, "{env} {p}");
        }
        let (secret_id, secret) = resources(&t, "AWS::SecretsManager::Secret")
            .into_iter()
            .find(|(id, _)| id.starts_with("UpstashSecret"))
            .expect("the Upstash secret");
        assert_eq!(
            secret["Properties"]["SecretString"],
            json!({ "Fn::Sub": "{\"url\":\"${UpstashRedisUrl}\",\"token\":\"${UpstashRedisToken}\"}" })
        );
        assert_eq!(secret["Properties"]["KmsKeyId"], json!({ "Fn::GetAtt": [only_id(&t, "AWS::KMS::Key"), "Arn"] }));
        let policy = &t["Resources"]["ReadUpstashSecret"]["Properties"]["PolicyDocument"];
        assert_eq!(policy["Statement"][0]["Resource"], json!([{ "Ref": secret_id }]), "{env}");
        assert_eq!(output(&t, "UpstashSecretArn"), &json!({ "Ref": secret_id }));
    }
}

#[test]
fn managed_redis_daily_snapshots_kept_7_days_none_in_dev_and_maintenance_window() {
    for (env, days) in [(Environment::Dev, 0), (Environment::Staging, 7), (Environment::Prod, 7)] {
        let t = managed(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["SnapshotRetentionLimit"], days, "{env}");
        assert_eq!(rg["SnapshotWindow"], "03:00-04:00");
        assert_eq!(rg["PreferredMaintenanceWindow"], "sun:05:00-sun:06:00");
    }
}

#[test]
fn managed_redis_outputs_the_seed_lists() {
    for env in ENVS {
        let t = managed(env);
        let rg = only_id(&t, "AWS::ElastiCache::ReplicationGroup");
        let host = format!("${{{rg}.PrimaryEndPoint.Address}}");
        let port = format!("${{{rg}.PrimaryEndPoint.Port}}");
        assert_eq!(output(&t, "RedisEndpoint"), &json!({ "Fn::GetAtt": [rg, "PrimaryEndPoint.Address"] }));
        assert_eq!(output(&t, "RedisPort"), &json!({ "Fn::GetAtt": [rg, "PrimaryEndPoint.Port"] }));
        assert_eq!(output(&t, "RedisConnectionString"), &json!({ "Fn::Sub": format!("rediss://{host}:{port}") }));
        assert_eq!(output(&t, "RedisAuthTokenSecretArn"), &json!({ "Ref": auth_token_id(&t) }));
        assert!(output(&t, "DeploymentInfo").as_str().unwrap().starts_with("redis 7.1 on "));
        let cost = output(&t, "EstimatedMonthlyCost").as_str().unwrap();
        let expected = if env == Environment::Dev { "~$11.68/month" } else { "~$23.36/month" };
        assert!(cost.starts_with(expected), "{env}: {cost}");
    }
}

#[test]
fn managed_redis_the_four_alarms_to_an_sns_topic() {
    for env in ENVS {
        let t = managed(env);
        let rg = only_id(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(alarm_metrics(&t), ["CPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "SwapUsage"]);
        for (metric, threshold) in [
            ("CPUUtilization", json!(75)),
            ("DatabaseMemoryUsagePercentage", json!(90)),
            ("Evictions", json!(1000)),
            ("SwapUsage", json!(52_428_800)),
        ] {
            let a = alarm(&t, metric);
            assert_eq!(a["ComparisonOperator"], "GreaterThanThreshold", "{metric}");
            assert_eq!(a["Threshold"], threshold, "{metric}");
            let nodes: Vec<String> =
                (1..=if env == Environment::Dev { 1 } else { 2 }).map(|n| format!("${{{rg}}}-00{n}")).collect();
            assert_eq!(alarm_nodes(a), nodes, "{env} {metric}");
        }
        assert_eq!(resources(&t, "AWS::SNS::Topic").len(), 1);
    }
}

// ---------------------------------------------------------------------------
// ownership_cache (seed 002)

fn ownership(env: Environment) -> J {
    template("ownership_cache", env)
}

#[test]
fn ownership_cache_t4g_micro_single_node_in_dev_and_staging() {
    for env in [Environment::Dev, Environment::Staging] {
        let t = ownership(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["CacheNodeType"], "cache.t4g.micro");
        assert_eq!(rg["NumCacheClusters"], 1);
        assert_eq!(rg["SnapshotRetentionLimit"], 0, "the cache rebuilds from DynamoDB");
        assert_eq!(rg["UserGroupIds"], json!([{ "Ref": only_id(&t, "AWS::ElastiCache::UserGroup") }]));
        assert_eq!(only(&t, "AWS::ElastiCache::ParameterGroup")["Properties"]["maxmemory-policy"], "allkeys-lru");
        assert_eq!(resources(&t, "AWS::ElastiCache::ServerlessCache").len(), 0);
        assert_eq!(output(&t, "CacheMode"), "node");
    }
}

#[test]
fn ownership_cache_serverless_in_prod() {
    let t = ownership(Environment::Prod);
    assert_eq!(resources(&t, "AWS::ElastiCache::ReplicationGroup").len(), 0);
    let cache = only(&t, "AWS::ElastiCache::ServerlessCache");
    assert_eq!(cache["Engine"], "redis");
    assert_eq!(cache["MajorEngineVersion"], "7");
    assert_eq!(cache["CacheUsageLimits"]["DataStorage"], json!({ "Maximum": 10, "Unit": "GB" }));
    assert_eq!(cache["UserGroupId"], json!({ "Ref": only_id(&t, "AWS::ElastiCache::UserGroup") }));
    assert_eq!(cache["KmsKeyId"], json!({ "Fn::GetAtt": [only_id(&t, "AWS::KMS::Key"), "Arn"] }));
    assert_eq!(output(&t, "CacheMode"), "serverless");
    // Readers connect on 6380: the ingress covers both ports, from the function only.
    has(
        &t,
        "AWS::EC2::SecurityGroupIngress",
        json!({ "FromPort": 6379, "ToPort": 6380, "SourceSecurityGroupId": { "Ref": "LambdaSecurityGroupId" } }),
    );
}

#[test]
fn ownership_cache_reachable_from_the_lambda_security_group() {
    for env in ENVS {
        let t = ownership(env);
        let cache_sg =
            resources(&t, "AWS::EC2::SecurityGroup").into_iter().find(|(id, _)| id.starts_with("Access")).unwrap().0;
        let to_cache: Vec<&J> = props(&t, "AWS::EC2::SecurityGroupIngress")
            .into_iter()
            .filter(|r| r["GroupId"] == json!({ "Fn::GetAtt": [cache_sg, "GroupId"] }))
            .collect();
        assert_eq!(to_cache.len(), 1, "{env}");
        assert_eq!(to_cache[0]["SourceSecurityGroupId"], json!({ "Ref": "LambdaSecurityGroupId" }));
        assert_eq!(to_cache[0]["FromPort"], 6379);
    }
}

#[test]
fn ownership_cache_app_user_limited_to_own_keys_default_user_off() {
    for env in ENVS {
        let t = ownership(env);
        let token = resources(&t, "AWS::SecretsManager::Secret")
            .into_iter()
            .find(|(_, r)| r["Properties"].get("GenerateSecretString").is_some())
            .unwrap()
            .0;
        has(
            &t,
            "AWS::ElastiCache::User",
            json!({ "UserName": "default", "AccessString": "off", "AuthenticationMode": { "Type": "password", "Passwords": [token_ref(token)] } }),
        );
        has(
            &t,
            "AWS::ElastiCache::User",
            json!({ "UserName": "ownership-app", "AuthenticationMode": { "Type": "password", "Passwords": [token_ref(token)] } }),
        );
        let app = props(&t, "AWS::ElastiCache::User").into_iter().find(|u| u["UserName"] == "ownership-app").unwrap();
        assert!(app["AccessString"].as_str().unwrap().starts_with("on ~own:* "), "{env}: {}", app["AccessString"]);
    }
}

#[test]
fn ownership_cache_gateway_endpoints_for_dynamodb_and_s3_and_cognito_interface_endpoint() {
    for env in ENVS {
        let t = ownership(env);
        for service in ["dynamodb", "s3"] {
            has(
                &t,
                "AWS::EC2::VPCEndpoint",
                json!({
                    "ServiceName": { "Fn::Sub": format!("com.amazonaws.${{AWS::Region}}.{service}") },
                    "VpcEndpointType": "Gateway",
                    "RouteTableIds": { "Ref": "RouteTableIds" },
                    "VpcId": { "Ref": "VpcId" },
                }),
            );
        }
        has(
            &t,
            "AWS::EC2::VPCEndpoint",
            json!({
                "ServiceName": { "Fn::Sub": "com.amazonaws.${AWS::Region}.cognito-idp" },
                "VpcEndpointType": "Interface",
                "PrivateDnsEnabled": true,
                "SubnetIds": { "Ref": "SubnetIds" },
            }),
        );
        has(
            &t,
            "AWS::EC2::SecurityGroupIngress",
            json!({ "FromPort": 443, "ToPort": 443, "SourceSecurityGroupId": { "Ref": "LambdaSecurityGroupId" } }),
        );
        assert_eq!(resources(&t, "AWS::EC2::VPCEndpoint").len(), 3);
    }
}

#[test]
fn ownership_cache_alarms_on_bytes_used_and_the_applications_hit_and_error_rates() {
    for env in ENVS {
        let t = ownership(env);
        assert_eq!(alarm_metrics(&t), ["BytesUsedForCache", "ErrorRate", "HitRate"], "{env}");
        let bytes = alarm(&t, "BytesUsedForCache");
        let expected = if env == Environment::Prod { 8_000_000_000_u64 } else { 429_496_730 };
        assert_eq!(bytes["Threshold"], expected, "{env}: 80 % of the node's memory or of the storage limit");
        if env == Environment::Prod {
            let cache = only_id(&t, "AWS::ElastiCache::ServerlessCache");
            assert_eq!(bytes["Dimensions"], json!([{ "Name": "clusterId", "Value": { "Ref": cache } }]));
        } else {
            let rg = only_id(&t, "AWS::ElastiCache::ReplicationGroup");
            assert_eq!(alarm_nodes(bytes), [format!("${{{rg}}}-001")]);
        }
        let errors = alarm(&t, "ErrorRate");
        assert_eq!(
            (&errors["Namespace"], &errors["ComparisonOperator"], &errors["Threshold"], &errors["Period"]),
            (&json!("CasfaCache"), &json!("GreaterThanThreshold"), &json!(10), &json!(300))
        );
        let hits = alarm(&t, "HitRate");
        assert_eq!(
            (&hits["Namespace"], &hits["ComparisonOperator"], &hits["Threshold"], &hits["Period"]),
            (&json!("CasfaCache"), &json!("LessThanThreshold"), &json!(20), &json!(3600))
        );
    }
}

#[test]
fn ownership_cache_connection_secret_holds_redis_url_by_reference() {
    for env in ENVS {
        let t = ownership(env);
        let doc = props(&t, "AWS::SecretsManager::Secret")
            .into_iter()
            .find_map(|s| s["SecretString"]["Fn::Sub"].as_str())
            .expect("a connection secret")
            .to_string();
        assert!(doc.contains(r#""username":"ownership-app""#), "{doc}");
        assert!(doc.contains(r#""url":"rediss://ownership-app:{{resolve:secretsmanager:"#), "{doc}");
        assert!(doc.contains(r#""tls":true"#), "{doc}");
    }
}

// ---------------------------------------------------------------------------
// chat_split (seed 003)

#[test]
fn chat_split_single_mode_in_dev_and_staging() {
    for (env, node, clusters) in [(Environment::Dev, "cache.t3.micro", 1), (Environment::Staging, "cache.t3.small", 2)]
    {
        let t = template("chat_split", env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["CacheNodeType"], node, "{env}");
        assert_eq!(rg["NumCacheClusters"], clusters, "{env}");
        assert_eq!(rg["MultiAZEnabled"], clusters > 1, "{env}");
        assert_eq!(rg["AutomaticFailoverEnabled"], clusters > 1, "{env}");
        assert_eq!(output(&t, "RedisMode"), "single");
    }
}

#[test]
fn chat_split_split_mode_in_prod_with_own_node_types_and_replicas() {
    let t = template("chat_split", Environment::Prod);
    let rgs = resources(&t, "AWS::ElastiCache::ReplicationGroup");
    assert_eq!(rgs.len(), 2);
    let adapter = &t["Resources"][rgs.iter().find(|(id, _)| id.starts_with("RedisAdapter")).unwrap().0]["Properties"];
    let state = &t["Resources"][rgs.iter().find(|(id, _)| id.starts_with("RedisState")).unwrap().0]["Properties"];
    assert_eq!(adapter["CacheNodeType"], "cache.r6g.large");
    assert_eq!(state["CacheNodeType"], "cache.m6g.large");
    for rg in [adapter, state] {
        assert_eq!(rg["NumCacheClusters"], 2);
        assert_eq!(rg["MultiAZEnabled"], true);
        assert_eq!(rg["AutomaticFailoverEnabled"], true);
    }
    assert_eq!(output(&t, "RedisMode"), "split");
}

#[test]
fn chat_split_parameter_group_tuned_for_socket_io() {
    for env in ENVS {
        let t = template("chat_split", env);
        let pg = only(&t, "AWS::ElastiCache::ParameterGroup");
        assert_eq!(pg["CacheParameterGroupFamily"], "redis7");
        assert_eq!(
            pg["Properties"],
            json!({
                "maxmemory-policy": "volatile-lru",
                "notify-keyspace-events": "Ex",
                "timeout": "0",
                "tcp-keepalive": "300",
            }),
            "{env}"
        );
        let id = only_id(&t, "AWS::ElastiCache::ParameterGroup");
        for rg in props(&t, "AWS::ElastiCache::ReplicationGroup") {
            assert_eq!(rg["CacheParameterGroupName"], json!({ "Ref": id }), "{env}");
            assert_eq!(rg["Engine"], "redis");
            assert_eq!(rg["EngineVersion"], "7.1");
        }
    }
}

#[test]
fn chat_split_generated_32_character_alphanumeric_auth_token() {
    for env in ENVS {
        let t = template("chat_split", env);
        has(
            &t,
            "AWS::SecretsManager::Secret",
            json!({ "GenerateSecretString": { "PasswordLength": 32, "ExcludePunctuation": true, "IncludeSpace": false } }),
        );
        let secret = only_id(&t, "AWS::SecretsManager::Secret");
        for rg in props(&t, "AWS::ElastiCache::ReplicationGroup") {
            assert_eq!(rg["AuthToken"], token_ref(secret), "{env}");
            assert_eq!(rg["TransitEncryptionEnabled"], true);
            assert_eq!(rg["TransitEncryptionMode"], "required");
            assert_eq!(rg["AtRestEncryptionEnabled"], true);
        }
    }
}

#[test]
fn chat_split_offset_maintenance_and_snapshot_windows() {
    for env in [Environment::Dev, Environment::Staging] {
        let t = template("chat_split", env);
        has(
            &t,
            "AWS::ElastiCache::ReplicationGroup",
            json!({ "PreferredMaintenanceWindow": "sun:05:00-sun:06:00", "SnapshotWindow": "03:00-04:00" }),
        );
    }
    let t = template("chat_split", Environment::Prod);
    let rgs = resources(&t, "AWS::ElastiCache::ReplicationGroup");
    let windows: Vec<(&str, &J, &J)> = rgs
        .iter()
        .map(|(id, r)| (*id, &r["Properties"]["PreferredMaintenanceWindow"], &r["Properties"]["SnapshotWindow"]))
        .collect();
    assert!(windows[0].0.starts_with("RedisAdapter"));
    assert_eq!((windows[0].1, windows[0].2), (&json!("sun:05:00-sun:06:00"), &json!("03:00-04:00")));
    assert!(windows[1].0.starts_with("RedisState"));
    assert_eq!((windows[1].1, windows[1].2), (&json!("sun:06:00-sun:07:00"), &json!("04:00-05:00")));
}

#[test]
fn chat_split_snapshot_retention_7_in_prod_1_elsewhere() {
    for (env, days) in [(Environment::Dev, 1), (Environment::Staging, 1), (Environment::Prod, 7)] {
        let t = template("chat_split", env);
        for rg in props(&t, "AWS::ElastiCache::ReplicationGroup") {
            assert_eq!(rg["SnapshotRetentionLimit"], days, "{env}");
        }
    }
}

#[test]
fn chat_split_adapter_and_state_endpoints_in_both_modes() {
    for env in ENVS {
        let t = template("chat_split", env);
        let adapter = output(&t, "AdapterEndpoint");
        let state = output(&t, "StateEndpoint");
        assert_eq!(adapter["Fn::GetAtt"][1], "PrimaryEndPoint.Address");
        assert_eq!(state["Fn::GetAtt"][1], "PrimaryEndPoint.Address");
        assert_eq!(output(&t, "AdapterPort")["Fn::GetAtt"][1], "PrimaryEndPoint.Port");
        assert_eq!(output(&t, "StatePort")["Fn::GetAtt"][1], "PrimaryEndPoint.Port");
        // One cluster behind both endpoints in single mode, two in split mode.
        assert_eq!(adapter == state, env != Environment::Prod, "{env}");
    }
}

// ---------------------------------------------------------------------------
// tenant_sharded (seed 004, AC1 to AC10)

fn tenant(env: Environment) -> J {
    template("tenant_sharded", env)
}

#[test]
fn tenant_sharded_ac1_redis_7_or_later() {
    for env in ENVS {
        let rg = only(&tenant(env), "AWS::ElastiCache::ReplicationGroup").clone();
        assert_eq!(rg["Engine"], "redis");
        let major: u32 = rg["EngineVersion"].as_str().unwrap().split('.').next().unwrap().parse().unwrap();
        assert!(major >= 7, "{env}: {}", rg["EngineVersion"]);
    }
}

#[test]
fn tenant_sharded_ac2_node_type_per_environment() {
    for (env, node) in [
        (Environment::Dev, "cache.t3.micro"),
        (Environment::Staging, "cache.t3.small"),
        (Environment::Prod, "cache.r5.large"),
    ] {
        assert_eq!(only(&tenant(env), "AWS::ElastiCache::ReplicationGroup")["CacheNodeType"], node, "{env}");
    }
}

#[test]
fn tenant_sharded_ac3_two_shards_in_staging_and_prod() {
    for (env, shards, replicas) in [(Environment::Dev, 1, 0), (Environment::Staging, 2, 1), (Environment::Prod, 2, 1)] {
        let t = tenant(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["NumNodeGroups"], shards, "{env}");
        assert_eq!(rg["ReplicasPerNodeGroup"], replicas, "{env}");
        assert!(rg.get("NumCacheClusters").is_none());
        assert_eq!(only(&t, "AWS::ElastiCache::ParameterGroup")["Properties"]["cluster-enabled"], "yes");
    }
}

#[test]
fn tenant_sharded_ac4_multi_az_with_automatic_failover_where_there_are_replicas() {
    for (env, multi_az) in [(Environment::Dev, false), (Environment::Staging, true), (Environment::Prod, true)] {
        let t = tenant(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["MultiAZEnabled"], multi_az, "{env}");
        // Cluster mode requires the flag even without a replica to fail over to.
        assert_eq!(rg["AutomaticFailoverEnabled"], true, "{env}");
    }
}

#[test]
fn tenant_sharded_ac5_tls_required_with_auth_token() {
    for env in ENVS {
        let t = tenant(env);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["TransitEncryptionEnabled"], true);
        assert_eq!(rg["TransitEncryptionMode"], "required");
        let token_secret = resources(&t, "AWS::SecretsManager::Secret")
            .into_iter()
            .find(|(_, r)| r["Properties"].get("GenerateSecretString").is_some())
            .unwrap()
            .0;
        assert_eq!(rg["AuthToken"], token_ref(token_secret));
        has(
            &t,
            "AWS::SecretsManager::Secret",
            json!({ "GenerateSecretString": { "PasswordLength": 64, "ExcludePunctuation": true } }),
        );
    }
}

#[test]
fn tenant_sharded_ac6_at_rest_with_customer_kms_key_with_rotation() {
    for env in ENVS {
        let t = tenant(env);
        let key = only_id(&t, "AWS::KMS::Key");
        assert_eq!(only(&t, "AWS::KMS::Key")["EnableKeyRotation"], true);
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["AtRestEncryptionEnabled"], true);
        assert_eq!(rg["KmsKeyId"], json!({ "Fn::GetAtt": [key, "Arn"] }));
        for s in props(&t, "AWS::SecretsManager::Secret") {
            assert_eq!(s["KmsKeyId"], json!({ "Fn::GetAtt": [key, "Arn"] }), "{env}: secrets use the key too");
        }
    }
}

#[test]
fn tenant_sharded_ac7_connection_details_in_secrets_manager() {
    for env in ENVS {
        let t = tenant(env);
        let rg = only_id(&t, "AWS::ElastiCache::ReplicationGroup");
        let token = resources(&t, "AWS::SecretsManager::Secret")
            .into_iter()
            .find(|(_, r)| r["Properties"].get("GenerateSecretString").is_some())
            .unwrap()
            .0;
        let connection = resources(&t, "AWS::SecretsManager::Secret")
            .into_iter()
            .find(|(_, r)| r["Properties"].get("SecretString").is_some())
            .expect("a connection secret")
            .1;
        let doc = connection["Properties"]["SecretString"]["Fn::Sub"].as_str().expect("one Fn::Sub string");
        let host = format!("${{{rg}.ConfigurationEndPoint.Address}}");
        let port = format!("${{{rg}.ConfigurationEndPoint.Port}}");
        let token = format!("{{{{resolve:secretsmanager:${{{token}}}:SecretString:token::}}}}");
        assert_eq!(
            doc,
            format!(
                r#"{{"primary_endpoint":"{host}","reader_endpoint":"{host}","port":{port},"auth_token":"{token}","ssl_enabled":true,"connection_uri":"rediss://:{token}@{host}:{port}"}}"#
            ),
            "{env}"
        );
        // With every reference replaced, the document is JSON with the seed's fields.
        let sample = doc.replace(&host, "h").replace(&port, "6379").replace(&token, "t");
        let parsed: J = serde_json::from_str(&sample).unwrap_or_else(|e| panic!("{env}: {e}: {sample}"));
        assert_eq!(parsed["port"], 6379);
        assert_eq!(parsed["ssl_enabled"], true);
        assert_eq!(output(&t, "ConnectionSecretArn"), &json!({ "Ref": only_id_with(&t, "SecretString") }));
    }
}

fn only_id_with<'a>(t: &'a J, property: &str) -> &'a str {
    resources(t, "AWS::SecretsManager::Secret")
        .into_iter()
        .find(|(_, r)| r["Properties"].get(property).is_some())
        .unwrap()
        .0
}

#[test]
fn tenant_sharded_ac7_least_privilege_policy_reads_the_connection_secret() {
    for env in ENVS {
        let t = tenant(env);
        let key = only_id(&t, "AWS::KMS::Key");
        let policy = only(&t, "AWS::IAM::ManagedPolicy");
        assert_eq!(
            policy["PolicyDocument"]["Statement"],
            json!([
                {
                    "Sid": "ReadRedisSecret",
                    "Effect": "Allow",
                    "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    "Resource": [{ "Ref": only_id_with(&t, "SecretString") }],
                },
                {
                    "Sid": "DecryptRedisSecretViaSecretsManager",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": [{ "Fn::GetAtt": [key, "Arn"] }],
                    "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com" } } },
                },
            ]),
            "{env}"
        );
        assert_eq!(output(&t, "ReadConnectionPolicyArn"), &json!({ "Ref": only_id(&t, "AWS::IAM::ManagedPolicy") }));
    }
}

#[test]
fn tenant_sharded_ac8_ingress_only_from_the_kubernetes_nodes_on_6379() {
    for env in ENVS {
        let t = tenant(env);
        let sg = only_id(&t, "AWS::EC2::SecurityGroup");
        assert_eq!(
            only(&t, "AWS::EC2::SecurityGroupIngress"),
            &json!({
                "Description": "Redis from the Kubernetes nodes",
                "FromPort": 6379,
                "GroupId": { "Fn::GetAtt": [sg, "GroupId"] },
                "IpProtocol": "tcp",
                "SourceSecurityGroupId": { "Ref": "K8sNodeSecurityGroupId" },
                "ToPort": 6379,
            })
        );
        let rg = only(&t, "AWS::ElastiCache::ReplicationGroup");
        assert_eq!(rg["SecurityGroupIds"], json!([{ "Fn::GetAtt": [sg, "GroupId"] }]));
        assert_eq!(rg["Port"], 6379);
    }
}

#[test]
fn tenant_sharded_ac9_allkeys_lru_and_the_seed_parameters() {
    for env in ENVS {
        let t = tenant(env);
        assert_eq!(
            only(&t, "AWS::ElastiCache::ParameterGroup")["Properties"],
            json!({
                "maxmemory-policy": "allkeys-lru",
                "tcp-keepalive": "300",
                "timeout": "0",
                "notify-keyspace-events": "Exe",
                "reserved-memory-percent": "25",
                "cluster-enabled": "yes",
            })
        );
    }
}

#[test]
fn tenant_sharded_ac10_key_namespacing_documented() {
    for env in ENVS {
        let t = tenant(env);
        let ns = &t["Metadata"]["KeyNamespacing"];
        assert_eq!(ns["Format"], "{tenant_id}:{scope}:{key_identifier}");
        let scopes: Vec<(&str, &str)> = ns["Scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["Scope"].as_str().unwrap(), s["Ttl"].as_str().unwrap()))
            .collect();
        assert_eq!(
            scopes,
            [("session", "24 hours"), ("llm_cache", "1-7 days"), ("rate_limit", "1 minute"), ("temp", "1 hour")]
        );
        // cluster mode everywhere: where multi-key commands need a hash tag (tests/local.rs
        // checks the claim on a real cluster)
        let multi = ns["MultiKeyCommands"].as_str().unwrap();
        assert!(multi.contains("CROSSSLOT") && multi.contains("{tenant_acme}:session:user_12345"), "{multi}");
    }
}

/// Every construct rule (CON...) of the rule table is exercised by a test of the
/// workspace with its exact message: the construct tests in `constructs/tests/`
/// or the requirement tests here.
#[test]
fn every_construct_rule_has_a_test_with_its_message() {
    let here = [
        include_str!("../constructs/tests/replication_group.rs"),
        include_str!("../constructs/tests/serverless.rs"),
        include_str!("../constructs/tests/users.rs"),
        include_str!("../constructs/tests/alarms.rs"),
        include_str!("examples.rs"),
    ]
    .concat();
    for r in redis_cdk::validate::rules::RULES.iter().filter(|r| r.id.starts_with("CON")) {
        assert!(here.contains(&format!("[{}] ", r.id)), "{} has no test with its message", r.id);
    }
}
