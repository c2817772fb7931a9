//! The phase's account server: a wiremock server that plays a URL account resolver. It answers
//! the server's startup probe of the base URL and every `GET <base><account key>` with the
//! account's JWT, or with the status and delay the scenario sets.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::keyring::Keyring;
use crate::render::Provider;
use crate::spec::{ACCOUNT_SERVER_PATH, AccountServerSpec};

/// One account as the mock serves it.
#[derive(Clone, Debug)]
struct Served {
    name: String,
    jwt: String,
    in_resolver: bool,
}

/// What the mock answers; replaced when a `reload-server` step issues the JWTs anew.
struct Shared {
    spec: AccountServerSpec,
    system: String,
    accounts: Mutex<BTreeMap<String, Served>>,
}

struct Responder(Arc<Shared>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let spec = &self.0.spec;
        if path == ACCOUNT_SERVER_PATH {
            return ResponseTemplate::new(spec.probe_status()).set_delay(spec.probe_delay());
        }
        let key = path.strip_prefix(ACCOUNT_SERVER_PATH).unwrap_or_default();
        let served = self.0.accounts.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned();
        let Some(account) = served.filter(|a| a.in_resolver) else {
            return ResponseTemplate::new(404);
        };
        if !spec.applies_to(&account.name, &self.0.system) {
            return ResponseTemplate::new(200).set_body_raw(account.jwt, "application/jwt");
        }
        let answer = match spec.status() {
            None | Some(200) => ResponseTemplate::new(200).set_body_raw(account.jwt, "application/jwt"),
            Some(status) => ResponseTemplate::new(status),
        };
        answer.set_delay(spec.delay())
    }
}

/// A running account server, for one phase.
pub struct RunningAccountServer {
    mock: MockServer,
    shared: Arc<Shared>,
    url: String,
}

impl RunningAccountServer {
    /// Starts the mock on `host` (where the server reaches it; see
    /// [`crate::backend::Backend::service_host`]) serving `ring`'s accounts.
    pub async fn start(
        spec: &AccountServerSpec,
        ring: &Keyring,
        system: &str,
        host: IpAddr,
    ) -> Result<RunningAccountServer, String> {
        let listener = TcpListener::bind(SocketAddr::new(host, 0))
            .map_err(|e| format!("cannot bind {host} for the account server: {e}"))?;
        let mock = MockServer::builder().listener(listener).start().await;
        let shared =
            Arc::new(Shared { spec: spec.clone(), system: system.to_string(), accounts: Mutex::new(BTreeMap::new()) });
        Mock::given(method("GET")).respond_with(Responder(shared.clone())).mount(&mock).await;
        let url = format!("{}{ACCOUNT_SERVER_PATH}", mock.uri());
        let running = RunningAccountServer { mock, shared, url };
        running.serve(ring);
        Ok(running)
    }

    /// Serves `ring`'s JWTs from now on.
    pub fn serve(&self, ring: &Keyring) {
        let accounts = ring
            .accounts()
            .iter()
            .map(|(name, a)| {
                let served = Served { name: name.clone(), jwt: a.jwt.clone(), in_resolver: a.in_resolver };
                (a.public.clone(), served)
            })
            .collect();
        *self.shared.accounts.lock().unwrap_or_else(|p| p.into_inner()) = accounts;
    }

    /// Stops it.
    pub fn stop(self) {
        drop(self.mock);
    }
}

impl Provider for RunningAccountServer {
    fn value(&self, key: &str) -> Option<String> {
        (key == "account-server.url").then(|| self.url.clone())
    }

    fn describe(&self) -> &'static str {
        "account-server.url"
    }
}
