//! `synth check PATH...`: the schemas, the ElastiCache rule set and the integrity
//! checks, on any CloudFormation template, JSON or YAML, ours or hand-written.
//!
//! Inputs are files, directories (searched recursively for `.json`, `.yaml`,
//! `.yml` and `.template` files; a file there that is not a CloudFormation
//! template is skipped with a note) and `-` for stdin ([`crate::source`]).
//! Every finding names the file, line and column of the value it is about.
//! Findings can be suppressed by rule id (`--ignore-checks`, `--include-checks`,
//! the project file [`CONFIG_FILE`], template `Metadata`); suppressed findings are
//! counted in the summary on stderr, and listed as suppressed in SARIF.
//!
//! Exit codes: 0 no error (warnings too with `--strict`), 1 errors found, 2 usage
//! error, 3 an input could not be read or is not a template (it wins over 1).

use crate::source::{self, Input, Pos, Source, Unreadable};
use redis_cdk::core::parallel::par_map;
use redis_cdk::template::Template;
use redis_cdk::validate::{check_template_in, rules, schema, transforms, Finding};
use redis_cdk::Severity;
use serde_json::{json, Value as J};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The project configuration file, looked for in the working directory and then
/// in each parent: a JSON object with any of `ignore_checks` and `include_checks`
/// (lists of rule ids or id prefixes), `region` (a string) and `strict` (a boolean).
pub const CONFIG_FILE: &str = ".synth-check.json";

/// The key of template and resource `Metadata` that suppresses findings:
/// `{"synth-check": {"ignore": [{"id": "EC019", "reason": "why"}]}}`.
pub const METADATA_KEY: &str = "synth-check";

/// Exit code: an input could not be read, or is not a template.
pub const EXIT_UNREADABLE: u8 = 3;

/// The exit codes, as `synth check --help` ends.
pub const EXIT_CODES: &str = "Exit codes:
  0  no errors (warnings and information do not fail, unless --strict)
  1  errors found (or warnings, with --strict)
  2  usage error: a bad flag, rule id, region or .synth-check.json
  3  an input could not be read, is over 1 MiB, or is not a template (wins over 1)

Suppress a finding in the template: Metadata: {synth-check: {ignore: [{id: EC019, reason: why}]}}
at the top level (the whole template) or in a resource (that resource).";

/// Check CloudFormation templates (JSON or YAML): provider schemas, ElastiCache
/// rules, references and limits.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Templates to check: files, directories (searched for .json, .yaml, .yml and
    /// .template files; files there that are not templates are skipped), or - for stdin.
    #[arg(required_unless_present = "list_rules", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// The region the templates deploy to: node types must be offered there.
    /// Default: every region of the node-type data (a type offered nowhere fails).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Print every rule (id, severity, what it finds) and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Rule ids (or id prefixes, such as EC0) whose findings are not reported;
    /// they are counted as suppressed. Comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub ignore_checks: Vec<String>,

    /// Report only the findings of these rule ids (or id prefixes); the others are
    /// counted as suppressed. --ignore-checks still applies to these.
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub include_checks: Vec<String>,

    /// Do not read the project file .synth-check.json.
    #[arg(long)]
    pub no_config_file: bool,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `FILE:LINE:COL: LogicalId.Path: [RULE] message`, one per line.
    Text,
    /// A JSON array of `{file, line, column, severity, rule, logical_id, path, message}`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// JUnit XML: a test suite per file, a test case per rule.
    Junit,
    /// GitHub Actions workflow commands (`::error file=...,line=...,col=...::`).
    Github,
}

/// Why a finding is not reported.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Suppression {
    /// By `--ignore-checks` or the project file's `ignore_checks`.
    Ignored,
    /// Not in `--include-checks`.
    NotIncluded,
    /// By template or resource `Metadata`, with its reason.
    Metadata(String),
}

/// One finding in one file, where it is.
struct Located {
    pos: Pos,
    finding: Finding,
    suppressed: Option<Suppression>,
}

/// What checking one input gave.
enum Outcome {
    Checked(Vec<Located>),
    Skipped(String),
    Unreadable(String),
}

/// The checked inputs, in the order given.
struct Report {
    files: Vec<(String, Outcome)>,
}

/// The settings of a run: flags merged with the project file.
#[derive(Debug, Default)]
struct Settings {
    ignore: Vec<String>,
    include: Vec<String>,
    region: Option<String>,
    strict: bool,
}

