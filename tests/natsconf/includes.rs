//! Includes: resolved relative to the including file, merged where they stand, with cycle
//! detection and a depth limit (nats-server has neither and crashes on a cycle).

use std::path::Path;

use natsfault::natsconf::{ConfErrorKind, Config, Entry, Origin, ParseOptions};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(path, text).expect("write");
}

fn parse(dir: &Path, name: &str) -> Result<Config, natsfault::natsconf::ConfError> {
    Config::parse_file(dir.join(name), &ParseOptions::default())
}

#[test]
fn nested_includes_resolve_against_the_including_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.conf", "include sub/a.conf\nport: 1\n");
    write(tmp.path(), "sub/a.conf", "include '../b.conf'\n");
    write(tmp.path(), "b.conf", "debug: true\n");
    let config = parse(tmp.path(), "main.conf").unwrap();
    assert_eq!(config.root().get("debug").unwrap().value.as_bool(), Some(true));
    assert_eq!(config.files().len(), 3);
    assert!(matches!(config.files()[1].origin, Origin::Include { from } if from.line == 1 && from.column == 9));
    assert!(config.files()[2].path.ends_with("b.conf"));
}

#[test]
fn include_inside_a_map_merges_into_that_map() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.conf", "accounts {\n  A { include \"a-users.conf\" }\n}\n");
    write(tmp.path(), "a-users.conf", "users: [ { user: alice, password: x } ]\n");
    let config = parse(tmp.path(), "main.conf").unwrap();
    let users = config.users();
    assert_eq!((users[0].account.as_deref(), users[0].user.as_deref()), (Some("A"), Some("alice")));
    assert!(users[0].at.file.ends_with("a-users.conf"));
}

#[test]
fn keys_of_an_include_are_variables_for_the_rest_of_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.conf", "include ./defs.conf\nauthorization { token: $TOK }\n");
    write(tmp.path(), "defs.conf", "TOK: from-include\n");
    let config = parse(tmp.path(), "main.conf").unwrap();
    assert_eq!(config.authorization().unwrap().token.unwrap().expose(), "from-include");
}

#[test]
fn include_keyword_forms() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "x.conf", "debug: true\n");
    for text in [
        "INCLUDE x.conf\n",
        "include \"x.conf\"\n",
        "include 'x.conf'\n",
        "include x.conf; port: 1\n",
        "a { include x.conf }\n",
    ] {
        write(tmp.path(), "main.conf", text);
        let config = parse(tmp.path(), "main.conf").unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(config.files().len() == 2, "{text:?}");
    }
    // With a separator, `include` is an ordinary (unknown) key.
    write(tmp.path(), "main.conf", "include: x.conf\n");
    let config = parse(tmp.path(), "main.conf").unwrap();
    assert!(matches!(config.root().entries[0], Entry::Pair(_)));
    // The path must be on the same line.
    write(tmp.path(), "main.conf", "include\nx.conf\n");
    assert!(matches!(parse(tmp.path(), "main.conf").unwrap_err().kind, ConfErrorKind::InvalidInclude { .. }));
}

#[test]
fn a_file_including_itself_is_a_cycle() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "self.conf", "port: 1\ninclude ./self.conf\n");
    let err = parse(tmp.path(), "self.conf").unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::IncludeCycle { .. }), "{err}");
    assert_eq!((err.line, err.column), (2, 9));
}

#[test]
fn indirect_cycles_name_every_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.conf", "include b.conf\n");
    write(tmp.path(), "b.conf", "x: 1\ninclude sub/../c.conf\n");
    write(tmp.path(), "c.conf", "include a.conf\n");
    let err = parse(tmp.path(), "a.conf").unwrap_err();
    let ConfErrorKind::IncludeCycle { chain, .. } = &err.kind else { panic!("{err}") };
    assert_eq!(chain.matches(" -> ").count(), 3, "{chain}");
    assert!(err.file.ends_with("c.conf"));
}

#[test]
fn including_the_same_file_twice_is_not_a_cycle() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.conf", "a { include common.conf }\nb { include common.conf }\n");
    write(tmp.path(), "common.conf", "x: 1\n");
    let config = parse(tmp.path(), "main.conf").unwrap();
    assert_eq!(config.files().len(), 3);
}

#[test]
fn depth_is_limited() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..6 {
        write(tmp.path(), &format!("f{i}.conf"), &format!("include f{}.conf\n", i + 1));
    }
    write(tmp.path(), "f6.conf", "debug: true\n");
    let deep = ParseOptions { max_include_depth: 3, ..Default::default() };
    let err = Config::parse_file(tmp.path().join("f0.conf"), &deep).unwrap_err();
    assert!(matches!(err.kind, ConfErrorKind::IncludeTooDeep { limit: 3, .. }), "{err}");
    assert!(Config::parse_file(tmp.path().join("f0.conf"), &ParseOptions::default()).is_ok());
}

#[test]
fn errors_inside_an_include_point_into_it() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.conf", "port: 1\ninclude bad.conf\n");
    write(tmp.path(), "bad.conf", "a: 1\nb {\n");
    let err = parse(tmp.path(), "main.conf").unwrap_err();
    assert!(err.file.ends_with("bad.conf"), "{err}");
    assert_eq!(err.line, 3);
}
