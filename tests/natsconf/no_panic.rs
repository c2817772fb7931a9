//! Bad input never panics: mutated corpus files and odd texts go through the parser, every
//! query, the sandbox rewrite and the writer.

use natsfault::natsconf::{ConfErrorKind, Config, Env, ParseOptions, SandboxOptions, sandbox};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    "\n)\n",
    "\"",
    "'",
    "\\",
    "\\x",
    "$",
    "$X",
    "$2a$",
    ":",
    "=",
    ",",
    ";",
    "#",
    "//",
    "\n",
    " ",
    "\t",
    "include ",
    "include x.conf",
    "1",
    "-",
    ".",
    "1.5",
    "1k",
    "1kbb",
    "2024-",
    "true",
    "é",
    "\r",
    "\0",
];

/// Runs everything a diagnosis would run on `text`; only checks that nothing panics.
fn exercise(text: &str, dir: &std::path::Path) {
    let options =
        ParseOptions { env: Env::vars([("X", "{ a: [1, $X] }"), ("Y", "$Z"), ("Z", "$Y")]), ..Default::default() };
    let Ok(config) = Config::parse_str(text, dir.join("nats.conf"), &options) else { return };
    let _ = config.users();
    let _ = config.accounts();
    let _ = config.authorization();
    let _ = config.no_auth_user();
    let _ = config.operators();
    let _ = config.resolver();
    let _ = config.resolver_preload();
    let _ = config.system_account();
    let _ = config.auth_callout();
    let _ = config.findings();
    if let Ok(files) = config.render() {
        for file in files.iter().filter(|f| f.file.0 == 0) {
            let again = Config::parse_str(&file.text, dir.join("nats.conf"), &options);
            assert!(again.is_ok(), "rendered text does not parse: {:?}\nfrom {text:?}\n{}", again.err(), file.text);
            if let (Ok(again), false) = (again, has_include(&config)) {
                assert_eq!(
                    crate::common::canon_map(config.root()),
                    crate::common::canon_map(again.root()),
                    "{text:?}\n{}",
                    file.text
                );
            }
        }
    }
    let _ = sandbox(&config, &SandboxOptions::new(dir.join("sbx")));
}

#[test]
fn mutated_corpus_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("x.conf"), "debug: true\n").unwrap();
    let mut seeds = Vec::new();
    for name in ["token", "accounts", "nkeys", "operator", "callout", "full"] {
        seeds.push(std::fs::read_to_string(crate::common::fixture(name).join("nats.conf")).unwrap());
    }
    seeds.push(std::fs::read_to_string(crate::common::fixture("accounts/users/app-users.conf")).unwrap());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..4000 {
        let seed = &seeds[round % seeds.len()];
        let mut chars: Vec<char> = seed.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(chars.len() + 1);
            match rng.below(3) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                _ => {
                    let piece = PIECES[rng.below(PIECES.len())];
                    for (i, c) in piece.chars().enumerate() {
                        chars.insert((at + i).min(chars.len()), c);
                    }
                }
            }
        }
        let text: String = chars.into_iter().collect();
        exercise(&text, tmp.path());
    }
}

#[test]
fn random_piece_soup() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = Rng(42);
    for _ in 0..4000 {
        let text: String = (0..rng.below(40)).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        exercise(&text, tmp.path());
        exercise(&format!("a: {text}"), tmp.path());
        exercise(&format!("m {{ k {text} }}"), tmp.path());
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let text = format!("a: {}", "[".repeat(100_000));
    let err = Config::parse_str(&text, "n.conf", &ParseOptions::default()).unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::TooDeep { .. }));
    let text = format!("a {}", "{ b ".repeat(100_000));
    assert!(Config::parse_str(&text, "n.conf", &ParseOptions::default()).is_err());
}

fn has_include(config: &Config) -> bool {
    config.files().len() > 1
}
