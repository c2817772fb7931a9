//! Team configs and the changes a colleague makes to them, verified as a team would: each
//! folder of `fixtures/team/corpus/` holds a config (with includes), its contract and
//! `changes.toml`. The clean config must hold every line; each change must break exactly the
//! lines it names, with an explanation that names the config file and line responsible, or be
//! refused by the server at the position it names.
//!
//! `changes.toml`:
//!
//! ```toml
//! base = "../../operator"          # optional: a folder copied first, this one over it
//! [[change]]
//! what = "a narrowed grant"
//! file = "accounts.conf"            # the file changed, in the copied folder
//! from = '...'                      # the text replaced (exactly once), or
//! from_line = "..."                 # the one line containing this text, removed whole
//! to = '...'
//! breaks = ["orders can publish orders.created -> billing"]   # every broken line
//! names = "accounts.conf:5"         # in the first of them's explanation
//! # or, for a config nats-server refuses:
//! refused = "accounts.conf:10"
//! ```

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use natsfault::backend::ProcessBackend;
use natsfault::contract::{Outcome, VerifyError, VerifyReport, load_contract, render_human, verify};
use natsfault::door::load_config_file;
use natsfault::redact::Secrets;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Changes {
    base: Option<String>,
    change: Vec<Change>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    what: String,
    file: String,
    from: Option<String>,
    from_line: Option<String>,
    to: String,
    #[serde(default)]
    breaks: Vec<String>,
    names: Option<String>,
    refused: Option<String>,
}

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/team/corpus");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("corpus").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "expected the corpus folders under {}", root.display());
    dirs
}

/// The corpus folder in a temp folder (its `base` first), and its changes.
fn checkout(dir: &Path) -> (tempfile::TempDir, Changes) {
    let changes: Changes = toml::from_str(&std::fs::read_to_string(dir.join("changes.toml")).expect("changes.toml"))
        .expect("changes.toml");
    let tmp = tempfile::tempdir().expect("temp dir");
    if let Some(base) = &changes.base {
        support::copy_dir(&dir.join(base), tmp.path());
    }
    support::copy_dir(dir, tmp.path());
    (tmp, changes)
}

async fn play(dir: &Path) -> Result<VerifyReport, String> {
    let contract = load_contract(&dir.join("nats-contract.toml")).map_err(|e| format!("{e:?}"))?;
    let deployed = load_config_file(&dir.join("nats.conf")).map_err(|e| e.to_string())?;
    match verify(&contract, &deployed, &ProcessBackend, support::version(), &Secrets::new()).await {
        Ok(r) => Ok(r),
        Err(VerifyError::Refused(m)) => Err(m),
        Err(e) => panic!("verify could not play {}: {e}", dir.display()),
    }
}

fn apply(dir: &Path, c: &Change) {
    let path = dir.join(&c.file);
    let text = std::fs::read_to_string(&path).expect("changed file");
    let changed = match (&c.from, &c.from_line) {
        (Some(from), None) => {
            assert_eq!(text.matches(from.as_str()).count(), 1, "`{}`: `from` must occur once in {}", c.what, c.file);
            text.replacen(from.as_str(), &c.to, 1)
        }
        (None, Some(needle)) => {
            let lines: Vec<&str> = text.lines().collect();
            let hits = lines.iter().filter(|l| l.contains(needle.as_str())).count();
            assert_eq!(hits, 1, "`{}`: `from_line` must match one line of {}", c.what, c.file);
            lines.iter().filter(|l| !l.contains(needle.as_str())).map(|l| format!("{l}\n")).collect()
        }
        _ => panic!("`{}`: expected one of `from` and `from_line`", c.what),
    };
    std::fs::write(&path, changed).expect("write change");
}

