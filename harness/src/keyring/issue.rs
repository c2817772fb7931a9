//! Issuing the JWTs a scenario's identities describe, at one moment, with the phase's keys.

use std::collections::{BTreeMap, BTreeSet};

use super::keys::{KeyKind, KeySet};
use crate::credentials::defects::{
    sign_with_wrong_key, strip_signature, tamper_claims, tamper_signature, truncate_jwt,
};
use crate::credentials::{
    AccountClaims, ClaimsData, ExternalAuthorization, JwtError, NatsClaims, NatsLimits, OperatorClaims, Permission,
    SigningKey, TimeRange, UserClaims, UserScope, encode,
};
use crate::spec::{
    AccountSpec, Identities, IssuerAccount, JwtDefectKind, RelTime, ScopedKeySpec, SubjectRules, UserSpec, ZoneError,
    built_in_zone, clock_in, zone_for_hour,
};

/// Why a JWT could not be issued.
#[derive(Debug, thiserror::Error)]
#[error("cannot issue the jwt of {what} `{name}`: {source}")]
pub struct IssueError {
    /// `operator`, `account` or `user`.
    pub what: &'static str,
    /// The identity's name.
    pub name: String,
    /// What went wrong.
    #[source]
    pub source: IssueCause,
}

/// What kept a JWT from being issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueCause {
    /// Encoding or signing.
    #[error(transparent)]
    Jwt(#[from] JwtError),
    /// A connect time that cannot be rendered in the user's `locale`.
    #[error(transparent)]
    Zone(#[from] ZoneError),
}

/// An account as issued.
#[derive(Clone, Debug)]
pub struct IssuedAccount {
    /// `A...`.
    pub public: String,
    /// The account JWT.
    pub jwt: String,
    /// Whether `{{resolver-preload}}` lists it.
    pub in_resolver: bool,
}

/// A user JWT as issued, with the user's key pair. `Debug` shows the public key only.
#[derive(Clone)]
pub struct IssuedUser {
    /// `U...`.
    pub public: String,
    /// `SU...`: a secret.
    pub seed: String,
    /// The JWT as the client gets it (with its defect, if any).
    pub jwt: String,
    /// The JWT's `times_location`, when it has one.
    pub zone: Option<String>,
}

impl std::fmt::Debug for IssuedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedUser").field("public", &self.public).finish_non_exhaustive()
    }
}

/// Every JWT of one moment.
#[derive(Clone, Debug, Default)]
pub struct Issued {
    /// The operator's public key and JWT, in operator mode.
    pub operator: Option<(String, String)>,
    /// The system account's public key, in operator mode.
    pub system_account: Option<String>,
    /// Accounts by name.
    pub accounts: BTreeMap<String, IssuedAccount>,
    /// Users by name.
    pub users: BTreeMap<String, IssuedUser>,
    /// The signature part of every JWT made, defective ones included (secrets).
    pub signatures: Vec<String>,
    /// The time zones the user JWTs name that nats-server reads from a zoneinfo database.
    pub zones: BTreeSet<String>,
}

/// Issues every JWT of `ids` at `now` (Unix seconds with a fraction), making keys as needed.
/// The operator JWT is issued at `operator_at`: a server refuses to reload a changed operator
/// (`config reload not supported for TrustedOperators`), and ed25519 signatures are
/// deterministic, so the same moment gives the same JWT.
pub fn issue(ids: &Identities, keys: &mut KeySet, now: f64, operator_at: f64) -> Result<Issued, IssueError> {
    let mut out = Issued::default();
    let iat = operator_at.floor() as i64;
    for name in ids.nkeys.keys() {
        keys.get(KeyKind::Nkey, name);
    }
    let Some(op) = &ids.operator else { return Ok(out) };
    let operator = keys.get(KeyKind::Operator, "operator");
    let sys_name = op.get_ref().system_account().to_string();
    let sys = keys.get(KeyKind::Account, &sys_name);
    let mut oc = OperatorClaims::new(operator.public_key(), op.get_ref().name.as_deref().unwrap_or("OP"));
    oc.data.iat = iat;
    oc.nats.system_account = sys.public_key().to_string();
    for k in op.get_ref().signing_key_names() {
        oc.nats.signing_keys.push(keys.get(KeyKind::OperatorSigningKey, k).public_key().to_string());
    }
    oc.nats.strict_signing_key_usage = op.get_ref().strict_signing_keys.unwrap_or(false);
    let jwt = encode(&mut oc, &operator).map_err(|source| IssueError {
        what: "operator",
        name: "operator".into(),
        source: source.into(),
    })?;
    out.signatures.extend(signature_of(&jwt));
    out.operator = Some((operator.public_key().to_string(), jwt));
    out.system_account = Some(sys.public_key().to_string());

    for name in ids.account_names() {
        let spec = ids.account(&name).unwrap_or_default();
        let a = account(&name, &spec, keys, now).map_err(|source| IssueError {
            what: "account",
            name: name.clone(),
            source: source.into(),
        })?;
        out.signatures.extend(signature_of(&a.jwt));
        out.accounts.insert(name, a);
    }
    for (name, spec) in &ids.users {
        let scoped = spec
            .get_ref()
            .signing_key
            .as_ref()
            .is_some_and(|k| ids.accounts.values().any(|a| a.get_ref().scoped_key(k.get_ref()).is_some()));
        let (u, sigs) = user(name, spec.get_ref(), scoped, keys, now).map_err(|source| IssueError {
            what: "user",
            name: name.clone(),
            source,
        })?;
        out.signatures.extend(sigs);
        out.zones.extend(u.zone.clone().filter(|z| !built_in_zone(z)));
        out.users.insert(name.clone(), u);
    }
    Ok(out)
}

