//! The `synth` command line: in-process through `synth::run` with the default app
//! or a tiny app built here, and through the real binaries (`synth` and the
//! examples) for clap's argument parsing and exit codes.

mod common;

use common::{executables, run_cli, run_exe, temp_dir, Run};
use redis_cdk::cfn::sns::CfnTopic;
use redis_cdk::{App, Environment, Value};
use std::collections::BTreeSet;
use std::path::Path;

fn default_app(env: Environment) -> App {
    synth::default_app::build(env)
}

/// The default app's stack names, from `--list`.
fn default_stacks() -> Vec<String> {
    let run = run_cli(&["--list"], &default_app);
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout.lines().map(str::to_string).collect()
}

fn assert_one_template(run: &Run, what: &str) -> serde_json::Value {
    assert_eq!(run.code, 0, "{what}: exit code; stderr:\n{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{what}: stderr has an error:\n{}", run.stderr);
    // The whole of stdout is exactly one JSON document: nothing before or after it.
    let template: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{what}: stdout is not exactly one JSON document ({e}):\n{}", run.stdout));
    assert!(template["Resources"].as_object().is_some_and(|r| !r.is_empty()), "{what}: no Resources");
    assert!(run.stdout.ends_with("}\n") && !run.stdout.ends_with("\n\n"), "{what}: one final newline");
    assert_eq!(run.stdout, synth::pretty(&template), "{what}: stdout is synth's pretty JSON");
    template
}

#[test]
fn default_synth_prints_one_template_and_nothing_else() {
    let run = run_cli(&[], &default_app);
    let template = assert_one_template(&run, "synth");
    assert_eq!(default_stacks().len(), 1, "the default app has one stack, so plain `synth` works");
    // The template is the same one `--out --no-path-metadata` writes for that stack.
    let dir = temp_dir("cli-default-out");
    let out = run_cli(&["--out", dir.to_str().unwrap(), "--no-path-metadata"], &default_app);
    assert_eq!(out.code, 0, "{out:?}");
    let file = dir.join(format!("{}.template.json", default_stacks()[0]));
    assert!(std::fs::read_to_string(file).unwrap() == run.stdout, "--out --no-path-metadata writes what synth prints");
    assert!(template.get("AWSTemplateFormatVersion").is_none_or(|v| v == "2010-09-09"));
}

#[test]
fn env_flag_selects_the_preset() {
    let dev = assert_one_template(&run_cli(&["--env", "dev"], &default_app), "--env dev");
    let plain = assert_one_template(&run_cli(&[], &default_app), "synth");
    assert_eq!(dev, plain, "dev is the default environment");
    let staging = assert_one_template(&run_cli(&["--env", "staging"], &default_app), "--env staging");
    let prod = assert_one_template(&run_cli(&["--env", "prod"], &default_app), "--env prod");
    assert_ne!(prod, dev, "prod and dev presets give different templates");
    assert_ne!(staging, dev, "staging and dev presets give different templates");
    // Every environment keeps the same interface: the same parameters.
    assert_eq!(prod["Parameters"].as_object().map(|p| p.keys().collect::<Vec<_>>()), {
        dev["Parameters"].as_object().map(|p| p.keys().collect::<Vec<_>>())
    });
}

#[test]
fn list_prints_stack_names_only() {
    let run = run_cli(&["--list"], &default_app);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let names = default_stacks();
    assert_eq!(run.stdout, names.iter().map(|n| format!("{n}\n")).collect::<String>());
    for n in &names {
        assert!(redis_cdk::is_valid_stack_name(n), "{n} is a valid stack name");
    }
    // An app with several stacks lists them in order.
    let multi = run_exe(&executables().examples["cross_stack"], &["--list"]);
    assert_eq!((multi.code, multi.stdout.as_str()), (0, "Network\nConsumer\n"), "{multi:?}");
}

