//! Turning a client's credential names into [`ClientAuth`], writing its creds file.

use std::path::Path;

use super::ring::Keyring;
use crate::client::ClientAuth;
use crate::credentials::write_creds;
use crate::spec::ClientSpec;

/// Why a client's credentials could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum ClientAuthError {
    /// A name that the keyring does not hold (validation normally prevents it).
    #[error("client `{client}` names {what} `{name}`, which is not declared")]
    Undefined {
        /// The client.
        client: String,
        /// `user` or `nkey`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// The creds file could not be written.
    #[error("cannot write the creds file of client `{client}`: {source}")]
    Write {
        /// The client.
        client: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A team's nkey seed file could not be read.
    #[error("cannot read the nkey seed file of client `{client}`: {source}")]
    Read {
        /// The client.
        client: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The credentials of client `client` (placeholders in `spec` already filled); a creds file is
/// written to `dir/CLIENT.creds` (mode 0600) with the JWT and the seed `creds` names, damaged as
/// `creds-defect` says.
pub fn client_auth(ring: &Keyring, client: &str, spec: &ClientSpec, dir: &Path) -> Result<ClientAuth, ClientAuthError> {
    let user = |name: &str| {
        ring.user(name).ok_or_else(|| ClientAuthError::Undefined {
            client: client.into(),
            what: "user",
            name: name.into(),
        })
    };
    if let Some(cb) = &spec.auth_callback {
        return Ok(ClientAuth::Callback {
            nkey: cb.nkey.clone(),
            jwt: cb.jwt.clone(),
            sign_with: cb.sign_with.clone(),
        });
    }
    if let Some(path) = &spec.creds_file {
        return Ok(ClientAuth::CredsFile(path.get_ref().into()));
    }
    if let Some(path) = &spec.nkey_seed_file {
        let seed = std::fs::read_to_string(path.get_ref())
            .map_err(|e| ClientAuthError::Read { client: client.into(), source: e })?;
        return Ok(ClientAuth::NkeySeed(seed.trim().to_string()));
    }
    if let Some(names) = &spec.creds {
        let jwt = &user(names.get_ref().jwt_user())?.jwt;
        let seed = &user(names.get_ref().seed_user())?.seed;
        let path = dir.join(format!("{client}.creds"));
        let write = |e| ClientAuthError::Write { client: client.into(), source: e };
        match spec.creds_defect.and_then(|d| d.defect()) {
            None => write_creds(&path, jwt, seed).map_err(write)?,
            Some(d) => crate::owner_only::write(&path, d.apply(jwt, seed)).map_err(write)?,
        }
        return Ok(ClientAuth::CredsFile(path));
    }
    if let Some(name) = &spec.jwt {
        let u = user(name.get_ref())?;
        return Ok(ClientAuth::Jwt { jwt: u.jwt.clone(), seed: u.seed.clone() });
    }
    if let Some(name) = &spec.nkey_seed {
        let k = ring.nkey(name.get_ref()).ok_or_else(|| ClientAuthError::Undefined {
            client: client.into(),
            what: "nkey",
            name: name.get_ref().clone(),
        })?;
        return Ok(ClientAuth::NkeySeed(k.seed().to_string()));
    }
    Ok(ClientAuth::None)
}
