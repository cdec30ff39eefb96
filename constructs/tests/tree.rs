//! The construct tree and synth, through the public API: logical ids, errors
//! (exact messages), cross-stack references, tags, removal policies, determinism.

use redis_cdk::assertions::Template;
use redis_cdk::cfn::ec2::CfnSecurityGroup;
use redis_cdk::cfn::sns::CfnTopic;
use redis_cdk::cfn::ResourceDef;
use redis_cdk::{App, DependsOn, Output, Parameter, ParameterType, RemovalPolicy, SynthError, Value};
use serde_json::json;

fn errors(e: SynthError) -> Vec<String> {
    e.errors().map(|d| d.to_string()).collect()
}

fn synth_errors(app: &App) -> Vec<String> {
    errors(app.synth().expect_err("synth should fail"))
}

#[test]
fn logical_ids_follow_the_cdk_algorithm() {
    let mut app = App::new();
    let stack = app.add_stack("CoreStack");
    let mut root = stack.root();
    let mut cache = root.child("Cache");
    cache.add_resource("Resource", CfnTopic::new());
    cache.child("SecurityGroup").add_resource("Resource", CfnSecurityGroup::new("sg"));
    root.child("Default").child("Redis").child("Default").add_resource("Resource", CfnTopic::new());
    root.add_parameter("EnvName", Parameter::new(ParameterType::String));
    let a = app.synth().unwrap();
    let ids: Vec<&String> = a.stacks[0].logical_ids.keys().collect();
    assert_eq!(ids, ["Cache18F6EE16", "CacheSecurityGroup79A9F160", "RedisFF642DF2", "EnvName"]);
    assert_eq!(a.stacks[0].logical_ids["CacheSecurityGroup79A9F160"], "Cache/SecurityGroup/Resource");
}

#[test]
fn fails_on_every_tree_mistake_at_once() {
    let mut app = App::new();
    app.add_stack("1bad_name");
    let stack = app.add_stack("Good");
    let mut root = stack.root();
    root.add_resource("Topic", CfnTopic::new());
    root.add_resource("Topic", CfnTopic::new());
    root.add_resource("", CfnTopic::new());
    app.add_stack("Good");
    assert_eq!(
        synth_errors(&app),
        [
            "[1bad_name] [APP001] stack name must match ^[A-Za-z][A-Za-z0-9-]*$ and be at most 128 characters, got '1bad_name'; use letters, digits and hyphens, starting with a letter",
            "[Good] [APP002] there is already a stack named 'Good' in the app; give each stack its own name",
            "[Good/Topic] [APP004] there is already a construct with id 'Topic' in Good; give each sibling its own id",
            "[Good] [APP004] only the root may have an empty id; give the construct an id",
            "[1bad_name] [TPL009] a template must have a Resources section",
            "[Good#2] [TPL009] a template must have a Resources section",
        ]
    );
}

#[test]
fn logical_id_overrides_and_collisions() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let a = stack.root().add_resource("A", CfnTopic::new());
    let b = stack.root().add_resource("B", CfnTopic::new());
    stack.override_logical_id(a.target(), "Alerts");
    let ok = app.synth().unwrap();
    assert!(ok.stacks[0].template["Resources"].get("Alerts").is_some());

    let stack = app.stack_mut("S").unwrap();
    stack.override_logical_id(b.target(), "Alerts");
    assert_eq!(
        synth_errors(&app),
        ["[S/B] [APP007] two elements have the logical id 'Alerts': S/A and S/B; rename one construct or change its logical id override"]
    );
    let stack = app.stack_mut("S").unwrap();
    stack.override_logical_id(b.target(), "not-valid");
    assert_eq!(
        synth_errors(&app),
        [
            "[S/B] [TPL006] logical id 'not-valid' must match ^[A-Za-z0-9]{1,255}$; choose an override of letters and digits",
            "[S/B] [TPL006] logical id 'not-valid' in Resources must match ^[A-Za-z0-9]{1,255}$",
        ]
    );
}

#[test]
fn dangling_references_fail_with_the_construct_path() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let mut root = stack.root();
    root.child("Alerts").add_resource("Resource", CfnTopic::new().topic_name(Value::RefLogicalId("Nope".into())));
    root.add_resource("Other", ResourceDef::from(CfnTopic::new()).depends_on(DependsOn::LogicalId("Gone".into())));
    assert_eq!(
        synth_errors(&app),
        [
            "[S/Alerts/Resource] [TPL001] Properties.TopicName: Ref to 'Nope', which is not a resource, parameter or pseudo parameter of this template",
            "[S/Other] [TPL003] DependsOn.0: DependsOn 'Gone', which is not a resource of this template",
        ]
    );
}

