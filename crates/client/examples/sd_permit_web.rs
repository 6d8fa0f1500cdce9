//! Lets a branch LAN reach a web server through Security Director: creates two address
//! objects and a service, adds a rule that uses them to device policy `POLICY_ID` under the
//! policy's lock, publishes the policy, updates SD device `SD_DEVICE_ID`, and waits for both
//! jobs.
//!
//! `cargo run -p junos-space --example sd_permit_web -- POLICY_ID SD_DEVICE_ID`
//! (with `JUNOS_SPACE_URL`, `JUNOS_SPACE_USER` and `JUNOS_SPACE_PASSWORD` set).

use junos_space::prelude::*;
use junos_space::security_director::FirewallRule;
use junos_space::{Client, Error, types};

#[tokio::main]
async fn main() -> junos_space::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [policy, device] = &args[..] else {
        return Err(Error::Config(
            "usage: sd_permit_web POLICY_ID SD_DEVICE_ID".into(),
        ));
    };
    let id = |text: &str| {
        text.parse::<i64>()
            .map_err(|_| Error::Config(format!("`{text}` is not an id")))
    };
    let (policy, device) = (id(policy)?, id(device)?);
    let client = Client::builder().from_env().build()?;

    let lan = types::SdAddressRequest::network("branch-lan", "10.20.0.0/24");
    let lan = client
        .create_sd_address()
        .body(lan)
        .send()
        .await?
        .into_inner()
        .address;
    let web = types::SdAddressRequest::host("web-01", "192.0.2.80");
    let web = client
        .create_sd_address()
        .body(web)
        .send()
        .await?
        .into_inner()
        .address;
    let https = types::SdServiceRequest::tcp("https-8443", "8443");
    let https = client
        .create_sd_service()
        .body(https)
        .send()
        .await?
        .into_inner()
        .service;

    let group = client.device_rule_group(policy).await?;
    let rule = FirewallRule::permit("branch-to-web")
        .from_zone("trust")
        .to_zone("untrust")
        .source(lan.id, lan.name)
        .destination(web.id, web.name)
        .service(https.id, https.name)
        .added_to(group);
    client
        .with_policy_lock(policy, || async {
            let read = client.get_sd_firewall_policy_v1().policy_id(policy);
            let edit_version = read.send().await?.into_inner().firewall_policy.edit_version;
            let change = types::SdModifyRulesV1Request::adding(policy, edit_version, [rule]);
            client
                .modify_sd_firewall_rules_v1()
                .body(change)
                .send()
                .await
        })
        .await?;

    let publish = types::SdPublishPoliciesRequest::of([policy]);
    let task = client
        .publish_sd_firewall_policies_v1()
        .body(publish)
        .send()
        .await?;
    let published = client.job(&task).wait().await?;
    println!(
        "published: {}",
        published.summary.as_deref().unwrap_or("no summary")
    );
    let update = types::SdUpdateDevicesRequest::policies_to([device]);
    let task = client.update_sd_devices().body(update).send().await?;
    let updated = client.job(&task).wait().await?;
    println!(
        "devices updated: {}",
        updated.summary.as_deref().unwrap_or("no summary")
    );
    Ok(())
}
