//! The AWS CDK app contract, so the CDK CLI can run any synth app: with
//! `"app": "cargo run -q --bin synth"` in `cdk.json`, `cdk synth`, `cdk diff` and
//! `cdk deploy` run the program with
//!
//! - `CDK_OUTDIR`: the directory to write the cloud assembly to (as `--out`);
//! - `CDK_CONTEXT_JSON`: the context (`-c key=value` and `cdk.json`'s `context`),
//!   of which synth reads `env`, `stack` and `config` as its flags and
//!   `aws:cdk:enable-path-metadata` (set to true by the CLI, left out by `cdk synth
//!   --no-path-metadata`: `aws:cdk:path` metadata only when it is true); the part
//!   that does not fit the environment is in the file `CONTEXT_OVERFLOW_LOCATION_ENV`
//!   names;
//! - `CDK_CLI_ASM_VERSION`: the newest cloud-assembly schema the CLI reads.
//!
//! The variable names and their meaning are the CLI's (`@aws-cdk/cx-api`,
//! `cxapi.OUTDIR_ENV` and the others, read in aws-cdk 2.1148.1's bundle); the
//! behaviour is tested with that CLI in `tests/cdk_cli.rs`.

use crate::Cli;
use redis_cdk::{Environment, CLOUD_ASSEMBLY_VERSION};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The context keys synth reads as flags.
const FLAGS: [&str; 3] = ["env", "stack", "config"];

/// What the CDK CLI passed to the app.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CdkInvocation {
    /// `CDK_OUTDIR`.
    pub outdir: PathBuf,
    /// The context: `CDK_CONTEXT_JSON` merged with the overflow file.
    pub context: Map<String, Value>,
    /// `CDK_CLI_ASM_VERSION`, when set.
    pub cli_assembly_version: Option<String>,
}

/// Which of the flags the context can set were given on the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Explicit {
    /// `--env`.
    pub env: bool,
    /// `--stack`.
    pub stack: bool,
    /// `--config`.
    pub config: bool,
}

