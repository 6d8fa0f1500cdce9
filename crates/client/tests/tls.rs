//! TLS: a server with a certificate from a private CA is refused by default and accepted once
//! that CA is added; turning verification off is possible, but only by asking for it.

mod common;

use std::sync::Arc;

use common::{Reply, serve_tls};
use junos_space::{Client, Error};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::rustls;

/// A CA's PEM, and a TLS acceptor whose certificate for 127.0.0.1 that CA signed.
fn private_ca() -> (String, tokio_rustls::TlsAcceptor) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("server key");
    let leaf_params = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("server params");
    let leaf = leaf_params
        .signed_by(&leaf_key, &issuer)
        .expect("server certificate");
    let chain = vec![leaf.der().clone()];
    let key =
        rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).expect("PKCS#8 key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server config");
    (
        ca_cert.pem(),
        tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    )
}

fn devices(seen: &common::Seen, _: usize) -> Reply {
    Reply::accepted(seen, 200, r#"{"devices": {"@size": 0}}"#)
}

#[tokio::test]
async fn a_private_ca_server_is_refused_by_default_and_accepted_with_its_ca() {
    let (ca_pem, acceptor) = private_ca();
    let server = serve_tls(acceptor, devices).await;
    let url = format!("https://{}", server.origin);

    let default = Client::builder().base_url(&url).build().expect("client");
    let refused = default
        .call(default.list_devices())
        .await
        .expect_err("an unknown CA is refused");
    assert!(matches!(refused, Error::Transport(_)), "{refused}");
    assert!(server.requests().is_empty(), "no request got through");

    let dir = tempfile::tempdir().expect("temp dir");
    let ca_file = dir.path().join("space-ca.pem");
    std::fs::write(&ca_file, &ca_pem).expect("CA written");
    let trusting = Client::builder()
        .base_url(&url)
        .add_root_certificate_pem_file(&ca_file)
        .build()
        .expect("client");
    trusting
        .call(trusting.list_devices())
        .await
        .expect("the CA's server is accepted");
    assert_eq!(server.requests().len(), 1);

    let insecure = Client::builder()
        .base_url(&url)
        .danger_accept_invalid_certificates()
        .build()
        .expect("client");
    insecure
        .call(insecure.list_devices())
        .await
        .expect("accepted without verification, by request");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_file_without_a_certificate_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate").expect("written");
    let error = Client::builder()
        .base_url("https://space.example.com")
        .add_root_certificate_pem_file(&empty)
        .build()
        .expect_err("no certificate");
    assert!(matches!(error, Error::Config(_)), "{error}");
}
