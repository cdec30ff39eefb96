//! `synth local up|down|status|env`: the app's caches on real engine processes on
//! 127.0.0.1, shaped as the templates shape them: the same topology (replicas;
//! cluster mode with the same shards and replicas per shard; serverless caches as
//! one-shard cluster mode), TLS with a local CA when the template requires it,
//! the AUTH token or the RBAC users with their access strings (local passwords in
//! place of the Secrets Manager secrets), and the parameter group's values.
//!
//! Everything lives in `--dir`: per node a directory with its configuration, data,
//! log and pid file; `local.json` (what `down` and `status` read: every node's
//! pid file and port); `connections.json` (one entry per cache, as the stack's
//! connection secret and outputs would give it). `down` stops exactly the
//! processes whose pid files are there, after checking each pid is still that
//! server on that port, never by name.

pub mod engine;
pub mod model;

use crate::{AppFlags, Cli, Exit};
use clap::{Args, Subcommand};
use engine::{AdminAuth, Client, Server, Tls};
use model::{Access, LocalCache, Mode, UserAuth};
use redis_cdk::{App, Environment};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Arguments of `synth local`.
#[derive(Debug, Clone, Args)]
pub struct LocalArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: LocalAction,
}

/// `synth local` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum LocalAction {
    /// Start the app's caches on 127.0.0.1 (idempotent: a second `up` with every
    /// node running changes nothing).
    Up(UpArgs),
    /// Stop the processes `up` started in DIR (by their pid files) and remove their data.
    Down(DirArgs),
    /// Each node of DIR: running and answering, or not (exit 1 if any is not).
    Status(DirArgs),
    /// The application's environment variables (REDIS_URL=...) for the caches of DIR.
    Env(EnvArgs),
}

/// Arguments of `synth local up`.
#[derive(Debug, Clone, Args)]
pub struct UpArgs {
    /// --env and --config, as before the subcommand.
    #[command(flatten)]
    pub app: AppFlags,
    /// Only the caches of this stack.
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
    /// The directory for the nodes' files, local.json and connections.json.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// The server binary to run (default: valkey-server for Valkey caches when
    /// installed, else redis-server).
    #[arg(long, value_name = "PATH")]
    pub server: Option<PathBuf>,
}

/// The directory argument.
#[derive(Debug, Clone, Args)]
pub struct DirArgs {
    /// The directory `synth local up` used.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
}

/// Arguments of `synth local env`.
#[derive(Debug, Clone, Args)]
pub struct EnvArgs {
    /// The directory `synth local up` used.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Only this cache (its name or construct path), printed without a prefix.
    #[arg(long, value_name = "NAME")]
    pub cache: Option<String>,
}

/// The ElastiCache user standing in for ElastiCache's own management access,
/// which the engine needs locally to set up replication and the cluster. It is
/// not in `connections.json`.
const ADMIN_USER: &str = "synth-local-admin";

/// Runs `synth local ...`.
pub fn run(
    cli: &Cli,
    args: &LocalArgs,
    build: &dyn Fn(Environment) -> App,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let result = match &args.action {
        LocalAction::Up(a) => up(cli, a, build, out, err),
        LocalAction::Down(a) => down(&a.dir, out),
        LocalAction::Status(a) => status(&a.dir, out),
        LocalAction::Env(a) => env(a, out),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            1
        }
    }
}

/// One node as `up` started it.
#[derive(Debug, Clone)]
struct Node {
    shard: u32,
    index: u32,
    port: u16,
    bus_port: Option<u16>,
    dir: PathBuf,
}

impl Node {
    fn pid_file(&self) -> PathBuf {
        self.dir.join("server.pid")
    }
    fn json(&self) -> Value {
        json!({
            "shard": self.shard,
            "role": if self.index == 0 { "primary" } else { "replica" },
            "port": self.port,
            "bus_port": self.bus_port,
            "dir": self.dir,
            "pid_file": self.pid_file(),
        })
    }
}

