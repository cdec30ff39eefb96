//! `synth diff`, `synth cost` and `synth diagram` through `synth::run`, on apps
//! built here in two versions: the node type changed (in place), at-rest
//! encryption toggled (replacement, data loss) and a construct renamed (logical
//! id moved: replacement).

use clap::Parser;
use redis_cdk::{
    App, AtRestEncryption, Auth, Environment, Parameter, ParameterType, RedisVpcAccess, ReplicationGroup,
    ReplicationGroupProps, VpcAccessProps,
};
use serde_json::Value as Json;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug)]
struct Run {
    code: u8,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], build: &dyn Fn(Environment) -> App) -> Run {
    let cli = synth::Cli::try_parse_from(std::iter::once("synth").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = synth::run(&cli, build, &mut out, &mut err);
    Run { code, stdout: String::from_utf8(out).unwrap(), stderr: String::from_utf8(err).unwrap() }
}

/// One version of a small app: a replication group named `id`.
#[derive(Clone, Copy)]
struct Version {
    id: &'static str,
    node_type: &'static str,
    encrypted: bool,
}

const V1: Version = Version { id: "Sessions", node_type: "cache.t4g.micro", encrypted: true };

fn app(v: Version) -> impl Fn(Environment) -> App {
    move |env| {
        let mut app = App::for_environment(env);
        let stack = app.add_stack("Demo");
        let mut root = stack.root();
        let vpc = root.add_parameter("VpcId", Parameter::new(ParameterType::VpcId));
        let subnets = root.add_parameter("SubnetIds", Parameter::new(ParameterType::SubnetIdList));
        let access = RedisVpcAccess::new(stack, "Access", VpcAccessProps::new(vpc.value(), subnets.value()));
        let at_rest = if v.encrypted { AtRestEncryption::AwsManagedKey } else { AtRestEncryption::Disabled };
        ReplicationGroup::new(
            stack,
            v.id,
            &access,
            Auth::None,
            ReplicationGroupProps::new().node_type(v.node_type).replicas(1).at_rest_encryption(at_rest),
        );
        app
    }
}

/// Writes the prod template of `v` to a fresh file and returns its path.
fn deployed(v: Version, label: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "insight-{label}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Demo.template.json");
    let template = app(v)(Environment::Prod).synth().expect("synth").stacks[0].to_json();
    std::fs::write(&path, template).unwrap();
    path
}

fn json_diff(old: &std::path::Path, new: Version, extra: &[&str]) -> (Run, Json) {
    let mut args = vec!["diff", old.to_str().unwrap(), "--env", "prod", "--format", "json"];
    args.extend_from_slice(extra);
    let r = run(&args, &app(new));
    let j: Json = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {r:?}"));
    (r, j)
}

#[test]
fn unchanged_templates_report_no_change_and_exit_0() {
    let old = deployed(V1, "same");
    let r = run(&["diff", old.to_str().unwrap(), "--env", "prod", "--fail-on-replace", "--color", "never"], &app(V1));
    assert_eq!((r.code, r.stdout.as_str()), (0, "Stack Demo\nno changes\n"), "{r:?}");
    let (r, j) = json_diff(&old, V1, &[]);
    assert_eq!(r.code, 0);
    assert_eq!(j["changed"], false);
    assert_eq!(j["stacks"][0]["stack"], "Demo");
}

