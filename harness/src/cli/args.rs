//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Reproduce NATS auth failures on real nats-server processes and containers.
#[derive(Debug, Parser)]
#[command(name = "natsfault", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play scenarios: the broken phase, then the fixed one, and report.
    Run(RunArgs),
    /// List scenarios.
    List(ListArgs),
    /// Validate scenario files without running them.
    Check(CheckArgs),
    /// Play scenarios on several nats-server versions and report what changed.
    Matrix(MatrixArgs),
    /// Find the release that changed a scenario's observations, by bisection.
    Bisect(BisectArgs),
    /// List the nats-server releases natsfault can play, cached ones marked.
    Versions(VersionsArgs),
    /// Answer auth callout requests by asking an HTTP endpoint (the `auth_url` the guide means).
    AuthBridge(AuthBridgeArgs),
    /// Measure the harness against bare nats-server and docker; print ratios, write JSON.
    Bench(BenchArgs),
    /// Play a customer's nats.conf and credentials on a local server and say why the client fails.
    Diagnose(Box<DiagnoseArgs>),
    /// Play a contract (what each identity must be able to do, and what must be refused) on the
    /// team's own config, one server for the whole contract; exit 1 on a broken line.
    Verify(VerifyArgs),
    /// Write a first contract from what a config allows, to review and commit.
    Contract(ContractArgs),
}

/// Where servers run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    /// Local nats-server processes.
    Process,
    /// nats-server containers.
    Container,
    /// Both, each scenario on each.
    All,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A line per scenario, details of failures.
    Human,
    /// An array of scenario objects.
    Json,
    /// JUnit XML.
    Junit,
    /// Markdown (`matrix` only).
    Markdown,
}

/// `natsfault run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario files or folders (default: `scenarios/`).
    pub paths: Vec<PathBuf>,
    /// Never fetch a server binary: a pinned version not in the cache is an error.
    #[arg(long)]
    pub offline: bool,
    /// Where servers run.
    #[arg(long, value_enum, default_value = "process", env = "NATSFAULT_BACKEND")]
    pub backend: BackendChoice,
    /// nats-server version to play.
    #[arg(long, default_value = crate::backend::DEFAULT_VERSION, env = "NATSFAULT_SERVER_VERSION")]
    pub server_version: String,
    /// Scenarios played at once (default: twice the number of cores; the suite is bound by waits).
    #[arg(long, short, value_parser = super::parse::at_least_one)]
    pub jobs: Option<usize>,
    /// Play only scenarios whose file or name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Play only the M-th of N shares of the scenario files (`1/4`), as nextest's `count:1/4`:
    /// the files sorted by path, the i-th (from 0) in share `i % N + 1`.
    #[arg(long, value_parser = super::parse::partition)]
    pub partition: Option<(usize, usize)>,
    /// Play each scenario once per client library (`async-nats,nats-py,nats.go,nats.c`) where its
    /// clients do not name one, and print what each library reported, side by side. A library
    /// whose driver is not installed is skipped (an error under `CI=true`).
    #[arg(long, value_delimiter = ',', env = "NATSFAULT_CLIENTS")]
    pub clients: Vec<crate::spec::Library>,
    /// Write the side-by-side report of `--clients` (Markdown) to this file too.
    #[arg(long)]
    pub clients_report: Option<PathBuf>,
}

