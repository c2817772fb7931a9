//! Literal secrets of every kind planted in scenario files (server config, clients,
//! expectations, fix summary; a passing, a failing, a refused and two invalid scenarios) and in
//! a customer's configs (main and included files, a bare password line, an included seed file),
//! played through every output of the command: `run` in each format, `list`, `check`, `diagnose`
//! human and JSON, `--emit-scenario`, and the error messages. None of them may appear.

use std::path::{Path, PathBuf};

use natsfault::credentials::keys;

use super::{natsfault, text};

/// Literal secrets of every kind, unique to this test.
struct Planted {
    password: &'static str,
    client_password: &'static str,
    token: &'static str,
    client_token: &'static str,
    service_password: &'static str,
    bcrypt: &'static str,
    pem_body: &'static str,
    user_seed: String,
    issuer_seed: String,
    xkey_seed: String,
    sign_seed: String,
}

const PEM_BODY: &str = "MHcCAQEEIPemBodyLine0123456789abcdefABCDEFxyz";

/// A seed-shaped value of the curve role (`SX...`): the rules must know it by its shape.
fn xkey_seed_shape() -> String {
    let user = keys::user().seed().to_string();
    format!("SX{}", &user[2..])
}

impl Planted {
    fn new() -> Planted {
        Planted {
            password: "ConfPw-Lit-7391q",
            client_password: "CliPw-Wrong-4410",
            token: "TokLit-5528-xyzw",
            client_token: "CliTok-8812-abcd",
            service_password: "SvcPw-Lit-2207k",
            bcrypt: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy",
            pem_body: PEM_BODY,
            user_seed: keys::user().seed().to_string(),
            issuer_seed: keys::account().seed().to_string(),
            xkey_seed: xkey_seed_shape(),
            sign_seed: keys::user().seed().to_string(),
        }
    }

    fn pem(&self) -> String {
        format!("-----BEGIN EC PRIVATE KEY-----\\n{}\\n-----END EC PRIVATE KEY-----", self.pem_body)
    }

    fn values(&self) -> Vec<&str> {
        vec![
            self.password,
            self.client_password,
            self.token,
            self.client_token,
            self.service_password,
            // The hash's salt and digest, without the `$2a$11$` prefix any text may hold.
            &self.bcrypt[7..],
            self.pem_body,
            &self.user_seed,
            &self.issuer_seed,
            &self.xkey_seed,
            &self.sign_seed,
        ]
    }

    /// Fills `@NAME@` markers of a template.
    fn fill(&self, template: &str) -> String {
        template
            .replace("@PASSWORD@", self.password)
            .replace("@CLIENT_PASSWORD@", self.client_password)
            .replace("@TOKEN@", self.token)
            .replace("@CLIENT_TOKEN@", self.client_token)
            .replace("@SERVICE_PASSWORD@", self.service_password)
            .replace("@BCRYPT@", self.bcrypt)
            .replace("@PEM@", &self.pem())
            .replace("@PEM_BODY@", self.pem_body)
            .replace("@USER_SEED@", &self.user_seed)
            .replace("@ISSUER_SEED@", &self.issuer_seed)
            .replace("@XKEY_SEED@", &self.xkey_seed)
            .replace("@SIGN_SEED@", &self.sign_seed)
    }

    fn assert_clean(&self, what: &str, output: &str) {
        for v in self.values() {
            assert!(!output.contains(v), "{what}: a planted secret (`{}...`) is in the output:\n{output}", &v[..4]);
        }
    }
}

const PASSING: &str = r#"
name = "literal secrets that pass"
cause = "no-credentials"
summary = "a literal password used as a user name reaches the server log"

[server]
config = '''
authorization {
  users = [
    { user: app, password: "@PASSWORD@" },
    { user: hashed, password: "@BCRYPT@" },
  ]
}
'''

[clients.app]
user = "app"
password = "@PASSWORD@"

[clients.leak]
user = "@PASSWORD@"
password = "@CLIENT_PASSWORD@"

[[steps]]
do = "connect"
client = "leak"
expect = { error = "AuthorizationViolation", log = 'authentication error' }

[[steps]]
do = "connect"
client = "app"

