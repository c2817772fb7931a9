//! Fuzzing helpers shared by the fuzz tests: text mutations, the case budget, and the driver
//! that plays a strategy in batches until the budget is spent.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Cases played when `NATSFAULT_FUZZ_CASES` is not set.
const DEFAULT_CASES: u64 = 64;
/// Cases per proptest run in a long session (each run starts from a fresh random seed).
const BATCH: u64 = 2_000;

/// Plays `strategy` against `check` until the budget (`NATSFAULT_FUZZ_CASES`,
/// `NATSFAULT_FUZZ_SECONDS`) is spent; panics with the smallest failing input. Returns the
/// cases played and the seconds it took.
pub fn drive<S>(strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>) -> (u64, f64)
where
    S: Strategy + Clone,
    <S::Tree as ValueTree>::Value: std::fmt::Debug,
{
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
        match runner.run(&strategy, &check) {
            Ok(()) => played += cases,
            Err(TestError::Fail(why, input)) => panic!("after {played} cases: {why}\nsmallest input: {input:?}"),
            Err(TestError::Abort(why)) => panic!("after {played} cases: aborted: {why}"),
        }
    }
    (played, began.elapsed().as_secs_f64())
}

/// Whether a time budget was set (a long session, which prints a summary).
pub fn timed() -> bool {
    std::env::var_os("NATSFAULT_FUZZ_SECONDS").is_some()
}

/// Edits of `seed` texts: 1 to 7 mutations each, inserting `snippets` or arbitrary text.
pub fn mutated(seeds: Vec<String>, snippets: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    (prop::sample::select(seeds), prop::collection::vec(mutation(snippets), 1..8))
        .prop_map(|(seed, ms)| ms.iter().fold(seed, |text, m| m.apply(&text)))
}

/// One edit of a text, at a position chosen among its characters.
#[derive(Clone, Debug)]
pub enum Mutation {
    Delete { at: Index, len: usize },
    Insert { at: Index, text: String },
    Replace { at: Index, len: usize, text: String },
    DuplicateLine { at: Index },
    SwapLines { a: Index, b: Index },
    Truncate { at: Index },
}

fn mutation(snippets: &'static [&'static str]) -> impl Strategy<Value = Mutation> + Clone {
    let text = prop_oneof![3 => prop::sample::select(snippets).prop_map(str::to_string), 1 => any::<String>()];
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
    pub fn apply(&self, text: &str) -> String {
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
