//! Rate-limit counters in the database, so that several instances share one limit.

use crate::{Result, Store};

impl Store {
    /// Counts one attempt of `key_hash` in `scope`, in one atomic statement: the window
    /// starts again at `now` when the current one (`window_seconds` long) is over. The hits
    /// in the window, this one included, and when the window started.
    pub async fn take_rate_hit(
        &self,
        scope: &str,
        key_hash: &str,
        now: i64,
        window_seconds: i64,
    ) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "insert into rate_limits (scope, key_hash, window_start, hits) values ($1, $2, $3, 1)
             on conflict (scope, key_hash) do update set
                 hits = case when rate_limits.window_start <= $3 - $4 then 1 else rate_limits.hits + 1 end,
                 window_start = case when rate_limits.window_start <= $3 - $4 then $3 else rate_limits.window_start end
             returning hits, window_start",
        )
        .bind(scope)
        .bind(key_hash)
        .bind(now)
        .bind(window_seconds)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Forgets `key_hash`'s attempts in `scope` (a successful login).
    pub async fn clear_rate_hits(&self, scope: &str, key_hash: &str) -> Result<()> {
        sqlx::query("delete from rate_limits where scope = $1 and key_hash = $2")
            .bind(scope)
            .bind(key_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops the counters whose window started at or before `before` (all windows are
    /// shorter than a day: the app passes a day ago). The number dropped.
    pub async fn purge_rate_limits(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query("delete from rate_limits where window_start <= $1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