[fix]
summary = "send user app with @PASSWORD@, not @CLIENT_PASSWORD@"
clients.leak = { user = "app", password = "@PASSWORD@" }
"#;

const FAILING: &str = r#"
name = "literal secrets that fail: @TOKEN@"
cause = "no-credentials"
summary = "every expectation quotes a secret and none holds"

[server]
config = '''
authorization {
  token: "@TOKEN@"
}
'''

[clients.tok]
token = "@CLIENT_TOKEN@"

[[steps]]
do = "connect"
client = "tok"
expect = { error = "AuthorizationViolation", server-err = '@TOKEN@ is wrong @PEM@', log = 'no line has @BCRYPT@', reason = '@USER_SEED@' }

[fix]
summary = "send @TOKEN@ instead of @CLIENT_TOKEN@ (seed @USER_SEED@, hash @BCRYPT@, key @PEM@)"
clients.tok = { token = "@TOKEN@" }
"#;

const REFUSED: &str = r#"
name = "literal seeds the server refuses"
cause = "nkey-mismatch"
summary = "seeds written where public keys belong"

[server]
config = '''
authorization {
  users = [ { nkey: @USER_SEED@ } ]
  auth_callout { issuer: @ISSUER_SEED@, xkey: @XKEY_SEED@, account: AUTH, auth_users: [svc] }
}
accounts { AUTH { users = [ { user: svc, password: "@SERVICE_PASSWORD@" } ] } }
'''

[clients.cb]
auth-callback = { sign-with = "@SIGN_SEED@" }

[[steps]]
do = "connect"
client = "cb"
expect = { error = "AuthorizationViolation" }

[fix]
summary = "write public keys; the service password is @SERVICE_PASSWORD@"
config = '''
accounts { AUTH { users = [ { user: svc, password: "@SERVICE_PASSWORD@" } ] } }
'''
clients.cb = { user = "svc", password = "@SERVICE_PASSWORD@" }
"#;

/// Valid TOML, invalid scenario: the snippet around the unknown key shows the secrets' lines.
const INVALID: &str = r#"
name = "invalid"
cause = "no-credentials"
summary = "s"

[server]
config = '''
authorization { users = [ { user: app, password: "@PASSWORD@" }, { user: h, password: "@BCRYPT@" } ] }
'''

[clients.app]
user = "app"
password = "@CLIENT_PASSWORD@"
tokn = "@CLIENT_TOKEN@"
token = "@TOKEN@"
auth-callback = { sign-with = "@SIGN_SEED@" }

