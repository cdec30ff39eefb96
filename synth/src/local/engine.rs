//! Engine processes on 127.0.0.1: finding the server binary, writing each node's
//! configuration, starting it (daemonized, its pid in a file), talking to it with
//! the engine's own CLI (`redis-cli`/`valkey-cli`, with TLS when the cache has it),
//! and stopping it by the pid it wrote, after checking the pid is still that
//! server.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A server binary and the CLI that talks to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `redis-server` or `valkey-server`.
    pub exe: PathBuf,
    /// `redis` or `valkey`.
    pub engine: String,
    /// The version it reports (`7.0.15`).
    pub version: String,
    /// `redis-cli` or `valkey-cli`.
    pub cli: PathBuf,
}

/// Where `name` is on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// The install hint for the engine servers.
pub const INSTALL: &str = "install Redis with `apt-get install redis-server redis-tools` (Debian and Ubuntu ship \
                           Redis 7.0 built with TLS), or Valkey with `apt-get install valkey-server` where the OS has \
                           it; or name a server with --server PATH";

/// The server for `engine` (`redis` or `valkey`): `server` when given, else
/// `valkey-server` for Valkey when installed, else `redis-server` (Valkey is a
/// fork of Redis 7.2 and speaks its protocol; the note says so).
///
/// # Errors
///
/// No server, or no CLI beside it, with the install command.
pub fn find_server(engine: &str, server: Option<&Path>) -> Result<Server, String> {
    let exe = match server {
        Some(p) => p.to_path_buf(),
        None => {
            let preferred =
                if engine == "valkey" { ["valkey-server", "redis-server"] } else { ["redis-server", "valkey-server"] };
            preferred
                .iter()
                .find_map(|n| which(n))
                .ok_or_else(|| format!("no redis-server or valkey-server on PATH: {INSTALL}"))?
        }
    };
    let out = Command::new(&exe)
        .arg("--version")
        .output()
        .map_err(|e| format!("running {} --version: {e}; {INSTALL}", exe.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // "Redis server v=7.0.15 sha=..." or "Valkey server v=9.1.0 ..."
    let version = text.split_whitespace().find_map(|w| w.strip_prefix("v=")).unwrap_or("unknown").to_string();
    let kind = if text.to_ascii_lowercase().starts_with("valkey") { "valkey" } else { "redis" };
    let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    let cli = [format!("{kind}-cli"), "redis-cli".to_string(), "valkey-cli".to_string()]
        .iter()
        .find_map(|n| Some(dir.join(n)).filter(|p| p.is_file()).or_else(|| which(n)))
        .ok_or_else(|| format!("no redis-cli or valkey-cli beside {} or on PATH: {INSTALL}", exe.display()))?;
    Ok(Server { exe, engine: kind.to_string(), version, cli })
}

/// How the admin connection authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAuth {
    /// No authentication.
    None,
    /// `AUTH password` (the default user's, as with an AUTH token).
    Password(String),
    /// `AUTH user password`.
    User(String, String),
}

/// The engine's CLI set up for one cache's nodes.
#[derive(Debug, Clone)]
pub struct Client {
    /// The CLI.
    pub cli: PathBuf,
    /// The CA file, when the nodes speak TLS.
    pub ca: Option<PathBuf>,
    /// How to authenticate.
    pub auth: AdminAuth,
}

impl Client {
    /// Runs one command on the node at `port`; its reply, or the error the engine
    /// replied (`ERR ...`, `NOAUTH ...`) or the CLI gave.
    pub fn call(&self, port: u16, args: &[&str]) -> Result<String, String> {
        self.call_as(port, &self.auth, args)
    }

    /// [`Client::call`] with another authentication.
    pub fn call_as(&self, port: u16, auth: &AdminAuth, args: &[&str]) -> Result<String, String> {
        let mut cmd = Command::new(&self.cli);
        cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "-e", "--no-auth-warning"]);
        if let Some(ca) = &self.ca {
            cmd.arg("--tls").arg("--cacert").arg(ca);
        }
        match auth {
            AdminAuth::None => {}
            AdminAuth::Password(p) => {
                cmd.args(["-a", p]);
            }
            AdminAuth::User(u, p) => {
                cmd.args(["--user", u, "--pass", p]);
            }
        }
        cmd.env_remove("REDISCLI_AUTH").args(args);
        let out = cmd.output().map_err(|e| format!("running {}: {e}", self.cli.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
        if out.status.success() {
            Ok(stdout)
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
            Err(if stdout.is_empty() { stderr } else { stdout })
        }
    }

    /// Waits until the node at `port` answers PING, for at most `timeout`.
    pub fn wait_ready(&self, port: u16, timeout: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            match self.call(port, &["PING"]) {
                Ok(r) if r == "PONG" => return Ok(()),
                Ok(r) | Err(r) if start.elapsed() > timeout => {
                    return Err(format!("127.0.0.1:{port} did not answer PING within {timeout:?}: {r}"))
                }
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }
}

/// A free TCP port on 127.0.0.1, none of `taken`: `wanted` when it is free (the
/// template's port, for the first node), else one the system picks.
pub fn free_port(wanted: Option<u16>, taken: &[u16]) -> Result<u16, String> {
    let free = |p: u16| !taken.contains(&p) && std::net::TcpListener::bind(("127.0.0.1", p)).is_ok();
    if let Some(p) = wanted.filter(|p| free(*p)) {
        return Ok(p);
    }
    for _ in 0..64 {
        let p = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("finding a free port on 127.0.0.1: {e}"))?
            .port();
        if free(p) {
            return Ok(p);
        }
    }
    Err("no free port on 127.0.0.1".into())
}

/// The pid a node wrote, when its process is still that server: its command line
/// names the server and the node's port (`redis-server 127.0.0.1:PORT`).
pub fn live_pid(pid_file: &Path, port: u16) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(pid_file).ok()?.trim().parse().ok()?;
    is_our_server(pid, port).then_some(pid)
}

