//! Every door (`verify`, `diagnose`, `contract --from-config`, a scenario's `config-file` under
//! `check` and `run`) takes the same plan from a config to a server, and each attack on it is
//! refused the same way: a `$VAR` natsfault's environment holds, an include outside the config's
//! folder, a TLS `certs` list, files of 2 GB, a scenario whose URLs, keys and files reach
//! outside its run. The proof comes from outside natsfault: a canary value in the environment
//! and a canary line in an outside file never reach any output, a canary listener on
//! 127.0.0.2 is never dialled, a canary pid file never appears.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::support::canary::Canary;

/// The value a CI secret in natsfault's environment would have.
const CANARY_VALUE: &str = "ci-secret-7d1e-canary-value";
const CANARY_VAR: &str = "NATSFAULT_CANARY_SECRET";
/// A line of a file outside the config's folder, as a shadow file would hold.
const SHADOW_LINE: &str = "root:$6$shadow-canary-line:19000:0:99999:7:::";

fn natsfault(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .current_dir(super::support::root())
        .args(args)
        .env(CANARY_VAR, CANARY_VALUE)
        .env("TMPDIR", dir)
        .stdin(Stdio::null())
        .output()
        .expect("natsfault runs")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A team folder: `conf/nats.conf` with `body`, a contract, a password file, and a scenario that
/// plays the config with `config-file`.
struct Team {
    dir: tempfile::TempDir,
}

impl Team {
    fn new(body: &str) -> Team {
        let dir = tempfile::tempdir().expect("temp dir");
        let team = Team { dir };
        write(&team.path("conf/nats.conf"), body);
        write(&team.path("conf/secrets/app.pass"), "app-pass-3c9a\n");
        write(
            &team.path("conf/contract.toml"),
            "config = \"nats.conf\"\n[identities.app]\nuser = \"app\"\npassword-file = \"secrets/app.pass\"\ncan = [\"publish app.x\"]\n",
        );
        write(
            &team.path("conf/scenario.toml"),
            "name = \"team config\"\ncause = \"no-credentials\"\nsummary = \"x\"\n[server]\nconfig-file = \"nats.conf\"\n\
             [clients.app]\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = { error = \"AuthorizationViolation\" }\n\
             [fix]\nsummary = \"x\"\nclients.app = { user = \"app\", password = \"app-pass-3c9a\" }\n",
        );
        team
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn p(&self, rel: &str) -> String {
        self.path(rel).display().to_string()
    }

    /// Every door on the config, each with its output.
    fn doors(&self, extra: &[&str]) -> Vec<(&'static str, Output)> {
        let config = self.p("conf/nats.conf");
        let with = |args: &[&str]| -> Vec<String> {
            args.iter().map(|s| s.to_string()).chain(extra.iter().map(|s| s.to_string())).collect()
        };
        let run = |args: Vec<String>| {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            natsfault(&refs, self.dir.path())
        };
        vec![
            ("verify", run(with(&["verify", "--contract", &self.p("conf/contract.toml")]))),
            ("diagnose", run(with(&["diagnose", "--config", &config, "--user", "app", "--password", "app-pass-3c9a"]))),
            ("contract", run(with(&["contract", "--from-config", &config]))),
            ("check", run(vec!["check".into(), self.p("conf/scenario.toml")])),
        ]
    }
}

#[test]
fn an_undefined_variable_is_an_error_at_its_position_and_the_environment_is_never_read() {
    let team = Team::new(&format!(
        "# the token comes from the deployment's environment\nauthorization {{\n  token: ${CANARY_VAR}\n}}\n"
    ));
    for (door, out) in team.doors(&[]) {
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{door}: {t}");
        assert!(t.contains(&format!("${CANARY_VAR}")) && t.contains("not defined"), "{door}: {t}");
        assert!(t.contains("nats.conf:3:10"), "{door}: the position of the reference: {t}");
        assert!(!t.contains(CANARY_VALUE), "{door}: the environment's value was printed: {t}");
    }
    // Passed explicitly, the value plays and is a secret everywhere.
    let config = team.p("conf/nats.conf");
    let out = natsfault(
        &["diagnose", "--config", &config, "--token", CANARY_VALUE, "--env", CANARY_VAR, "--format", "json"],
        team.dir.path(),
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(!t.contains(CANARY_VALUE), "an explicit variable's value in the report: {t}");
    let out = natsfault(
        &["contract", "--from-config", &config, "--env", &format!("{CANARY_VAR}=literal-9f2a")],
        team.dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("literal-9f2a"), "{}", text(&out));
}

#[test]
fn an_include_outside_the_config_folder_is_refused_before_it_is_read() {
    let team = Team::new(
        "include \"../outside/shadow.conf\"\nauthorization { users: [ { user: app, password: \"app-pass-3c9a\" } ] }\n",
    );
    write(&team.path("outside/shadow.conf"), &format!("{SHADOW_LINE}\n"));
    for (door, out) in team.doors(&[]) {
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{door}: {t}");
        assert!(t.contains("leaves the config's folder"), "{door}: {t}");
        assert!(!t.contains("shadow-canary-line"), "{door}: a line of the outside file was printed: {t}");
    }
    // The folder passed explicitly is read (and the bad line is then the config's own problem).
    let outside = team.p("outside");
    let out =
        natsfault(&["contract", "--from-config", &team.p("conf/nats.conf"), "--allow-read", &outside], team.dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!text(&out).contains("leaves the config's folder"), "{}", text(&out));
}

#[test]
fn files_of_two_gigabytes_are_not_read() {
    let team = Team::new(
        "authorization { users: [ { user: app, password: \"app-pass-3c9a\" } ] }\n\
         resolver_tls { ca_file: \"big-ca.pem\" }\n\
         operator: \"big-op.jwt\"\n\
         tls { cert_file: \"big-cert.pem\", key_file: \"big-key.pem\" }\n",
    );
    for name in ["big-ca.pem", "big-cert.pem", "big-key.pem", "big-op.jwt"] {
        // Sparse: two gigabytes that take no disk.
        let f = std::fs::File::create(team.path(&format!("conf/{name}"))).expect("create");
        f.set_len(2 << 30).expect("set_len");
    }
    let out = natsfault(&["verify", "--contract", &team.p("conf/contract.toml")], team.dir.path());
    let t = text(&out);
    // The server refuses the config whose files were not copied; nothing was read whole.
    assert_eq!(out.status.code(), Some(2), "{t}");
    let deployed = natsfault::door::load_config_file(&team.path("conf/nats.conf")).expect("planned");
    let not_read: Vec<String> =
        deployed.rewrites.iter().map(ToString::to_string).filter(|r| r.contains("has 2147483648 bytes")).collect();
    assert_eq!(not_read.len(), 3, "the certificate, the key and the operator JWT: {:?}", deployed.rewrites);
    let resolver_tls = deployed.rewrites.iter().find(|r| r.key == "resolver_tls").expect("resolver_tls rewritten");
    assert!(resolver_tls.what.starts_with("removed"), "{resolver_tls}");
    assert!(deployed.files.iter().all(|f| f.contents.len() < 1 << 20));
}

/// Ports on 127.0.0.2 the configs of `fixtures/hostile/` name.
const HOSTILE_PORTS: &[u16] = &[14222, 16222, 16223, 16224, 16225, 17422, 17522, 18222, 18080, 18081, 11883];
const HOSTILE_DIR: &str = "/tmp/natsfault-hostile-canary";

#[test]
fn the_hostile_configs_play_through_every_door_with_nothing_dialled_listened_or_written() {
    let canaries: Vec<Canary> = HOSTILE_PORTS.iter().filter_map(|p| Canary::at(*p)).collect();
    assert!(canaries.len() >= HOSTILE_PORTS.len() - 1, "canaries on 127.0.0.2 could not bind");
    let _ = std::fs::remove_dir_all(HOSTILE_DIR);
    let dir = super::support::root().join("fixtures/hostile");
    let mut played = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/hostile") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "conf") {
            continue;
        }
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let team = Team::new(&std::fs::read_to_string(&path).expect("config"));
        let mut doors = team.doors(&[]);
        doors.push(("run", natsfault(&["run", &team.p("conf/scenario.toml")], team.dir.path())));
        for (door, out) in doors {
            let t = text(&out);
            let code = out.status.code();
            assert!(matches!(code, Some(0..=2)), "{name} via {door}: exit {code:?}: {t}");
            assert!(!t.contains(CANARY_VALUE), "{name} via {door}: the environment's value was printed: {t}");
            assert!(!t.contains("panicked"), "{name} via {door}: {t}");
            for line in t.lines().filter(|l| l.trim_start().starts_with("sockets:")) {
                assert!(!line.contains("0.0.0.0") && !line.contains("127.0.0.2"), "{name} via {door}: {line}");
            }
            if name != "environment.conf" && door != "contract" && door != "check" {
                assert!(code != Some(2), "{name} via {door} was refused: {t}");
            }
            played += 1;
        }
    }
    assert!(played >= 20, "{played} plays");
    for c in &canaries {
        assert_eq!(c.connections(), 0, "127.0.0.2:{} was dialled", c.port);
    }
    assert!(!Path::new(HOSTILE_DIR).exists(), "something was written to {HOSTILE_DIR}");
}

#[test]
fn a_hostile_scenario_plays_nothing_and_dials_nothing() {
    let canary = Canary::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let pid = dir.path().join("canary.pid");
    let p = canary.port;
    let scenario = format!(
        r#"name = "hostile"
cause = "no-credentials"
summary = "x"

[servers.hub]
config = '''
leafnodes {{ lİsten: "0.0.0.0:{p}" }}
remote_syslog: "udp://127.0.0.2:{p}"
pİd_file: "{pid}"
'''

[servers.leaf]
config = '''
leafnodes {{ remotes = [ {{ url: "nats://127.0.0.2:{p}#@{{{{servers.hub.host}}}}:{{{{servers.hub.leafnode-port}}}}" }},
                         {{ urls: ["nats://127.0.0.2:{p}?@{{{{servers.hub.host}}}}:{{{{servers.hub.leafnode-port}}}}"] }} ] }}
cluster {{ name: c, routes: ["nats-route://127.0.0.2:{p}/@{{{{servers.hub.host}}}}:{{{{servers.hub.cluster-port}}}}"] }}
'''
links = ["hub"]

[clients.app]
server = "hub"

[[steps]]
do = "connect"
client = "app"
expect = {{ error = "AuthorizationViolation" }}

[fix]
summary = "x"
replace = [ {{ from = "lİsten", to = "no_advertise" }} ]
"#,
        pid = pid.display()
    );
    let file = dir.path().join("hostile.toml");
    std::fs::write(&file, scenario).expect("write");
    let out = natsfault(&["run", &file.display().to_string()], dir.path());
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    for expected in ["leafnodes.lİsten", "remote_syslog", "pİd_file", "expected a URL of a server of this scenario"] {
        assert!(t.contains(expected), "`{expected}` not refused: {t}");
    }
    assert_eq!(t.matches("expected a URL of a server of this scenario").count(), 3, "{t}");
    assert_eq!(canary.connections(), 0, "the canary on 127.0.0.2 was dialled");
    assert!(!pid.exists(), "a pid file was written outside the sandbox");
}

#[test]
fn verify_says_what_ran_the_server_and_what_it_listened_on() {
    let out = natsfault(&["verify", "--contract", "fixtures/team/jetstream/nats-contract.toml"], Path::new("/tmp"));
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("\nconfined: "), "{t}");
    let sockets = t.lines().find(|l| l.starts_with("sockets:")).unwrap_or_else(|| panic!("no sockets line: {t}"));
    assert!(sockets.contains("127.0.0.1:") && !sockets.contains("0.0.0.0"), "{sockets}");
}

