//! When to read a running job next: soon at first, then where its progress says it will end,
//! else ever less often. A short job is seen ending soon after it does; a long one is not read
//! needlessly often.

use std::time::{Duration, Instant};

/// How often a running job is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Polling {
    /// The wait before the first read after the job started.
    pub first: Duration,
    /// No two reads closer than this, however close the job says it is to its end.
    pub shortest: Duration,
    /// No two reads further apart than this.
    pub longest: Duration,
}

impl Default for Polling {
    /// 1 s first, then 100 ms to 15 s apart.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(1),
            shortest: Duration::from_millis(100),
            longest: Duration::from_secs(15),
        }
    }
}

/// The reads of one job so far, and so the wait before the next.
#[derive(Debug)]
pub(crate) struct PollClock {
    polling: Polling,
    /// The wait the doubling reaches next, when progress tells nothing.
    doubling: Duration,
    /// When the last read was, and the percent it gave.
    last: Option<(Instant, f64)>,
}

impl PollClock {
    pub(crate) fn new(polling: Polling) -> Self {
        let longest = polling.longest.max(polling.shortest);
        Self {
            polling: Polling { longest, ..polling },
            doubling: polling.first.clamp(polling.shortest, longest),
            last: None,
        }
    }

    /// The wait before the first read.
    pub(crate) fn first(&self) -> Duration {
        self.polling.first
    }

    /// The wait after a read at `now` that gave `percent` complete: past the end the rate of
    /// progress since the last read points at (5% past it, so the read finds the job done),
    /// or twice the last wait when the progress says nothing.
    pub(crate) fn next(&mut self, now: Instant, percent: Option<f64>) -> Duration {
        let Polling {
            shortest, longest, ..
        } = self.polling;
        let doubled = self.doubling;
        self.doubling = (self.doubling * 2).min(longest);
        let estimate = match (self.last, percent) {
            (Some((then, before)), Some(percent)) if percent > before && percent < 100.0 => {
                let seconds = now.saturating_duration_since(then).as_secs_f64();
                let per_second = (percent - before) / seconds;
                let remaining = (100.0 - percent) / per_second * 1.05;
                Duration::try_from_secs_f64(remaining).ok()
            }
            _ => None,
        };
        self.last = percent.map(|percent| (now, percent));
        estimate.unwrap_or(doubled).clamp(shortest, longest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn polling() -> Polling {
        Polling {
            first: Duration::from_secs(1),
            shortest: Duration::from_millis(100),
            longest: Duration::from_secs(15),
        }
    }

    #[test]
    fn without_progress_the_waits_double_up_to_the_longest() {
        let mut clock = PollClock::new(polling());
        let now = Instant::now();
        let waits: Vec<u64> = (0..6).map(|_| clock.next(now, None).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 15, 15]);
    }

    #[test]
    fn progress_points_the_next_read_just_past_the_end() {
        let mut clock = PollClock::new(polling());
        let start = Instant::now();
        // 10% at 1 s, 30% at 3 s: 10% a second, 70% to go, so 7 s and 5% more.
        clock.next(start + Duration::from_secs(1), Some(10.0));
        let wait = clock.next(start + Duration::from_secs(3), Some(30.0));
        assert_eq!(wait, Duration::from_secs_f64(7.35));
        // Nearly done: never closer than the shortest wait.
        let wait = clock.next(start + Duration::from_secs(10), Some(99.9));
        assert_eq!(wait, Duration::from_millis(100));
    }

    #[test]
    fn a_slow_or_stalled_job_is_read_no_less_often_than_the_longest_wait() {
        let mut clock = PollClock::new(polling());
        let start = Instant::now();
        clock.next(start, Some(1.0));
        let wait = clock.next(start + Duration::from_secs(10), Some(2.0));
        assert_eq!(wait, Duration::from_secs(15));
        // No progress since: the doubling goes on.
        let stalled = clock.next(start + Duration::from_secs(25), Some(2.0));
        assert_eq!(stalled, Duration::from_secs(4));
    }
}
