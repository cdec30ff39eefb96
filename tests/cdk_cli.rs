//! The real AWS CDK CLI (the `cdk` that `scripts/test` installs from npm, pinned
//! there) against synth's cloud assemblies and its app contract, offline, and
//! against a local moto server on 127.0.0.1 for `cdk deploy` and `cdk destroy`.
//!
//! Every run sets `TESTING_CDK=1`, which makes the CLI validate each manifest
//! against its own cloud-assembly JSON Schema (unknown fields refused), so a
//! manifest the CLI only tolerates fails here. A missing `cdk` fails the tests,
//! unless `REDIS_CDK_SKIP_EXTERNAL=1`.

mod common;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `cdk` executable and a home for it (settings, notices cache) that is not
/// the machine's.
struct Cdk {
    exe: PathBuf,
    home: PathBuf,
}

impl Cdk {
    fn new(label: &str) -> Option<Cdk> {
        let exe = common::external_tool("cdk", "npm install aws-cdk@2, or run scripts/test")?;
        let home = common::temp_dir(&format!("cdk-home-{label}"));
        // The notices, cached until far away, so no CLI line goes to the network for them.
        std::fs::create_dir_all(home.join("cache")).unwrap();
        std::fs::write(home.join("cache/notices.json"), r#"{"expiration": 4102444800000, "notices": []}"#).unwrap();
        Some(Cdk { exe, home })
    }

    /// `cdk ARGS...` in `dir`, offline: no version check, telemetry, notices or
    /// version reporting; no AWS configuration from the machine.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.current_dir(dir)
            .args(["--no-notices", "--no-version-reporting"])
            .args(args)
            .env("CDK_HOME", &self.home)
            .env("CDK_DISABLE_VERSION_CHECK", "1")
            .env("CDK_DISABLE_CLI_TELEMETRY", "true")
            .env("TESTING_CDK", "1")
            .env("NODE_NO_WARNINGS", "1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_CONFIG_FILE", self.home.join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.home.join("none"))
            .env_remove("AWS_PROFILE")
            .env_remove("CDK_OUTDIR")
            .env_remove("CDK_CONTEXT_JSON");
        cmd
    }

    fn run(&self, dir: &Path, args: &[&str]) -> common::Run {
        run(self.command(dir, args), args)
    }
}

fn run(mut cmd: Command, args: &[&str]) -> common::Run {
    let out = cmd.output().unwrap_or_else(|e| panic!("running cdk {}: {e}", args.join(" ")));
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(r: &common::Run, what: &str) {
    assert_eq!(r.code, 0, "{what} failed:\nstdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
}

/// A CDK project directory whose `cdk.json` runs `app` (an executable) as the app.
fn project(label: &str, app: &Path) -> PathBuf {
    let dir = common::temp_dir(label);
    let cdk_json = json!({ "app": app.to_str().unwrap() });
    std::fs::write(dir.join("cdk.json"), cdk_json.to_string()).unwrap();
    dir
}

/// Panics with the first line where the two templates differ, as pretty JSON.
fn assert_same(actual: &Value, expected: &Value, what: &str) {
    let (a, b) = (serde_json::to_string_pretty(actual).unwrap(), serde_json::to_string_pretty(expected).unwrap());
    if let Some((i, (x, y))) = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y) {
        panic!("{what}: line {}: {x:?} where {y:?} was expected", i + 1);
    }
    assert_eq!(a.lines().count(), b.lines().count(), "{what}: one template is longer");
}

/// Removes every `aws:cdk:path` (and a `Metadata` left empty) from a template.
fn without_path_metadata(mut t: Value) -> Value {
    for r in t["Resources"].as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
        let Some(r) = r.as_object_mut() else { continue };
        if let Some(m) = r.get_mut("Metadata").and_then(Value::as_object_mut) {
            m.remove("aws:cdk:path");
            if m.is_empty() {
                r.remove("Metadata");
            }
        }
    }
    t
}

