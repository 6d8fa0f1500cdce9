//! A job's readings in the order they were taken, across its views (the job itself and its
//! progress-update): where it stood at each, and the first reading that stands behind an
//! earlier one, a state gone back (INPROGRESS after DONE) or a percent that fell.
//!
//! That a job never goes back is a decision of the kit (`job-never-goes-back`): every source
//! shows one reading of a job, never two, so a server whose percent falls on a retry may be
//! right, and a breach is a warning.

use junos_space_runtime::job_state::JobState;
use serde_json::Value;

/// Where a job stood at one read of one of its views.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The operation that read it (`getJob`, `getJobProgress`).
    pub view: String,
    pub state: JobState,
    /// Its percent complete, when the view gives one.
    pub percent: Option<f64>,
}

impl Reading {
    /// The reading an answer gives: a job (`job-state`, `job-status`, `percent-complete`, or
    /// version 1's `percent`) or a progress-update (`state`, `status`, `percentage`), bare
    /// or as the one object the answer wraps. None when it names no state.
    pub fn of(view: &str, answer: &Value) -> Option<Self> {
        let fields = answer.as_object()?;
        let described = match fields.len() {
            1 if !fields.contains_key("job-state") && !fields.contains_key("state") => {
                fields.values().next()?
            }
            _ => answer,
        };
        let text = |name: &str| described.get(name).and_then(Value::as_str);
        let number = |name: &str| {
            described.get(name).and_then(|value| match value {
                Value::Number(number) => number.as_f64(),
                Value::String(text) => text.trim().parse().ok(),
                _ => None,
            })
        };
        let (state, percent) = match text("job-state") {
            Some(state) => (
                JobState::from_fields(state, text("job-status").unwrap_or_default()),
                number("percent-complete").or_else(|| number("percent")),
            ),
            None => (
                JobState::from_fields(text("state")?, text("status").unwrap_or_default()),
                number("percentage"),
            ),
        };
        Some(Self {
            view: view.to_owned(),
            state,
            percent,
        })
    }

    /// How far along a job in this state is, when states can be ordered: waiting, running,
    /// finished.
    fn stage(&self) -> Option<u8> {
        match self.state {
            JobState::Scheduled => Some(0),
            JobState::InProgress => Some(1),
            JobState::Success | JobState::Failure | JobState::Cancelled => Some(2),
            JobState::Other(_) => None,
        }
    }

    fn describe(&self) -> String {
        match self.percent {
            Some(percent) => format!("{} {} at {percent} %", self.view, self.state),
            None => format!("{} {}", self.view, self.state),
        }
    }
}

/// A job's readings in order, kept as the furthest stage and the highest percent seen.
#[derive(Debug, Default)]
pub struct Timeline {
    readings: usize,
    furthest_stage: Option<(u8, Reading)>,
    highest_percent: Option<(f64, Reading)>,
    back: Option<String>,
}

impl Timeline {
    /// Takes the next reading; the first one behind an earlier reading is kept as the
    /// problem.
    pub fn read(&mut self, reading: Reading) {
        self.readings += 1;
        if self.back.is_some() {
            return;
        }
        if let Some(stage) = reading.stage() {
            match &self.furthest_stage {
                Some((furthest, earlier)) if stage < *furthest => {
                    self.back = Some(behind(&reading, earlier));
                    return;
                }
                Some((furthest, _)) if stage == *furthest => {}
                _ => self.furthest_stage = Some((stage, reading.clone())),
            }
        }
        if let Some(percent) = reading.percent {
            match &self.highest_percent {
                Some((highest, earlier)) if percent < *highest => {
                    self.back = Some(behind(&reading, earlier));
                }
                Some((highest, _)) if percent == *highest => {}
                _ => self.highest_percent = Some((percent, reading)),
            }
        }
    }

    /// How many readings were taken.
    pub fn readings(&self) -> usize {
        self.readings
    }

    /// The first reading that stood behind an earlier one, said as such.
    pub fn went_back(&self) -> Option<&str> {
        self.back.as_deref()
    }
}

fn behind(later: &Reading, earlier: &Reading) -> String {
    format!(
        "the job went back: {} after {}",
        later.describe(),
        earlier.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(state: &str, status: &str, percent: f64) -> Reading {
        let answer =
            json!({"job": {"job-state": state, "job-status": status, "percent-complete": percent}});
        Reading::of("getJob", &answer).expect("a job's reading")
    }

    fn progress(state: &str, status: &str, percentage: f64) -> Reading {
        let answer = json!({"progress-update": {"state": state, "status": status, "percentage": percentage}});
        Reading::of("getJobProgress", &answer).expect("a progress-update's reading")
    }

    fn timeline(readings: impl IntoIterator<Item = Reading>) -> Timeline {
        let mut timeline = Timeline::default();
        readings.into_iter().for_each(|r| timeline.read(r));
        timeline
    }

    #[test]
    fn both_views_are_read_bare_or_wrapped_with_numbers_as_text() {
        let v1 = json!({"job": {"job-state": "INPROGRESS", "percent": "40"}});
        let reading = Reading::of("getJob", &v1).expect("a reading");
        assert_eq!(reading.state, JobState::InProgress);
        assert_eq!(reading.percent, Some(40.0));
        let bare = json!({"state": "DONE", "status": "SUCCESS"});
        let reading = Reading::of("part", &bare).expect("a reading");
        assert_eq!((reading.state, reading.percent), (JobState::Success, None));
        assert_eq!(Reading::of("getJob", &json!({"task": {"id": 3}})), None);
    }

    #[test]
    fn a_job_that_moves_on_never_goes_back() {
        let timeline = timeline([
            job("SCHEDULED", "UNDETERMINED", 0.0),
            job("INPROGRESS", "UNDETERMINED", 30.0),
            job("INPROGRESS", "UNDETERMINED", 30.0),
            job("DONE", "SUCCESS", 100.0),
            progress("DONE", "SUCCESS", 100.0),
        ]);
        assert_eq!(timeline.went_back(), None);
        assert_eq!(timeline.readings(), 5);
    }

    #[test]
    fn a_falling_percent_or_an_earlier_state_is_named_with_the_reading_it_follows() {
        let fell = timeline([
            job("INPROGRESS", "UNDETERMINED", 60.0),
            job("INPROGRESS", "UNDETERMINED", 20.0),
        ]);
        assert_eq!(
            fell.went_back(),
            Some("the job went back: getJob INPROGRESS at 20 % after getJob INPROGRESS at 60 %")
        );
        let lagging = timeline([
            job("DONE", "SUCCESS", 100.0),
            progress("INPROGRESS", "UNDETERMINED", 100.0),
            job("SCHEDULED", "UNDETERMINED", 0.0),
        ]);
        assert_eq!(
            lagging.went_back(),
            Some(
                "the job went back: getJobProgress INPROGRESS at 100 % after getJob SUCCESS at 100 %"
            )
        );
    }

    #[test]
    fn unknown_states_are_not_ordered_but_their_percents_are() {
        let timeline = timeline([
            job("DONE", "SUCCESS", 100.0),
            job("RETRYING", "UNDETERMINED", 100.0),
        ]);
        assert_eq!(timeline.went_back(), None);
    }
}
