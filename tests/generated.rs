//! The generated code is what its script makes, and each test runs the script's
//! `--check`:
//! - the typed L1 layer (`constructs/src/cfn/generated.rs`), which
//!   `scripts/gen-l1.py` makes from the shipped provider schemas (Python 3 and the
//!   toolchain's rustfmt, both on every machine the tests run on);
//! - the facts (`constructs/src/facts/data.rs`), which `scripts/gen-facts.py` makes
//!   from the pinned cfn-lint and botocore, with the Python that has them
//!   (`REDIS_CDK_FACTS_PYTHON`, which `.ci/run` sets to a virtualenv holding exactly
//!   the pinned versions).

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// Runs `python script --check` from the repository root and fails with its output.
fn check(python: &OsStr, script: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(python)
        .arg(root.join(script))
        .arg("--check")
        .output()
        .unwrap_or_else(|e| panic!("run {} {script} --check: {e}", python.to_string_lossy()));
    assert!(
        out.status.success(),
        "{script} --check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn generated_l1_matches_the_shipped_schemas() {
    check(OsStr::new("python3"), "scripts/gen-l1.py");
}

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
    check(&python, "scripts/gen-facts.py");
}
