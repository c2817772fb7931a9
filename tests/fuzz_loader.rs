//! Fuzzing the scenario loader: `natsfault::spec::load_str` on arbitrary text and on mutated
//! scenario files never panics, and every error it returns names at least one problem, each at a
//! position inside the text (a byte range on character boundaries whose `line:col` is where the
//! range starts). Rendering the error (plain and miette) must not panic either.
//!
//! `cargo test --test fuzz_loader` plays a few cases (`NATSFAULT_FUZZ_CASES`, default 64);
//! `make fuzz` plays until `NATSFAULT_FUZZ_SECONDS` (600) have passed. A failure prints the
//! smallest input proptest shrank it to, as a Rust string literal to paste into a fixture.

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use natsfault::spec::{ScenarioError, line_col, load_str};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Cases played when `NATSFAULT_FUZZ_CASES` is not set.
const DEFAULT_CASES: u64 = 64;
/// Cases per proptest run in a long session (each run starts from a fresh random seed).
const BATCH: u64 = 2_000;

/// Inputs the loader accepted, and inputs it refused (each with at least one problem).
static LOADED: AtomicU64 = AtomicU64::new(0);
static REFUSED: AtomicU64 = AtomicU64::new(0);

/// Fragments that mean something to TOML or to the scenario schema, inserted by mutations.
const SNIPPETS: &[&str] = &[
    "[[steps]]\n",
    "[server]\n",
    "[fix]\n",
    "[clients.app]\n",
    "do = \"connect\"\n",
    "do = \"wait\"\nduration = \"1x\"\n",
    "do = \"await\"\n",
    "client = \"nobody\"\n",
    "subject = \"a..b\"\n",
    "expect = { elapsed = \"2s..1s\" }\n",
    "expect = { error = \"Nope\", within = \"-1s\" }\n",
    "expect = { connections = \"5..1\" }\n",
    "versions = \">=2.1x\"\n",
    "only = \"both\"\n",
    "config = '''\n",
    "'''\n",
    "\"\"\"\n",
    "password = \"{{password.\"\n",
    "{{token.app}}",
    "replace = [ { from = \"zz\", to = \"y\" } ]\n",
    "= ",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\n",
    "\r\n",
    "\t",
    "\\u00e9",
    "é",
    "🦀",
    "\u{feff}",
    "\u{0}",
];

#[test]
fn loader_never_panics_and_points_inside_the_text() {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no scenario files to mutate");
    let budget = Budget::from_env();
    let began = Instant::now();
    let mut played = 0u64;
    while played < budget.cases && budget.seconds.is_none_or(|s| began.elapsed() < s) {
        let cases = (budget.cases - played).min(BATCH);
        let config = Config {
            cases: u32::try_from(cases).unwrap_or(u32::MAX),
            failure_persistence: None,
            max_shrink_iters: 4_096,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        match runner.run(&input(seeds.clone()), |text| check(&text)) {
            Ok(()) => played += cases,
            Err(TestError::Fail(why, text)) => {
                panic!("after {played} cases: {why}\nsmallest input: {text:?}")
            }
            Err(TestError::Abort(why)) => panic!("after {played} cases: aborted: {why}"),
        }
    }
    if budget.seconds.is_some() {
        eprintln!(
            "fuzz_loader: {played} cases in {:.0}s, no panic: {} loaded, {} refused with positions",
            began.elapsed().as_secs_f64(),
            LOADED.load(Ordering::Relaxed),
            REFUSED.load(Ordering::Relaxed)
        );
    }
}

/// Arbitrary text, TOML-looking text, and mutated scenario files (most of the cases: they get
/// past the syntax and into the schema and the checks).
fn input(seeds: Vec<String>) -> impl Strategy<Value = String> {
    let mutated = (prop::sample::select(seeds), prop::collection::vec(mutation(), 1..8))
        .prop_map(|(seed, ms)| ms.iter().fold(seed, |text, m| m.apply(&text)));
    prop_oneof![
        1 => any::<String>(),
        1 => "[a-z\\[\\]{}=\"',.#:0-9 \\n-]{0,300}",
        6 => mutated,
    ]
}

/// One edit of a scenario file, at a position chosen among its characters.
#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: Index, len: usize },
    Insert { at: Index, text: String },
    Replace { at: Index, len: usize, text: String },
    DuplicateLine { at: Index },
    SwapLines { a: Index, b: Index },
    Truncate { at: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop_oneof![3 => prop::sample::select(SNIPPETS).prop_map(str::to_string), 1 => any::<String>()];
    prop_oneof![
        (any::<Index>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<Index>(), text.clone()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<Index>(), 1..20usize, text).prop_map(|(at, len, text)| Mutation::Replace { at, len, text }),
        any::<Index>().prop_map(|at| Mutation::DuplicateLine { at }),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<Index>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

impl Mutation {
    /// The text after this edit; edits work on characters, so the result is valid UTF-8.
    fn apply(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let pos = |i: &Index| if chars.is_empty() { 0 } else { i.index(chars.len() + 1) };
        let joined = |parts: &[&[char]]| parts.iter().flat_map(|p| p.iter()).collect::<String>();
        match self {
            Mutation::Delete { at, len } => {
                let s = pos(at);
                let e = (s + len).min(chars.len());
                joined(&[&chars[..s], &chars[e..]])
            }
            Mutation::Insert { at, text } => {
                let s = pos(at);
                let ins: Vec<char> = text.chars().collect();
                joined(&[&chars[..s], &ins, &chars[s..]])
            }
            Mutation::Replace { at, len, text } => {
                let s = pos(at);
                let e = (s + len).min(chars.len());
                let ins: Vec<char> = text.chars().collect();
                joined(&[&chars[..s], &ins, &chars[e..]])
            }
            Mutation::DuplicateLine { at } => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = at.index(lines.len());
                    lines.insert(i, lines[i]);
                }
                lines.concat()
            }
            Mutation::SwapLines { a, b } => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let (i, j) = (a.index(lines.len()), b.index(lines.len()));
                    lines.swap(i, j);
                }
                lines.concat()
            }
            Mutation::Truncate { at } => chars[..pos(at)].iter().collect(),
        }
    }
}

