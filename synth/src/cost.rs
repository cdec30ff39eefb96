//! `synth cost`: the on-demand monthly estimate of the app's caches, per stack
//! and resource. The logic is [`redis_cdk::insight::assembly_cost`].

use crate::{Cli, Exit};
use clap::{Args, ValueEnum};
use redis_cdk::insight::assembly_cost_in;
use redis_cdk::{App, Environment};
use std::io::Write;

/// Arguments of `synth cost`.
#[derive(Debug, Clone, Args)]
pub struct CostArgs {
    /// --env and --config, as before the subcommand.
    #[command(flatten)]
    pub app: crate::AppFlags,
    /// Output format: text (a table per stack) or json.
    #[arg(long, value_enum, default_value_t = CostFormat::Text)]
    pub format: CostFormat,
    /// Price every stack in this region. Default: each stack's region, or us-east-1.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only this stack.
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
}

/// Output format of `synth cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    /// A plain-text table.
    Text,
    /// The report as JSON.
    Json,
}

/// Runs `synth cost`: 0 on success, 1 when synth fails, 2 for an unknown stack.
pub fn run(
    cli: &Cli,
    args: &CostArgs,
    build: &dyn Fn(Environment) -> App,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let mut assembly = match crate::diff::assemble(cli, build, err) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(name) = args.stack.as_ref().or(cli.stack.as_ref()) {
        if assembly.stack(name).is_none() {
            let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
            let _ = writeln!(err, "error: no stack named '{name}'; the app has: {}", names.join(", "));
            return 2;
        }
        assembly.stacks.retain(|s| &s.name == name);
    }
    let report = assembly_cost_in(&assembly, args.region.as_deref());
    let text = match args.format {
        CostFormat::Text => report.render(),
        CostFormat::Json => crate::pretty(&report.to_json()),
    };
    match out.write_all(text.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: writing the report: {e}");
            1
        }
    }
}
