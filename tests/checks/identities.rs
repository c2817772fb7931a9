//! The identities field cases need, as `check` reads them.

use super::common::problems;

const OPERATOR: &str = r#"
name = "n"
cause = "jwt-invalid"
summary = "s"
[operator]
signing-keys = ["op-sk"]
[accounts.APP]
signed-by = "op-sk"
issued-at = "-1h"
revocations = { alice = "-10m" }
scoped-signing-keys.svc = { role = "service", pub = { allow = ["svc.{{name()}}.>"] } }
[users.alice]
account = "APP"
signing-key = "svc"
issued-at = "-1h"
[nkeys.alice]
[server]
config = 'operator: "{{operator.jwt}}"'
[clients.app]
nkey-seed = "alice"
[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation" }
"#;

#[test]
fn a_fix_may_switch_a_client_to_another_kind_of_credentials() {
    let p = problems(&format!("{OPERATOR}[fix]\nsummary = \"f\"\nclients.app = {{ creds = \"alice\" }}\n"));
    assert_eq!(p, "");
}

#[test]
fn operator_signing_keys_scoped_keys_and_relative_times_load() {
    assert_eq!(problems(&format!("{OPERATOR}[fix]\nsummary = \"f\"\nusers.alice = {{ issued-at = \"now\" }}\n")), "");
}

#[test]
fn undeclared_signers_and_revoked_users_are_named() {
    let text = OPERATOR
        .replace("signed-by = \"op-sk\"", "signed-by = \"nope\"")
        .replace("{ alice = \"-10m\" }", "{ bob = \"-10m\" }");
    let p = problems(&format!("{text}[fix]\nsummary = \"f\"\nclients.app = {{ creds = \"alice\" }}\n"));
    assert!(p.contains("undefined operator signing key `nope`"), "{p}");
    assert!(p.contains("undefined user `bob`"), "{p}");
}
