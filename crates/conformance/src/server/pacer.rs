//! Keeps a run under a request rate (`--rate`), so that checking a production server does not
//! load it: each request starts no sooner than one interval after the one before.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces requests `interval` apart; the first goes at once.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer for at most `per_second` requests a second; `None` for a rate that is not a
    /// positive, finite number.
    pub fn per_second(per_second: f64) -> Option<Self> {
        (per_second.is_finite() && per_second > 0.0).then(|| Self {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next: Mutex::new(None),
        })
    }

    /// Waits until the next request may start, and books the one after.
    pub async fn wait(&self) {
        // Holding the lock while sleeping queues concurrent callers in turn.
        let mut next = self.next.lock().await;
        if let Some(at) = *next {
            tokio::time::sleep_until(at).await;
        }
        *next = Some(Instant::now() + self.interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_by_the_interval() {
        let pacer = Pacer::per_second(4.0).expect("a rate");
        let started = Instant::now();
        for _ in 0..5 {
            pacer.wait().await;
        }
        // Five requests at four a second: the fifth starts a second after the first.
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }

    #[test]
    fn only_positive_finite_rates_pace() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Pacer::per_second(rate).is_none(), "{rate}");
        }
    }
}
