//! HTTPS, as a real Junos Space serves it: with a certificate from the operator's PEM files,
//! or with one a throwaway private CA signs at start, whose PEM the clients under test must
//! then be given (`--ca-cert`), like the self-signed certificate of a fresh installation.

use std::fmt;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

use pki_types::pem::PemObject;
use pki_types::{CertificateDer, PrivateKeyDer};

/// Why a TLS setting cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("the certificate chain: {0}")]
    Certificate(String),
    #[error("the private key: {0}")]
    Key(String),
    #[error("the server's TLS settings: {0}")]
    Config(String),
}

/// The server side of TLS: a certificate chain and its key, ready to accept connections.
#[derive(Clone)]
pub struct Tls {
    config: Arc<rustls::ServerConfig>,
}

/// The throwaway CA of [`Tls::throwaway`]: what clients must trust to reach the simulator.
pub struct ThrowawayCa {
    /// The CA's certificate, PEM.
    pub certificate_pem: String,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key stays out of logs.
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

impl Tls {
    /// Serves the chain in `chain_pem` (the server's certificate first) with the key in
    /// `key_pem` (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem(chain_pem: &[u8], key_pem: &[u8]) -> Result<Self, TlsError> {
        let chain = CertificateDer::pem_slice_iter(chain_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| TlsError::Certificate(error.to_string()))?;
        if chain.is_empty() {
            return Err(TlsError::Certificate("no PEM certificate in it".into()));
        }
        let key =
            PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| TlsError::Key(e.to_string()))?;
        Self::from_der(chain, key)
    }

    /// A certificate for `hosts` (names or IP addresses) signed by a CA made now, which no
    /// one trusts until given its [`ThrowawayCa::certificate_pem`].
    pub fn throwaway(hosts: &[&str]) -> Result<(Self, ThrowawayCa), TlsError> {
        let failed = |error: rcgen::Error| TlsError::Certificate(error.to_string());
        let ca_key = KeyPair::generate().map_err(failed)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(
            rcgen::DnType::CommonName,
            "junos-space-simulator throwaway CA",
        );
        let ca_certificate = ca_params.self_signed(&ca_key).map_err(failed)?;
        let issuer = Issuer::new(ca_params, ca_key);
        let server_key = KeyPair::generate().map_err(failed)?;
        let names: Vec<String> = hosts.iter().map(|host| (*host).to_owned()).collect();
        let server_certificate = CertificateParams::new(names)
            .map_err(failed)?
            .signed_by(&server_key, &issuer)
            .map_err(failed)?;
        let key = PrivateKeyDer::try_from(server_key.serialize_der())
            .map_err(|error| TlsError::Key(error.to_owned()))?;
        let tls = Self::from_der(vec![server_certificate.der().clone()], key)?;
        let ca = ThrowawayCa {
            certificate_pem: ca_certificate.pem(),
        };
        Ok((tls, ca))
    }

    fn from_der(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Result<Self, TlsError> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| TlsError::Config(e.to_string()))?;
        // The server speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            config: Arc::new(config),
        })
    }

    pub(crate) fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.config.clone())
    }
}
