//! `cargo bench`: synth with full validation (1, 10 and 100 split-Redis stacks),
//! `check_template` on one template and on 100, `synth check` on 100 files,
//! schema compilation, and `synth local up` of a 2-shard, 1-replica cluster
//! (target: ready in under 3 s on the 2-core machine; needs redis-server).
//!
//! A plain bench binary (no harness dependency): each case runs a fixed number of
//! iterations after a warm-up and prints the minimum and median wall time, in
//! process. Whole-process numbers (start-up, writes, peak memory) come from
//! `hyperfine` over the `split_scale` example; see the README's Performance section.

#[path = "../examples/split_scale.rs"]
#[allow(dead_code)]
mod split_scale;

use redis_cdk::{validate, App, Environment};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn app(stacks: usize) -> App {
    let mut app = App::new();
    for i in 1..=stacks {
        split_scale::add_split_stack(&mut app, &format!("Split{i}"), Environment::Prod);
    }
    app
}

fn measure(name: &str, iterations: usize, mut f: impl FnMut()) {
    f(); // warm-up
    let mut times: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<44} min {:>8.3} ms   median {:>8.3} ms   ({iterations} runs)",
        ms(times[0]),
        ms(times[iterations / 2])
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects cases by substring.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let on = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));

    // Schema compilation happens once per process, so it is timed once, first.
    if on("schema compilation") {
        let start = Instant::now();
        let n = validate::schema::precompile(validate::schema::shipped_types());
        println!(
            "{:<44} once {:>8.3} ms   ({n} schemas, across cores)",
            "schema compilation (all shipped)",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    for stacks in [1usize, 10, 100] {
        let name = format!("synth + validation, {stacks} stack(s)");
        if on(&name) {
            measure(&name, if stacks == 100 { 10 } else { 30 }, || {
                let a = app(stacks).into_assembly().expect("the split stack synthesizes");
                black_box(a);
            });
        }
    }
    let one = app(1).synth().expect("synth").stacks.remove(0).template;
    if on("check_template, 1 template") {
        measure("check_template, 1 template", 200, || {
            black_box(validate::check_template(black_box(&one)));
        });
    }
    if on("check_template, 100 templates") {
        let hundred: Vec<serde_json::Value> =
            app(100).synth().expect("synth").stacks.into_iter().map(|s| s.template).collect();
        measure("check_template, 100 templates", 10, || {
            for t in &hundred {
                black_box(validate::check_template(black_box(t)));
            }
        });
    }
    if on("synth check, 100 files") {
        let dir = std::env::temp_dir().join(format!("redis-cdk-bench-{}", std::process::id()));
        app(100).synth().expect("synth").write_to_dir(&dir).expect("the templates are written");
        let args = check_args((1..=100).map(|i| dir.join(format!("Split{i}.template.json"))).collect(), true);
        measure("synth check, 100 files (read, parse, check)", 10, || {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = synth::check::run(&args, &mut out, &mut err);
            assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
    // The same template in JSON and in YAML (short-form intrinsics): reading and
    // checking YAML must cost at most twice JSON.
    let good = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("synth/tests/fixtures/check/good");
    for (label, file) in [("JSON", "redis7-replication-group.json"), ("YAML", "redis7-replication-group.yaml")] {
        let name = format!("synth check, 1 template in {label} (parse, locate, check)");
        if on(&name) {
            let text = std::fs::read_to_string(good.join(file)).expect("the fixture");
            measure(&name, 200, || {
                let mut s = synth::source::parse(file.to_string(), black_box(text.clone()));
                let findings = validate::check_template(&s.template);
                black_box(s.positions());
                black_box(findings);
            });
        }
    }
    if on("synth local up") {
        local_up();
    }
    if on("synth check, the corpus directories") {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let args = check_args(vec![root.join("corpus"), root.join("corpus-yaml")], false);
        measure("synth check, the corpus directories (47 templates, JSON and YAML)", 10, || {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            black_box(synth::check::run(&args, &mut out, &mut err));
        });
    }
}

/// `synth local up` of `tenant_sharded` in staging (its spec: 2 shards x 1 replica,
/// TLS, AUTH token), timed from the call to every node in the cluster and the
/// cluster ok; `down` after each run, untimed.
fn local_up() {
    let name = "synth local up, 2 shards x 1 replica, TLS";
    if ["redis-server", "redis-cli"].iter().any(|t| synth::local::engine::which(t).is_none()) {
        println!("{name:<44} skipped: no redis-server or redis-cli on PATH (apt-get install redis-server)");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("redis-cdk-bench-local-{}", std::process::id()));
    let cli = |action| synth::Cli {
        env: Environment::Staging,
        stack: None,
        list: false,
        out: None,
        no_path_metadata: false,
        config: Some(root.join("examples/specs/tenant_sharded.json")),
        durable: false,
        command: Some(synth::Command::Local(synth::local::LocalArgs { action })),
    };
    let up = cli(synth::local::LocalAction::Up(synth::local::UpArgs {
        app: synth::AppFlags::default(),
        stack: None,
        dir: dir.clone(),
        server: None,
    }));
    let down = cli(synth::local::LocalAction::Down(synth::local::DirArgs { dir: dir.clone() }));
    let mut times = Vec::new();
    for _ in 0..5 {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let start = Instant::now();
        let code = synth::run(&up, &synth::default_app::build, &mut out, &mut err);
        times.push(start.elapsed());
        assert_eq!(code, 0, "synth local up: {}", String::from_utf8_lossy(&err));
        assert_eq!(synth::run(&down, &synth::default_app::build, &mut out, &mut err), 0);
    }
    times.sort();
    println!(
        "{name:<44} min {:>8.1} ms   median {:>8.1} ms   (5 runs, target < 3000 ms)",
        times[0].as_secs_f64() * 1000.0,
        times[2].as_secs_f64() * 1000.0
    );
}

/// `synth check` of `files` with text output, without a project file.
fn check_args(files: Vec<std::path::PathBuf>, strict: bool) -> synth::check::CheckArgs {
    synth::check::CheckArgs {
        files,
        strict,
        format: synth::check::Format::Text,
        region: None,
        list_rules: false,
        ignore_checks: Vec::new(),
        include_checks: Vec::new(),
        no_config_file: true,
    }
}
