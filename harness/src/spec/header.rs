//! The scenario's top-level keys apart from `clients`, `steps` and the identities, read key by
//! key: a bad `versions` does not hide a bad `[fix]`, and a misspelled key is not reported as a
//! missing one too.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::account_server::AccountServerSpec;
use super::cause::Cause;
use super::endpoint::EndpointSpec;
use super::fix::Fix;
use super::load::part;
use super::problem::Problem;
use super::server::ServerSection;
use super::servers::{NamedServer, SHORTHAND_NAME, ordered};
use super::tls::TlsSpec;
use super::version_req::VersionReq;

/// The top-level keys, in the order messages list them.
const KEYS: &[&str] = &[
    "name",
    "cause",
    "summary",
    "guide",
    "versions",
    "server",
    "servers",
    "auth-endpoint",
    "account-server",
    "tls",
    "libraries",
    "fix",
];

/// The scenario's top-level keys (see the module doc).
#[derive(Clone, Debug)]
pub(crate) struct Header {
    pub name: String,
    pub cause: Cause,
    pub summary: String,
    pub guide: Option<String>,
    pub versions: Option<VersionReq>,
    pub server: ServerSection,
    pub servers: Vec<NamedServer>,
    pub auth_endpoint: Option<EndpointSpec>,
    pub account_server: Option<AccountServerSpec>,
    pub tls: Option<TlsSpec>,
    pub libraries: Vec<toml::Spanned<super::library::Library>>,
    pub fix: Option<Fix>,
}

/// One key's value: absent, present but bad (its problem is recorded), or read.
enum Field<T> {
    Absent,
    Bad,
    Read(T),
}

impl<T> Field<T> {
    fn optional(self) -> Option<T> {
        match self {
            Field::Read(v) => Some(v),
            Field::Absent | Field::Bad => None,
        }
    }
}

/// Reads the header from what is left of the document's table; `None` when a key is bad or a
/// required one is missing (every such problem is recorded).
pub(super) fn read_header(
    source: &str,
    mut table: DeTable<'_>,
    doc_span: Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<Header> {
    let before = problems.len();
    let name = read::<String>(source, table.remove("name"), problems);
    let cause = read::<Cause>(source, table.remove("cause"), problems);
    let summary = read::<String>(source, table.remove("summary"), problems);
    let guide = read::<String>(source, table.remove("guide"), problems).optional();
    let versions = read::<VersionReq>(source, table.remove("versions"), problems).optional();
    let server_key = table.get("server").map(|v| v.span());
    let server = read::<ServerSection>(source, table.remove("server"), problems);
    let servers_key = table.get("servers").map(|v| v.span());
    let servers = read::<BTreeMap<String, Spanned<ServerSection>>>(source, table.remove("servers"), problems);
    let auth_endpoint = read::<EndpointSpec>(source, table.remove("auth-endpoint"), problems).optional();
    let account_server = read::<AccountServerSpec>(source, table.remove("account-server"), problems).optional();
    let tls = read::<TlsSpec>(source, table.remove("tls"), problems).optional();
    let libraries = read::<Vec<Spanned<super::library::Library>>>(source, table.remove("libraries"), problems)
        .optional()
        .unwrap_or_default();
    let fix = read::<Fix>(source, table.remove("fix"), problems).optional();
    let unknown = !table.is_empty();
    for key in table.keys() {
        let expected = KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        problems.push(
            Problem::new(source, key.span(), format!("unknown field `{}`, expected one of {expected}", key.get_ref()))
                .help("keys are kebab-case; see scenarios/README.md for every key"),
        );
    }
    if let (Some(one), Some(_)) = (&server_key, &servers_key) {
        problems.push(
            Problem::new(source, one.clone(), "expected either `[server]` or `[servers.NAME]`, found both")
                .label("the one-server shorthand")
                .help("name this server too: `[servers.NAME]`"),
        );
    }
    let servers = match (server, servers) {
        (Field::Read(s), Field::Absent) => {
            let span = server_key.unwrap_or_default();
            Field::Read(vec![NamedServer { name: SHORTHAND_NAME.into(), span, section: s }])
        }
        (Field::Absent, Field::Read(tables)) if tables.is_empty() => {
            let span = servers_key.unwrap_or_default();
            problems.push(Problem::new(source, span, "expected at least one `[servers.NAME]` table").label("empty"));
            Field::Bad
        }
        (Field::Absent, Field::Read(tables)) => Field::Read(ordered(source, tables, problems)),
        (Field::Absent, Field::Absent) => Field::Absent,
        _ => Field::Bad,
    };
    let mut required = |key: &str, absent: bool| {
        // A misspelled key is its own problem, not a missing one as well.
        if absent && !unknown {
            problems.push(Problem::new(source, doc_span.clone(), format!("missing field `{key}`")).label("this table"));
        }
    };
    required("name", matches!(name, Field::Absent));
    required("cause", matches!(cause, Field::Absent));
    required("summary", matches!(summary, Field::Absent));
    required("server", matches!(servers, Field::Absent));
    if problems.len() > before {
        return None;
    }
    match (name, cause, summary, servers) {
        (Field::Read(name), Field::Read(cause), Field::Read(summary), Field::Read(servers)) => {
            let server = servers.first().map(|s| s.section.clone())?;
            Some(Header {
                name,
                cause,
                summary,
                guide,
                versions,
                server,
                servers,
                auth_endpoint,
                account_server,
                tls,
                libraries,
                fix,
            })
        }
        _ => None,
    }
}

/// Reads one key's value, if present.
fn read<T: for<'de> Deserialize<'de>>(
    source: &str,
    value: Option<Spanned<DeValue<'_>>>,
    problems: &mut Vec<Problem>,
) -> Field<T> {
    let Some(v) = value else { return Field::Absent };
    let span = v.span();
    match part::<T>(source, v.into_inner(), span, problems) {
        Some(t) => Field::Read(t),
        None => Field::Bad,
    }
}
