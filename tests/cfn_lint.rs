//! Every template the project produces (the default app and every example, for
//! dev, staging and prod) passes the external validators with zero findings:
//! cfn-lint (informational checks included) and checkov.
//!
//! The set is synthesized once for both tests (`common::synthesized`). A missing
//! tool fails the test, unless `REDIS_CDK_SKIP_EXTERNAL=1`.

mod common;

use common::{external_tool, synthesized};
use std::process::Command;

#[test]
fn the_set_covers_every_app_and_environment() {
    let set = synthesized();
    let mut apps = vec![common::DEFAULT_APP.to_string()];
    apps.extend(common::example_names());
    for app in &apps {
        for env in common::ENVS {
            let out = set.outputs.iter().find(|o| &o.app == app && o.env == env);
            let out = out.unwrap_or_else(|| panic!("{app} ({env}) is missing from the synthesized set"));
            assert!(!out.templates.is_empty(), "{}: no template", out.label());
            for t in &out.templates {
                assert!(t.is_file(), "{}: {} was not written", out.label(), t.display());
            }
        }
    }
}

#[test]
fn cfn_lint_finds_nothing() {
    let Some(cfn_lint) = external_tool("cfn-lint", "pip install cfn-lint") else { return };
    let templates = synthesized().templates();
    // One call for every template: cfn-lint costs about a second per call.
    let out = Command::new(&cfn_lint)
        .args(["--include-checks", "I", "--"])
        .args(&templates)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", cfn_lint.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.trim().is_empty(),
        "cfn-lint found problems in the synthesized templates (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    eprintln!("cfn-lint: {} templates, no findings", templates.len());
}

#[test]
fn checkov_finds_no_failed_check() {
    let Some(checkov) = external_tool("checkov", "pip install checkov") else { return };
    let set = synthesized();
    // One call for the whole directory; offline: no download, no update check.
    let out = Command::new(&checkov)
        .arg("-d")
        .arg(&set.dir)
        .args(["--framework", "cloudformation", "--skip-download", "--output", "json"])
        .env("BC_SKIP_MAPPING", "TRUE")
        .env("CKV_SKIP_PACKAGE_UPDATE_CHECK", "true")
        .env("LOG_LEVEL", "ERROR")
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", checkov.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("checkov did not print a JSON report ({e}), exit {:?}:\n{stdout}\n{stderr}", out.status.code())
    });
    // One framework gives an object; several give a list of them.
    let reports = match &report {
        serde_json::Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let mut failed = Vec::new();
    let mut skipped = Vec::new();
    let (mut passed, mut resources, mut parse_errors) = (0, 0, 0);
    for r in &reports {
        let summary = &r["summary"];
        passed += summary["passed"].as_u64().unwrap_or(0);
        resources += summary["resource_count"].as_u64().unwrap_or(0);
        parse_errors += summary["parsing_errors"].as_u64().unwrap_or(0);
        for f in r["results"]["skipped_checks"].as_array().into_iter().flatten() {
            let comment = f["check_result"]["suppress_comment"].as_str().unwrap_or_default();
            skipped.push((
                f["check_id"].as_str().unwrap_or("?").to_string(),
                f["resource"].as_str().unwrap_or("?").to_string(),
                comment.to_string(),
            ));
        }
        for f in r["results"]["failed_checks"].as_array().into_iter().flatten() {
            failed.push(format!(
                "{} {} ({}) {} {}",
                f["check_id"].as_str().unwrap_or("?"),
                f["check_name"].as_str().unwrap_or(""),
                f["guideline"].as_str().unwrap_or(""),
                f["file_path"].as_str().unwrap_or("?"),
                f["resource"].as_str().unwrap_or("?")
            ));
        }
    }
    assert!(failed.is_empty(), "checkov: {} failed check(s):\n{}", failed.len(), failed.join("\n"));
    // The only check the library skips: CKV_AWS_117 (Lambda in a VPC) on a password
    // rotation function outside one, which calls AWS APIs only; with its reason.
    for (id, resource, comment) in &skipped {
        assert!(
            id == "CKV_AWS_117"
                && resource.starts_with("AWS::Lambda::Function.")
                && comment.contains("PasswordRotation::vpc"),
            "checkov skipped {id} on {resource} ({comment:?}): only CKV_AWS_117 on a rotation function is expected"
        );
    }
    assert!(!skipped.is_empty(), "the rotating_users example's rotation functions skip CKV_AWS_117 with a reason");
    assert_eq!(parse_errors, 0, "checkov could not parse some templates:\n{stdout}\n{stderr}");
    assert!(passed > 0 && resources > 0, "checkov scanned nothing:\n{stdout}\n{stderr}");
    assert!(out.status.success(), "checkov exit {:?}:\n{stderr}", out.status.code());
    eprintln!("checkov: {resources} resources, {passed} passed checks, none failed");
}

/// `synth check`'s YAML reader against cfn-lint's (`cfnlint.decode`, PyYAML with
/// CloudFormation's constructors): every YAML template of the public corpus and
/// the YAML fixture give the same template, key order and short forms included
/// (`scripts/cfn-lint-decode.py` prints cfn-lint's reading).
#[test]
fn the_yaml_reader_agrees_with_cfn_lint() {
    let Some(cfn_lint) = external_tool("cfn-lint", "pip install cfn-lint") else { return };
    let root = common::root();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("tests/fixtures/corpus-yaml"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files.push(root.join("synth/tests/fixtures/check/good/redis7-replication-group.yaml"));
    assert!(files.len() >= 20, "{files:?}");
    // the Python that has cfn-lint: .ci/run's, the one beside the cfn-lint script, or python3
    let candidates = [
        std::env::var_os("REDIS_CDK_PYTHON").map(std::path::PathBuf::from),
        cfn_lint.parent().map(|d| d.join("python")),
        Some("python3".into()),
    ];
    let python = candidates
        .into_iter()
        .flatten()
        .find(|p| Command::new(p).args(["-c", "import cfnlint.decode"]).output().is_ok_and(|o| o.status.success()))
        .expect("a Python that imports cfnlint (set REDIS_CDK_PYTHON)");
    let out = Command::new(&python)
        .arg(root.join("scripts/cfn-lint-decode.py"))
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cfn-lint's reading is JSON");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let ours = synth::source::parse(f.display().to_string(), text);
        assert!(ours.findings.is_empty(), "{}: {:?}", f.display(), ours.findings);
        let want = &theirs[f.display().to_string()];
        assert!(want.get("cfn-lint-error").is_none(), "{}: {want}", f.display());
        assert_eq!(&ours.template, want, "{} is read differently from cfn-lint", f.display());
        let (ours_keys, their_keys): (Vec<&String>, Vec<&String>) = (
            ours.template["Resources"].as_object().unwrap().keys().collect(),
            want["Resources"].as_object().unwrap().keys().collect(),
        );
        assert_eq!(ours_keys, their_keys, "{}: resource order", f.display());
    }
    eprintln!("YAML reader: {} templates read as cfn-lint reads them", files.len());
}