/// Runs `synth check`: returns the exit code.
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.list_rules {
        let listed = rules::RULES
            .iter()
            .try_for_each(|r| writeln!(out, "{:<6} {:<7} {}", r.id, r.severity.to_string(), r.summary));
        return if listed.is_ok() { 0 } else { 2 };
    }
    let settings = match settings(args) {
        Ok(s) => s,
        Err(message) => {
            let _ = writeln!(err, "synth check: {message}");
            return 2;
        }
    };
    let inputs = source::expand(&args.files);
    let report = Report { files: check_inputs(&inputs, &settings) };
    let written = match args.format {
        Format::Text => text(&report, out),
        Format::Json => json_out(&report, out),
        Format::Sarif => sarif(&report, out),
        Format::Junit => junit(&report, settings.strict, out),
        Format::Github => github(&report, out),
    };
    if let Err(e) = written {
        let _ = writeln!(err, "error: writing the findings: {e}");
        return 1;
    }
    summary(&report, &settings, err)
}

/// The flags, with the project file's settings under them.
fn settings(args: &CheckArgs) -> Result<Settings, String> {
    let mut s = Settings::default();
    if !args.no_config_file {
        if let Some(found) = std::env::current_dir().ok().and_then(|d| find_config(&d)) {
            s = read_config(&found)?;
        }
    }
    s.ignore.extend(args.ignore_checks.iter().map(|i| i.trim().to_string()));
    if !args.include_checks.is_empty() {
        s.include = args.include_checks.iter().map(|i| i.trim().to_string()).collect();
    }
    if args.region.is_some() {
        s.region.clone_from(&args.region);
    }
    s.strict |= args.strict;
    for id in s.ignore.iter().chain(&s.include) {
        if id.is_empty() || !rules::RULES.iter().any(|r| r.id.starts_with(id.as_str())) {
            return Err(format!("'{id}' is no rule id and no prefix of one; see synth check --list-rules"));
        }
    }
    if let Some(r) = &s.region {
        if !redis_cdk::facts::data::REGIONS.contains(&r.as_str()) {
            return Err(format!(
                "--region '{r}' is not a region of the node-type data ({}); use one of {}",
                redis_cdk::facts::data::DATE,
                redis_cdk::facts::data::REGIONS.join(", ")
            ));
        }
    }
    Ok(s)
}

/// [`CONFIG_FILE`] in `dir` or its nearest parent that has one.
fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(CONFIG_FILE)).find(|p| p.is_file())
}

