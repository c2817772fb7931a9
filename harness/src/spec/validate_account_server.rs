//! Checks of `[account-server]`: operator mode, HTTP statuses, declared accounts, and the
//! `{{account-server.url}}` it is reached by.

use super::account_server::AccountServerSpec;
use super::problem::Problem;
use super::scenario::Scenario;
use super::validate::{http_status_problem, undefined_account_problem};

/// Every problem of the scenario's account server.
pub fn validate_account_server(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    let fixed = s.fix.as_ref().and_then(|f| f.account_server.as_ref());
    if fixed.is_some() && s.account_server.is_none() {
        out.push(
            Problem::new(src, 0..0, "`[fix.account-server]` needs an `[account-server]` to change")
                .help("declare `[account-server]` (it may be empty)"),
        );
    }
    let tables: Vec<&AccountServerSpec> = [s.account_server.as_ref(), fixed].into_iter().flatten().collect();
    if !tables.is_empty() && s.identities.operator.is_none() {
        out.push(
            Problem::new(src, 0..0, "`[account-server]` serves account JWTs and needs `[operator]`")
                .help("add an `[operator]` table and the accounts under `[accounts.NAME]`"),
        );
    }
    for t in &tables {
        out.extend(t.statuses().filter_map(|status| http_status_problem(src, status)));
        for a in t.accounts.iter().flatten() {
            if !s.identities.has_account(a.get_ref()) {
                out.push(undefined_account_problem(s, a));
            }
        }
    }
    out
}
