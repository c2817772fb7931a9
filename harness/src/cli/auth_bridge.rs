//! `natsfault auth-bridge`: the auth-callout bridge as a service, until Ctrl-C or SIGTERM.

use std::path::Path;

use super::args::AuthBridgeArgs;
use super::exit;
use crate::auth_bridge::{Bridge, BridgeMode, BridgeSpec, Outcome, ServiceAuth};
use crate::input_file::{SMALL_FILE_LIMIT, read_text};
use crate::spec::Dur;

/// Reads a secret file (regular and small, see [`read_text`]), trimmed; the error names the
/// file, never its contents.
fn secret(path: &Path, flag: &str, what: &'static str) -> Result<String, String> {
    read_text(path, what, SMALL_FILE_LIMIT).map(|s| s.trim().to_string()).map_err(|e| format!("{flag}: {e}"))
}

fn spec(args: &AuthBridgeArgs) -> Result<BridgeSpec, String> {
    let issuer = secret(&args.issuer_seed, "--issuer-seed", "issuer seed file")?;
    let timeout: Dur = args.timeout.parse().map_err(|e| format!("--timeout: {e}"))?;
    if timeout.get().is_zero() {
        return Err(format!("--timeout: expected a duration above zero, found `{}`", args.timeout));
    }
    let (mode, auth) = match (&args.target_account_seed, &args.creds) {
        (Some(target), Some(creds)) => (
            BridgeMode::Operator {
                target_account_seed: secret(target, "--target-account-seed", "target account seed file")?,
            },
            ServiceAuth::Credentials(secret(creds, "--creds", "creds file")?),
        ),
        _ => {
            let password = match &args.auth_password_file {
                Some(p) => secret(p, "--auth-password-file", "password file")?,
                None => return Err(
                    "config mode needs --auth-password-file (or --target-account-seed and --creds for operator mode)"
                        .into(),
                ),
            };
            (
                BridgeMode::Config { target_account: args.account.clone() },
                ServiceAuth::UserPassword { user: args.auth_user.clone(), password },
            )
        }
    };
    let mut spec =
        BridgeSpec::new(&args.nats_url, &args.auth_url, issuer, mode, auth).with_request_timeout(timeout.get());
    if let Some(x) = &args.xkey_seed {
        spec = spec.with_xkey_seed(secret(x, "--xkey-seed", "xkey seed file")?);
    }
    spec.validate().map_err(|e| e.to_string())?;
    Ok(spec)
}

/// Runs the bridge; returns the exit code.
pub async fn auth_bridge(args: AuthBridgeArgs) -> i32 {
    let spec = match spec(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let bridge = match Bridge::start(spec).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::ENVIRONMENT;
        }
    };
    eprintln!("natsfault: auth bridge serving {} with {}", args.nats_url, args.auth_url);
    let mut seen = 0;
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("natsfault: cannot watch SIGTERM: {e}");
            return exit::ENVIRONMENT;
        }
    };
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        tokio::select! {
            _ = &mut interrupted => break,
            _ = term.recv() => break,
            handled = bridge.wait_handled(seen + 1, std::time::Duration::from_secs(3600)) => {
                if let Ok(all) = handled {
                    for h in all.iter().skip(seen) {
                        let verdict = match &h.outcome {
                            Outcome::Authorized { user, .. } => format!("authorized as `{user}`"),
                            other => format!("{other:?}"),
                        };
                        eprintln!(
                            "natsfault: request {} user {:?} status {:?}: {verdict} ({}ms)",
                            h.seq, h.client_user, h.http_status, h.elapsed.as_millis()
                        );
                    }
                    seen = all.len();
                }
            }
        }
    }
    bridge.stop().await;
    exit::OK
}