#[test]
fn a_contract_written_from_a_jetstream_config_holds_on_both_backends() {
    let root = super::support::root();
    for (config, password) in [
        (root.join("fixtures/team/jetstream/nats.conf"), "orders-js-pass-41d2"),
        (root.join("fixtures/hostile/jetstream.conf"), "app-pass-3c9a"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = natsfault(&["contract", "--from-config", &config.display().to_string()], dir.path());
        assert!(out.status.success(), "{}", text(&out));
        let contract = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(contract.contains("[identities."), "{contract}");
        // The contract names a password file per user, to fill in.
        for line in contract.lines().filter_map(|l| l.strip_prefix("password-file = ")) {
            write(&dir.path().join(line.trim_matches('"')), &format!("{password}\n"));
        }
        write(&dir.path().join("contract.toml"), &contract);
        let contract_path = dir.path().join("contract.toml").display().to_string();
        let config = config.display().to_string();
        for backend in ["process", "container"] {
            let args = ["verify", "--config", &config, "--contract", &contract_path, "--backend", backend];
            let out = natsfault(&args, dir.path());
            assert!(out.status.success(), "{config} on {backend}: {}", text(&out));
            assert!(text(&out).starts_with("holds "), "{}", text(&out));
        }
    }
}

#[test]
fn a_scenario_that_read_natsfaults_environment_still_plays_with_a_warning_and_its_rewrite() {
    // Before the one door, nats-server read `$NAME` from the environment it inherited. Such a file
    // keeps playing for a release: the value is passed explicitly, redacted, with the rewrite.
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = format!(
        "name = \"env\"\ncause = \"no-credentials\"\nsummary = \"x\"\n[server]\nconfig = '''\nauthorization {{ token: ${CANARY_VAR} }}\n'''\n\
         [clients.app]\n[[steps]]\ndo = \"connect\"\nclient = \"app\"\nexpect = {{ error = \"AuthorizationViolation\" }}\n\
         [fix]\nsummary = \"the token\"\nclients.app = {{ token = \"{CANARY_VALUE}\" }}\n"
    );
    let file = dir.path().join("env.toml");
    std::fs::write(&file, scenario).expect("write");
    let out = natsfault(&["run", &file.display().to_string()], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}", text(&out));
    assert!(stderr.contains("warning:") && stderr.contains(&format!("env = [\"{CANARY_VAR}\"]")), "{stderr}");
    assert!(stderr.contains("env.toml:6:24"), "the warning names the reference: {stderr}");
    assert!(!text(&out).contains(CANARY_VALUE), "{}", text(&out));
    // Without the variable in natsfault's environment, the file is refused at the reference.
    let out = Command::new(env!("CARGO_BIN_EXE_natsfault"))
        .args(["check", &file.display().to_string()])
        .env_remove(CANARY_VAR)
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("is not defined in the config"), "{}", text(&out));
}