/// `natsfault list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Scenario files or folders (default: `scenarios/`).
    pub paths: Vec<PathBuf>,
    /// Output format (`human` or `json`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// `natsfault check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `natsfault matrix`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MatrixArgs {
    /// `matrix merge`: shards into one report.
    #[command(subcommand)]
    pub command: Option<MatrixCommand>,
    /// Scenario files or folders (default: `scenarios/`).
    pub paths: Vec<PathBuf>,
    /// Versions to play: a list (`2.10.26,2.12`; `2.12` is the newest 2.12.x), every patch of a
    /// minor (`2.12.x`), a range (`>=2.12.0, <2.15`) or `all`. Missing binaries are fetched into
    /// the cache and checked against `scripts/nats-server.sha256` (not under `--offline`).
    #[arg(long, default_value = "2.10.26,2.11.11,2.12.8,2.14.6,2.15.0,2.15.1")]
    pub versions: String,
    /// Add Debian's 2.9.10 when it is installed (`apt-get install nats-server`).
    #[arg(long)]
    pub with_debian: bool,
    /// The version others are compared with (default: the newest).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Where servers run.
    #[arg(long, value_enum, default_value = "process")]
    pub backend: BackendChoice,
    /// Scenario runs at once (default: twice the number of cores; the suite is bound by waits).
    #[arg(long, short, value_parser = super::parse::at_least_one)]
    pub jobs: Option<usize>,
    /// Play only scenarios whose file or name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Report format on stdout (`human`, `json` or `markdown`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Also write the Markdown report to this file.
    #[arg(long)]
    pub markdown: Option<PathBuf>,
    /// Never fetch a server binary: a version not in the cache is an error.
    #[arg(long)]
    pub offline: bool,
    /// Play only share M of N of the scenario files (as `run --partition`), for one CI job.
    #[arg(long, value_parser = super::parse::partition, requires = "output")]
    pub partition: Option<(usize, usize)>,
    /// Write the share's runs to this file, for `natsfault matrix merge` (with `--partition`).
    #[arg(long, requires = "partition")]
    pub output: Option<PathBuf>,
}

/// `natsfault matrix merge`.
#[derive(Debug, Subcommand)]
pub enum MatrixCommand {
    /// Merge the shards of a matrix (`--partition K/N --output shard-K.json`) into the report one
    /// run of the whole writes.
    Merge(MergeArgs),
}

/// `natsfault matrix merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shard files, every share once.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Report format on stdout (`human`, `json` or `markdown`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Also write the Markdown report to this file.
    #[arg(long)]
    pub markdown: Option<PathBuf>,
}

/// `natsfault bisect`.
#[derive(Debug, clap::Args)]
pub struct BisectArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The older release (its observations are the "before").
    #[arg(long)]
    pub from: String,
    /// The newer release.
    #[arg(long)]
    pub to: String,
    /// Where servers run (`process` or `container`).
    #[arg(long, value_enum, default_value = "process")]
    pub backend: BackendChoice,
    /// Never fetch a server binary: a version not in the cache is an error.
    #[arg(long)]
    pub offline: bool,
}

/// `natsfault versions`.
#[derive(Debug, clap::Args)]
pub struct VersionsArgs {
    /// `human` (one version a line) or `json`.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// `natsfault auth-bridge`.
#[derive(Debug, clap::Args)]
pub struct AuthBridgeArgs {
    /// The NATS server to serve, e.g. `nats://127.0.0.1:4222`.
    #[arg(long)]
    pub nats_url: String,
    /// The HTTP endpoint asked about each client (POST, `Authorization: Bearer <token>`).
    #[arg(long)]
    pub auth_url: String,
    /// File holding the seed (`SA...`) of the account named in `auth_callout { issuer }`.
    #[arg(long)]
    pub issuer_seed: PathBuf,
    /// File holding the curve seed (`SX...`) when `auth_callout { xkey }` is set.
    #[arg(long)]
    pub xkey_seed: Option<PathBuf>,
    /// Config mode: the account authorized users are placed in.
    #[arg(long, default_value = "APP", conflicts_with = "target_account_seed")]
    pub account: String,
    /// Operator mode: file holding the seed of the account users are placed in.
    #[arg(long, requires = "creds")]
    pub target_account_seed: Option<PathBuf>,
    /// Config mode: the auth user the bridge connects as (one of `auth_users`).
    #[arg(long, default_value = "auth")]
    pub auth_user: String,
    /// Config mode: file holding that user's password.
    #[arg(long, conflicts_with = "creds")]
    pub auth_password_file: Option<PathBuf>,
    /// Operator mode: the bridge's own `.creds` file.
    #[arg(long)]
    pub creds: Option<PathBuf>,
    /// How long the endpoint may take (keep it below the server's `authorization { timeout }`).
    #[arg(long, default_value = "1500ms")]
    pub timeout: String,
}

/// `natsfault bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Scenario files or folders (default: `scenarios/`).
    pub paths: Vec<PathBuf>,
    /// Where to write the numbers as JSON.
    #[arg(long, default_value = "bench.json")]
    pub output: PathBuf,
    /// Repetitions of each measurement (the median is reported).
    #[arg(long, default_value_t = 5, value_parser = super::parse::at_least_one)]
    pub runs: usize,
    /// nats-server version to measure.
    #[arg(long, default_value = crate::backend::DEFAULT_VERSION, env = "NATSFAULT_SERVER_VERSION")]
    pub server_version: String,
    /// Skip the container measurements.
    #[arg(long)]
    pub no_containers: bool,
}

