//! `synth check`, driven in-process through `synth::run` on the fixture templates
//! (synth/tests/fixtures/check/: good/ valid hand-written templates, bad/ one fault
//! each, named after the rule that must report it).

use clap::Parser;
use redis_cdk::validate::rules::RULES;
use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
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
    argv.push("--no-config-file".into());
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
    assert_eq!(run.stderr, format!("checked {} files: 0 errors, 0 warnings, 0 suppressed\n", good.len()));
}

#[test]
fn every_bad_template_is_reported_with_its_rule() {
    let bad = fixtures("bad");
    let run = check(&["--strict"], &bad);
    assert_eq!(run.code, 3, "IO-not-utf8.json cannot be read");
    for f in &bad {
        let prefix = format!("{}:", f.display());
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
        let want = match rule_of(&f).as_str() {
            "IO" => 3,
            // information never fails, not even with --strict
            r if redis_cdk::validate::rules::rule_info(r).is_some_and(|r| r.severity == redis_cdk::Severity::Info) => 0,
            _ => 1,
        };
        assert_eq!(run.code, want, "{}: {}", f.display(), run.stdout);
    }
}

#[test]
fn the_line_format_is_file_location_rule_message() {
    let f: Vec<PathBuf> =
        fixtures("bad").into_iter().filter(|f| f.ends_with("EC014-overlapping-windows.json")).collect();
    let run = check(&[], &f);
    assert_eq!(
        run.stdout,
        format!("{}:165:23: Cache.Properties.SnapshotWindow: [EC014] snapshot window '05:30-06:30' overlaps maintenance window 'sun:05:00-sun:06:00'; move one of them so they do not meet\n", f[0].display())
    );
    assert_eq!(run.stderr, "checked 1 file: 1 error, 0 warnings, 0 suppressed\n");
    assert_eq!(run.code, 1);
}

