//! Unit tests for `.creds` writing, strict parsing and the async-nats check.

use super::claims::UserClaims;
use super::creds_compat::{AsyncNatsCredsError, check_as_async_nats};
use super::creds_file::{
    Block, CredsErrorKind, JWT_BEGIN, JWT_END, SEED_BEGIN, SEED_END, format_creds, parse_creds, write_creds,
};
use super::{defects, jwt, keys};

fn good() -> (String, String) {
    let account = keys::account();
    let user = keys::user();
    let mut claims = UserClaims::new(user.public_key(), "alice");
    (jwt::encode(&mut claims, &account).unwrap(), user.seed().to_string())
}

/// Builds a creds text from raw lines.
fn file(lines: &[&str]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

#[test]
fn round_trip_through_a_file() {
    let (token, seed) = good();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alice.creds");
    write_creds(&path, &token, &seed).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("-----BEGIN NATS USER JWT-----\n"));
    assert!(text.contains("\n------END NATS USER JWT------\n\n*****"));
    assert!(text.contains("NKEYs are sensitive and should be treated as secrets."));
    assert!(text.contains("\n------END USER NKEY SEED------\n"));
    assert_eq!(parse_creds(&text).unwrap(), (token.clone(), seed.clone()));
    assert_eq!(check_as_async_nats(&text).unwrap(), (token, seed));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn crlf_and_missing_final_newline_are_accepted() {
    let (token, seed) = good();
    let text = format_creds(&token, &seed);
    assert!(parse_creds(&text.replace('\n', "\r\n")).is_ok());
    assert!(parse_creds(text.trim_end()).is_ok());
}

#[test]
fn malformed_files_name_line_and_kind() {
    let (t, s) = good();
    let trunc = defects::truncate_jwt(&t);
    let account_seed = keys::account().seed().to_string();
    let public = keys::user().public_key().to_string();
    let mut bad_checksum = s.clone();
    bad_checksum.replace_range(10..11, if &s[10..11] == "A" { "B" } else { "A" });
    let five_dash_end = "-----END NATS USER JWT-----";
    use CredsErrorKind as K;
    let cases: Vec<(&str, String, usize, K)> = vec![
        ("no jwt block", file(&[SEED_BEGIN, &s, SEED_END]), 1, K::MissingJwtBlock),
        ("empty file", String::new(), 1, K::MissingJwtBlock),
        ("no seed block", file(&[JWT_BEGIN, &t, JWT_END, ""]), 5, K::MissingSeedBlock),
        (
            "truncated jwt",
            file(&[JWT_BEGIN, &trunc, JWT_END, SEED_BEGIN, &s, SEED_END]),
            2,
            K::TruncatedJwt { parts: 2 },
        ),
        (
            "account seed",
            file(&[JWT_BEGIN, &t, JWT_END, SEED_BEGIN, &account_seed, SEED_END]),
            5,
            K::SeedNotUser { prefix: "SA".into() },
        ),
        (
            "public key as seed",
            file(&[JWT_BEGIN, &t, JWT_END, SEED_BEGIN, &public, SEED_END]),
            5,
            K::SeedNotUser { prefix: public[..2].to_string() },
        ),
        ("bad checksum", file(&[JWT_BEGIN, &t, JWT_END, SEED_BEGIN, &bad_checksum, SEED_END]), 5, K::BadSeed),
        (
            "blank after begin",
            file(&[JWT_BEGIN, "", &t, JWT_END, SEED_BEGIN, &s, SEED_END]),
            2,
            K::BlankLineInBlock(Block::Jwt),
        ),
        (
            "blank before end",
            file(&[JWT_BEGIN, &t, JWT_END, SEED_BEGIN, &s, "", SEED_END]),
            6,
            K::BlankLineInBlock(Block::Seed),
        ),
        (
            "five-dash end",
            file(&[JWT_BEGIN, &t, five_dash_end, SEED_BEGIN, &s, SEED_END]),
            3,
            K::BadEndMarker { expected: JWT_END, found: five_dash_end.into() },
        ),
        (
            "jwt wrapped",
            file(&[JWT_BEGIN, &t[..40], &t[40..], JWT_END, SEED_BEGIN, &s, SEED_END]),
            3,
            K::ExtraLineInBlock(Block::Jwt),
        ),
        ("empty block", file(&[JWT_BEGIN, JWT_END, SEED_BEGIN, &s, SEED_END]), 2, K::EmptyBlock(Block::Jwt)),
        ("unterminated", file(&[JWT_BEGIN, &t, JWT_END, SEED_BEGIN, &s]), 6, K::UnterminatedBlock(Block::Seed)),
        (
            "trailing space",
            file(&[JWT_BEGIN, &format!("{t} "), JWT_END, SEED_BEGIN, &s, SEED_END]),
            2,
            K::StrayWhitespace(Block::Jwt),
        ),
        (
            "bad begin",
            file(&["----BEGIN NATS USER JWT----", &t, JWT_END]),
            1,
            K::BadBeginMarker { expected: JWT_BEGIN, found: "----BEGIN NATS USER JWT----".into() },
        ),
        (
            "seed glued to its begin line (the seed is not quoted back)",
            file(&[JWT_BEGIN, &t, JWT_END, &format!("-----BEGIN USER NKEY SEED{s}"), SEED_END]),
            4,
            K::BadBeginMarker { expected: SEED_BEGIN, found: "-----BEGIN USER NKEY SEED…".into() },
        ),
        ("two jwt blocks", file(&[JWT_BEGIN, &t, JWT_END, JWT_BEGIN, &t, JWT_END]), 4, K::DuplicateBlock(Block::Jwt)),
        ("jwt with spaces", file(&[JWT_BEGIN, "not a jwt", JWT_END, SEED_BEGIN, &s, SEED_END]), 2, K::BadJwtCharacters),
    ];
    for (what, text, line, kind) in cases {
        let err = parse_creds(&text).expect_err(what);
        assert_eq!((err.line, &err.kind), (line, &kind), "{what}: {err}");
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("creds line {line}: expected")), "{what}: {msg}");
    }
}

