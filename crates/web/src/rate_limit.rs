//! Rate limits (hits per key in a sliding window) for logins, sign-ups and demo requests.
//! The hits live in the database, so several instances over one database share one limit;
//! keys are stored as SHA-256 hashes (they hold addresses and emails).

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
        Sha256::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `TooManyRequests` (with the seconds to wait) when `key` has used up its allowance.
    pub async fn check(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        let now = now();
        let (hits, oldest) = store.rate_hits_since(self.scope, &Self::hash(key), now - self.window_seconds).await?;
        if hits < self.max {
            return Ok(());
        }
        let wait = oldest.map_or(self.window_seconds, |t| t + self.window_seconds - now);
        Err(Error::TooManyRequests { retry_after: u64::try_from(wait.max(1)).unwrap_or(1) })
    }

    /// Counts one hit (a failed login, a sign-up) against `key`.
    pub async fn hit(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        let now = now();
        Ok(store.add_rate_hit(self.scope, &Self::hash(key), now, now - self.window_seconds).await?)
    }

    /// Forgets `key` (after a successful login).
    pub async fn clear(&self, store: &replique_store::Store, key: &str) -> Result<(), Error> {
        Ok(store.clear_rate_hits(self.scope, &Self::hash(key)).await?)
    }
}