#[test]
fn getatt_of_an_unknown_attribute_fails() {
    let mut app = App::new();
    let stack = app.add_stack("S");
    let topic = stack.root().add_resource("Topic", CfnTopic::new());
    stack.root().add_output("Bad", Output::new(topic.get_att("Nope")));
    assert_eq!(synth_errors(&app), ["[S/Bad] [TPL002] Value: AWS::SNS::Topic has no attribute 'Nope'; it has ContentBasedDeduplication, DisplayName, FifoThroughputScope, FifoTopic, KmsMasterKeyId, MaximumMessageSize, SignatureVersion, TopicArn, TopicName, TracingConfig"]);
}

#[test]
fn cross_stack_references_export_and_import() {
    let mut app = App::new();
    let core = app.add_stack("CoreStack");
    let rg = redis_cdk::cfn::elasticache::CfnReplicationGroup::new("cache")
        .num_cache_clusters(1)
        .cache_node_type("cache.t4g.micro")
        .engine("redis");
    let rg = core.root().child("Cache").add_resource("Resource", rg);
    let consumer = app.add_stack("Consumer");
    consumer.root().add_resource("Sub", CfnTopic::new().display_name(rg.get_att("PrimaryEndPoint.Address")));
    let a = app.synth().unwrap();
    let producer = &a.stacks[0].template;
    assert_eq!(
        producer["Outputs"]["ExportsOutputFnGetAttCache18F6EE16PrimaryEndPointAddressB79A7563"],
        json!({"Value": {"Fn::GetAtt": ["Cache18F6EE16", "PrimaryEndPoint.Address"]}, "Export": {"Name": "CoreStack:ExportsOutputFnGetAttCache18F6EE16PrimaryEndPointAddressB79A7563"}})
    );
    assert_eq!(
        a.stacks[1].template["Resources"]["Sub"]["Properties"]["DisplayName"],
        json!({"Fn::ImportValue": "CoreStack:ExportsOutputFnGetAttCache18F6EE16PrimaryEndPointAddressB79A7563"})
    );
    assert_eq!(a.stacks[1].dependencies, ["CoreStack"]);
    assert_eq!(a.manifest()["artifacts"]["Consumer"]["dependencies"], json!(["CoreStack"]));
}

#[test]
fn exports_added_for_a_later_stack_are_checked_with_the_producer() {
    // The producer is checked while the consumer is still being rendered; the
    // export the consumer needs takes it past the 200-output limit, which must
    // still be found (synth checks a template again once it gains exports).
    let build = |outputs: usize| {
        let mut app = App::new();
        let core = app.add_stack("Core");
        let topic = core.root().add_resource("Topic", CfnTopic::new());
        for i in 0..outputs {
            core.root().add_output(&format!("Out{i}"), Output::new(topic.get_att("TopicName")));
        }
        app.add_stack("Consumer").root().add_resource("Sub", CfnTopic::new().display_name(topic.get_att("TopicName")));
        app
    };
    let ok = build(199).synth().expect("200 outputs are allowed");
    assert_eq!(ok.stacks[0].template["Outputs"].as_object().map(|o| o.len()), Some(200));
    assert_eq!(
        synth_errors(&build(200)),
        ["[Core] [TPL007] Outputs: 201 outputs, over the CloudFormation limit of 200"]
    );
    assert_eq!(
        errors(build(200).into_assembly().expect_err("owned synth fails the same way")),
        synth_errors(&build(200))
    );
}

#[test]
fn stack_cycles_and_crossing_parameters_fail() {
    let mut app = App::new();
    let a = app.add_stack("A");
    let ta = a.root().add_resource("T", CfnTopic::new());
    let pa = a.root().add_parameter("P", Parameter::new(ParameterType::String));
    let b = app.add_stack("B");
    let tb = b.root().add_resource("T", CfnTopic::new().display_name(ta.get_att("TopicName")));
    b.root().add_resource("U", CfnTopic::new().display_name(pa.value()));
    app.stack_mut("A").unwrap().root().add_resource("U", CfnTopic::new().display_name(tb.get_att("TopicName")));
    assert_eq!(
        synth_errors(&app),
        [
            "[B/U] [APP006] DisplayName: parameter 'P' of stack 'A' is used in stack 'B'; parameters cannot cross stacks, pass the value to both stacks",
            "[A] [APP008] stacks depend on each other in a cycle: A -> B -> A; move the shared resources into one stack",
        ]
    );
}

