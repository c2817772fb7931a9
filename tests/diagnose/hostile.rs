//! Hostile customer configs through the whole diagnosis on the real server: keys spelled with
//! `İ` (U+0130) and the Kelvin sign (U+212A), which nats-server lowers to `i` and `k`, and account
//! servers hidden behind `#@127.0.0.1`, `?@127.0.0.1` or an `@` in the password. The proof comes
//! from outside the config: the files they name in a temp dir never appear (watched during the
//! run), ports they name stay bound by the test (a server that tried them would not start), and
//! a canary on 127.0.0.2 standing for the remote account server is never connected to. A control
//! run of the same URL on the unsandboxed server shows the canary would have seen it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use natsfault::credentials::{OperatorClaims, encode, keys};
use natsfault::diagnose::{Credentials, Diagnosis, diagnose_prepared};

use crate::canary::Canary;
use crate::common::input;

const I: char = '\u{130}';
const K: char = '\u{212a}';

/// The longest any watcher or canary runs.
const LIMIT: Duration = Duration::from_secs(90);

/// Records every name that appears in a folder until stopped (polls every 2 ms, at most
/// [`LIMIT`]).
struct Watcher {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<String>>,
}

impl Watcher {
    fn start(dir: &Path) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, dir) = (stop.clone(), dir.to_path_buf());
        let thread = std::thread::spawn(move || {
            let began = Instant::now();
            let mut seen = Vec::new();
            while !flag.load(Ordering::SeqCst) && began.elapsed() < LIMIT {
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !seen.contains(&name) {
                        seen.push(name);
                    }
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            seen
        });
        Watcher { stop, thread }
    }

    fn seen(self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("watcher thread")
    }
}

async fn diagnose_config(dir: &Path, text: &str, credentials: Credentials) -> Diagnosis {
    let path = dir.join("customer.conf");
    std::fs::write(&path, text).expect("write the config");
    let (d, _) =
        diagnose_prepared(&input(&path, credentials, vec![])).await.unwrap_or_else(|e| panic!("diagnose failed: {e}"));
    d
}

#[tokio::test]
async fn folded_keys_write_nothing_outside_the_sandbox_and_open_no_port() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("out folder");
    // Held for the whole run: a server that tried to listen on them would refuse to start.
    let monitor = TcpListener::bind("127.0.0.1:0").expect("bind");
    let websocket = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = |l: &TcpListener| l.local_addr().expect("address").port();
    let text = format!(
        "p{I}d_file: \"{out}/nats.pid\"\n\
         ports_f{I}le_d{I}r: \"{out}\"\n\
         \"LOG_F{I}LE\": \"{out}/nats.log\"\n\
         mon{I}tor_port: {monitor}\n\
         websoc{K}et {{ host: 127.0.0.1, port: {websocket}, no_tls: true }}\n\
         author{I}zation {{ token: \"hostile-Token-7\" }}\n",
        out = out.display(),
        monitor = port(&monitor),
        websocket = port(&websocket),
    );
    let watcher = Watcher::start(&out);
    let d = diagnose_config(tmp.path(), &text, Credentials::Token("hostile-Token-7".into())).await;
    let seen = watcher.seen();
    assert_eq!(d.verdict.name(), "works", "{}", natsfault::diagnose::render::human(&d));
    assert!(seen.is_empty(), "written outside the sandbox: {seen:?}");
    assert_eq!(std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0), 0);
    for key in [format!("p{I}d_file"), format!("ports_f{I}le_d{I}r"), format!("mon{I}tor_port"), format!("websoc{K}et")]
    {
        assert!(d.rewrites.iter().any(|r| r.contains(&format!("`{key}` removed"))), "{key}: {:#?}", d.rewrites);
    } // From the process's own sockets: one listener, the client port, on loopback.
    let sockets = d.sockets.as_deref().expect("the server's sockets were audited");
    assert!(sockets.starts_with("listening on 127.0.0.1:") && !sockets.contains(','), "{sockets}");
    let confined = d.confinement.as_deref().expect("the server started");
    assert!(confined.starts_with("own network namespace"), "{confined}");
}

