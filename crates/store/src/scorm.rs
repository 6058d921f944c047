//! SCORM launches: the attempt a package's launch page opened Réplique with, bound to the
//! learner who logged in, and the result that page reads back (the learner's latest scored
//! session of the skill since the launch).

use crate::{Result, Store};

/// A launch bound to a learner.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScormAttempt {
    pub organisation_id: i64,
    pub user_id: i64,
    pub skill_slug: String,
    pub created_at: i64,
}

impl Store {
    /// Binds attempt `attempt_hash` to `user_id`; `false` when it is already another
    /// learner's (or another organisation's, or another skill's). Binding it again to the
    /// same learner keeps the first time.
    pub async fn bind_scorm_attempt(&self, attempt_hash: &str, attempt: &ScormAttempt) -> Result<bool> {
        sqlx::query(
            "insert into scorm_attempts (attempt_hash, organisation_id, user_id, skill_slug, created_at)
             values ($1, $2, $3, $4, $5) on conflict (attempt_hash) do nothing",
        )
        .bind(attempt_hash)
        .bind(attempt.organisation_id)
        .bind(attempt.user_id)
        .bind(&attempt.skill_slug)
        .bind(attempt.created_at)
        .execute(&self.pool)
        .await?;
        let stored = self.scorm_attempt(attempt_hash).await?;
        Ok(stored.is_some_and(|s| {
            (s.organisation_id, s.user_id, s.skill_slug.as_str())
                == (attempt.organisation_id, attempt.user_id, attempt.skill_slug.as_str())
        }))
    }

    /// The launch `attempt_hash`, if a learner opened it.
    pub async fn scorm_attempt(&self, attempt_hash: &str) -> Result<Option<ScormAttempt>> {
        Ok(sqlx::query_as::<_, ScormAttempt>(
            "select organisation_id, user_id, skill_slug, created_at from scorm_attempts where attempt_hash = $1",
        )
        .bind(attempt_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The final score of `user_id`'s latest scored session of `skill_slug` started at or
    /// after `since`, if there is one.
    pub async fn latest_score_since(&self, user_id: i64, skill_slug: &str, since: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "select r.final_score from training_sessions s join reports r on r.session_id = s.id
             where s.user_id = $1 and s.skill_slug = $2 and s.created_at >= $3 and s.exchanges > 0
             order by s.id desc limit 1",
        )
        .bind(user_id)
        .bind(skill_slug)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(score,)| score))
    }
}
