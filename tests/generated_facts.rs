//! The generated facts (`constructs/src/facts/data.rs`) are what
//! `scripts/gen-facts.py` makes from the pinned cfn-lint and botocore: the test runs
//! the script's `--check` with the Python that has them (`REDIS_CDK_FACTS_PYTHON`,
//! which `.ci/run` sets to a virtualenv holding exactly the pinned versions).

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn generated_facts_match_the_pinned_sources() {
    let python = match std::env::var_os("REDIS_CDK_FACTS_PYTHON") {
        Some(p) => p,
        None if common::skip_external() => {
            println!("SKIPPED: REDIS_CDK_FACTS_PYTHON is not set");
            return;
        }
        None => panic!(
            "REDIS_CDK_FACTS_PYTHON is not set: point it at a Python with cfn-lint and botocore at the versions pinned in scripts/gen-facts.py (.ci/run does), or set REDIS_CDK_SKIP_EXTERNAL=1"
        ),
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(python)
        .arg(root.join("scripts/gen-facts.py"))
        .arg("--check")
        .output()
        .expect("run scripts/gen-facts.py --check");
    assert!(
        out.status.success(),
        "gen-facts --check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
