//! The pattern forms: `server-err-matches`, several `log` patterns, `log-absent`,
//! `server-err-absent` and `since = "phase"`.

use natsfault::spec::Phase;

use super::common::{failures, play_text};

fn scenario(last: &str) -> String {
    format!(
        r#"
name = "patterns"
cause = "permissions"
summary = "s"
[server]
config = '''
authorization {{ users = [ {{ user: app, password: "{{{{password.app}}}}", permissions: {{ publish: ["ok.>"] }} }} ] }}
'''
[clients.app]
user = "app"
password = "{{{{password.app}}}}"
[[steps]]
do = "connect"
client = "app"
[[steps]]
do = "publish"
client = "app"
subject = "secret.x42"
expect = {{ server-err-matches = 'Permissions Violation for Publish to "secret\.x[0-9]+"', log = ['Publish Violation', 'Subject "secret\.x42"'] }}
expect-fixed = {{ server-err-absent = 'Violation' }}
[[steps]]
do = "flush"
client = "app"
{last}
[fix]
summary = "allow secret.>"
replace = [ {{ from = 'publish: ["ok.>"]', to = 'publish: ["ok.>", "secret.>"]' }} ]
"#
    )
}

#[tokio::test]
async fn matches_several_logs_and_absences_hold() {
    let report = play_text(
        "patterns.toml",
        &scenario(
            "expect = { log-absent = 'Subscription Violation', server-err-absent = 'Subscription', since = \"phase\" }",
        ),
    )
    .await;
    assert!(failures(&report, Phase::Broken).is_empty(), "{:?}", failures(&report, Phase::Broken));
    assert!(failures(&report, Phase::Fixed).is_empty(), "{:?}", failures(&report, Phase::Fixed));
}

#[tokio::test]
async fn an_absence_fails_on_what_the_phase_saw_before() {
    let report = play_text(
        "patterns-absent.toml",
        &scenario("only = \"broken\"\nexpect = { log-absent = 'Publish Violation', server-err-absent = 'Publish', since = \"phase\" }"),
    )
    .await;
    assert_eq!(failures(&report, Phase::Broken), ["3:server-err-absent", "3:log-absent"]);
}