/// What a door takes explicitly from the user: the variables a config may use and the
/// folders outside its own it may read.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DoorArgs {
    /// A variable the config names as `$NAME`: `NAME` takes natsfault's own value, `NAME=VALUE`
    /// a literal (repeatable). nats-server's own environment is never used; each value is
    /// redacted from every output.
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    pub env: Vec<crate::door::EnvVar>,
    /// A folder outside the config's own whose files the config may include or name
    /// (repeatable); by default only the config's folder tree is read.
    #[arg(long = "allow-read", value_name = "DIR")]
    pub allow_read: Vec<PathBuf>,
}

impl DoorArgs {
    /// The door's options.
    pub fn options(&self) -> crate::door::DoorOptions {
        crate::door::DoorOptions { env: self.env.clone(), roots: self.allow_read.clone(), tls_files: None }
    }
}

/// `natsfault diagnose`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("credentials").args(["creds", "user", "token", "token_file", "nkey_seed"])))]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub door: DoorArgs,
    /// The customer's nats.conf (with the files it includes or references beside it).
    #[arg(long)]
    pub config: PathBuf,
    /// The client library to play the customer's client with: `async-nats`, `nats-py`,
    /// `nats.go` or `nats.c` (installed by `make setup`).
    #[arg(long, default_value = "async-nats")]
    pub library: crate::spec::Library,
    /// The client's `.creds` file.
    #[arg(long)]
    pub creds: Option<PathBuf>,
    /// The client's user name (with `--password` or `--password-file`).
    #[arg(long)]
    pub user: Option<String>,
    /// The client's password (never printed; `--password-file` keeps it out of the shell history).
    #[arg(long, requires = "user", conflicts_with = "password_file")]
    pub password: Option<String>,
    /// A file holding the client's password (trailing line ends are dropped).
    #[arg(long, requires = "user")]
    pub password_file: Option<PathBuf>,
    /// The client's token (never printed; `--token-file` keeps it out of the shell history).
    #[arg(long, conflicts_with = "token_file")]
    pub token: Option<String>,
    /// A file holding the client's token (trailing line ends are dropped).
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// A file with the client's nkey seed (never printed).
    #[arg(long)]
    pub nkey_seed: Option<PathBuf>,
    /// Publish to this subject after connecting (repeatable; no wildcards).
    #[arg(long, value_parser = super::parse::literal_subject)]
    pub publish: Vec<String>,
    /// Subscribe to this subject after connecting (repeatable; `*` and a last `>` allowed).
    #[arg(long, value_parser = super::parse::subscribe_subject)]
    pub subscribe: Vec<String>,
    /// Send a request to this subject after connecting (no wildcards).
    #[arg(long, value_parser = super::parse::literal_subject)]
    pub request: Option<String>,
    /// Create this JetStream stream after connecting (repeatable), as async-nats does:
    /// `$JS.API.STREAM.CREATE.STREAM`.
    #[arg(long, value_parser = super::parse::literal_subject)]
    pub js_stream: Vec<String>,
    /// Create durable consumer NAME on STREAM, filtered by FILTER when given:
    /// `STREAM.NAME[.FILTER]` (`$JS.API.CONSUMER.CREATE.STREAM.NAME[.FILTER]`).
    #[arg(long, value_parser = super::parse::js_consumer)]
    pub js_consumer: Vec<crate::diagnose::js_op::JsOperation>,
    /// Publish to this subject with JetStream and wait for the ack (repeatable; no wildcards).
    #[arg(long, value_parser = super::parse::literal_subject)]
    pub js_publish: Vec<String>,
    /// Read key KEY of key-value bucket BUCKET: `BUCKET.KEY`
    /// (`$JS.API.DIRECT.GET.KV_BUCKET.$KV.BUCKET.KEY`).
    #[arg(long, value_parser = super::parse::kv_get)]
    pub kv_get: Vec<crate::diagnose::js_op::JsOperation>,
    /// The certificate the customer's client presents (PEM). Only its shape is read (subject,
    /// SANs, validity, usage, issuer): a certificate of that shape is made for the run, and a
    /// private key in the file is skipped unread.
    #[arg(long)]
    pub tls_cert: Option<PathBuf>,
    /// The CA certificate the customer's client trusts (PEM; default: the one that issued the
    /// server certificate).
    #[arg(long)]
    pub tls_ca: Option<PathBuf>,
    /// The client starts TLS before the server's INFO (async-nats `tls_first`).
    #[arg(long)]
    pub tls_first: bool,
    /// The state the customer reports the server in: `up`, `stopped` or `paused`.
    #[arg(long, default_value = "up")]
    pub server_state: String,
    /// nats-server version to play.
    #[arg(long, default_value = crate::backend::DEFAULT_VERSION, env = "NATSFAULT_SERVER_VERSION")]
    pub server_version: String,
    /// Write a scenario that reproduces the failure, with generated secrets.
    #[arg(long)]
    pub emit_scenario: Option<PathBuf>,
    /// Output format (`human` or `json`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// `natsfault verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub door: DoorArgs,
    /// The team's nats.conf (default: the contract's `config`).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The contract file.
    #[arg(long)]
    pub contract: PathBuf,
    /// nats-server version to play.
    #[arg(long, default_value = crate::backend::DEFAULT_VERSION, env = "NATSFAULT_SERVER_VERSION")]
    pub server_version: String,
    /// Play the contract on each of these versions, comma-separated (an upgrade check).
    #[arg(long, value_delimiter = ',', conflicts_with = "server_version")]
    pub versions: Vec<String>,
    /// Where the server runs (`process` or `container`).
    #[arg(long, value_enum, default_value = "process", env = "NATSFAULT_BACKEND")]
    pub backend: BackendChoice,
    /// Output format (`human` or `json`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit 0 when lines could not be checked (no responder, an identity refused at connect as
    /// its contract says) and none is broken; by default such a contract exits 1.
    #[arg(long)]
    pub allow_unchecked: bool,
    /// Never fetch a server binary: a version not in the cache is an error.
    #[arg(long)]
    pub offline: bool,
}

/// `natsfault contract`.
#[derive(Debug, clap::Args)]
pub struct ContractArgs {
    #[command(flatten)]
    pub door: DoorArgs,
    /// The nats.conf to read the users and permissions from.
    #[arg(long)]
    pub from_config: PathBuf,
    /// Where to write the contract (default: stdout); an existing file is not replaced.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The folder, relative to the contract, of one password file per user (`NAME.pass`).
    #[arg(long, default_value = "secrets")]
    pub secrets_dir: String,
    /// A creds file of a service (repeatable): in operator mode each becomes an identity with
    /// its JWT's permissions; the path is written as given (relative to the contract).
    #[arg(long = "creds", value_name = "PATH")]
    pub creds: Vec<PathBuf>,
}
