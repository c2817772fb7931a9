//! Credentials beyond user, password and token: creds files, nkeys, JWTs and auth callbacks,
//! applied to async-nats `ConnectOptions` the way an application would.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use async_nats::{Auth, AuthError, ConnectOptions};

use super::failure::ClientFailure;

/// Issues a user JWT now and returns it with the seed that signs the nonce, or why it could not.
pub type JwtSource = Arc<dyn Fn() -> Result<(String, String), String> + Send + Sync>;

/// How a client proves who it is, with every name already resolved to keys and JWTs.
#[derive(Clone, Default)]
pub enum ClientAuth {
    /// Nothing beyond user, password and token.
    #[default]
    None,
    /// A `.creds` file, read by `ConnectOptions::credentials_file`.
    CredsFile(PathBuf),
    /// An nkey seed, for `ConnectOptions::nkey` (async-nats announces the public key it derives).
    NkeySeed(String),
    /// A user JWT sent with `ConnectOptions::jwt`, the nonce signed with `seed`.
    Jwt {
        /// The JWT.
        jwt: String,
        /// The seed that signs the nonce.
        seed: String,
    },
    /// A user JWT issued anew at every connect and reconnect by its [`JwtSource`], the nonce
    /// signed with the seed it returns (`ConnectOptions::with_auth_callback`).
    Renewed(JwtSource),
    /// `ConnectOptions::with_auth_callback` returning these values.
    Callback {
        /// `nkey` in CONNECT.
        nkey: Option<String>,
        /// `jwt` in CONNECT.
        jwt: Option<String>,
        /// The seed that signs the nonce; not a seed makes the callback fail.
        sign_with: Option<String>,
    },
}

impl fmt::Debug for ClientAuth {
    /// Names the kind only: the values are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClientAuth::None => "ClientAuth::None",
            ClientAuth::CredsFile(_) => "ClientAuth::CredsFile(..)",
            ClientAuth::NkeySeed(_) => "ClientAuth::NkeySeed(..)",
            ClientAuth::Jwt { .. } => "ClientAuth::Jwt {..}",
            ClientAuth::Renewed(_) => "ClientAuth::Renewed(..)",
            ClientAuth::Callback { .. } => "ClientAuth::Callback {..}",
        })
    }
}

impl ClientAuth {
    /// The options to start from: an auth callback can only be set by the constructor.
    pub fn base(&self) -> ConnectOptions {
        if let ClientAuth::Renewed(source) = self {
            let source = Arc::clone(source);
            return ConnectOptions::with_auth_callback(move |nonce: Vec<u8>| {
                let issued = source();
                async move {
                    let (jwt, seed) = issued.map_err(AuthError::new)?;
                    let kp = nkeys::KeyPair::from_seed(&seed).map_err(AuthError::new)?;
                    let mut auth = Auth::new();
                    auth.jwt = Some(jwt);
                    auth.signature = Some(kp.sign(&nonce).map_err(AuthError::new)?);
                    Ok(auth)
                }
            });
        }
        let ClientAuth::Callback { nkey, jwt, sign_with } = self else {
            return ConnectOptions::new();
        };
        let values = Arc::new((nkey.clone(), jwt.clone(), sign_with.clone()));
        ConnectOptions::with_auth_callback(move |nonce: Vec<u8>| {
            let values = Arc::clone(&values);
            async move {
                let (nkey, jwt, sign_with) = &*values;
                let mut auth = Auth::new();
                auth.nkey = nkey.clone();
                auth.jwt = jwt.clone();
                if let Some(seed) = sign_with {
                    let kp = nkeys::KeyPair::from_seed(seed).map_err(AuthError::new)?;
                    auth.signature = Some(kp.sign(&nonce).map_err(AuthError::new)?);
                }
                Ok(auth)
            }
        })
    }

    /// Adds the credentials to `o`. A creds file async-nats cannot read fails here, before any
    /// connection, with the `io::Error` kind (`InvalidData`) as the failure's kind.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use natsfault::client::ClientAuth;
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("broken.creds");
    /// std::fs::write(&path, "-----BEGIN NATS USER JWT-----\na.b.c\n------END NATS USER JWT------\n").unwrap();
    /// let auth = ClientAuth::CredsFile(path);
    /// let err = auth.apply(auth.base()).await.err().unwrap();
    /// assert_eq!(err.kind, "InvalidData");
    /// assert_eq!(err.message, "cannot parse nkey from the credentials file");
    /// # }
    /// ```
    pub async fn apply(&self, o: ConnectOptions) -> Result<ConnectOptions, ClientFailure> {
        match self {
            ClientAuth::None | ClientAuth::Callback { .. } | ClientAuth::Renewed(_) => Ok(o),
            ClientAuth::CredsFile(path) => o.credentials_file(path).await.map_err(|e| ClientFailure::credentials(&e)),
            ClientAuth::NkeySeed(seed) => Ok(o.nkey(seed.clone())),
            ClientAuth::Jwt { jwt, seed } => {
                let seed = Arc::new(seed.clone());
                Ok(o.jwt(jwt.clone(), move |nonce| {
                    let seed = Arc::clone(&seed);
                    async move {
                        let kp = nkeys::KeyPair::from_seed(&seed).map_err(AuthError::new)?;
                        kp.sign(&nonce).map_err(AuthError::new)
                    }
                }))
            }
        }
    }
}
