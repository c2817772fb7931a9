//! Parser unit tests: one test per syntax form of nats.conf, checked against what nats-server's
//! own lexer and parser produce for the same text.

use natsfault::natsconf::{ConfError, ConfErrorKind, Config, Env, Map, Node, ParseOptions, Value, VarSource};

fn parse(text: &str) -> Result<Config, ConfError> {
    Config::parse_str(
        text,
        "test.conf",
        &ParseOptions { env: Env::vars([("ENV_TOKEN", "from-env")]), ..Default::default() },
    )
}

fn ok(text: &str) -> Config {
    match parse(text) {
        Ok(config) => config,
        Err(e) => panic!("expected {text:?} to parse, got {e}"),
    }
}

fn value<'a>(map: &'a Map, key: &str) -> &'a Node {
    &map.get(key).unwrap_or_else(|| panic!("no key {key}")).value
}

#[test]
fn three_key_separators_and_semicolons() {
    let config = ok("a: 1\nb = 2\nc 3\nd: 4; e: 5, f: 6");
    for (key, n) in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5), ("f", 6)] {
        assert_eq!(value(config.root(), key).as_i64(), Some(n), "{key}");
    }
}

#[test]
fn key_and_value_on_different_lines_without_separator() {
    let config = ok("server_name\n  foo\n");
    assert_eq!(value(config.root(), "server_name").as_str(), Some("foo"));
}

#[test]
fn maps_in_every_form() {
    let config = ok("a { x: 1 }\nb: { x: 2 }\nc = {\n  x: 3,\n  y: 4;\n}\nd {x:5}");
    for (key, n) in [("a", 1), ("b", 2), ("c", 3), ("d", 5)] {
        assert_eq!(value(value(config.root(), key).as_map().unwrap(), "x").as_i64(), Some(n));
    }
}

#[test]
fn map_values_may_start_on_the_next_line() {
    let config = ok("authorization {\n token:\n   abc\n}\n");
    let auth = value(config.root(), "authorization").as_map().unwrap();
    assert_eq!(value(auth, "token").as_str(), Some("abc"));
}

#[test]
fn arrays_with_commas_new_lines_and_comments() {
    let config = ok("a: [x, y, z]\nb: [\n  x # one\n  y, // two\n  z,\n]\nc: []");
    assert_eq!(value(config.root(), "a").as_array().unwrap().len(), 3);
    assert_eq!(value(config.root(), "b").as_array().unwrap().len(), 3);
    assert_eq!(value(config.root(), "c").as_array().unwrap().len(), 0);
}

#[test]
fn a_number_directly_before_a_closing_bracket_is_text() {
    // nats-server: `[1, 2]` makes "2]" one string and the array runs on to the next line.
    let err = parse("tags: [1, 2]\nfoo: bar\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.to_string().contains("`2]`"), "{err}");
    let config = ok("tags: [1, 2 ]\n");
    assert_eq!(value(config.root(), "tags").as_array().unwrap()[1].as_i64(), Some(2));
}

#[test]
fn string_forms() {
    let config = ok("a: 'single \\n'\nb: \"dq \\t \\\"q\\\" \\x41\"\nc: unquoted\nd: nats://h:4222\ne: \"\"\nf: ''");
    assert_eq!(value(config.root(), "a").as_str(), Some("single \\n"));
    assert_eq!(value(config.root(), "b").as_str(), Some("dq \t \"q\" A"));
    assert_eq!(value(config.root(), "c").as_str(), Some("unquoted"));
    assert_eq!(value(config.root(), "d").as_str(), Some("nats://h:4222"));
    assert_eq!(value(config.root(), "e").as_str(), Some(""));
    assert_eq!(value(config.root(), "f").as_str(), Some(""));
}

#[test]
fn quoted_strings_span_lines() {
    let config = ok("a: \"one\ntwo\"\n");
    assert_eq!(value(config.root(), "a").as_str(), Some("one\ntwo"));
}

#[test]
fn block_strings() {
    let config = ok("a (\n  line one\n  (nested)\n)\nb: 1");
    assert_eq!(value(config.root(), "a").as_str(), Some("\n  line one\n  (nested)\n"));
    assert_eq!(value(config.root(), "b").as_i64(), Some(1));
    // At the end of the file nats-server keeps the closing parenthesis.
    let config = ok("a (\nx\n)");
    assert_eq!(value(config.root(), "a").as_str(), Some("\nx\n)"));
    // An indented `)` does not close the block.
    let err = parse("a (\nx\n  )\n").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::UnexpectedEof { .. }));
    assert_eq!(err.line, 4);
}

#[test]
fn integers_and_size_suffixes() {
    let config = ok("a: 1\nb: -5\nc: 1k\nd: 1KB\ne: 2mib\nf: 1G\ng: 3Ti\nh: 10m");
    let cases = [
        ("a", 1),
        ("b", -5),
        ("c", 1000),
        ("d", 1024),
        ("e", 2 * 1024 * 1024),
        ("f", 1_000_000_000),
        ("g", 3 * 1024_i64.pow(4)),
        ("h", 10_000_000),
    ];
    for (key, n) in cases {
        assert_eq!(value(config.root(), key).as_i64(), Some(n), "{key}");
    }
    assert!(matches!(&value(config.root(), "d").value, Value::Integer { raw, .. } if raw == "1KB"));
}