fn read_config(path: &Path) -> Result<Settings, String> {
    let at = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{at}: cannot read: {e}"))?;
    let value: J = serde_json::from_str(&text).map_err(|e| format!("{at}: not valid JSON: {e}"))?;
    let J::Object(map) = value else { return Err(format!("{at}: must be a JSON object")) };
    let mut s = Settings::default();
    let ids = |key: &str, v: &J| -> Result<Vec<String>, String> {
        v.as_array()
            .and_then(|a| a.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
            .ok_or_else(|| format!("{at}: {key} must be a list of rule ids, such as [\"EC019\"]"))
    };
    for (key, v) in &map {
        match key.as_str() {
            "ignore_checks" => s.ignore = ids(key, v)?,
            "include_checks" => s.include = ids(key, v)?,
            "region" => {
                s.region = Some(v.as_str().ok_or_else(|| format!("{at}: region must be a string"))?.to_string())
            }
            "strict" => s.strict = v.as_bool().ok_or_else(|| format!("{at}: strict must be true or false"))?,
            other => {
                return Err(format!(
                    "{at}: unknown key '{other}'; the keys are ignore_checks, include_checks, region, strict"
                ))
            }
        }
    }
    Ok(s)
}

/// Checks each input on as many threads as the machine has cores, each taking
/// the next unchecked one (the library's one parallel helper, `par_map`), so that
/// one slow file does not hold up the rest; the schemas of the first template's
/// types are compiled across the cores first.
/// (100 split-stack templates, whole process: 48 ms on one thread, 29 ms on two.)
fn check_inputs(inputs: &[(PathBuf, bool)], settings: &Settings) -> Vec<(String, Outcome)> {
    let Some(((first, first_dir), rest)) = inputs.split_first() else { return Vec::new() };
    let name_of = |p: &Path| if p.as_os_str() == "-" { "<stdin>".to_string() } else { p.display().to_string() };
    let first_outcome = match source::read(first, *first_dir) {
        Input::Template(s) => {
            if let Some(t) = Template::new(&s.template, None) {
                schema::precompile(t.resources().filter_map(|r| r.ty));
            }
            check_source(s, settings)
        }
        other => outcome_of(other, settings),
    };
    let one = |(p, d): &(PathBuf, bool)| outcome_of(source::read(p, *d), settings);
    let mut results = Vec::with_capacity(inputs.len());
    results.push(first_outcome);
    results.extend(par_map(rest, one));
    inputs.iter().zip(results).map(|((p, _), o)| (name_of(p), o)).collect()
}

fn outcome_of(input: Input, settings: &Settings) -> Outcome {
    match input {
        Input::Template(s) => check_source(s, settings),
        Input::Skipped { why, .. } => Outcome::Skipped(why),
        Input::Unreadable(Unreadable { reason, .. }) => Outcome::Unreadable(reason),
    }
}

/// The findings of one template, each placed and judged for suppression.
fn check_source(mut s: Source, settings: &Settings) -> Outcome {
    let mut findings = std::mem::take(&mut s.findings);
    let syntax_error = s.syntax_error_at();
    if s.parsed() {
        findings.extend(check_template_in(&s.template, settings.region.as_deref()));
    }
    let (by_metadata, mut bad) = metadata_suppressions(&s.template);
    findings.append(&mut bad);
    if findings.is_empty() {
        return Outcome::Checked(Vec::new());
    }
    // positions only for a template with findings (for JSON a second pass over the text)
    // a finding on an id that a Fn::ForEach generated points at its loop
    let origins = transforms::generated_origins(&s.template);
    let positions = s.positions();
    let located = findings
        .into_iter()
        .map(|finding| {
            let id = finding.logical_id.as_deref();
            let pos = match (syntax_error, id) {
                (Some(p), None) if matches!(finding.rule, "JSON" | "YAML") => p,
                (_, Some(id)) if !positions.knows(id) => origins
                    .iter()
                    .find(|(_, generated, _)| generated == id)
                    .and_then(|(section, _, lp)| positions.get(&format!("{section}.{lp}")))
                    .unwrap_or_else(|| positions.locate(Some(id), &finding.path)),
                _ => positions.locate(id, &finding.path),
            };
            let suppressed = suppression(&finding, settings, &by_metadata);
            Located { pos, finding, suppressed }
        })
        .collect();
    Outcome::Checked(located)
}

fn matches_any(rule: &str, ids: &[String]) -> bool {
    ids.iter().any(|i| rule.starts_with(i.as_str()))
}

/// Why `f` is not reported, if it is not. SUP001 (a bad suppression) is never
/// suppressed by metadata, which it is about.
fn suppression(f: &Finding, settings: &Settings, by_metadata: &[MetaIgnore]) -> Option<Suppression> {
    if matches_any(f.rule, &settings.ignore) {
        return Some(Suppression::Ignored);
    }
    if !settings.include.is_empty() && !matches_any(f.rule, &settings.include) {
        return Some(Suppression::NotIncluded);
    }
    if f.rule == "SUP001" {
        return None;
    }
    by_metadata
        .iter()
        .find(|m| f.rule.starts_with(m.id.as_str()) && (m.logical_id.is_none() || m.logical_id == f.logical_id))
        .map(|m| Suppression::Metadata(m.reason.clone()))
}

/// One `ignore` entry of template (`logical_id` none) or resource `Metadata`.
struct MetaIgnore {
    logical_id: Option<String>,
    id: String,
    reason: String,
}

/// The suppressions that template and resource `Metadata` declare, and a SUP001
/// warning for each entry that cannot be applied (no rule id it names, no reason).
fn metadata_suppressions(template: &J) -> (Vec<MetaIgnore>, Vec<Finding>) {
    let mut ignores = Vec::new();
    let mut bad = Vec::new();
    let mut read = |logical_id: Option<&str>, prefix: &str, meta: Option<&J>| {
        let Some(block) = meta.and_then(|m| m.get(METADATA_KEY)) else { return };
        let path = format!("{prefix}Metadata.{METADATA_KEY}");
        let Some(list) = block.get("ignore").and_then(J::as_array) else {
            bad.push(Finding::warning("SUP001", logical_id, path, format!("{METADATA_KEY} must be {{\"ignore\": [{{\"id\": RULE, \"reason\": WHY}}, ...]}}; nothing is suppressed")));
            return;
        };
        for (i, entry) in list.iter().enumerate() {
            let at = format!("{path}.ignore.{i}");
            let id = entry.get("id").and_then(J::as_str).unwrap_or("").trim();
            let reason = entry.get("reason").and_then(J::as_str).unwrap_or("").trim();
            if id.is_empty() || !rules::RULES.iter().any(|r| r.id.starts_with(id)) {
                let shown = entry.get("id").map_or_else(|| "no id".to_string(), |v| format!("id {v}"));
                bad.push(Finding::warning(
                    "SUP001",
                    logical_id,
                    at,
                    format!("{shown} names no rule (see synth check --list-rules); this entry suppresses nothing"),
                ));
            } else if reason.is_empty() {
                bad.push(Finding::warning("SUP001", logical_id, at, format!("the suppression of {id} gives no reason; add \"reason\": why the finding does not apply (it is not suppressed until then)")));
            } else {
                ignores.push(MetaIgnore {
                    logical_id: logical_id.map(str::to_string),
                    id: id.to_string(),
                    reason: reason.to_string(),
                });
            }
        }
    };
    read(None, "", template.get("Metadata"));
    if let Some(resources) = template.get("Resources").and_then(J::as_object) {
        for (id, r) in resources {
            read(Some(id), "", r.get("Metadata"));
        }
    }
    (ignores, bad)
}

/// Control characters and bidirectional overrides written as `\u{..}`, so that a
/// logical id or value cannot rewrite the terminal or hide text.
fn clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The reported (not suppressed) findings, with their file.
fn reported(report: &Report) -> impl Iterator<Item = (&str, &Located)> {
    report.files.iter().flat_map(|(name, o)| match o {
        Outcome::Checked(found) => {
            found.iter().filter(|l| l.suppressed.is_none()).map(move |l| (name.as_str(), l)).collect()
        }
        _ => Vec::new(),
    })
}

/// The inputs that could not be read, with why.
fn unreadable(report: &Report) -> impl Iterator<Item = (&str, &str)> {
    report.files.iter().filter_map(|(name, o)| match o {
        Outcome::Unreadable(why) => Some((name.as_str(), why.as_str())),
        _ => None,
    })
}

fn text(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for (name, o) in &report.files {
        let name = clean(name);
        match o {
            Outcome::Checked(found) => {
                for l in found.iter().filter(|l| l.suppressed.is_none()) {
                    let f = &l.finding;
                    let loc = f.location();
                    let sep = if loc.is_empty() { "" } else { ": " };
                    let info = if f.severity == Severity::Info { "info: " } else { "" };
                    writeln!(
                        out,
                        "{name}:{}:{}: {}{sep}[{}] {info}{}",
                        l.pos.line,
                        l.pos.col,
                        clean(&loc),
                        f.rule,
                        clean(&f.message)
                    )?;
                }
            }
            Outcome::Unreadable(why) => writeln!(out, "{name}: [IO] {}", clean(why))?,
            Outcome::Skipped(_) => {}
        }
    }
    Ok(())
}

fn json_out(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut items: Vec<J> = Vec::new();
    for (name, o) in &report.files {
        match o {
            Outcome::Checked(found) => items.extend(found.iter().filter(|l| l.suppressed.is_none()).map(|l| {
                json!({
                    "file": name,
                    "line": l.pos.line,
                    "column": l.pos.col,
                    "severity": l.finding.severity.to_string(),
                    "rule": l.finding.rule,
                    "logical_id": l.finding.logical_id,
                    "path": l.finding.path,
                    "message": l.finding.message,
                })
            })),
            Outcome::Unreadable(why) => items.push(json!({
                "file": name, "line": null, "column": null, "severity": "error", "rule": "IO",
                "logical_id": null, "path": "", "message": why,
            })),
            Outcome::Skipped(_) => {}
        }
    }
    let text = serde_json::to_string_pretty(&J::Array(items)).unwrap_or_else(|_| "[]".into());
    writeln!(out, "{text}")
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file as code-scanning and annotation readers want it: relative to the
/// working directory (the repository root in CI) when it is inside it.
fn relative(name: &str) -> Cow<'_, str> {
    let path = Path::new(name);
    if path.is_absolute() {
        if let Some(rel) = std::env::current_dir().ok().and_then(|d| path.strip_prefix(d).ok().map(Path::to_path_buf)) {
            return Cow::Owned(rel.display().to_string());
        }
    }
    Cow::Borrowed(name.strip_prefix("./").unwrap_or(name))
}

/// A file name as a URI reference: relative to the working directory when it is
/// inside it, else a `file://` URI; `/` separators, and the characters a URI
/// cannot hold percent-encoded.
fn uri(name: &str) -> String {
    let rel = relative(name);
    let (scheme, name) =
        if Path::new(rel.as_ref()).is_absolute() { ("file://", rel.as_ref()) } else { ("", rel.as_ref()) };
    let mut out = String::with_capacity(name.len() + scheme.len());
    out.push_str(scheme);
    for b in name.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one run, the rule
/// table as the driver's rules, a result per finding (suppressed ones with their
/// suppression), unreadable inputs as tool notifications.
fn sarif(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let rule_index = |id: &str| rules::RULES.iter().position(|r| r.id == id);
    let rules: Vec<J> = rules::RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": format!("{} ({}). Every rule: synth check --list-rules.", r.summary, r.severity)},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": ["cloudformation", "elasticache"]},
            })
        })
        .collect();
    let mut results = Vec::new();
    for (name, o) in &report.files {
        let Outcome::Checked(found) = o else { continue };
        for l in found {
            let f = &l.finding;
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(name)},
                    "region": {"startLine": l.pos.line, "startColumn": l.pos.col},
                }
            });
            let loc = f.location();
            if !loc.is_empty() {
                location["logicalLocations"] = json!([{"fullyQualifiedName": loc}]);
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [location],
            });
            if let Some(i) = rule_index(f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(s) = &l.suppressed {
                let (kind, why) = match s {
                    Suppression::Ignored => ("external", "--ignore-checks or .synth-check.json".to_string()),
                    Suppression::NotIncluded => ("external", "not in --include-checks".to_string()),
                    Suppression::Metadata(reason) => ("inSource", reason.clone()),
                };
                result["suppressions"] = json!([{"kind": kind, "justification": why}]);
            }
            results.push(result);
        }
    }
    let notifications: Vec<J> = unreadable(report)
        .map(|(name, why)| {
            json!({
                "level": "error",
                "message": {"text": why},
                "descriptor": {"id": "IO"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(name)}}}],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "synth check",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/redis-cdk/redis-cdk",
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    writeln!(out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// XML text: the five entities escaped, control characters (which XML 1.0
/// cannot hold) written as `\u{..}`.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one test suite per input, one test case per rule that applies to
/// templates (the CON and APP rules check constructs, not templates). A rule with
/// an error (or, with `--strict`, a warning) fails; its other findings are the
/// case's output; a rule suppressed in every finding is skipped.
fn junit(report: &Report, strict: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let template_rules: Vec<&rules::Rule> =
        rules::RULES.iter().filter(|r| !r.id.starts_with("CON") && !r.id.starts_with("APP")).collect();
    let mut suites = String::new();
    let (mut tests, mut failures) = (0usize, 0usize);
    for (name, o) in &report.files {
        let (mut cases, mut suite_failures) = (String::new(), 0usize);
        let n = match o {
            Outcome::Checked(found) => {
                for r in &template_rules {
                    let mine: Vec<&Located> = found.iter().filter(|l| l.finding.rule == r.id).collect();
                    let live: Vec<&&Located> = mine.iter().filter(|l| l.suppressed.is_none()).collect();
                    let fails = live.iter().any(|l| {
                        l.finding.severity == Severity::Error || (strict && l.finding.severity == Severity::Warning)
                    });
                    let lines: Vec<String> = live
                        .iter()
                        .map(|l| {
                            format!(
                                "{}:{}:{}: {}: {}",
                                name,
                                l.pos.line,
                                l.pos.col,
                                l.finding.location(),
                                l.finding.message
                            )
                        })
                        .collect();
                    let _ =
                        write!(cases, "    <testcase classname=\"{}\" name=\"{} {}\"", xml(name), r.id, xml(r.summary));
                    if fails {
                        suite_failures += 1;
                        let _ = write!(
                            cases,
                            ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                            r.id,
                            xml(&format!("{} finding{}", live.len(), if live.len() == 1 { "" } else { "s" })),
                            xml(&lines.join("\n"))
                        );
                    } else if !live.is_empty() {
                        let _ = write!(
                            cases,
                            ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                            xml(&lines.join("\n"))
                        );
                    } else if !mine.is_empty() {
                        let _ = write!(
                            cases,
                            ">\n      <skipped message=\"{} suppressed\"/>\n    </testcase>\n",
                            mine.len()
                        );
                    } else {
                        cases.push_str("/>\n");
                    }
                }
                template_rules.len()
            }
            Outcome::Unreadable(why) => {
                suite_failures = 1;
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{0}\" name=\"IO\">\n      <error type=\"IO\" message=\"{1}\">{1}</error>\n    </testcase>",
                    xml(name),
                    xml(why)
                );
                1
            }
            Outcome::Skipped(_) => continue,
        };
        tests += n;
        failures += suite_failures;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{suite_failures}\">\n{cases}  </testsuite>\n",
            xml(name)
        );
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"synth check\" tests=\"{tests}\" failures=\"{failures}\">\n{suites}</testsuites>\n"
    )
}

