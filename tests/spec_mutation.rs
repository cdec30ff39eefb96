//! A seeded mutation test of the example specs (`examples/specs/*.json`): each
//! mutant (numbers set to edge values, strings swapped, keys dropped, lists
//! cut or doubled, types changed) is built and synthesized for every
//! environment. Whatever the mutant, nothing panics, and the outcome is either a
//! clear error (spec or synth) or templates that pass the rule set; in the
//! external layer every distinct synthesized template also passes cfn-lint
//! (informational checks included), so synth never emits what CloudFormation
//! rejects.
//!
//! `REDIS_CDK_MUTATION_SEED` picks another seed (default 0x5eed),
//! `REDIS_CDK_MUTANTS` the number of mutants per spec (default 300).

mod common;

use common::Rng;
use redis_cdk::Environment;
use serde_json::{json, Value as J};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Every node of `v` by JSON pointer, the root excluded.
fn pointers(v: &J, at: String, out: &mut Vec<String>) {
    match v {
        J::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        J::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

const NUMBERS: &[i64] =
    &[0, 1, -1, 2, 3, 5, 6, 7, 15, 35, 36, 90, 91, 250, 500, 501, 6379, 65535, 65536, 4_294_967_295];
const STRINGS: &[&str] = &[
    "",
    "x",
    "redis",
    "valkey",
    "7.1",
    "8.0",
    "6.2",
    "2.8.24",
    "cache.t4g.micro",
    "cache.r6gd.xlarge",
    "cache.t1.fake",
    "sun:05:00-sun:06:00",
    "05:00-06:00",
    "dev",
    "prod",
    "ca-central-1",
    "Cache",
    "a b",
    "0.0.0.0/0",
];

/// One random change somewhere in `doc`.
fn mutate(doc: &mut J, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let at = rng.pick(&all).clone();
    let (parent_ptr, key) = at.rsplit_once('/').expect("a pointer below the root");
    let current = doc.pointer(&at).cloned().unwrap_or(J::Null);
    let replacement = match (rng.below(10), &current) {
        (0..=3, J::Number(_)) => Some(json!(rng.pick(NUMBERS))),
        (0..=3, J::String(s)) => Some(match rng.below(3) {
            0 => json!(rng.pick(STRINGS)),
            1 => json!(s.chars().take(rng.below(s.len() + 1)).collect::<String>()),
            _ => json!(format!("{s}{s}")),
        }),
        (0..=3, J::Bool(b)) => Some(json!(!b)),
        (0..=3, J::Array(a)) if !a.is_empty() => {
            let mut a = a.clone();
            if rng.below(2) == 0 {
                a.truncate(rng.below(a.len()));
            } else {
                let item = a[rng.below(a.len())].clone();
                a.push(item);
            }
            Some(J::Array(a))
        }
        (4..=5, _) => None, // drop the key or item
        (6, _) => Some(json!(rng.pick(NUMBERS))),
        (7, _) => Some(json!(rng.pick(STRINGS))),
        (8, _) => Some(J::Null),
        _ => Some(json!({})),
    };
    let Some(parent) = doc.pointer_mut(parent_ptr) else { return };
    match (parent, replacement) {
        (J::Object(m), Some(v)) => {
            m.insert(key.replace("~1", "/").replace("~0", "~"), v);
        }
        (J::Object(m), None) => {
            m.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
        }
        (J::Array(a), Some(v)) => {
            if let Ok(i) = key.parse::<usize>() {
                a[i] = v;
            }
        }
        (J::Array(a), None) => {
            if let Ok(i) = key.parse::<usize>() {
                a.remove(i);
            }
        }
        _ => {}
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim_start_matches("0x").parse().ok()).unwrap_or(default)
}

#[test]
fn mutated_specs_fail_clearly_or_synthesize_templates_cloudformation_accepts() {
    let seed = env_u64("REDIS_CDK_MUTATION_SEED", 0x5eed);
    let per_spec = env_u64("REDIS_CDK_MUTANTS", 300) as usize;
    let dir = common::root().join("examples/specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 5, "{specs:?}");
    let mut rng = Rng(seed | 1);
    let (mut spec_errors, mut synth_errors, mut built) = (0usize, 0usize, 0usize);
    // distinct templates, by content, with the mutant that first made each and
    // the rules that warned about it
    let mut templates: BTreeMap<String, (String, Vec<&'static str>)> = BTreeMap::new();
    for spec in &specs {
        let original: J = serde_json::from_slice(&std::fs::read(spec).unwrap()).unwrap();
        for n in 0..per_spec {
            let mut doc = original.clone();
            for _ in 0..1 + rng.below(3) {
                mutate(&mut doc, &mut rng);
            }
            let label = format!("{} mutant {n} (seed {seed:#x})", spec.file_name().unwrap().to_string_lossy());
            for env in [Environment::Dev, Environment::Staging, Environment::Prod] {
                let outcome =
                    std::panic::catch_unwind(|| redis_cdk::spec::from_json(&doc, "mutant", env).map(|app| app.synth()));
                match outcome {
                    Err(_) => panic!("{label} ({env}) panicked; the mutant:\n{doc:#}"),
                    Ok(Err(e)) => {
                        assert!(!e.messages.is_empty(), "{label}: a spec error without a message");
                        spec_errors += 1;
                    }
                    Ok(Ok(Err(e))) => {
                        assert!(e.errors().count() > 0, "{label}: a synth error without an error");
                        synth_errors += 1;
                    }
                    Ok(Ok(Ok(assembly))) => {
                        built += 1;
                        for s in &assembly.stacks {
                            let findings = redis_cdk::validate::check_template(&s.template);
                            let errors: Vec<String> = findings
                                .iter()
                                .filter(|f| f.severity == redis_cdk::Severity::Error)
                                .map(|f| f.to_string())
                                .collect();
                            assert!(
                                errors.is_empty(),
                                "{label} ({env}) synthesized a template its rules refuse: {errors:#?}"
                            );
                            let warned: Vec<&'static str> = findings.iter().map(|f| f.rule).collect();
                            templates
                                .entry(s.to_json())
                                .or_insert_with(|| (format!("{label} {env} {}", s.name), warned));
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "{} mutants x 3 environments: {spec_errors} spec errors, {synth_errors} synth errors, {built} built, {} distinct templates",
        specs.len() * per_spec,
        templates.len()
    );
    assert!(spec_errors > 0 && synth_errors > 0 && built > 0, "the mutants reach every outcome");

    // the external layer: cfn-lint on every distinct template, in one call
    let Some(cfn_lint) = common::external_tool("cfn-lint", "pip install cfn-lint") else { return };
    let out_dir = common::temp_dir("mutants");
    let mut names = BTreeMap::new();
    for (i, (text, found)) in templates.iter().enumerate() {
        let f = out_dir.join(format!("m{i:05}.json"));
        std::fs::write(&f, text).unwrap();
        names.insert(f.display().to_string(), found);
    }
    let files: Vec<&String> = names.keys().collect();
    let out = std::process::Command::new(&cfn_lint)
        .args(["--include-checks", "I", "--format", "parseable", "--"])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A cfn-lint warning that synth gave too (printed to the user, the template
    // still written, as cfn-lint's own warnings allow) is accepted: an unused
    // parameter (W2001, our TPL019) and a Fn::Sub with nothing to substitute
    // (W1020, TPL020), an Fn::Equals of two literals (W8003, TPL023). Everything
    // else is a template synth must not emit.
    let same_warning = [("W2001", "TPL019"), ("W1020", "TPL020"), ("W8003", "TPL023")];
    let mut by_template: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut accepted = 0;
    for line in stdout.lines() {
        let file = line.split(':').next().unwrap_or_default();
        let rule = line.split(':').nth(5).unwrap_or_default();
        let Some((label, warned)) = names.get(file) else {
            by_template.entry(file).or_default().push(line);
            continue;
        };
        if same_warning.iter().any(|(theirs, ours)| *theirs == rule && warned.contains(ours)) {
            accepted += 1;
            continue;
        }
        by_template.entry(label.as_str()).or_default().push(line);
    }
    eprintln!("cfn-lint: {} templates, {accepted} warnings synth gave too", templates.len());
    assert!(
        by_template.is_empty(),
        "cfn-lint rejects {} of {} synthesized mutant templates:\n{:#?}\n{}",
        by_template.len(),
        templates.len(),
        by_template.iter().take(10).collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
}