#[test]
fn duplicate_export_names_fail_across_stacks() {
    let mut app = App::new();
    for name in ["A", "B"] {
        let s = app.add_stack(name);
        s.root().add_resource("T", CfnTopic::new());
        s.root().add_output("Out", Output::new("x").export_name("shared-name"));
    }
    assert_eq!(
        synth_errors(&app),
        ["[B/Out] [TPL011] export name 'shared-name' is already used by A/Out; export names must be unique in an account and region"]
    );
}

#[test]
fn snapshot_removal_policy_only_on_types_that_support_it() {
    let mut app = App::new();
    let s = app.add_stack("S");
    s.root().add_resource("T", ResourceDef::from(CfnTopic::new()).removal_policy(RemovalPolicy::Snapshot));
    let errs = synth_errors(&app);
    assert_eq!(errs[0], "[S/T] [TPL010] removal policy Snapshot is not supported by AWS::SNS::Topic; use Retain or Destroy (Snapshot applies to AWS::DocDB::DBCluster, AWS::EC2::Volume, AWS::ElastiCache::CacheCluster, AWS::ElastiCache::ReplicationGroup, AWS::Neptune::DBCluster, AWS::RDS::DBCluster, AWS::RDS::DBInstance, AWS::Redshift::Cluster)");
    let mut app = App::new();
    let s = app.add_stack("S");
    s.root()
        .add_resource("T", ResourceDef::from(CfnTopic::new()).removal_policy(RemovalPolicy::RetainOnUpdateOrDelete));
    let a = app.synth().unwrap();
    let t = &a.stacks[0].template["Resources"]["T"];
    assert_eq!(
        (t["DeletionPolicy"].as_str(), t["UpdateReplacePolicy"].as_str()),
        (Some("RetainExceptOnCreate"), Some("Retain"))
    );
}

#[test]
fn tags_propagate_sorted_with_priorities() {
    let mut app = App::new();
    let s = app.add_stack("S");
    s.add_tag("zeta", "stack");
    s.add_tag("alpha", "stack");
    let mut root = s.root();
    let mut inner = root.child("Inner");
    inner.add_tag("alpha", "inner");
    inner.add_resource(
        "T",
        CfnTopic::new().tags(vec![
            redis_cdk::map! {"Key" => "own", "Value" => "1"},
            redis_cdk::map! {"Key" => "zeta", "Value" => "own"},
        ]),
    );
    root.add_resource("Rule", redis_cdk::cfn::ec2::CfnSecurityGroupIngress::new("tcp").from_port(6379).to_port(6379));
    let a = app.synth().unwrap();
    let t = Template::from_artifact(&a.stacks[0]);
    t.has_resource_properties(
        "AWS::SNS::Topic",
        &json!({"Tags": [{"Key": "alpha", "Value": "inner"}, {"Key": "own", "Value": "1"}, {"Key": "zeta", "Value": "stack"}]}),
    )
    .unwrap();
    assert!(t.only_properties("AWS::EC2::SecurityGroupIngress").unwrap().get("Tags").is_none());
}

#[test]
fn conditions_parameters_and_outputs_render_in_cdk_order() {
    let mut app = App::new();
    let s = app.add_stack("S");
    s.set_description("demo");
    let mut root = s.root();
    let env = root.add_parameter(
        "Env",
        Parameter::new(ParameterType::String)
            .default_value("dev")
            .allowed_values(["dev", "prod"])
            .description("environment")
            .no_echo(),
    );
    let is_prod = root.add_condition("IsProd", Value::condition_equals(env.value(), "prod"));
    let t = root.add_resource(
        "T",
        ResourceDef::from(CfnTopic::new().display_name(is_prod.if_then("p", "d"))).condition(&is_prod),
    );
    root.add_output("Arn", Output::new(t.reference()).description("arn").export_name("x").condition(&is_prod));
    let a = app.synth().unwrap();
    assert_eq!(
        a.stacks[0].to_json(),
        r#"{
 "Description": "demo",
 "Parameters": {
  "Env": {
   "Type": "String",
   "Default": "dev",
   "AllowedValues": [
    "dev",
    "prod"
   ],
   "Description": "environment",
   "NoEcho": true
  }
 },
 "Conditions": {
  "IsProd": {
   "Fn::Equals": [
    {
     "Ref": "Env"
    },
    "prod"
   ]
  }
 },
 "Resources": {
  "T": {
   "Type": "AWS::SNS::Topic",
   "Properties": {
    "DisplayName": {
     "Fn::If": [
      "IsProd",
      "p",
      "d"
     ]
    }
   },
   "Condition": "IsProd"
  }
 },
 "Outputs": {
  "Arn": {
   "Description": "arn",
   "Value": {
    "Ref": "T"
   },
   "Export": {
    "Name": "x"
   },
   "Condition": "IsProd"
  }
 }
}
"#
    );
}

