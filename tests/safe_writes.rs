//! `--out DIR` writes that never lose a template, through the real binaries
//! (`split_scale`, whose stack count and preset are flags): a synth killed with
//! SIGKILL in the middle of writing, a file-size limit that fails a write as a
//! full disk would, a symbolic link in the directory, and templates of stacks
//! that left the app.

mod common;

use common::{executables, temp_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn split_scale() -> PathBuf {
    executables().examples["split_scale"].clone()
}

/// Every file of `dir`, by name, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

fn synth_into(dir: &Path, stacks: usize, env: &str) -> std::process::Output {
    Command::new(split_scale())
        .args(["--stacks", &stacks.to_string(), "--env", env, "--out"])
        .arg(dir)
        .output()
        .expect("running split_scale")
}

#[test]
fn a_killed_synth_leaves_every_template_whole() {
    let (dev, prod) = (temp_dir("kill-dev"), temp_dir("kill-prod"));
    assert!(synth_into(&dev, 40, "dev").status.success());
    assert!(synth_into(&prod, 40, "prod").status.success());
    let (dev, prod) = (contents(&dev), contents(&prod));
    let dir = temp_dir("kill");
    assert!(synth_into(&dir, 40, "dev").status.success());
    // kill -9 at times spread over a whole run, repeatedly, alternating the preset
    let full = {
        let start = std::time::Instant::now();
        assert!(synth_into(&temp_dir("kill-time"), 40, "prod").status.success());
        start.elapsed()
    };
    let mut interrupted = 0;
    for round in 0..24u32 {
        let env = if round % 2 == 0 { "prod" } else { "dev" };
        let mut child = Command::new(split_scale())
            .args(["--stacks", "40", "--env", env, "--out"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full * round / 24);
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for (name, bytes) in contents(&dir) {
            if name.starts_with('.') {
                assert!(name.contains(".synth-tmp-"), "{name}: an unexpected hidden file");
                continue; // the killed run's temporary, removed by the next run
            }
            assert!(
                dev.get(&name) == Some(&bytes) || prod.get(&name) == Some(&bytes),
                "round {round}: {name} is neither the dev nor the prod file ({} bytes): a cut write",
                bytes.len()
            );
        }
    }
    assert!(interrupted >= 6, "only {interrupted} of 24 runs were killed while running");
    assert!(synth_into(&dir, 40, "prod").status.success());
    assert_eq!(contents(&dir), prod, "a whole run after the kills writes every file, and no temporary is left");
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_keeps_the_previous_templates() {
    let dir = temp_dir("full");
    assert!(synth_into(&dir, 3, "dev").status.success());
    let before = contents(&dir);
    // A file-size limit of 20 KiB makes the write of each 34 KB template fail with
    // EFBIG, as a full disk fails it with ENOSPC (SIGXFSZ ignored so the write returns).
    let out = Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 20; exec \"$0\" --stacks 3 --env prod --out \"$1\"")
        .arg(split_scale())
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".template.json: "), "the error names the file: {stderr}");
    assert_eq!(contents(&dir), before, "every template as it was, and no temporary file");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_directory_is_refused_not_followed() {
    let dir = temp_dir("link");
    let elsewhere = temp_dir("link-target").join("precious.txt");
    std::fs::write(&elsewhere, "keep me").unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("Split1.template.json")).unwrap();
    let out = synth_into(&dir, 1, "dev");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Split1.template.json is a symbolic link; synth never writes through one"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep me");
}

#[test]
fn templates_of_stacks_that_left_the_app_are_removed_only_when_synth_wrote_them() {
    let dir = temp_dir("stale");
    assert!(synth_into(&dir, 3, "dev").status.success());
    std::fs::write(dir.join("Notes.template.json"), "{}").unwrap(); // not synth's: kept
    assert!(synth_into(&dir, 2, "dev").status.success());
    let names: Vec<String> = contents(&dir).into_keys().collect();
    assert_eq!(names, ["Notes.template.json", "Split1.template.json", "Split2.template.json", "manifest.json"]);
    // a manifest someone else wrote names nothing to remove
    std::fs::write(
        dir.join("manifest.json"),
        r#"{"version": "36.0.0", "artifacts": {"Split2": {"properties": {"templateFile": "Split2.template.json"}}}}"#,
    )
    .unwrap();
    assert!(synth_into(&dir, 1, "dev").status.success());
    assert!(dir.join("Split2.template.json").is_file(), "not listed by a synth manifest: kept");
}

#[test]
fn durable_writes_give_the_same_files() {
    let synth = executables().synth.clone();
    let (plain, durable) = (temp_dir("plain"), temp_dir("durable"));
    for (dir, extra) in [(&plain, None), (&durable, Some("--durable"))] {
        let out = Command::new(&synth).args(["--env", "prod", "--out"]).arg(dir).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(contents(&plain), contents(&durable));
    let out = Command::new(&synth).arg("--durable").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--durable needs --out");
}
