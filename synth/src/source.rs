//! Reading the templates `synth check` and `synth diff` are given: files,
//! directories (recursively), `-` for stdin; JSON, with or without a UTF-8 byte
//! order mark, or YAML ([`yaml`]); and where each node of the template starts, so
//! that a finding can name its line and column.
//!
//! Input is bounded: a file over [`MAX_BYTES`] is refused from its size before it
//! is read, and a stream (stdin, a FIFO, a device such as `/dev/zero`) is read at
//! most that far, so nothing grows memory or hangs on endless input.

pub mod yaml;

use redis_cdk::validate::{json, Finding};
use serde_json::Value as J;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The largest input read, in bytes: 1 MiB. CloudFormation accepts templates of
/// at most 1 MB from S3 (51,200 bytes inline; cloudformation-limits.html), so a
/// larger file could never be deployed.
pub const MAX_BYTES: u64 = 1 << 20;

/// How long a stream may stay silent before reading it gives up.
const STREAM_IDLE: Duration = Duration::from_secs(10);

/// The file name extensions read in a directory.
pub const EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];

/// A place in a file: line and column (in characters), from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// The line, from 1.
    pub line: u32,
    /// The column, in characters, from 1.
    pub col: u32,
}

/// Where each node of a template starts, by dotted path from the root
/// (`Resources.Cache.Properties.Port`; `""` is the document). A value inside a
/// mapping is found at its key when it is a collection (the line a reader looks
/// for), at itself when it is a scalar.
#[derive(Debug, Default)]
pub struct Positions(HashMap<String, Pos>);

/// The sections a logical id may be in, in the order they are tried.
const SECTIONS: &[&str] = &["Resources", "Outputs", "Parameters", "Conditions", "Mappings", "Rules"];

impl Positions {
    pub(crate) fn insert(&mut self, path: String, pos: Pos) {
        self.0.insert(path, pos);
    }

    /// The position of a dotted path, if recorded.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.0.get(path).copied()
    }

    /// Where a finding points: the deepest recorded node on its path (a missing
    /// property is found at the object that lacks it), in the section holding its
    /// logical id; the start of the document when nothing matches.
    pub fn locate(&self, logical_id: Option<&str>, path: &str) -> Pos {
        let start = Pos { line: 1, col: 1 };
        let deepest = |base: String| -> Option<(usize, Pos)> {
            let full = if path.is_empty() {
                base.clone()
            } else if base.is_empty() {
                path.to_string()
            } else {
                format!("{base}.{path}")
            };
            let mut probe = full.as_str();
            loop {
                if let Some(p) = self.get(probe) {
                    return Some((probe.len(), p));
                }
                if probe.len() <= base.len() {
                    return None;
                }
                probe = &probe[..probe.rfind('.')?];
            }
        };
        match logical_id {
            None => deepest(String::new()).map_or(start, |(_, p)| p),
            Some(id) => SECTIONS
                .iter()
                .filter_map(|s| deepest(format!("{s}.{id}")).map(|(depth, p)| (depth - s.len(), p)))
                // the deepest match; of equal ones, the first section's
                .fold(None, |best: Option<(usize, Pos)>, (d, p)| match best {
                    Some((bd, _)) if bd >= d => best,
                    _ => Some((d, p)),
                })
                .map_or(start, |(_, p)| p),
        }
    }
}

/// Which syntax a template was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// A template read from its source.
pub struct Source {
    /// The name to report: the path as given, `-` for stdin.
    pub name: String,
    /// The template.
    pub template: J,
    /// Findings of the reading itself: duplicate keys (TPL013), what CloudFormation's
    /// YAML refuses (YAML), a syntax error (JSON or YAML).
    pub findings: Vec<Finding>,
    /// JSON or YAML.
    pub syntax: Syntax,
    text: String,
    positions: Option<Positions>,
    syntax_error: Option<Pos>,
}

impl Source {
    /// Where each node starts (computed on first use for JSON).
    pub fn positions(&mut self) -> &Positions {
        let text = &self.text;
        self.positions.get_or_insert_with(|| json_positions(text))
    }

    /// Whether the file parsed at all (a syntax error leaves a null template).
    pub fn parsed(&self) -> bool {
        self.syntax_error.is_none()
    }

