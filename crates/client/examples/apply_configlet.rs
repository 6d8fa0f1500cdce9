//! Applies CLI configlet `CONFIGLET_ID` to a device with a value for its `NTP_SERVER`
//! parameter, and waits for the job.
//!
//! `cargo run -p junos-space --example apply_configlet -- CONFIGLET_ID DEVICE_ID NTP_SERVER`
//! (with `JUNOS_SPACE_URL`, `JUNOS_SPACE_USER` and `JUNOS_SPACE_PASSWORD` set).

use std::time::Duration;

use junos_space::prelude::*;
use junos_space::{Client, Error, types};

#[tokio::main]
async fn main() -> junos_space::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [configlet, device, ntp_server] = &args[..] else {
        return Err(Error::Config(
            "usage: apply_configlet CONFIGLET_ID DEVICE_ID NTP_SERVER".into(),
        ));
    };
    let id = |text: &str| {
        text.parse::<i64>()
            .map_err(|_| Error::Config(format!("`{text}` is not an id")))
    };
    let client = Client::builder().from_env().build()?;
    // Version 2 of apply-configlet applies to one device per call.
    let body = types::ApplyConfigletRequest {
        cli_configlet_mgmt: types::ApplyConfigletRequestCliConfigletMgmt {
            device_id: id(device)?,
            cli_configlet_param: vec![types::ConfigletParam {
                parameter: "NTP_SERVER".to_owned(),
                param_value: Some(ntp_server.clone()),
            }],
        },
    };
    let answer = client
        .apply_configlet()
        .configlet_id(id(configlet)?)
        .body(body)
        .send()
        .await?;
    let job = client
        .job(&answer)
        .timeout(Duration::from_secs(15 * 60))
        .wait()
        .await?;
    println!(
        "configlet applied: {}",
        job.summary.as_deref().unwrap_or("no summary")
    );
    Ok(())
}