#[test]
fn depends_on_is_sorted_and_deduplicated() {
    let mut app = App::new();
    let s = app.add_stack("S");
    let b = s.root().add_resource("B", CfnTopic::new());
    let a = s.root().add_resource("A", CfnTopic::new());
    s.root().add_resource("C", ResourceDef::from(CfnTopic::new()).depends_on(&b).depends_on(&a).depends_on(&b));
    let out = app.synth().unwrap();
    assert_eq!(out.stacks[0].template["Resources"]["C"]["DependsOn"], json!(["A", "B"]));
}

#[test]
fn raw_resources_and_overrides_live_in_the_same_stack() {
    let mut app = App::new();
    let s = app.add_stack("S");
    let topic = s.root().add_resource("T", CfnTopic::new().display_name("a"));
    s.resource_mut(&topic).unwrap().add_property_override("FifoTopic", Value::Bool(false));
    s.root().add_resource(
        "Custom",
        ResourceDef::raw("AWS::SSM::Parameter").property("Type", "String").property("Value", topic.reference()),
    );
    let out = app.synth().unwrap();
    let t = Template::from_artifact(&out.stacks[0]);
    t.has_resource_properties("AWS::SNS::Topic", &json!({"DisplayName": "a", "FifoTopic": false})).unwrap();
    t.has_resource_properties("AWS::SSM::Parameter", &json!({"Type": "String", "Value": {"Ref": "T"}})).unwrap();
}

#[test]
fn synth_is_byte_identical_across_runs() {
    let build = || {
        let mut app = App::new();
        let s = app.add_stack("S");
        for i in 0..20 {
            s.root().add_resource(&format!("T{i}"), CfnTopic::new().display_name(format!("t{i}")));
        }
        app.synth().unwrap().stacks[0].to_json()
    };
    assert_eq!(build(), build());
}

#[test]
fn concatenations_name_local_references_and_import_remote_ones() {
    let mut app = App::new();
    let core = app.add_stack("Core");
    let shared = core.root().add_resource("Shared", CfnTopic::new());
    let s = app.add_stack("S");
    let topic = s.root().add_resource("Topic", CfnTopic::new());
    let p = s.root().add_parameter("P", Parameter::new(ParameterType::String));
    let name = Value::concat([
        "a$".into(),
        "{b}-".into(),
        topic.reference(),
        "/".into(),
        topic.get_att("TopicName"),
        p.value(),
        shared.get_att("TopicName"),
    ]);
    s.root().add_resource("User", CfnTopic::new().display_name(name));
    let a = app.synth().unwrap();
    assert_eq!(
        a.stack("S").unwrap().template["Resources"]["User"]["Properties"]["DisplayName"],
        json!({"Fn::Sub": ["a${!b}-${Topic}/${Topic.TopicName}${P}${JoinPart0}", {"JoinPart0": {"Fn::ImportValue": "Core:ExportsOutputFnGetAttSharedTopicNameA234C8D5"}}]})
    );
}

