//! Where a job stands, read from the two fields a real Junos Space writes (`job-state` and
//! `job-status`): one reading for the client that waits on jobs and the conformance kit that
//! follows them; and a job's record as the client last read it, which a job error carries.

use std::fmt;

use serde_json::Value;

/// Where a job stands, read from a real server's two fields: `job-state` (SCHEDULED,
/// INPROGRESS, DONE, ...) and `job-status` (UNDETERMINED, SUCCESS, FAILURE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobState {
    /// Waiting to start.
    Scheduled,
    /// Running, or done with an outcome not yet known.
    InProgress,
    /// Finished successfully.
    Success,
    /// Finished with a failure.
    Failure,
    /// Cancelled before finishing.
    Cancelled,
    /// A state this client does not know; waiting goes on.
    Other(String),
}

impl JobState {
    /// Reads `job-state` and `job-status`. FAILURE in either is a failure, as Juniper's
    /// Ansible collection reads it; SUCCESS is read from the status, never from the state
    /// alone, since DONE says nothing of the outcome.
    pub fn from_fields(state: &str, status: &str) -> Self {
        let word = |s: &str| s.trim().to_ascii_uppercase().replace(['_', ' ', '-'], "");
        let (state, status) = (word(state), word(status));
        let either = |name: &str| state == name || status == name;
        if either("FAILURE") || either("FAILED") {
            Self::Failure
        } else if either("CANCELLED") || either("CANCELED") {
            Self::Cancelled
        } else if status == "SUCCESS" {
            Self::Success
        } else if matches!(state.as_str(), "SCHEDULED" | "ENABLED") {
            Self::Scheduled
        } else if matches!(state.as_str(), "INPROGRESS" | "RUNNING" | "DONE") {
            Self::InProgress
        } else {
            Self::Other(state)
        }
    }

    /// Whether the job will not change any more.
    pub fn is_finished(&self) -> bool {
        matches!(self, Self::Success | Self::Failure | Self::Cancelled)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scheduled => f.write_str("SCHEDULED"),
            Self::InProgress => f.write_str("INPROGRESS"),
            Self::Success => f.write_str("SUCCESS"),
            Self::Failure => f.write_str("FAILURE"),
            Self::Cancelled => f.write_str("CANCELLED"),
            Self::Other(state) => f.write_str(state),
        }
    }
}

impl JobState {
    /// The state of the job `value` describes: `value` itself or the one object it wraps
    /// (`{"job": {...}}`), read from its `job-state` and `job-status`.
    pub fn of_json(value: &Value) -> Option<Self> {
        let job = match value.as_object()? {
            fields if fields.contains_key("job-state") => value,
            fields if fields.len() == 1 => fields.values().next()?,
            _ => return None,
        };
        let field = |name: &str| job.get(name).and_then(Value::as_str).unwrap_or_default();
        job.get("job-state")?;
        Some(Self::from_fields(field("job-state"), field("job-status")))
    }
}

/// A job as the server last described it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRecord {
    /// The job's id.
    pub id: i64,
    /// `name`.
    pub name: Option<String>,
    /// Where it stands.
    pub state: JobState,
    /// `percent-complete`, 0 to 100.
    pub percent: Option<f64>,
    /// `summary`: the server's account of the outcome.
    pub summary: Option<String>,
    /// The whole job as the typed client decoded it, in its JSON names (`start-time`,
    /// `progress-update`, ...), for the fields this record does not name. JSON rather than the
    /// generated `Job`, since this crate sits below the generated one and errors carry records.
    pub job: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_state_is_read_from_a_job_or_its_wrapper() {
        let done = json!({"job": {"id": 7, "job-state": "DONE", "job-status": "SUCCESS"}});
        assert_eq!(JobState::of_json(&done), Some(JobState::Success));
        let bare = json!({"job-state": "INPROGRESS", "job-status": "UNDETERMINED"});
        assert_eq!(JobState::of_json(&bare), Some(JobState::InProgress));
        assert_eq!(JobState::of_json(&json!({"task": {"id": 7}})), None);
        assert_eq!(JobState::of_json(&json!([1])), None);
    }
}
