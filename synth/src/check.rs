//! `synth check FILE...`: the schemas, the ElastiCache rule set and the integrity
//! checks, on any CloudFormation JSON template, ours or hand-written.
//!
//! Prints one line per finding to stdout, `FILE: LogicalId.Property.Path: [RULE]
//! message`, or a JSON array with `--format json`, and a summary line to stderr.
//! Exits 1 when any error was found (any warning too with `--strict`), 0 otherwise.

use redis_cdk::validate::{check_template_in, json, rules, schema, Finding};
use redis_cdk::Severity;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Check CloudFormation JSON templates: provider schemas, ElastiCache rules,
/// references and limits.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Template files to check (JSON).
    #[arg(required_unless_present = "list_rules", value_name = "FILE")]
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

    /// Output format: `text` (one line per finding) or `json` (an array of
    /// `{file, severity, rule, logical_id, path, message}`).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `FILE: LogicalId.Path: [RULE] message`, one per line.
    Text,
    /// A JSON array of findings.
    Json,
}

/// One finding in one file.
struct Located {
    file: String,
    finding: Finding,
}

/// Reads and parses one file, with the duplicate keys it holds (TPL013); a file
/// that cannot be read or parsed gives one error finding (rule `IO` or `JSON`)
/// instead of a panic.
fn read_template(path: &Path) -> Result<(serde_json::Value, Vec<Finding>), Finding> {
    let bytes =
        std::fs::read(path).map_err(|e| Finding::error("IO", None, "", format!("cannot read the file: {e}")))?;
    let not_json = |e: String| {
        let hint = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') | Some(b'[') => "",
            _ => "; synth check reads JSON templates only (convert YAML with cfn-flip)",
        };
        Finding::error("JSON", None, "", format!("not valid JSON: {e}{hint}"))
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| not_json(e.to_string()))?;
    json::parse_template(text).map_err(|e| not_json(e.to_string()))
}

/// The findings of a parsed template: its duplicate keys, then every check.
fn check_parsed(parsed: (serde_json::Value, Vec<Finding>), region: Option<&str>) -> Vec<Finding> {
    let (template, mut findings) = parsed;
    findings.extend(check_template_in(&template, region));
    findings
}

fn check_file(path: &Path, region: Option<&str>) -> Vec<Finding> {
    match read_template(path) {
        Ok(parsed) => check_parsed(parsed, region),
        Err(finding) => vec![finding],
    }
}

/// The findings of each file, in the order of `files`.
///
/// The first file is checked on this thread, after the schemas of its resource
/// types are compiled across the cores; the other files are then shared out to
/// as many threads as the machine has cores, each taking the next unchecked file,
/// so that one slow file does not hold up the rest. (100 split-stack templates,
/// whole process: 48 ms on one thread, 29 ms on two cores.)
fn check_files(files: &[PathBuf], region: Option<&str>) -> Vec<Vec<Finding>> {
    let Some((first, rest)) = files.split_first() else { return Vec::new() };
    let first = match read_template(first) {
        Ok(parsed) => {
            let types = parsed
                .0
                .get("Resources")
                .and_then(serde_json::Value::as_object)
                .into_iter()
                .flat_map(|r| r.values())
                .filter_map(|r| r.get("Type").and_then(serde_json::Value::as_str));
            schema::precompile(types);
            check_parsed(parsed, region)
        }
        Err(finding) => vec![finding],
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(rest.len());
    let mut results: Vec<(usize, Vec<Finding>)> = Vec::with_capacity(files.len());
    results.push((0, first));
    if threads <= 1 {
        results.extend(rest.iter().enumerate().map(|(i, f)| (i + 1, check_file(f, region))));
        return results.into_iter().map(|(_, r)| r).collect();
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = rest.get(i) else { break mine };
                        mine.push((i + 1, check_file(f, region)));
                    }
                })
            })
            .collect();
        for h in handles {
            // a check never panics on any input; should one, the panic goes on up
            results.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Runs `synth check`: returns the exit code.
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.list_rules {
        let listed = rules::RULES
            .iter()
            .try_for_each(|r| writeln!(out, "{:<6} {:<7} {}", r.id, r.severity.to_string(), r.summary));
        return if listed.is_ok() { 0 } else { 2 };
    }
    if let Some(r) = &args.region {
        if !redis_cdk::facts::data::REGIONS.contains(&r.as_str()) {
            let _ = writeln!(
                err,
                "synth check: --region '{r}' is not a region of the node-type data ({}); use one of {}",
                redis_cdk::facts::data::DATE,
                redis_cdk::facts::data::REGIONS.join(", ")
            );
            return 2;
        }
    }
    let mut all: Vec<Located> = Vec::new();
    for (path, findings) in args.files.iter().zip(check_files(&args.files, args.region.as_deref())) {
        let file = path.display().to_string();
        all.extend(findings.into_iter().map(|finding| Located { file: file.clone(), finding }));
    }
    let errors = all.iter().filter(|l| l.finding.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    let written = match args.format {
        Format::Text => all.iter().try_for_each(|l| writeln!(out, "{}: {}", l.file, l.finding)),
        Format::Json => {
            let items: Vec<serde_json::Value> = all
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "file": l.file,
                        "severity": l.finding.severity.to_string(),
                        "rule": l.finding.rule,
                        "logical_id": l.finding.logical_id,
                        "path": l.finding.path,
                        "message": l.finding.message,
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&serde_json::Value::Array(items)).unwrap_or_else(|_| "[]".into());
            writeln!(out, "{text}")
        }
    };
    if let Err(e) = written {
        let _ = writeln!(err, "error: writing the findings: {e}");
        return 1;
    }
    let n = args.files.len();
    let _ = writeln!(
        err,
        "checked {n} file{}: {errors} error{}, {warnings} warning{}",
        if n == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    u8::from(errors > 0 || (args.strict && warnings > 0))
}
