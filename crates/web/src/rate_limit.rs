//! A small in-memory rate limiter (failures per key in a sliding window), for logins and
//! sign-ups. Per instance: several instances each apply the limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    max: usize,
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        RateLimiter { max, window, hits: Mutex::new(HashMap::new()) }
    }

    /// `Err(seconds to wait)` when `key` has used up its allowance.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut hits = self.hits.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(times) = hits.get_mut(key) else { return Ok(()) };
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = times.front().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        Ok(())
    }

    /// Counts one hit (a failed login, a sign-up) against `key`.
    pub fn hit(&self, key: &str) {
        self.hit_at(key, Instant::now());
    }

    fn hit_at(&self, key: &str, now: Instant) {
        let mut hits = self.hits.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if hits.len() > 10_000 {
            // Keep memory bounded: forget keys whose hits have all expired.
            hits.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        hits.entry(key.to_owned()).or_default().push_back(now);
    }

    /// Forgets `key` (after a successful login).
    pub fn clear(&self, key: &str) {
        self.hits.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_hits_until_the_window_passes() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limiter.check_at("k", t0).is_ok());
        limiter.hit_at("k", t0);
        limiter.hit_at("k", t0);
        assert_eq!(limiter.check_at("k", t0 + Duration::from_secs(10)), Err(50));
        assert!(limiter.check_at("other", t0).is_ok());
        assert!(limiter.check_at("k", t0 + Duration::from_secs(61)).is_ok());
        limiter.hit_at("k", t0);
        limiter.hit_at("k", t0);
        limiter.clear("k");
        assert!(limiter.check_at("k", t0).is_ok());
    }
}
