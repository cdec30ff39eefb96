//! The typed L1 layer (`constructs/src/cfn/generated.rs`) is what `scripts/gen-l1.py`
//! makes from the shipped provider schemas: the test runs the script's `--check`
//! (Python 3 and the toolchain's rustfmt, both on every machine the tests run on).

use std::path::Path;
use std::process::Command;

#[test]
fn generated_l1_matches_the_shipped_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("scripts/gen-l1.py"))
        .arg("--check")
        .output()
        .expect("run python3 scripts/gen-l1.py --check");
    assert!(
        out.status.success(),
        "gen-l1 --check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