    /// The position of a syntax error, when the file did not parse.
    pub fn syntax_error_at(&self) -> Option<Pos> {
        self.syntax_error
    }
}

/// Why an input could not be checked at all (exit code 3).
#[derive(Debug)]
pub struct Unreadable {
    /// The input as given.
    pub name: String,
    /// Why, with what to do.
    pub reason: String,
}

/// One input of a run, in the order given.
pub enum Input {
    /// A template, read.
    Template(Source),
    /// A file of a directory that is not a CloudFormation template: skipped.
    Skipped {
        /// The file.
        name: String,
        /// Why it is not a template.
        why: String,
    },
    /// An input that could not be read.
    Unreadable(Unreadable),
}

/// The files that `paths` name, in order: a directory gives its files with the
/// template [`EXTENSIONS`], recursively and sorted, skipping hidden entries and not
/// following symbolic links to directories; `-` is stdin. The flag says whether
/// the file came from a directory (then a file that is not a template is skipped).
pub fn expand(paths: &[PathBuf]) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() != "-" && p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push((p.clone(), false));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push((dir.to_path_buf(), false));
        return;
    };
    let mut entries: Vec<(PathBuf, std::fs::FileType)> =
        entries.filter_map(Result::ok).filter_map(|e| Some((e.path(), e.file_type().ok()?))).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, ty) in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if ty.is_dir() {
            walk(&path, out);
        } else if ty.is_file() || (ty.is_symlink() && path.is_file()) {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if EXTENSIONS.contains(&ext) {
                out.push((path, true));
            }
        }
    }
}

/// Reads and parses one input. `from_dir` marks a file found in a directory: one
/// that is not a CloudFormation template is [`Input::Skipped`], not an error.
pub fn read(path: &Path, from_dir: bool) -> Input {
    let name = path.display().to_string();
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(reason) => return Input::Unreadable(Unreadable { name, reason }),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let why = format!(
                "not UTF-8 text (invalid byte at offset {}); CloudFormation templates are UTF-8 JSON or YAML",
                e.utf8_error().valid_up_to()
            );
            return if from_dir {
                Input::Skipped { name, why }
            } else {
                Input::Unreadable(Unreadable { name, reason: why })
            };
        }
    };
    let source = parse(name.clone(), text);
    match not_a_template(&source) {
        None => Input::Template(source),
        Some(why) if from_dir => Input::Skipped { name, why },
        Some(reason) => Input::Unreadable(Unreadable { name, reason }),
    }
}

/// Why a parsed file is not a CloudFormation template, if it is not: a value
/// that is not a mapping, or a mapping with neither `Resources` nor
/// `AWSTemplateFormatVersion`. A file that does not parse is a template when its
/// text names one of those keys (it is reported with its syntax error), and not
/// one otherwise.
fn not_a_template(source: &Source) -> Option<String> {
    let kind = match &source.template {
        J::Object(m) if m.contains_key("Resources") || m.contains_key("AWSTemplateFormatVersion") => return None,
        J::Object(_) => "a mapping without Resources or AWSTemplateFormatVersion",
        J::Null if !source.parsed() => {
            return if source.text.contains("Resources") || source.text.contains("AWSTemplateFormatVersion") {
                None
            } else {
                Some("neither valid JSON nor YAML, and names no Resources section".into())
            };
        }
        J::Null if source.text.trim().is_empty() => "empty",
        J::Null => "null",
        J::Array(_) => "a list",
        J::String(_) => "a string",
        J::Number(_) => "a number",
        J::Bool(_) => "a boolean",
    };
    Some(format!("not a CloudFormation template: {kind} (a template is a mapping with a Resources section)"))
}

