//! `natsfault diagnose` on configs and credentials written apart from the scenarios
//! (`fixtures/diagnose/`, or made at test time with the credentials factory): each test checks the
//! verdict, the evidence and the fix, that no secret of the input reaches the output, and that the
//! emitted scenario passes `natsfault run`.

#[path = "../support/canary.rs"]
mod canary;
mod common;
mod trust;

/// Refused configs: `auth_url`, a seed where a public key belongs, other unknown keys, bad input.
mod config_refused;
/// Hostile configs: folded key spellings and hidden account servers, proven by the file system
/// and loopback canaries.
mod hostile;
/// JetStream API calls outside the permissions: stream and consumer create, key-value reads.
mod jetstream;
/// Operator mode: expired and tampered JWTs, revocations, missing `issuer_account`, unknown accounts.
mod jwt;
/// Nkey users: unknown keys, a nonce signed with another seed.
mod nkey;
/// No, wrong or unknown credentials.
mod no_credentials;
/// Publish and subscribe outside the permissions, in config and JWT users.
mod permissions;
/// Refusal positions reported in the customer's files, not the rewritten ones.
mod positions;
/// Stopped and paused servers, and configs where everything works.
mod reachability;
/// Emitted scenarios for the remaining details, and clear refusals where none can be written.
mod templates;
/// TLS: certificates of the customer's shape, handshake, verification and mapping failures.
mod tls;