/// `names` as a position: `accounts.conf:5` matches `accounts.conf:5:30`, not `accounts.conf:50`.
fn names_position(text: &str, names: &str) -> bool {
    text.match_indices(names).any(|(i, _)| {
        let rest = &text[i + names.len()..];
        !rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

fn broken_lines(r: &VerifyReport) -> BTreeSet<String> {
    r.lines
        .iter()
        .filter(|l| l.outcome == Outcome::Broken)
        .map(|l| format!("{} {} {}", l.line.identity, if l.line.must_work { "can" } else { "cannot" }, l.line.text))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_clean_config_holds_and_every_change_breaks_what_it_should() {
    let mut failures = Vec::new();
    let mut played = 0;
    for dir in corpus() {
        let name = dir.file_name().expect("name").to_string_lossy().into_owned();
        let (clean, changes) = checkout(&dir);
        match play(clean.path()).await {
            Ok(r) if r.lines.iter().all(|l| l.outcome == Outcome::Holds) => {}
            Ok(r) => failures.push(format!("{name}: the clean config does not hold:\n{}", render_human(&r))),
            Err(e) => failures.push(format!("{name}: the clean config was refused: {e}")),
        }
        for c in &changes.change {
            played += 1;
            let (tmp, _) = checkout(&dir);
            apply(tmp.path(), c);
            let what = format!("{name}: {}", c.what);
            match (play(tmp.path()).await, &c.refused) {
                (Err(message), Some(at)) if names_position(&message, at) => {}
                (Err(message), Some(at)) => failures.push(format!("{what}: refused, but not at `{at}`: {message}")),
                (Err(message), None) => failures.push(format!("{what}: refused: {message}")),
                (Ok(r), Some(at)) => {
                    failures.push(format!("{what}: expected a refusal at `{at}`, it played:\n{}", render_human(&r)))
                }
                (Ok(r), None) => {
                    let expected: BTreeSet<String> = c.breaks.iter().cloned().collect();
                    let got = broken_lines(&r);
                    if got != expected {
                        failures
                            .push(format!("{what}: expected broken {expected:?}, got {got:?}\n{}", render_human(&r)));
                        continue;
                    }
                    let first = c.breaks.first().expect("a change breaks a line");
                    let line = r.lines.iter().find(|l| {
                        format!(
                            "{} {} {}",
                            l.line.identity,
                            if l.line.must_work { "can" } else { "cannot" },
                            l.line.text
                        ) == *first
                    });
                    let because = line.and_then(|l| l.because.clone()).unwrap_or_default();
                    let names = c.names.as_deref().expect("`names` with `breaks`");
                    if !names_position(&because, names) {
                        failures.push(format!("{what}: `{first}` is explained without `{names}`: {because}"));
                    }
                }
            }
        }
    }
    assert!(played >= 15, "expected at least 15 changes in the corpus, found {played}");
    assert!(failures.is_empty(), "{} of the corpus went wrong:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// `contract --from-config` on each config of the corpus (not operator mode: its users are in
/// creds files) drafts a contract that holds once the passwords are in place: the allow and deny
/// lists, the requests and replies `allow_responses` promises, and what each import brings
/// across between two users.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drafted_contract_holds_on_the_config_it_was_drafted_from() {
    let mut failures = Vec::new();
    for dir in corpus() {
        let (tmp, changes) = checkout(&dir);
        if changes.base.is_some() {
            continue;
        }
        let name = dir.file_name().expect("name").to_string_lossy().into_owned();
        let config = natsfault::natsconf::Config::parse_file(
            tmp.path().join("nats.conf"),
            &natsfault::natsconf::ParseOptions::default(),
        )
        .expect("config");
        let draft = natsfault::contract::contract_from_config_in(&config, "nats.conf", "secrets");
        std::fs::write(tmp.path().join("nats-contract.toml"), &draft).expect("write draft");
        match play(tmp.path()).await {
            Ok(r) if r.lines.iter().all(|l| l.outcome == Outcome::Holds) => {}
            Ok(r) => failures.push(format!("{name}: the draft does not hold:\n{}\n{draft}", render_human(&r))),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        if name == "marketplace" {
            for line in [
                "request pay.charge -> billing",
                "reply pay.charge x1",
                "reply pay.charge x2",
                "publish orders.x -> billing",
                "queue inventory.> stock",
            ] {
                if !draft.contains(&format!("\"{line}\"")) {
                    failures.push(format!("{name}: the draft lacks `{line}`:\n{draft}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
