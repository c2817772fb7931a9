//! The scenario: a description of one misconfiguration, how to observe it, and its fix.

use std::collections::BTreeMap;
use std::path::PathBuf;

use toml::Spanned;

use super::account_server::AccountServerSpec;
use super::cause::Cause;
use super::client::ClientSpec;
use super::endpoint::EndpointSpec;
use super::fix::Fix;
use super::identity::Identities;
use super::server::ServerSection;
use super::servers::NamedServer;
use super::step::{Phase, Step};
use super::tls::TlsSpec;
use super::version_req::{Version, VersionReq};

/// A loaded and validated scenario file.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Where it was read from.
    pub path: PathBuf,
    /// The file's text, for diagnostics.
    pub source: String,
    /// Short name, shown in reports.
    pub name: String,
    /// Which cause it reproduces.
    pub cause: Cause,
    /// What happens and why, including where real NATS differs from the guide.
    pub summary: String,
    /// The part of the troubleshooting guide it reproduces.
    pub guide: Option<String>,
    /// Server versions it applies to (default: all).
    pub versions: Option<VersionReq>,
    /// The first server declared (the only one with `[server]`).
    pub server: ServerSection,
    /// Every server in declaration order, the first being [`Scenario::server`]; one named
    /// `server` for the `[server]` shorthand.
    pub servers: Vec<NamedServer>,
    /// Clients by name.
    pub clients: BTreeMap<String, Spanned<ClientSpec>>,
    /// The operator, accounts, users and nkey users.
    pub identities: Identities,
    /// Steps in order.
    pub steps: Vec<Step>,
    /// The mocked HTTP auth endpoint and the bridge in front of it (`[auth-endpoint]`).
    pub auth_endpoint: Option<EndpointSpec>,
    /// The mocked URL account resolver (`[account-server]`).
    pub account_server: Option<AccountServerSpec>,
    /// The certificates made per run (`[tls]`).
    pub tls: Option<TlsSpec>,
    /// The client libraries whose observations the steps assert (`libraries = ["nats-py"]`):
    /// each is played by `make test` where its driver is installed (async-nats always is).
    pub libraries: Vec<Spanned<super::library::Library>>,
    /// The fix.
    pub fix: Option<Fix>,
    /// What the file still does that a later release will refuse, each with its rewrite
    /// (`file:line:col: message; write ...`); the file plays as before meanwhile.
    pub warnings: Vec<String>,
}

impl Scenario {
    /// Whether the scenario applies to a server version.
    pub fn applies_to(&self, v: Version) -> bool {
        self.versions.as_ref().is_none_or(|r| r.matches(v))
    }

    /// Whether a step reads a server's monitoring port (`http-get`): a lone server then opens one.
    pub fn reads_monitoring(&self) -> bool {
        self.steps.iter().any(|s| *s.action.get_ref() == super::step::Action::HttpGet)
    }

    /// The listeners other than the client port that the raw clients of server `name` dial in
    /// either phase (a container publishes them on 127.0.0.1 for those clients).
    pub fn dialled_listeners(&self, name: &str) -> Vec<super::client::ClientListener> {
        let first = self.servers.first().map(|s| s.name.as_str());
        let mut out: Vec<super::client::ClientListener> = [Phase::Broken, Phase::Fixed]
            .into_iter()
            .flat_map(|phase| self.clients_for(phase).into_values())
            .filter(|c| c.server.as_deref().or(first) == Some(name))
            .map(|c| c.listener())
            .filter(|l| *l != super::client::ClientListener::Client)
            .collect();
        out.sort_by_key(|l| l.as_str());
        out.dedup();
        out
    }

    /// The phases to play: broken, then fixed when there is a fix.
    pub fn phases(&self) -> Vec<Phase> {
        if self.fix.is_some() { vec![Phase::Broken, Phase::Fixed] } else { vec![Phase::Broken] }
    }

    /// The phases to play on server version `v`: the fixed one only where the fix's `versions`
    /// (if any) match.
    ///
    /// ```
    /// use natsfault::spec::{Phase, load_str};
    /// let s = load_str(std::path::Path::new("x.toml"), r#"
    /// name = "n"
    /// cause = "no-credentials"
    /// summary = "s"
    /// [server]
    /// config = "authorization { token: t }"
    /// [clients.app]
    /// [[steps]]
    /// do = "connect"
    /// client = "app"
    /// expect = { error = "AuthorizationViolation" }
    /// [fix]
    /// summary = "f"
    /// versions = ">=2.12"
    /// clients.app = { token = "t" }
    /// "#).unwrap();
    /// assert_eq!(s.phases_on("2.15.1".parse().unwrap()), [Phase::Broken, Phase::Fixed]);
    /// assert_eq!(s.phases_on("2.10.26".parse().unwrap()), [Phase::Broken]);
    /// ```
    pub fn phases_on(&self, v: Version) -> Vec<Phase> {
        let fixed = self.fix.as_ref().is_some_and(|f| f.versions.as_ref().is_none_or(|r| r.get_ref().matches(v)));
        if fixed { vec![Phase::Broken, Phase::Fixed] } else { vec![Phase::Broken] }
    }

