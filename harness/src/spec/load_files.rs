//! The files a scenario names instead of pasting them: `[server] config-file` (with its includes
//! and the files it names) and the clients' `creds-file`, `nkey-seed-file`, `password-file` and
//! `token-file`, all relative to the scenario file. Read once, at load time, so a missing or
//! broken file is a problem at its key, before anything starts.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::client::ClientSpec;
use super::problem::Problem;
use super::scenario::Scenario;
use crate::door::{DoorOptions, EnvVar, load_config_file_with};
use crate::input_file::{SMALL_FILE_LIMIT, check_regular, read_text};

/// Reads every file `s` names, filling `server.config` and `server.files`, clients' passwords and
/// tokens, and making `creds-file` and `nkey-seed-file` absolute.
pub(super) fn resolve_files(s: &mut Scenario, problems: &mut Vec<Problem>) {
    let base = s.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let source = s.source.clone();
    env(s, &source, problems);
    server(s, &base, &source, problems);
    fix_config_file(s, &base, &source, problems);
    let mut clients = std::mem::take(&mut s.clients);
    for c in clients.values_mut() {
        client(c.get_mut(), &base, &source, problems);
    }
    s.clients = clients;
    if let Some(fix) = s.fix.as_mut() {
        for c in fix.clients.values_mut() {
            client(c.get_mut(), &base, &source, problems);
        }
    }
}

/// `[server] env` (and each topology server's): `NAME` from natsfault's environment, or
/// `NAME=VALUE`.
fn env(s: &mut Scenario, source: &str, problems: &mut Vec<Problem>) {
    for server in s.servers.iter_mut() {
        let mut values = Vec::new();
        for declared in &server.section.env {
            match declared.get_ref().parse::<EnvVar>() {
                Ok(v) => values.push((v.name, v.value)),
                Err(e) => problems.push(
                    Problem::new(source, declared.span(), format!("`env`: {e}"))
                        .label("this variable")
                        .help("the config reads it as `$NAME`; nats-server's own environment is never used"),
                ),
            }
        }
        server.section.env_values = values;
    }
    s.server.env_values = s.servers.first().map(|n| n.section.env_values.clone()).unwrap_or_default();
}

/// What a `config-file` of this scenario may use: its `[server] env`.
fn door_options(s: &Scenario) -> DoorOptions {
    let env = s.server.env_values.iter().map(|(name, value)| EnvVar { name: name.clone(), value: value.clone() });
    DoorOptions { env: env.collect(), ..DoorOptions::default() }
}

fn server(s: &mut Scenario, base: &Path, source: &str, problems: &mut Vec<Problem>) {
    // Only the first server's file is read (a team's file keeps no cluster, leafnode or gateway
    // block through the door, so it could not link to the others); a later server's would
    // otherwise be ignored.
    for later in s.servers.iter().skip(1) {
        if let Some(file) = &later.section.config_file {
            problems.push(
                Problem::new(source, file.span(), format!("expected `config-file` on the first server only, found it on `{}`", later.name))
                    .label("not read")
                    .help("the door removes a file's cluster, leafnode and gateway blocks, so only the first server may be a team's file; paste this server's `config`"),
            );
        }
    }
    let pasted = !s.server.config.span().is_empty();
    let Some(file) = s.server.config_file.clone() else {
        if !pasted {
            problems.push(
                Problem::new(source, 0..0, "missing `[server] config`: expected a pasted `config` or a `config-file`")
                    .help(
                        "paste the nats.conf as `config = '''...'''`, or name it: `config-file = \"deploy/nats.conf\"`",
                    ),
            );
        }
        return;
    };
    if pasted {
        problems.push(
            Problem::new(source, file.span(), "expected one of `config` and `config-file`, found both")
                .label("the second config")
                .help("keep the file and remove the pasted `config`, or the other way round"),
        );
        return;
    }
    match load_config_file_with(&base.join(file.get_ref()), &door_options(s)) {
        Ok(deployed) => {
            s.server.config = Spanned::new(file.span(), deployed.main);
            s.server.files = deployed.files;
        }
        Err(e) => problems.push(
            Problem::new(source, file.span(), format!("`config-file`: {e}"))
                .label("this config")
                .help("the path is relative to the scenario file"),
        ),
    }
}

/// `[fix] config-file`: the fixed phase's whole config, read like `[server] config-file`.
fn fix_config_file(s: &mut Scenario, base: &Path, source: &str, problems: &mut Vec<Problem>) {
    let options = door_options(s);
    let Some(fix) = s.fix.as_mut() else { return };
    let Some(file) = fix.config_file.clone() else { return };
    if fix.config.is_some() || !fix.replace.is_empty() {
        problems.push(
            Problem::new(
                source,
                file.span(),
                "expected one of `config`, `config-file` and `replace` in `[fix]`, found several",
            )
            .label("the fix's config file")
            .help("a `config-file` is the whole fixed config: keep it alone, or paste the config and edit it"),
        );
        return;
    }
    match load_config_file_with(&base.join(file.get_ref()), &options) {
        Ok(deployed) => {
            fix.config = Some(Spanned::new(file.span(), deployed.main));
            fix.files = deployed.files;
        }
        Err(e) => problems.push(
            Problem::new(source, file.span(), format!("`config-file`: {e}"))
                .label("the fix's config")
                .help("the path is relative to the scenario file"),
        ),
    }
}

fn client(c: &mut ClientSpec, base: &Path, source: &str, problems: &mut Vec<Problem>) {
    for (file, what, given) in [
        (c.password_file.clone(), "password", c.password.is_some()),
        (c.token_file.clone(), "token", c.token.is_some()),
    ] {
        let Some(file) = file else { continue };
        if given {
            problems.push(Problem::new(
                source,
                file.span(),
                format!("expected one of `{what}` and `{what}-file`, found both"),
            ));
            continue;
        }
        match read_secret(&base.join(file.get_ref()), what) {
            Ok(secret) if what == "password" => c.password = Some(secret),
            Ok(secret) => c.token = Some(secret),
            Err(e) => problems.push(file_problem(source, &file, &e)),
        }
    }
    for (file, what) in [(&mut c.creds_file, "creds file"), (&mut c.nkey_seed_file, "nkey seed file")] {
        let Some(f) = file.as_mut() else { continue };
        let path: PathBuf = base.join(f.get_ref());
        match check_regular(&path, what) {
            Ok(()) => *f = Spanned::new(f.span(), path.to_string_lossy().into_owned()),
            Err(e) => problems.push(file_problem(source, f, &e.to_string())),
        }
    }
}

fn file_problem(source: &str, file: &Spanned<String>, e: &str) -> Problem {
    Problem::new(source, file.span(), e.to_string())
        .label("this file")
        .help("the path is relative to the scenario file")
}

/// A secret file's text without trailing line ends; an empty one is an error. Never quotes it.
fn read_secret(path: &Path, what: &'static str) -> Result<String, String> {
    let label = if what == "password" { "password file" } else { "token file" };
    let text = read_text(path, label, SMALL_FILE_LIMIT).map_err(|e| e.to_string())?;
    let secret = text.trim_end_matches(['\n', '\r']);
    if secret.is_empty() {
        return Err(format!("{label} `{}` is empty; expected the {what} on its first line", path.display()));
    }
    Ok(secret.to_string())
}
