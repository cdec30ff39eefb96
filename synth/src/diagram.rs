//! `synth diagram`: the app's stacks, resources grouped by construct and the
//! references between them, as Mermaid or Graphviz DOT. The logic is
//! [`redis_cdk::insight::diagram()`].

use crate::{Cli, Exit};
use clap::{Args, ValueEnum};
use redis_cdk::insight::diagram;
use redis_cdk::{App, Environment};
use std::io::Write;

/// Arguments of `synth diagram`.
#[derive(Debug, Clone, Args)]
pub struct DiagramArgs {
    /// --env and --config, as before the subcommand.
    #[command(flatten)]
    pub app: crate::AppFlags,
    /// Output format: mermaid (renders on GitHub) or dot (Graphviz).
    #[arg(long, value_enum, default_value_t = DiagramFormat::Mermaid)]
    pub format: DiagramFormat,
}

/// Output format of `synth diagram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    /// A Mermaid `flowchart LR`.
    Mermaid,
    /// A Graphviz `digraph`.
    Dot,
}

/// Runs `synth diagram`: 0 on success, 1 when synth fails.
pub fn run(
    cli: &Cli,
    args: &DiagramArgs,
    build: &dyn Fn(Environment) -> App,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let assembly = match crate::diff::assemble(cli, build, err) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let d = diagram(&assembly);
    let text = match args.format {
        DiagramFormat::Mermaid => d.to_mermaid(),
        DiagramFormat::Dot => d.to_dot(),
    };
    match out.write_all(text.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: writing the diagram: {e}");
            1
        }
    }
}
