//! The `synth` command: turns a redis-cdk [`App`] into CloudFormation templates.
//!
//! `main` is thin: it parses [`Cli`] and calls [`run`], which takes the app
//! builder and the output streams, so tests drive the whole command in-process.
//! Examples use the same command line through [`main_with`].

#![deny(missing_docs)]

/// The clap synth is built with, for apps' own flags ([`main_with_args`]):
/// `use synth::clap;` then `#[derive(clap::Args)]`, with no clap dependency to keep in step.
pub use clap;

pub mod cdk;
pub mod check;
pub mod cost;
pub mod default_app;
pub mod diagram;
pub mod diff;
pub mod local;
pub mod source;
pub mod spec;

use clap::{Parser, Subcommand};
use redis_cdk::{to_pretty_json, App, Assembly, Environment};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Synthesize CloudFormation templates for ElastiCache Redis and Valkey.
///
/// With no flags, prints the template of the app's only stack to stdout, so
/// `synth > template.json` is ready for `aws cloudformation deploy`. Errors and
/// warnings go to stderr; on any error nothing is written.
#[derive(Debug, Clone, Parser)]
#[command(name = "synth", version, about, long_about = None)]
pub struct Cli {
    /// Environment preset the app is built for: dev, staging or prod.
    #[arg(long, default_value = "dev", value_parser = parse_env)]
    pub env: Environment,

    /// Print only the stack with this name (needed when the app has several stacks).
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,

    /// Print the names of the app's stacks, one per line, instead of templates.
    #[arg(long, conflicts_with_all = ["stack", "out"])]
    pub list: bool,

    /// Write a cloud assembly into DIR (created if missing) instead of printing:
    /// `<Stack>.template.json` for every stack (with --stack: that stack and the
    /// stacks it depends on) and a `manifest.json` the AWS CDK CLI reads
    /// (`cdk deploy --app DIR`); each resource gets `aws:cdk:path` metadata.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// With --out: no `aws:cdk:path` metadata on the resources (the templates are
    /// then those synth prints).
    #[arg(long, requires = "out")]
    pub no_path_metadata: bool,

    /// Build the app from this JSON spec instead of the program's own (see
    /// `synth schema`); works with every subcommand that builds an app.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// With --out: sync every file to disk before renaming it into place, so the
    /// templates survive a power loss too (a killed synth never leaves a cut file
    /// either way). Costs a disk flush per run.
    #[arg(long, requires = "out")]
    pub durable: bool,

