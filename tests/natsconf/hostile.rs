//! Hostile configs against the sandbox rewrite: keys spelled with the two Unicode letters
//! nats-server lowers to ASCII (`İ` U+0130 to `i`, the Kelvin sign U+212A to `k`), resolver URLs
//! whose host is not where a naive reading puts it, and a resolver folder holding more than
//! account JWTs. Each original is first shown to be honoured by the real server (`-t` knows the
//! key), then the rewrite must remove or replace it and still pass `-t`.

use std::path::Path;

use natsfault::natsconf::{Config, CopyKind, ParseOptions, SandboxOptions, SandboxPlan, sandbox};

const I: char = '\u{130}';
const K: char = '\u{212a}';

/// Writes `text` as `nats.conf` in a temp dir, checks the server knows every key of it, and
/// returns the written sandbox.
fn sandboxed(text: &str) -> (Config, SandboxPlan, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("src/nats.conf");
    std::fs::create_dir_all(main.parent().unwrap()).unwrap();
    std::fs::write(&main, text).unwrap();
    let server = crate::common::nats_server();
    let original = crate::common::check(&server, &main, tmp.path());
    assert!(original.valid, "nats-server must honour the original:\n{text}\n{}", original.output);
    let config = Config::parse_file(&main, &ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let plan = sandbox(&config, &SandboxOptions::new(tmp.path().join("sbx"))).unwrap_or_else(|e| panic!("{e}"));
    plan.write().unwrap_or_else(|e| panic!("{e}"));
    let checked = crate::common::check(&server, &plan.main, tmp.path());
    assert!(checked.valid, "{}\n{}", checked.output, plan.config_files[0].text);
    (config, plan, tmp)
}

fn all_text(plan: &SandboxPlan) -> String {
    plan.config_files.iter().map(|f| f.text.as_str()).collect()
}

/// The key is removed, reported under its own spelling, and gone from every rewritten file.
fn assert_removed(key: &str, value: &str) {
    let (_, plan, _tmp) = sandboxed(&format!("debug: false\n{key}: {value}\n"));
    let bare = key.trim_matches(|c| c == '"' || c == '\'');
    assert!(plan.rewrites.iter().any(|r| r.key == bare && r.what.starts_with("removed")), "{key}: {:?}", plan.rewrites);
    assert!(!all_text(&plan).contains(bare), "{key} left in:\n{}", all_text(&plan));
}

#[test]
fn a_listener_spelled_with_a_kelvin_sign_is_removed() {
    assert_removed(&format!("websoc{K}et"), "{ port: -1, no_tls: true }");
    assert_removed(&format!("l{I}sten"), "\"127.0.0.1:4333\"");
}

#[test]
fn a_monitor_port_spelled_with_a_dotted_capital_i_is_removed() {
    assert_removed(&format!("mon{I}tor_port"), "8222");
    assert_removed("HTTP_PORT", "8222");
}

#[test]
fn a_log_file_spelled_with_a_dotted_capital_i_is_removed() {
    assert_removed(&format!("log_f{I}le"), "\"/tmp/natsfault-hostile.log\"");
    assert_removed(&format!("LOGF{I}LE"), "\"/tmp/natsfault-hostile.log\"");
}

#[test]
fn a_pid_file_spelled_with_a_dotted_capital_i_is_removed() {
    assert_removed(&format!("p{I}d_file"), "\"/tmp/natsfault-hostile.pid\"");
    assert_removed(&format!("\"P{I}D_F{I}LE\""), "\"/tmp/natsfault-hostile.pid\"");
}

#[test]
fn a_ports_file_dir_spelled_with_dotted_capital_is_is_removed() {
    assert_removed(&format!("ports_f{I}le_d{I}r"), "\"/tmp\"");
    assert_removed(&format!("'PORTS_F{I}LE_DIR'"), "\"/tmp\"");
}

#[test]
fn a_dotless_i_is_another_key_for_the_server_and_for_the_rewrite() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("nats.conf");
    std::fs::write(&main, "p\u{131}d_file: \"/tmp/x.pid\"\n").unwrap();
    let checked = crate::common::check(&crate::common::nats_server(), &main, tmp.path());
    assert!(!checked.valid && checked.output.contains("unknown field"), "{}", checked.output);
    let config = Config::parse_file(&main, &ParseOptions::default()).unwrap();
    assert_eq!(config.findings().iter().filter(|f| f.key == "p\u{131}d_file").count(), 1);
}

