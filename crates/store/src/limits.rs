//! Rate-limit hits in the database, so that several instances share one limit.

use crate::{Result, Store};

impl Store {
    /// How many hits `key_hash` has in `scope` after `since`, and the oldest of them.
    pub async fn rate_hits_since(&self, scope: &str, key_hash: &str, since: i64) -> Result<(i64, Option<i64>)> {
        Ok(sqlx::query_as(
            "select cast(count(*) as bigint), min(at) from rate_limit_hits
             where scope = $1 and key_hash = $2 and at > $3",
        )
        .bind(scope)
        .bind(key_hash)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Counts a hit, and forgets the scope's hits at or before `forget_before`.
    pub async fn add_rate_hit(&self, scope: &str, key_hash: &str, at: i64, forget_before: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("delete from rate_limit_hits where scope = $1 and at <= $2")
            .bind(scope)
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        sqlx::query("insert into rate_limit_hits (scope, key_hash, at) values ($1, $2, $3)")
            .bind(scope)
            .bind(key_hash)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets `key_hash`'s hits in `scope` (a successful login).
    pub async fn clear_rate_hits(&self, scope: &str, key_hash: &str) -> Result<()> {
        sqlx::query("delete from rate_limit_hits where scope = $1 and key_hash = $2")
            .bind(scope)
            .bind(key_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
