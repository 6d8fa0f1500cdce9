//! `configlet apply`: a CLI configlet applied to devices with values for its parameters. The
//! spec's apply-configlet takes one device, so each device is its own call and its own job,
//! run as `rpc` runs them (at most `--concurrency` at once, one deadline), one result per
//! device.

use futures_util::future;
use junos_space::fleet::End;
use junos_space::{Client, Filter, types};
use serde_json::{Map, Value, json};

use super::{Run, end_without_job, fan_out};
use crate::exit::Failure;
use crate::operations::Operations;
use crate::output::Output;

/// The fields a table of results shows.
pub const TABLE: &[&str] = &["device", "job", "state", "summary"];

/// The configlet `given` names: its id, or its name looked up in one listing and refused when
/// no configlet or several have it.
pub async fn id(client: &Client, given: &str) -> Result<i64, Failure> {
    let listing = client.list_configlets().filter(Filter::eq("name", given));
    super::member_named(
        listing,
        "configlet",
        given,
        |c: &types::Configlet| &c.name,
        |c| c.key,
    )
    .await
}

/// The apply-configlet body for `device`, with `params` as the configlet's parameters.
pub fn request(device: i64, params: &[(String, String)]) -> types::ApplyConfigletRequest {
    types::ApplyConfigletRequest {
        cli_configlet_mgmt: types::ApplyConfigletRequestCliConfigletMgmt {
            device_id: device,
            cli_configlet_param: params
                .iter()
                .map(|(name, value)| types::ConfigletParam {
                    parameter: name.clone(),
                    param_value: Some(value.clone()),
                })
                .collect(),
        },
    }
}

/// Prints the apply-configlet each of `devices` would be sent, and sends none.
pub fn dry_run(
    client: &Client,
    operations: &Operations,
    configlet: i64,
    devices: &[i64],
    params: &[(String, String)],
) -> Result<(), Failure> {
    let operation = operations.operation("applyConfiglet")?;
    let parameters = Map::from_iter([("configlet_id".to_owned(), Value::from(configlet))]);
    for device in devices {
        let body = serde_json::to_value(request(*device, params)).map_err(|error| {
            Failure::Usage(format!("the configlet body cannot be written: {error}"))
        })?;
        print!(
            "{}",
            operations.request_text(client, operation, &parameters, Some(&body))
        );
    }
    Ok(())
}

/// Applies `configlet` to each of `devices`, one job each, printing each device's result as
/// its job ends.
pub async fn run(
    client: &Client,
    configlet: i64,
    devices: Vec<i64>,
    params: &[(String, String)],
    run: &Run,
    output: &mut Output,
) -> Result<(), Failure> {
    let start = |device: i64| {
        let call = client
            .apply_configlet()
            .configlet_id(configlet)
            .body(request(device, params));
        async move { Ok(call.send().await?.task.id) }
    };
    let result = |device: i64, end: End| {
        future::ready(match end.job() {
            Some(job) => json!({
                "device": device,
                "job": job.id,
                "state": job.state.to_string(),
                "summary": job.summary,
            }),
            None => end_without_job("device", device, &end),
        })
    };
    fan_out(client, devices, run, start, result, output).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_names_the_device_and_each_parameter_once() {
        let params = vec![
            ("NTP_SERVER".to_owned(), "192.0.2.123".to_owned()),
            ("NOTE".to_owned(), String::new()),
        ];
        let body = serde_json::to_value(request(131_073, &params)).expect("serialises");
        assert_eq!(
            body,
            json!({"cli-configlet-mgmt": {
                "deviceId": 131_073,
                "cli-configlet-param": [
                    {"parameter": "NTP_SERVER", "param-value": "192.0.2.123"},
                    {"parameter": "NOTE", "param-value": ""},
                ],
            }})
        );
        // Without parameters, no list at all (the server's forms never write an empty one).
        let bare = serde_json::to_value(request(131_073, &[])).expect("serialises");
        assert_eq!(bare, json!({"cli-configlet-mgmt": {"deviceId": 131_073}}));
    }
}