/// A workflow command's data: `%`, CR and LF escaped (GitHub's escapeData);
/// in a property value `:` and `,` too (escapeProperty).
fn gh(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '%' => out.push_str("%25"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// GitHub Actions annotations: `::error file=F,line=L,col=C,title=RULE::message`.
fn github(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for (name, l) in reported(report) {
        let f = &l.finding;
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let loc = f.location();
        let message = if loc.is_empty() { f.message.clone() } else { format!("{loc}: {}", f.message) };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            gh(&relative(name), true),
            l.pos.line,
            l.pos.col,
            gh(f.rule, true),
            gh(&message, false)
        )?;
    }
    for (name, why) in unreadable(report) {
        writeln!(out, "::error file={},title=IO::{}", gh(&relative(name), true), gh(why, false))?;
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary line on stderr, and the exit code.
fn summary(report: &Report, settings: &Settings, err: &mut dyn Write) -> u8 {
    let (mut errors, mut warnings, mut infos) = (0usize, 0usize, 0usize);
    let (mut ignored, mut not_included, mut in_metadata) = (0usize, 0usize, 0usize);
    let (mut checked, mut skipped, mut bad) = (0usize, 0usize, 0usize);
    for (name, o) in &report.files {
        match o {
            Outcome::Checked(found) => {
                checked += 1;
                for l in found {
                    match (&l.suppressed, l.finding.severity) {
                        (None, Severity::Error) => errors += 1,
                        (None, Severity::Warning) => warnings += 1,
                        (None, Severity::Info) => infos += 1,
                        (Some(Suppression::Ignored), _) => ignored += 1,
                        (Some(Suppression::NotIncluded), _) => not_included += 1,
                        (Some(Suppression::Metadata(_)), _) => in_metadata += 1,
                    }
                }
            }
            Outcome::Skipped(why) => {
                skipped += 1;
                let _ = writeln!(err, "note: skipped {}: {why}", clean(name));
            }
            Outcome::Unreadable(_) => bad += 1,
        }
    }
    let suppressed = ignored + not_included + in_metadata;
    let mut line = format!(
        "checked {}: {}, {}",
        plural(checked, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    );
    if infos > 0 {
        let _ = write!(line, ", {infos} info");
    }
    let _ = write!(line, ", {suppressed} suppressed");
    if suppressed > 0 {
        let parts: Vec<String> = [
            (ignored, "by --ignore-checks"),
            (not_included, "not in --include-checks"),
            (in_metadata, "by template metadata"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
        let _ = write!(line, " ({})", parts.join(", "));
    }
    if skipped > 0 {
        let _ = write!(
            line,
            "; skipped {} that {}",
            plural(skipped, "file", "files"),
            if skipped == 1 { "is not a template" } else { "are not templates" }
        );
    }
    if bad > 0 {
        let _ = write!(line, "; {} could not be read", plural(bad, "input", "inputs"));
    }
    let _ = writeln!(err, "{line}");
    if bad > 0 {
        EXIT_UNREADABLE
    } else {
        u8::from(errors > 0 || (settings.strict && warnings > 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("Cache"), "Cache");
        assert_eq!(clean("a\u{1b}[31mb\nc\u{202e}d"), "a\\u{1b}[31mb\\u{a}c\\u{202e}d");
        assert_eq!(gh("a:b,c%\nd", true), "a%3Ab%2Cc%25\\u{a}d");
        assert_eq!(xml("<a & 'b'>\u{7}"), "&lt;a &amp; &apos;b&apos;&gt;\\u{7}");
        assert_eq!(uri("./dir name/t.yaml"), "dir%20name/t.yaml");
        let inside = std::env::current_dir().unwrap().join("infra/t.yaml");
        assert_eq!(uri(&inside.display().to_string()), "infra/t.yaml");
        assert_eq!(uri("/nowhere-near/t.yaml"), "file:///nowhere-near/t.yaml");
    }
}
