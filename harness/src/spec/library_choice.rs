//! Which client libraries play a scenario: the ones its file asserts, the ones `run --clients`
//! chooses for its open clients, and why a library cannot play it at all (`n/a`).

use toml::Spanned;

use super::scenario::Scenario;
use super::step::Phase;

impl Scenario {
    /// The libraries `libraries` lists.
    pub fn asserted_libraries(&self) -> Vec<super::library::Library> {
        self.libraries.iter().map(|l| *l.get_ref()).collect()
    }

    /// Whether the file asserts what `library` observes: async-nats always; another library when
    /// `libraries` lists it, a client is pinned to it (`library = "nats-py"`) or a step has a
    /// `by-library` entry for it. A library the file does not assert is played and compared
    /// (`run --clients`), and a failure of it is a difference, not a failure of the file.
    ///
    /// ```
    /// use natsfault::spec::{Library, load_str};
    /// let s = load_str(std::path::Path::new("x.toml"), r#"
    /// name = "n"
    /// cause = "permissions"
    /// summary = "s"
    /// [server]
    /// config = "authorization { users = [{ user: a, password: b }] }"
    /// [clients.app]
    /// user = "a"
    /// password = "b"
    /// [[steps]]
    /// do = "connect"
    /// client = "app"
    /// expect = { error = "TimedOut", by-library.nats-py = { error = "nats.errors.TimeoutError" } }
    /// [fix]
    /// summary = "f"
    /// clients.app = { password = "c" }
    /// "#).unwrap();
    /// assert!(s.asserts_library(Library::AsyncNats));
    /// assert!(s.asserts_library(Library::NatsPy));
    /// assert!(!s.asserts_library(Library::NatsGo));
    /// ```
    pub fn asserts_library(&self, library: super::library::Library) -> bool {
        let named = |e: &super::expect::Expect| {
            e.by_library.as_ref().is_some_and(|m| m.keys().any(|k| *k.get_ref() == library))
        };
        !library.is_external()
            || self.libraries.iter().any(|l| *l.get_ref() == library)
            || self.clients.values().any(|c| c.get_ref().pinned_library() == Some(library))
            || self.steps.iter().any(|s| named(&s.expect) || s.expect_fixed.as_ref().is_some_and(named))
    }

    /// Why the libraries its clients are played with cannot play this scenario (a websocket
    /// client played by a library without a websocket transport, a `tls-first` client by one
    /// that cannot start TLS first), or `None`: such a run is `n/a` with the reason, not a
    /// failure.
    pub fn unplayable_by_library(&self) -> Option<String> {
        self.unplayable_js().or_else(|| self.unplayable_transport())
    }

    /// The first JetStream step whose client's library cannot play its action (nats.c has no
    /// JetStream in its driver; no driver plays `js-receive`).
    fn unplayable_js(&self) -> Option<String> {
        self.steps.iter().find_map(|s| {
            let action = *s.action.get_ref();
            let name = s.client_name()?;
            let library = *self.clients.get(name)?.get_ref().library.as_ref()?.get_ref();
            (!library.plays_js(action))
                .then(|| format!("{library} cannot play `{}` (client `{name}`): {}", action.as_str(), library.js_gap()))
        })
    }

    /// A websocket or `tls-first` client whose library lacks that transport.
    fn unplayable_transport(&self) -> Option<String> {
        self.clients.iter().find_map(|(name, c)| {
            let c = c.get_ref();
            let library = *c.library.as_ref()?.get_ref();
            if c.websocket == Some(true) && !library.has_websocket() {
                return Some(format!("{library} has no websocket transport (client `{name}`)"));
            }
            (c.tls_first == Some(true) && !library.has_tls_first())
                .then(|| format!("{library} cannot start TLS before the server's INFO (client `{name}`, `tls-first`)"))
        })
    }

    /// This scenario with every client that does not name its `library` played by `library`
    /// (what `natsfault run --clients` does for each library it is given). A client with an
    /// `auth-callback` or `renew-jwt` (async-nats' own API) stays with async-nats. The chosen library has an
    /// empty span: it is not pinned ([`super::client::ClientSpec::pinned_library`]).
    pub fn with_library(&self, library: super::library::Library) -> Scenario {
        let mut s = self.clone();
        for (name, c) in s.clients.iter_mut() {
            if self.is_open_client(name) {
                c.get_mut().library = Some(Spanned::new(0..0, library));
            }
        }
        s
    }