/// True when process `pid` is a redis or valkey server on `port`.
pub fn is_our_server(pid: u32, port: u16) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { return false };
    let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
    let first = cmdline.split_whitespace().next().unwrap_or_default();
    let name = Path::new(first).file_name().and_then(|n| n.to_str()).unwrap_or_default();
    (name.starts_with("redis-server") || name.starts_with("valkey-server")) && cmdline.contains(&format!(":{port}"))
}

/// Stops process `pid` (a server on `port`): SIGTERM, then SIGKILL after 5 s.
/// Returns true once it is gone.
pub fn stop(pid: u32, port: u16) -> bool {
    if !is_our_server(pid, port) {
        return true;
    }
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let start = Instant::now();
    while is_our_server(pid, port) {
        if start.elapsed() > Duration::from_secs(5) {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            std::thread::sleep(Duration::from_millis(50));
            return !is_our_server(pid, port);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

/// A random token of 64 hex digits, from the system's random source.
pub fn token() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("reading /dev/urandom for a local password: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The certificate files of a local CA and a server certificate for 127.0.0.1
/// and localhost, signed by it.
#[derive(Debug, Clone)]
pub struct Tls {
    /// The CA certificate (what clients trust).
    pub ca: PathBuf,
    /// The server certificate.
    pub cert: PathBuf,
    /// The server key.
    pub key: PathBuf,
}

/// Makes the CA and server certificate in `dir` with `openssl` (P-256 keys,
/// valid 30 days).
///
/// # Errors
///
/// No `openssl`, or it failed: its message.
pub fn make_tls(dir: &Path) -> Result<Tls, String> {
    let openssl =
        which("openssl").ok_or("no openssl on PATH, needed for the local TLS certificates: apt-get install openssl")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let p = |n: &str| dir.join(n);
    std::fs::write(p("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        .map_err(|e| format!("writing {}: {e}", p("server.ext").display()))?;
    let run = |args: &[&str]| -> Result<(), String> {
        let out =
            Command::new(&openssl).current_dir(dir).args(args).output().map_err(|e| format!("running openssl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("openssl {} failed: {}", args[0], String::from_utf8_lossy(&out.stderr).trim()))
        }
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    run(&[
        &["req", "-x509", "-new"][..],
        &ec,
        &["-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=synth local CA"],
    ]
    .concat())?;
    run(&[&["req", "-new"][..], &ec, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]]
        .concat())?;
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "30",
        "-extfile",
        "server.ext",
    ])?;
    Ok(Tls { ca: p("ca.crt"), cert: p("server.crt"), key: p("server.key") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_in_use_is_skipped_for_a_free_one() {
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let busy = held.local_addr().unwrap().port();
        let p = free_port(Some(busy), &[]).unwrap();
        assert_ne!(p, busy);
        let free = free_port(None, &[]).unwrap();
        assert_eq!(free_port(Some(free), &[]).unwrap(), free, "a free wanted port is taken as it is");
        assert_ne!(free_port(Some(free), &[free]).unwrap(), free, "nor one this run already gave out");
    }

    #[test]
    fn only_a_server_on_the_port_counts_as_ours() {
        assert!(!is_our_server(std::process::id(), 1), "the test process is no redis-server");
        assert!(!is_our_server(u32::MAX, 6379), "no such process");
    }
}
