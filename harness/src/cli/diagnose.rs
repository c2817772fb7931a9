//! `natsfault diagnose`: arguments to a diagnosis, the report on stdout, the exit code.

use super::args::{DiagnoseArgs, Format};
use super::exit;
use super::secret_file::read_secret;
use crate::backend::resolve_version;
use crate::diagnose::js_op::JsOperation;
use crate::diagnose::tls::ClientTlsInput;
use crate::diagnose::{
    Credentials, DiagnoseError, DiagnoseInput, Operation, ServerState, emit, invalid_inputs, render,
};
use crate::input_file::check_regular;

fn password(a: &DiagnoseArgs) -> Result<Option<String>, String> {
    match (&a.password, &a.password_file) {
        (Some(p), _) => Ok(Some(p.clone())),
        (None, Some(f)) => read_secret(f, "password").map(Some).map_err(|e| e.to_string()),
        (None, None) => Ok(None),
    }
}

fn token(a: &DiagnoseArgs) -> Result<Option<String>, String> {
    match (&a.token, &a.token_file) {
        (Some(t), _) => Ok(Some(t.clone())),
        (None, Some(f)) => read_secret(f, "token").map(Some).map_err(|e| e.to_string()),
        (None, None) => Ok(None),
    }
}

/// Refuses every named file that is not a regular file, from its metadata alone: a FIFO given
/// as a file would block the first read forever.
fn check_files(a: &DiagnoseArgs) -> Result<(), String> {
    let files = [
        ("--config", Some(&a.config), "config"),
        ("--creds", a.creds.as_ref(), "creds file"),
        ("--nkey-seed", a.nkey_seed.as_ref(), "nkey seed file"),
        ("--password-file", a.password_file.as_ref(), "password file"),
        ("--token-file", a.token_file.as_ref(), "token file"),
        ("--tls-cert", a.tls_cert.as_ref(), "certificate file"),
        ("--tls-ca", a.tls_ca.as_ref(), "CA certificate file"),
    ];
    for (flag, path, what) in files {
        if let Some(path) = path {
            check_regular(path, what).map_err(|e| format!("{flag}: {e}"))?;
        }
    }
    Ok(())
}

fn input(a: &DiagnoseArgs) -> Result<DiagnoseInput, String> {
    check_files(a)?;
    let credentials = match (&a.creds, &a.user, password(a)?, token(a)?, &a.nkey_seed) {
        (Some(c), ..) => Credentials::CredsFile(c.clone()),
        (_, Some(u), Some(p), ..) => Credentials::UserPassword { user: u.clone(), password: p },
        (_, Some(u), None, ..) => {
            return Err(format!("`--user {u}` needs `--password` or `--password-file`"));
        }
        (_, _, _, Some(t), _) => Credentials::Token(t),
        (.., Some(s)) => Credentials::NkeySeedFile(s.clone()),
        _ => Credentials::None,
    };
    let mut operations: Vec<Operation> = a.subscribe.iter().cloned().map(Operation::Subscribe).collect();
    operations.extend(a.publish.iter().cloned().map(Operation::Publish));
    operations.extend(a.request.iter().cloned().map(Operation::Request));
    operations.extend(a.js_stream.iter().cloned().map(|s| Operation::Js(JsOperation::Stream(s))));
    operations.extend(a.js_consumer.iter().cloned().map(Operation::Js));
    operations.extend(a.js_publish.iter().cloned().map(|s| Operation::Js(JsOperation::Publish(s))));
    operations.extend(a.kv_get.iter().cloned().map(Operation::Js));
    let server_state = match a.server_state.as_str() {
        "up" => ServerState::Up,
        "stopped" => ServerState::Stopped,
        "paused" => ServerState::Paused,
        other => return Err(format!("unknown server state `{other}`; expected `up`, `stopped` or `paused`")),
    };
    let version = resolve_version(&a.server_version)?;
    let tls = ClientTlsInput { cert: a.tls_cert.clone(), ca: a.tls_ca.clone(), first: a.tls_first };
    Ok(DiagnoseInput {
        config: a.config.clone(),
        credentials,
        operations,
        version,
        server_state,
        tls,
        library: a.library,
        door: a.door.options(),
    })
}

/// Runs `natsfault diagnose`; returns the exit code: 0 for a diagnosis, 2 for bad input (an
/// argument, a file that cannot be read or parsed, a creds file that does not parse, a config
/// nats-server refuses; the diagnosis is printed for the last two), 3 when this machine lacks
/// something (a nats-server binary, the customer's URL account server), 130 on Ctrl-C (nothing
/// is left running).
pub async fn diagnose(a: DiagnoseArgs) -> i32 {
    if !matches!(a.format, Format::Human | Format::Json) {
        eprintln!("natsfault: `--format` for diagnose is `human` or `json`");
        return exit::INVALID_INPUT;
    }
    let input = match input(&a) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
    };
    // Ctrl-C drops the diagnosis in flight: its server is killed and its folders removed.
    let played = tokio::select! {
        played = crate::diagnose::diagnose_prepared(&input) => played,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("natsfault: interrupted; stopping the server");
            return exit::INTERRUPTED;
        }
    };
    let (diagnosis, prepared) = match played {
        Ok(d) => d,
        Err(DiagnoseError::Input(e)) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
        Err(DiagnoseError::Environment(e)) => {
            eprintln!("natsfault: {e}");
            return exit::ENVIRONMENT;
        }
    };
    if let Some(out) = &a.emit_scenario {
        match emit::scenario(&prepared, &diagnosis) {
            Ok(text) => {
                let text = crate::diagnose::redact::collect(&prepared).redact(&text);
                if let Err(e) = crate::owner_only::write(out, text) {
                    eprintln!("natsfault: cannot write `{}`: {}", out.display(), e.to_string().to_lowercase());
                    return exit::ENVIRONMENT;
                }
            }
            Err(e) => eprintln!("natsfault: no scenario written: {e}"),
        }
    }
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&render::json(&diagnosis)).unwrap_or_default()),
        _ => print!("{}", render::human(&diagnosis)),
    }
    if diagnosis.detail == "url-resolver-not-contacted" {
        eprintln!("natsfault: the config's account server (`resolver: URL(...)`) cannot be contacted from here");
        return exit::ENVIRONMENT;
    }
    let invalid = invalid_inputs(&prepared, &diagnosis);
    for problem in &invalid {
        eprintln!("natsfault: {problem}");
    }
    if invalid.is_empty() { exit::OK } else { exit::INVALID_INPUT }
}
