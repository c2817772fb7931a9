//! `natsfault diagnose --password-file` and `--token-file`: the secret is read from a file (its
//! trailing line end dropped), never printed; a missing or empty file, or the flag together with
//! `--password`/`--token`, is bad input.

use super::{natsfault, text};

const USERS: &str = "fixtures/diagnose/no-credentials/users.conf";
const TOKEN: &str = "fixtures/diagnose/no-credentials/token.conf";

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf-8").to_string()
}

#[test]
fn password_file_with_a_trailing_newline_is_the_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = file(&dir, "app.pass", "app-Pass-1234\n");
    let out = natsfault(&["diagnose", "--config", USERS, "--user", "app", "--password-file", &pass], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("verdict: works"), "{t}");
    assert!(!t.contains("app-Pass-1234"), "{t}");
    let wrong = file(&dir, "wrong.pass", "not-Adm-Pass\r\n");
    let out = natsfault(&["diagnose", "--config", USERS, "--user", "admin", "--password-file", &wrong], &[]);
    let t = text(&out);
    assert!(t.contains("detail:  wrong-password"), "{t}");
    assert!(!t.contains("not-Adm-Pass"), "{t}");
}

#[test]
fn token_file_is_the_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = file(&dir, "t", "tok-Secret-abcdef\n");
    let out = natsfault(&["diagnose", "--config", TOKEN, "--token-file", &token], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("verdict: works") && !t.contains("tok-Secret-abcdef"), "{t}");
}

#[test]
fn missing_or_empty_secret_files_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.pass");
    let missing = missing.to_str().expect("utf-8");
    let out = natsfault(&["diagnose", "--config", USERS, "--user", "app", "--password-file", missing], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        format!(
            "natsfault: --password-file: cannot read password file `{missing}`: no such file or directory (os error 2)\n"
        )
    );
    let empty = file(&dir, "empty.token", "\n");
    let out = natsfault(&["diagnose", "--config", TOKEN, "--token-file", &empty], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err, format!("natsfault: token file `{empty}` is empty; expected the token on its first line\n"));
}

#[test]
fn a_secret_file_conflicts_with_the_secret_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = file(&dir, "p", "x\n");
    let out =
        natsfault(&["diagnose", "--config", USERS, "--user", "app", "--password", "y", "--password-file", &pass], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("cannot be used with"), "{}", text(&out));
    let out = natsfault(&["diagnose", "--config", TOKEN, "--token", "y", "--token-file", &pass], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = natsfault(&["diagnose", "--config", USERS, "--user", "app"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("`--user app` needs `--password` or `--password-file`"), "{}", text(&out));
}
