//! Shared test helpers: find the nats-server binary, check a config with `nats-server -t`, and
//! start a server on 127.0.0.1 until it logs "Server is ready".

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use natsfault::natsconf::{Map, Node, Value};

/// The nats-server to test against: `NATSFAULT_NATS_SERVER`, else the harness cache (2.15.1),
/// else `nats-server` on the PATH.
pub fn nats_server() -> PathBuf {
    let version = natsfault::backend::DEFAULT_VERSION.parse().expect("default version");
    natsfault::backend::nats_server_binary(version).unwrap_or_else(|e| panic!("{e}"))
}

/// Another cached server version, if present.
pub fn nats_server_version(version: &str) -> Option<PathBuf> {
    natsfault::backend::nats_server_binary(version.parse().ok()?).ok()
}

/// The fixture folder `name` under fixtures/natsconf.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/natsconf").join(name)
}

/// The result of `nats-server -t -c FILE`.
pub struct Check {
    pub valid: bool,
    pub output: String,
}

/// Runs `nats-server -t -c file` in `cwd` (relative paths in the config resolve there), with
/// an empty environment so that `$variables` resolve only from the config.
pub fn check(server: &Path, file: &Path, cwd: &Path) -> Check {
    let output = Command::new(server)
        .arg("-t")
        .arg("-c")
        .arg(file)
        .current_dir(cwd)
        .env_clear()
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", server.display()));
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let valid = output.status.success() && text.contains("is valid");
    Check { valid, output: text }
}

/// Kills the server when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `nats-server -c file -a 127.0.0.1 -p -1` in `cwd`, waits for "Server is ready"
/// (at most 20 s), kills it, and returns the log. Panics with the log if it never gets ready.
pub fn start_until_ready(server: &Path, file: &Path, cwd: &Path) -> String {
    let child = Command::new(server)
        .arg("-c")
        .arg(file)
        .args(["-a", "127.0.0.1", "-p", "-1"])
        .current_dir(cwd)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", server.display()));
    let mut guard = Guard(child);
    let stderr = guard.0.stderr.take().expect("stderr is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut log = String::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                log.push_str(&line);
                log.push('\n');
                if line.contains("Server is ready") {
                    drop(guard);
                    return log;
                }
            }
            Err(_) => {
                drop(guard);
                panic!("{} never logged \"Server is ready\":\n{log}", file.display());
            }
        }
    }
}

/// The listening addresses a server log mentions ("Listening for ... on HOST:PORT").
pub fn listen_lines(log: &str) -> Vec<String> {
    log.lines().filter(|l| l.contains("Listening for")).map(str::to_string).collect()
}

/// The account JWTs of fixtures/natsconf/operator/accounts.txt as (public key, JWT).
pub fn fixture_accounts() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixture("operator/accounts.txt")).expect("accounts.txt");
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let _name = parts.next()?;
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect()
}

/// A minimal account server on 127.0.0.1: `GET <anything>/<public key>` answers the account's
/// JWT, any other GET answers 200 with an empty body (nats-server probes the base URL at
/// startup). Returns `http://127.0.0.1:PORT`. Runs until the test process ends.
pub fn serve_accounts(jwts: Vec<(String, String)>) -> String {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let Ok(mut writer) = stream.try_clone() else { continue };
            let mut reader = BufReader::new(stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let body =
                jwts.iter().find(|(key, _)| path.ends_with(key.as_str())).map(|(_, jwt)| jwt.as_str()).unwrap_or("");
            let _ =
                write!(writer, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    format!("http://{addr}")
}

/// Values without positions or spelling, to compare trees.
pub fn canon_map(map: &Map) -> String {
    let pairs: Vec<String> = map.pairs().iter().map(|p| format!("{:?}={}", p.key, canon(&p.value))).collect();
    format!("{{{}}}", pairs.join(","))
}

/// One value without position or spelling.
pub fn canon(node: &Node) -> String {
    match &node.resolved().value {
        Value::String(s) => format!("{s:?}"),
        Value::Integer { value, .. } => value.to_string(),
        Value::Float { value, .. } => format!("{value}f"),
        Value::Bool { value, .. } => value.to_string(),
        Value::Datetime(raw) => format!("date {raw}"),
        Value::Array(items) => format!("[{}]", items.iter().map(canon).collect::<Vec<_>>().join(",")),
        Value::Map(map) => canon_map(map),
        Value::Variable(_) => "unreachable".into(),
    }
}

/// The map as Go's `encoding/json` writes the server's parsed config (sorted keys, last
/// duplicate wins, HTML-escaped strings), which is what `nats-server -t` hashes.
pub fn go_json(map: &Map) -> String {
    let mut entries = std::collections::BTreeMap::new();
    for pair in map.pairs() {
        entries.insert(pair.key.clone(), go_json_value(&pair.value));
    }
    let body: Vec<String> = entries.iter().map(|(k, v)| format!("{}:{v}", go_json_string(k))).collect();
    format!("{{{}}}", body.join(","))
}

fn go_json_value(node: &Node) -> String {
    match &node.resolved().value {
        Value::String(s) => go_json_string(s),
        Value::Integer { value, .. } => value.to_string(),
        Value::Float { value, .. } => format!("{value}"),
        Value::Bool { value, .. } => value.to_string(),
        Value::Datetime(raw) => go_json_string(raw),
        Value::Array(items) => format!("[{}]", items.iter().map(go_json_value).collect::<Vec<_>>().join(",")),
        Value::Map(map) => go_json(map),
        Value::Variable(_) => "null".into(),
    }
}

fn go_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `sha256:<hex>` of the config as the server digests it (JSON plus a new line).
pub fn go_digest(map: &Map) -> String {
    let mut child = Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("sha256sum");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(go_json(map).as_bytes()).expect("write");
        stdin.write_all(b"\n").expect("write");
    }
    let output = child.wait_with_output().expect("sha256sum output");
    let hex = String::from_utf8_lossy(&output.stdout).split_whitespace().next().unwrap_or("").to_string();
    format!("sha256:{hex}")
}

/// The digest `nats-server -t` printed for a valid config.
pub fn server_digest(output: &str) -> Option<String> {
    let start = output.find("(sha256:")? + 1;
    let end = output[start..].find(')')? + start;
    Some(output[start..end].to_string())
}
