//! The questions a diagnosis asks, answered on the fixture corpus and on small configs.

use natsfault::natsconf::{AllowResponses, Config, DirResolverKind, FindingKind, OperatorRef, ParseOptions, Resolver};

fn fixture(name: &str) -> Config {
    Config::parse_file(crate::common::fixture(name).join("nats.conf"), &ParseOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn text(text: &str) -> Config {
    Config::parse_str(text, "nats.conf", &ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn token() {
    let auth = fixture("token").authorization().unwrap();
    let token = auth.token.unwrap();
    assert_eq!(token.expose(), "s3cret-t0ken");
    assert_eq!(format!("{token:?}"), "<redacted>");
    assert_eq!(auth.timeout.as_deref(), Some("2"));
}

#[test]
fn users_and_permissions_in_accounts() {
    let config = fixture("accounts");
    let users = config.users();
    let names: Vec<_> =
        users.iter().map(|u| (u.account.clone().unwrap_or_default(), u.user.clone().unwrap_or_default())).collect();
    let expected = [("SYS", "admin"), ("APP", "alice"), ("APP", "bob"), ("APP", "carol"), ("GUEST", "guest")];
    assert_eq!(names, expected.map(|(a, u)| (a.to_string(), u.to_string())));

    let admin = &users[0];
    assert!(admin.password.as_ref().unwrap().is_bcrypt());
    let alice = &users[1];
    assert_eq!(alice.password.as_ref().unwrap().expose(), "alice-pa55");
    let publish = alice.permissions.as_ref().unwrap().publish.clone().unwrap();
    assert_eq!(publish.allow.unwrap(), ["orders.>"]);
    assert_eq!(publish.deny.unwrap(), ["orders.secret.>"]);
    assert!(alice.at.file.ends_with("app-users.conf"));

    let bob = users[2].permissions.clone().unwrap();
    assert_eq!(bob.allow_responses, Some(AllowResponses::Limits { max: Some(1), expires: Some("1m".into()) }));
    assert!(!bob.responses_block_publish());

    let carol = &users[3];
    assert!(carol.permissions_are_default);
    assert_eq!(carol.permissions.as_ref().unwrap().subscribe.clone().unwrap().allow.unwrap(), ["app.>", "_INBOX.>"]);

    let guest = users[4].permissions.clone().unwrap();
    assert_eq!(guest.publish.unwrap().deny.unwrap(), [">"]);
    assert_eq!(config.no_auth_user().unwrap().value, "guest");
    assert_eq!(config.system_account().unwrap().value, "SYS");
    assert!(config.findings().is_empty(), "{:#?}", config.findings());
}

#[test]
fn nkey_users() {
    let config = fixture("nkeys");
    let users = config.users();
    assert_eq!(users.len(), 3);
    assert!(users.iter().all(|u| u.nkey.as_deref().is_some_and(|k| k.starts_with('U')) && u.user.is_none()));
    assert!(users[0].permissions_are_default && !users[1].permissions_are_default);
    assert_eq!(users[1].permissions.clone().unwrap().subscribe.unwrap().deny.unwrap(), ["orders.secret"]);
    assert_eq!(users[2].allowed_connection_types, ["STANDARD", "WEBSOCKET"]);
}

#[test]
fn operator_mode() {
    let config = fixture("operator");
    assert!(matches!(&config.operators()[..], [OperatorRef::Path { path, .. }] if path == "./keys/operator.jwt"));
    assert!(matches!(config.resolver(), Some(Resolver::Memory { .. })));
    let preload = config.resolver_preload();
    assert_eq!(preload.len(), 2);
    assert!(preload.iter().all(|p| p.account.starts_with('A') && p.jwt.starts_with("eyJ")));
    assert_eq!(config.system_account().unwrap().value, preload[0].account);

    assert!(
        matches!(fixture("operator-url").resolver(), Some(Resolver::Url { url, .. }) if url.starts_with("https://accounts.example.com"))
    );
    let full = fixture("operator-full").resolver();
    assert!(matches!(full, Some(Resolver::Dir { kind: DirResolverKind::Full, dir: Some(d), .. }) if d == "./jwt"));
    assert!(fixture("operator-jwt-url").resolver().is_none());
}

#[test]
fn resolver_strings_match_like_the_server() {
    // The server's MEMORY pattern is unanchored: any string containing "mem" is a memory resolver.
    assert!(matches!(text("resolver: \"URL(http://memory.example.com/)\"").resolver(), Some(Resolver::Memory { .. })));
    assert!(matches!(text("resolver: mem").resolver(), Some(Resolver::Memory { .. })));
    assert!(
        matches!(text("resolver: \"URL(\\\"http://h/a/\\\")\"").resolver(), Some(Resolver::Url { url, .. }) if url == "http://h/a/")
    );
    assert!(matches!(text("resolver: nonsense").resolver(), Some(Resolver::Invalid { .. })));
    assert!(matches!(
        text("resolver { TYPE: full }").resolver(),
        Some(Resolver::Dir { kind: DirResolverKind::Other(_), .. })
    ));
}

#[test]
fn inline_operator_jwt() {
    let config = text("operators: [eyJ0eXAi.e30.x, \"/etc/op.jwt\"]");
    let ops = config.operators();
    assert!(matches!(&ops[0], OperatorRef::Inline { .. }));
    assert!(matches!(&ops[1], OperatorRef::Path { .. }));
}

#[test]
fn auth_callout() {
    let callout = fixture("callout").auth_callout().unwrap();
    assert!(callout.issuer.unwrap().starts_with('A'));
    assert_eq!((callout.account.as_str(), callout.auth_users.as_slice()), ("AUTH", ["auth".to_string()].as_slice()));
    assert_eq!(
        text("authorization { auth_callout { issuer: A, auth_users: [x] } }").auth_callout().unwrap().account,
        "$G"
    );
}

#[test]
fn allow_responses_without_publish_allow_blocks_publishing() {
    let config = text("authorization { users: [ {user: a, permissions: { allow_responses: true, subscribe: x } } ] }");
    let perms = config.users()[0].permissions.clone().unwrap();
    assert_eq!(perms.allow_responses, Some(AllowResponses::Defaults));
    assert!(perms.responses_block_publish());
}

#[test]
fn findings_for_guide_mistakes() {
    let config = text(
        "token: abc\nauthorization {\n  type: jwt\n  no_auth_user: x\n}\nPort: 1\nport: 2\ndebug: true\ndebug: false\n\
         resolver { TYPE: full, dir: x }\nresolver_preload { A: x }\n",
    );
    let findings = config.findings();
    let by_key = |key: &str| findings.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("{key}: {findings:#?}"));
    assert_eq!(by_key("token").kind, FindingKind::MisplacedKey);
    assert_eq!(by_key("authorization.type").kind, FindingKind::UnknownKey);
    assert_eq!(by_key("authorization.no_auth_user").kind, FindingKind::MisplacedKey);
    assert_eq!(by_key("Port").kind, FindingKind::AmbiguousCase);
    assert_eq!(by_key("debug").kind, FindingKind::Overridden);
    assert_eq!(by_key("resolver.TYPE").kind, FindingKind::IgnoredCase);
    assert!(findings.iter().all(|f| f.kind != FindingKind::Conflict));

    let conflict = text("resolver: URL(http://h/)\nresolver_preload { A: x }\n").findings();
    assert_eq!(conflict[0].kind, FindingKind::Conflict);
}

#[test]
fn used_variables_are_not_unknown_keys() {
    let config = text("PASS: x\nauthorization { user: a, password: $PASS }\n");
    assert!(config.findings().is_empty(), "{:#?}", config.findings());
    let config = text("STRAY: x\n");
    assert_eq!(config.findings()[0].kind, FindingKind::UnknownKey);
}

#[test]
fn wrong_types_are_findings_not_panics() {
    let config = text("authorization { users: \"alice\" }\naccounts { A: 1, B { users: [1, {user: b}] } }\n");
    let kinds: Vec<_> = config.findings().into_iter().map(|f| (f.key, f.kind)).collect();
    assert!(kinds.contains(&("authorization.users".into(), FindingKind::WrongType)), "{kinds:?}");
    assert!(kinds.contains(&("accounts.A".into(), FindingKind::WrongType)), "{kinds:?}");
    assert!(kinds.contains(&("accounts.B.users".into(), FindingKind::WrongType)), "{kinds:?}");
    assert_eq!(config.users().len(), 1);
}
