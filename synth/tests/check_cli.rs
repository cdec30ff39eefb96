//! `synth check`, driven in-process through `synth::run` on the fixture templates
//! (tests/fixtures/check/: good/ valid hand-written templates, bad/ one fault
//! each, named after the rule that must report it).

use clap::Parser;
use redis_cdk::validate::rules::RULES;
use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/check").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

struct Run {
    code: u8,
    stdout: String,
    stderr: String,
}

fn check(args: &[&str], files: &[PathBuf]) -> Run {
    let mut argv: Vec<String> = vec!["synth".into(), "check".into()];
    argv.extend(args.iter().map(|s| s.to_string()));
    argv.extend(files.iter().map(|f| f.display().to_string()));
    let cli = synth::Cli::try_parse_from(&argv).expect("arguments parse");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = synth::run(&cli, &synth::default_app::build, &mut out, &mut err);
    Run { code, stdout: String::from_utf8(out).unwrap(), stderr: String::from_utf8(err).unwrap() }
}

fn rule_of(file: &Path) -> String {
    file.file_name().unwrap().to_str().unwrap().split('-').next().unwrap().to_string()
}

#[test]
fn good_templates_pass_even_strict() {
    let good = fixtures("good");
    assert!(good.len() >= 4);
    let run = check(&["--strict"], &good);
    assert_eq!(run.stdout, "", "{}", run.stdout);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, format!("checked {} files: 0 errors, 0 warnings\n", good.len()));
}

#[test]
fn every_bad_template_is_reported_with_its_rule() {
    let bad = fixtures("bad");
    let run = check(&["--strict"], &bad);
    assert_eq!(run.code, 1);
    for f in &bad {
        let prefix = format!("{}: ", f.display());
        let rule = format!("[{}]", rule_of(f));
        assert!(
            run.stdout.lines().any(|l| l.starts_with(&prefix) && l.contains(&rule)),
            "{} is not reported with {rule}:\n{}",
            f.display(),
            run.stdout
        );
    }
    // Every rule of the set has a fixture (the CON rules check construct props
    // before a template exists, the APP rules the construct tree: the construct tests
    // have them).
    let covered: Vec<String> = bad.iter().map(|f| rule_of(f)).collect();
    for r in RULES.iter().filter(|r| !r.id.starts_with("CON") && !r.id.starts_with("APP")) {
        assert!(covered.iter().any(|c| c == r.id), "no bad fixture for {}", r.id);
    }
}

#[test]
fn findings_follow_the_order_of_the_files_given() {
    // The files are checked on several threads; the report must not show it.
    let mut files: Vec<PathBuf> = fixtures("bad").into_iter().chain(fixtures("good")).collect();
    files.reverse();
    files.push(files[files.len() - 1].clone()); // a file given twice is reported twice
    let one_by_one: String = files.iter().map(|f| check(&[], std::slice::from_ref(f)).stdout).collect();
    let together = check(&[], &files);
    assert!(together.stdout.lines().count() > fixtures("bad").len(), "{}", together.stdout);
    assert_eq!(together.stdout, one_by_one);
    let json = check(&["--format", "json"], &files);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let order: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["file"].as_str().unwrap()).collect();
    let position = |f: &str| files.iter().position(|p| p.display().to_string() == f).unwrap();
    assert!(order.windows(2).all(|w| position(w[0]) <= position(w[1])), "{order:?}");
}

#[test]
fn each_bad_template_fails_alone_with_strict() {
    for f in fixtures("bad") {
        let run = check(&["--strict"], std::slice::from_ref(&f));
        assert_eq!(run.code, 1, "{}: {}", f.display(), run.stdout);
    }
}

#[test]
fn the_line_format_is_file_location_rule_message() {
    let f: Vec<PathBuf> =
        fixtures("bad").into_iter().filter(|f| f.ends_with("EC014-overlapping-windows.json")).collect();
    let run = check(&[], &f);
    assert_eq!(
        run.stdout,
        format!("{}: Cache.Properties.SnapshotWindow: [EC014] snapshot window '05:30-06:30' overlaps maintenance window 'sun:05:00-sun:06:00'; move one of them so they do not meet\n", f[0].display())
    );
    assert_eq!(run.stderr, "checked 1 file: 1 error, 0 warnings\n");
    assert_eq!(run.code, 1);
}