/// Checks an `--out` directory: exactly the manifest and one template per artifact,
/// each what `--stack NAME` prints on stdout (`stack_stdout`): byte-identical
/// without path metadata, else the same with `aws:cdk:path` on every resource.
fn check_out_dir(dir: &Path, path_metadata: bool, stack_stdout: &dyn Fn(&str) -> String) -> serde_json::Value {
    let manifest = common::read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["version"], redis_cdk::CLOUD_ASSEMBLY_VERSION, "{manifest:#}");
    assert_eq!(manifest["runtime"]["libraries"]["redis-cdk"], env!("CARGO_PKG_VERSION"), "{manifest:#}");
    let artifacts = manifest["artifacts"].as_object().expect("artifacts is an object");
    assert!(!artifacts.is_empty());
    let mut expected_files: BTreeSet<String> = BTreeSet::from(["manifest.json".to_string()]);
    for (name, a) in artifacts {
        assert_eq!(a["type"], "aws:cloudformation:stack", "{name}");
        assert!(a["environment"].as_str().is_some_and(|e| e.starts_with("aws://")), "{name}: {a:#}");
        let file = a["properties"]["templateFile"].as_str().expect("templateFile");
        assert_eq!(file, format!("{name}.template.json"));
        assert_eq!(a["displayName"], name.as_str());
        let deps = a["dependencies"].as_array().expect("dependencies is an array");
        for d in deps {
            let d = d.as_str().expect("a dependency is a stack name");
            assert!(artifacts.contains_key(d), "{name} depends on {d}, which is not in the manifest");
        }
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let template: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(template["Resources"].is_object(), "{file} has Resources");
        if path_metadata {
            let mut plain = template.clone();
            for (id, r) in plain["Resources"].as_object_mut().unwrap() {
                let m = r
                    .as_object_mut()
                    .unwrap()
                    .remove("Metadata")
                    .unwrap_or_else(|| panic!("{file}: {id} has no Metadata"));
                let path = m["aws:cdk:path"].as_str().unwrap_or_else(|| panic!("{file}: {id} has no aws:cdk:path"));
                assert!(path.starts_with(&format!("{name}/")) && path.len() > name.len() + 1, "{file}: {id}: {path}");
                assert_eq!(m.as_object().unwrap().len(), 1, "{file}: {id}: only the path was added");
            }
            let printed: serde_json::Value = serde_json::from_str(&stack_stdout(name)).unwrap();
            assert_eq!(plain, printed, "{file} is what `--stack {name}` prints, plus path metadata");
        } else {
            assert_eq!(text, stack_stdout(name), "{file} is what `--stack {name}` prints");
        }
        expected_files.insert(file.to_string());
    }
    let files: BTreeSet<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(files, expected_files, "the directory holds the manifest and one template per stack");
    manifest
}

#[test]
fn out_writes_templates_and_manifest() {
    let dir = temp_dir("cli-out");
    let nested = dir.join("a/b");
    let run = run_cli(&["--env", "prod", "--out", nested.to_str().unwrap()], &default_app);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "", "--out prints nothing on stdout");
    assert!(run.stderr.starts_with("wrote 1 template(s) and manifest.json to "), "{}", run.stderr);
    let stdout = |name: &str| {
        let r = run_cli(&["--env", "prod", "--stack", name], &default_app);
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout
    };
    let manifest = check_out_dir(&nested, true, &stdout);
    for a in manifest["artifacts"].as_object().unwrap().values() {
        assert_eq!(a["dependencies"], serde_json::json!([]), "the default app's stacks stand alone");
    }
    let run = run_cli(&["--env", "prod", "--out", nested.to_str().unwrap(), "--no-path-metadata"], &default_app);
    assert_eq!(run.code, 0, "{run:?}");
    check_out_dir(&nested, false, &stdout);
}

