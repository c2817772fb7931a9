//! Bad arguments for every command: each case exits 2 with exactly the stderr written here
//! (the argument named, and why), never a panic, within a bound (a FIFO must not block), and
//! leaves nothing behind (no server, no sandbox in its temp dir).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{processes_mentioning, support};

/// How long one case may take: bad input is refused before anything starts.
const BOUND: Duration = Duration::from_secs(20);

/// What clap adds after its one-line refusal.
const CLAP_TAIL: &str = "\n\nFor more information, try '--help'.\n";

/// One case: the arguments and the exact stderr, `{tmp}` standing for the case folder.
struct Case {
    args: &'static [&'static str],
    stderr: &'static str,
}

/// A clap refusal of `value` for `flag`.
fn clap(flag: &str, value: &str, why: &str) -> String {
    format!("error: invalid value '{value}' for '{flag}': {why}{CLAP_TAIL}")
}

/// Runs natsfault in the repository root with `TMPDIR` set to `tmp`; kills it past [`BOUND`].
fn run(args: &[String], tmp: &Path) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(support::root())
        .args(args)
        .env("TMPDIR", tmp.join("sandboxes"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("natsfault starts");
    let pid = child.id() as libc::pid_t;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        let (mut out, mut err) = (String::new(), String::new());
        let _ = stdout.read_to_string(&mut out);
        let _ = stderr.read_to_string(&mut err);
        let _ = tx.send((child.wait().ok().and_then(|s| s.code()), out, err));
    });
    match rx.recv_timeout(BOUND) {
        Ok(done) => done,
        Err(_) => {
            // SAFETY: kill(2) on the pid of the child this test started.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
            panic!("natsfault {args:?} did not finish within {BOUND:?} (a blocking read?)");
        }
    }
}

/// The case folder: an empty folder, a FIFO, a directory, and the files a command needs.
fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for d in ["empty", "empty2", "sandboxes", "dir", "fifo-inside"] {
        std::fs::create_dir(tmp.path().join(d)).expect("folder");
    }
    for fifo in ["pipe", "fifo-inside/scenario.toml"] {
        let status = Command::new("mkfifo").arg(tmp.path().join(fifo)).status().expect("mkfifo runs");
        assert!(status.success(), "mkfifo {fifo}");
    }
    std::fs::write(tmp.path().join("seed"), "SAAseedSeedSeed\n").expect("seed");
    std::fs::write(tmp.path().join("pass"), "bridge-pass\n").expect("password");
    tmp
}

const CONF: &str = "fixtures/bad-input/creds/nats.conf";

