//! The rewrite's line map against the real server: a config with one bad value below keys the
//! sandbox removes is checked twice with `nats-server -t`, as written and rewritten; the
//! position the server names in the rewritten file, mapped back, must be the one it names in
//! the original.

use std::path::Path;

use natsfault::natsconf::{Config, ParseOptions, SandboxOptions, SandboxPlan, sandbox};

/// The server's first `FILE:LINE:COL: ` position, with the file name only.
fn position(output: &str) -> Option<(String, u32, u32)> {
    let line = output.lines().find(|l| l.contains(".conf:"))?;
    let head = line.trim_start_matches("nats-server: ").split(": ").next()?;
    let mut parts = head.rsplitn(3, ':');
    let (col, line, file) = (parts.next()?, parts.next()?, parts.next()?);
    let name = Path::new(file).file_name()?.to_string_lossy().into_owned();
    Some((name, line.parse().ok()?, col.parse().ok()?))
}

fn mapped(plan: &SandboxPlan, (file, line, col): (String, u32, u32)) -> String {
    let planned = plan.config_files.iter().find(|f| f.path.file_name().is_some_and(|n| n == file.as_str()));
    let planned = planned.unwrap_or_else(|| panic!("no rewritten file `{file}`"));
    let at = planned.lines.source(line, col).unwrap_or_else(|| panic!("{file}:{line}:{col} maps nowhere"));
    let name = at.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{name}:{}:{}", at.line, at.column)
}

fn check_case(files: &[(&str, &str)]) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = tmp.path().join("src").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let server = crate::common::nats_server();
    let main = tmp.path().join("src/nats.conf");
    let original = crate::common::check(&server, &main, &tmp.path().join("src"));
    let (file, line, col) = position(&original.output).unwrap_or_else(|| panic!("no position: {}", original.output));
    let config = Config::parse_file(&main, &ParseOptions::default()).unwrap();
    let plan = sandbox(&config, &SandboxOptions::new(tmp.path().join("sbx"))).unwrap();
    plan.write().unwrap();
    let rewritten = crate::common::check(&server, &plan.main, tmp.path());
    let at = position(&rewritten.output).unwrap_or_else(|| panic!("no position: {}", rewritten.output));
    assert_ne!(at.1, line, "the rewrite should move the line: {}", files[0].1);
    assert_eq!(mapped(&plan, at), format!("{file}:{line}:{col}"), "{}", rewritten.output);
}

#[test]
fn a_value_at_the_top_level() {
    check_case(&[("nats.conf", "# x\nport: 4222\nhttp_port: 8222\n\n  max_payload: \"lots\"\n")]);
}

#[test]
fn a_value_in_a_block() {
    check_case(&[(
        "nats.conf",
        "# x\nlisten: 127.0.0.1:4222\ncluster {\n  port: 6222\n}\nauthorization {\n  token: t\n\n    timeout: \"zz\"\n}\n",
    )]);
}

#[test]
fn a_value_in_an_included_file() {
    check_case(&[
        ("nats.conf", "# x\nport: 4222\ninclude ./more.conf\n"),
        ("more.conf", "# y\npid_file: \"/tmp/x.pid\"\nlog_file: \"/tmp/x.log\"\nping_interval: \"forever\"\n"),
    ]);
}

#[test]
fn a_value_after_a_folded_removed_key() {
    check_case(&[(
        "nats.conf",
        "# x\np\u{130}d_file: \"/tmp/x.pid\"\nwebsoc\u{212a}et {\n  port: 1\n}\nmax_connections: \"x\"\n",
    )]);
}

#[test]
fn an_unknown_key_in_a_user_entry() {
    check_case(&[(
        "nats.conf",
        "# x\nport: 4222\naccounts {\n  A {\n    users: [\n      {user: a, password: b}\n      {user: c, password: d, colour: red}\n    ]\n  }\n}\n",
    )]);
}