#[test]
fn unknown_size_suffix_is_an_error() {
    let err = parse("max_payload: 1kbb\n").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::UnknownSizeSuffix { ref suffix, .. } if suffix == "kbb"), "{err}");
}

#[test]
fn text_starting_with_digits() {
    let config = ok("a: 3xyz\nb: 2s\nc: 1ms\nd: 127.0.0.1:4222\ne: 0.0.0.0\nf: 5m30s");
    assert_eq!(value(config.root(), "a").as_str(), Some("3xyz"));
    assert_eq!(value(config.root(), "b").as_str(), Some("2s"));
    assert_eq!(value(config.root(), "c").as_str(), Some("1ms"));
    assert_eq!(value(config.root(), "d").as_str(), Some("127.0.0.1:4222"));
    assert_eq!(value(config.root(), "e").as_str(), Some("0.0.0.0"));
    assert_eq!(value(config.root(), "f").as_str(), Some("5m30s"));
}

#[test]
fn floats_and_the_unquoted_float_duration_trap() {
    let config = ok("a: 1.5\nb: -0.25");
    assert!(matches!(value(config.root(), "a").value, Value::Float { value, .. } if value == 1.5));
    assert!(matches!(value(config.root(), "b").value, Value::Float { value, .. } if value == -0.25));
    let err = parse("ping_interval: 1.5s\n").unwrap_err();
    assert!(err.to_string().contains("quoted strings"), "{err}");
    assert_eq!((err.line, err.column), (1, 19));
}

#[test]
fn booleans_in_every_spelling() {
    let config = ok("a: true\nb: FALSE\nc: yes\nd: No\ne: on\nf: off\ng: \"true\"");
    for (key, b) in [("a", true), ("b", false), ("c", true), ("d", false), ("e", true), ("f", false)] {
        assert_eq!(value(config.root(), key).as_bool(), Some(b), "{key}");
    }
    assert_eq!(value(config.root(), "g").as_str(), Some("true"));
}

#[test]
fn dates() {
    let config = ok("a: 2024-01-02T03:04:05Z");
    assert!(matches!(&value(config.root(), "a").value, Value::Datetime(raw) if raw == "2024-01-02T03:04:05Z"));
    assert!(matches!(parse("a: 2024-01-02").unwrap_err().kind, ConfErrorKind::InvalidDatetime { .. }));
    assert!(matches!(parse("a: 24-01-02").unwrap_err().kind, ConfErrorKind::InvalidDatetime { .. }));
}

#[test]
fn durations_stay_strings() {
    let config = ok("a: \"2s\"\nb: 2s\nc: '1m'");
    assert_eq!(value(config.root(), "a").as_str(), Some("2s"));
    assert_eq!(value(config.root(), "b").as_str(), Some("2s"));
    assert_eq!(value(config.root(), "c").as_str(), Some("1m"));
}

#[test]
fn comments_everywhere() {
    let config = ok("# top\n// also top\na: 1 # after\nb { # open\n  c: 2 // after\n  # inside\n}\n");
    assert_eq!(value(config.root(), "a").as_i64(), Some(1));
    assert_eq!(value(value(config.root(), "b").as_map().unwrap(), "c").as_i64(), Some(2));
    // `#` inside an unquoted value is part of it.
    let config = ok("a: b#c");
    assert_eq!(value(config.root(), "a").as_str(), Some("b#c"));
}

#[test]
fn quoted_keys() {
    let config = ok("\"a b\": 1\n'c.d': 2\nm { \"x-1.2\" = { port: 3 } }");
    assert_eq!(value(config.root(), "a b").as_i64(), Some(1));
    assert_eq!(value(config.root(), "c.d").as_i64(), Some(2));
}

#[test]
fn json_like_files() {
    let config = ok("{\n  \"port\": 4222,\n  \"authorization\": {\"token\": \"x\"},\n}\n");
    assert_eq!(value(config.root(), "port").as_i64(), Some(4222));
    let config = ok("port: 4222\n}\n");
    assert_eq!(value(config.root(), "port").as_i64(), Some(4222));
    assert!(parse("port: 4222\n}\ndebug: true\n").is_err());
}

#[test]
fn key_without_brace_space_is_one_key() {
    // `authorization{` is read as the key "authorization{", as nats-server does.
    let err = parse("authorization{ token: abc }\n").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::UnexpectedChar { .. }), "{err}");
}

#[test]
fn empty_value_at_end_of_file_and_new_line_after_separator() {
    let config = ok("server_name:");
    assert_eq!(value(config.root(), "server_name").as_str(), Some(""));
    let err = parse("server_name:\n").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::NewlineBeforeValue { .. }));
    let err = parse("lonely").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::KeyWithoutValue { .. }));
}

#[test]
fn missing_value_in_a_map() {
    let err = parse("authorization { token: }\n").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::MissingValue { ref key } if key == "token"));
}

