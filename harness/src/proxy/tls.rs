//! TLS on a tapped connection. natsfault made every key of the run, so the tap terminates the
//! client's TLS with the server's own certificate (the one the server presented to the tap) and
//! opens its own TLS to the server presenting the client's certificate: the identity the server
//! maps stays the client's, and the NATS protocol inside stays readable for the wire tap.
//!
//! NATS sends INFO in clear and upgrades after it (unless `handshake_first`): the tap forwards
//! INFO, then does TLS on both sides when the INFO requires it or the client starts it anyway.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio_rustls::rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use tokio_rustls::rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, ring};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tokio_rustls::rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use tokio_rustls::rustls::{
    self, AlertDescription, ClientConfig, DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme,
};
use tokio_rustls::{TlsAcceptor, TlsConnector, client, server};

/// A certificate chain with its key, in PEM, as the PKI wrote them.
#[derive(Clone)]
pub struct TapIdentity {
    /// The certificate (PEM).
    pub cert_pem: String,
    /// The key (PEM): a secret.
    pub key_pem: String,
}

impl std::fmt::Debug for TapIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TapIdentity(..)")
    }
}

/// How a tap handles TLS for its client.
#[derive(Clone, Debug, Default)]
pub struct TapTls {
    /// Every server certificate of the run the tap can present, by DER.
    pub servers: Vec<(Vec<u8>, TapIdentity)>,
    /// The client's own certificate, presented to the server.
    pub client: Option<TapIdentity>,
    /// The client's certificate is marked unknown to natsfault: the tap cannot stand in.
    pub client_unknown: bool,
    /// The client starts TLS before INFO (`tls-first`).
    pub first: bool,
    /// The client starts TLS after INFO even when the server does not require it.
    pub wants: bool,
}

/// Why the tap could not carry a TLS connection.
#[derive(Debug, thiserror::Error)]
pub enum TapTlsError {
    /// The server's TLS handshake with the tap failed.
    #[error("TLS handshake with the server failed: {0}")]
    Server(std::io::Error),
    /// The client's TLS handshake with the tap failed.
    #[error("TLS handshake with the client failed: {0}")]
    Client(std::io::Error),
    /// The server presented a certificate the run did not make.
    #[error("the server presented a certificate natsfault did not make; the tap cannot stand in for it")]
    UnknownServerCert,
    /// A key or certificate did not parse.
    #[error("a certificate or key of the run did not parse: {0}")]
    Pem(String),
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring::default_provider())
}

fn parse(id: &TapIdentity) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), TapTlsError> {
    use rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_slice_iter(id.cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TapTlsError::Pem(e.to_string()))?;
    let key = PrivateKeyDer::from_pem_slice(id.key_pem.as_bytes()).map_err(|e| TapTlsError::Pem(e.to_string()))?;
    Ok((certs, key))
}

/// Both TLS sides of one tapped connection, once their handshakes are done.
pub(crate) struct TlsPair {
    pub(crate) client: server::TlsStream<TcpStream>,
    pub(crate) server: client::TlsStream<TcpStream>,
    /// What the server sent while the tap waited for its verdict (INFO, with `handshake_first`):
    /// the client gets it first.
    pub(crate) early: Vec<u8>,
}

/// How long the tap waits for the server's verdict on the client's certificate.
const VERDICT_TIMEOUT: Duration = Duration::from_millis(500);
/// How often the wait looks at the tickets received.
const VERDICT_POLL: Duration = Duration::from_millis(5);

/// What the server said of the certificate the tap presented for the client.
enum Verdict {
    /// Accepted; with what it sent meanwhile.
    Accepted(Vec<u8>),
    /// Refused with this alert.
    Refused(AlertDescription),
}

/// In TLS 1.3 the server judges the client's certificate after the client side of the
/// handshake is done, so a refusal arrives as an alert on the first read. The tap waits for it
/// (or for the session ticket the server sends once it accepted, or for data), so that it can
/// refuse the client with the same alert: the client observes what it would observe without the
/// tap (`received fatal alert: CertificateExpired`, not a closed connection).
async fn verdict(server: &mut client::TlsStream<TcpStream>) -> std::io::Result<Verdict> {
    use tokio::io::AsyncReadExt;
    if server.get_ref().1.protocol_version() != Some(rustls::ProtocolVersion::TLSv1_3) {
        return Ok(Verdict::Accepted(Vec::new()));
    }
    let deadline = tokio::time::Instant::now() + VERDICT_TIMEOUT;
    let mut chunk = [0u8; 4096];
    // Bounded by the deadline; each pass waits at most VERDICT_POLL.
    while tokio::time::Instant::now() < deadline {
        if server.get_ref().1.tls13_tickets_received() > 0 {
            break;
        }
        match tokio::time::timeout(VERDICT_POLL, server.read(&mut chunk)).await {
            Err(_) => continue,
            Ok(Ok(0)) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(Ok(n)) => return Ok(Verdict::Accepted(chunk[..n].to_vec())),
            Ok(Err(e)) => {
                let alert = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()).and_then(|r| match r {
                    rustls::Error::AlertReceived(a) => Some(*a),
                    _ => None,
                });
                return match alert {
                    Some(a) => Ok(Verdict::Refused(a)),
                    None => Err(e),
                };
            }
        }
    }
    Ok(Verdict::Accepted(Vec::new()))
}