/// Parses `text`, JSON when its first character (after a byte order mark) opens an
/// object or a list, YAML otherwise.
pub fn parse(name: String, text: String) -> Source {
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let offset = text.len() - body.len();
    let looks_json = matches!(body.trim_start().as_bytes().first(), Some(b'{' | b'['));
    if looks_json {
        let text = if offset > 0 { body.to_string() } else { text };
        return match json::parse_template(&text) {
            Ok((template, findings)) => {
                Source { name, template, findings, syntax: Syntax::Json, text, positions: None, syntax_error: None }
            }
            Err(e) => {
                let at = Pos { line: e.line() as u32, col: (e.column() as u32).max(1) };
                let f = Finding::error("JSON", None, "", format!("not valid JSON: {e}"));
                Source {
                    name,
                    template: J::Null,
                    findings: vec![f],
                    syntax: Syntax::Json,
                    text,
                    positions: Some(Positions::default()),
                    syntax_error: Some(at),
                }
            }
        };
    }
    match yaml::parse(body) {
        Ok(p) => Source {
            name,
            template: p.value,
            findings: p.findings,
            syntax: Syntax::Yaml,
            text,
            positions: Some(p.positions),
            syntax_error: None,
        },
        Err(e) => {
            let f = Finding::error(
                "YAML",
                None,
                "",
                format!("not valid YAML: {} at line {} column {}", e.message, e.pos.line, e.pos.col),
            );
            Source {
                name,
                template: J::Null,
                findings: vec![f],
                syntax: Syntax::Yaml,
                text,
                positions: Some(Positions::default()),
                syntax_error: Some(e.pos),
            }
        }
    }
}

/// The bytes of `path` (`-`: stdin), at most [`MAX_BYTES`]: a regular file over the
/// limit is refused from its size; a stream is read up to one byte past it.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let over = |n: String| {
        format!("{n} bytes, over the {MAX_BYTES}-byte (1 MiB) limit of synth check; CloudFormation accepts templates of at most 1 MB (cloudformation-limits.html)")
    };
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        if buf.len() as u64 > MAX_BYTES {
            return Err(over("more than".to_string() + &format!(" {MAX_BYTES}")));
        }
        return Ok(buf);
    }
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_dir() {
        return Err("cannot read the directory".into());
    }
    if meta.is_file() {
        if meta.len() > MAX_BYTES {
            return Err(format!("the file is {}", over(meta.len().to_string())));
        }
        let mut buf = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut buf))
            .map_err(|e| format!("cannot read: {e}"))?;
        if buf.len() as u64 > MAX_BYTES {
            return Err(format!("the file grew to {}", over(format!("more than {MAX_BYTES}"))));
        }
        return Ok(buf);
    }
    read_stream(path).map_err(|e| match e {
        StreamError::Io(e) => format!("cannot read: {e}"),
        StreamError::TooLong => format!("the stream is {}", over(format!("more than {MAX_BYTES}"))),
        StreamError::Idle => format!(
            "the stream sent nothing for {} s; give a file, or write the template to the stream",
            STREAM_IDLE.as_secs()
        ),
    })
}

enum StreamError {
    Io(std::io::Error),
    TooLong,
    Idle,
}