#[test]
fn escapes_are_checked() {
    assert!(matches!(parse("a: \"\\q\"").unwrap_err().kind, ConfErrorKind::InvalidEscape { .. }));
    assert!(matches!(parse("a: \"\\xZZ\"").unwrap_err().kind, ConfErrorKind::InvalidHexEscape { .. }));
    // Unquoted text takes escapes too; an escape stops it from being a boolean or variable.
    let config = ok("a: \\\\true\nb: x\\ty");
    assert_eq!(value(config.root(), "a").as_str(), Some("\\true"));
    assert_eq!(value(config.root(), "b").as_str(), Some("x\ty"));
}

#[test]
fn secret_values_are_not_shown_in_errors() {
    let err = parse("authorization { token: \"s3cr\\xZZ\" }").unwrap_err();
    assert!(!err.to_string().contains("ZZ"), "{err}");
    let err = parse("authorization { password: 2023-99 }").unwrap_err();
    assert!(!err.to_string().contains("2023"), "{err}");
    let err = parse("authorization { password: abc xyz }").unwrap_err();
    assert!(err.to_string().contains("unexpected `<redacted character>` after the value of `password`"), "{err}");
    let err = parse("authorization { token: \"a\\qz\" }").unwrap_err();
    assert!(!err.to_string().contains("\\q"), "{err}");
}

#[test]
fn variables_from_the_config() {
    let config = ok("A: 5\nb: $A\nm { c: $A, A: 6, d: $A }\nport: $b");
    assert_eq!(value(config.root(), "b").as_i64(), Some(5));
    let m = value(config.root(), "m").as_map().unwrap();
    assert_eq!(value(m, "c").as_i64(), Some(5));
    assert_eq!(value(m, "d").as_i64(), Some(6));
    assert_eq!(value(config.root(), "port").as_i64(), Some(5));
    assert!(config.is_used_variable(config.root().get("A").unwrap().key_at));
}

#[test]
fn variables_are_case_sensitive_and_must_be_defined_first() {
    assert!(matches!(parse("tok: a\nt: $TOK").unwrap_err().kind, ConfErrorKind::UndefinedVariable { .. }));
    assert!(matches!(parse("t: $LATER\nLATER: 1").unwrap_err().kind, ConfErrorKind::UndefinedVariable { .. }));
}

#[test]
fn variables_from_the_environment() {
    let config = ok("authorization { token: $ENV_TOKEN }");
    let auth = value(config.root(), "authorization").as_map().unwrap();
    let Value::Variable(var) = &value(auth, "token").value else { panic!("not a variable") };
    assert_eq!(var.source, VarSource::Environment);
    assert_eq!(var.value.as_str(), Some("from-env"));
}

#[test]
fn environment_values_are_parsed_as_values() {
    let options = ParseOptions {
        env: Env::vars([("N", "1KB"), ("M", "{ a: 1 }"), ("SELF", "$SELF"), ("BAD", "a b")]),
        ..Default::default()
    };
    let config = Config::parse_str("n: $N\nm: $M", "t.conf", &options).unwrap();
    assert_eq!(value(config.root(), "n").as_i64(), Some(1024));
    assert!(value(config.root(), "m").as_map().is_some());
    let err = Config::parse_str("x: $SELF", "t.conf", &options).unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::VariableCycle { .. }));
    let err = Config::parse_str("x: $BAD", "t.conf", &options).unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::EnvVariableInvalid { .. }));
}

#[test]
fn bcrypt_hashes_are_not_variables() {
    let config = ok("p: $2a$11$abcdefghijklmnopqrstuv");
    assert_eq!(value(config.root(), "p").as_str(), Some("$2a$11$abcdefghijklmnopqrstuv"));
    // nats-server takes other bcrypt versions for variables; the hash is not shown.
    let err = parse("p: $2b$11$abcdefghijklmnopqrstuv").unwrap_err();
    assert_eq!(err.kind, ConfErrorKind::UnquotedBcrypt { prefix: "$2b$".into() });
    assert!(!err.to_string().contains("abcdefgh"));
}

#[test]
fn duplicate_keys_last_wins_and_case_is_kept() {
    let config = ok("debug: true\nDebug: false\ndebug: false");
    assert_eq!(config.root().pairs().len(), 3);
    assert_eq!(value(config.root(), "debug").as_bool(), Some(false));
    assert_eq!(config.root().get_ci("DEBUG").unwrap().key_at.line, 3);
}

#[test]
fn positions_are_one_based() {
    let config = ok("\n  port: 4222\nm {\n\tk: \"v\"\n}");
    let port = config.root().get("port").unwrap();
    assert_eq!((port.key_at.line, port.key_at.column), (2, 3));
    assert_eq!((port.value.at.line, port.value.at.column), (2, 9));
    let m = value(config.root(), "m").as_map().unwrap();
    let k = m.get("k").unwrap();
    assert_eq!((k.key_at.line, k.key_at.column, k.value.at.column), (4, 2, 5));
}

#[test]
fn nul_bytes_are_refused() {
    let err = parse("a: 1\nb\0: 2").unwrap_err();
    assert_eq!((err.line, err.column, err.kind), (2, 2, ConfErrorKind::NulByte));
}
