//! A user's data for their GDPR export (every row held about them, with no limit), and their
//! erasure in one transaction. What erasure keeps: others' data (a programme they wrote
//! stays, without its author), the audit log, and the organisation's anonymised tallies of
//! their sessions.

use sqlx::FromRow;

use crate::audit::{self, AuditEntry};
use crate::enterprise::CHAMPION_COLUMNS;
use crate::{AssignmentRow, ChampionRow, DemoRequest, GeneratedScenario, Result, Store, TrainingSessionRow};

/// One message of one of the user's sessions.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UserMessageRow {
    pub session_id: i64,
    pub seq: i64,
    pub role: String,
    pub content: String,
    pub gauge_after: i64,
    pub patterns_json: String,
    pub voice_json: Option<String>,
    pub created_at: i64,
}

/// The report of one of the user's sessions.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UserReportRow {
    pub session_id: i64,
    pub final_score: i64,
    pub report_json: String,
    pub created_at: i64,
}

/// One answer of one of the user's champion training sessions.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UserAnswerRow {
    pub session_id: i64,
    pub champion_id: i64,
    pub position: i64,
    pub answer: String,
    pub patterns_json: String,
    pub created_at: i64,
}

/// What an erasure removed; the caller deletes the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    /// The organisation the account belonged to.
    pub organisation_id: Option<i64>,
    pub sessions: u64,
    pub uploads: u64,
    /// Stored names of the uploaded files to remove (under the data directory's `uploads/`).
    pub files: Vec<String>,
}

impl Erasure {
    /// The audit log's words for it (ids only, no name).
    pub fn detail(&self) -> String {
        format!("{} session(s) d’entraînement et {} appel(s) Champion supprimés", self.sessions, self.uploads)
    }
}