#[test]
fn async_nats_emulation_agrees_with_async_nats() {
    let (t, s) = good();
    let account_seed = keys::account().seed().to_string();
    let trunc = defects::truncate_jwt(&t);
    let std = format_creds(&t, &s);
    let cases: Vec<(&str, String, bool)> = vec![
        ("standard", std.clone(), true),
        ("crlf", std.replace('\n', "\r\n"), true),
        ("no final newline", std.trim_end_matches(['\n', '*']).trim_end().to_string(), false),
        ("five-dash end", std.replace(JWT_END, "-----END NATS USER JWT-----"), true),
        ("truncated jwt", format_creds(&trunc, &s), true),
        ("account seed", format_creds(&t, &account_seed), true),
        ("blank line in jwt block", std.replacen(JWT_BEGIN, &format!("{JWT_BEGIN}\n"), 1), false),
        ("blank line in seed block", std.replacen(SEED_END, &format!("\n{SEED_END}"), 1), false),
        ("seed block only", file(&[SEED_BEGIN, &s, SEED_END]), false),
        ("seed first", file(&[SEED_BEGIN, &s, SEED_END, JWT_BEGIN, &t, JWT_END]), false),
        ("indented markers", std.replace("-----BEGIN", "  -----BEGIN"), true),
        ("public key as seed", format_creds(&t, keys::user().public_key()), false),
    ];
    for (what, text, accepted) in cases {
        let real = async_nats::ConnectOptions::with_credentials(&text);
        let ours = check_as_async_nats(&text);
        assert_eq!(real.is_ok(), accepted, "async-nats on {what}: {:?}", real.err());
        assert_eq!(ours.is_ok(), accepted, "emulation on {what}: {:?}", ours.err());
        if let (Err(real), Err(ours)) = (real, ours)
            && !matches!(ours, AsyncNatsCredsError::BadSeed(_))
        {
            assert_eq!(real.to_string(), ours.to_string(), "{what}");
        }
    }
    let blank = std.replacen(JWT_BEGIN, &format!("{JWT_BEGIN}\n"), 1);
    assert!(matches!(check_as_async_nats(&blank), Err(AsyncNatsCredsError::NoSeed)));
}