#[test]
fn node_type_change_is_in_place() {
    let old = deployed(V1, "node-type");
    let (r, j) = json_diff(&old, Version { node_type: "cache.t4g.small", ..V1 }, &["--fail-on-replace"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(j["replacement"], false);
    let resources = j["stacks"][0]["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{resources:#?}");
    assert_eq!(resources[0]["type"], "AWS::ElastiCache::ReplicationGroup");
    assert_eq!(resources[0]["replacement"], false);
    let p = &resources[0]["properties"][0];
    assert_eq!(
        (&p["name"], &p["old"], &p["new"]),
        (&"CacheNodeType".into(), &"cache.t4g.micro".into(), &"cache.t4g.small".into())
    );
    assert_eq!(p["effect"], "may_interrupt");
}

#[test]
fn at_rest_encryption_toggle_is_a_replacement_with_data_loss() {
    let old = deployed(V1, "at-rest");
    let new = Version { encrypted: false, ..V1 };
    let (r, j) = json_diff(&old, new, &[]);
    assert_eq!(r.code, 0, "a replacement alone does not fail: {r:?}");
    let rg = j["stacks"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "AWS::ElastiCache::ReplicationGroup")
        .expect("the group changed")
        .clone();
    assert_eq!(rg["replacement"], true);
    assert_eq!(rg["data_loss"]["what"], "cached data");
    assert_eq!(rg["data_loss"]["protected_by"], "Snapshot", "prod keeps a final snapshot: {rg:#}");
    assert!(rg["properties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "AtRestEncryptionEnabled" && p["effect"] == "replacement"));

    let r = run(&["diff", old.to_str().unwrap(), "--env", "prod", "--fail-on-replace", "--color", "never"], &app(new));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("replacement, DATA LOSS: cached data (protected by Snapshot)"), "{}", r.stdout);
    assert!(r.stderr.contains("would be replaced (--fail-on-replace)"), "{}", r.stderr);
}

#[test]
fn renamed_construct_moves_the_logical_id() {
    let old = deployed(V1, "rename");
    let new = Version { id: "Cache", ..V1 };
    let (r, j) = json_diff(&old, new, &["--fail-on-replace"]);
    assert_eq!(r.code, 1, "{r:?}");
    let resources = j["stacks"][0]["resources"].as_array().unwrap();
    let rg = resources.iter().find(|r| r["type"] == "AWS::ElastiCache::ReplicationGroup").unwrap();
    assert_eq!(rg["change"], "moved");
    assert!(rg["old_logical_id"].as_str().unwrap().starts_with("Sessions"), "{rg:#}");
    assert!(rg["logical_id"].as_str().unwrap().starts_with("Cache"), "{rg:#}");
    assert_eq!(rg["replacement"], true);
    assert!(rg["data_loss"].is_object());
    assert!(
        resources.iter().all(|r| r["change"] != "added" && r["change"] != "removed"),
        "every renamed child is matched as moved: {resources:#?}"
    );
    let r = run(&["diff", old.to_str().unwrap(), "--env", "prod", "--color", "never"], &app(new));
    assert!(r.stdout.contains("logical id moved (replacement)"), "{}", r.stdout);
}

#[test]
fn diff_of_two_files_and_usage_errors() {
    let a = deployed(V1, "files-a");
    let b = deployed(Version { node_type: "cache.t4g.small", ..V1 }, "files-b");
    let r = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--color", "never"], &app(V1));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("Stack Demo\nResources\n[~] AWS::ElastiCache::ReplicationGroup Sessions"),
        "{}",
        r.stdout
    );
    let r = run(&["diff", "/nonexistent/old.json"], &app(V1));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: /nonexistent/old.json: cannot read: "), "{}", r.stderr);
    // what is not a template is refused, not compared as if it were empty
    let dir = std::env::temp_dir().join(format!("synth-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text, why) in [
        ("null.json", "null", "null"),
        ("list.json", "[]", "a list"),
        ("n.json", "3", "a number"),
        ("bad.yaml", "Resources: [", "not valid YAML"),
    ] {
        let f = dir.join(name);
        std::fs::write(&f, text).unwrap();
        let r = run(&["diff", f.to_str().unwrap(), a.to_str().unwrap()], &app(V1));
        assert_eq!(r.code, 2, "{name}: {r:?}");
        assert!(r.stderr.contains(why), "{name}: {}", r.stderr);
    }
    // and a YAML template is compared as its JSON twin is
    let yaml = dir.join("a.yaml");
    std::fs::write(&yaml, "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n").unwrap();
    let json = dir.join("a.json");
    std::fs::write(&json, "{\"Resources\": {\"Topic\": {\"Type\": \"AWS::SNS::Topic\"}}}").unwrap();
    let r = run(&["diff", yaml.to_str().unwrap(), json.to_str().unwrap(), "--color", "never"], &app(V1));
    assert_eq!((r.code, r.stdout.contains("no changes")), (0, true), "{r:?}");
    let _ = std::fs::remove_dir_all(&dir);
    let r = run(&["diff", a.to_str().unwrap(), "--stack", "Nope"], &app(V1));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.ends_with("error: no stack named 'Nope'; the app has: Demo\n"), "{}", r.stderr);
    assert!(synth::Cli::try_parse_from(["synth", "diff"]).is_err(), "OLD is required");
}

#[test]
fn diff_of_out_directories() {
    let a = deployed(V1, "dir-a");
    let r = run(&["diff", a.parent().unwrap().to_str().unwrap(), "--env", "prod", "--color", "never"], &app(V1));
    assert_eq!((r.code, r.stdout.as_str()), (0, "Stack Demo\nno changes\n"), "{r:?}");
}

#[test]
fn cost_pins_the_arithmetic() {
    // prod: 1 replica → 2 × cache.t4g.micro × $0.016 × 730 h = $23.36
    let r = run(&["cost", "--env", "prod"], &app(V1));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("stack total: $23.36/month"), "{}", r.stdout);
    assert!(r.stdout.contains("Total: $23.36/month"), "{}", r.stdout);
    let r = run(&["cost", "--env", "prod", "--region", "ca-central-1", "--format", "json"], &app(V1));
    let j: Json = serde_json::from_str(&r.stdout).unwrap();
    // × 1.11 in ca-central-1: 25.9296
    assert_eq!(j["monthly_usd"], 25.93);
    assert_eq!(j["stacks"][0]["lines"][0]["nodes"], 2);
    assert_eq!(j["stacks"][0]["region"], "ca-central-1");
}

#[test]
fn cost_of_the_default_app_matches_its_construct() {
    for env in ["dev", "staging", "prod"] {
        let r = run(&["cost", "--env", env, "--format", "json"], &synth::default_app::build);
        assert_eq!(r.code, 0, "{r:?}");
        let j: Json = serde_json::from_str(&r.stdout).unwrap();
        let line = &j["stacks"][0]["lines"][0];
        let expected = redis_cdk::facts::node_monthly_cost(
            redis_cdk::Engine::Redis,
            line["node_type"].as_str().unwrap(),
            line["nodes"].as_u64().unwrap() as u32,
            None,
        );
        assert!(expected > 0.0);
        assert_eq!(j["monthly_usd"].as_f64().unwrap(), expected, "{env}");
    }
}

/// The structure a Mermaid parser needs: header, balanced subgraph/end, every node
/// declared once, every edge endpoint declared, labels quoted without quotes inside.
fn check_mermaid(m: &str) {
    let mut lines = m.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let (mut depth, mut declared, mut edges) = (0i32, std::collections::BTreeSet::new(), Vec::new());
    for line in lines {
        let t = line.trim();
        if t.starts_with("subgraph ") {
            depth += 1;
        } else if t == "end" {
            depth -= 1;
            assert!(depth >= 0, "end without subgraph:\n{m}");
        } else if let Some((from, rest)) = t.split_once(" -->|").or_else(|| t.split_once(" -.->|")) {
            edges.push((from.to_string(), rest.split_once("| ").unwrap().1.to_string()));
        } else {
            let (id, label) = t.split_once("[\"").unwrap_or_else(|| panic!("not a node: {t}"));
            assert!(label.ends_with("\"]") && !label[..label.len() - 2].contains('"'), "label: {t}");
            assert!(declared.insert(id.to_string()), "node {id} declared twice");
        }
    }
    assert_eq!(depth, 0, "unbalanced subgraph/end:\n{m}");
    for (a, b) in edges {
        assert!(declared.contains(&a) && declared.contains(&b), "edge {a} --> {b} has an undeclared end:\n{m}");
    }
}

#[test]
fn diagram_is_well_formed_mermaid_and_dot() {
    for env in ["dev", "prod"] {
        let r = run(&["diagram", "--env", env], &synth::default_app::build);
        assert_eq!(r.code, 0, "{r:?}");
        check_mermaid(&r.stdout);
        assert!(r.stdout.contains("AccessSecurityGroup946704A6 -->|SecurityGroupIds| Cache18F6EE16"), "{}", r.stdout);
        let r = run(&["diagram", "--env", env, "--format", "dot"], &synth::default_app::build);
        assert!(r.stdout.starts_with("digraph app {") && r.stdout.ends_with("}\n"));
        assert_eq!(r.stdout.matches('{').count(), r.stdout.matches('}').count());
    }
}
