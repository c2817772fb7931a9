//! A refusal's position: nats-server names `FILE:LINE:COL` of the rewritten sandbox files, whose
//! lines differ from the customer's (removed keys, a header line, includes renamed); the
//! diagnosis reports the customer's own file and line.

use natsfault::diagnose::emit::scenario;
use natsfault::diagnose::{Credentials, Diagnosis, Verdict, diagnose_prepared};

use crate::common::input;

fn refused_at(d: &Diagnosis) -> String {
    match &d.verdict {
        Verdict::ConfigRefused { at, .. } => at.clone().unwrap_or_default(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_value_below_removed_keys_is_reported_on_the_customers_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = "# edge\nport: 4222\nhttp_port: 8222\ncluster {\n  name: c\n  port: 6222\n}\n\n\
                authorization {\n  token: \"pos-Token-1\"\n  timeout: \"soon\"\n}\n";
    let path = tmp.path().join("customer.conf");
    std::fs::write(&path, text).expect("write");
    let (d, p) = diagnose_prepared(&input(&path, Credentials::None, vec![])).await.expect("diagnosis");
    assert_eq!(refused_at(&d), format!("{}:11:3", path.display()));
    assert!(d.fix.as_deref().unwrap_or_default().contains(&format!("{}:11:3", path.display())), "{:?}", d.fix);
    let log = d.evidence.log.join("\n");
    assert!(log.contains(&format!("{}:11:3 in the customer's", path.display())), "{log}");
    let refused = scenario(&p, &d).expect_err("a refused value is not reproduced");
    assert!(refused.to_string().contains("about the value at"), "{refused}");
}

#[tokio::test]
async fn a_refused_value_in_an_include_is_reported_in_the_included_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(tmp.path().join("conf.d")).expect("folder");
    let main = tmp.path().join("customer.conf");
    std::fs::write(&main, "port: 4222\ninclude ./conf.d/limits.conf\n").expect("write");
    let limits = tmp.path().join("conf.d/limits.conf");
    std::fs::write(&limits, "pid_file: \"/var/run/x.pid\"\n\n  max_connections: \"many\"\n").expect("write");
    let (d, _) = diagnose_prepared(&input(&main, Credentials::None, vec![])).await.expect("diagnosis");
    assert_eq!(refused_at(&d), format!("{}:3:3", limits.display()));
}

#[tokio::test]
async fn an_unknown_key_keeps_its_position_and_its_scenario() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("customer.conf");
    std::fs::write(&path, "http_port: 8222\n\nmax_connectionz: 5\n").expect("write");
    let (d, p) = diagnose_prepared(&input(&path, Credentials::None, vec![])).await.expect("diagnosis");
    assert_eq!(refused_at(&d), format!("{}:3:1", path.display()));
    assert!(scenario(&p, &d).is_ok());
}
