//! `natsfault diagnose`: play a customer's nats.conf and credentials on a local nats-server,
//! classify why the client fails, and suggest the fix in this config's own terms.
//!
//! The steps are separate files: [`input`] (what the engineer was given), [`decode`] (what can be
//! read before running), [`play`] (the real server and client), [`classify`] (evidence to cause),
//! [`fix`] (the suggestion), [`emit`] (a scenario that reproduces it), [`invalid`] (what of the
//! input is bad input even with a diagnosis) and [`render`] (human and
//! JSON output). [`redact`] keeps the customer's secrets out of all of them.

pub mod classify;
pub mod decode;
pub mod emit;
mod emit_client;
mod emit_refused;
pub mod fix;
pub mod input;
pub mod invalid;
pub mod js_op;
pub mod model;
pub mod play;
pub mod redact;
pub mod render;
pub mod subject;
pub mod tls;

pub use input::{Credentials, DiagnoseError, DiagnoseInput, Operation, ServerState};
pub use invalid::{InvalidInput, invalid_inputs};
pub use model::{Diagnosis, Evidence, Verdict};

/// Runs the whole diagnosis: decode, play, classify, suggest.
pub async fn diagnose(input: &DiagnoseInput) -> Result<Diagnosis, DiagnoseError> {
    Ok(diagnose_prepared(input).await?.0)
}

/// Like [`diagnose`], also returning the input with its files read (for [`emit::scenario`]).
pub async fn diagnose_prepared(input: &DiagnoseInput) -> Result<(Diagnosis, input::Prepared), DiagnoseError> {
    let prepared = input::prepare(input).map_err(|e| match e {
        DiagnoseError::Input(m) => DiagnoseError::Input(redact::input_secrets(input).redact(&m)),
        other => other,
    })?;
    let decoded = decode::decode(&prepared);
    let secrets = redact::collect(&prepared);
    let outcome = play::play(&prepared).await.map_err(|e| match e {
        DiagnoseError::Input(m) => DiagnoseError::Input(secrets.redact(&m)),
        DiagnoseError::Environment(m) => DiagnoseError::Environment(secrets.redact(&m)),
    })?;
    let mut diagnosis = classify::classify(&prepared, &decoded, &outcome);
    diagnosis.decoded = decoded.notes.clone();
    diagnosis.decoded.extend(prepared.tls.iter().flat_map(|t| t.notes.iter().cloned()));
    diagnosis.rewrites = outcome.rewrites.clone();
    diagnosis.confinement = outcome.confinement.clone();
    diagnosis.library = outcome.library.clone();
    let library = prepared.input.library;
    if library.is_external() {
        // The classification speaks async-nats; say what holds for the library played.
        diagnosis.summary = diagnosis
            .summary
            .replace(
                "async-nats returns Ok and reports it only as a server-error event",
                &format!("{library} succeeds with the call and reports the refusal only to its error callback"),
            )
            .replace("async-nats reports", &format!("{library} reports (in async-nats' terms)"));
    }
    diagnosis.sockets = outcome.sockets.as_ref().map(ToString::to_string);
    Ok((redact::diagnosis(diagnosis, &secrets), prepared))
}
