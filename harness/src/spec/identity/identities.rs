//! Every identity a scenario declares, and how overrides change them.

use std::collections::BTreeMap;

use toml::Spanned;

use super::account::AccountSpec;
use super::nkey::NkeySpec;
use super::operator::OperatorSpec;
use super::user::UserSpec;

/// Identities by kind and name: `[operator]`, `[accounts.NAME]`, `[users.NAME]`, `[nkeys.NAME]`.
#[derive(Clone, Debug, Default)]
pub struct Identities {
    /// The operator, in operator mode.
    pub operator: Option<Spanned<OperatorSpec>>,
    /// Accounts by name.
    pub accounts: BTreeMap<String, Spanned<AccountSpec>>,
    /// User JWTs by name.
    pub users: BTreeMap<String, Spanned<UserSpec>>,
    /// Nkey users by name.
    pub nkeys: BTreeMap<String, Spanned<NkeySpec>>,
}

impl Identities {
    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.operator.is_none() && self.accounts.is_empty() && self.users.is_empty() && self.nkeys.is_empty()
    }

    /// The system account's name, in operator mode.
    pub fn system_account(&self) -> Option<&str> {
        self.operator.as_ref().map(|o| o.get_ref().system_account())
    }

    /// Whether `name` is an account (declared, or the implicit system account).
    pub fn has_account(&self, name: &str) -> bool {
        self.accounts.contains_key(name) || self.system_account() == Some(name)
    }

    /// The account spec of `name`; the implicit system account has the defaults.
    pub fn account(&self, name: &str) -> Option<AccountSpec> {
        match self.accounts.get(name) {
            Some(a) => Some(a.get_ref().clone()),
            None if self.system_account() == Some(name) => Some(AccountSpec::default()),
            None => None,
        }
    }

    /// Every account name, the implicit system account included, in order.
    pub fn account_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.accounts.keys().cloned().collect();
        if let Some(sys) = self.system_account()
            && !self.accounts.contains_key(sys)
        {
            names.push(sys.to_string());
        }
        names.sort();
        names
    }

    /// Whether some account lists a signing key called `name`.
    pub fn has_signing_key(&self, name: &str) -> bool {
        self.accounts.values().any(|a| a.get_ref().signing_key_names().any(|k| k == name))
    }

    /// These identities with account and user fields overridden (by `[fix]` or a
    /// `reload-server` step); names not declared here are ignored (validation reports them).
    pub fn merged(
        &self,
        accounts: &BTreeMap<String, Spanned<AccountSpec>>,
        users: &BTreeMap<String, Spanned<UserSpec>>,
    ) -> Identities {
        let mut out = self.clone();
        for (name, over) in accounts {
            if let Some(base) = out.accounts.get_mut(name) {
                *base = Spanned::new(base.span(), base.get_ref().merged(over.get_ref()));
            } else if self.system_account() == Some(name.as_str()) {
                out.accounts
                    .insert(name.clone(), Spanned::new(over.span(), AccountSpec::default().merged(over.get_ref())));
            }
        }
        for (name, over) in users {
            if let Some(base) = out.users.get_mut(name) {
                *base = Spanned::new(base.span(), base.get_ref().merged(over.get_ref()));
            }
        }
        out
    }
}
