//! Training sessions: started, played turn by turn, ended, reported. On SQLite the starts,
//! the turns and the reports go through the single writer (`writer`), with which the
//! statements are shared (`statements`); a session abandoned is one rare update, written
//! directly.

use crate::rows::{MessageRow, NewMessage, NewTrainingSession, SessionSummary, TrainingSessionRow, TurnUpdate};
use crate::statements::{insert_report, insert_session, write_turn};
use crate::{Result, Store, lock_user, writer};

impl Store {
    /// How many sessions a user started since `since` (Unix seconds).
    pub async fn count_sessions_since(&self, user_id: i64, since: i64) -> Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("select count(*) from training_sessions where user_id = $1 and created_at >= $2")
                .bind(user_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }

    /// Creates a session with the prospect's opening line, in one transaction.
    /// Creates a session with its opening line, in one transaction; `None` (and nothing
    /// written) when the plan's allowance is used up, checked by the insert itself so that
    /// simultaneous starts cannot exceed it.
    pub async fn create_training_session(
        &self,
        new: &NewTrainingSession<'_>,
        opening: &NewMessage<'_>,
    ) -> Result<Option<i64>> {
        if let Some(writer) = &self.writer {
            // One writer at a time: the count in the insert sees every earlier start.
            return writer.start_session(writer::StartJob::new(new, opening)).await;
        }
        let mut tx = self.pool.begin().await?;
        if new.allowance.is_some() {
            // One start at a time per user: PostgreSQL's default isolation would let two
            // simultaneous inserts each count without the other.
            lock_user(&mut tx, new.user_id).await?;
        }
        let id = insert_session(&mut tx, new, opening).await?;
        if id.is_some() {
            tx.commit().await?;
        }
        Ok(id)
    }

    /// A session, only if it belongs to `user_id`.
    pub async fn training_session(&self, id: i64, user_id: i64) -> Result<Option<TrainingSessionRow>> {
        Ok(sqlx::query_as::<_, TrainingSessionRow>(&format!("{SESSION_COLUMNS} where id = $1 and user_id = $2"))
            .bind(id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The answer to the last turn of a session of `user_id` (see `TurnUpdate::last_turn_json`),
    /// with the number of exchanges stored.
    pub async fn last_turn(&self, id: i64, user_id: i64) -> Result<Option<(i64, Option<String>)>> {
        Ok(sqlx::query_as("select exchanges, last_turn_json from training_sessions where id = $1 and user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A session's scenario (JSON), as adapted at its start; it never changes.
    pub async fn training_session_scenario(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("select scenario_json from session_scenarios where session_id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(json,)| json))
    }

    pub async fn list_training_sessions(&self, user_id: i64, limit: i64) -> Result<Vec<SessionSummary>> {
        Ok(sqlx::query_as::<_, SessionSummary>(
            "select s.id, s.skill_slug, s.sector_slug, s.level, s.status, s.gauge, s.exchanges, s.created_at,
                    r.final_score
             from training_sessions s left join reports r on r.session_id = s.id
             where s.user_id = $1 order by s.id desc limit $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every scored session of a user, oldest first: (skill, level, final score, started
    /// at), for their progress and their certifications. A session ended before the learner
    /// said anything is not scored.
    pub async fn scored_sessions(&self, user_id: i64) -> Result<Vec<(String, String, i64, i64)>> {
        Ok(sqlx::query_as(
            "select s.skill_slug, s.level, r.final_score, s.created_at
             from training_sessions s join reports r on r.session_id = s.id
             where s.user_id = $1 and s.exchanges > 0 order by s.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A user's scored sessions for spaced repetition, oldest first: (skill, sector,
    /// template, level, score, Unix seconds started).
    pub async fn practice_history(&self, user_id: i64) -> Result<Vec<(String, String, String, String, i64, i64)>> {
        Ok(sqlx::query_as(
            "select s.skill_slug, s.sector_slug, s.template_id, s.level, r.final_score, s.created_at
             from training_sessions s join reports r on r.session_id = s.id
             where s.user_id = $1 and s.exchanges > 0 order by s.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Stores one exchange (the learner's message, the prospect's reply, the new engine
    /// state) in one transaction, and returns once it is durable. Fails with `Conflict` when
    /// the session is over or another turn was stored first (`exchanges` is the count this
    /// turn was computed from). On SQLite the turn joins those waiting for the writer and
    /// is committed with them.
    pub async fn record_turn(
        &self,
        update: &TurnUpdate<'_>,
        learner: &NewMessage<'_>,
        prospect: &NewMessage<'_>,
    ) -> Result<()> {
        if let Some(writer) = &self.writer {
            return writer.record_turn(writer::TurnJob::new(update, learner, prospect)).await;
        }
        let mut tx = self.pool.begin().await?;
        write_turn(&mut tx, update, learner, prospect).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends an active session without a turn (the learner left), storing its report.
    pub async fn abandon_training_session(&self, id: i64, user_id: i64, state_json: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update training_sessions set status = 'ended', end_type = 'abandoned', state_json = $1, updated_at = $2, ended_at = $2
             where id = $3 and user_id = $4 and status = 'active'",
        )
        .bind(state_json)
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn messages(&self, session_id: i64) -> Result<Vec<MessageRow>> {
        Ok(sqlx::query_as::<_, MessageRow>(
            "select seq, role, content, gauge_after, patterns_json, created_at, voice_json from messages
             where session_id = $1 order by seq",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Stores a session's report; a second call for the same session keeps the first. With
    /// `xapi_facts`, the session's xAPI statements are queued in the same transaction.
    pub async fn save_report(
        &self,
        session_id: i64,
        final_score: i64,
        report_json: &str,
        xapi_facts: Option<&str>,
        now: i64,
    ) -> Result<()> {
        if let Some(writer) = &self.writer {
            let job = writer::ReportJob::new(session_id, final_score, report_json, xapi_facts, now);
            return writer.save_report(job).await;
        }
        // The report, the assignment it may count for, its xAPI statements: one transaction.
        let mut tx = self.pool.begin().await?;
        insert_report(&mut tx, session_id, final_score, report_json, xapi_facts, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn report_json(&self, session_id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("select report_json from reports where session_id = $1")
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(json,)| json))
    }
}

const SESSION_COLUMNS: &str = "select id, user_id, skill_slug, sector_slug, level, template_id, seed, status, end_type,
    starting_gauge, gauge, mood, exchanges, state_json, created_at, updated_at, ended_at
    from training_sessions";
