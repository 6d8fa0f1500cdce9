//! Deploys software package `PACKAGE_ID` to two devices and waits for the job, printing its
//! progress.
//!
//! `cargo run -p junos-space --example deploy_package -- PACKAGE_ID DEVICE_ID DEVICE_ID`
//! (with `JUNOS_SPACE_URL`, `JUNOS_SPACE_USER` and `JUNOS_SPACE_PASSWORD` set).

use std::time::Duration;

use junos_space::prelude::*;
use junos_space::{Client, Error, types};

#[tokio::main]
async fn main() -> junos_space::Result<()> {
    let ids: Vec<i64> = std::env::args()
        .skip(1)
        .map(|arg| {
            arg.parse()
                .map_err(|_| Error::Config(format!("`{arg}` is not an id")))
        })
        .collect::<Result<_, _>>()?;
    let [package, first, second] = ids[..] else {
        return Err(Error::Config(
            "usage: deploy_package PACKAGE_ID DEVICE_ID DEVICE_ID".into(),
        ));
    };
    let client = Client::builder().from_env().build()?;
    let body = types::ExecDeployRequest::to_devices([first, second]).with_options(
        types::ExecDeployOptions {
            use_already_downloaded: Some(true),
            validate: Some(true),
            ..Default::default()
        },
    );
    // A POST is never retried, so the deploy starts at most once.
    let task = client
        .exec_deploy()
        .package_id(package)
        .body(body)
        .send()
        .await?;
    println!("deploy job {}", task.task.id);
    let job = client
        .job(&task)
        .timeout(Duration::from_secs(60 * 60))
        .on_progress(|job| println!("  {} {:>5.1}%", job.state, job.percent.unwrap_or(0.0)))
        .wait()
        .await?;
    println!("done: {}", job.summary.as_deref().unwrap_or("no summary"));
    Ok(())
}