/// The nodes recorded in `dir/local.json`: (cache name, port, pid file, node dir).
fn recorded_nodes(state: &Value) -> Vec<(String, u16, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for c in state["caches"].as_array().into_iter().flatten() {
        for n in c["nodes"].as_array().into_iter().flatten() {
            let (Some(port), Some(pid), Some(dir)) = (n["port"].as_u64(), n["pid_file"].as_str(), n["dir"].as_str())
            else {
                continue;
            };
            let Ok(port) = u16::try_from(port) else { continue };
            out.push((c["name"].as_str().unwrap_or("?").to_string(), port, PathBuf::from(pid), PathBuf::from(dir)));
        }
    }
    out
}

fn read_state(dir: &Path) -> Result<Option<Value>, String> {
    let path = dir.join("local.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            format!("{} is not what synth local wrote ({e}); remove it if no node of it runs", path.display())
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("reading {}: {e}", path.display())),
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, readable by
/// the owner only (it holds the local passwords).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = path.with_file_name(format!(".{name}.synth-tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temp)?;
        f.write_all(bytes)?;
        std::fs::rename(&temp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("writing {}: {e}", path.display())
    })
}

/// Stops every node recorded in `state`; the nodes that would not stop.
fn stop_recorded(state: &Value) -> Vec<String> {
    let mut failed = Vec::new();
    for (cache, port, pid_file, _) in recorded_nodes(state) {
        if let Some(pid) = engine::live_pid(&pid_file, port) {
            if !engine::stop(pid, port) {
                failed.push(format!("{cache} 127.0.0.1:{port} (pid {pid})"));
            }
        }
    }
    failed
}

fn down(dir: &Path, out: &mut dyn Write) -> Result<Exit, String> {
    let Some(state) = read_state(dir)? else {
        let _ = writeln!(out, "nothing to stop: {} has no local.json", dir.display());
        return Ok(0);
    };
    let nodes = recorded_nodes(&state);
    let failed = stop_recorded(&state);
    if !failed.is_empty() {
        return Err(format!("could not stop {}; local.json is kept", failed.join(", ")));
    }
    for (_, _, _, node_dir) in &nodes {
        if node_dir.starts_with(dir) {
            let _ = std::fs::remove_dir_all(node_dir);
        }
    }
    for c in state["caches"].as_array().into_iter().flatten() {
        if let Some(d) = c["dir"].as_str().map(PathBuf::from).filter(|d| d.starts_with(dir)) {
            let _ = std::fs::remove_dir_all(d);
        }
    }
    let _ = std::fs::remove_dir_all(dir.join("tls"));
    let _ = std::fs::remove_file(dir.join("connections.json"));
    std::fs::remove_file(dir.join("local.json")).map_err(|e| format!("removing local.json: {e}"))?;
    let _ = std::fs::remove_dir(dir);
    let _ = writeln!(out, "stopped {} node(s) and removed their data", nodes.len());
    Ok(0)
}

fn status(dir: &Path, out: &mut dyn Write) -> Result<Exit, String> {
    let Some(state) = read_state(dir)? else {
        return Err(format!(
            "{} has no local.json: nothing was started there (synth local up --dir ...)",
            dir.display()
        ));
    };
    let mut down = 0;
    for c in state["caches"].as_array().into_iter().flatten() {
        let name = c["name"].as_str().unwrap_or("?");
        let client = client_of(c);
        let _ = writeln!(
            out,
            "{name} ({}, {}):",
            c["mode"].as_str().unwrap_or("?"),
            c["construct"].as_str().unwrap_or("?")
        );
        for n in c["nodes"].as_array().into_iter().flatten() {
            let port = n["port"].as_u64().and_then(|p| u16::try_from(p).ok()).unwrap_or(0);
            let pid_file = PathBuf::from(n["pid_file"].as_str().unwrap_or_default());
            let role = n["role"].as_str().unwrap_or("?");
            let shard = n["shard"].as_u64().unwrap_or(0);
            let state = match engine::live_pid(&pid_file, port) {
                None => "DOWN: the process is gone".to_string(),
                Some(pid) => match client.call(port, &["PING"]) {
                    Ok(r) if r == "PONG" => format!("up (pid {pid})"),
                    Ok(r) | Err(r) => format!("NOT ANSWERING (pid {pid}): {r}"),
                },
            };
            if !state.starts_with("up") {
                down += 1;
            }
            let _ = writeln!(out, "  shard {shard} {role:<7} 127.0.0.1:{port}  {state}");
        }
    }
    if down > 0 {
        let _ = writeln!(out, "{down} node(s) not running: `synth local down` then `up` again");
        return Ok(1);
    }
    Ok(0)
}