#[test]
fn cdk_runs_the_default_app_through_the_app_contract() {
    let Some(cdk) = Cdk::new("contract") else { return };
    let synth = &common::executables().synth;
    let dir = project("cdk-contract", synth);

    let ls = cdk.run(&dir, &["ls"]);
    ok(&ls, "cdk ls");
    assert_eq!(ls.stdout.trim(), "RedisCache");

    // -c env=prod is synth's --env prod; the assembly goes to CDK_OUTDIR (cdk.out)
    let synthed = cdk.run(&dir, &["synth", "-c", "env=prod", "--quiet"]);
    ok(&synthed, "cdk synth -c env=prod");
    let template = common::read_json(&dir.join("cdk.out/RedisCache.template.json"));
    let printed = common::run_exe(synth, &["--env", "prod"]);
    ok(&printed, "synth --env prod");
    let printed: Value = serde_json::from_str(&printed.stdout).unwrap();
    assert_same(&without_path_metadata(template.clone()), &printed, "cdk synth -c env=prod is synth --env prod");
    // each resource names its construct path, as the tree has it
    let assembly = synth::default_app::build(redis_cdk::Environment::Prod).into_assembly().unwrap();
    let paths = &assembly.stacks[0].logical_ids;
    for (id, r) in template["Resources"].as_object().unwrap() {
        let path = r["Metadata"]["aws:cdk:path"].as_str().unwrap_or_else(|| panic!("{id} has no aws:cdk:path"));
        assert_eq!(path, format!("RedisCache/{}", paths[id.as_str()]), "{id}");
    }
    let manifest = common::read_json(&dir.join("cdk.out/manifest.json"));
    assert_eq!(manifest["version"], redis_cdk::CLOUD_ASSEMBLY_VERSION);
    assert_eq!(manifest["artifacts"]["RedisCache"]["displayName"], "RedisCache");

    // the CLI's --no-path-metadata reaches synth through the context
    let plain = cdk.run(&dir, &["synth", "-c", "env=prod", "--quiet", "--no-path-metadata"]);
    ok(&plain, "cdk synth --no-path-metadata");
    assert_same(&common::read_json(&dir.join("cdk.out/RedisCache.template.json")), &printed, "--no-path-metadata");

    // a context value synth refuses fails the CLI with synth's message
    let bad = cdk.run(&dir, &["synth", "-c", "env=qa", "--quiet"]);
    assert_ne!(bad.code, 0, "{bad:?}");
    assert!(bad.stderr.contains("CDK context env=qa"), "{}", bad.stderr);
}

#[test]
fn cdk_diff_names_construct_paths() {
    let Some(cdk) = Cdk::new("diff") else { return };
    let synth = &common::executables().synth;
    let dir = project("cdk-diff", synth);
    let dev = common::run_exe(synth, &["--env", "dev"]);
    ok(&dev, "synth --env dev");
    let deployed = dir.join("deployed-dev.json");
    std::fs::write(&deployed, &dev.stdout).unwrap();
    let diff = cdk.run(&dir, &["diff", "-c", "env=prod", "--template", deployed.to_str().unwrap(), "RedisCache"]);
    ok(&diff, "cdk diff --template");
    let text = format!("{}{}", diff.stdout, diff.stderr);
    // prod adds the replication-lag alarm; the CLI shows it by construct path and logical id
    let alarm = text.lines().find(|l| l.contains("[+] AWS::CloudWatch::Alarm")).unwrap_or_else(|| panic!("{text}"));
    assert!(alarm.contains("Alarms/"), "the construct path is shown: {alarm}\n{text}");
    assert!(text.contains("[~] AWS::KMS::Key Key "), "{text}");

    // the same template is no difference, apart from the path metadata
    let same = dir.join("deployed-prod.json");
    std::fs::write(&same, common::run_exe(synth, &["--env", "prod"]).stdout).unwrap();
    let diff = cdk.run(&dir, &["diff", "-c", "env=prod", "--no-path-metadata", "--template", same.to_str().unwrap()]);
    ok(&diff, "cdk diff of the same template");
    assert!(format!("{}{}", diff.stdout, diff.stderr).contains("There were no differences"), "{diff:?}");
}

#[test]
fn cdk_reads_a_multi_stack_assembly_in_dependency_order() {
    let Some(cdk) = Cdk::new("multi") else { return };
    let exe = &common::executables().examples["cross_stack"];
    let out = common::temp_dir("cdk-multi-out");
    let written = common::run_exe(exe, &["--env", "prod", "--out", out.to_str().unwrap()]);
    ok(&written, "cross_stack --out");
    let dir = common::temp_dir("cdk-multi");
    let ls = cdk.run(&dir, &["ls", "--long", "--app", out.to_str().unwrap()]);
    ok(&ls, "cdk ls --long --app DIR");
    let names: Vec<&str> = ls.stdout.lines().filter_map(|l| l.strip_prefix("- id: ")).collect();
    assert_eq!(names, ["Network", "Consumer"], "{}", ls.stdout);
    assert!(ls.stdout.contains("region: unknown-region") || ls.stdout.contains("region: us-east-1"), "{}", ls.stdout);

    // -c stack=Consumer: that stack and the one it depends on
    let project = project("cdk-multi-app", exe);
    let ls = cdk.run(&project, &["ls", "-c", "stack=Consumer"]);
    ok(&ls, "cdk ls -c stack=Consumer");
    assert_eq!(ls.stdout.split_whitespace().collect::<Vec<_>>(), ["Network", "Consumer"]);
    let ls = cdk.run(&project, &["ls", "-c", "stack=Network"]);
    ok(&ls, "cdk ls -c stack=Network");
    assert_eq!(ls.stdout.trim(), "Network");
}

