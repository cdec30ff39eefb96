//! Writing the files of a cloud assembly safely: a temporary file in the same
//! directory, renamed into place (synced first when asked: durable); never through a symbolic link; and
//! removing only what synth itself wrote before.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The marker in the names of temporary files: `.<file>.synth-tmp-<pid>-<n>`.
const TEMP_MARK: &str = ".synth-tmp-";

/// The library named under `runtime.libraries` in the manifests synth writes, by
/// which a previous manifest is known to be synth's own.
pub(crate) const LIBRARY: &str = "redis-cdk";

/// The version field of the manifests synth 0.1 wrote (before they followed the
/// CDK's cloud-assembly schema): still known as synth's own.
const LEGACY_VERSION_PREFIX: &str = "redis-cdk/";

/// `e`, with the file it is about in its message.
pub(crate) fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// What is at `path`, refusing a symbolic link or a directory where a file is to go.
fn check_target(path: &Path) -> io::Result<Option<std::fs::Metadata>> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a symbolic link; synth never writes through one: remove it, or write to another directory",
                path.display()
            ),
        )),
        Ok(m) if m.is_dir() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is a directory; synth writes a file there: move it away", path.display()),
        )),
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(named(path, e)),
    }
}

/// A file written to its temporary name, not yet synced or renamed.
pub(crate) struct Staged {
    path: std::path::PathBuf,
    temp: std::path::PathBuf,
    file: File,
}

/// The first half of a safe write of `dir/name`, done where the bytes are made:
/// `None` when the file already holds exactly `bytes`, else the temporary file
/// written (created exclusively, so no link is ever followed), for
/// [`commit_staged`] to sync and rename.
pub(crate) fn stage(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<Option<Staged>> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = dir.join(name);
    if let Some(m) = check_target(&path)? {
        if m.len() == bytes.len() as u64 && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(None);
        }
    }
    let n = N.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}{TEMP_MARK}{}-w{n}", std::process::id()));
    let mut file = OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|e| named(&path, e))?;
    if let Err(e) = file.write_all(bytes) {
        let _ = std::fs::remove_file(&temp);
        return Err(named(&path, e));
    }
    Ok(Some(Staged { path, temp, file }))
}

/// Discards staged files (their temporaries removed).
pub(crate) fn discard(staged: Vec<Staged>) {
    for s in staged {
        let _ = std::fs::remove_file(&s.temp);
    }
}

/// The second half: with `sync`, every staged file synced first, on up to
/// [`IO_THREADS`] threads at once (a sync waits on the disk, not the CPU, and the
/// file system commits concurrent syncs together); then each renamed into place.
/// On a failure every temporary file not yet renamed is removed; the renamed
/// ones are whole.
pub(crate) fn commit_staged(staged: Vec<Staged>, sync: bool) -> io::Result<()> {
    if !sync {
        return rename_all(staged);
    }
    let synced: Vec<io::Result<()>> = super::parallel::par_map_chunks_on(IO_THREADS, &staged, |part| {
        vec![part.iter().try_for_each(|s| s.file.sync_data().map_err(|e| named(&s.path, e)))]
    });
    if let Some(e) = synced.into_iter().find_map(Result::err) {
        discard(staged);
        return Err(e);
    }
    rename_all(staged)
}

fn rename_all(staged: Vec<Staged>) -> io::Result<()> {
    for (i, s) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(&s.temp, &s.path) {
            for rest in &staged[i..] {
                let _ = std::fs::remove_file(&rest.temp);
            }
            return Err(named(&s.path, e));
        }
    }
    Ok(())
}

/// How many files are synced at once.
const IO_THREADS: usize = 64;

