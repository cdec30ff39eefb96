//! `synth diff OLD [NEW]`: what deploying NEW over OLD would change, replacements
//! and data loss first. The logic is [`redis_cdk::insight::diff_templates`].

use crate::{Cli, Exit};
use clap::{Args, ValueEnum};
use redis_cdk::insight::{diff_templates, Style, TemplateDiff};
use redis_cdk::{App, Assembly, Environment};
use serde_json::{json, Value as Json};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Arguments of `synth diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// --env and --config, as before the subcommand.
    #[command(flatten)]
    pub app: crate::AppFlags,
    /// The template deployed now (JSON or YAML; - for stdin), or a `synth --out` directory.
    pub old: PathBuf,
    /// The template to deploy, or a directory. Default: what `synth` emits now,
    /// with the same `--env` (and `--stack`).
    pub new: Option<PathBuf>,
    /// Output format: text (coloured on a terminal) or json.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit with code 1 when any resource would be replaced.
    #[arg(long)]
    pub fail_on_replace: bool,
    /// Colours: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The stack to compare when the app has several.
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
}

/// Output format of `synth diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Human-readable, one line per change.
    Text,
    /// Machine-readable: `{"changed", "replacement", "stacks": [...]}`.
    Json,
}

/// When `synth diff` colours its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Builds the app for `cli.env` and synthesizes it; on errors, reports them to
/// `err` as `synth` does and returns exit code 1.
pub(crate) fn assemble(cli: &Cli, build: &dyn Fn(Environment) -> App, err: &mut dyn Write) -> Result<Assembly, Exit> {
    match build(cli.env).synth() {
        Ok(a) => {
            for w in &a.warnings {
                let _ = writeln!(err, "warning: {w}");
            }
            Ok(a)
        }
        Err(e) => {
            for d in &e.diagnostics {
                let _ = writeln!(err, "{}: {d}", d.severity);
            }
            let n = e.errors().count();
            let _ = writeln!(err, "synth failed with {n} error{}", if n == 1 { "" } else { "s" });
            Err(1)
        }
    }
}

/// A template to compare, read as `synth check` reads one (JSON or YAML, `-` for
/// stdin, at most 1 MiB); anything that is not a template (`null`, `[]`, a number,
/// a syntax error) is refused rather than compared as if it were empty.
fn read_template(path: &Path) -> Result<Json, String> {
    match crate::source::read(path, false) {
        crate::source::Input::Template(s) if s.parsed() => Ok(s.template),
        crate::source::Input::Template(s) => {
            let why = s.findings.first().map_or_else(String::new, |f| f.message.clone());
            Err(format!("{} is not a template: {why}", s.name))
        }
        crate::source::Input::Unreadable(u) => Err(format!("{}: {}", u.name, u.reason)),
        crate::source::Input::Skipped { name, why } => Err(format!("{name}: {why}")),
    }
}