impl CdkInvocation {
    /// The invocation described by the environment variables `var` reads, or
    /// `None` when `CDK_OUTDIR` is not set (not run by the CDK CLI).
    ///
    /// # Errors
    ///
    /// The context is not a JSON object, or its overflow file cannot be read.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Option<CdkInvocation>, String> {
        let Some(outdir) = var("CDK_OUTDIR").filter(|d| !d.is_empty()) else { return Ok(None) };
        let mut context = match var("CDK_CONTEXT_JSON").filter(|c| !c.trim().is_empty()) {
            Some(json) => parse_context(&json, "CDK_CONTEXT_JSON")?,
            None => Map::new(),
        };
        if let Some(file) = var("CONTEXT_OVERFLOW_LOCATION_ENV").filter(|f| !f.is_empty()) {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                format!("reading the CDK context overflow file {file} (CONTEXT_OVERFLOW_LOCATION_ENV): {e}")
            })?;
            context.extend(parse_context(&text, &file)?);
        }
        Ok(Some(CdkInvocation {
            outdir: PathBuf::from(outdir),
            context,
            cli_assembly_version: var("CDK_CLI_ASM_VERSION").filter(|v| !v.is_empty()),
        }))
    }

    /// The invocation from this process's environment.
    ///
    /// # Errors
    ///
    /// As [`CdkInvocation::from_vars`].
    pub fn from_process() -> Result<Option<CdkInvocation>, String> {
        CdkInvocation::from_vars(|name| std::env::var(name).ok())
    }

    /// Applies the invocation to `cli`: the assembly goes to `CDK_OUTDIR`, the
    /// context's `env`, `stack` and `config` become those flags (one given on the
    /// command line too must agree), and path metadata follows the context.
    /// Returns the warnings (context keys synth does not read). A subcommand
    /// (`check`, `diff`...) is left as it is: the contract is about synthesis.
    ///
    /// # Errors
    ///
    /// Every problem, each with its fix: a CLI too old for the manifest, a
    /// context value of the wrong type or not a valid flag value, a flag that
    /// disagrees with the context, `--out` elsewhere than `CDK_OUTDIR`, `--list`.
    pub fn apply(&self, cli: &mut Cli, explicit: Explicit) -> Result<Vec<String>, Vec<String>> {
        if cli.command.is_some() {
            return Ok(Vec::new());
        }
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        if let Some(v) = &self.cli_assembly_version {
            if let (Some(cli_major), Some(ours)) = (major(v), major(CLOUD_ASSEMBLY_VERSION)) {
                if cli_major < ours {
                    errors.push(format!(
                        "this CDK CLI reads cloud assembly schema {v} at most (CDK_CLI_ASM_VERSION) and synth writes \
                         {CLOUD_ASSEMBLY_VERSION}: upgrade the CLI (npm install aws-cdk@2)"
                    ));
                }
            }
        }
        if cli.list {
            errors.push("--list cannot be used when the CDK CLI runs the app (CDK_OUTDIR is set): use `cdk ls`".into());
        }
        match &cli.out {
            Some(out) if !same_dir(out, &self.outdir) => errors.push(format!(
                "--out {} disagrees with CDK_OUTDIR {}: the CDK CLI reads the assembly from CDK_OUTDIR; drop --out \
                 from the app command (or pass `cdk --output {}`)",
                out.display(),
                self.outdir.display(),
                out.display()
            )),
            _ => cli.out = Some(self.outdir.clone()),
        }
        for (key, value) in &self.context {
            if !FLAGS.contains(&key.as_str()) {
                // the CLI's own keys (aws:cdk:...) and feature flags (@aws-cdk/...) are not for synth
                if !key.contains(':') && !key.starts_with('@') {
                    warnings.push(format!(
                        "CDK context key '{key}' is not one synth reads (it reads {}); ignored",
                        FLAGS.join(", ")
                    ));
                }
                continue;
            }
            let Some(text) = value.as_str() else {
                errors.push(format!("CDK context '{key}' is {value}, not a string: pass `-c {key}=VALUE`"));
                continue;
            };
            match key.as_str() {
                "env" => match text.parse::<Environment>() {
                    Ok(env) if explicit.env && env != cli.env => errors.push(format!(
                        "CDK context env={text} disagrees with --env {} on the app's command line: keep one of them",
                        cli.env
                    )),
                    Ok(env) => cli.env = env,
                    Err(e) => errors.push(format!("CDK context env={text}: {e}")),
                },
                "stack" => match &cli.stack {
                    Some(s) if explicit.stack && s != text => errors.push(format!(
                        "CDK context stack={text} disagrees with --stack {s} on the app's command line: keep one of them"
                    )),
                    _ => cli.stack = Some(text.to_string()),
                },
                _ => match &cli.config {
                    Some(c) if explicit.config && c.as_os_str() != text => errors.push(format!(
                        "CDK context config={text} disagrees with --config {} on the app's command line: keep one of \
                         them",
                        c.display()
                    )),
                    _ => cli.config = Some(PathBuf::from(text)),
                },
            }
        }
        // the CLI sets the key (to true) unless `--no-path-metadata`; the CDK's own
        // apps add the metadata only when it is there
        if self.context.get("aws:cdk:enable-path-metadata") != Some(&Value::Bool(true)) {
            cli.no_path_metadata = true;
        }
        if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(errors)
        }
    }
}

fn parse_context(text: &str, source: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(format!("the CDK context in {source} is not a JSON object: {other}")),
        Err(e) => Err(format!("the CDK context in {source} is not JSON: {e}")),
    }
}

/// The major of a semver string (`55.0.0` → 55).
fn major(v: &str) -> Option<u64> {
    v.split('.').next()?.parse().ok()
}

fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b || std::path::absolute(a).ok().zip(std::path::absolute(b).ok()).is_some_and(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::collections::HashMap;

    fn invocation(vars: &[(&str, &str)]) -> Result<Option<CdkInvocation>, String> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        CdkInvocation::from_vars(|n| vars.get(n).cloned())
    }

    fn cli(args: &[&str]) -> Cli {
        Cli::parse_from(std::iter::once("synth").chain(args.iter().copied()))
    }

    #[test]
    fn without_cdk_outdir_nothing_changes() {
        assert_eq!(invocation(&[("CDK_CONTEXT_JSON", r#"{"env":"prod"}"#)]), Ok(None));
    }

    #[test]
    fn the_context_sets_the_flags_and_the_outdir() {
        let inv = invocation(&[
            ("CDK_OUTDIR", "/tmp/cdk.out"),
            (
                "CDK_CONTEXT_JSON",
                r#"{"env":"prod","stack":"Cache","aws:cdk:enable-path-metadata":false,"@aws-cdk/core:x":true}"#,
            ),
            ("CDK_CLI_ASM_VERSION", "55.0.0"),
        ])
        .unwrap()
        .unwrap();
        let mut c = cli(&[]);
        assert_eq!(inv.apply(&mut c, Explicit::default()), Ok(vec![]));
        assert_eq!(
            (c.env, c.stack.as_deref(), c.out.as_deref()),
            (Environment::Prod, Some("Cache"), Some("/tmp/cdk.out".as_ref()))
        );
        assert!(c.no_path_metadata);
        let inv = invocation(&[("CDK_OUTDIR", "o"), ("CDK_CONTEXT_JSON", r#"{"aws:cdk:enable-path-metadata":true}"#)])
            .unwrap()
            .unwrap();
        let mut c = cli(&[]);
        inv.apply(&mut c, Explicit::default()).unwrap();
        assert!(!c.no_path_metadata, "the CLI's default: path metadata");
    }

    #[test]
    fn every_problem_is_reported_with_its_fix() {
        let inv = invocation(&[
            ("CDK_OUTDIR", "/tmp/cdk.out"),
            ("CDK_CONTEXT_JSON", r#"{"env":"qa","stack":3,"config":"a.json","colour":"blue"}"#),
            ("CDK_CLI_ASM_VERSION", "20.0.0"),
        ])
        .unwrap()
        .unwrap();
        let mut c = cli(&["--config", "b.json", "--out", "elsewhere"]);
        let errors = inv.apply(&mut c, Explicit { config: true, ..Explicit::default() }).unwrap_err();
        let all = errors.join("\n");
        for want in [
            "reads cloud assembly schema 20.0.0 at most",
            "--out elsewhere disagrees with CDK_OUTDIR /tmp/cdk.out",
            "CDK context env=qa: ",
            "CDK context 'stack' is 3, not a string: pass `-c stack=VALUE`",
            "CDK context config=a.json disagrees with --config b.json",
        ] {
            assert!(all.contains(want), "missing {want:?} in:\n{all}");
        }
        assert_eq!(errors.len(), 5, "{all}");
        let mut c = cli(&["--env", "prod"]);
        let inv = invocation(&[("CDK_OUTDIR", "o"), ("CDK_CONTEXT_JSON", r#"{"env":"prod","colour":"blue"}"#)])
            .unwrap()
            .unwrap();
        let warnings = inv.apply(&mut c, Explicit { env: true, ..Explicit::default() }).unwrap();
        assert_eq!(
            warnings,
            ["CDK context key 'colour' is not one synth reads (it reads env, stack, config); ignored"]
        );
    }

    #[test]
    fn the_overflow_file_is_merged_and_bad_context_refused() {
        let dir = std::env::temp_dir().join(format!("synth-cdk-ctx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("context-overflow.json");
        std::fs::write(&file, r#"{"stack":"Big"}"#).unwrap();
        let inv = invocation(&[
            ("CDK_OUTDIR", "o"),
            ("CDK_CONTEXT_JSON", r#"{"env":"staging"}"#),
            ("CONTEXT_OVERFLOW_LOCATION_ENV", file.to_str().unwrap()),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(inv.context.get("stack"), Some(&Value::from("Big")));
        assert_eq!(inv.context.get("env"), Some(&Value::from("staging")));
        let _ = std::fs::remove_dir_all(&dir);
        let e = invocation(&[("CDK_OUTDIR", "o"), ("CDK_CONTEXT_JSON", "[1]")]).unwrap_err();
        assert!(e.contains("not a JSON object"), "{e}");
        let e =
            invocation(&[("CDK_OUTDIR", "o"), ("CONTEXT_OVERFLOW_LOCATION_ENV", "/nonexistent/x.json")]).unwrap_err();
        assert!(e.contains("/nonexistent/x.json"), "{e}");
    }
}