/// The property: no panic; an error has problems, each inside the text.
fn check(text: &str) -> Result<(), TestCaseError> {
    let Err(err) = load_str(Path::new("fuzz.toml"), text) else {
        LOADED.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    REFUSED.fetch_add(1, Ordering::Relaxed);
    prop_assert!(!err.problems.is_empty(), "an error without a problem: {}", err);
    for p in &err.problems {
        let (start, len) = (p.span.offset(), p.span.len());
        prop_assert!(
            start + len <= text.len(),
            "problem `{}` spans {}..{} of a {}-byte text",
            p.message,
            start,
            start + len,
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(start) && text.is_char_boundary(start + len),
            "problem `{}` spans {}..{}, not on character boundaries",
            p.message,
            start,
            start + len
        );
        prop_assert_eq!((p.line, p.column), line_col(text, start), "position of `{}`", p.message);
        prop_assert!(!p.message.trim().is_empty(), "a problem without a message at {}..{}", start, start + len);
    }
    render(text, &err)?;
    Ok(())
}

/// Both renderings must work: the plain one names every position, miette's must not panic.
fn render(text: &str, err: &ScenarioError) -> Result<(), TestCaseError> {
    let plain = err.plain();
    for p in &err.problems {
        let at = format!("fuzz.toml:{}:{}: ", p.line, p.column);
        prop_assert!(plain.contains(&at), "plain rendering lacks `{}`", at);
    }
    let again = ScenarioError::new(Path::new("fuzz.toml"), text, err.problems.clone());
    let shown = format!("{:?}", miette::Report::new(again));
    prop_assert!(shown.contains("fuzz.toml"), "miette rendering lacks the file name");
    Ok(())
}

/// Every scenario file and every invalid-scenario fixture: the mutations start from these.
fn seeds() -> Vec<String> {
    let root = support::root();
    let mut out = Vec::new();
    for dir in ["scenarios", "fixtures/invalid-scenarios"] {
        collect(&root.join(dir), &mut out);
    }
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml")
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push(text);
        }
    }
}

/// How much to play: `NATSFAULT_FUZZ_CASES` cases, stopping early after `NATSFAULT_FUZZ_SECONDS`.
struct Budget {
    cases: u64,
    seconds: Option<Duration>,
}

impl Budget {
    fn from_env() -> Budget {
        let number = |name: &str| -> Option<u64> {
            let v = std::env::var(name).ok()?;
            Some(v.trim().parse().unwrap_or_else(|_| panic!("{name}: expected a whole number, found `{v}`")))
        };
        let seconds = number("NATSFAULT_FUZZ_SECONDS").map(Duration::from_secs);
        // A time budget alone means: as many cases as fit.
        let cases = number("NATSFAULT_FUZZ_CASES").unwrap_or(if seconds.is_some() { u64::MAX } else { DEFAULT_CASES });
        Budget { cases, seconds }
    }
}