#[test]
fn out_with_stack_writes_that_stack_and_what_it_depends_on() {
    let exe = &executables().examples["cross_stack"];
    let dir = temp_dir("cli-out-stack");
    let d = dir.to_str().unwrap();
    let listed = |dir: &Path| -> Vec<String> {
        let m = common::read_json(&dir.join("manifest.json"));
        m["artifacts"].as_object().unwrap().keys().cloned().collect()
    };
    let run = run_exe(exe, &["--env", "prod", "--out", d, "--stack", "Consumer"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(listed(&dir), ["Network", "Consumer"], "Consumer depends on Network");
    let run = run_exe(exe, &["--env", "prod", "--out", d, "--stack", "Network"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(listed(&dir), ["Network"]);
    assert!(!dir.join("Consumer.template.json").exists(), "the directory holds what its manifest lists");
    let run = run_exe(exe, &["--env", "prod", "--out", d, "--stack", "Nope"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, "error: no stack named 'Nope'; the app has: Network, Consumer\n"));
    assert_eq!(listed(&dir), ["Network"], "nothing written");
}

#[test]
fn cross_stack_manifest_records_the_dependency() {
    let exe = &executables().examples["cross_stack"];
    let dir = temp_dir("cli-cross-stack");
    let run = run_exe(exe, &["--env", "prod", "--out", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
    let manifest = check_out_dir(&dir, true, &|name| {
        let r = run_exe(exe, &["--env", "prod", "--stack", name]);
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout
    });
    let artifacts = manifest["artifacts"].as_object().unwrap();
    assert_eq!(artifacts.keys().collect::<Vec<_>>(), ["Network", "Consumer"], "stacks in the order they were added");
    assert_eq!(artifacts["Consumer"]["dependencies"], serde_json::json!(["Network"]));
    assert_eq!(artifacts["Network"]["dependencies"], serde_json::json!([]));
    // The dependency is real: Consumer imports what Network exports.
    let network = common::read_json(&dir.join("Network.template.json"));
    let consumer = std::fs::read_to_string(dir.join("Consumer.template.json")).unwrap();
    let exports: Vec<&str> = network["Outputs"]
        .as_object()
        .expect("Network has Outputs")
        .values()
        .filter_map(|o| o["Export"]["Name"].as_str())
        .collect();
    assert!(!exports.is_empty(), "Network exports the security group id");
    for name in exports {
        assert!(consumer.contains(&format!("\"Fn::ImportValue\": \"{name}\"")), "Consumer imports {name}");
    }
    // Without --out or --stack, an app with two stacks is an error, and nothing is printed.
    let both = run_exe(exe, &[]);
    assert_eq!(both.code, 1, "{both:?}");
    assert_eq!(both.stdout, "");
    assert_eq!(
        both.stderr,
        "error: the app has 2 stacks (Network, Consumer); pick one with --stack NAME or write them all with --out DIR\n"
    );
}

#[test]
fn unknown_env_is_a_usage_error() {
    // In-process: the parser clap uses gives a clear message.
    let err = "nonsense".parse::<Environment>().unwrap_err();
    assert_eq!(err.to_string(), "unknown environment 'nonsense'; use dev, staging or prod");
    // The real binaries: clap's usage error, exit code 2, nothing on stdout.
    let exes = executables();
    for exe in [&exes.synth, &exes.examples["cross_stack"]] {
        for args in [&["--env", "nonsense"][..], &["--env=nonsense", "--list"]] {
            let run = run_exe(exe, args);
            assert_eq!(run.code, 2, "{} {args:?}: {run:?}", exe.display());
            assert_eq!(run.stdout, "", "a usage error prints nothing on stdout");
            assert!(
                run.stderr.contains("invalid value 'nonsense' for '--env <ENV>'")
                    && run.stderr.contains("unknown environment 'nonsense'; use dev, staging or prod"),
                "stderr:\n{}",
                run.stderr
            );
        }
    }
}

#[test]
fn other_usage_errors_exit_2() {
    let synth = &executables().synth;
    for args in [&["--list", "--stack", "X"][..], &["--no-such-flag"], &["--out"]] {
        let run = run_exe(synth, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.starts_with("error: "), "{args:?}: {}", run.stderr);
    }
    let help = run_exe(synth, &["--help"]);
    assert_eq!(help.code, 0);
    for flag in ["--env", "--stack", "--list", "--out"] {
        assert!(help.stdout.contains(flag), "--help documents {flag}:\n{}", help.stdout);
    }
}

fn dangling_app(_env: Environment) -> App {
    let mut app = App::new();
    let stack = app.add_stack("Dangling");
    stack.root().add_resource("Alerts", CfnTopic::new().kms_master_key_id(Value::RefLogicalId("Nope".into())));
    app
}

#[test]
fn dangling_reference_fails_with_path_and_message_and_prints_nothing() {
    let expected = "error: [Dangling/Alerts] [TPL001] Properties.KmsMasterKeyId: Ref to 'Nope', which is not a \
                    resource, parameter or pseudo parameter of this template\n\
                    synth failed with 1 error; no template was written\n";
    for args in [&[][..], &["--env", "prod"], &["--stack", "Dangling"]] {
        let run = run_cli(args, &dangling_app);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}: nothing on stdout when synth fails");
        assert_eq!(run.stderr, expected, "{args:?}");
    }
    // With --out nothing is written either.
    let dir = temp_dir("cli-dangling").join("out");
    let run = run_cli(&["--out", dir.to_str().unwrap()], &dangling_app);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (1, "", expected));
    assert!(!dir.exists(), "no directory is created when synth fails");
}

#[test]
fn unknown_stack_is_an_error() {
    let names = default_stacks().join(", ");
    let run = run_cli(&["--stack", "NoSuchStack"], &default_app);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, format!("error: no stack named 'NoSuchStack'; the app has: {names}\n"));
    // A known name prints that stack.
    let known = run_cli(&["--stack", &default_stacks()[0]], &default_app);
    assert_eq!(known.stdout, run_cli(&[], &default_app).stdout);
    // Same through an example binary with two stacks.
    let ex = run_exe(&executables().examples["cross_stack"], &["--stack", "Nope"]);
    assert_eq!((ex.code, ex.stdout.as_str()), (1, ""), "{ex:?}");
    assert_eq!(ex.stderr, "error: no stack named 'Nope'; the app has: Network, Consumer\n");
}

fn dir_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn output_is_byte_identical_across_runs() {
    for env in common::ENVS {
        let a = run_cli(&["--env", env], &default_app);
        let b = run_cli(&["--env", env], &default_app);
        assert_eq!(a.code, 0, "{a:?}");
        assert!(a.stdout == b.stdout, "--env {env}: two in-process runs differ");
        // The real binary prints the very same bytes.
        let real = run_exe(&executables().synth, &["--env", env]);
        assert_eq!(real.code, 0, "{real:?}");
        assert!(real.stdout == a.stdout, "--env {env}: the binary and synth::run differ");
    }
    let exe = &executables().examples["cross_stack"];
    let (d1, d2) = (temp_dir("cli-identical"), temp_dir("cli-identical"));
    for d in [&d1, &d2] {
        assert_eq!(run_exe(exe, &["--env", "prod", "--out", d.to_str().unwrap()]).code, 0);
    }
    assert!(dir_contents(&d1) == dir_contents(&d2), "two --out runs write different bytes");
}

/// Issue 16, item 6: the build is any `Fn(Environment) -> App`, so it can capture
/// configuration read before synth runs (what `synth::main_with` takes too).
#[test]
fn a_build_closure_captures_its_configuration() {
    let topic_names = vec!["alerts".to_string(), "pages".to_string()];
    let build = move |env: Environment| {
        let mut app = App::for_environment(env);
        let stack = app.add_stack("Topics");
        for name in &topic_names {
            stack.root().add_resource(name, CfnTopic::new().topic_name(Value::str(name.as_str())));
        }
        app
    };
    let run = run_cli(&["--env", "dev"], &build);
    assert_eq!(run.code, 0, "{run:?}");
    let t: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let names: Vec<&str> =
        t["Resources"].as_object().unwrap().values().map(|r| r["Properties"]["TopicName"].as_str().unwrap()).collect();
    assert_eq!(names, ["alerts", "pages"]);
}

/// Issue 16, item 6: an app's own flags, through `synth::main_with_args`, beside
/// synth's: parsed, shown in `--help`, and used by the build.
#[test]
fn an_app_takes_flags_of_its_own() {
    let exe = &executables().examples["sharded_valkey"];
    let two = run_exe(exe, &["--env", "prod", "--shards", "2"]);
    assert_eq!(two.code, 0, "{}", two.stderr);
    let t: serde_json::Value = serde_json::from_str(&two.stdout).unwrap();
    let rg = t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::ElastiCache::ReplicationGroup");
    assert_eq!(rg.unwrap()["Properties"]["NumNodeGroups"], 2);
    let help = run_exe(exe, &["--help"]);
    assert!(help.stdout.contains("--shards <SHARDS>") && help.stdout.contains("--env <ENV>"), "{}", help.stdout);
    assert!(help.stdout.starts_with("The synth command"), "the app's doc comment is not the about text");
    let zero = run_exe(exe, &["--shards", "0"]);
    assert_eq!(zero.code, 1);
    assert!(
        zero.stderr.contains("[SessionStore/Sessions] [EC007] shards must be between 1 and 500, got 0"),
        "{}",
        zero.stderr
    );
    let typo = run_exe(exe, &["--shards", "two"]);
    assert_eq!(typo.code, 2, "clap's usage error");
    assert!(typo.stderr.contains("invalid value 'two' for '--shards <SHARDS>'"), "{}", typo.stderr);
}

#[test]
fn an_app_flag_that_synth_has_already_is_refused() {
    use synth::clap::{self, CommandFactory};
    #[derive(clap::Args)]
    struct Clashing {
        #[arg(long)]
        out: Option<String>,
        #[arg(short = 'V', long = "verbose-app")]
        verbose: bool,
        #[arg(long)]
        shards: Option<u32>,
    }
    let (_, clashes) = synth::with_app_args::<Clashing>(synth::Cli::command());
    assert_eq!(clashes, ["'out'", "-V"]);
    #[derive(clap::Args)]
    struct Fine {
        #[arg(long)]
        shards: Option<u32>,
    }
    let (command, clashes) = synth::with_app_args::<Fine>(synth::Cli::command());
    assert!(clashes.is_empty());
    assert!(command.get_arguments().any(|a| a.get_long() == Some("shards")));
}