fn cases() -> Vec<(Vec<String>, String)> {
    let fifo = "is a named pipe (FIFO); expected a regular file";
    let plain: Vec<Case> = vec![
        Case {
            args: &["run", "{tmp}/empty"],
            stderr: "natsfault: no scenario files (`*.toml`) in folder `{tmp}/empty`\n",
        },
        Case {
            args: &["list", "{tmp}/empty"],
            stderr: "natsfault: no scenario files (`*.toml`) in folder `{tmp}/empty`\n",
        },
        Case {
            args: &["check", "{tmp}/empty"],
            stderr: "natsfault: no scenario files (`*.toml`) in folder `{tmp}/empty`\n",
        },
        Case {
            args: &["matrix", "{tmp}/empty", "--versions", "2.15.1"],
            stderr: "natsfault: no scenario files (`*.toml`) in folder `{tmp}/empty`\n",
        },
        Case {
            args: &["bench", "{tmp}/empty", "--no-containers"],
            stderr: "natsfault: no scenario files (`*.toml`) in folder `{tmp}/empty`\n",
        },
        Case {
            args: &["run", "scenarios/no-credentials/wrong-token.toml", "{tmp}/empty2"],
            stderr: "natsfault: no scenario files (`*.toml`) in folder `{tmp}/empty2`\n",
        },
        Case {
            args: &["run", "scenarios", "--filter", "no-such-scenario"],
            stderr: "natsfault: --filter: no scenario file or name contains `no-such-scenario`\n",
        },
        Case {
            args: &["check", "{tmp}/pipe"],
            stderr: "natsfault: scenario file `{tmp}/pipe` is a named pipe (FIFO); expected a regular file\n",
        },
        Case {
            args: &["check", "{tmp}/fifo-inside"],
            stderr: "natsfault: scenario file `{tmp}/fifo-inside/scenario.toml` is a named pipe (FIFO); expected a regular file\n",
        },
        Case {
            args: &[
                "auth-bridge",
                "--nats-url",
                "nats://127.0.0.1:1",
                "--auth-url",
                "http://127.0.0.1:1/auth",
                "--issuer-seed",
                "{tmp}/seed",
                "--auth-password-file",
                "{tmp}/pass",
                "--timeout",
                "0ms",
            ],
            stderr: "natsfault: --timeout: expected a duration above zero, found `0ms`\n",
        },
        Case {
            args: &[
                "auth-bridge",
                "--nats-url",
                "nats://127.0.0.1:1",
                "--auth-url",
                "http://127.0.0.1:1/auth",
                "--issuer-seed",
                "{tmp}/pipe",
                "--auth-password-file",
                "{tmp}/pass",
            ],
            stderr: "natsfault: --issuer-seed: issuer seed file `{tmp}/pipe` is a named pipe (FIFO); expected a regular file\n",
        },
    ];
    let mut out: Vec<(Vec<String>, String)> =
        plain.into_iter().map(|c| (c.args.iter().map(|a| a.to_string()).collect(), c.stderr.to_string())).collect();
    let count = "expected a whole number of at least 1, found `0`";
    for (args, flag) in [
        (vec!["run", "--jobs", "0"], "--jobs <JOBS>"),
        (vec!["run", "-j", "0"], "--jobs <JOBS>"),
        (vec!["matrix", "--jobs", "0"], "--jobs <JOBS>"),
        (vec!["bench", "--runs", "0"], "--runs <RUNS>"),
    ] {
        out.push((args.iter().map(|a| a.to_string()).collect(), clap(flag, "0", count)));
    }
    let empty_token = |s: &str| format!("expected a subject of dot-separated tokens, found an empty token in `{s}`");
    let wildcard = |s: &str| format!("expected a literal subject to publish to, found the wildcard subject `{s}`");
    let space = |s: &str| format!("expected a subject without whitespace, found `{s}`");
    let bad_wildcard = |s: &str| format!("expected `*` as a whole token and `>` only as the last token, found `{s}`");
    for (flag, value, why) in [
        ("--publish", "", empty_token("")),
        ("--publish", "a b", space("a b")),
        ("--publish", "a..b", empty_token("a..b")),
        ("--publish", ".a", empty_token(".a")),
        ("--publish", "a.*", wildcard("a.*")),
        ("--publish", "orders.>", wildcard("orders.>")),
        ("--request", "a.>", wildcard("a.>")),
        ("--request", "svc.", empty_token("svc.")),
        ("--subscribe", "", empty_token("")),
        ("--subscribe", "a.>.b", bad_wildcard("a.>.b")),
        ("--subscribe", "a.b*", bad_wildcard("a.b*")),
        ("--subscribe", "a\tb", space("a\tb")),
    ] {
        let long = flag.trim_start_matches('-').to_uppercase();
        let args = ["diagnose", "--config", CONF, flag, value].map(str::to_string).to_vec();
        out.push((args, clap(&format!("{flag} <{long}>"), value, &why)));
    }
    let files = [
        ("--creds", "creds file"),
        ("--nkey-seed", "nkey seed file"),
        ("--token-file", "token file"),
        ("--tls-cert", "certificate file"),
        ("--tls-ca", "CA certificate file"),
    ];
    for (flag, what) in files {
        let args = ["diagnose", "--config", CONF, flag, "{tmp}/pipe"].map(str::to_string).to_vec();
        out.push((args, format!("natsfault: {flag}: {what} `{{tmp}}/pipe` {fifo}\n")));
    }
    let args = ["diagnose", "--config", CONF, "--user", "u", "--password-file", "{tmp}/pipe"].map(str::to_string);
    out.push((args.to_vec(), format!("natsfault: --password-file: password file `{{tmp}}/pipe` {fifo}\n")));
    let args = ["diagnose", "--config", "{tmp}/pipe"].map(str::to_string);
    out.push((args.to_vec(), format!("natsfault: --config: config `{{tmp}}/pipe` {fifo}\n")));
    let args = ["diagnose", "--config", CONF, "--creds", "{tmp}/dir"].map(str::to_string);
    let dir = "is a directory; expected a regular file";
    out.push((args.to_vec(), format!("natsfault: --creds: creds file `{{tmp}}/dir` {dir}\n")));
    let args = ["diagnose", "--config", CONF, "--tls-first"].map(str::to_string);
    out.push((
        args.to_vec(),
        format!("natsfault: `--tls-cert`, `--tls-ca` and `--tls-first` need a `tls {{}}` block in `{CONF}`; the config has none\n"),
    ));
    let args = ["diagnose", "--config", CONF, "--token-file", "/dev/null"].map(str::to_string);
    let dev = "is a character device; expected a regular file";
    out.push((args.to_vec(), format!("natsfault: --token-file: token file `/dev/null` {dev}\n")));
    out
}

#[test]
fn bad_arguments_exit_2_naming_the_argument_and_leave_nothing_behind() {
    let tmp = setup();
    let root = tmp.path().to_str().expect("utf-8").to_string();
    let mut failures = Vec::new();
    for (args, expected) in cases() {
        let args: Vec<String> = args.iter().map(|a| a.replace("{tmp}", &root)).collect();
        let expected = expected.replace("{tmp}", &root);
        let (code, stdout, stderr) = run(&args, tmp.path());
        if code != Some(2) || stderr != expected || stderr.contains("panicked") {
            failures.push(format!(
                "natsfault {args:?}\n  exit code {code:?} (expected 2)\n  expected stderr: {expected:?}\n  observed stderr: {stderr:?}\n  stdout: {stdout:?}"
            ));
        }
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("sandboxes")).expect("sandboxes").flatten().collect();
    assert!(left.is_empty(), "sandboxes left behind: {left:?}");
    let running = processes_mentioning(&root);
    assert!(running.is_empty(), "processes left running: {running:?}");
    assert!(failures.is_empty(), "{} of the cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_catalogue_counts_every_entry() {
    let count = |dir: &str, ext: &str| {
        std::fs::read_dir(support::root().join(dir))
            .expect("fixture folder")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == ext))
            .count()
    };
    let scenarios = count("fixtures/invalid-scenarios", "toml");
    let total = count("fixtures/bad-input/creds", "creds") + count("fixtures/bad-input/diagnose", "conf") + scenarios;
    let total = total + cases().len();
    let readme = std::fs::read_to_string(support::root().join("fixtures/bad-input/README.md")).expect("README");
    let says = format!(
        "With the {scenarios} scenario files of `fixtures/invalid-scenarios/` and the {} command lines above, the\ncatalogue of bad input has {total} entries.",
        cases().len()
    );
    assert!(readme.contains(&says), "fixtures/bad-input/README.md should say:\n{says}");
}
