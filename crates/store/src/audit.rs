//! The audit log (append-only: the database refuses updates and deletes) and the
//! anonymised tallies an organisation keeps of the sessions that were erased or expired.
//! An entry names people by id only; the names shown are read from the accounts that
//! still exist.

use sqlx::FromRow;

use crate::{Result, Store};

/// What an entry records. `action` is a stable machine word (`report_read`, `export`,
/// `erasure`, `account_expired`, `retention`, `retention_settings`); `detail` says the rest.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    pub organisation_id: Option<i64>,
    /// Who acted; `None` for the system (the retention job, the command line).
    pub actor_id: Option<i64>,
    /// Whose data it concerned, if one person's.
    pub subject_user_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub organisation_id: Option<i64>,
    pub actor_id: Option<i64>,
    /// The actor's name while their account exists.
    pub actor_name: Option<String>,
    pub subject_user_id: Option<i64>,
    pub subject_name: Option<String>,
    pub action: String,
    pub detail: String,
    pub created_at: i64,
}

/// Sessions of an organisation's former members (or expired ones), counted without anybody.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TallyRow {
    pub skill_slug: String,
    pub sessions: i64,
    pub scored_sessions: i64,
    pub score_sum: i64,
}

/// Appends an entry inside the caller's transaction (so that what it records and the entry
/// are written together).
pub(crate) async fn append(tx: &mut sqlx::Transaction<'_, sqlx::Any>, entry: &AuditEntry<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into audit_log (organisation_id, actor_id, subject_user_id, action, detail, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.organisation_id)
    .bind(entry.actor_id)
    .bind(entry.subject_user_id)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds the sessions `filter` selects (a condition on `s`, training sessions, binding `$2`)
/// to the organisation's (`$1`) anonymised tallies, before they are deleted. Sessions where
/// the learner said nothing are not counted, as in the team's figures.
pub(crate) async fn tally(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    filter: &str,
    value: i64,
) -> Result<()> {
    sqlx::query(&format!(
        "insert into anonymous_tallies (organisation_id, skill_slug, sessions, scored_sessions, score_sum)
         select $1, s.skill_slug, cast(count(*) as bigint), cast(count(r.session_id) as bigint),
                cast(coalesce(sum(r.final_score), 0) as bigint)
         from training_sessions s left join reports r on r.session_id = s.id
         where s.exchanges > 0 and {filter}
         group by s.skill_slug
         on conflict (organisation_id, skill_slug) do update set
             sessions = anonymous_tallies.sessions + excluded.sessions,
             scored_sessions = anonymous_tallies.scored_sessions + excluded.scored_sessions,
             score_sum = anonymous_tallies.score_sum + excluded.score_sum"
    ))
    .bind(organisation_id)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Appends one entry to the audit log.
    pub async fn audit(&self, entry: &AuditEntry<'_>, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        append(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An organisation's entries, newest first: at most `limit`, older than `before` (an
    /// entry id) when given.
    pub async fn audit_log(&self, organisation_id: i64, before: Option<i64>, limit: i64) -> Result<Vec<AuditRow>> {
        Ok(sqlx::query_as::<_, AuditRow>(
            "select a.id, a.organisation_id, a.actor_id, actor.name as actor_name, a.subject_user_id,
                    subject.name as subject_name, a.action, a.detail, a.created_at
             from audit_log a
             left join users actor on actor.id = a.actor_id
             left join users subject on subject.id = a.subject_user_id
             where a.organisation_id = $1 and a.id < $2
             order by a.id desc limit $3",
        )
        .bind(organisation_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// What an organisation keeps of the sessions erased or expired, per skill.
    pub async fn anonymous_tallies(&self, organisation_id: i64) -> Result<Vec<TallyRow>> {
        Ok(sqlx::query_as::<_, TallyRow>(
            "select skill_slug, sessions, scored_sessions, score_sum from anonymous_tallies
             where organisation_id = $1 order by skill_slug",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