#[test]
fn writing_leaves_unchanged_files_alone_and_rewrites_changed_ones() {
    use std::time::{Duration, SystemTime};
    let dir = std::env::temp_dir().join(format!("redis-cdk-write-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = App::new();
    app.add_stack("A").root().add_resource("T", CfnTopic::new());
    app.add_stack("B").root().add_resource("T", CfnTopic::new().display_name("b"));
    let assembly = app.synth().unwrap();
    assembly.write_to_dir(&dir).unwrap();
    let (a, b) = (dir.join("A.template.json"), dir.join("B.template.json"));
    let past = SystemTime::now() - Duration::from_secs(3600);
    for f in [&a, &b] {
        std::fs::File::options().write(true).open(f).unwrap().set_modified(past).unwrap();
    }
    // B was edited by hand (same length, other bytes); A is as synth wrote it
    let edited = std::fs::read_to_string(&b).unwrap().replace("\"b\"", "\"x\"");
    std::fs::write(&b, &edited).unwrap();
    std::fs::File::options().write(true).open(&b).unwrap().set_modified(past).unwrap();
    assembly.write_to_dir(&dir).unwrap();
    assert_eq!(std::fs::metadata(&a).unwrap().modified().unwrap(), past, "an unchanged template is not rewritten");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), assembly.stack("B").unwrap().to_json());
    assert_ne!(std::fs::metadata(&b).unwrap().modified().unwrap(), past, "a changed template is rewritten");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pretty_json_matches_serde_json_one_space_pretty_printer() {
    use serde::Serialize;
    let mut deep = json!("leaf");
    for i in 0..70 {
        deep = if i % 2 == 0 { json!([deep, [], {}]) } else { json!({ "k": deep, "e": [], "o": {} }) };
    }
    let value = json!({
        "empty": {}, "list": [], "nested": [[], [{}], {"a": []}],
        "text": "tab\t \"quoted\" é ${x}", "n": [1, -2.5, 1e300, null, true],
        "deep": deep,
    });
    let mut want = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut want, serde_json::ser::PrettyFormatter::with_indent(b" "));
    value.serialize(&mut ser).unwrap();
    want.push(b'\n');
    assert_eq!(redis_cdk::to_pretty_json(&value), String::from_utf8(want).unwrap());
}

#[test]
fn tree_checks_carry_their_ids() {
    let mut app = App::new();
    let s = app.add_stack("S");
    s.add_dependency("Gone");
    s.override_logical_id(&redis_cdk::Target { stack: "S".into(), path: "Nothing/Here".into() }, "Custom");
    s.root().add_resource("T", CfnTopic::new().kms_master_key_id("alias/x"));
    let got: Vec<String> = app.synth().expect_err("fails").errors().map(ToString::to_string).collect();
    assert_eq!(
        got,
        vec![
            "[S/Nothing/Here] [APP003] cannot override the logical id: no element at this path in stack 'S'",
            "[S] [APP005] stack depends on 'Gone', which is not in this app",
        ]
    );
    // APP009 is the logical-id algorithm's refusal of an empty path, which the tree
    // never builds (its root has no element); the unit tests of logical_id cover it.
    let rules: Vec<&str> = redis_cdk::validate::rules::RULES.iter().map(|r| r.id).collect();
    assert!(rules.contains(&"APP009"));
}

/// lib.rs is the map: every construct has its line in "From the top", and is
/// re-exported by name.
#[test]
fn lib_rs_names_every_construct() {
    let lib = include_str!("../src/lib.rs");
    let top = &lib[lib.find("//! # From the top").expect("a From the top section")..];
    for name in [
        "RedisVpcAccess",
        "EncryptionKey",
        "AuthSecret",
        "ReplicationGroup",
        "ShardedCluster",
        "SplitRedis",
        "ServerlessCache",
        "CacheParameterGroup",
        "CacheUser",
        "CacheUserGroup",
        "ConnectionSecret",
        "RedisAlarms",
    ] {
        assert!(top.contains(&format!("[`{name}`]")), "lib.rs does not describe {name}");
    }
    assert!(
        !lib.lines().any(|l| l.starts_with("pub use") && l.contains("::*")),
        "lib.rs re-exports by name, not by glob"
    );
}

/// The modules of `dir` (a file or a folder under `src/`) import none of `higher`.
fn imports_none_of(dir: &str, higher: &[&str]) {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")).join(dir);
    let files: Vec<std::path::PathBuf> =
        if root.is_dir() { std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect() } else { vec![root] };
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for h in higher {
                assert!(
                    !code.contains(&format!("crate::{h}")),
                    "{}:{}: imports crate::{h}: {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

/// The template read model sits below validation and insight: it imports no other
/// module of the crate, and insight reads templates through it, not through the rules.
#[test]
fn the_read_model_is_below_its_readers() {
    let all = ["core", "cfn", "validate", "redis", "facts", "insight", "spec", "synthesis", "assertions"];
    imports_none_of("template.rs", &all);
    imports_none_of("insight", &["validate", "redis", "spec"]);
}

/// The house has no cycles: core imports no other module of the crate (issue 16).
#[test]
fn core_imports_no_higher_layer() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for higher in ["cfn", "validate", "redis", "facts", "insight", "spec", "synthesis", "assertions"] {
                assert!(
                    !code.contains(&format!("crate::{higher}")),
                    "{}:{}: core imports crate::{higher}: {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}
