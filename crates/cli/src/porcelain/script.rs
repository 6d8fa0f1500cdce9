//! `script run`: a script of Junos Space run on devices with its parameters. The spec's
//! exec-scripts takes every device in one call, so the run is one job, followed as `deploy`
//! follows its own; each device's output is in the job's result (`job result`).

use std::time::Duration;

use junos_space::{Client, Filter, types};
use serde_json::Map;

use super::wait::wait_for;
use crate::exit::Failure;
use crate::operations::Operations;
use crate::output::Output;

/// The script `given` names: its id, or its file name (`scriptName`) looked up in one listing
/// and refused when no script or several have it.
pub async fn id(client: &Client, given: &str) -> Result<i64, Failure> {
    let listing = client
        .list_scripts()
        .filter(Filter::eq("scriptName", given));
    super::member_named(
        listing,
        "script",
        given,
        |script: &types::Script| &script.script_name,
        |script| script.id,
    )
    .await
}

/// One run: the script, the devices it runs on, and with what.
pub struct ScriptRun<'a> {
    pub script: i64,
    pub devices: &'a [i64],
    /// `scriptParams`, from `--param`.
    pub params: Vec<(String, String)>,
    /// `scriptVersionSelected`, from `--script-version`; the server's choice without it.
    pub version: Option<String>,
    /// How long the job may run before the wait gives up on it.
    pub deadline: Duration,
    /// Print the request instead of sending it.
    pub dry_run: bool,
}

/// The exec-scripts body: one entry a device, each naming the script and its parameters.
pub fn request(run: &ScriptRun<'_>) -> types::ExecScriptsRequest {
    let params = (!run.params.is_empty()).then(|| types::ScriptMgmtScriptParams {
        script_param: run
            .params
            .iter()
            .map(|(name, value)| types::ScriptParam {
                param_name: name.clone(),
                param_value: Some(value.clone()),
            })
            .collect(),
    });
    types::ExecScriptsRequest {
        exec_scripts: run
            .devices
            .iter()
            .map(|&device| types::ExecScriptsEntry {
                script_mgmt: types::ScriptMgmt {
                    device: types::Link::device(device),
                    script: types::Link::script(run.script),
                    script_params: params.clone(),
                    script_version_selected: run.version.clone(),
                },
            })
            .collect(),
    }
}

/// Sends `run` and waits for its job, or prints it on a dry run.
pub async fn run(
    client: &Client,
    operations: &Operations,
    run: ScriptRun<'_>,
    output: &mut Output,
) -> Result<(), Failure> {
    let body = request(&run);
    if run.dry_run {
        let operation = operations.operation("executeScript")?;
        let body = serde_json::to_value(&body).map_err(|error| {
            Failure::Usage(format!("the script body cannot be written: {error}"))
        })?;
        print!(
            "{}",
            operations.request_text(client, operation, &Map::new(), Some(&body))
        );
        return Ok(());
    }
    let job = client.execute_script().body(body).send().await?.task.id;
    wait_for(client, job, run.deadline, output).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_device_is_an_entry_with_the_script_and_its_parameters() {
        let devices = [131_073, 131_074];
        let run = ScriptRun {
            script: 393_217,
            devices: &devices,
            params: vec![("interface".into(), "ge-0/0/0".into())],
            version: Some("1.1".into()),
            deadline: Duration::from_secs(1),
            dry_run: true,
        };
        let body = serde_json::to_value(request(&run)).expect("serialises");
        let entry = |device: i64| {
            json!({"scriptMgmt": {
                "script": {"@href": "/api/space/script-management/scripts/393217"},
                "device": {"@href": format!("/api/space/device-management/devices/{device}")},
                "scriptVersionSelected": "1.1",
                "scriptParams": {"scriptParam": [{"paramName": "interface", "paramValue": "ge-0/0/0"}]},
            }})
        };
        assert_eq!(
            body,
            json!({"exec-scripts": [entry(131_073), entry(131_074)]})
        );
        // Without parameters or a version, neither is written.
        let bare = ScriptRun {
            params: Vec::new(),
            version: None,
            ..run
        };
        let body = serde_json::to_value(request(&bare)).expect("serialises");
        assert_eq!(
            body["exec-scripts"][0]["scriptMgmt"]
                .as_object()
                .map(Map::len),
            Some(2)
        );
    }
}
