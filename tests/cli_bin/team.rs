//! `verify`, `contract --from-config` and `run --partition` as a CI job runs them: exit codes,
//! the broken line with its position, the secrets kept out.

use super::{natsfault, support, text};

#[test]
fn verify_exits_0_when_every_line_holds() {
    let o = natsfault(&["verify", "--contract", "fixtures/team/config/nats-contract.toml"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).starts_with("holds  fixtures/team/config/nats.conf on nats-server"), "{}", text(&o));
}

#[test]
fn verify_exits_1_on_a_broken_line_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let contract = dir.path().join("c.toml");
    let config = support::root().join("fixtures/team/config");
    std::fs::write(
        &contract,
        format!(
            "config = \"{}/nats.conf\"\n[identities.billing]\nuser = \"billing\"\npassword-file = \"{}/secrets/billing.pass\"\ncan = [\"publish orders.created\"]\n",
            config.display(),
            config.display()
        ),
    )
    .expect("write");
    let o = natsfault(&["verify", "--contract", &contract.display().to_string()], &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains(&format!("broken  {}:5:9  billing can publish orders.created", contract.display())), "{out}");
    assert!(out.contains("`publish.deny` `orders.>` of user `billing` of account `SHOP`"), "{out}");
    assert!(out.contains("accounts.conf:10:51 refuses it"), "{out}");
    assert!(!out.contains("billing-pass-9c1d"), "{out}");
}

#[test]
fn verify_exits_2_on_a_bad_contract_with_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let contract = dir.path().join("c.toml");
    std::fs::write(&contract, "[identities.a]\nuser = \"a\"\ncan = [\"publish a.>\"]\n").expect("write");
    let o = natsfault(
        &["verify", "--config", "fixtures/team/config/nats.conf", "--contract", &contract.display().to_string()],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("expected a subject without wildcards after `publish`, found `a.>`"), "{}", text(&o));
    assert!(text(&o).contains("c.toml:3:"), "{}", text(&o));
}

#[test]
fn contract_from_config_writes_a_contract_that_holds_once_the_passwords_are_in_place() {
    let o = natsfault(&["contract", "--from-config", "fixtures/team/config/nats.conf"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("[identities.billing]\nuser = \"billing\"\n# the password of `billing`, one line, in this file (keep it out of the repository)\npassword-file = \"secrets/billing.pass\""),
        "{out}"
    );
    assert!(out.contains("cannot = [\n  \"publish orders.x\",\n]"), "{out}");
    assert!(!out.contains("billing-pass-9c1d"), "{out}");
    // Beside the config, where its `secrets/` are, it holds as written.
    let path = support::root().join("fixtures/team/config/from-config.toml");
    let _ = std::fs::remove_file(&path);
    std::fs::write(&path, out.replace("config = \"fixtures/team/config/nats.conf\"", "config = \"nats.conf\""))
        .expect("write");
    let v = natsfault(&["verify", "--contract", "fixtures/team/config/from-config.toml"], &[]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
}

#[test]
fn partitions_share_the_files_like_nextest_count() {
    let list = |share: &str| {
        let o = natsfault(&["run", "scenarios/no-credentials", "--partition", share, "--format", "json"], &[]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v.as_array()
            .expect("array")
            .iter()
            .map(|r| r["file"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let (a, b) = (list("1/2"), list("count:2/2"));
    let mut all: Vec<String> = a.iter().chain(&b).cloned().collect();
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "no file in both shares: {a:?} {b:?}");
    assert!(a.len().abs_diff(b.len()) <= 1, "{a:?} {b:?}");
    let bad = natsfault(&["run", "--partition", "3/2"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("expected `M/N` with 1 <= M <= N (e.g. `1/4`), found `3/2`"), "{}", text(&bad));
}

#[test]
fn contract_from_config_in_operator_mode_makes_identities_from_the_creds_files_given() {
    let op = support::root().join("fixtures/team/operator");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("c.toml");
    let (config, orders, billing) =
        (op.join("nats.conf"), op.join("creds/orders.creds"), op.join("creds/billing.creds"));
    let args = |extra: &[String]| {
        let mut a: Vec<String> = ["contract", "--from-config"].iter().map(|s| s.to_string()).collect();
        a.push(config.display().to_string());
        a.extend(extra.iter().cloned());
        a
    };
    let creds = |p: &std::path::Path| ["--creds".to_string(), p.display().to_string()];
    let mut extra: Vec<String> = creds(&orders).into_iter().chain(creds(&billing)).collect();
    extra.extend(["--output".to_string(), out.display().to_string()]);
    let a = args(&extra);
    let o = natsfault(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let written = std::fs::read_to_string(&out).expect("contract written");
    assert!(written.contains(&format!("[identities.billing]\ncreds-file = \"{}\"", billing.display())), "{written}");
    assert!(written.contains("cannot = [\n  \"publish orders.x\",\n]"), "{written}");
    assert!(!written.contains("SU"), "no seed in the contract: {written}");
    // The contract it wrote holds on the config it was written from.
    let v = natsfault(&["verify", "--contract", &out.display().to_string()], &[]);
    assert_eq!(v.status.code(), Some(0), "{}\n{written}", text(&v));
    // A file that is not a creds file is bad input, named.
    let bad = dir.path().join("bad.creds");
    std::fs::write(&bad, "not a creds file\n").expect("write");
    let a = args(&creds(&bad));
    let o = natsfault(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains(&format!("creds file `{}`: expected a creds file", bad.display())), "{}", text(&o));
}
