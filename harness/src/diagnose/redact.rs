//! Keeps the customer's secrets out of every output of a diagnosis: the client's credentials,
//! the passwords, tokens and seeds of the config and of every file it includes, and whatever the
//! shape rules of [`crate::redact`] find.

use std::path::Path;

use super::input::{Credentials, CredsRead, DiagnoseInput, Prepared};
use super::model::Diagnosis;
pub use crate::redact::REDACTED;
use crate::redact::{Secrets, config_secrets, source_secrets};

/// The secrets of the command line and of the files it names, read before anything is parsed:
/// what a message about unreadable or unparsable input must not show.
pub fn input_secrets(input: &DiagnoseInput) -> Secrets {
    let secrets = Secrets::new();
    match &input.credentials {
        Credentials::UserPassword { password, .. } => secrets.add(password),
        Credentials::Token(t) => secrets.add(t),
        Credentials::CredsFile(path) | Credentials::NkeySeedFile(path) => add_file(&secrets, path, true),
        Credentials::None => {}
    }
    add_file(&secrets, &input.config, false);
    secrets.add_all(input.door.secrets());
    secrets
}

/// Adds the secrets of a file: of a credentials or seed file (`whole`), every line but the
/// markers (of a JWT, its signature); of a config, the values of its secret keys.
fn add_file(secrets: &Secrets, path: &Path, whole: bool) {
    let Ok(text) = std::fs::read_to_string(path) else { return };
    if whole {
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("--"));
        secrets.add_all(lines.filter_map(|l| l.rsplit('.').next()));
    } else {
        secrets.add_all(source_secrets(&text));
    }
}

/// Every secret known from the input, the config and the files it includes.
pub fn collect(p: &Prepared) -> Secrets {
    let secrets = input_secrets(&p.input);
    if let Some(CredsRead::Parsed { jwt, seed }) = &p.creds {
        secrets.add(seed);
        secrets.add_all(jwt.rsplit('.').next());
    }
    secrets.add_all(p.seed.iter());
    secrets.add_all(config_secrets(&p.config));
    for file in p.config.files() {
        add_file(&secrets, &file.path, false);
    }
    secrets
}

/// The diagnosis with every string redacted.
pub fn diagnosis(mut d: Diagnosis, secrets: &Secrets) -> Diagnosis {
    let r = |s: &mut String| secrets.redact_in(s);
    r(&mut d.summary);
    d.fix.iter_mut().for_each(r);
    d.decoded.iter_mut().for_each(r);
    d.rewrites.iter_mut().for_each(r);
    d.evidence.client_error.iter_mut().for_each(r);
    d.evidence.server_errs.iter_mut().for_each(r);
    d.evidence.reason.iter_mut().for_each(r);
    d.evidence.log.iter_mut().for_each(r);
    if let super::model::Verdict::ConfigRefused { reason, at, .. } = &mut d.verdict {
        r(reason);
        at.iter_mut().for_each(r);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_secrets_go_everywhere_short_ones_as_words() {
        let secrets = Secrets::of(["s3cret-Password", "auth"]);
        assert_eq!(secrets.redact("pw=s3cret-Password!"), "pw=<redacted>!");
        assert_eq!(
            secrets.redact("password: auth, authentication error"),
            "password: <redacted>, authentication error"
        );
    }

    #[test]
    fn seeds_and_jwt_signatures_are_redacted_without_being_known() {
        let seed = crate::credentials::keys::user().seed().to_string();
        let none = Secrets::new();
        assert_eq!(none.redact(&format!("nkey \"{seed}\"")), "nkey \"<redacted>\"");
        assert_eq!(
            none.redact("jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end"),
            "jwt eyJhbGciOi.eyJzdWIiOi.<redacted> end"
        );
    }
}