/// Reads a FIFO or a device without blocking: opened non-blocking (a FIFO with no
/// writer reads as empty instead of waiting for one), read to its end, at most
/// [`MAX_BYTES`], giving up after [`STREAM_IDLE`] without data.
fn read_stream(path: &Path) -> Result<Vec<u8>, StreamError> {
    let mut file = open_nonblocking(path).map_err(StreamError::Io)?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let mut last = Instant::now();
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(buf),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() as u64 > MAX_BYTES {
                    return Err(StreamError::TooLong);
                }
                last = Instant::now();
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if last.elapsed() > STREAM_IDLE {
                    return Err(StreamError::Idle);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(StreamError::Io(e)),
        }
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: 0o4000 on Linux, 0x0004 on the BSDs and macOS.
    #[cfg(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ))]
    const O_NONBLOCK: i32 = 0x0004;
    #[cfg(not(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )))]
    const O_NONBLOCK: i32 = 0o4000;
    std::fs::OpenOptions::new().read(true).custom_flags(O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Where each node of a JSON text starts; the text must be valid JSON.
pub fn json_positions(text: &str) -> Positions {
    let mut s =
        JsonScan { b: text.as_bytes(), i: 0, line: 1, line_start: 0, out: Positions::default(), path: String::new() };
    s.ws();
    let at = s.pos();
    s.out.insert(String::new(), at);
    s.value();
    s.out
}

struct JsonScan<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
    out: Positions,
    path: String,
}

impl JsonScan<'_> {
    fn pos(&self) -> Pos {
        // columns count characters: every byte that does not continue a UTF-8 sequence
        let col = self.b[self.line_start..self.i].iter().filter(|&&c| (c & 0xC0) != 0x80).count();
        Pos { line: self.line, col: col as u32 + 1 }
    }

    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    /// Skips a string (at its opening quote) and returns its raw text, quotes included.
    fn string(&mut self) -> &str {
        let start = self.i;
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => break,
                _ => {}
            }
        }
        std::str::from_utf8(&self.b[start..self.i.min(self.b.len())]).unwrap_or("\"\"")
    }

    fn value(&mut self) {
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let base = self.path.len();
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'"') => {
                            let key_pos = self.pos();
                            let raw = self.string().to_string();
                            let key: String = serde_json::from_str(&raw).unwrap_or(raw);
                            if !self.path.is_empty() {
                                self.path.push('.');
                            }
                            self.path.push_str(&key);
                            self.ws();
                            self.i += 1; // the colon
                            self.ws();
                            let at = if matches!(self.b.get(self.i), Some(b'{' | b'[')) { key_pos } else { self.pos() };
                            self.out.insert(self.path.clone(), at);
                            self.value();
                            self.path.truncate(base);
                        }
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let base = self.path.len();
                let mut n = 0usize;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        Some(_) => {
                            if !self.path.is_empty() {
                                self.path.push('.');
                            }
                            self.path.push_str(&n.to_string());
                            let at = self.pos();
                            self.out.insert(self.path.clone(), at);
                            self.value();
                            self.path.truncate(base);
                            n += 1;
                        }
                        None => return,
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(&c) = self.b.get(self.i) {
                    if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_positions_name_keys_of_collections_and_scalars_themselves() {
        let text = "\u{feff}{\n \"Resources\": {\n  \"Cache\": {\"Type\": \"A\", \"Properties\": {\"Ports\": [1, {\"é\": \"x\"}]}}\n }\n}\n";
        let mut s = parse("t.json".into(), text.to_string());
        assert!(s.findings.is_empty());
        assert_eq!(s.syntax, Syntax::Json);
        let p = s.positions();
        let at = |path: &str| p.get(path).map(|q| (q.line, q.col));
        assert_eq!(at("Resources"), Some((2, 2)));
        assert_eq!(at("Resources.Cache"), Some((3, 3)));
        assert_eq!(at("Resources.Cache.Type"), Some((3, 21)));
        assert_eq!(at("Resources.Cache.Properties.Ports.0"), Some((3, 51)));
        assert_eq!(at("Resources.Cache.Properties.Ports.1"), Some((3, 54)));
        assert_eq!(at("Resources.Cache.Properties.Ports.1.é"), Some((3, 60)), "columns count characters");
        // a finding on a missing property points at the object that lacks it
        assert_eq!(p.locate(Some("Cache"), "Properties.AuthToken"), Pos { line: 3, col: 26 });
        assert_eq!(p.locate(Some("Nope"), ""), Pos { line: 1, col: 1 });
    }

    #[test]
    fn a_logical_id_is_looked_up_in_the_section_that_has_its_path() {
        let mut s = parse(
            "t.yaml".into(),
            "Parameters:\n  X:\n    Type: String\nOutputs:\n  X:\n    Value: v\nResources:\n  X:\n    Type: T\n".into(),
        );
        let p = s.positions();
        assert_eq!(p.locate(Some("X"), "Value"), Pos { line: 6, col: 12 });
        assert_eq!(p.locate(Some("X"), "Type"), Pos { line: 9, col: 11 }, "Resources first when both have it");
    }

    #[test]
    fn what_is_not_a_template_is_said() {
        for (text, want) in [
            ("[]", Some("a list")),
            ("null", Some("null")),
            ("3", Some("a number")),
            ("", Some("empty")),
            ("{\"name\": \"x\"}", Some("a mapping")),
            ("Resources: {}", None),
            ("Resources: [", None),
        ] {
            let s = parse("f".into(), text.into());
            let got = not_a_template(&s);
            match want {
                None => assert!(got.is_none(), "{text:?}: {got:?}"),
                Some(w) => assert!(got.as_deref().is_some_and(|g| g.contains(w)), "{text:?}: {got:?}"),
            }
        }
    }
}