#[test]
fn an_include_keyword_with_a_dotted_capital_i_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("nats.conf"), format!("{I}NCLUDE ./more.conf\n")).unwrap();
    std::fs::write(src.join("more.conf"), format!("p{I}d_file: \"{}\"\n", tmp.path().join("x.pid").display())).unwrap();
    let config = Config::parse_file(src.join("nats.conf"), &ParseOptions::default()).unwrap();
    assert_eq!(config.files().len(), 2, "the include is read");
    let plan = sandbox(&config, &SandboxOptions::new(tmp.path().join("sbx"))).unwrap();
    assert!(plan.rewrites.iter().any(|r| r.key == format!("p{I}d_file")), "{:?}", plan.rewrites);
    assert!(!all_text(&plan).contains("x.pid"));
}

#[test]
fn nested_keys_fold_too() {
    let store = "/tmp/natsfault-hostile-store";
    let text = format!("jetstream {{ store_d{I}r: \"{store}\" }}\n");
    let (_, plan, _tmp) = sandboxed(&text);
    assert!(!all_text(&plan).contains(store), "{}", all_text(&plan));
    assert!(plan.rewrites.iter().any(|r| r.key == format!("jetstream.store_d{I}r")), "{:?}", plan.rewrites);
}

#[test]
fn queries_fold_keys() {
    let text = format!(
        "author{I}zation {{ users: [ {{ user: a, password: b, perm{I}ssions: {{ publ{I}sh: \"x.>\" }} }} ] }}\n\
         accounts {{ APP {{ users: [ {{ n{K}ey: UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4 }} ] }} }}\n"
    );
    let (config, _, _tmp) = sandboxed(&text);
    let users = config.users();
    assert_eq!(users.len(), 2, "{users:?}");
    let publish = users[0].permissions.as_ref().and_then(|p| p.publish.as_ref()).and_then(|r| r.allow.clone());
    assert_eq!(publish, Some(vec!["x.>".to_string()]));
    assert!(users[1].nkey.is_some());
    assert!(
        config.findings().iter().all(|f| f.kind != natsfault::natsconf::FindingKind::UnknownKey),
        "{:?}",
        config.findings()
    );
}

#[test]
fn every_url_resolver_goes_to_the_local_account_server() {
    let operator = crate::common::fixture("operator/keys/operator.jwt");
    for (url, path) in [
        ("http://127.0.0.2:9090/jwt/v1/accounts/#@127.0.0.1", "/jwt/v1/accounts/"),
        ("http://127.0.0.2:9090/jwt/v1/accounts/?@127.0.0.1", "/jwt/v1/accounts/"),
        ("http://admin:p@ss@127.0.0.2:9090/jwt/", "/jwt/"),
        ("HTTP://127.0.0.2:9090/jwt/", "/jwt/"),
        ("http://[::1]:9090/jwt/", "/jwt/"),
        ("http://127.0.0.1:9090/jwt/", "/jwt/"),
        ("//127.0.0.2:9090/jwt/", "/jwt/"),
    ] {
        let text = format!("operator: \"{}\"\nresolver: \"URL({url})\"\n", operator.display());
        let config = Config::parse_str(&text, "/x/nats.conf", &ParseOptions::default()).unwrap();
        let plan = sandbox(&config, &SandboxOptions::new("/tmp/natsconf-unwritten")).unwrap();
        let main = &plan.config_files[0].text;
        assert!(main.contains(&format!("resolver: \"URL(http://127.0.0.1:1{path})\"")), "{url}:\n{main}");
        assert!(!main.contains("9090") && !main.contains("ss@"), "{url}:\n{main}");
        let note = plan.rewrites.iter().find(|r| r.key == "resolver").expect("resolver rewritten");
        assert!(!note.what.contains("admin") && !note.what.contains("ss@"), "{note}");
        if url.contains("127.0.0.2") {
            assert!(note.what.contains("`127.0.0.2:9090`"), "{url}: {note}");
        }
    }
}

#[test]
fn a_url_without_scheme_is_replaced_and_said_to_be_refused() {
    let config =
        Config::parse_str("resolver: URL(127.0.0.2:9090/jwt/)\n", "/x/n.conf", &ParseOptions::default()).unwrap();
    let plan = sandbox(&config, &SandboxOptions::new("/tmp/natsconf-unwritten")).unwrap();
    assert!(plan.config_files[0].text.contains("URL(http://127.0.0.1:1/)"), "{}", plan.config_files[0].text);
    assert!(plan.rewrites[0].what.contains("first path segment in URL cannot contain colon"), "{}", plan.rewrites[0]);
}

#[test]
fn an_operator_account_server_on_a_loopback_host_is_replaced_too() {
    let run = crate::common::fixture("operator-jwt-url/nats.conf");
    let config = Config::parse_file(&run, &ParseOptions::default()).unwrap();
    let plan = sandbox(&config, &SandboxOptions::new("/tmp/natsconf-unwritten")).unwrap();
    let added = plan.rewrites.iter().find(|r| r.key == "resolver").expect("resolver added");
    assert!(added.what.contains("natsfault's local account server"), "{added}");
    assert!(plan.config_files[0].text.contains("URL(http://127.0.0.1:1/"), "{}", plan.config_files[0].text);
}

