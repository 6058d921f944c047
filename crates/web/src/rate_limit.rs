//! Rate limits (attempts per key in a fixed window) for logins, sign-ups and demo
//! requests. The counters live in the database and are updated by one atomic upsert, so
//! neither parallel requests nor several instances over one database get past them. Keys
//! are stored as SHA-256 hashes.
//!
//! Under a flood, a key already over its limit is refused from memory until its window
//! ends, without touching the database: the database stays free for real work. Windows are
//! fixed, so what one instance remembers stays true for all of them.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::{Error, now};

/// Keys remembered as blocked, at most; past that the memory is forgotten (the database
/// still holds the counts).
const MAX_BLOCKED_KEYS: usize = 10_000;

pub struct RateLimiter {
    scope: &'static str,
    max: i64,
    window_seconds: i64,
    /// Key hash → when its window ends, for keys seen over their limit.
    blocked: Mutex<HashMap<String, i64>>,
}

impl RateLimiter {
    pub fn new(scope: &'static str, max: i64, window_seconds: i64) -> Self {
        RateLimiter { scope, max, window_seconds, blocked: Mutex::new(HashMap::new()) }
    }

    fn hash(key: &str) -> String {
        crate::token::hex(&Sha256::digest(key.as_bytes()))
    }

    /// Counts an attempt of `key`; `TooManyRequests` (with the seconds to wait) past the
    /// allowance. Count before the work, so that simultaneous attempts are all counted.
    pub async fn take(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        let now = now();
        let hash = Self::hash(key);
        if let Some(until) = self.blocked_until(&hash, now) {
            return Err(too_many(until - now));
        }
        let (hits, window_start) = store.take_rate_hit(self.scope, &hash, now, self.window_seconds).await?;
        if hits <= self.max {
            return Ok(());
        }
        let until = window_start + self.window_seconds;
        self.remember(hash, until, now);
        Err(too_many(until - now))
    }

    /// Forgets `key`'s attempts (after a successful login).
    pub async fn clear(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        let hash = Self::hash(key);
        if let Ok(mut blocked) = self.blocked.lock() {
            blocked.remove(&hash);
        }
        Ok(store.clear_rate_hits(self.scope, &hash).await?)
    }

    fn blocked_until(&self, hash: &str, now: i64) -> Option<i64> {
        let blocked = self.blocked.lock().ok()?;
        blocked.get(hash).copied().filter(|&until| until > now)
    }

    fn remember(&self, hash: String, until: i64, now: i64) {
        let Ok(mut blocked) = self.blocked.lock() else { return };
        if blocked.len() >= MAX_BLOCKED_KEYS {
            blocked.retain(|_, &mut u| u > now);
            if blocked.len() >= MAX_BLOCKED_KEYS {
                blocked.clear();
            }
        }
        blocked.insert(hash, until);
    }
}

fn too_many(wait: i64) -> Error {
    Error::TooManyRequests { retry_after: u64::try_from(wait.max(1)).unwrap_or(1) }
}
