//! Learning standards: an organisation's Learning Record Store (xAPI), the outbox of
//! statements waiting for it, and the keys the instances share (SCORM launch links).
//!
//! A row of the outbox is written in the transaction that stores a session's first report
//! (`statements::insert_report`), only when the learner's organisation has an LRS. Senders
//! (one per instance) claim due rows with one `update … returning`, whose conditions are
//! checked again on the row itself: on PostgreSQL a second instance that waited for the row
//! lock finds it claimed and skips it; SQLite has one writer. A claim is a lease: if its
//! holder dies, the row is due again once `claimed_until` has passed.

use crate::audit::{self, AuditEntry};
use crate::{Result, Store};

/// An organisation's LRS: where to post statements and the Basic-auth credentials.
#[derive(Clone, sqlx::FromRow)]
pub struct LrsRow {
    pub organisation_id: i64,
    pub endpoint: String,
    pub lrs_key: String,
    pub lrs_secret: String,
}

impl std::fmt::Debug for LrsRow {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LrsRow")
            .field("organisation_id", &self.organisation_id)
            .field("endpoint", &self.endpoint)
            .field("lrs_key", &self.lrs_key)
            .field("lrs_secret", &"[redacted]")
            .finish()
    }
}

/// A claimed row of the outbox: the session's facts and the pass mark it is judged against.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub organisation_id: i64,
    pub session_id: i64,
    pub facts_json: String,
    pub pass_mark: Option<i64>,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// How many rows of the outbox wait and how many were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
}

impl Store {
    /// Sets (or replaces) an organisation's LRS; the audit log keeps the endpoint and key.
    pub async fn set_lrs(&self, organisation_id: i64, endpoint: &str, key: &str, secret: &str, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into organisation_lrs (organisation_id, endpoint, lrs_key, lrs_secret, updated_at)
             values ($1, $2, $3, $4, $5)
             on conflict (organisation_id) do update set endpoint = excluded.endpoint,
                lrs_key = excluded.lrs_key, lrs_secret = excluded.lrs_secret, updated_at = excluded.updated_at",
        )
        .bind(organisation_id)
        .bind(endpoint)
        .bind(key)
        .bind(secret)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = format!("LRS xAPI : {endpoint} (clé {key})");
        let entry = AuditEntry {
            organisation_id: Some(organisation_id),
            actor_id: None,
            subject_user_id: None,
            action: "lrs_settings",
            detail: &detail,
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An organisation's LRS, if it has one.
    pub async fn lrs(&self, organisation_id: i64) -> Result<Option<LrsRow>> {
        Ok(sqlx::query_as::<_, LrsRow>(
            "select organisation_id, endpoint, lrs_key, lrs_secret from organisation_lrs where organisation_id = $1",
        )
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The e-mail of `user_id` when their organisation has an LRS (their sessions are sent
    /// there), else `None`.
    pub async fn xapi_learner(&self, user_id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "select u.email from users u
             join memberships m on m.user_id = u.id
             join organisation_lrs l on l.organisation_id = m.organisation_id
             where u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(email,)| email))
    }

    /// Claims up to `limit` due rows for `holder` until `lease_until`, counting an attempt
    /// on each; rows another sender holds are left alone.
    pub async fn claim_xapi(&self, holder: &str, now: i64, lease_until: i64, limit: i64) -> Result<Vec<OutboxRow>> {
        Ok(sqlx::query_as::<_, OutboxRow>(
            "update xapi_outbox set claimed_by = $1, claimed_until = $2, attempts = attempts + 1
             where id in (select id from xapi_outbox
                          where sent_at is null and next_attempt_at <= $3 and claimed_until <= $3
                          order by id limit $4)
               and sent_at is null and next_attempt_at <= $3 and claimed_until <= $3
             returning id, organisation_id, session_id, facts_json, pass_mark, attempts",
        )
        .bind(holder)
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks a claimed row sent (only if `holder` still holds it).
    pub async fn xapi_sent(&self, id: i64, holder: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update xapi_outbox set sent_at = $1, claimed_until = 0, last_error = null
             where id = $2 and claimed_by = $3 and sent_at is null",
        )
        .bind(now)
        .bind(id)
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives a claimed row back after a failure: due again at `next_attempt_at`.
    pub async fn xapi_failed(&self, id: i64, holder: &str, next_attempt_at: i64, error: &str) -> Result<()> {
        sqlx::query(
            "update xapi_outbox set next_attempt_at = $1, claimed_until = 0, last_error = $2
             where id = $3 and claimed_by = $4 and sent_at is null",
        )
        .bind(next_attempt_at)
        .bind(error)
        .bind(id)
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Rows waiting and rows sent, over every organisation.
    pub async fn xapi_counts(&self) -> Result<OutboxCounts> {
        let (pending, sent): (i64, i64) = sqlx::query_as(
            "select coalesce(sum(case when sent_at is null then 1 else 0 end), 0),
                    coalesce(sum(case when sent_at is null then 0 else 1 end), 0)
             from xapi_outbox",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(OutboxCounts { pending, sent })
    }

    /// The shared key `name`: the one stored, or `candidate` stored now if there is none
    /// (two instances racing keep the first).
    pub async fn app_key(&self, name: &str, candidate: &str, now: i64) -> Result<String> {
        sqlx::query("insert into app_keys (name, value, created_at) values ($1, $2, $3) on conflict (name) do nothing")
            .bind(name)
            .bind(candidate)
            .bind(now)
            .execute(&self.pool)
            .await?;
        let (value,): (String,) =
            sqlx::query_as("select value from app_keys where name = $1").bind(name).fetch_one(&self.pool).await?;
        Ok(value)
    }
}
