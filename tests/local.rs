//! `synth local` against the real engine (`redis-server` and `redis-cli`, which
//! `scripts/test` installs from the OS packages): each app's caches started on
//! 127.0.0.1 as its templates shape them, then probed with `redis-cli` as an
//! application would connect, then stopped, leaving no process behind.
//!
//! A missing `redis-server` or `redis-cli` fails the tests, unless
//! `REDIS_CDK_SKIP_EXTERNAL=1`.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

struct Local {
    exe: PathBuf,
    dir: PathBuf,
    cli: PathBuf,
    _one_at_a_time: MutexGuard<'static, ()>,
}

/// The tests that start servers take turns: each `up` picks its cache's port
/// (6379 first) when it is free, and two at once could both find it free.
static SERVERS: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> MutexGuard<'static, ()> {
    SERVERS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Local {
    /// `synth local up` of `exe` for `env` in a fresh directory.
    fn up(label: &str, exe: &Path, env: &str) -> Option<Local> {
        common::external_tool("redis-server", "apt-get install redis-server")?;
        let cli = common::external_tool("redis-cli", "apt-get install redis-tools")?;
        let turn = one_at_a_time();
        let dir = common::temp_dir(label).join("local");
        let r = common::run_exe(exe, &["local", "up", "--env", env, "--dir", dir.to_str().unwrap()]);
        assert_eq!(r.code, 0, "synth local up failed:\nstdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("up in "), "{}", r.stdout);
        Some(Local { exe: exe.to_path_buf(), dir, cli, _one_at_a_time: turn })
    }

    fn connections(&self) -> Vec<Value> {
        serde_json::from_value(common::read_json(&self.dir.join("connections.json"))).unwrap()
    }

    /// `redis-cli` connected as the application would from `conn`; `auth` false
    /// leaves the credentials out.
    fn redis(&self, conn: &Value, auth: bool, port: Option<u64>, args: &[&str]) -> String {
        let mut cmd = Command::new(&self.cli);
        let port = port.unwrap_or_else(|| conn["port"].as_u64().unwrap()).to_string();
        cmd.args(["-h", "127.0.0.1", "-p", &port, "--no-auth-warning"]);
        if conn["tls"] == true {
            cmd.args(["--tls", "--cacert", conn["ca_file"].as_str().unwrap()]);
        }
        if auth {
            if let Some(u) = conn["username"].as_str() {
                cmd.args(["--user", u]);
            }
            if let Some(p) = conn["password"].as_str() {
                cmd.args(["-a", p]);
            }
        }
        let out = cmd.args(args).output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)).trim().to_string()
    }

    fn pids(&self) -> Vec<u32> {
        let state = common::read_json(&self.dir.join("local.json"));
        let mut pids = Vec::new();
        for c in state["caches"].as_array().unwrap() {
            for n in c["nodes"].as_array().unwrap() {
                let text = std::fs::read_to_string(n["pid_file"].as_str().unwrap()).unwrap();
                pids.push(text.trim().parse().unwrap());
            }
        }
        pids
    }

    /// True while process `pid` runs (a zombie, gone but not reaped by its
    /// parent, does not).
    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.rsplit(')').next().and_then(|r| r.split_whitespace().next()) != Some("Z"))
    }

    /// `synth local down`, then: no process of this `up` is left, nor its files.
    fn down(self) {
        let pids = self.pids();
        assert!(!pids.is_empty());
        let r = common::run_exe(&self.exe, &["local", "down", "--dir", self.dir.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{r:?}");
        for pid in pids {
            assert!(!Local::alive(pid), "process {pid} outlived `synth local down`");
        }
        assert!(!self.dir.join("local.json").exists(), "down removes its state");
    }
}

#[test]
fn default_app_in_prod_has_tls_the_auth_token_and_its_parameters() {
    let synth = &common::executables().synth;
    let Some(local) = Local::up("local-default", synth, "prod") else { return };
    let conns = local.connections();
    assert_eq!(conns.len(), 1, "{conns:#?}");
    let c = &conns[0];
    assert_eq!((c["mode"].as_str(), c["tls"].as_bool()), (Some("replication"), Some(true)), "{c:#}");
    assert!(c["url"].as_str().unwrap().starts_with("rediss://:"), "{c:#}");
    assert_eq!(local.redis(c, true, None, &["PING"]), "PONG");
    assert!(local.redis(c, false, None, &["PING"]).contains("NOAUTH"), "no token, no entry");
    // the parameter group's value, read back
    assert_eq!(local.redis(c, true, None, &["CONFIG", "GET", "maxmemory-policy"]), "maxmemory-policy\nvolatile-lru");
    // ElastiCache's defaults where the group leaves them out, not the engine's
    assert_eq!(local.redis(c, true, None, &["CONFIG", "GET", "maxmemory-samples"]), "maxmemory-samples\n3");
    assert_eq!(local.redis(c, true, None, &["CONFIG", "GET", "acl-pubsub-default"]), "acl-pubsub-default\nallchannels");
    // prod: a primary and two replicas, in sync
    let info = local.redis(c, true, None, &["INFO", "replication"]);
    assert!(info.contains("connected_slaves:2"), "{info}");
    let reader = local.redis(c, true, c["reader_port"].as_u64(), &["INFO", "replication"]);
    assert!(reader.contains("role:slave"), "the reader port is a replica: {reader}");
    // a second up changes nothing
    let again = common::run_exe(synth, &["local", "up", "--env", "prod", "--dir", local.dir.to_str().unwrap()]);
    assert!(again.code == 0 && again.stdout.starts_with("already up"), "{again:?}");
    // env prints the application's variables
    let env = common::run_exe(synth, &["local", "env", "--dir", local.dir.to_str().unwrap()]);
    assert!(env.stdout.contains(&format!("REDIS_URL={}\n", c["url"].as_str().unwrap())), "{env:?}");
    assert!(env.stdout.contains("REDIS_TLS=true\n") && env.stdout.contains("REDIS_CA_FILE="), "{env:?}");
    let status = common::run_exe(synth, &["local", "status", "--dir", local.dir.to_str().unwrap()]);
    assert_eq!(status.code, 0, "{status:?}");
    assert_eq!(status.stdout.matches(" up (pid ").count(), 3, "{}", status.stdout);
    local.down();
}

#[test]
fn tenant_sharded_in_staging_is_a_cluster_of_two_shards_with_a_replica_each() {
    let exe = &common::executables().examples["tenant_sharded"];
    let Some(local) = Local::up("local-sharded", exe, "staging") else { return };
    let c = &local.connections()[0];
    assert_eq!(c["mode"], "cluster", "{c:#}");
    let info = local.redis(c, true, None, &["CLUSTER", "INFO"]);
    assert!(info.contains("cluster_state:ok") && info.contains("cluster_size:2"), "{info}");
    let nodes = local.redis(c, true, None, &["CLUSTER", "NODES"]);
    assert_eq!(nodes.lines().filter(|l| l.contains("master")).count(), 2, "{nodes}");
    assert_eq!(nodes.lines().filter(|l| l.contains("slave")).count(), 2, "{nodes}");
    // what the template's KeyNamespacing.MultiKeyCommands says, on the real cluster
    let plain = local.redis(
        c,
        true,
        None,
        &["MSET", "tenant_acme:session:user_12345", "a", "tenant_acme:temp:upload_progress_xyz789", "b"],
    );
    assert!(plain.contains("CROSSSLOT"), "{plain}");
    let slot = local.redis(c, true, None, &["CLUSTER", "KEYSLOT", "{tenant_acme}:session:user_12345"]);
    let port = nodes
        .lines()
        .filter(|l| l.contains("master"))
        .find(|l| {
            let range = l.split_whitespace().last().unwrap();
            let (a, b) = range.split_once('-').unwrap();
            (a.parse::<u32>().unwrap()..=b.parse().unwrap()).contains(&slot.parse::<u32>().unwrap())
        })
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|addr| addr.split(['@', ':']).nth(1))
        .map(|p| p.parse::<u64>().unwrap());
    let tagged = local.redis(
        c,
        true,
        port,
        &["MSET", "{tenant_acme}:session:user_12345", "a", "{tenant_acme}:temp:upload_progress_xyz789", "b"],
    );
    assert_eq!(tagged, "OK", "on the node that serves the tenant's slot {slot}");
    // a crashed node is reported by status
    let pid = local.pids()[1];
    assert!(Command::new("kill").args(["-KILL", &pid.to_string()]).status().unwrap().success());
    while Local::alive(pid) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let status = common::run_exe(exe, &["local", "status", "--dir", local.dir.to_str().unwrap()]);
    assert_eq!(status.code, 1, "{status:?}");
    assert!(status.stdout.contains("DOWN: the process is gone"), "{}", status.stdout);
    local.down();
}