    /// A subcommand; without one, synthesize the app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--env` and `--config` after a subcommand that builds the app (`diff`, `cost`,
/// `diagram`); they take precedence over the same flags before it. (Not global
/// flags: `synth check --help` shows only what applies to check.)
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AppFlags {
    /// Environment preset the app is built for: dev, staging or prod. Default: the
    /// --env before the subcommand, else dev.
    #[arg(long = "env", value_parser = parse_env, value_name = "ENV")]
    pub env: Option<Environment>,
    /// Build the app from this JSON spec instead of the program's own (see `synth schema`).
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Subcommands of `synth`.
#[derive(Debug, Clone, Subcommand)]
#[non_exhaustive]
pub enum Command {
    /// Check CloudFormation templates (JSON or YAML): schemas, ElastiCache rules, references, limits.
    #[command(after_help = check::EXIT_CODES)]
    Check(check::CheckArgs),
    /// Compare a deployed template with the new one: changes, replacements, data loss.
    Diff(diff::DiffArgs),
    /// Estimate the on-demand monthly cost of the caches, per stack and resource.
    Cost(cost::CostArgs),
    /// Draw the stacks, their resources and references (Mermaid or Graphviz DOT).
    Diagram(diagram::DiagramArgs),
    /// Run the app's caches on real engine processes on 127.0.0.1: up, down, status, env.
    Local(local::LocalArgs),
    /// Print the JSON Schema of `--config` spec files (draft 2020-12), for editors.
    Schema,
}

fn parse_env(s: &str) -> Result<Environment, String> {
    s.parse().map_err(|e: redis_cdk::UnknownEnvironment| e.to_string())
}

/// What a run ended with: the process exit code.
pub type Exit = u8;

/// Runs the command: builds the app for `cli.env` with `build`, synthesizes it and
/// writes templates to `out` (or `--out DIR`), diagnostics to `err`.
///
/// Returns the exit code: 0 on success, 1 when synth found errors or a file could
/// not be written.
pub fn run(cli: &Cli, build: &dyn Fn(Environment) -> App, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let flags = match &cli.command {
        Some(Command::Diff(a)) => Some(&a.app),
        Some(Command::Cost(a)) => Some(&a.app),
        Some(Command::Diagram(a)) => Some(&a.app),
        Some(Command::Local(local::LocalArgs { action: local::LocalAction::Up(a) })) => Some(&a.app),
        _ => None,
    };
    let merged;
    let cli = match flags {
        Some(f) if f.env.is_some() || f.config.is_some() => {
            merged = Cli {
                env: f.env.unwrap_or(cli.env),
                config: f.config.clone().or_else(|| cli.config.clone()),
                ..cli.clone()
            };
            &merged
        }
        _ => cli,
    };
    let builds_app = !matches!(
        cli.command,
        Some(Command::Check(_) | Command::Schema)
            | Some(Command::Local(local::LocalArgs {
                action: local::LocalAction::Down(_) | local::LocalAction::Status(_) | local::LocalAction::Env(_)
            }))
    );
    match cli.config.as_deref().filter(|_| builds_app) {
        Some(path) => spec::with_config(cli, path, err, |b, err| dispatch(cli, b, out, err)),
        None => dispatch(cli, build, out, err),
    }
}

fn dispatch(cli: &Cli, build: &dyn Fn(Environment) -> App, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    match &cli.command {
        None => synth(cli, build, out, err),
        Some(Command::Check(a)) => check::run(a, out, err),
        Some(Command::Diff(a)) => diff::run(cli, a, build, out, err),
        Some(Command::Cost(a)) => cost::run(cli, a, build, out, err),
        Some(Command::Diagram(a)) => diagram::run(cli, a, build, out, err),
        Some(Command::Schema) => spec::schema(out, err),
        Some(Command::Local(a)) => local::run(cli, a, build, out, err),
    }
}

fn synth(cli: &Cli, build: &dyn Fn(Environment) -> App, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let app = build(cli.env);
    if cli.list {
        for name in app.stack_names() {
            let _ = writeln!(out, "{name}");
        }
        return 0;
    }
    let assembly = match app.into_assembly() {
        Ok(a) => a,
        Err(e) => {
            for d in &e.diagnostics {
                let _ = writeln!(err, "{}: {d}", d.severity);
            }
            let n = e.errors().count();
            let _ =
                writeln!(err, "synth failed with {n} error{}; no template was written", if n == 1 { "" } else { "s" });
            return 1;
        }
    };
    for w in &assembly.warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    if let Some(dir) = &cli.out {
        let mut assembly = assembly;
        if let Some(name) = &cli.stack {
            if let Err(e) = assembly.select_stack(name) {
                let _ = writeln!(err, "error: {e}");
                return 1;
            }
        }
        if !cli.no_path_metadata {
            assembly.add_path_metadata();
        }
        return write_dir(&assembly, dir, cli.durable, err);
    }
    let chosen = match &cli.stack {
        Some(name) => match assembly.stack(name) {
            Some(s) => s,
            None => {
                let _ = writeln!(err, "error: no stack named '{name}'; the app has: {}", names(&assembly));
                return 1;
            }
        },
        None if assembly.stacks.len() == 1 => &assembly.stacks[0],
        None => {
            let _ = writeln!(
                err,
                "error: the app has {} stacks ({}); pick one with --stack NAME or write them all with --out DIR",
                assembly.stacks.len(),
                names(&assembly)
            );
            return 1;
        }
    };
    match out.write_all(chosen.to_json().as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: writing the template: {e}");
            1
        }
    }
}

fn names(assembly: &Assembly) -> String {
    assembly.stacks.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn write_dir(assembly: &Assembly, dir: &std::path::Path, durable: bool, err: &mut dyn Write) -> Exit {
    let written = if durable { assembly.write_to_dir_durable(dir) } else { assembly.write_to_dir(dir) };
    match written {
        Ok(()) => {
            let _ = writeln!(err, "wrote {} template(s) and manifest.json to {}", assembly.stacks.len(), dir.display());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: writing to {}: {e}", dir.display());
            1
        }
    }
}

/// The whole command for an app: parses the process arguments, runs, and returns
/// the exit code. Examples call it from `main`, so every app takes the same flags.
/// `build` may be a closure, to capture configuration the program read first.
///
/// It follows the AWS CDK app contract ([`cdk`]): run by the CDK CLI (`"app":
/// "cargo run -q --bin synth"` in `cdk.json`), it writes the cloud assembly to
/// `CDK_OUTDIR` and reads the context's `env`, `stack` and `config` as its flags.
pub fn main_with(build: impl Fn(Environment) -> App) -> ExitCode {
    use clap::CommandFactory;
    main_from(Cli::command().get_matches(), &build)
}

/// [`main_with`] for an app with flags of its own: `A`'s arguments (a
/// `#[derive(clap::Args)]` struct) join synth's on the command line and in
/// `--help`, and `build` gets them with the environment.
///
/// ```no_run
/// use redis_cdk::{App, Environment};
/// use synth::clap;
///
/// #[derive(clap::Args)]
/// struct Flags {
///     /// Shards of the cluster.
///     #[arg(long, default_value_t = 3)]
///     shards: u32,
/// }
///
/// fn main() -> std::process::ExitCode {
///     synth::main_with_args(|env: Environment, flags: &Flags| {
///         let mut app = App::for_environment(env);
///         app.add_stack("Sessions").set_description(format!("{} shards", flags.shards));
///         app
///     })
/// }
/// ```
///
/// A flag synth has already (`--env`, `--stack`, `--out`, ...) cannot be taken:
/// the program stops with an error naming it, before anything is built.
pub fn main_with_args<A: clap::Args>(build: impl Fn(Environment, &A) -> App) -> ExitCode {
    use clap::CommandFactory;
    let (command, clashes) = with_app_args::<A>(Cli::command());
    if !clashes.is_empty() {
        eprintln!("error: the app's flags {} are synth's own; rename them", clashes.join(", "));
        return ExitCode::from(2);
    }
    let matches = command.get_matches();
    let args = A::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    main_from(matches, &|env| build(env, &args))
}

/// `command` with `A`'s arguments added, and the names (`--long`, `-s` or id) of
/// those that clash with the command's own.
pub fn with_app_args<A: clap::Args>(command: clap::Command) -> (clap::Command, Vec<String>) {
    let own = A::augment_args(clap::Command::new("app"));
    let mut clashes = Vec::new();
    for arg in own.get_arguments() {
        // clap's own --help/-h and --version/-V, added when the command is built
        if let Some(l) = arg.get_long().filter(|l| ["help", "version"].contains(l)) {
            clashes.push(format!("--{l}"));
        }
        if let Some(c) = arg.get_short().filter(|c| ['h', 'V'].contains(c)) {
            clashes.push(format!("-{c}"));
        }
        for theirs in command.get_arguments() {
            let clash = if arg.get_id() == theirs.get_id() {
                Some(format!("'{}'", arg.get_id()))
            } else if arg.get_long().is_some() && arg.get_long() == theirs.get_long() {
                arg.get_long().map(|l| format!("--{l}"))
            } else if arg.get_short().is_some() && arg.get_short() == theirs.get_short() {
                arg.get_short().map(|c| format!("-{c}"))
            } else {
                None
            };
            clashes.extend(clash);
        }
    }
    if clashes.is_empty() {
        // a derived Args' doc comment would become the command's about text
        let (about, long_about) = (command.get_about().cloned(), command.get_long_about().cloned());
        let mut command = A::augment_args(command);
        command = match about {
            Some(a) => command.about(a),
            None => command.about(clap::builder::Resettable::Reset),
        };
        command = match long_about {
            Some(a) => command.long_about(a),
            None => command.long_about(clap::builder::Resettable::Reset),
        };
        (command, clashes)
    } else {
        (command, clashes)
    }
}

/// Runs an app from parsed arguments, after applying the CDK app contract.
fn main_from(matches: clap::ArgMatches, build: &dyn Fn(Environment) -> App) -> ExitCode {
    use clap::{parser::ValueSource, FromArgMatches};
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    match cdk::CdkInvocation::from_process() {
        Ok(None) => {}
        Ok(Some(invocation)) => {
            let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
            let explicit = cdk::Explicit { env: given("env"), stack: given("stack"), config: given("config") };
            match invocation.apply(&mut cli, explicit) {
                Ok(warnings) => {
                    for w in warnings {
                        let _ = writeln!(err, "warning: {w}");
                    }
                }
                Err(errors) => {
                    for e in errors {
                        let _ = writeln!(err, "error: {e}");
                    }
                    return ExitCode::from(2);
                }
            }
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return ExitCode::from(2);
        }
    }
    let code = run(&cli, build, &mut stdout.lock(), &mut err);
    ExitCode::from(code)
}

/// Pretty JSON as synth writes it (one-space indentation, final newline).
pub fn pretty(value: &serde_json::Value) -> String {
    to_pretty_json(value)
}
