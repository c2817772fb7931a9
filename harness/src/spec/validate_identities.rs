//! Checks of the identities: every name a declaration, a `[fix]`, a step or a client uses is
//! declared, and operator-mode declarations have an `[operator]`.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::client::ClientSpec;
use super::identity::{AccountSpec, Identities, IssuerAccount, SubjectRules, UserSpec, built_in_zone, zone};
use super::problem::Problem;
use super::scenario::Scenario;
use super::step::{Action, Phase};
use super::subject::check_subject;

/// Every identity problem of a scenario.
pub fn validate_identities(s: &Scenario) -> Vec<Problem> {
    let mut v = Check { s, ids: &s.identities, out: Vec::new() };
    v.operator_mode();
    for a in s.identities.accounts.values() {
        v.account(a.get_ref());
    }
    for u in s.identities.users.values() {
        v.user(u.get_ref());
        v.zone_given(u.get_ref());
    }
    if let Some(fix) = &s.fix {
        v.overrides(&fix.accounts, &fix.users);
    }
    for step in &s.steps {
        let has = !step.accounts.is_empty() || !step.users.is_empty();
        if has && *step.action.get_ref() != Action::ReloadServer {
            let spans = step.accounts.values().map(Spanned::span).chain(step.users.values().map(Spanned::span));
            let span = spans.min_by_key(|r| r.start).unwrap_or(step.action.span());
            v.out.push(
                Problem::new(
                    &s.source,
                    span,
                    format!("`{}` takes no `accounts` or `users`", step.action.get_ref().as_str()),
                )
                .help("only a `reload-server` step issues credentials anew"),
            );
        }
        v.overrides(&step.accounts, &step.users);
    }
    for c in s.clients.values() {
        v.client(c);
        v.one_kind(c.get_ref(), c.span(), Phase::Broken);
    }
    if let Some(fix) = &s.fix {
        for c in fix.clients.values() {
            v.client(c);
        }
        for (name, c) in &fix.clients {
            if let Some(base) = s.clients.get(name) {
                v.one_kind(&base.get_ref().merged(c.get_ref()), c.span(), Phase::Fixed);
            }
        }
    }
    v.out
}

struct Check<'a> {
    s: &'a Scenario,
    ids: &'a Identities,
    out: Vec<Problem>,
}