#[test]
fn warnings_fail_only_with_strict() {
    let f: Vec<PathBuf> =
        fixtures("bad").into_iter().filter(|f| f.ends_with("EC002-preferred-transit-mode.json")).collect();
    let run = check(&[], &f);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("[EC002]"));
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 1 warning, 0 suppressed\n");
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
            "line": 167,
            "column": 13,
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

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("synth-check-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const TOPIC_YAML: &str =
    "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n";

#[test]
fn broken_files_get_clear_errors_and_exit_3_when_unreadable() {
    let dir = TempDir::new("broken");
    let truncated = dir.write("truncated.json", "{\"Resources\": {\n  \"A\": {");
    let yaml = dir.write("template.yaml", TOPIC_YAML);
    let bom = dir.write("bom.json", "\u{feff}{\"Resources\": {\"Topic\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"KmsMasterKeyId\": \"alias/aws/sns\"}}}}");
    let bad_yaml = dir.write("bad.yaml", "Resources:\n  Topic:\n    Type: [AWS::SNS::Topic\n");
    let no_resources = dir.write("no-resources.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}");
    let run = check(&[], &[truncated.clone(), yaml.clone(), bom.clone(), bad_yaml.clone(), no_resources.clone()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let d = dir.0.display();
    let want = [
        format!("{d}/truncated.json:2:8: [JSON] not valid JSON: EOF while parsing an object at line 2 column 8"),
        format!("{d}/bad.yaml:4:1: [YAML] not valid YAML: "),
        format!("{d}/no-resources.json:1:1: [TPL009] a template must have a Resources section"),
    ];
    for w in &want {
        assert!(run.stdout.lines().any(|l| l.starts_with(w.as_str())), "want {w}\ngot {}", run.stdout);
    }
    assert_eq!(run.stdout.lines().count(), 3, "the YAML and BOM templates are clean: {}", run.stdout);
    assert_eq!(run.stderr, "checked 5 files: 3 errors, 0 warnings, 0 suppressed\n");

    // what is not a template, or cannot be read, stops the run from being complete: exit 3
    for (name, text, why) in [
        ("array.json", "[1, 2]", "not a CloudFormation template: a list"),
        ("null.yaml", "null\n", "not a CloudFormation template: null"),
        ("number.json", "3", "not a CloudFormation template: a number"),
        ("package.json", "{\"name\": \"x\"}", "not a CloudFormation template: a mapping without Resources"),
        ("latin1.json", "{\"a\": \"\u{e9}\"}", ""),
    ] {
        let mut bytes = text.as_bytes().to_vec();
        if name == "latin1.json" {
            bytes = b"{\"Resources\": \"\xe9\"}".to_vec();
        }
        let f = dir.write(name, bytes);
        let run = check(&[], &[f.clone(), yaml.clone()]);
        assert_eq!(run.code, 3, "{name}: {}", run.stdout);
        let want = if why.is_empty() { "not UTF-8 text".to_string() } else { why.to_string() };
        assert!(run.stdout.starts_with(&format!("{}: [IO] {want}", f.display())), "{name}: {}", run.stdout);
        assert!(run.stderr.ends_with("; 1 input could not be read\n"), "{}", run.stderr);
    }
    let missing = check(&[], &[dir.0.join("missing.json")]);
    assert_eq!(missing.code, 3);
    assert!(missing.stdout.contains("missing.json: [IO] cannot read: "), "{}", missing.stdout);
}

#[test]
fn directories_are_searched_and_what_is_not_a_template_is_skipped() {
    let dir = TempDir::new("walk");
    dir.write("a/cache.yaml", TOPIC_YAML);
    dir.write("a/b/stack.template", TOPIC_YAML.replace("alias/aws/sns", "''"));
    dir.write("a/package.json", "{\"name\": \"app\"}");
    dir.write("a/notes.txt", "Resources: none");
    dir.write("a/.hidden/t.yaml", "Resources: [");
    dir.write("z.yml", "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    let run = check(&[], std::slice::from_ref(&dir.0));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let d = dir.0.display();
    assert_eq!(run.stdout, "", "{}", run.stdout);
    assert_eq!(
        run.stderr,
        format!("note: skipped {d}/a/package.json: not a CloudFormation template: a mapping without Resources or AWSTemplateFormatVersion (a template is a mapping with a Resources section)\nchecked 3 files: 0 errors, 0 warnings, 0 suppressed; skipped 1 file that is not a template\n")
    );
}

#[test]
fn findings_point_at_the_line_and_column_of_their_value() {
    let dir = TempDir::new("where");
    let f = dir.write(
        "cache.yaml",
        concat!(
            "Parameters:\n",
            "  Token:\n",
            "    Type: String\n",
            "Resources:\n",
            "  Cache:\n",
            "    Type: AWS::ElastiCache::ReplicationGroup\n",
            "    Properties:\n",
            "      ReplicationGroupDescription: !Sub '${AWS::StackName} cache'\n",
            "      Engine: redis\n",
            "      EngineVersion: 7.1\n",
            "      CacheNodeType: cache.r7g.large\n",
            "      NumCacheClusters: 2\n",
            "      AutomaticFailoverEnabled: yes\n",
            "      AtRestEncryptionEnabled: true\n",
            "      TransitEncryptionEnabled: true\n",
            "      AuthToken: !Ref Token\n",
            "      Port: 70000\n",
            "      SecurityGroupIds: [!GetAtt Nowhere.GroupId]\n",
        ),
    );
    let run = check(&[], std::slice::from_ref(&f));
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = |rule: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("[{rule}]")))
            .unwrap_or_else(|| panic!("no {rule}: {}", run.stdout))
            .to_string()
    };
    let name = f.display();
    assert!(at("EC017").starts_with(&format!("{name}:17:13: Cache.Properties.Port: [EC017]")), "{}", at("EC017"));
    assert!(
        at("SEC001").starts_with(&format!("{name}:16:18: Cache.Properties.AuthToken: [SEC001]")),
        "{}",
        at("SEC001")
    );
    assert!(
        at("TPL002").starts_with(&format!("{name}:18:26: Cache.Properties.SecurityGroupIds.0: [TPL002]")),
        "{}",
        at("TPL002")
    );
    let json = check(&["--format", "json"], &[f]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let port = items.as_array().unwrap().iter().find(|i| i["rule"] == "EC017").unwrap();
    assert_eq!((port["line"].as_u64(), port["column"].as_u64()), (Some(17), Some(13)));
}

#[test]
fn control_characters_are_escaped_in_text() {
    let dir = TempDir::new("ctl");
    let f = dir.write("t.json", "{\"Resources\": {\"Bad\\u001b[2J\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"KmsMasterKeyId\": \"k\"}}}}");
    let run = check(&[], &[f]);
    assert!(run.stdout.contains("Bad\\u{1b}[2J"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}'));
}

fn metadata_template(resource_meta: &str, top_meta: &str) -> String {
    format!(
        "{top_meta}Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n{resource_meta}    Properties:\n      ReplicationGroupDescription: d\n      Engine: redis\n      EngineVersion: '7.1'\n      CacheNodeType: cache.r7g.large\n      NumCacheClusters: 1\n      AtRestEncryptionEnabled: true\n"
    )
}

#[test]
fn suppressions_are_counted_never_dropped_silently() {
    let dir = TempDir::new("sup");
    // EC019 (no TLS) and EC020 (no AUTH) are warnings of this template
    let plain = dir.write("plain.yaml", metadata_template("", ""));
    let run = check(&[], std::slice::from_ref(&plain));
    assert!(run.stdout.contains("[EC019]") && run.stdout.contains("[EC020]"), "{}", run.stdout);
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 2 warnings, 0 suppressed\n");

    let run = check(&["--ignore-checks", "EC019"], std::slice::from_ref(&plain));
    assert!(!run.stdout.contains("[EC019]") && run.stdout.contains("[EC020]"), "{}", run.stdout);
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 1 warning, 1 suppressed (1 by --ignore-checks)\n");
    let run = check(&["--include-checks", "EC02,SEC"], std::slice::from_ref(&plain));
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 1 warning, 1 suppressed (1 not in --include-checks)\n");
    let run = check(&["--ignore-checks", "EC0", "--strict"], std::slice::from_ref(&plain));
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "a prefix suppresses every rule it starts");

    let meta = "    Metadata:\n      synth-check:\n        ignore:\n          - id: EC019\n            reason: TLS ends at the sidecar proxy\n";
    let run = check(&["--strict"], &[dir.write("resource.yaml", metadata_template(meta, ""))]);
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 1 warning, 1 suppressed (1 by template metadata)\n");
    let top = "Metadata:\n  synth-check:\n    ignore: [{id: EC02, reason: a test cache}, {id: EC019, reason: test}]\n";
    let run = check(&["--strict"], &[dir.write("top.yaml", metadata_template("", top))]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    assert_eq!(run.stderr, "checked 1 file: 0 errors, 0 warnings, 2 suppressed (2 by template metadata)\n");
    // an entry without a reason, or naming no rule, suppresses nothing and says so
    let sloppy = "Metadata:\n  synth-check:\n    ignore: [{id: EC019}, {id: XX1, reason: r}]\n";
    let run = check(&[], &[dir.write("sloppy.yaml", metadata_template("", sloppy))]);
    assert_eq!(run.stdout.matches("[SUP001]").count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("[EC019]"), "{}", run.stdout);

    // an id that names no rule is a usage error
    let run = check(&["--ignore-checks", "EC999"], std::slice::from_ref(&plain));
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "synth check: 'EC999' is no rule id and no prefix of one; see synth check --list-rules\n");
}

fn exe() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_synth"))
}

#[test]
fn the_project_file_is_found_from_the_working_directory() {
    let dir = TempDir::new("config");
    let t = dir.write("t.yaml", metadata_template("", ""));
    dir.write(".synth-check.json", "{\"ignore_checks\": [\"EC019\"], \"strict\": true}");
    std::fs::create_dir_all(dir.0.join("sub/deeper")).unwrap();
    let out = exe().current_dir(dir.0.join("sub/deeper")).args(["check", t.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "strict from the file: EC020 fails");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 1 file: 0 errors, 1 warning, 1 suppressed (1 by --ignore-checks)\n"
    );
    let out = exe().current_dir(&dir.0).args(["check", "--no-config-file", "t.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    dir.write(".synth-check.json", "{\"ignore\": []}");
    let out = exe().current_dir(&dir.0).args(["check", "t.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        ".synth-check.json: unknown key 'ignore'; the keys are ignore_checks, include_checks, region, strict"
    ));
}

#[test]
fn stdin_is_read_from_dash_and_bounded() {
    use std::io::Write as _;
    let mut child = exe()
        .args(["check", "--no-config-file", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Resources:\n  Q:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Port: 99999\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("<stdin>:4:5: Q.Properties: [SCHEMA] missing required property 'Engine'"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn endless_and_oversized_inputs_are_refused_quickly() {
    let dir = TempDir::new("big");
    let big = dir.write("big.json", vec![b' '; 2 << 20]);
    let start = std::time::Instant::now();
    for (input, want) in [
        (big.display().to_string(), "the file is 2097152 bytes, over the 1048576-byte (1 MiB) limit".to_string()),
        ("/dev/zero".to_string(), "the stream is more than 1048576 bytes".to_string()),
    ] {
        let run = check(&[], &[PathBuf::from(&input)]);
        assert_eq!(run.code, 3, "{input}");
        assert!(run.stdout.starts_with(&format!("{input}: [IO] {want}")), "{}", run.stdout);
    }
    // a FIFO with no writer reads as empty instead of waiting for one
    let fifo = dir.0.join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let run = check(&[], std::slice::from_ref(&fifo));
    assert_eq!(run.code, 3);
    assert!(run.stdout.contains("not a CloudFormation template: empty"), "{}", run.stdout);
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
}

#[test]
fn sam_templates_are_checked_as_sam() {
    let dir = TempDir::new("sam");
    let f = dir.write(
        "sam.yaml",
        concat!(
            "Transform: AWS::Serverless-2016-10-31\n",
            "Globals:\n  Function:\n    Timeout: 10\n",
            "Resources:\n",
            "  Handler:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n",
            "  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: HandlerRole\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n",
            "Outputs:\n",
            "  Role:\n    Value: !GetAtt HandlerRole.Arn\n",
            "  Api:\n    Value: !Sub 'https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod'\n",
            "  Alias:\n    Value: !Ref Handler.Alias\n",
        ),
    );
    let run = check(&["--strict"], std::slice::from_ref(&f));
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stdout);
    // without the transform, the same names are missing
    let plain = dir.write(
        "plain.yaml",
        std::fs::read_to_string(&f).unwrap().replacen("Transform: AWS::Serverless-2016-10-31\n", "", 1),
    );
    let run = check(&[], &[plain]);
    for rule in ["[TPL009] unknown template section 'Globals'", "[TPL002]", "[TPL003]", "[TPL012]"] {
        assert!(run.stdout.contains(rule), "{rule}: {}", run.stdout);
    }
}

#[test]
fn language_extensions_loops_are_expanded_and_their_findings_point_at_the_loop() {
    let dir = TempDir::new("foreach");
    let f = dir.write(
        "loops.yaml",
        concat!(
            "Transform: AWS::LanguageExtensions\n",
            "Parameters:\n  Names:\n    Type: CommaDelimitedList\n",
            "Resources:\n",
            "  Fn::ForEach::Caches:\n",
            "    - Env\n",
            "    - [dev, prod]\n",
            "    - Cache${Env}:\n",
            "        Type: AWS::ElastiCache::ReplicationGroup\n",
            "        Properties:\n",
            "          ReplicationGroupDescription: !Sub '${Env} cache'\n",
            "          Engine: redis\n",
            "          EngineVersion: '7.1'\n",
            "          CacheNodeType: cache.r7g.large\n",
            "          NumCacheClusters: 1\n",
            "          Port: 70000\n",
            "          AtRestEncryptionEnabled: true\n",
            "          TransitEncryptionEnabled: true\n",
            "          AuthToken: '{{resolve:secretsmanager:t:SecretString:token}}'\n",
            "  Fn::ForEach::Queues:\n",
            "    - Name\n",
            "    - !Ref Names\n",
            "    - Queue${Name}:\n",
            "        Type: AWS::SQS::Queue\n",
            "Outputs:\n",
            "  DevHost:\n    Value: !GetAtt Cachedev.PrimaryEndPoint.Address\n",
            "  Queue:\n    Value: !Ref Queuea\n",
        ),
    );
    let run = check(&[], std::slice::from_ref(&f));
    let name = f.display();
    assert_eq!(
        run.stdout,
        format!(
            "{name}:21:3: Resources.Fn::ForEach::Queues: [TPL014] info: Fn::ForEach::Queues loops over a collection known only at deploy (Ref Names, a parameter without a default list); what it generates was not checked\n\
             {name}:6:3: Cachedev.Properties.Port: [EC017] Port 70000 is out of range; use 1 to 65535 (6379 is the default)\n\
             {name}:6:3: Cacheprod.Properties.Port: [EC017] Port 70000 is out of range; use 1 to 65535 (6379 is the default)\n"
        ),
        "the dev output's GetAtt of Cachedev is TPL002-free only if the loop ran: {}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

#[test]
fn check_help_shows_only_what_applies_to_check() {
    let err = synth::Cli::try_parse_from(["synth", "check", "--help"]).unwrap_err();
    let help = err.to_string();
    for flag in
        ["--format", "--ignore-checks", "--include-checks", "--strict", "--region", "Exit codes:", "  3  an input"]
    {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    for flag in ["--env", "--out", "--config", "--stack", "--list "] {
        assert!(!help.contains(flag), "{flag}: {help}");
    }
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
    assert!(run.stdout.contains("TPL013 error   a duplicate key in a JSON or YAML template\n"));
    assert!(run.stdout.contains("TPL014 info    a part of a LanguageExtensions template"));
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

/// The input of the format goldens, as a path relative to this package (where
/// cargo runs the tests), so the goldens hold no machine's directory.
const FORMATS: &str = "tests/fixtures/check/formats/cache.yaml";

fn golden(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/formats").join(name))
        .unwrap()
}

#[test]
fn junit_and_github_formats_match_their_goldens() {
    let junit = check(&["--format", "junit"], &[PathBuf::from(FORMATS)]);
    assert_eq!(junit.code, 1);
    assert_eq!(junit.stdout, golden("cache.junit.xml"));
    let github = check(&["--format", "github"], &[PathBuf::from(FORMATS)]);
    assert_eq!(github.stdout, golden("cache.github.txt"));
    assert_eq!(github.stderr, "checked 1 file: 1 error, 2 warnings, 1 suppressed (1 by template metadata)\n");
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let dir = TempDir::new("sarif");
    let unreadable = dir.write("bad.json", [0xffu8, 0xfe]);
    let mut inputs: Vec<PathBuf> = vec![PathBuf::from(FORMATS), unreadable];
    inputs.extend(fixtures("bad").into_iter().take(12));
    let run = check(&["--format", "sarif"], &inputs);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "synth check");
    assert_eq!(run0["tool"]["driver"]["rules"].as_array().unwrap().len(), RULES.len(), "one rule entry per rule id");
    let results = run0["results"].as_array().unwrap();
    let port = results.iter().find(|r| r["ruleId"] == "EC017").unwrap();
    assert_eq!(port["level"], "error");
    assert_eq!(
        port["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/check/formats/cache.yaml"
    );
    assert_eq!(
        port["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 17, "startColumn": 13})
    );
    assert_eq!(RULES[port["ruleIndex"].as_u64().unwrap() as usize].id, "EC017");
    let suppressed = results.iter().find(|r| r["ruleId"] == "EC018").unwrap();
    assert_eq!(suppressed["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "a test cache, encryption at rest comes with the snapshot copy"
    );
    let notes = run0["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "the unreadable file is a notification");
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
    // a broken SARIF fails the schema: the test can fail
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}