/// Runs nats-server on `config` as the customer would (no sandbox) until it exits or 10 s pass.
fn run_unsandboxed(config: &Path) {
    let version = natsfault::backend::DEFAULT_VERSION.parse().expect("default version");
    let server = natsfault::backend::nats_server_binary(version).unwrap_or_else(|e| panic!("{e}"));
    let dir = config.parent().expect("folder");
    let mut child = std::process::Command::new(server)
        .args(["-c".as_ref(), config.as_os_str(), "-a".as_ref(), "127.0.0.1".as_ref(), "-p".as_ref(), "-1".as_ref()])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start nats-server");
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(10) {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn operator_config(dir: &Path, resolver: Option<&str>, account_server: &str) -> PathBuf {
    let op = keys::operator();
    let mut claims = OperatorClaims::new(op.public_key(), "hostile");
    claims.nats.account_server_url = account_server.to_string();
    let jwt = encode(&mut claims, &op).expect("operator JWT");
    std::fs::write(dir.join("operator.jwt"), jwt).expect("write the operator JWT");
    let sys = keys::account();
    let resolver = resolver.map(|r| format!("resolver: \"{r}\"\n")).unwrap_or_default();
    let text = format!("operator: \"./operator.jwt\"\nsystem_account: {}\n{resolver}", sys.public_key());
    let path = dir.join("customer.conf");
    std::fs::write(&path, text).expect("write the config");
    path
}

#[tokio::test]
async fn hostile_resolver_urls_never_reach_the_account_server() {
    for form in [
        "URL(http://127.0.0.2:{port}/jwt/v1/accounts/#@127.0.0.1)",
        "URL(http://127.0.0.2:{port}/jwt/v1/accounts/?@127.0.0.1)",
        "URL(http://admin:p@ss@127.0.0.2:{port}/jwt/v1/accounts/)",
        "URL(HTTP://127.0.0.2:{port}/jwt/v1/accounts/)",
    ] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let control = Canary::start();
        let config = operator_config(tmp.path(), Some(&form.replace("{port}", &control.port.to_string())), "");
        run_unsandboxed(&config);
        assert!(control.connections() > 0, "{form}: the unsandboxed server should have dialled the canary");

        let canary = Canary::start();
        let config = operator_config(tmp.path(), Some(&form.replace("{port}", &canary.port.to_string())), "");
        let (d, _) = diagnose_prepared(&input(&config, Credentials::None, vec![]))
            .await
            .unwrap_or_else(|e| panic!("diagnose failed: {e}"));
        assert_eq!(canary.connections(), 0, "{form}: the sandboxed server dialled 127.0.0.2");
        assert_eq!(d.detail, "url-resolver-not-contacted", "{form}: {}", natsfault::diagnose::render::human(&d));
        let note = d.rewrites.iter().find(|r| r.contains("`resolver`")).expect("resolver rewritten");
        assert!(note.contains(&format!("127.0.0.2:{}", canary.port)) && note.contains("127.0.0.1:1"), "{note}");
    }
}

#[tokio::test]
async fn an_operator_account_server_is_never_reached() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let control = Canary::start();
    let url = |port: u16| format!("http://127.0.0.2:{port}/jwt/v1#@127.0.0.1");
    run_unsandboxed(&operator_config(tmp.path(), None, &url(control.port)));
    assert!(control.connections() > 0, "the unsandboxed server should have dialled the canary");

    let canary = Canary::start();
    let config = operator_config(tmp.path(), None, &url(canary.port));
    let (d, _) = diagnose_prepared(&input(&config, Credentials::None, vec![]))
        .await
        .unwrap_or_else(|e| panic!("diagnose failed: {e}"));
    assert_eq!(canary.connections(), 0, "the sandboxed server dialled 127.0.0.2");
    let note = d.rewrites.iter().find(|r| r.contains("`resolver` added")).expect("resolver added");
    assert!(note.contains(&format!("`127.0.0.2:{}`", canary.port)), "{note}");
}
