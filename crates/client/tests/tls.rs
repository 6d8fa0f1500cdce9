//! TLS: a server with a certificate from a private CA is refused by default, with an error
//! that says so, and accepted once that CA is added; turning verification off is possible, but
//! only by asking for it. The server is the simulator, serving HTTPS as a fresh Junos Space
//! does, with a certificate no one trusts yet.

use junos_space::prelude::*;
use junos_space::{Client, Error};
use junos_space_simulator::tls::Tls;
use junos_space_simulator::{Config, Simulator};

#[tokio::test]
async fn a_private_ca_server_is_refused_by_default_and_accepted_with_its_ca() {
    let (tls, ca) = Tls::throwaway(&["127.0.0.1"]).expect("a certificate");
    let simulator = Simulator::start(Config {
        tls: Some(tls),
        ..Config::default()
    })
    .await
    .expect("the simulator starts");
    let url = simulator.base_url();
    assert!(url.starts_with("https://"), "{url}");
    let account = &simulator.config().credentials[0];
    let builder = || {
        Client::builder()
            .base_url(&url)
            .credentials(account.user.clone(), account.password.clone())
    };

    let default = builder().build().expect("client");
    let refused = default
        .list_devices()
        .send()
        .await
        .expect_err("an unknown CA is refused");
    assert!(
        matches!(&refused, Error::Certificate { reason, .. } if reason == "signed by a CA that is not trusted"),
        "{refused:?}"
    );
    assert!(
        refused.to_string().contains("give the client its CA"),
        "{refused}"
    );
    assert_eq!(simulator.requests(), 0, "no request got through");

    let dir = tempfile::tempdir().expect("temp dir");
    let ca_file = dir.path().join("space-ca.pem");
    std::fs::write(&ca_file, &ca.certificate_pem).expect("CA written");
    let trusting = builder()
        .add_root_certificate_pem_file(&ca_file)
        .build()
        .expect("client");
    trusting
        .list_devices()
        .send()
        .await
        .expect("the CA's server is accepted");
    assert_eq!(simulator.requests(), 1);

    let insecure = builder()
        .danger_accept_invalid_certificates()
        .build()
        .expect("client");
    insecure
        .list_devices()
        .send()
        .await
        .expect("accepted without verification, by request");
    assert_eq!(simulator.requests(), 2);
    simulator.shutdown().await;
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