/// The verification error whose alert (as rustls maps errors to alerts) is `alert`.
fn refusal(alert: AlertDescription) -> rustls::Error {
    use rustls::CertificateError as C;
    rustls::Error::InvalidCertificate(match alert {
        AlertDescription::CertificateExpired => C::Expired,
        AlertDescription::UnknownCA => C::UnknownIssuer,
        AlertDescription::CertificateRevoked => C::Revoked,
        AlertDescription::UnsupportedCertificate => C::InvalidPurpose,
        AlertDescription::AccessDenied => C::ApplicationVerificationFailure,
        #[allow(deprecated)]
        AlertDescription::DecryptError => C::BadSignature,
        _ => C::BadEncoding,
    })
}

/// A client configuration that presents no certificate and accepts whatever the server presents:
/// the readiness probe of a `handshake_first` server, which only needs the server to answer.
pub(crate) fn probe_client_config() -> Option<Arc<ClientConfig>> {
    let provider = provider();
    let algs = provider.signature_verification_algorithms;
    let config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyServer(algs)))
        .with_no_client_auth();
    Some(Arc::new(config))
}

/// TLS to the server first (presenting the client's certificate), then TLS with the client
/// (presenting the certificate the server presented).
pub(crate) async fn handshake(cfg: &TapTls, client: TcpStream, server: TcpStream) -> Result<TlsPair, TapTlsError> {
    let provider = provider();
    let algs = provider.signature_verification_algorithms;
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| TapTlsError::Pem(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyServer(algs)));
    let config = match &cfg.client {
        Some(id) => {
            let (certs, key) = parse(id)?;
            builder.with_client_auth_cert(certs, key).map_err(|e| TapTlsError::Pem(e.to_string()))?
        }
        None => builder.with_no_client_auth(),
    };
    let name = ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into());
    let mut server = TlsConnector::from(Arc::new(config)).connect(name, server).await.map_err(TapTlsError::Server)?;
    let verdict = verdict(&mut server).await.map_err(TapTlsError::Server)?;
    let presented = server.get_ref().1.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec());
    let identity = presented
        .and_then(|der| cfg.servers.iter().find(|(d, _)| *d == der).map(|(_, id)| id.clone()))
        .ok_or(TapTlsError::UnknownServerCert)?;
    let (certs, key) = parse(&identity)?;
    let refuse = match &verdict {
        Verdict::Refused(alert) => Some(*alert),
        Verdict::Accepted(_) => None,
    };
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TapTlsError::Pem(e.to_string()))?
        .with_client_cert_verifier(Arc::new(AnyClient { algs, refuse }))
        .with_single_cert(certs, key)
        .map_err(|e| TapTlsError::Pem(e.to_string()))?;
    let accepted = TlsAcceptor::from(Arc::new(config)).accept(client).await;
    match verdict {
        // The client was refused as the server refused the tap: with the same alert.
        Verdict::Refused(alert) => Err(TapTlsError::Server(std::io::Error::other(format!(
            "the server refused the client's certificate: {alert:?}"
        )))),
        Verdict::Accepted(early) => Ok(TlsPair { client: accepted.map_err(TapTlsError::Client)?, server, early }),
    }
}

/// Accepts whatever certificate the server presents: the client, not the tap, judges it (it
/// sees the same certificate).
#[derive(Debug)]
struct AnyServer(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// Asks for a client certificate and accepts whatever comes: the server, not the tap, judges
/// it (the tap presents the client's own certificate to it). Once the server has refused it,
/// `refuse` holds the server's alert and the client is refused with it.
#[derive(Debug)]
struct AnyClient {
    algs: WebPkiSupportedAlgorithms,
    refuse: Option<AlertDescription>,
}

impl ClientCertVerifier for AnyClient {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        self.refuse == Some(AlertDescription::CertificateRequired)
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        match self.refuse {
            Some(alert) => Err(refusal(alert)),
            None => Ok(ClientCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}