impl Store {
    pub async fn user_by_id(&self, id: i64) -> Result<Option<crate::User>> {
        Ok(sqlx::query_as::<_, crate::User>(
            "select id, email, name, password_hash, plan, trial_ends_at, created_at from users where id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// When the user last logged in (null before the first login since it is recorded).
    pub async fn last_login_at(&self, user_id: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = sqlx::query_as("select last_login_at from users where id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|(at,)| at))
    }

    /// Every training session of the user, oldest first.
    pub async fn all_training_sessions(&self, user_id: i64) -> Result<Vec<TrainingSessionRow>> {
        Ok(sqlx::query_as::<_, TrainingSessionRow>(
            "select id, user_id, skill_slug, sector_slug, level, template_id, seed, status, end_type, starting_gauge,
                    gauge, mood, exchanges, state_json, created_at, updated_at, ended_at
             from training_sessions where user_id = $1 order by id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every message of the user's sessions, by session then order.
    pub async fn user_messages(&self, user_id: i64) -> Result<Vec<UserMessageRow>> {
        Ok(sqlx::query_as::<_, UserMessageRow>(
            "select m.session_id, m.seq, m.role, m.content, m.gauge_after, m.patterns_json, m.voice_json, m.created_at
             from messages m join training_sessions s on s.id = m.session_id
             where s.user_id = $1 order by m.session_id, m.seq",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn user_reports(&self, user_id: i64) -> Result<Vec<UserReportRow>> {
        Ok(sqlx::query_as::<_, UserReportRow>(
            "select r.session_id, r.final_score, r.report_json, r.created_at
             from reports r join training_sessions s on s.id = r.session_id
             where s.user_id = $1 order by r.session_id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The user's answers in champion training, by session then move.
    pub async fn user_champion_answers(&self, user_id: i64) -> Result<Vec<UserAnswerRow>> {
        Ok(sqlx::query_as::<_, UserAnswerRow>(
            "select a.session_id, s.champion_id, a.position, a.answer, a.patterns_json, a.created_at
             from champion_answers a join champion_sessions s on s.id = a.session_id
             where s.user_id = $1 order by a.session_id, a.position",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The champion calls the user uploaded, deleted ones included.
    pub async fn champions_uploaded_by(&self, user_id: i64) -> Result<Vec<ChampionRow>> {
        Ok(sqlx::query_as::<_, ChampionRow>(&format!("{CHAMPION_COLUMNS} where uploaded_by = $1 order by id"))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Every assignment of the user, whatever the organisation.
    pub async fn all_assignments_of(&self, user_id: i64) -> Result<Vec<AssignmentRow>> {
        Ok(sqlx::query_as::<_, AssignmentRow>(&format!(
            "{} where a.user_id = $1 order by a.id",
            crate::programmes::ASSIGNMENT_COLUMNS
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The scenarios the user generated (shared with the organisation or not).
    pub async fn generated_scenarios_by(&self, user_id: i64) -> Result<Vec<GeneratedScenario>> {
        Ok(sqlx::query_as::<_, GeneratedScenario>(
            "select id, user_id, organisation_id, skill_slug, template_json, created_at
             from generated_scenarios where user_id = $1 order by id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Demo requests sent with this e-mail address.
    pub async fn demo_requests_by_email(&self, email: &str) -> Result<Vec<DemoRequest>> {
        Ok(sqlx::query_as::<_, DemoRequest>(
            "select id, name, email, company, team_size, message, created_at from demo_requests
             where lower(email) = lower($1) order by id",
        )
        .bind(email)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Erases an account and everything personal held about it, in one transaction, with its
    /// audit entry (`action`: `erasure` on request, `account_expired` by the retention job).
    /// `None` when there is no such account.
    pub async fn erase_user(
        &self,
        user_id: i64,
        actor_id: Option<i64>,
        action: &str,
        now: i64,
    ) -> Result<Option<Erasure>> {
        let mut tx = self.pool.begin().await?;
        let erased = erase_in(&mut tx, user_id, actor_id, action, now).await?;
        if erased.is_some() {
            tx.commit().await?;
        }
        Ok(erased)
    }
}

/// The erasure, inside the caller's transaction: the organisation's tallies first, then the
/// uploads (with the training of others on them: the call goes), the sessions, the demo
/// requests of the address and the account, whose foreign keys take the rest (login
/// sessions, membership, champion training, assignments, generated scenarios, LLM usage;
/// programmes lose their author).
pub(crate) async fn erase_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    actor_id: Option<i64>,
    action: &str,
    now: i64,
) -> Result<Option<Erasure>> {
    crate::lock_user(tx, user_id).await?;
    let Some((email,)): Option<(String,)> =
        sqlx::query_as("select email from users where id = $1").bind(user_id).fetch_optional(&mut **tx).await?
    else {
        return Ok(None);
    };
    let organisation: Option<(i64,)> = sqlx::query_as("select organisation_id from memberships where user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    let organisation_id = organisation.map(|(id,)| id);
    if let Some(org) = organisation_id {
        audit::tally(tx, org, "s.user_id = $2", user_id).await?;
    }
    let files: Vec<(String,)> =
        sqlx::query_as("select stored_name from champions where uploaded_by = $1 and stored_name <> ''")
            .bind(user_id)
            .fetch_all(&mut **tx)
            .await?;
    let uploads = sqlx::query("delete from champions where uploaded_by = $1").bind(user_id).execute(&mut **tx).await?;
    let sessions =
        sqlx::query("delete from training_sessions where user_id = $1").bind(user_id).execute(&mut **tx).await?;
    sqlx::query("delete from demo_requests where lower(email) = lower($1)").bind(&email).execute(&mut **tx).await?;
    sqlx::query("delete from users where id = $1").bind(user_id).execute(&mut **tx).await?;
    let erasure = Erasure {
        organisation_id,
        sessions: sessions.rows_affected(),
        uploads: uploads.rows_affected(),
        files: files.into_iter().map(|(name,)| name).collect(),
    };
    let detail = erasure.detail();
    let entry = AuditEntry { organisation_id, actor_id, subject_user_id: Some(user_id), action, detail: &detail };
    audit::append(tx, &entry, now).await?;
    Ok(Some(erasure))
}