    /// The server config text for a phase, before placeholders are filled.
    pub fn config_for(&self, phase: Phase) -> String {
        let base = self.server.config.get_ref().clone();
        match (phase, &self.fix) {
            (Phase::Fixed, Some(fix)) => {
                let mut text = fix.config.as_ref().map_or(base, |c| c.get_ref().clone());
                for r in &fix.replace {
                    text = text.replace(r.from.get_ref().as_str(), &r.to);
                }
                text
            }
            _ => base,
        }
    }

    /// The files that travel beside the first server's config in a phase: the includes of a
    /// `config-file` (the fix's own in the fixed phase, when it names one).
    pub fn server_files_for(&self, phase: Phase) -> Vec<crate::backend::ServerFile> {
        match (phase, &self.fix) {
            (Phase::Fixed, Some(fix)) if fix.config_file.is_some() => fix.files.clone(),
            _ => self.server.files.clone(),
        }
    }

    /// Whether the first server's config in a phase came from a `config-file`, so the sandbox
    /// rewrite already set its listeners.
    pub fn config_is_file(&self, phase: Phase) -> bool {
        match (phase, &self.fix) {
            (Phase::Fixed, Some(fix)) if fix.config_file.is_some() => true,
            (Phase::Fixed, Some(fix)) if fix.config.is_some() => false,
            _ => self.server.config_file.is_some(),
        }
    }

    /// Whether the scenario declares `[servers.NAME]` tables (a topology, even of one server).
    pub fn is_topology(&self) -> bool {
        self.servers.len() > 1 || self.servers.first().is_some_and(|s| s.name != super::servers::SHORTHAND_NAME)
    }

    /// The config text of server `name` for a phase, before placeholders are filled: the fix's
    /// `replace` applies to every server's config, its `config` to the first server's only.
    pub fn config_of(&self, name: &str, phase: Phase) -> Option<String> {
        let (i, server) = self.servers.iter().enumerate().find(|(_, s)| s.name == name)?;
        if i == 0 {
            return Some(self.config_for(phase));
        }
        let mut text = server.section.config.get_ref().clone();
        if let (Phase::Fixed, Some(fix)) = (phase, &self.fix) {
            for r in &fix.replace {
                text = text.replace(r.from.get_ref().as_str(), &r.to);
            }
        }
        Some(text)
    }

    /// The refusal server `name` must give in a phase on a version, if it must refuse.
    pub fn expect_refused_of(&self, name: &str, phase: Phase, version: Version) -> Option<&str> {
        let (i, server) = self.servers.iter().enumerate().find(|(_, s)| s.name == name)?;
        if i == 0 {
            return self.expect_refused_for(phase, version);
        }
        let on_version = server.section.refused_versions.as_ref().is_none_or(|r| r.matches(version));
        match phase {
            Phase::Broken if on_version => server.section.expect_refused.as_ref().map(|s| s.get_ref().as_str()),
            _ => None,
        }
    }

    /// The regular expression the server's refusal must match in a phase on a version, if it must
    /// refuse.
    pub fn expect_refused_for(&self, phase: Phase, version: Version) -> Option<&str> {
        let on_version = self.server.refused_versions.as_ref().is_none_or(|r| r.matches(version));
        match (phase, &self.fix) {
            (Phase::Fixed, Some(fix)) => fix.expect_refused.as_ref().map(|s| s.get_ref().as_str()),
            _ if on_version => self.server.expect_refused.as_ref().map(|s| s.get_ref().as_str()),
            _ => None,
        }
    }

    /// The client specs in force for a phase.
    pub fn clients_for(&self, phase: Phase) -> BTreeMap<String, ClientSpec> {
        self.clients
            .iter()
            .map(|(name, spec)| {
                let over = match (phase, &self.fix) {
                    (Phase::Fixed, Some(fix)) => fix.clients.get(name).map(|c| c.get_ref().clone()),
                    _ => None,
                };
                let spec = spec.get_ref();
                (name.clone(), over.map_or_else(|| spec.clone(), |o| spec.merged(&o)))
            })
            .collect()
    }

    /// The auth endpoint in force for a phase: the fixed phase applies `fix.auth-endpoint`.
    pub fn endpoint_for(&self, phase: Phase) -> Option<EndpointSpec> {
        let base = self.auth_endpoint.as_ref()?;
        match (phase, self.fix.as_ref().and_then(|f| f.auth_endpoint.as_ref())) {
            (Phase::Fixed, Some(over)) => Some(base.merged(over)),
            _ => Some(base.clone()),
        }
    }

    /// The account server in force for a phase: the fixed phase applies `fix.account-server`.
    pub fn account_server_for(&self, phase: Phase) -> Option<AccountServerSpec> {
        let base = self.account_server.as_ref()?;
        match (phase, self.fix.as_ref().and_then(|f| f.account_server.as_ref())) {
            (Phase::Fixed, Some(over)) => Some(base.merged(over)),
            _ => Some(base.clone()),
        }
    }

    /// The identities in force for a phase: the fixed phase applies `fix.accounts` and
    /// `fix.users`.
    pub fn identities_for(&self, phase: Phase) -> Identities {
        match (phase, &self.fix) {
            (Phase::Fixed, Some(fix)) => self.identities.merged(&fix.accounts, &fix.users),
            _ => self.identities.clone(),
        }
    }

    /// The file name, for reports.
    pub fn file_name(&self) -> String {
        self.path.display().to_string()
    }
}
