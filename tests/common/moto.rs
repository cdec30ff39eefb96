//! A local moto server for the tests that deploy (`deploy_moto.rs`, `cdk_cli.rs`).

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A moto server on 127.0.0.1, killed by PID when dropped (also on panic).
pub struct MotoServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    log: PathBuf,
}

impl MotoServer {
    /// Starts `moto_server` on a free port (three tries), its log in `dir`.
    pub fn start(moto_server: &Path, dir: &Path) -> MotoServer {
        let mut last_log = String::new();
        for attempt in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
            let log = dir.join(format!("moto-{attempt}.log"));
            let file = std::fs::File::create(&log).expect("moto log file");
            let child = Command::new(moto_server)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(file.try_clone().expect("log file"))
                .stderr(file)
                .spawn()
                .unwrap_or_else(|e| panic!("starting {}: {e}", moto_server.display()));
            let mut server = MotoServer { child, endpoint: format!("http://127.0.0.1:{port}"), log };
            if server.wait_ready(port, Duration::from_secs(30)) {
                return server;
            }
            last_log = std::fs::read_to_string(&server.log).unwrap_or_default();
        }
        panic!("moto_server did not start on 127.0.0.1; its log:\n{last_log}");
    }

    /// Sets the environment of a command that talks to moto: test credentials, the
    /// endpoint for every service (S3 included, so big templates never reach AWS),
    /// and no configuration from the machine.
    pub fn env(&self, cmd: &mut Command, dir: &Path) {
        let none = dir.join("no-aws-config");
        for var in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE"] {
            cmd.env_remove(var);
        }
        cmd.env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ENDPOINT_URL_S3", &self.endpoint)
            .env("AWS_CONFIG_FILE", &none)
            .env("AWS_SHARED_CREDENTIALS_FILE", &none)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_PAGER", "");
    }

    /// Runs `tests/support/moto_probe.py ENDPOINT ARGS...` with `python` (it needs
    /// boto3) and returns the JSON it printed.
    pub fn probe(&self, python: &Path, dir: &Path, args: &[&str]) -> Value {
        let mut cmd = Command::new(python);
        cmd.arg(super::root().join("tests/support/moto_probe.py")).arg(&self.endpoint).args(args);
        self.env(&mut cmd, dir);
        let out = run(cmd, &format!("moto_probe.py {}", args.join(" "))).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("moto_probe.py printed no JSON ({e}):\n{out}"))
    }

    /// True once the server answers HTTP; false if it exits or times out.
    fn wait_ready(&mut self, port: u16, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.child.try_wait().ok().flatten().is_some() {
                return false;
            }
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 5];
                if s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_ok()
                    && s.read_exact(&mut buf).is_ok()
                    && &buf == b"HTTP/"
                {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // Child::kill signals this child's PID only.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `cmd`: its stdout, or an error with its status, stdout and stderr.
pub fn run(mut cmd: Command, what: &str) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The Python the probe runs with: `REDIS_CDK_PYTHON` (set by `.ci/run`), else
/// `python3`; it must import boto3.
pub fn python_with_boto3() -> Option<PathBuf> {
    let python = match std::env::var_os("REDIS_CDK_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => super::external_tool("python3", "apt-get install python3")?,
    };
    let ok = Command::new(&python).args(["-c", "import boto3"]).output().is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    if super::skip_external() {
        eprintln!("SKIPPED: {} cannot import boto3 and REDIS_CDK_SKIP_EXTERNAL=1", python.display());
        return None;
    }
    panic!(
        "{} cannot import boto3 (pip install boto3, or run .ci/run; set REDIS_CDK_PYTHON to a Python that has \
         it, or REDIS_CDK_SKIP_EXTERNAL=1 to skip)",
        python.display()
    );
}

/// Copies of a template with the changes moto needs, each for a moto bug, never for
/// a template problem.
pub fn moto_workarounds(template: &Value) -> Value {
    let mut t = template.clone();
    for r in t["Resources"].as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
        // moto 5.2 tags a KMS key from CloudFormation with its own API's TagKey/TagValue
        // shape and fails with KeyError 'TagKey' on CloudFormation's Key/Value.
        if r["Type"] == "AWS::KMS::Key" {
            if let Some(tags) = r["Properties"].get_mut("Tags").and_then(Value::as_array_mut) {
                for tag in tags {
                    *tag = json!({ "TagKey": tag["Key"], "TagValue": tag["Value"] });
                }
            }
        }
    }
    t
}