/// The signature part of a JWT, when it has one.
fn signature_of(jwt: &str) -> Option<String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    match parts[..] {
        [_, _, sig] if sig.len() >= 3 => Some(sig.to_string()),
        _ => None,
    }
}

/// When a JWT says it was issued, expires and becomes valid, relative to the moment of issue.
#[derive(Clone, Copy, Default)]
struct Times {
    issued_at: Option<RelTime>,
    expires: Option<RelTime>,
    not_before: Option<RelTime>,
}

/// Sets `iat`, `exp` and `nbf`; an `exp` in the past moves an `iat` not given a minute before
/// it, as a JWT that really expired was issued before it expired.
fn times<C: NatsClaims>(claims: &mut C, t: Times, now: f64) {
    let Times { issued_at, expires, not_before } = t;
    let data: &mut ClaimsData = claims.claims_data_mut();
    data.iat = issued_at.map_or(now.floor() as i64, |t| t.unix_at(now));
    if let Some(e) = expires {
        let exp = e.unix_at(now);
        data.exp = Some(exp);
        if exp <= data.iat && issued_at.is_none() {
            data.iat = exp - 60;
        }
    }
    if let Some(n) = not_before {
        data.nbf = Some(n.unix_at(now));
    }
}

fn account(name: &str, spec: &AccountSpec, keys: &mut KeySet, now: f64) -> Result<IssuedAccount, JwtError> {
    let signer = match (spec.foreign_operator, &spec.signed_by) {
        (Some(true), _) => keys.get(KeyKind::ForeignOperator, "foreign"),
        (_, Some(k)) => keys.get(KeyKind::OperatorSigningKey, k.get_ref()),
        _ => keys.get(KeyKind::Operator, "operator"),
    };
    let id = keys.get(KeyKind::Account, name);
    let mut c = AccountClaims::new(id.public_key(), spec.name.as_deref().unwrap_or(name));
    let t = Times { issued_at: spec.issued_at, expires: spec.expires, not_before: spec.not_before };
    times(&mut c, t, now);
    for k in spec.signing_keys.iter().flatten() {
        c.nats.signing_keys.push(keys.get(KeyKind::SigningKey, k.get_ref()).public_key().into());
    }
    for (k, scope) in spec.scoped_signing_keys.iter().flatten() {
        let key = keys.get(KeyKind::SigningKey, k).public_key().to_string();
        c.nats.signing_keys.push(SigningKey::Scoped(Box::new(user_scope(&key, k, scope))));
    }
    if let Some(l) = &spec.limits {
        let lim = &mut c.nats.limits;
        let set = |slot: &mut i64, v: Option<i64>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut lim.conn, l.conn);
        set(&mut lim.nats.subs, l.subs);
        set(&mut lim.nats.data, l.data);
        set(&mut lim.nats.payload, l.payload);
        set(&mut lim.leaf, l.leaf);
        set(&mut lim.imports, l.imports);
        set(&mut lim.exports, l.exports);
        lim.wildcards = l.wildcards.unwrap_or(lim.wildcards);
        lim.disallow_bearer = l.disallow_bearer.unwrap_or(lim.disallow_bearer);
    }
    if let Some(js) = &spec.jetstream {
        let lim = &mut c.nats.limits.jetstream;
        lim.mem_storage = js.memory.map_or(0, |b| b.0);
        lim.disk_storage = js.disk.map_or(0, |b| b.0);
        lim.streams = js.streams.unwrap_or(-1);
        lim.consumer = js.consumers.unwrap_or(-1);
    }
    for r in spec.revoke.iter().flatten() {
        let who = r.get_ref();
        let key = if who == "*" { "*".to_string() } else { keys.get(KeyKind::User, who).public_key().to_string() };
        // JWTs issued at or before this second are refused.
        c.nats.revocations.insert(key, now.floor() as i64);
    }
    for (who, at) in spec.revocations.iter().flatten() {
        let key = if who == "*" { "*".to_string() } else { keys.get(KeyKind::User, who).public_key().to_string() };
        c.nats.revocations.insert(key, at.get_ref().unix_at(now));
    }
    if let Some(d) = &spec.default_permissions {
        c.nats.default_permissions.publish = permission(&d.publish);
        c.nats.default_permissions.subscribe = permission(&d.subscribe);
    }
    if let Some(callout) = &spec.auth_callout {
        let mut key = |kind: KeyKind, name: &str| {
            if name == "*" { name.to_string() } else { keys.get(kind, name).public_key().to_string() }
        };
        c.nats.authorization = Some(ExternalAuthorization {
            auth_users: callout.auth_users.iter().map(|u| key(KeyKind::User, u.get_ref())).collect(),
            allowed_accounts: callout.allowed_accounts.iter().map(|a| key(KeyKind::Account, a.get_ref())).collect(),
            xkey: String::new(),
        });
    }
    let jwt = encode(&mut c, &signer)?;
    let in_resolver = !spec.unknown_to_resolver.unwrap_or(false);
    Ok(IssuedAccount { public: id.public_key().to_string(), jwt, in_resolver })
}