[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation", log = '@PEM@' }
"#;

/// Not even TOML: an unclosed string right after the secrets.
const SYNTAX: &str = r#"
[clients.app]
password = "@PASSWORD@"
token = "@TOKEN@"
seed = "@USER_SEED@"
name = "unclosed
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn no_planted_secret_reaches_any_output_of_run_list_or_check() {
    let planted = Planted::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = write(dir.path(), "pass.toml", &planted.fill(PASSING));
    let fail = write(dir.path(), "fail.toml", &planted.fill(FAILING));
    let refused = write(dir.path(), "refused.toml", &planted.fill(REFUSED));
    let runs = [s(&pass), s(&fail), s(&refused)];

    let check = natsfault(&["check", runs[0], runs[1], runs[2]], &[]);
    assert_eq!(check.status.code(), Some(0), "the planted scenarios are valid: {}", text(&check));
    for format in ["human", "json", "junit"] {
        let mut args = vec!["run", "--format", format];
        args.extend(runs);
        let out = natsfault(&args, &[]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(1), "two scenarios fail: {t}");
        let marker = if format == "junit" { "&lt;redacted&gt;" } else { "<redacted>" };
        assert!(t.contains(marker), "{format}: the secrets were there to redact: {t}");
        planted.assert_clean(&format!("run --format {format}"), &t);
    }
    let human = text(&natsfault(&["run", runs[1], runs[2]], &[]));
    assert!(human.contains("refused (exit 1)"), "the refusal is reported: {human}");
    assert!(human.contains("expected: -ERR '<redacted> is wrong <redacted>'"), "{human}");
    for format in ["human", "json"] {
        let out = natsfault(&["list", "--format", format, runs[0], runs[1], runs[2]], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        planted.assert_clean(&format!("list --format {format}"), &text(&out));
    }

    let invalid = write(dir.path(), "invalid.toml", &planted.fill(INVALID));
    let syntax = write(dir.path(), "syntax.toml", &planted.fill(SYNTAX));
    for file in [&invalid, &syntax] {
        for command in ["check", "run", "list"] {
            let out = natsfault(&[command, s(file)], &[]);
            let t = text(&out);
            assert_eq!(out.status.code(), Some(2), "{command} refuses {}: {t}", file.display());
            assert!(t.contains("invalid scenario file"), "{t}");
            planted.assert_clean(&format!("{command} {}", file.display()), &t);
        }
    }
    let snippet = text(&natsfault(&["check", s(&invalid)], &[]));
    assert!(snippet.contains("unknown field `tokn`"), "the problem is shown: {snippet}");
    assert!(snippet.contains("password = \"<redacted>\""), "the snippet shows the lines, redacted: {snippet}");
}

/// A customer's files: `(name, text)`.
fn customer(dir: &Path, files: &[(&str, String)]) {
    for (name, text) in files {
        write(dir, name, text);
    }
}

#[test]
fn no_planted_secret_reaches_any_output_of_diagnose() {
    let planted = Planted::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let seed = planted.user_seed.clone();
    customer(
        d,
        &[
            ("seed.nk", format!("{seed}\n")),
            ("includes-seed.conf", planted.fill("port: 4222\ninclude \"seed.nk\"\n")),
            (
                "bare-password.conf",
                planted.fill("authorization {\n  token: \"@TOKEN@\"\n  ConfBare-Pw77x\n}\n"),
            ),
            (
                "bare-top.conf",
                planted.fill("port: 4222\nConfBare-Pw77x\nauthorization { users = [ {user: app, password: \"@PASSWORD@\"} ] }\n"),
            ),
            (
                "auth.conf",
                planted.fill(
                    "authorization {\n  users = [\n    { user: app, password: \"@PASSWORD@\" }\n    { user: svc, password: \"@SERVICE_PASSWORD@\" }\n    { user: hashed, password: \"@BCRYPT@\" }\n  ]\n}\n",
                ),
            ),
            ("main.conf", "port: 4222\ninclude \"auth.conf\"\n".to_string()),
            ("refused.conf", planted.fill("authorization { token: \"@TOKEN@\" }\nmax_connectionz: 100\n")),
        ],
    );
    let p = |name: &str| d.join(name).to_string_lossy().into_owned();
    let emitted = d.join("emitted.toml");
    let cases: Vec<(Vec<String>, Option<i32>)> = vec![
        (vec!["--config".into(), p("includes-seed.conf")], Some(2)),
        (vec!["--config".into(), p("bare-password.conf"), "--token".into(), planted.token.into()], Some(2)),
        (vec!["--config".into(), p("bare-top.conf")], Some(2)),
        (
            vec![
                "--config".into(),
                p("main.conf"),
                "--user".into(),
                "app".into(),
                "--password".into(),
                planted.client_password.into(),
                "--publish".into(),
                "orders.new".into(),
                "--emit-scenario".into(),
                emitted.to_string_lossy().into_owned(),
            ],
            Some(0),
        ),
        (vec!["--config".into(), p("refused.conf"), "--token".into(), planted.token.into()], Some(2)),
    ];
    for (args, code) in &cases {
        for format in ["human", "json"] {
            let mut all = vec!["diagnose", "--format", format];
            all.extend(args.iter().map(String::as_str));
            let out = natsfault(&all, &[]);
            let t = text(&out);
            assert_eq!(out.status.code(), *code, "{all:?}: {t}");
            planted.assert_clean(&format!("{all:?}"), &t);
            assert!(!t.contains("ConfBare-Pw77x"), "{all:?}: the bare password line is quoted: {t}");
        }
    }
    let scenario = std::fs::read_to_string(&emitted).expect("the scenario was emitted");
    planted.assert_clean("--emit-scenario", &scenario);
    assert!(scenario.contains("[[steps]]"), "{scenario}");
    let check = natsfault(&["check", s(&emitted)], &[]);
    assert_eq!(check.status.code(), Some(0), "the emitted scenario is valid: {}", text(&check));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&emitted).expect("emitted").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the emitted scenario is owner-only");
}
