//! Writing configs back: the text reads back as the same values, and nats-server accepts it.

use std::path::Path;

use crate::common::canon_map;
use natsfault::natsconf::{Config, Env, ParseOptions};

/// Renders `config`, writes each file under `out` at its path relative to `src`, reparses.
fn round_trip(config: &Config, src: &Path, out: &Path) -> Config {
    for rendered in config.render().unwrap() {
        let source = &config.files()[rendered.file.0 as usize].path;
        let relative = source.strip_prefix(src).unwrap_or(source);
        let target = out.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, &rendered.text).unwrap();
    }
    let main = out.join(config.files()[0].path.strip_prefix(src).unwrap());
    Config::parse_file(main, &ParseOptions::default()).unwrap_or_else(|e| panic!("rendered text does not parse: {e}"))
}

#[test]
fn corpus_round_trips_and_passes_the_server_check() {
    let server = crate::common::nats_server();
    for name in [
        "token",
        "accounts",
        "nkeys",
        "operator",
        "operator-url",
        "operator-full",
        "operator-jwt-url",
        "callout",
        "full",
    ] {
        let src = crate::common::fixture(name);
        let config = Config::parse_file(src.join("nats.conf"), &ParseOptions::default()).unwrap();
        // The server's digest of the original equals the one computed from this parser's tree.
        let original = crate::common::check(&server, std::path::Path::new("nats.conf"), &src);
        assert_eq!(
            crate::common::server_digest(&original.output),
            Some(crate::common::go_digest(config.root())),
            "{name}"
        );
        let tmp = tempfile::tempdir().unwrap();
        let again = round_trip(&config, &src, tmp.path());
        assert_eq!(canon_map(config.root()), canon_map(again.root()), "{name}");
        // Relative TLS and JWT paths are read from the working folder, so check from the fixture.
        let checked = crate::common::check(&server, &tmp.path().join("nats.conf"), &src);
        assert!(checked.valid, "{name}: {}", checked.output);
        // The server reads the written copy as exactly the same configuration.
        assert_eq!(
            crate::common::server_digest(&checked.output),
            crate::common::server_digest(&original.output),
            "{name}"
        );
    }
}

#[test]
fn awkward_values_round_trip() {
    let text = "a: \"tab\\there \\\"quoted\\\" back\\\\slash \\x01 é\"\nb (\n  block $text\n  # not a comment\n)\n\
                \"key with space\": 1\n'k\"q': 2\nc: [1, 2 ]\nd: 2024-01-02T03:04:05Z\ne: -1.5\nf: 1KB\ng: off\n\
                h: \"$NOT_A_VAR\"\ni: $2a$11$abcdefghijklmnopqrstuv\nj: []\nk: {}\nl: '#x // y'\nm: \"\"\n";
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nats.conf"), text).unwrap();
    let config = Config::parse_file(tmp.path().join("nats.conf"), &ParseOptions::default()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let again = round_trip(&config, tmp.path(), out.path());
    assert_eq!(canon_map(config.root()), canon_map(again.root()));
}

#[test]
fn environment_variables_are_written_as_values() {
    let options =
        ParseOptions { env: Env::vars([("NATS_TOKEN", "from-env"), ("LIMITS", "{ max: 1KB }")]), ..Default::default() };
    let config =
        Config::parse_str("authorization { token: $NATS_TOKEN }\nx: $LIMITS\n", "nats.conf", &options).unwrap();
    let text = &config.render().unwrap()[0].text;
    assert!(text.contains("token: \"from-env\""), "{text}");
    assert!(text.contains("max: 1KB"), "{text}");
    assert!(!text.contains('$'));
}

#[test]
fn rendered_config_is_accepted_by_the_server() {
    let text = "server_name: \"a-b\"\nmax_payload: 1MB\nping_interval: \"30s\"\nP: pw\n\
                authorization { users: [ { user: \"u 1\", password: $P, permissions: { publish: { deny: [\"x.>\"] } } } ] }\n";
    let config = Config::parse_str(text, "nats.conf", &ParseOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("nats.conf");
    std::fs::write(&path, &config.render().unwrap()[0].text).unwrap();
    let checked = crate::common::check(&crate::common::nats_server(), &path, tmp.path());
    assert!(checked.valid, "{}", checked.output);
}