/// `<Stack>.template.json` files of a directory, by stack name, sorted.
fn read_dir(dir: &Path) -> Result<Vec<(String, Json)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("reading {}: {e}", dir.display()))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(stack) = name.strip_suffix(".template.json") {
            out.push((stack.to_string(), read_template(&path)?));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn stack_from_file(path: &Path) -> Option<&str> {
    path.file_name()?.to_str()?.strip_suffix(".template.json")
}

/// A stack name with its old and new template.
type Pair = (String, Json, Json);

/// Pairs of (stack, old, new) to compare, or an error message and its exit code.
fn pairs(
    cli: &Cli,
    args: &DiffArgs,
    build: &dyn Fn(Environment) -> App,
    err: &mut dyn Write,
) -> Result<Vec<Pair>, (String, Exit)> {
    let usage = |m: String| (m, 2);
    let wanted = args.stack.as_ref().or(cli.stack.as_ref());
    let old_is_dir = args.old.is_dir();
    if let Some(new) = &args.new {
        if old_is_dir != new.is_dir() {
            return Err(usage("OLD and NEW must both be templates or both be directories".into()));
        }
        if !old_is_dir {
            let name = stack_from_file(new).or_else(|| stack_from_file(&args.old)).unwrap_or("template");
            return Ok(vec![(
                name.to_string(),
                read_template(&args.old).map_err(usage)?,
                read_template(new).map_err(usage)?,
            )]);
        }
        let old = read_dir(&args.old).map_err(usage)?;
        let new = read_dir(new).map_err(usage)?;
        return Ok(merge(old, new, wanted));
    }
    // Read OLD first: a usage error should not wait for synth.
    let old_dir = if old_is_dir { Some(read_dir(&args.old).map_err(usage)?) } else { None };
    let old = if old_is_dir { Json::Null } else { read_template(&args.old).map_err(usage)? };
    let assembly = assemble(cli, build, err).map_err(|code| (String::new(), code))?;
    let current: Vec<(String, Json)> = assembly.stacks.iter().map(|s| (s.name.clone(), s.template.clone())).collect();
    if let Some(old_dir) = old_dir {
        return Ok(merge(old_dir, current, wanted));
    }
    let names: Vec<String> = current.iter().map(|(n, _)| n.clone()).collect();
    let name = match (wanted, stack_from_file(&args.old)) {
        (Some(w), _) => w.clone(),
        (None, _) if current.len() == 1 => names[0].clone(),
        (None, Some(f)) if names.iter().any(|n| n == f) => f.to_string(),
        _ => {
            return Err(usage(format!(
                "the app has {} stacks ({}); pick one with --stack NAME",
                names.len(),
                names.join(", ")
            )))
        }
    };
    match current.into_iter().find(|(n, _)| *n == name) {
        Some((n, t)) => Ok(vec![(n, old, t)]),
        None => Err(usage(format!("no stack named '{name}'; the app has: {}", names.join(", ")))),
    }
}

/// Stacks of both sides by name; a stack on one side only is compared with an empty template.
fn merge(old: Vec<(String, Json)>, new: Vec<(String, Json)>, wanted: Option<&String>) -> Vec<Pair> {
    let mut out = Vec::new();
    for (name, t) in &new {
        let o = old.iter().find(|(n, _)| n == name).map_or_else(|| json!({}), |(_, t)| t.clone());
        out.push((name.clone(), o, t.clone()));
    }
    for (name, t) in old.iter().filter(|(n, _)| !new.iter().any(|(m, _)| m == n)) {
        out.push((name.clone(), t.clone(), json!({})));
    }
    out.retain(|(n, _, _)| wanted.is_none_or(|w| w == n));
    out
}

/// Runs `synth diff`. Exit codes: 0 (no change, or changes without replacement),
/// 1 with `--fail-on-replace` when something is replaced (or when synth fails),
/// 2 on usage errors (unreadable files, unknown stack).
pub fn run(
    cli: &Cli,
    args: &DiffArgs,
    build: &dyn Fn(Environment) -> App,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let pairs = match pairs(cli, args, build, err) {
        Ok(p) => p,
        Err((message, code)) => {
            if !message.is_empty() {
                let _ = writeln!(err, "error: {message}");
            }
            return code;
        }
    };
    let diffs: Vec<(String, TemplateDiff)> = pairs.iter().map(|(n, o, t)| (n.clone(), diff_templates(o, t))).collect();
    let replaced = diffs.iter().any(|(_, d)| d.has_replacement());
    let written = match args.format {
        DiffFormat::Json => {
            let stacks: Vec<Json> = diffs
                .iter()
                .map(|(name, d)| {
                    let mut j = d.to_json();
                    j.as_object_mut().expect("object").insert("stack".into(), json!(name));
                    j
                })
                .collect();
            let doc = json!({
                "changed": diffs.iter().any(|(_, d)| !d.is_empty()),
                "replacement": replaced,
                "stacks": stacks,
            });
            out.write_all(crate::pretty(&doc).as_bytes())
        }
        DiffFormat::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let text: Vec<String> =
                diffs.iter().map(|(name, d)| format!("Stack {name}\n{}", render(d, color))).collect();
            out.write_all(text.join("\n").as_bytes())
        }
    };
    if let Err(e) = written {
        let _ = writeln!(err, "error: writing the diff: {e}");
        return 1;
    }
    if args.fail_on_replace && replaced {
        let n: usize = diffs.iter().map(|(_, d)| d.replacements().count()).sum();
        let _ =
            writeln!(err, "error: {n} resource{} would be replaced (--fail-on-replace)", if n == 1 { "" } else { "s" });
        return 1;
    }
    0
}

/// The diff as text, with ANSI colours when `color`: the presentation, here in
/// the CLI, of what [`TemplateDiff::render_styled`] says.
pub fn render(diff: &TemplateDiff, color: bool) -> String {
    if !color {
        return diff.render();
    }
    diff.render_styled(&|style, text| {
        let code = match style {
            Style::Heading => "1",
            Style::Added => "32",
            Style::Danger => "31",
            _ => "33",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colour_only_when_asked() {
        let rg = |port: u16| {
            json!({"Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
            "ReplicationGroupDescription": "d", "Port": port }}}})
        };
        let d = diff_templates(&rg(6379), &rg(6380));
        let coloured = render(&d, true);
        assert!(coloured.contains("\x1b[1mResources\x1b[0m") && coloured.contains("\x1b[33m[~]\x1b[0m"), "{coloured}");
        let plain = render(&d, false);
        assert!(!plain.contains('\x1b'));
        assert_eq!(plain, d.render());
        // the same text, colour codes aside
        let stripped: String = coloured.split("\x1b[").map(|p| p.split_once('m').map_or(p, |(_, t)| t)).collect();
        assert_eq!(stripped, plain);
    }
}