    /// Whether `run --clients` chooses the library of client `name`: a `nats` client that names
    /// none and builds its CONNECT in no auth callback in either phase (a `[fix]` that gives it
    /// `renew-jwt` keeps it with async-nats).
    fn is_open_client(&self, name: &str) -> bool {
        [Phase::Broken, Phase::Fixed].into_iter().all(|phase| {
            self.clients_for(phase).get(name).is_some_and(|c| {
                c.library.is_none() && c.kind() == super::client::ClientKind::Nats && !c.uses_auth_callback()
            })
        })
    }

    /// The libraries a run with `--clients` plays this scenario with: `wanted`, or async-nats
    /// alone when no client would change (every client names its library, has an auth callback
    /// or is not of kind `nats`). A library that cannot play one of its JetStream steps is
    /// played too, and its run is `n/a` with the reason ([`Scenario::unplayable_by_library`]).
    pub fn libraries_to_play(&self, wanted: &[super::library::Library]) -> Vec<super::library::Library> {
        let open = self.clients.keys().any(|name| self.is_open_client(name));
        if open { wanted.to_vec() } else { vec![super::library::Library::AsyncNats] }
    }
}

#[cfg(test)]
mod tests {
    use super::super::library::Library;
    use super::super::load_str;

    const JS_FILE: &str = r#"
name = "n"
cause = "permissions"
summary = "s"
[server]
config = "jetstream {}"
[clients.app]
[[steps]]
do = "connect"
client = "app"
[[steps]]
do = "js-add-stream"
client = "app"
js = { stream = "ORDERS" }
[[steps]]
do = "kv-get"
client = "app"
js = { bucket = "b", key = "k" }
expect = { error = "NotFound" }
[fix]
summary = "f"
replace = [{ from = "jetstream {}", to = "jetstream: enabled" }]
"#;

    #[test]
    fn a_library_plays_the_jetstream_actions_it_has() {
        let s = load_str(std::path::Path::new("x.toml"), JS_FILE).unwrap();
        let all = [Library::AsyncNats, Library::NatsPy, Library::NatsGo, Library::NatsC];
        // Every library is played; the one that cannot is `n/a` with the reason.
        assert_eq!(s.libraries_to_play(&all), all);
        assert_eq!(s.with_library(Library::NatsPy).unplayable_by_library(), None);
        assert_eq!(s.with_library(Library::NatsGo).unplayable_by_library(), None);
        assert_eq!(s.with_library(Library::AsyncNats).unplayable_by_library(), None);
        let c = s.with_library(Library::NatsC).unplayable_by_library().unwrap();
        assert_eq!(c, "nats.c cannot play `js-add-stream` (client `app`): its driver has no JetStream operations");
        // A push consumer's message stream is async-nats' only.
        let receive = JS_FILE.replace(
            "do = \"kv-get\"\nclient = \"app\"\njs = { bucket = \"b\", key = \"k\" }\nexpect = { error = \"NotFound\" }",
            "do = \"js-receive\"\nclient = \"app\"\njs = { stream = \"ORDERS\", consumer = \"c\" }\nexpect = { error = \"TimedOut\" }",
        );
        let r = load_str(std::path::Path::new("x.toml"), &receive).unwrap();
        let why = r.with_library(Library::NatsGo).unplayable_by_library().unwrap();
        assert!(why.starts_with("nats.go cannot play `js-receive` (client `app`)"), "{why}");
        assert_eq!(r.with_library(Library::AsyncNats).unplayable_by_library(), None);
        // A client pinned to async-nats keeps every JetStream step whatever is played.
        let pinned = JS_FILE.replace("[clients.app]\n", "[clients.app]\nlibrary = \"async-nats\"\n");
        let p = load_str(std::path::Path::new("x.toml"), &pinned).unwrap();
        assert_eq!(p.libraries_to_play(&all), [Library::AsyncNats]);
        assert_eq!(p.with_library(Library::NatsC).unplayable_by_library(), None);
    }
}