/// Types moto creates through CloudFormation (and lists by logical id).
const MODELED: &[&str] = &["AWS::EC2::SecurityGroup", "AWS::KMS::Key", "AWS::SNS::Topic", "AWS::Logs::LogGroup"];

#[test]
fn cdk_deploys_and_destroys_the_default_stack_on_moto() {
    let Some(cdk) = Cdk::new("deploy") else { return };
    let Some(moto_server) = common::external_tool("moto_server", "pip install 'moto[server]'") else { return };
    let Some(python) = common::moto::python_with_boto3() else { return };
    let work = common::temp_dir("cdk-deploy");
    let server = common::moto::MotoServer::start(&moto_server, &work);
    let fixtures = server.probe(&python, &work, &["setup", "redis-cdk-cdk"]);

    let out = work.join("assembly");
    let written = common::run_exe(&common::executables().synth, &["--env", "prod", "--out", out.to_str().unwrap()]);
    ok(&written, "synth --env prod --out");
    let file = out.join("RedisCache.template.json");
    let template = common::read_json(&file);
    // moto 5.2's KMS tag bug (common::moto::moto_workarounds), nothing else changed
    std::fs::write(&file, serde_json::to_string_pretty(&common::moto::moto_workarounds(&template)).unwrap()).unwrap();

    let subnets: Vec<&str> = fixtures["subnets"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let params = [
        format!("VpcId={}", fixtures["vpc"].as_str().unwrap()),
        format!("SubnetIds={}", subnets.join(",")),
        format!("AppSecurityGroupId={}", fixtures["app_sg"].as_str().unwrap()),
    ];
    let app = out.to_str().unwrap();
    let mut args = vec!["deploy", "--app", app, "RedisCache", "--require-approval", "never"];
    for p in &params {
        args.extend(["--parameters", p.as_str()]);
    }
    let mut cmd = cdk.command(&work, &args);
    server.env(&mut cmd, &work);
    let deployed = run(cmd, &args);
    ok(&deployed, "cdk deploy");

    let state = server.probe(&python, &work, &["inspect", "RedisCache"]);
    let stack = &state["stacks"]["RedisCache"];
    assert_eq!(stack["status"], "CREATE_COMPLETE", "{stack:#}");
    let listed: Vec<(String, String)> = stack["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["logical"].as_str().unwrap().to_string(), r["type"].as_str().unwrap().to_string()))
        .collect();
    let declared: Vec<(String, String)> = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, r)| (id.clone(), r["Type"].as_str().unwrap().to_string()))
        .collect();
    // moto lists a type it does not model (ElastiCache, alarms...) as a blank entry
    assert_eq!(listed.len(), declared.len(), "one resource per declared one: {listed:?}");
    for r in listed.iter().filter(|(id, _)| !id.is_empty()) {
        assert!(declared.contains(r), "moto created {r:?}, which the template does not declare");
    }
    for r in declared.iter().filter(|(_, ty)| MODELED.contains(&ty.as_str())) {
        assert!(listed.contains(r), "{r:?} was not created: {listed:?}");
    }
    let sg = stack["resources"].as_array().unwrap().iter().find(|r| r["type"] == "AWS::EC2::SecurityGroup").unwrap();
    let physical = sg["physical"].as_str().unwrap();
    assert_eq!(state["security_groups"][physical]["VpcId"], fixtures["vpc"], "{:#}", state["security_groups"]);

    let args = ["destroy", "--app", app, "RedisCache", "--force"];
    let mut cmd = cdk.command(&work, &args);
    server.env(&mut cmd, &work);
    ok(&run(cmd, &args), "cdk destroy");
    let after = server.probe(&python, &work, &["inspect", "RedisCache"]);
    let status = after["stacks"]["RedisCache"]["status"].as_str().unwrap_or_default().to_string();
    assert!(matches!(status.as_str(), "DELETE_COMPLETE" | "NOT_FOUND"), "after cdk destroy: {status}");
    assert!(after["security_groups"].get(physical).is_none(), "the stack's security group is gone");
}
