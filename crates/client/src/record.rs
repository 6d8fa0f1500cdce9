//! A job's current record, read once: what waiting for one job and following many share.

use junos_space_api::Client;
use junos_space_runtime::{JobRecord, Result};

/// `getJob` through the typed client, read as a [`JobRecord`].
pub(crate) async fn job_record(client: &Client, id: i64) -> Result<JobRecord> {
    let answer = client.get_job().job_id(id).send().await?.into_inner();
    Ok(JobRecord::from(answer.job))
}
