//! `synth check FILE...`: the schemas, the ElastiCache rule set and the integrity
//! checks, on any CloudFormation JSON template, ours or hand-written.
//!
//! Prints one line per finding to stdout, `FILE: LogicalId.Property.Path: [RULE]
//! message`, or a JSON array with `--format json`, and a summary line to stderr.
//! Exits 1 when any error was found (any warning too with `--strict`), 0 otherwise.

use redis_cdk::validate::{check_template, Finding};
use redis_cdk::Severity;
use std::io::Write;
use std::path::PathBuf;

/// Check CloudFormation JSON templates: provider schemas, ElastiCache rules,
/// references and limits.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Template files to check (JSON).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

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

/// Reads and checks one file; a file that cannot be read or parsed gives one
/// error finding (rule `IO` or `JSON`) instead of a panic.
fn check_file(path: &PathBuf) -> Vec<Finding> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) => {
            return vec![Finding::error("IO", None, "", format!("cannot read the file: {e}"))];
        }
    };
    match serde_json::from_slice::<serde_json::Value>(&text) {
        Ok(template) => check_template(&template),
        Err(e) => {
            let hint = match text.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') | Some(b'[') => "",
                _ => "; synth check reads JSON templates only (convert YAML with cfn-flip)",
            };
            vec![Finding::error("JSON", None, "", format!("not valid JSON: {e}{hint}"))]
        }
    }
}

/// Runs `synth check`: returns the exit code.
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut all: Vec<Located> = Vec::new();
    for path in &args.files {
        let file = path.display().to_string();
        all.extend(check_file(path).into_iter().map(|finding| Located { file: file.clone(), finding }));
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