fn rules(r: &Option<SubjectRules>) -> (Vec<String>, Vec<String>) {
    let r = r.clone().unwrap_or_default();
    (r.allow.into_iter().map(|s| s.into_inner()).collect(), r.deny.into_iter().map(|s| s.into_inner()).collect())
}

fn permission(r: &Option<SubjectRules>) -> Permission {
    let (allow, deny) = rules(r);
    Permission { allow, deny }
}

/// The JWT form of a scoped signing key: its template as `nsc` writes it (limits unlimited).
fn user_scope(key: &str, name: &str, spec: &ScopedKeySpec) -> UserScope {
    let mut scope = UserScope::new(key, spec.role.as_deref().unwrap_or(name));
    scope.template.permissions.publish = permission(&spec.publish);
    scope.template.permissions.subscribe = permission(&spec.subscribe);
    scope.template.bearer_token = spec.bearer.unwrap_or(false);
    scope
}

/// Issues a user JWT. A user of a scoped key carries no limits (its template sets them, and the
/// server refuses a scoped user with limits or permissions of its own).
fn user(
    name: &str,
    spec: &UserSpec,
    scoped: bool,
    keys: &mut KeySet,
    now: f64,
) -> Result<(IssuedUser, Vec<String>), IssueCause> {
    let id = keys.get(KeyKind::User, name);
    let account = spec.account_name().unwrap_or_default();
    let account_key = keys.get(KeyKind::Account, account);
    let signer = match &spec.signing_key {
        Some(k) => keys.get(KeyKind::SigningKey, k.get_ref()),
        None => account_key.clone(),
    };
    let mut c = UserClaims::new(id.public_key(), spec.name.as_deref().unwrap_or(name));
    times(&mut c, Times { issued_at: spec.issued_at, expires: spec.expires, not_before: spec.not_before }, now);
    if scoped {
        c.nats.limits = NatsLimits { subs: 0, data: 0, payload: 0 };
    }
    c.nats.issuer_account = match spec.issuer_account() {
        IssuerAccount::Omit => String::new(),
        IssuerAccount::Own => account_key.public_key().to_string(),
        IssuerAccount::Named(other) => keys.get(KeyKind::Account, &other).public_key().to_string(),
    };
    (c.nats.permissions.publish.allow, c.nats.permissions.publish.deny) = rules(&spec.publish);
    (c.nats.permissions.subscribe.allow, c.nats.permissions.subscribe.deny) = rules(&spec.subscribe);
    c.nats.bearer_token = spec.bearer.unwrap_or(false);
    let zone = connect_times(&mut c, spec, now)?;
    let good = encode(&mut c, &signer)?;
    let jwt = match spec.defect() {
        None => good.clone(),
        Some(JwtDefectKind::TamperSignature) => tamper_signature(&good)?,
        Some(JwtDefectKind::WrongSigner) => sign_with_wrong_key(&mut c, &signer, &keys.get(KeyKind::Stranger, name))?,
        Some(JwtDefectKind::Truncate) => truncate_jwt(&good),
        Some(JwtDefectKind::StripSignature) => strip_signature(&good),
        Some(JwtDefectKind::EditClaims) => tamper_claims(&good, |v| v["nats"]["subs"] = 1000.into())?,
        Some(JwtDefectKind::None) => good.clone(),
    };
    let sigs = [signature_of(&good), signature_of(&jwt)].into_iter().flatten().collect();
    Ok((IssuedUser { public: id.public_key().to_string(), seed: id.seed().to_string(), jwt, zone }, sigs))
}

