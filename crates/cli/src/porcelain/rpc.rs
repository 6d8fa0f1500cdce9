//! `rpc`: NETCONF RPCs on many devices at once (exec-rpc version 3, asynchronous), each
//! device's result read from its job's progress-update, one result per device.

use junos_space::fleet::End;
use junos_space::{Client, types};
use serde_json::{Map, Value, json};

use super::{Run, end_without_job, fan_out};
use crate::exit::Failure;
use crate::operations::Operations;
use crate::output::Output;

/// The fields a table of results shows.
pub const TABLE: &[&str] = &["device", "job", "state", "summary", "result"];

/// The exec-rpc body for `rpcs`: each one JSON text (`{"get-system-information":""}`), a bare
/// RPC name (`get-system-information`) or the RPC as the empty XML element Junos writes
/// (`<get-system-information/>`), both of which stand for it. An XML RPC with content is
/// refused, not sent as a name: its JSON form says what it holds.
pub fn request(rpcs: &[String]) -> Result<types::RpcRequest, Failure> {
    let commands: Vec<String> = rpcs
        .iter()
        .map(|rpc| {
            let rpc = rpc.trim();
            if rpc.starts_with('<') {
                empty_element(rpc)
                    .map(types::RpcRequest::command_named)
                    .ok_or_else(|| {
                        Failure::Usage(format!(
                            "--rpc `{rpc}`: only an RPC without content can be given as XML \
                             (<get-system-information/>); give this one as JSON, \
                             {{\"get-interface-information\": {{\"terse\": \"\"}}}}"
                        ))
                    })
            } else if rpc.starts_with('{') {
                serde_json::from_str::<Value>(rpc)
                    .map(|value| value.to_string())
                    .map_err(|error| Failure::Usage(format!("--rpc `{rpc}` is not JSON: {error}")))
            } else if !rpc.is_empty() && !rpc.contains(char::is_whitespace) {
                Ok(types::RpcRequest::command_named(rpc))
            } else {
                Err(Failure::Usage(format!(
                    "--rpc `{rpc}`: give an RPC name (get-system-information) or its JSON"
                )))
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(types::RpcRequest::commands(commands))
}

/// The name of an empty XML element, `<name/>` or `<name></name>`.
fn empty_element(xml: &str) -> Option<&str> {
    let is_name = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let inner = xml.strip_prefix('<')?;
    if let Some(name) = inner.strip_suffix("/>") {
        let name = name.trim_end();
        return is_name(name).then_some(name);
    }
    let (name, rest) = inner.split_once('>')?;
    (is_name(name) && rest == format!("</{name}>")).then_some(name)
}

/// Prints the exec-rpc each of `devices` would be sent, and sends none.
pub fn dry_run(
    client: &Client,
    operations: &Operations,
    devices: &[i64],
    rpcs: &[String],
) -> Result<(), Failure> {
    let body = serde_json::to_value(request(rpcs)?)
        .map_err(|error| Failure::Usage(format!("the RPC body cannot be written: {error}")))?;
    let operation = operations.operation("execRpc")?;
    for device in devices {
        let parameters = Map::from_iter([("device_id".to_owned(), Value::from(*device))]);
        print!(
            "{}",
            operations.request_text(client, operation, &parameters, Some(&body))
        );
    }
    Ok(())
}

/// Runs `rpcs` on `devices`.
pub async fn run(
    client: &Client,
    devices: Vec<i64>,
    rpcs: &[String],
    run: &Run,
    output: &mut Output,
) -> Result<(), Failure> {
    let body = request(rpcs)?;
    let start = |device: i64| {
        let client = client.clone();
        let body = body.clone();
        async move {
            let call = client.exec_rpc().device_id(device).body(body);
            Ok(call.send().await?.task.id)
        }
    };
    let result = |device: i64, end: End| {
        let client = client.clone();
        async move { result(&client, device, &end).await }
    };
    fan_out(client, devices, run, start, result, output).await
}

/// A device's result: its job, and what the job's progress-update says.
async fn result(client: &Client, device: i64, end: &End) -> Value {
    let Some(job) = end.job() else {
        return end_without_job("device", device, end);
    };
    let progress = client
        .get_job_progress()
        .job_id(job.id)
        .send()
        .await
        .map(|answer| serde_json::to_value(answer.into_inner()).unwrap_or(Value::Null))
        .unwrap_or_else(|error| json!({"error": error.to_string()}));
    json!({
        "device": device,
        "job": job.id,
        "state": job.state.to_string(),
        "summary": job.summary,
        "result": progress,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpcs_are_names_or_json() {
        let body = request(&[
            "get-system-information".into(),
            r#"{"get-interface-information": {"terse": ""}}"#.into(),
        ])
        .expect("valid");
        let value = serde_json::to_value(body).expect("serialises");
        assert_eq!(
            value["netconf"]["rpcCommands"]["rpcCommand"],
            json!([
                r#"{"get-system-information":""}"#,
                r#"{"get-interface-information":{"terse":""}}"#
            ])
        );
        assert!(request(&["show version".into()]).is_err());
        // Junos's own XML form of an RPC without content stands for its name.
        for xml in [
            "<get-system-information/>",
            "<get-system-information />",
            "<get-system-information></get-system-information>",
        ] {
            let body =
                serde_json::to_value(request(&[xml.into()]).expect("valid")).expect("serialises");
            assert_eq!(
                body["netconf"]["rpcCommands"]["rpcCommand"],
                json!([r#"{"get-system-information":""}"#]),
                "{xml}"
            );
        }
        for xml in [
            "<get-interface-information><terse/></get-interface-information>",
            "<a></b>",
            "</>",
        ] {
            assert!(request(&[xml.into()]).is_err(), "{xml}");
        }
        assert!(request(&["{not json".into()]).is_err());
    }
}