/// Removes the temporary files a killed run left in `dir` (hidden, with the
/// [`TEMP_MARK`]); never a link or a directory.
pub(crate) fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(TEMP_MARK) && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The template files the `manifest.json` in `dir` lists, when synth wrote it
/// (it names [`LIBRARY`] under `runtime.libraries`, or has synth 0.1's version);
/// none otherwise, so nobody else's files (a CDK app's `cdk.out`) are touched.
pub(crate) fn previous_templates(dir: &Path) -> Vec<String> {
    let path = dir.join("manifest.json");
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Vec::new();
    }
    let Ok(text) = std::fs::read_to_string(&path) else { return Vec::new() };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else { return Vec::new() };
    let ours = manifest["runtime"]["libraries"].get(LIBRARY).is_some()
        || manifest["version"].as_str().is_some_and(|v| v.starts_with(LEGACY_VERSION_PREFIX));
    if !ours {
        return Vec::new();
    }
    manifest["artifacts"]
        .as_object()
        .into_iter()
        .flat_map(|a| a.values())
        .filter_map(|a| a["properties"]["templateFile"].as_str())
        .filter(|f| is_plain_template_name(f))
        .map(str::to_string)
        .collect()
}

/// `Name.template.json`, without a directory part: a manifest cannot point
/// synth at a file elsewhere.
fn is_plain_template_name(f: &str) -> bool {
    f.ends_with(".template.json") && !f.contains(['/', '\\']) && !f.starts_with('.')
}

/// Removes `dir/name`, a template of a stack the app no longer has, if it is a
/// regular file.
pub(crate) fn remove_listed(dir: &Path, name: &str) -> io::Result<()> {
    let path = dir.join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => std::fs::remove_file(&path).map_err(|e| named(&path, e)),
        _ => Ok(()),
    }
}

/// Syncs the directory, so the renames survive a crash of the machine.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(e) => Err(named(dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(label: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("redis-cdk-files-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_refused_and_its_target_untouched() {
        let d = temp("link");
        let target = d.join("elsewhere.txt");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, d.join("A.template.json")).unwrap();
        let e = stage(&d, "A.template.json", b"{}").err().unwrap();
        assert!(e.to_string().contains("A.template.json is a symbolic link; synth never writes through one"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 2, "no temporary file left");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn writes_replace_whole_files_and_leave_no_temporary() {
        let d = temp("write");
        for (bytes, sync) in [(&b"one"[..], false), (&b"two, longer"[..], true)] {
            let staged = stage(&d, "A.template.json", bytes).unwrap().into_iter().collect();
            commit_staged(staged, sync).unwrap();
        }
        assert!(stage(&d, "A.template.json", b"two, longer").unwrap().is_none(), "unchanged: nothing to write");
        assert_eq!(std::fs::read(d.join("A.template.json")).unwrap(), b"two, longer");
        std::fs::write(d.join(".B.template.json.synth-tmp-1-1"), "cut").unwrap();
        remove_stale_temporaries(&d);
        let names: Vec<String> =
            std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["A.template.json"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn only_synths_own_manifest_names_files_to_remove() {
        let d = temp("manifest");
        std::fs::write(
            d.join("manifest.json"),
            r#"{"version": "other/1", "artifacts": {"A": {"properties": {"templateFile": "A.template.json"}}}}"#,
        )
        .unwrap();
        assert!(previous_templates(&d).is_empty());
        std::fs::write(
            d.join("manifest.json"),
            r#"{"version": "55.0.0", "artifacts": {"A": {"properties": {"templateFile": "A.template.json"}}}, "runtime": {"libraries": {"aws-cdk-lib": "2.276.0"}}}"#,
        )
        .unwrap();
        assert!(previous_templates(&d).is_empty(), "a CDK app's cdk.out is not synth's");
        std::fs::write(
            d.join("manifest.json"),
            r#"{"version": "21.0.0", "artifacts": {"A": {"properties": {"templateFile": "A.template.json"}}}, "runtime": {"libraries": {"redis-cdk": "0.1.0"}}}"#,
        )
        .unwrap();
        assert_eq!(previous_templates(&d), ["A.template.json"]);
        std::fs::write(d.join("manifest.json"), r#"{"version": "redis-cdk/1", "artifacts": {"A": {"properties": {"templateFile": "A.template.json"}}, "B": {"properties": {"templateFile": "../etc/passwd"}}}}"#).unwrap();
        assert_eq!(previous_templates(&d), ["A.template.json"]);
        let _ = std::fs::remove_dir_all(&d);
    }
}
