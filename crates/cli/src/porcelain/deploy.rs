//! `deploy`: a software package to devices (exec-deploy, or its JAM variant), one job for all
//! of them, waited for with its progress shown.

use std::time::Duration;

use junos_space::{Client, types};
use serde_json::{Map, Value, json};

use super::wait::wait_for;
use crate::exit::Failure;
use crate::operations::Operations;
use crate::output::Output;

/// `NAME=VALUE` deploy options (`validate=true`, `rebootAfterXMinutes=5`): a value that reads
/// as JSON (a boolean, a number) is sent as such, any other as text; the generated types then
/// check each against the spec.
pub fn options(pairs: &[String]) -> Result<Map<String, Value>, Failure> {
    pairs
        .iter()
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| Failure::Usage(format!("--option `{pair}` is not NAME=VALUE")))?;
            let value = serde_json::from_str(value).unwrap_or_else(|_| Value::from(value));
            Ok((name.to_owned(), value))
        })
        .collect()
}

/// One deploy: a package, the devices it goes to, and how.
pub struct Deploy<'a> {
    pub package: i64,
    pub devices: &'a [i64],
    /// The package is a JAM package (the JAM variant of exec-deploy).
    pub jam: bool,
    /// `deployOptions`, from `--option` (see [`options`]).
    pub options: Map<String, Value>,
    /// How long the job may run before the wait gives up on it.
    pub deadline: Duration,
    /// Print the request instead of sending it.
    pub dry_run: bool,
}

/// Sends `deploy` and waits for its job.
pub async fn run(
    client: &Client,
    operations: &Operations,
    deploy: Deploy<'_>,
    output: &mut Output,
) -> Result<(), Failure> {
    let references: Vec<Value> = deploy
        .devices
        .iter()
        .map(|&device| json!({"@href": types::Link::device(device).href}))
        .collect();
    let mut request = json!({"devices": { "device": references }});
    if !deploy.options.is_empty() {
        request["deployOptions"] = Value::Object(deploy.options);
    }
    let (operation, body) = if deploy.jam {
        ("execDeployJam", json!({"exec-deploy-jam-request": request}))
    } else {
        ("execDeploy", json!({"exec-deploy": request}))
    };
    let operation = operations.operation(operation)?;
    let parameters = Map::from_iter([("package_id".to_owned(), Value::from(deploy.package))]);
    if deploy.dry_run {
        operations.refuse_unnamed(operation, Some(&body))?;
        print!(
            "{}",
            operations.request_text(client, operation, &parameters, Some(&body))
        );
        return Ok(());
    }
    let answer = operations
        .call(client, operation, &parameters, Some(&body))
        .await?;
    let job = operations.job_named(operation, &answer)?;
    wait_for(client, job, deploy.deadline, output).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_keep_their_json_types() {
        let options = options(&[
            "validate=true".into(),
            "rebootAfterXMinutes=5".into(),
            "note=x y".into(),
        ])
        .expect("valid");
        assert_eq!(options["validate"], json!(true));
        assert_eq!(options["rebootAfterXMinutes"], json!(5));
        assert_eq!(options["note"], json!("x y"));
        assert!(super::options(&["validate".into()]).is_err());
    }
}