#[test]
fn ownership_cache_users_get_what_their_access_string_allows() {
    let exe = &common::executables().examples["ownership_cache"];
    let Some(local) = Local::up("local-rbac", exe, "dev") else { return };
    let c = &local.connections()[0];
    assert_eq!(c["username"], "ownership-app", "{c:#}");
    assert_eq!(local.redis(c, true, None, &["SET", "own:42", "x"]), "OK");
    assert!(local.redis(c, true, None, &["SET", "other:42", "x"]).contains("NOPERM"), "outside own:*");
    // the default user is off, as the template sets it
    assert!(local.redis(c, false, None, &["GET", "own:42"]).contains("NOAUTH"), "no anonymous access");
    assert_eq!(servers_in(&local.dir).len(), 1, "servers_in sees the running node");
    local.down();
}

#[test]
fn ownership_cache_in_prod_is_serverless_so_cluster_mode() {
    let exe = &common::executables().examples["ownership_cache"];
    let Some(local) = Local::up("local-serverless", exe, "prod") else { return };
    let c = &local.connections()[0];
    assert_eq!((c["mode"].as_str(), c["tls"].as_bool()), (Some("cluster"), Some(true)), "{c:#}");
    // own:a and own:b hash to different slots: a multi-key command across them fails
    let r = local.redis(c, true, None, &["MGET", "own:a", "own:b"]);
    assert!(r.contains("CROSSSLOT"), "{r}");
    let tagged = local.redis(c, true, None, &["MGET", "own:{t}a", "own:{t}b"]);
    assert!(!tagged.contains("CROSSSLOT") && !tagged.contains("ERR"), "a hash tag keeps them in one slot: {tagged}");
    local.down();
}

