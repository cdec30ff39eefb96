//! `synth`: prints the CloudFormation template of the default app.
use std::process::ExitCode;

fn main() -> ExitCode {
    synth::main_with(synth::default_app::build)
}
