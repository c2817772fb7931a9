//! Files that may hold secrets are owner-only while the server runs: the sandbox's config files
//! and every creds and seed file are 0600, and their folders 0700, in a live `run` and
//! `diagnose` and in a sandbox kept with `NATSFAULT_KEEP=1`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An operator-mode scenario whose client has a creds file, and a step that waits while the
/// server runs.
const CREDS_AND_WAIT: &str = r#"
name = "a creds file while the server runs"
cause = "jwt-invalid"
summary = "s"

[operator]

[accounts.APP]

[users.alice]
account = "APP"
expires = "-1h"

[server]
config = '''
operator: "{{operator.jwt}}"
system_account: "{{system-account}}"
resolver: MEMORY
{{resolver-preload}}
'''

[clients.app]
creds = "alice"
max-reconnects = 0

[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation" }

[[steps]]
do = "wait"
duration = "2500ms"

[fix]
summary = "issue the user a new JWT that expires in the future"
users.alice = { expires = "+1h" }
"#;

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).map_or(0, |m| m.permissions().mode() & 0o777)
}

/// Every file and folder under `dir` (not `dir` itself) with its mode.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool, u32)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let is_dir = p.is_dir();
        out.push((p.clone(), is_dir, mode(&p)));
        if is_dir {
            walk(&p, out);
        }
    }
}

/// Whether a file may hold a secret: configs, creds and seed files (not what nats-server itself
/// writes, such as its ports file).
fn secret_bearing(p: &Path) -> bool {
    let name = p.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    [".conf", ".creds", ".nk", ".seed", ".pem"].iter().any(|x| name.ends_with(x))
}

/// Samples `tmp` until `child` exits (at most `limit`), checking every mode it sees; returns
/// the names of the secret-bearing files seen.
fn watch(tmp: &Path, child: &mut Child, limit: Duration) -> Vec<String> {
    let began = Instant::now();
    let mut seen = Vec::new();
    loop {
        let mut entries = Vec::new();
        walk(tmp, &mut entries);
        for (p, is_dir, m) in entries {
            if m == 0 {
                continue; // removed between listing and stat
            }
            if is_dir {
                assert_eq!(m, 0o700, "folder `{}` is {m:o}", p.display());
            } else if secret_bearing(&p) {
                assert_eq!(m, 0o600, "file `{}` is {m:o}", p.display());
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if !seen.contains(&name) {
                    seen.push(name);
                }
            }
        }
        if child.try_wait().expect("child state").is_some() || began.elapsed() > limit {
            break;
        }
        std::thread::sleep(Duration::from_millis(40));
    }
    let _ = child.kill();
    let _ = child.wait();
    seen
}

fn spawn(args: &[&str], tmp: &Path, keep: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_natsfault"));
    cmd.current_dir(super::support::root()).args(args).env("TMPDIR", tmp).stdout(Stdio::null()).stderr(Stdio::null());
    if keep {
        cmd.env("NATSFAULT_KEEP", "1");
    } else {
        cmd.env_remove("NATSFAULT_KEEP");
    }
    cmd.spawn().expect("natsfault starts")
}

#[test]
fn sandbox_config_and_creds_files_are_owner_only_while_the_server_runs() {
    let scenario_dir = tempfile::tempdir().expect("tempdir");
    let scenario = scenario_dir.path().join("creds-and-wait.toml");
    std::fs::write(&scenario, CREDS_AND_WAIT).expect("write");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = spawn(&["run", scenario.to_str().expect("utf-8")], tmp.path(), false);
    let seen = watch(tmp.path(), &mut child, Duration::from_secs(60));
    assert!(seen.iter().any(|n| n == "nats.conf"), "a live sandbox config was seen: {seen:?}");
    assert!(seen.iter().any(|n| n.ends_with(".creds")), "a live creds file was seen: {seen:?}");
}

#[test]
fn a_kept_sandbox_stays_owner_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = spawn(&["run", "scenarios/no-credentials/wrong-password.toml"], tmp.path(), true);
    watch(tmp.path(), &mut child, Duration::from_secs(60));
    let mut entries = Vec::new();
    walk(tmp.path(), &mut entries);
    assert!(entries.iter().any(|(p, ..)| p.ends_with("nats.conf")), "the sandbox was kept: {entries:?}");
    for (p, is_dir, m) in entries {
        let want = if is_dir {
            0o700
        } else if secret_bearing(&p) {
            0o600
        } else {
            continue;
        };
        assert_eq!(m, want, "`{}` is {m:o}", p.display());
    }
}

#[test]
fn diagnose_sandbox_files_are_owner_only_while_the_server_runs() {
    let customer = tempfile::tempdir().expect("tempdir");
    let d = customer.path();
    let seed = natsfault::credentials::keys::user();
    std::fs::write(d.join("main.conf"), "port: 4222\ninclude \"auth.conf\"\n").expect("write");
    let auth = format!(
        "authorization {{ users = [ {{ nkey: {} }}, {{ user: app, password: \"pw-123456\" }} ] }}\n",
        seed.public_key()
    );
    std::fs::write(d.join("auth.conf"), auth).expect("write");
    std::fs::write(d.join("user.nk"), seed.seed()).expect("write");
    for f in ["main.conf", "auth.conf", "user.nk"] {
        std::fs::set_permissions(d.join(f), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = d.join("main.conf");
    let seed_file = d.join("user.nk");
    let args = [
        "diagnose",
        "--config",
        config.to_str().expect("utf-8"),
        "--nkey-seed",
        seed_file.to_str().expect("utf-8"),
        "--publish",
        "a",
        "--server-state",
        "paused",
    ];
    let mut child = spawn(&args, tmp.path(), false);
    let seen = watch(tmp.path(), &mut child, Duration::from_secs(60));
    assert!(seen.iter().any(|n| n == "nats.conf"), "a live sandbox config was seen: {seen:?}");
    assert!(seen.iter().any(|n| n.ends_with("auth.conf")), "the included file's copy was seen: {seen:?}");
}
