//! `synth --config FILE` and `synth schema`: apps from declarative JSON specs.
//! The logic is [`redis_cdk::spec`].

use crate::{Cli, Exit};
use redis_cdk::{spec, App, Environment};
use std::io::Write;
use std::path::Path;

/// Runs `synth schema`: prints the spec's JSON Schema.
pub fn schema(out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    match out.write_all(redis_cdk::to_pretty_json(&spec::schema()).as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: writing the schema: {e}");
            1
        }
    }
}

/// Runs `command` with the app of the spec at `path` instead of the program's
/// own: the spec is checked for `cli.env` first, and every mistake printed
/// (`error: FILE: /pointer: message`); 1 if there is any.
pub fn with_config(
    cli: &Cli,
    path: &Path,
    err: &mut dyn Write,
    command: impl FnOnce(&dyn Fn(Environment) -> App, &mut dyn Write) -> Exit,
) -> Exit {
    let checked = match spec::load_file(path, cli.env) {
        Ok(app) => app,
        Err(e) => {
            for m in &e.messages {
                let _ = writeln!(err, "error: {m}");
            }
            let n = e.messages.len();
            let _ = writeln!(err, "the spec has {n} mistake{}; no template was written", if n == 1 { "" } else { "s" });
            return 1;
        }
    };
    // the app just checked serves the first build for its environment; any other
    // build loads the spec again
    let checked = std::cell::Cell::new(Some(checked));
    let build = |env: Environment| {
        let reused = if env == cli.env { checked.take() } else { None };
        match reused.map_or_else(|| spec::load_file(path, env), Ok) {
            Ok(app) => app,
            Err(e) => {
                // another environment's patch is wrong: synth reports it like any error
                let mut app = App::for_environment(env);
                e.messages.into_iter().for_each(|m| app.error(m));
                app
            }
        }
    };
    command(&build, err)
}