/// The admin client a `local.json` cache entry describes.
fn client_of(c: &Value) -> Client {
    let cli = PathBuf::from(c["cli"].as_str().unwrap_or("redis-cli"));
    let ca = c["ca_file"].as_str().map(PathBuf::from);
    let auth = match (c["admin"]["user"].as_str(), c["admin"]["password"].as_str()) {
        (Some(u), Some(p)) => AdminAuth::User(u.into(), p.into()),
        (None, Some(p)) => AdminAuth::Password(p.into()),
        _ => AdminAuth::None,
    };
    Client { cli, ca, auth }
}

fn env(args: &EnvArgs, out: &mut dyn Write) -> Result<Exit, String> {
    let path = args.dir.join("connections.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("reading {}: {e} (start the caches with synth local up --dir ...)", path.display()))?;
    let conns: Vec<Value> = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let chosen: Vec<&Value> = match &args.cache {
        Some(name) => {
            let found: Vec<&Value> =
                conns.iter().filter(|c| c["name"] == name.as_str() || c["construct"] == name.as_str()).collect();
            if found.is_empty() {
                let names: Vec<&str> = conns.iter().filter_map(|c| c["name"].as_str()).collect();
                return Err(format!("no cache named '{name}'; there are: {}", names.join(", ")));
            }
            found
        }
        None => conns.iter().collect(),
    };
    let prefixed = chosen.len() > 1;
    for c in chosen {
        let prefix =
            if prefixed { format!("{}_", env_name(c["construct"].as_str().unwrap_or("CACHE"))) } else { String::new() };
        let mut vars: Vec<(&str, String)> = vec![
            ("REDIS_URL", c["url"].as_str().unwrap_or_default().to_string()),
            ("REDIS_HOST", c["host"].as_str().unwrap_or_default().to_string()),
            ("REDIS_PORT", c["port"].to_string()),
            ("REDIS_TLS", c["tls"].to_string()),
            ("REDIS_CLUSTER", (c["mode"] == "cluster").to_string()),
        ];
        if let Some(p) = c["reader_port"].as_u64() {
            vars.push(("REDIS_READER_PORT", p.to_string()));
        }
        if let Some(ca) = c["ca_file"].as_str() {
            vars.push(("REDIS_CA_FILE", ca.to_string()));
        }
        if let Some(u) = c["username"].as_str() {
            vars.push(("REDIS_USERNAME", u.to_string()));
        }
        if let Some(p) = c["password"].as_str() {
            vars.push(("REDIS_PASSWORD", p.to_string()));
        }
        for (k, v) in vars {
            let _ = writeln!(out, "{prefix}{k}={v}");
        }
    }
    Ok(0)
}

/// `Sessions/Cache` → `SESSIONS_CACHE`.
fn env_name(construct: &str) -> String {
    construct.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The slot ranges of `shards` shards, as even as can be, the first shards one
/// slot larger when 16384 does not divide: a new ElastiCache cluster without
/// slot settings "allocates keys equally among the node groups"
/// (Replication.CreatingReplGroup.NoExistingCluster.Cluster.html), and AWS's
/// example output shows 0-8191/8192-16383 for 2 shards and
/// 0-5461/5462-10922/10923-16383 for 3 (aws-cli's
/// `examples/elasticache/test-failover.rst`); `redis-cli --cluster create` would
/// give the last two shards the extra slots instead.
pub fn slot_ranges(shards: u32) -> Vec<(u32, u32)> {
    let n = shards.max(1);
    let (base, extra) = (16384 / n, 16384 % n);
    let mut start = 0;
    (0..n)
        .map(|i| {
            let len = base + u32::from(i < extra);
            let r = (start, start + len - 1);
            start += len;
            r
        })
        .collect()
}

/// What `up` set up for one cache, for `local.json` and `connections.json`.
struct Started {
    cache: LocalCache,
    server: Server,
    nodes: Vec<Node>,
    client: Client,
    dir: PathBuf,
    /// (username, password) of the connection the app uses.
    login: (Option<String>, Option<String>),
}

fn up(
    cli: &Cli,
    args: &UpArgs,
    build: &dyn Fn(Environment) -> App,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit, String> {
    let start = Instant::now();
    let dir = std::path::absolute(&args.dir).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    if let Some(state) = read_state(&dir)? {
        let nodes = recorded_nodes(&state);
        let running = nodes.iter().filter(|(_, port, pid, _)| engine::live_pid(pid, *port).is_some()).count();
        if running == nodes.len() && state["env"] == cli.env.to_string() && state["stack"] == json!(args.stack) {
            let _ = writeln!(
                out,
                "already up: {} node(s) in {} (synth local status --dir ...)",
                nodes.len(),
                dir.display()
            );
            return Ok(0);
        }
        let failed = stop_recorded(&state);
        if !failed.is_empty() {
            return Err(format!("could not stop the previous nodes {}", failed.join(", ")));
        }
        let _ = writeln!(err, "note: stopped the {running} node(s) of the previous `up` in {}", dir.display());
    }
    let mut assembly = match build(cli.env).into_assembly() {
        Ok(a) => a,
        Err(e) => {
            for d in &e.diagnostics {
                let _ = writeln!(err, "{}: {d}", d.severity);
            }
            return Err("synth failed; nothing was started".into());
        }
    };
    if let Some(name) = &args.stack {
        assembly.select_stack(name)?;
        assembly.stacks.retain(|s| &s.name == name);
    }
    let caches = model::caches(&assembly.stacks)?;
    if caches.is_empty() {
        let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
        return Err(format!(
            "the app has no cache to start: no AWS::ElastiCache::ReplicationGroup or ServerlessCache in {} ({})",
            if names.len() == 1 { "its stack" } else { "its stacks" },
            names.join(", ")
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let mut started: Vec<Started> = Vec::new();
    let result = start_all(&caches, args, &dir, &mut started, err);
    if let Err(e) = result {
        for s in &started {
            for n in &s.nodes {
                if let Some(pid) = engine::live_pid(&n.pid_file(), n.port) {
                    engine::stop(pid, n.port);
                }
            }
            let _ = std::fs::remove_dir_all(&s.dir);
        }
        let _ = std::fs::remove_dir_all(dir.join("tls"));
        let _ = std::fs::remove_dir(&dir);
        return Err(format!("{e}; nothing is left running"));
    }
    let state = json!({
        "version": 1,
        "env": cli.env.to_string(),
        "stack": args.stack,
        "caches": started.iter().map(state_entry).collect::<Vec<_>>(),
    });
    let conns: Vec<Value> = started.iter().map(connection).collect();
    write_private(&dir.join("local.json"), crate::pretty(&state).as_bytes())?;
    write_private(&dir.join("connections.json"), crate::pretty(&Value::Array(conns.clone())).as_bytes())?;
    for (s, c) in started.iter().zip(&conns) {
        let _ = writeln!(
            out,
            "{}: {} {} {} ({} shard(s) x {} replica(s)), {} at 127.0.0.1:{}",
            s.cache.name(),
            s.server.engine,
            s.server.version,
            s.cache.mode.name(),
            s.cache.shards,
            s.cache.replicas,
            if s.cache.tls { "TLS" } else { "no TLS" },
            c["port"]
        );
    }
    let _ = writeln!(
        out,
        "up in {:.1} s; connections in {} (synth local env --dir {})",
        start.elapsed().as_secs_f64(),
        dir.join("connections.json").display(),
        args.dir.display()
    );
    Ok(0)
}

fn start_all(
    caches: &[LocalCache],
    args: &UpArgs,
    dir: &Path,
    started: &mut Vec<Started>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let tls = if caches.iter().any(|c| c.tls) { Some(engine::make_tls(&dir.join("tls"))?) } else { None };
    // one local password per Secrets Manager secret, shared by every cache that reads it
    let mut secrets: BTreeMap<String, String> = BTreeMap::new();
    let mut secret = |name: &Option<String>| -> Result<String, String> {
        match name {
            Some(n) => {
                if let Some(v) = secrets.get(n) {
                    return Ok(v.clone());
                }
                let v = engine::token()?;
                secrets.insert(n.clone(), v.clone());
                Ok(v)
            }
            None => engine::token(),
        }
    };
    let mut taken: Vec<u16> = Vec::new();
    for cache in caches {
        let server = engine::find_server(&cache.engine, args.server.as_deref())?;
        let who = format!("[{}/{}]", cache.stack, cache.construct);
        if server.engine != cache.engine {
            let _ = writeln!(
                err,
                "note: {who} the template's engine is {}; no {}-server is installed, so {} {} runs it (Valkey is a fork of \
                 Redis 7.2 and speaks its protocol)",
                cache.engine, cache.engine, server.engine, server.version
            );
        }
        if let Some(v) = &cache.version {
            if !server.version.starts_with(v.trim_end_matches(".x")) || server.engine != cache.engine {
                let _ = writeln!(
                    err,
                    "note: {who} the template asks for {} {v}; the local server is {} {}",
                    cache.engine, server.engine, server.version
                );
            }
        }
        let cache_dir = dir.join(cache.dir_name());
        let _ = std::fs::remove_dir_all(&cache_dir);
        let mut nodes = Vec::new();
        for (shard, index) in cache.nodes() {
            let wanted = (nodes.is_empty()).then_some(cache.port);
            let port = engine::free_port(wanted, &taken)?;
            taken.push(port);
            let bus_port = match cache.mode {
                Mode::Cluster => {
                    let p = engine::free_port(port.checked_add(10000), &taken)?;
                    taken.push(p);
                    Some(p)
                }
                Mode::Replication => None,
            };
            nodes.push(Node { shard, index, port, bus_port, dir: cache_dir.join(format!("shard{shard}-node{index}")) });
        }
        // who connects, and how the nodes and synth authenticate
        let admin_password = engine::token()?;
        let (admin, login, users) = match &cache.access {
            Access::Open => (AdminAuth::None, (None, None), Vec::new()),
            Access::Token { secret: s } => {
                let token = secret(s)?;
                (AdminAuth::Password(token.clone()), (None, Some(token)), Vec::new())
            }
            Access::Users(list) => {
                let mut users = Vec::new();
                let mut login = (None, None);
                for u in list {
                    let password = match &u.auth {
                        UserAuth::NoPassword => None,
                        UserAuth::Password { secret: s } => Some(secret(s)?),
                        UserAuth::Iam => {
                            let _ = writeln!(
                                err,
                                "note: {who} user {} authenticates with IAM in AWS; locally it has a generated password",
                                u.name
                            );
                            Some(engine::token()?)
                        }
                    };
                    let enabled = u.access_string.split_whitespace().any(|t| t == "on");
                    if login.0.is_none() && enabled && (u.name != "default" || list.len() == 1) {
                        login = (Some(u.name.clone()), password.clone());
                    }
                    users.push((u.clone(), password));
                }
                (AdminAuth::User(ADMIN_USER.into(), admin_password.clone()), login, users)
            }
        };
        let client = Client {
            cli: server.cli.clone(),
            ca: tls.as_ref().filter(|_| cache.tls).map(|t| t.ca.clone()),
            auth: admin.clone(),
        };
        started.push(Started {
            cache: cache.clone(),
            server: server.clone(),
            nodes: nodes.clone(),
            client: client.clone(),
            dir: cache_dir.clone(),
            login,
        });
        let primary_port = nodes[0].port;
        for n in &nodes {
            std::fs::create_dir_all(&n.dir).map_err(|e| format!("creating {}: {e}", n.dir.display()))?;
            let conf = config(cache, n, primary_port, tls.as_ref().filter(|_| cache.tls), &admin, &admin_password);
            let conf_path = n.dir.join("server.conf");
            write_private(&conf_path, conf.as_bytes())?;
            let o = std::process::Command::new(&server.exe)
                .arg(&conf_path)
                .current_dir(&n.dir)
                .output()
                .map_err(|e| format!("{who} starting {}: {e}", server.exe.display()))?;
            if !o.status.success() {
                let log = std::fs::read_to_string(n.dir.join("server.log")).unwrap_or_default();
                return Err(format!(
                    "{who} {} did not start on 127.0.0.1:{}: {}{}",
                    server.exe.display(),
                    n.port,
                    String::from_utf8_lossy(&o.stderr).trim(),
                    log.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
                ));
            }
        }
        for n in &nodes {
            client.wait_ready(n.port, Duration::from_secs(10)).map_err(|e| {
                // the server's own words, such as "bind: Address already in use" when
                // another process took the port between the check and the start
                let log = std::fs::read_to_string(n.dir.join("server.log")).unwrap_or_default();
                let mut last: Vec<&str> = log.lines().rev().take(2).collect();
                last.reverse();
                let said = if last.is_empty() { String::new() } else { format!(" (its log: {})", last.join(" | ")) };
                format!("{who} {e}{said}")
            })?;
        }
        // the defaults first: acl-pubsub-default decides what `reset` gives a user's channels
        apply_parameters(cache, &server, &client, &nodes, &who, err);
        for n in &nodes {
            for (u, password) in &users {
                let mut acl: Vec<String> = vec!["ACL".into(), "SETUSER".into(), u.name.clone(), "reset".into()];
                acl.extend(u.access_string.split_whitespace().map(str::to_string));
                acl.push(password.as_ref().map_or_else(|| "nopass".to_string(), |p| format!(">{p}")));
                let argv: Vec<&str> = acl.iter().map(String::as_str).collect();
                client.call(n.port, &argv).map_err(|e| {
                    format!(
                        "{who} user {}: access string '{}' refused by {} {}: {e}",
                        u.name, u.access_string, server.engine, server.version
                    )
                })?;
            }
        }
        match cache.mode {
            Mode::Replication => wait_replication(&client, &nodes, cache.replicas, &who)?,
            Mode::Cluster => form_cluster(&client, &nodes, cache.shards, &who)?,
        }
    }
    Ok(())
}

/// The configuration file of one node.
fn config(
    cache: &LocalCache,
    n: &Node,
    primary_port: u16,
    tls: Option<&Tls>,
    admin: &AdminAuth,
    admin_password: &str,
) -> String {
    let mut c = String::new();
    let mut line = |l: String| {
        c.push_str(&l);
        c.push('\n');
    };
    line("bind 127.0.0.1".into());
    line("daemonize yes".into());
    line(format!("pidfile {}", n.pid_file().display()));
    line(format!("logfile {}", n.dir.join("server.log").display()));
    line(format!("dir {}", n.dir.display()));
    line("save \"\"".into());
    line("appendonly no".into());
    // replicas sync at once, not after the engine's default 5 s wait for more replicas
    line("repl-diskless-sync-delay 0".into());
    match tls {
        Some(t) => {
            line("port 0".into());
            line(format!("tls-port {}", n.port));
            line(format!("tls-cert-file {}", t.cert.display()));
            line(format!("tls-key-file {}", t.key.display()));
            line(format!("tls-ca-cert-file {}", t.ca.display()));
            // ElastiCache asks clients for no certificate
            line("tls-auth-clients no".into());
            line("tls-replication yes".into());
            line("tls-cluster yes".into());
        }
        None => line(format!("port {}", n.port)),
    }
    match admin {
        AdminAuth::None => {}
        AdminAuth::Password(token) => {
            line(format!("requirepass {token}"));
            line(format!("masterauth {token}"));
        }
        AdminAuth::User(user, _) => {
            // the template's users are set with ACL SETUSER once the node runs; until
            // then the default user is off, so no client gets in unauthenticated
            line("user default off".into());
            line(format!("user {user} on >{admin_password} ~* &* +@all"));
            line(format!("masteruser {user}"));
            line(format!("masterauth {admin_password}"));
        }
    }
    if cache.mode == Mode::Cluster {
        line("cluster-enabled yes".into());
        line(format!("cluster-config-file {}", n.dir.join("nodes.conf").display()));
        if let Some(p) = n.bus_port {
            line(format!("cluster-port {p}"));
        }
        // the engine waits this long (at most 5 s) after a master sees the others
        // before its cluster state is ok; 2 s keeps `up` quick without failovers on
        // a busy machine
        line("cluster-node-timeout 2000".into());
    } else if n.index > 0 {
        line(format!("replicaof 127.0.0.1 {primary_port}"));
    }
    c
}

/// ElastiCache's defaults where they differ from the engine's
/// ([`redis_cdk::facts::ELASTICACHE_DEFAULTS`]), then the parameter group's values,
/// by CONFIG SET on every node. A default the engine does not have is skipped; a
/// group value it does not have (ElastiCache's own) is a note; a value it refuses
/// is a warning, and not applied.
fn apply_parameters(
    cache: &LocalCache,
    server: &Server,
    client: &Client,
    nodes: &[Node],
    who: &str,
    err: &mut dyn Write,
) {
    let family = cache.version.as_deref().and_then(|v| {
        let engine = if cache.engine == "valkey" { redis_cdk::Engine::Valkey } else { redis_cdk::Engine::Redis };
        redis_cdk::facts::parameter_group_family(engine, v)
    });
    let set = |name: &str, value: &str| -> Result<(), String> {
        nodes.iter().try_for_each(|n| client.call(n.port, &["CONFIG", "SET", name, value]).map(drop))
    };
    let unknown = |e: &str| e.contains("Unknown option") || e.contains("Unsupported CONFIG parameter");
    for d in redis_cdk::facts::ELASTICACHE_DEFAULTS {
        let applies = (!d.cluster_only || cache.mode == Mode::Cluster)
            && (d.families.is_empty() || family.is_some_and(|f| d.families.contains(&f)))
            && !cache.parameters.iter().any(|(k, _)| k == d.name);
        if !applies {
            continue;
        }
        if let Err(e) = set(d.name, d.value) {
            if !unknown(&e) {
                let _ = writeln!(
                    err,
                    "warning: {who} ElastiCache's default {} = {} refused by {} {}: {e}",
                    d.name, d.value, server.engine, server.version
                );
            }
        }
    }
    for (name, value) in &cache.parameters {
        if name == "cluster-enabled" {
            continue; // the topology: cluster mode is how the nodes were started
        }
        if let Err(e) = set(name, value) {
            if unknown(&e) {
                let _ = writeln!(
                    err,
                    "note: {who} parameter {name} = {value} is not a {} {} setting (ElastiCache's own): not applied locally",
                    server.engine, server.version
                );
            } else {
                let _ = writeln!(
                    err,
                    "warning: {who} parameter {name} = {value} refused by {} {}: {e}",
                    server.engine, server.version
                );
            }
        }
    }
}

fn wait_replication(client: &Client, nodes: &[Node], replicas: u32, who: &str) -> Result<(), String> {
    if replicas == 0 {
        return Ok(());
    }
    let start = Instant::now();
    loop {
        let info = client.call(nodes[0].port, &["INFO", "replication"]).map_err(|e| format!("{who} {e}"))?;
        let online = info.lines().filter(|l| l.starts_with("slave") && l.contains("state=online")).count();
        if online as u32 >= replicas {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("{who} {online} of {replicas} replica(s) in sync after 20 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn form_cluster(client: &Client, nodes: &[Node], shards: u32, who: &str) -> Result<(), String> {
    let call = |port: u16, args: &[&str]| client.call(port, args).map_err(|e| format!("{who} 127.0.0.1:{port}: {e}"));
    let primaries: Vec<&Node> = nodes.iter().filter(|n| n.index == 0).collect();
    for (n, (from, to)) in primaries.iter().zip(slot_ranges(shards)) {
        call(n.port, &["CLUSTER", "ADDSLOTSRANGE", &from.to_string(), &to.to_string()])?;
    }
    // every node meets every later one: the handshakes run at once rather than
    // waiting for gossip to carry them
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            let bus = b.bus_port.unwrap_or(b.port + 10000).to_string();
            call(a.port, &["CLUSTER", "MEET", "127.0.0.1", &b.port.to_string(), &bus])?;
        }
    }
    let start = Instant::now();
    let deadline = Duration::from_secs(20);
    // every node knows every other
    for n in nodes {
        loop {
            let known = call(n.port, &["CLUSTER", "NODES"])?.lines().filter(|l| !l.contains("handshake")).count();
            if known >= nodes.len() {
                break;
            }
            if start.elapsed() > deadline {
                return Err(format!("{who} 127.0.0.1:{} knows {known} of {} nodes after 20 s", n.port, nodes.len()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let ids: BTreeMap<u32, String> =
        primaries.iter().map(|n| Ok((n.shard, call(n.port, &["CLUSTER", "MYID"])?))).collect::<Result<_, String>>()?;
    for n in nodes.iter().filter(|n| n.index > 0) {
        call(n.port, &["CLUSTER", "REPLICATE", &ids[&n.shard]])?;
    }
    let replicas = nodes.len() - primaries.len();
    for n in nodes {
        loop {
            let info = call(n.port, &["CLUSTER", "INFO"])?;
            let nodes_text = call(n.port, &["CLUSTER", "NODES"])?;
            let seen_replicas = nodes_text.lines().filter(|l| l.contains("slave")).count();
            if info.contains("cluster_state:ok") && seen_replicas >= replicas {
                break;
            }
            if start.elapsed() > deadline {
                return Err(format!(
                    "{who} the cluster is not ok on 127.0.0.1:{} after 20 s: {}",
                    n.port,
                    info.lines().next().unwrap_or("")
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    Ok(())
}

fn state_entry(s: &Started) -> Value {
    let (user, password) = match &s.client.auth {
        AdminAuth::None => (None, None),
        AdminAuth::Password(p) => (None, Some(p.clone())),
        AdminAuth::User(u, p) => (Some(u.clone()), Some(p.clone())),
    };
    json!({
        "name": s.cache.name(),
        "stack": s.cache.stack,
        "construct": s.cache.construct,
        "mode": s.cache.mode.name(),
        "dir": s.dir,
        "cli": s.server.cli,
        "ca_file": s.client.ca,
        "admin": { "user": user, "password": password },
        "nodes": s.nodes.iter().map(Node::json).collect::<Vec<_>>(),
    })
}

/// The `connections.json` entry of a cache.
fn connection(s: &Started) -> Value {
    let c = &s.cache;
    let port = s.nodes[0].port;
    let reader_port = match (c.mode, c.serverless) {
        (_, true) => Some(port), // one local node serves the reader endpoint too
        (Mode::Replication, false) => s.nodes.get(1).map(|n| n.port),
        (Mode::Cluster, false) => None,
    };
    let (user, password) = &s.login;
    let scheme = if c.tls { "rediss" } else { "redis" };
    let auth = match (user, password) {
        (Some(u), Some(p)) => format!("{u}:{p}@"),
        (Some(u), None) => format!("{u}@"),
        (None, Some(p)) => format!(":{p}@"),
        (None, None) => String::new(),
    };
    let mut e = serde_json::Map::new();
    e.insert("name".into(), json!(c.name()));
    e.insert("stack".into(), json!(c.stack));
    e.insert("construct".into(), json!(c.construct));
    e.insert("mode".into(), json!(c.mode.name()));
    e.insert("engine".into(), json!(s.server.engine));
    e.insert("engine_version".into(), json!(s.server.version));
    e.insert("host".into(), json!("127.0.0.1"));
    e.insert("port".into(), json!(port));
    if let Some(r) = reader_port {
        e.insert("reader_port".into(), json!(r));
    }
    e.insert("tls".into(), json!(c.tls));
    if let Some(ca) = &s.client.ca {
        e.insert("ca_file".into(), json!(ca));
    }
    if let Some(u) = user {
        e.insert("username".into(), json!(u));
    }
    if let Some(p) = password {
        e.insert("password".into(), json!(p));
    }
    e.insert("url".into(), json!(format!("{scheme}://{auth}127.0.0.1:{port}")));
    e.insert("nodes".into(), json!(s.nodes.iter().map(|n| n.port).collect::<Vec<_>>()));
    Value::Object(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_split_as_a_new_cluster_splits_them() {
        assert_eq!(slot_ranges(1), [(0, 16383)]);
        assert_eq!(slot_ranges(2), [(0, 8191), (8192, 16383)]);
        assert_eq!(slot_ranges(3), [(0, 5461), (5462, 10922), (10923, 16383)]);
        let many = slot_ranges(500);
        assert_eq!(many.last(), Some(&(16352, 16383)), "500 shards: 384 of 33 slots, then 32 each");
        assert!(many.windows(2).all(|w| w[0].1 + 1 == w[1].0));
    }

    #[test]
    fn env_names_are_shell_names() {
        assert_eq!(env_name("Sessions/Cache"), "SESSIONS_CACHE");
    }
}