#[test]
fn an_app_without_a_cache_says_so_and_starts_nothing() {
    let exe = &common::executables().examples["cross_stack"];
    let dir = common::temp_dir("local-none").join("local");
    let r =
        common::run_exe(exe, &["local", "up", "--env", "dev", "--stack", "Network", "--dir", dir.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("the app has no cache to start"), "{}", r.stderr);
    assert!(!dir.exists(), "nothing written");
}

#[test]
fn a_missing_server_gives_the_install_command_and_leaves_nothing() {
    let synth = &common::executables().synth;
    let dir = common::temp_dir("local-missing").join("local");
    let r = common::run_exe(
        synth,
        &["local", "up", "--dir", dir.to_str().unwrap(), "--server", "/nonexistent/redis-server"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("apt-get install redis-server"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing is left running"), "{}", r.stderr);
    assert!(!dir.join("local.json").exists());
}

/// The redis-server processes whose working directory is inside `dir` (the nodes
/// run there), whatever their pid files say.
fn servers_in(dir: &Path) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let cwd = std::fs::read_link(e.path().join("cwd")).unwrap_or_default();
        if cwd.starts_with(dir) && Local::alive(pid) {
            out.push(pid);
        }
    }
    out
}

#[test]
fn a_step_that_fails_halfway_stops_what_was_started() {
    let Some(_) = common::external_tool("redis-server", "apt-get install redis-server") else { return };
    let _turn = one_at_a_time();
    // an access string the engine refuses, found only once the nodes run
    let spec = std::fs::read_to_string(common::root().join("examples/specs/ownership_cache.json")).unwrap();
    let spec = spec.replace("-@dangerous +info", "-@dangerous +nosuchcommand");
    let work = common::temp_dir("local-halfway");
    let spec_file = work.join("spec.json");
    std::fs::write(&spec_file, spec).unwrap();
    let dir = work.join("local");
    let r = common::run_exe(
        &common::executables().synth,
        &["--config", spec_file.to_str().unwrap(), "local", "up", "--dir", dir.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains(
            "user ownership-app: access string 'on ~own:* +@all -@dangerous +nosuchcommand' refused by redis"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing is left running"), "{}", r.stderr);
    assert_eq!(servers_in(&work), Vec::<u32>::new(), "no server of the failed up runs");
    assert!(!dir.join("local.json").exists());
}