/// A resolver folder with two account JWTs (one in a shard folder) among things that are not.
#[test]
fn a_resolver_dir_gives_only_its_account_jwts() {
    let accounts = crate::common::fixture_accounts();
    let tmp = tempfile::tempdir().unwrap();
    let jwt_dir = tmp.path().join("src/jwt");
    let (sys, app) = (&accounts[0], &accounts[1]);
    let shard = &app.0[app.0.len() - 2..];
    std::fs::create_dir_all(jwt_dir.join(shard)).unwrap();
    std::fs::create_dir_all(jwt_dir.join("private")).unwrap();
    std::fs::write(jwt_dir.join(format!("{}.jwt", sys.0)), &sys.1).unwrap();
    std::fs::write(jwt_dir.join(shard).join(format!("{}.jwt", app.0)), &app.1).unwrap();
    let outside = tmp.path().join("id_ed25519");
    std::fs::write(&outside, "not for the sandbox").unwrap();
    let other = nkeys::KeyPair::new_account().public_key();
    std::os::unix::fs::symlink(&outside, jwt_dir.join(format!("{other}.jwt"))).unwrap();
    std::fs::write(jwt_dir.join("notes.txt"), "x").unwrap();
    std::fs::write(jwt_dir.join(format!("{}.jwt.deleted", sys.0)), &sys.1).unwrap();
    std::fs::write(jwt_dir.join("private/key.pem"), "x").unwrap();
    let big = nkeys::KeyPair::new_account().public_key();
    std::fs::write(jwt_dir.join(format!("{big}.jwt")), format!("eyJ{}.e30.sig", "A".repeat(2 << 20))).unwrap();
    std::fs::write(jwt_dir.join(format!("{}.jwt", nkeys::KeyPair::new_account().public_key())), "not a jwt").unwrap();
    let text = format!(
        "operator: \"{}\"\nsystem_account: {}\nresolver {{ type: full, dir: \"./jwt\" }}\n",
        crate::common::fixture("operator/keys/operator.jwt").display(),
        sys.0
    );
    std::fs::write(tmp.path().join("src/nats.conf"), text).unwrap();
    let config = Config::parse_file(tmp.path().join("src/nats.conf"), &ParseOptions::default()).unwrap();
    let plan = sandbox(&config, &SandboxOptions::new(tmp.path().join("sbx"))).unwrap();
    plan.write().unwrap();
    let folder = plan.copies.iter().find(|c| c.kind == CopyKind::Dir).expect("the folder");
    let mut copied: Vec<String> = walk(&folder.to);
    copied.sort();
    let mut expected = vec![format!("{}.jwt", sys.0), format!("{shard}/{}.jwt", app.0)];
    expected.sort();
    assert_eq!(copied, expected);
    let note = plan.rewrites.iter().find(|r| r.key == "resolver.dir").expect("dir rewritten");
    assert!(
        note.what.starts_with("2 account JWT file(s) copied") && note.what.contains("; 6 other entries left out"),
        "{note}"
    );
    let checked = crate::common::check(&crate::common::nats_server(), &plan.main, tmp.path());
    assert!(checked.valid, "{}", checked.output);
}

/// Files under `dir`, relative, following no links.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            out.extend(walk(&entry.path()).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            out.push(name);
        }
    }
    out
}

#[test]
fn an_include_that_is_a_fifo_is_refused_without_blocking() {
    // Opening a FIFO for reading blocks until a writer comes: the parser decides from metadata.
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("users.conf");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    std::fs::write(tmp.path().join("nats.conf"), "authorization { include \"users.conf\" }\n").unwrap();
    let main = tmp.path().join("nats.conf");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Config::parse_file(&main, &ParseOptions::sandboxed::<&str, &str>([], Vec::new())).map(|_| ()));
    });
    let result = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the parser returned without blocking");
    let err = result.expect_err("a FIFO is no config file").to_string();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn a_file_included_many_times_is_read_within_one_bound_for_the_whole_config() {
    let tmp = tempfile::tempdir().unwrap();
    // 640 KiB of comments, included 64 times: 40 MiB read for one config without a total bound.
    std::fs::write(tmp.path().join("big.conf"), "# padding\n".repeat(65536)).unwrap();
    let text: String = (0..64).map(|_| "include \"big.conf\"\n").collect();
    std::fs::write(tmp.path().join("nats.conf"), text).unwrap();
    let err = Config::parse_file(tmp.path().join("nats.conf"), &ParseOptions::sandboxed::<&str, &str>([], Vec::new()))
        .expect_err("refused");
    assert!(err.to_string().contains("expected at most 33554432 in all"), "{err}");
}
