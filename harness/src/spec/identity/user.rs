//! `[users.NAME]`: a user JWT, who signs it, and what it allows.

use serde::Deserialize;
use toml::Spanned;

use super::connect_times::ConnectWindow;
use super::issuer_account::IssuerAccount;
use super::jwt_defect::JwtDefectKind;
use super::relative_time::RelTime;

/// Subjects allowed and denied in one direction (`pub` or `sub`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubjectRules {
    /// Subjects allowed.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    /// Subjects denied (deny beats allow).
    #[serde(default)]
    pub deny: Vec<Spanned<String>>,
}

/// One `[users.NAME]` table: a user JWT of operator mode. Every field is optional so that
/// `[fix.users.NAME]` can override single fields; `account` is required where the user is
/// declared.
///
/// ```toml
/// [users.alice]
/// account = "APP"
/// signing-key = "app-ops"   # default: the account's own key signs
/// expires = "+2s"
/// pub = { allow = ["orders.>"] }
/// times = [{ start = "now-1h", end = "now+1h" }]
/// locale = "UTC"
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserSpec {
    /// The account the user belongs to.
    pub account: Option<Spanned<String>>,
    /// A signing key (named in some account's `signing-keys`) that signs instead of the account.
    pub signing_key: Option<Spanned<String>>,
    /// `issuer_account`: `true`, `false` or an account name.
    pub issuer_account: Option<Spanned<IssuerAccount>>,
    /// The JWT's `name` (default: the table's key).
    pub name: Option<String>,
    /// `exp`, relative to the moment of issue.
    pub expires: Option<RelTime>,
    /// `nbf`, relative to the moment of issue.
    pub not_before: Option<RelTime>,
    /// `iat`, relative to the moment of issue (default: that moment).
    pub issued_at: Option<RelTime>,
    /// Publish permissions.
    #[serde(rename = "pub")]
    pub publish: Option<SubjectRules>,
    /// Subscribe permissions.
    #[serde(rename = "sub")]
    pub subscribe: Option<SubjectRules>,
    /// A bearer token: the server does not check the nonce signature.
    pub bearer: Option<bool>,
    /// A deliberate flaw in the signed JWT.
    pub defect: Option<JwtDefectKind>,
    /// Connect `times`: windows of clock time in `locale` in which the user may connect.
    pub times: Option<Vec<Spanned<ConnectWindow>>>,
    /// `times_location`: the IANA time zone `times` are read in (nsc `--locale`).
    pub locale: Option<Spanned<String>>,
    /// Instead of `locale`: the fixed-offset zone in which the moment of issue falls in this hour
    /// (0-23), chosen when the JWT is issued.
    pub locale_now_hour: Option<Spanned<u8>>,
}

impl UserSpec {
    /// This spec with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &UserSpec) -> UserSpec {
        macro_rules! pick {
            ($($f:ident),*) => { UserSpec { $($f: over.$f.clone().or_else(|| self.$f.clone()),)* } };
        }
        pick!(
            account,
            signing_key,
            issuer_account,
            name,
            expires,
            not_before,
            issued_at,
            publish,
            subscribe,
            bearer,
            defect,
            times,
            locale,
            locale_now_hour
        )
        .zone_from(over)
    }

    /// `locale` and `locale-now-hour` name one zone: an override that sets either replaces both.
    fn zone_from(mut self, over: &UserSpec) -> UserSpec {
        if over.locale.is_some() || over.locale_now_hour.is_some() {
            self.locale = over.locale.clone();
            self.locale_now_hour = over.locale_now_hour.clone();
        }
        self
    }

    /// The account name, if given.
    pub fn account_name(&self) -> Option<&str> {
        self.account.as_ref().map(|a| a.get_ref().as_str())
    }

    /// The issuer account in force: as written, else the default (written when a signing key signs).
    pub fn issuer_account(&self) -> IssuerAccount {
        match &self.issuer_account {
            Some(i) => i.get_ref().clone(),
            None if self.signing_key.is_some() => IssuerAccount::Own,
            None => IssuerAccount::Omit,
        }
    }

    /// The defect in force, if any.
    pub fn defect(&self) -> Option<JwtDefectKind> {
        self.defect.filter(|d| *d != JwtDefectKind::None)
    }
}
