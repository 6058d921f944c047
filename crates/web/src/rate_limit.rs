//! Rate limits (attempts per key in a fixed window) for logins, sign-ups and demo
//! requests. The counters live in the database and are updated by one atomic upsert, so
//! neither parallel requests nor several instances over one database get past them. Keys
//! are stored as SHA-256 hashes.

use sha2::{Digest, Sha256};

use crate::{Error, now};

pub struct RateLimiter {
    scope: &'static str,
    max: i64,
    window_seconds: i64,
}

impl RateLimiter {
    pub const fn new(scope: &'static str, max: i64, window_seconds: i64) -> Self {
        RateLimiter { scope, max, window_seconds }
    }

    fn hash(key: &str) -> String {
        crate::auth::hex(&Sha256::digest(key.as_bytes()))
    }

    /// Counts an attempt of `key`; `TooManyRequests` (with the seconds to wait) past the
    /// allowance. Count before the work, so that simultaneous attempts are all counted.
    pub async fn take(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        let now = now();
        let (hits, window_start) = store.take_rate_hit(self.scope, &Self::hash(key), now, self.window_seconds).await?;
        if hits <= self.max {
            return Ok(());
        }
        let wait = window_start + self.window_seconds - now;
        Err(Error::TooManyRequests { retry_after: u64::try_from(wait.max(1)).unwrap_or(1) })
    }

    /// Forgets `key`'s attempts (after a successful login).
    pub async fn clear(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        Ok(store.clear_rate_hits(self.scope, &Self::hash(key)).await?)
    }
}