#[test]
fn warnings_fail_only_with_strict() {
    let f: Vec<PathBuf> =
        fixtures("bad").into_iter().filter(|f| f.ends_with("EC002-preferred-transit-mode.json")).collect();
    let run = check(&[], &f);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("[EC002]"));
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 1 warning\n");
    assert_eq!(check(&["--strict"], &f).code, 1);
}

#[test]
fn json_format_is_an_array_of_findings() {
    let f: Vec<PathBuf> = fixtures("bad").into_iter().filter(|f| f.ends_with("EC017-port-out-of-range.json")).collect();
    let run = check(&["--format", "json"], &f);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(
        v,
        serde_json::json!([{
            "file": f[0].display().to_string(),
            "severity": "error",
            "rule": "EC017",
            "logical_id": "Cache",
            "path": "Properties.Port",
            "message": "Port 70000 is out of range; use 1 to 65535 (6379 is the default)"
        }])
    );
    let empty = check(&["--format", "json"], &fixtures("good"));
    assert_eq!(empty.stdout.trim(), "[]");
    assert_eq!(empty.code, 0);
}

#[test]
fn broken_files_get_clear_errors() {
    let dir = std::env::temp_dir().join(format!("synth-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let files = vec![
        write("truncated.json", "{\"Resources\": {"),
        write("template.yaml", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"),
        write("array.json", "[1, 2]"),
        write("no-resources.json", "{\"Description\": \"x\"}"),
        dir.join("missing.json"),
    ];
    let run = check(&[], &files);
    assert_eq!(run.code, 1);
    let d = dir.display();
    let want = [
        format!("{d}/truncated.json: [JSON] not valid JSON: EOF while parsing an object at line 1 column 15"),
        format!("{d}/template.yaml: [JSON] not valid JSON: expected value at line 1 column 1; synth check reads JSON templates only (convert YAML with cfn-flip)"),
        format!("{d}/array.json: [TPL009] a template must be a JSON object with a Resources section"),
        format!("{d}/no-resources.json: [TPL009] a template must have a Resources section"),
    ];
    for w in &want {
        assert!(run.stdout.lines().any(|l| l == w), "want {w}\ngot {}", run.stdout);
    }
    assert!(run.stdout.contains(&format!("{d}/missing.json: [IO] cannot read the file: ")), "{}", run.stdout);
    assert_eq!(run.stderr, "checked 5 files: 5 errors, 0 warnings\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_needs_a_file() {
    let err = synth::Cli::try_parse_from(["synth", "check"]).unwrap_err();
    assert!(err.to_string().contains("required"), "{err}");
}

#[test]
fn the_default_app_passes_its_own_check() {
    for env in ["dev", "staging", "prod"] {
        let cli = synth::Cli::try_parse_from(["synth", "--env", env]).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(
            synth::run(&cli, &synth::default_app::build, &mut out, &mut err),
            0,
            "{}",
            String::from_utf8_lossy(&err)
        );
        let template: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let findings = redis_cdk::validate::check_template(&template);
        assert!(findings.is_empty(), "{env}: {findings:#?}");
    }
}

#[test]
fn list_rules_prints_the_one_table() {
    let run = check(&["--list-rules"], &[]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), RULES.len());
    for (line, r) in lines.iter().zip(RULES) {
        assert!(line.starts_with(r.id) && line.ends_with(r.summary), "{line}");
    }
    assert!(run.stdout.contains("EC008  error   a node type ElastiCache does not offer\n"));
    assert!(run.stdout.contains("TPL013 error   a duplicate key in a JSON template\n"));
    assert!(run.stdout.contains("CON001 warning a cluster-mode group with no replica per shard"));
}

#[test]
fn region_drives_node_type_availability() {
    let dir = std::env::temp_dir().join(format!("redis-cdk-region-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = fixtures("good").into_iter().find(|f| f.ends_with("redis7-replication-group.json")).unwrap();
    let mut t: serde_json::Value = serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    t["Parameters"]["NodeType"]["Default"] = serde_json::json!("cache.c7gn.large");
    let file = dir.join("c7gn.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&t).unwrap()).unwrap();
    let files = [file];
    assert_eq!(check(&[], &files).code, 0, "offered somewhere: fine without a region");
    assert_eq!(check(&["--region", "us-east-1"], &files).code, 0);
    let run = check(&["--region", "ca-central-1"], &files);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "[EC008] node type 'cache.c7gn.large' (the default of parameter NodeType) is not offered in ca-central-1"
        ),
        "{}",
        run.stdout
    );
    let run = check(&["--region", "mars-north-1"], &files);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--region 'mars-north-1' is not a region of the node-type data"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}
