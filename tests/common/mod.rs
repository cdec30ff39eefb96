//! Shared helpers of the integration tests: the built executables, the set of every
//! template the project synthesizes (computed once per test binary), the in-process
//! CLI, external tools and the `REDIS_CDK_SKIP_EXTERNAL` rule.
//!
//! Every test binary includes this module and uses a part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub mod moto;

/// The environments every app is synthesized for.
pub const ENVS: [&str; 3] = ["dev", "staging", "prod"];

/// The label of the default app (the `synth` binary) in the synthesized set.
pub const DEFAULT_APP: &str = "synth";

/// The repository root (the root package's directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo that runs the tests (falls back to the one that compiled them).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string())
}

/// A fresh, empty directory under cargo's per-package temp dir, unique to this
/// process and call.
pub fn temp_dir(label: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    if n == 0 {
        remove_stale_dirs(&base);
    }
    let dir = base.join(format!("{label}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Removes the directories earlier test processes left in `base`: their name ends
/// in `-<pid>-<n>` and that process is gone.
fn remove_stale_dirs(base: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let mut parts = name.rsplitn(3, '-');
        let (Some(n), Some(pid)) = (parts.next(), parts.next()) else { continue };
        if n.parse::<u64>().is_err() || pid.parse::<u32>().is_err() {
            continue;
        }
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// True when `REDIS_CDK_SKIP_EXTERNAL=1`: tests that need an external tool
/// (cfn-lint, checkov, moto_server, aws, python3 with boto3) pass without running
/// when the tool is missing, instead of failing.
pub fn skip_external() -> bool {
    std::env::var("REDIS_CDK_SKIP_EXTERNAL").is_ok_and(|v| v == "1")
}

/// Where `name` is on PATH, if it is.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The external tool `name`, or `None` when it is missing and
/// `REDIS_CDK_SKIP_EXTERNAL=1` (the caller then returns early).
///
/// # Panics
///
/// When the tool is missing and skipping was not asked for.
pub fn external_tool(name: &str, install_hint: &str) -> Option<PathBuf> {
    if let Some(p) = which(name) {
        return Some(p);
    }
    if skip_external() {
        eprintln!("SKIPPED: `{name}` is not on PATH and REDIS_CDK_SKIP_EXTERNAL=1");
        return None;
    }
    panic!(
        "`{name}` is not on PATH. Install it ({install_hint}), or run scripts/test (the README's test command), which installs every \
         validator; set REDIS_CDK_SKIP_EXTERNAL=1 to skip the tests that need it."
    );
}

/// The executables of the workspace: the `synth` binary and every example.
#[derive(Debug)]
pub struct Executables {
    /// `synth`, the default app.
    pub synth: PathBuf,
    /// Example name → executable.
    pub examples: BTreeMap<String, PathBuf>,
}

/// Builds `synth` and every example once per test binary (a no-op under
/// `cargo test`, which has built them already) and returns their paths, as cargo
/// reports them, so the tests never run a stale binary.
pub fn executables() -> &'static Executables {
    static EXES: OnceLock<Executables> = OnceLock::new();
    EXES.get_or_init(build_executables)
}

fn profile_args() -> Vec<String> {
    // The test binary is <target>/<profile dir>/deps/<name>: build the same profile.
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe.parent().and_then(Path::parent).and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or("debug");
    match dir {
        "debug" => vec![],
        "release" => vec!["--release".into()],
        other => vec!["--profile".into(), other.into()],
    }
}

fn build_executables() -> Executables {
    let mut child = Command::new(cargo())
        .current_dir(root())
        .args(["build", "--quiet", "--message-format=json-render-diagnostics", "--bin", "synth", "--examples"])
        .args(profile_args())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running cargo build");
    let mut stderr = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut synth = None;
    let mut examples = BTreeMap::new();
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let line = line.expect("cargo output");
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let Some(exe) = msg["executable"].as_str() else { continue };
        let name = msg["target"]["name"].as_str().unwrap_or_default().to_string();
        let kinds: Vec<&str> =
            msg["target"]["kind"].as_array().map(|a| a.iter().filter_map(|k| k.as_str()).collect()).unwrap_or_default();
        if kinds.contains(&"example") {
            examples.insert(name, PathBuf::from(exe));
        } else if kinds.contains(&"bin") && name == "synth" {
            synth = Some(PathBuf::from(exe));
        }
    }
    let status = child.wait().expect("waiting for cargo build");
    let err = err_reader.join().unwrap_or_default();
    assert!(status.success(), "cargo build --bin synth --examples failed:\n{err}");
    let synth = synth.unwrap_or_else(|| panic!("cargo build did not report the synth executable\n{err}"));
    for name in example_names() {
        assert!(examples.contains_key(&name), "examples/{name}.rs was not built as an example: {examples:?}");
    }
    Executables { synth, examples }
}

/// Every example, found by listing `examples/*.rs` (and `examples/*/main.rs`).
pub fn example_names() -> Vec<String> {
    let dir = root().join("examples");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("listing {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        } else if path.join("main.rs").is_file() {
            names.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    names
}

/// The result of one run of the CLI: exit code, stdout, stderr.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

/// The in-process command line: `synth::Cli` built from `synth`-style arguments
/// (`--env E`, `--stack NAME`, `--list`, `--out DIR`, `--config FILE`).
///
/// The root package has no `clap` dependency, so `Cli::try_parse_from` is not
/// callable here; clap's own parsing (usage errors, exit code 2) is tested through
/// the real binary instead.
///
/// # Panics
///
/// On an argument this helper does not know, or an unknown environment.
pub fn cli(args: &[&str]) -> synth::Cli {
    let mut cli = synth::Cli {
        env: redis_cdk::Environment::Dev,
        stack: None,
        list: false,
        out: None,
        config: None,
        durable: false,
        no_path_metadata: false,
        command: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value")).to_string();
        match *arg {
            "--env" => cli.env = value().parse().unwrap_or_else(|e| panic!("{e}")),
            "--stack" => cli.stack = Some(value()),
            "--out" => cli.out = Some(PathBuf::from(value())),
            "--list" => cli.list = true,
            "--no-path-metadata" => cli.no_path_metadata = true,
            "--config" => cli.config = Some(PathBuf::from(value())),
            other => panic!("run_cli does not know the argument {other}"),
        }
    }
    cli
}

/// Runs the CLI in-process through `synth::run`, as `synth ARGS...` would, with
/// the app `build`.
pub fn run_cli(args: &[&str], build: &dyn Fn(redis_cdk::Environment) -> redis_cdk::App) -> Run {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = synth::run(&cli(args), build, &mut out, &mut err);
    Run {
        code: i32::from(code),
        stdout: String::from_utf8(out).expect("stdout is UTF-8"),
        stderr: String::from_utf8(err).expect("stderr is UTF-8"),
    }
}

/// Runs an executable and captures its output.
pub fn run_exe(exe: &Path, args: &[&str]) -> Run {
    let out = Command::new(exe).args(args).output().unwrap_or_else(|e| panic!("running {}: {e}", exe.display()));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// One app synthesized for one environment with `--out`.
#[derive(Debug, Clone)]
pub struct AppOutput {
    /// `synth` for the default app, else the example's name.
    pub app: String,
    /// dev, staging or prod.
    pub env: String,
    /// The `--out` directory.
    pub dir: PathBuf,
    /// `manifest.json`, parsed.
    pub manifest: serde_json::Value,
    /// The template files, in manifest order.
    pub templates: Vec<PathBuf>,
}

impl AppOutput {
    /// `app (env)`, for messages.
    pub fn label(&self) -> String {
        format!("{} ({})", self.app, self.env)
    }
}

/// Every template the project produces: the default app and every example, each
/// for dev, staging and prod, under one directory.
#[derive(Debug)]
pub struct Synthesized {
    /// The directory holding `<app>/<env>/`.
    pub dir: PathBuf,
    /// One entry per app and environment.
    pub outputs: Vec<AppOutput>,
}

impl Synthesized {
    /// Every template file.
    pub fn templates(&self) -> Vec<&Path> {
        self.outputs.iter().flat_map(|o| o.templates.iter().map(PathBuf::as_path)).collect()
    }
}

/// The synthesized set, computed once per test binary.
pub fn synthesized() -> &'static Synthesized {
    static SET: OnceLock<Synthesized> = OnceLock::new();
    SET.get_or_init(|| synthesize(&ENVS))
}

/// Synthesizes the default app and every example for `envs` into a new directory.
///
/// # Panics
///
/// When any app fails to synthesize, with its stderr.
pub fn synthesize(envs: &[&str]) -> Synthesized {
    let dir = temp_dir("synthesized");
    let mut outputs = Vec::new();
    let mut failures = Vec::new();
    let mut apps = vec![DEFAULT_APP.to_string()];
    apps.extend(example_names());
    for app in &apps {
        for env in envs {
            let out_dir = dir.join(app).join(env);
            let out_str = out_dir.to_str().expect("UTF-8 temp path");
            let run = if app == DEFAULT_APP {
                run_cli(&["--env", env, "--out", out_str], &synth::default_app::build)
            } else {
                run_exe(&executables().examples[app], &["--env", env, "--out", out_str])
            };
            if run.code != 0 {
                failures.push(format!("{app} --env {env}: exit {}\n{}", run.code, run.stderr));
                continue;
            }
            outputs.push(read_output(app, env, &out_dir));
        }
    }
    assert!(failures.is_empty(), "synthesis failed:\n{}", failures.join("\n"));
    Synthesized { dir, outputs }
}

/// Reads an `--out` directory: the manifest and its templates.
pub fn read_output(app: &str, env: &str, dir: &Path) -> AppOutput {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .unwrap_or_else(|e| panic!("{app} ({env}): reading {}: {e}", manifest_path.display()));
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("manifest.json is JSON");
    let artifacts = manifest["artifacts"].as_object().expect("manifest.json has an artifacts object");
    let templates = artifacts
        .values()
        .map(|a| dir.join(a["properties"]["templateFile"].as_str().expect("every artifact has a templateFile")))
        .collect();
    AppOutput { app: app.to_string(), env: env.to_string(), dir: dir.to_path_buf(), manifest, templates }
}

/// Reads and parses a JSON file.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A small deterministic generator (xorshift64*), so failures replay: the spec
/// fuzz of `tests/specs.rs` and the mutation test of `tests/spec_mutation.rs`.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