impl Check<'_> {
    fn src(&self) -> &str {
        &self.s.source
    }

    fn undefined(&mut self, what: &str, name: &str, span: Range<usize>, known: Vec<String>, declare: &str) {
        let help = if known.is_empty() {
            format!("declare it as `{declare}`")
        } else {
            format!("declared {what}s: {}", known.join(", "))
        };
        let p = Problem::new(self.src(), span, format!("undefined {what} `{name}`")).label("not declared").help(help);
        self.out.push(p);
    }

    fn operator_mode(&mut self) {
        if self.ids.operator.is_some() {
            return;
        }
        let first = self.ids.accounts.iter().map(|(n, a)| (format!("[accounts.{n}]"), a.span()));
        let first = first
            .chain(self.ids.users.iter().map(|(n, u)| (format!("[users.{n}]"), u.span())))
            .min_by_key(|(_, r)| r.start);
        if let Some((what, span)) = first {
            let p = Problem::new(
                self.src(),
                span,
                format!("`{what}` needs `[operator]`: account and user JWTs exist only in operator mode"),
            )
            .help("add an `[operator]` table (it may be empty), or use `[nkeys.NAME]` for config-mode users");
            self.out.push(p);
        }
    }

    fn account(&mut self, a: &AccountSpec) {
        for r in a.revoke.iter().flatten() {
            let user = r.get_ref();
            if user != "*" && !self.ids.users.contains_key(user) {
                let known = self.ids.users.keys().cloned().collect();
                self.undefined("user", user, r.span(), known, "[users.NAME]");
            }
        }
        for (user, at) in a.revocations.iter().flatten() {
            if user != "*" && !self.ids.users.contains_key(user) {
                let known = self.ids.users.keys().cloned().collect();
                self.undefined("user", user, at.span(), known, "[users.NAME]");
            }
        }
        for rules in a.scoped_signing_keys.iter().flatten().flat_map(|(_, k)| [&k.publish, &k.subscribe]).flatten() {
            self.subjects(rules);
        }
        for rules in a.default_permissions.iter().flat_map(|d| [&d.publish, &d.subscribe]).flatten() {
            self.subjects(rules);
        }
        if let Some(k) = &a.signed_by {
            let op = self.ids.operator.as_ref().map(|o| o.get_ref());
            let known: Vec<String> = op.into_iter().flat_map(|o| o.signing_key_names().map(str::to_string)).collect();
            if !known.iter().any(|n| n == k.get_ref()) {
                self.undefined(
                    "operator signing key",
                    k.get_ref(),
                    k.span(),
                    known,
                    "[operator] signing-keys = [\"NAME\"]",
                );
            }
            if a.foreign_operator == Some(true) {
                let p = Problem::new(self.src(), k.span(), "expected `signed-by` or `foreign-operator`, found both")
                    .help("a foreign operator signs with its own key");
                self.out.push(p);
            }
        }
    }

    fn user(&mut self, u: &UserSpec) {
        if let Some(acc) = &u.account
            && !self.ids.has_account(acc.get_ref())
        {
            self.undefined("account", acc.get_ref(), acc.span(), self.ids.account_names(), "[accounts.NAME]");
        }
        if let Some(k) = &u.signing_key
            && !self.ids.has_signing_key(k.get_ref())
        {
            let known: Vec<String> = self
                .ids
                .accounts
                .values()
                .flat_map(|a| a.get_ref().signing_key_names().map(str::to_string).collect::<Vec<_>>())
                .collect();
            let p = Problem::new(self.src(), k.span(), format!("undefined signing key `{}`", k.get_ref()))
                .label("no account lists it")
                .help(if known.is_empty() {
                    "list it in an account: `signing-keys = [\"NAME\"]`".to_string()
                } else {
                    format!("signing keys: {}", known.join(", "))
                });
            self.out.push(p);
        }
        if let Some(i) = &u.issuer_account
            && let IssuerAccount::Named(acc) = i.get_ref()
            && !self.ids.has_account(acc)
        {
            self.undefined("account", acc, i.span(), self.ids.account_names(), "[accounts.NAME]");
        }
        for rules in [&u.publish, &u.subscribe].into_iter().flatten() {
            self.subjects(rules);
        }
        self.connect_times(u);
    }

    /// Both ends of every window, a known `locale`, an hour for `locale-now-hour`, not both.
    fn connect_times(&mut self, u: &UserSpec) {
        for w in u.times.iter().flatten() {
            let (start, end) = (&w.get_ref().start, &w.get_ref().end);
            if start.is_none() || end.is_none() {
                let missing = if start.is_none() { "`start`" } else { "`end`" };
                let p = Problem::new(self.src(), w.span(), format!("expected a window with `start` and `end`, found no {missing}"))
                    .help("write both: `{ start = \"22:00:00\", end = \"06:00:00\" }` (a start after the end crosses midnight)");
                self.out.push(p);
            }
        }
        if let Some(l) = &u.locale
            && !built_in_zone(l.get_ref())
            && let Err(e) = zone(l.get_ref())
        {
            self.out.push(Problem::new(self.src(), l.span(), e.to_string()).label("unknown zone"));
        }
        if let Some(h) = &u.locale_now_hour
            && *h.get_ref() > 23
        {
            let p =
                Problem::new(self.src(), h.span(), format!("expected an hour from 0 to 23, found `{}`", h.get_ref()));
            self.out.push(p);
        }
        if let (Some(_), Some(h)) = (&u.locale, &u.locale_now_hour) {
            let p = Problem::new(self.src(), h.span(), "expected `locale` or `locale-now-hour`, found both")
                .help("`locale-now-hour` chooses the locale itself");
            self.out.push(p);
        }
    }

    /// A window relative to now is rendered in a named zone: `locale` (not `Local`, the
    /// server's own) or `locale-now-hour`.
    fn zone_given(&mut self, u: &UserSpec) {
        let named = u.locale_now_hour.is_some() || u.locale.as_ref().is_some_and(|l| l.get_ref() != "Local");
        let relative = u.times.iter().flatten().flat_map(|w| [&w.get_ref().start, &w.get_ref().end]).flatten();
        if let Some(t) = relative.clone().find(|t| t.get_ref().is_relative())
            && !named
        {
            let p = Problem::new(self.src(), t.span(), format!("`{}` needs a named `locale` to be read in", t.get_ref()))
                .label("relative to now")
                .help("add `locale = \"UTC\"` (or any IANA zone), or `locale-now-hour = 0` to choose a zone in which now is 00:MM:SS");
            self.out.push(p);
        }
    }

    fn subjects(&mut self, rules: &SubjectRules) {
        for subj in rules.allow.iter().chain(&rules.deny) {
            if let Err(e) = check_subject(subj.get_ref(), true) {
                self.out.push(Problem::new(self.src(), subj.span(), e.to_string()).label("invalid subject"));
            }
        }
    }

    fn overrides(
        &mut self,
        accounts: &BTreeMap<String, Spanned<AccountSpec>>,
        users: &BTreeMap<String, Spanned<UserSpec>>,
    ) {
        for (name, a) in accounts {
            if self.ids.has_account(name) {
                self.account(a.get_ref());
            } else {
                self.undefined("account", name, a.span(), self.ids.account_names(), "[accounts.NAME]");
            }
        }
        for (name, u) in users {
            if let Some(base) = self.ids.users.get(name) {
                self.user(u.get_ref());
                self.zone_given(&base.get_ref().merged(u.get_ref()));
            } else {
                self.undefined("user", name, u.span(), self.ids.users.keys().cloned().collect(), "[users.NAME]");
            }
        }
    }

    fn client(&mut self, c: &Spanned<ClientSpec>) {
        let spec = c.get_ref();
        let mut named: Vec<(&str, Range<usize>)> = Vec::new();
        if let Some(c) = &spec.creds {
            named.extend(c.get_ref().users(c.span()));
        }
        if let Some(j) = &spec.jwt {
            named.push((j.get_ref().as_str(), j.span()));
        }
        for (user, span) in named {
            if !self.ids.users.contains_key(user) {
                self.undefined("user", user, span, self.ids.users.keys().cloned().collect(), "[users.NAME]");
            }
        }
        if let Some(n) = &spec.nkey_seed
            && !self.ids.nkeys.contains_key(n.get_ref())
        {
            self.undefined("nkey", n.get_ref(), n.span(), self.ids.nkeys.keys().cloned().collect(), "[nkeys.NAME]");
        }
    }

    /// A client uses at most one of `creds`, `jwt`, `nkey-seed` and `auth-callback`, and
    /// `creds-defect` only with `creds`.
    fn one_kind(&mut self, spec: &ClientSpec, span: Range<usize>, phase: Phase) {
        let kinds: Vec<&str> = [
            (spec.creds.is_some(), "creds"),
            (spec.jwt.is_some(), "jwt"),
            (spec.nkey_seed.is_some(), "nkey-seed"),
            (spec.auth_callback.is_some(), "auth-callback"),
            (spec.creds_file.is_some(), "creds-file"),
            (spec.nkey_seed_file.is_some(), "nkey-seed-file"),
        ]
        .into_iter()
        .filter_map(|(set, k)| set.then_some(k))
        .collect();
        if kinds.len() > 1 {
            let p = Problem::new(
                self.src(),
                span.clone(),
                format!(
                    "expected one kind of credentials, found {} (in the {} phase)",
                    kinds.join(" and "),
                    phase.as_str()
                ),
            )
            .help("keep one of them (a `[fix.clients.NAME]` that names another kind replaces the client's)");
            self.out.push(p);
        }
        if let Some(renew) = spec.renew_jwt.as_ref().filter(|r| *r.get_ref() && spec.jwt.is_none()) {
            self.out.push(
                Problem::new(self.src(), renew.span(), "`renew-jwt` needs `jwt`, the user whose JWT is issued anew")
                    .label("no `jwt` to renew")
                    .help("write `jwt = \"alice\"` beside it"),
            );
        }
        if spec.creds_defect.is_some() && spec.creds.is_none() {
            self.out.push(Problem::new(
                self.src(),
                span,
                "`creds-defect` needs `creds`, the user whose creds file it damages",
            ));
        }
    }
}