/// Sets `times` and `times_location`: relative ends rendered as the clock in the user's zone
/// shows them at `now` (`locale-now-hour` chooses that zone now). Returns the zone named.
fn connect_times(c: &mut UserClaims, spec: &UserSpec, now: f64) -> Result<Option<String>, ZoneError> {
    let zone = match (&spec.locale, &spec.locale_now_hour) {
        (_, Some(h)) => Some(zone_for_hour(now.floor() as i64, *h.get_ref())),
        (Some(name), None) => Some(name.get_ref().clone()),
        (None, None) => None,
    };
    let name = zone.as_deref().unwrap_or("Local");
    for w in spec.times.iter().flatten() {
        let w = w.get_ref();
        let end = |t: &Option<toml::Spanned<crate::spec::ClockTime>>| match t {
            Some(t) => clock_in(*t.get_ref(), now, name),
            None => Ok(String::new()),
        };
        c.nats.user_limits.times.push(TimeRange { start: end(&w.start)?, end: end(&w.end)? });
    }
    c.nats.user_limits.times_location = zone.clone().unwrap_or_default();
    Ok(zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(user: &str, account: &str) -> Identities {
        let text = format!(
            "name = \"n\"\ncause = \"jwt-invalid\"\nsummary = \"s\"\n[operator]\n[accounts.APP]\n{account}\n[users.alice]\naccount = \"APP\"\n{user}\n[server]\nconfig = 'operator: \"{{{{operator.jwt}}}}\"'\n[clients.c]\ncreds = \"alice\"\n[[steps]]\ndo = \"connect\"\nclient = \"c\"\nexpect = {{ error = \"AuthorizationViolation\" }}\n[fix]\nsummary = \"f\"\nclients.c = {{ creds = \"alice\" }}\n"
        );
        crate::spec::load_str("x.toml".as_ref(), &text).expect("valid scenario").identities
    }

    fn claims(jwt: &str) -> serde_json::Value {
        crate::credentials::decode(jwt).expect("decodes").claims
    }

    #[test]
    fn connect_times_render_relative_ends_in_the_zone() {
        let ids = ids(
            "locale = \"UTC\"\ntimes = [{ start = \"now-1h\", end = \"now+1h\" }, { start = \"08:00:00\", end = \"9:30:00\" }]",
            "",
        );
        let issued = issue(&ids, &mut KeySet::default(), 1800.5, 0.0).unwrap();
        let nats = &claims(&issued.users["alice"].jwt)["nats"];
        assert_eq!(nats["times_location"], "UTC");
        assert_eq!(nats["times"][0]["start"], "23:30:00");
        assert_eq!(nats["times"][0]["end"], "01:30:00");
        assert_eq!(nats["times"][1]["end"], "09:30:00");
        assert!(issued.zones.is_empty(), "UTC needs no zone file");
    }

    #[test]
    fn locale_now_hour_chooses_a_zone_in_which_now_has_that_hour() {
        let ids = ids("locale-now-hour = 0\ntimes = [{ start = \"now\", end = \"now+1h\" }]", "");
        // 14:30 UTC: 00:30 is ten hours east.
        let issued = issue(&ids, &mut KeySet::default(), 14.5 * 3600.0, 0.0).unwrap();
        let nats = &claims(&issued.users["alice"].jwt)["nats"];
        assert_eq!(nats["times_location"], "Etc/GMT-10");
        assert_eq!(nats["times"][0]["start"], "00:30:00");
        assert_eq!(issued.zones.iter().collect::<Vec<_>>(), ["Etc/GMT-10"]);
    }

    #[test]
    fn default_permissions_land_in_the_account_jwt() {
        let ids = ids("", "default-permissions = { pub = { deny = [\"orders.>\"] } }");
        let issued = issue(&ids, &mut KeySet::default(), 1000.0, 0.0).unwrap();
        let nats = &claims(&issued.accounts["APP"].jwt)["nats"];
        assert_eq!(nats["default_permissions"]["pub"]["deny"][0], "orders.>");
        assert!(claims(&issued.users["alice"].jwt)["nats"].get("times").is_none());
    }
}
