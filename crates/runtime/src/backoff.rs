//! When a failed request may be sent again, and how long to wait first.

use std::time::Duration;

use reqwest::Method;

/// Retries of transient failures: connections refused, reset or closed before an answer,
/// timeouts, 502, 503 and 504.
///
/// Only safe methods (GET, HEAD, OPTIONS) are retried unless
/// [`RetryPolicy::retry_unsafe_methods_too`] is chosen: a POST that reached the server before
/// the failure may already have started a deploy or a discovery, and sending it again would
/// start a second one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    unsafe_methods: bool,
}

impl Default for RetryPolicy {
    /// Four attempts, waiting about 0.5 s, 1 s and 2 s (jittered) between them.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            unsafe_methods: false,
        }
    }
}

impl RetryPolicy {
    /// Every request is sent once.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `attempts` sends of one request (at least one).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Waits start near `initial` and double up to `max`.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Also retries POST, PUT, PATCH and DELETE. Only for servers and operations where sending
    /// the same request twice is known to be harmless: a retried deploy deploys twice.
    pub fn retry_unsafe_methods_too(mut self) -> Self {
        self.unsafe_methods = true;
        self
    }

    /// The most sends of one request.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a request with `method` may be sent more than once.
    pub fn allows(&self, method: &Method) -> bool {
        self.max_attempts > 1
            && (self.unsafe_methods
                || matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS))
    }

    /// The wait before attempt `attempt + 1`: exponential, then jittered into its upper half
    /// so that clients that failed together do not come back together.
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let half = ceiling / 2;
        let jitter = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(fastrand::u64(0..=jitter))
    }
}

/// Whether an answer's status says "try again later".
pub(crate) fn is_transient_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 502..=504)
}

/// Whether a request that got no answer may get one if sent again: the connection could not
/// be made, took too long, or was closed or reset before the answer came (a server restarting,
/// a proxy or load balancer dropping the connection). A request that could not be built, or a
/// redirect refused, is not transient.
pub(crate) fn is_transient_failure(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_methods_are_retried_by_default() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&Method::GET));
        assert!(!policy.allows(&Method::POST));
        assert!(!policy.allows(&Method::DELETE));
        assert!(
            policy
                .clone()
                .retry_unsafe_methods_too()
                .allows(&Method::POST)
        );
        assert!(!RetryPolicy::never().allows(&Method::GET));
    }

    #[test]
    fn delays_grow_and_stay_within_bounds() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..100 {
            let first = policy.delay_after(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = policy.delay_after(30);
            assert!(late >= Duration::from_millis(150) && late <= Duration::from_millis(300));
        }
    }
}
