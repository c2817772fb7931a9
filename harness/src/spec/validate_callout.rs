//! Checks of operator-mode auth callout: the `auth-callout` claims name declared users and
//! accounts, and an `[auth-endpoint]` in operator mode names its callout account and service
//! user.

use toml::Spanned;

use super::endpoint::{EndpointMode, EndpointSpec};
use super::identity::Identities;
use super::problem::Problem;
use super::scenario::Scenario;
use super::validate::undefined_account_problem;

/// Every problem of the scenario's operator-mode callout.
pub fn validate_callout(s: &Scenario) -> Vec<Problem> {
    let mut c = Check { s, src: s.source.as_str(), ids: &s.identities, out: Vec::new() };
    for (name, a) in &s.identities.accounts {
        let Some(claim) = &a.get_ref().auth_callout else { continue };
        for u in &claim.auth_users {
            c.user_of(u, name);
        }
        for acc in claim.allowed_accounts.iter().filter(|a| a.get_ref() != "*") {
            c.account(acc);
        }
    }
    let fixed = s.fix.as_ref().and_then(|f| f.auth_endpoint.as_ref());
    if let Some(base) = &s.auth_endpoint {
        c.endpoint(base);
        if let Some(over) = fixed {
            c.endpoint_fields_kept(base, over);
        }
    }
    c.out
}

struct Check<'a> {
    s: &'a Scenario,
    src: &'a str,
    ids: &'a Identities,
    out: Vec<Problem>,
}

impl Check<'_> {
    fn account(&mut self, name: &Spanned<String>) -> bool {
        if self.ids.has_account(name.get_ref()) {
            return true;
        }
        self.out.push(undefined_account_problem(self.s, name));
        false
    }

    /// `user` is declared under `[users]` and belongs to `account`.
    fn user_of(&mut self, user: &Spanned<String>, account: &str) {
        match self.ids.users.get(user.get_ref()) {
            None => {
                let known: Vec<&str> = self.ids.users.keys().map(String::as_str).collect();
                let help = if known.is_empty() {
                    "declare it as `[users.NAME]`".to_string()
                } else {
                    format!("declared users: {}", known.join(", "))
                };
                let p = Problem::new(self.src, user.span(), format!("undefined user `{}`", user.get_ref()))
                    .label("not declared")
                    .help(help);
                self.out.push(p);
            }
            Some(u) if u.get_ref().account_name() != Some(account) => {
                let p = Problem::new(
                    self.src,
                    user.span(),
                    format!("expected a user of account `{account}`, found a user of another account"),
                )
                .label("not in this account")
                .help(format!("set `account = \"{account}\"` on `[users.{}]`", user.get_ref()));
                self.out.push(p);
            }
            Some(_) => {}
        }
    }

    fn endpoint(&mut self, e: &EndpointSpec) {
        if e.mode() != EndpointMode::Operator {
            for f in [&e.callout_account, &e.service_user].into_iter().flatten() {
                let p =
                    Problem::new(self.src, f.span(), "`callout-account` and `service-user` need `mode = \"operator\"`")
                        .label("operator mode only");
                self.out.push(p);
            }
            return;
        }
        if self.ids.operator.is_none() {
            self.out.push(
                Problem::new(self.src, 0..0, "`[auth-endpoint] mode = \"operator\"` needs `[operator]`")
                    .help("add `[operator]` and the callout account under `[accounts.NAME]` with `auth-callout`"),
            );
            return;
        }
        if e.xkey == Some(true) {
            self.out.push(Problem::new(
                self.src,
                0..0,
                "`xkey = true` is for config mode; in operator mode the account JWT would carry the curve key, which scenarios do not issue",
            ));
        }
        let (Some(account), Some(service)) = (&e.callout_account, &e.service_user) else {
            self.out.push(
                Problem::new(
                    self.src,
                    0..0,
                    "expected `callout-account` and `service-user` in an operator-mode `[auth-endpoint]`",
                )
                .help("e.g. `callout-account = \"AUTH\"`, `service-user = \"bridge\"`"),
            );
            return;
        };
        if !self.account(account) {
            return;
        }
        let claim = self.ids.accounts.get(account.get_ref()).and_then(|a| a.get_ref().auth_callout.clone());
        let Some(claim) = claim else {
            let p = Problem::new(
                self.src,
                account.span(),
                format!("account `{}` has no `auth-callout`", account.get_ref()),
            )
            .label("no `authorization` claim")
            .help(format!(
                "add `auth-callout = {{ auth-users = [\"{}\"], allowed-accounts = [\"{}\"] }}` to `[accounts.{}]`",
                service.get_ref(),
                e.account(),
                account.get_ref()
            ));
            self.out.push(p);
            return;
        };
        self.user_of(service, account.get_ref());
        if !claim.auth_users.iter().any(|u| u.get_ref() == service.get_ref()) {
            let p = Problem::new(
                self.src,
                service.span(),
                format!("expected `{}` among the `auth-users` of account `{}`", service.get_ref(), account.get_ref()),
            )
            .label("not an auth user");
            self.out.push(p);
        }
        if !self.ids.has_account(e.account()) {
            self.out.push(
                Problem::new(
                    self.src,
                    0..0,
                    format!("undefined account `{}` in `[auth-endpoint] account`", e.account()),
                )
                .help(format!("declared accounts: {}", self.ids.account_names().join(", "))),
            );
        }
    }

    /// A `[fix.auth-endpoint]` does not switch the mode or the callout's identities.
    fn endpoint_fields_kept(&mut self, base: &EndpointSpec, over: &EndpointSpec) {
        let switched = over.mode.is_some_and(|m| m != base.mode())
            || over.callout_account.as_ref().is_some_and(|a| Some(a) != base.callout_account.as_ref())
            || over.service_user.as_ref().is_some_and(|u| Some(u) != base.service_user.as_ref());
        if switched {
            self.out.push(
                Problem::new(
                    self.src,
                    0..0,
                    "`[fix.auth-endpoint]` cannot change `mode`, `callout-account` or `service-user`",
                )
                .help("the server's config decides the mode; change the endpoint's answer instead"),
            );
        }
    }
}
