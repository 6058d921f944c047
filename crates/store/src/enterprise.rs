//! Organisations and their members, champions' calls, demo requests.

use sqlx::FromRow;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Membership {
    pub organisation_id: i64,
    pub organisation: String,
    /// `manager` or `learner`.
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChampionRow {
    pub id: i64,
    pub organisation_id: i64,
    pub uploaded_by: i64,
    pub name: String,
    pub notes: String,
    /// `transcript` or `recording`.
    pub source_kind: String,
    pub original_name: String,
    pub stored_name: String,
    pub turns_json: String,
    pub champion_speaker: Option<String>,
    pub analysis_json: Option<String>,
    pub created_at: i64,
    /// When the call was deleted; its sessions keep it for their comparisons.
    pub deleted_at: Option<i64>,
    /// The text the uploader confirmed (the people recorded were informed), and when; null
    /// for calls uploaded before it was asked.
    pub consent_text: Option<String>,
    pub consented_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewChampion<'a> {
    pub organisation_id: i64,
    pub uploaded_by: i64,
    pub name: &'a str,
    pub notes: &'a str,
    pub source_kind: &'a str,
    pub original_name: &'a str,
    pub stored_name: &'a str,
    pub turns_json: &'a str,
    pub created_at: i64,
    /// The consent text shown to and confirmed by the uploader (when: `created_at`); none
    /// when an API client sent no `consent` field (stored as not confirmed).
    pub consent_text: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DemoRequest {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub company: String,
    pub team_size: String,
    pub message: String,
    pub created_at: i64,
}

pub(crate) const CHAMPION_COLUMNS: &str =
    "select id, organisation_id, uploaded_by, name, notes, source_kind, original_name, stored_name,
    turns_json, champion_speaker, analysis_json, created_at, deleted_at, consent_text, consented_at from champions";

impl Store {
    pub async fn create_organisation(&self, name: &str, now: i64) -> Result<i64> {
        let created =
            sqlx::query_as::<_, (i64,)>("insert into organisations (name, created_at) values ($1, $2) returning id")
                .bind(name)
                .bind(now)
                .fetch_one(&self.pool)
                .await;
        match created {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Conflict("organisation already exists"))
            }
            other => Ok(other?.0),
        }
    }

    pub async fn organisation_id(&self, name: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as("select id from organisations where name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Puts a user in an organisation (or moves them), with a role.
    pub async fn set_membership(&self, user_id: i64, organisation_id: i64, role: &str, now: i64) -> Result<()> {
        sqlx::query(
            "insert into memberships (user_id, organisation_id, role, created_at) values ($1, $2, $3, $4)
             on conflict (user_id) do update set organisation_id = excluded.organisation_id, role = excluded.role",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(role)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn membership(&self, user_id: i64) -> Result<Option<Membership>> {
        Ok(sqlx::query_as::<_, Membership>(
            "select m.organisation_id, o.name as organisation, m.role from memberships m join organisations o on o.id = m.organisation_id
             where m.user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn create_champion(&self, c: &NewChampion<'_>) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "insert into champions (organisation_id, uploaded_by, name, notes, source_kind, original_name, stored_name, turns_json,
               created_at, consent_text, consented_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
        )
        .bind(c.organisation_id)
        .bind(c.uploaded_by)
        .bind(c.name)
        .bind(c.notes)
        .bind(c.source_kind)
        .bind(c.original_name)
        .bind(c.stored_name)
        .bind(c.turns_json)
        .bind(c.created_at)
        .bind(c.consent_text)
        .bind(c.consent_text.map(|_| c.created_at))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// A champion that is not deleted, only within its organisation.
    pub async fn champion(&self, id: i64, organisation_id: i64) -> Result<Option<ChampionRow>> {
        Ok(sqlx::query_as::<_, ChampionRow>(&format!(
            "{CHAMPION_COLUMNS} where id = $1 and organisation_id = $2 and deleted_at is null"
        ))
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A champion, deleted or not, within its organisation: what a session on it needs for
    /// its comparison.
    pub async fn champion_of_session(&self, id: i64, organisation_id: i64) -> Result<Option<ChampionRow>> {
        Ok(sqlx::query_as::<_, ChampionRow>(&format!("{CHAMPION_COLUMNS} where id = $1 and organisation_id = $2"))
            .bind(id)
            .bind(organisation_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn champions(&self, organisation_id: i64) -> Result<Vec<ChampionRow>> {
        Ok(sqlx::query_as::<_, ChampionRow>(&format!(
            "{CHAMPION_COLUMNS} where organisation_id = $1 and deleted_at is null order by id desc"
        ))
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn save_champion_analysis(
        &self,
        id: i64,
        organisation_id: i64,
        speaker: &str,
        analysis_json: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "update champions set champion_speaker = $1, analysis_json = $2
             where id = $3 and organisation_id = $4 and deleted_at is null",
        )
        .bind(speaker)
        .bind(analysis_json)
        .bind(id)
        .bind(organisation_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a champion: marks it deleted and ends the sessions still active on it, in one
    /// transaction. The sessions and their answers stay (the learners' history). Returns
    /// its stored file name (for the caller to remove) when it existed and was not deleted.
    pub async fn delete_champion(&self, id: i64, organisation_id: i64, now: i64) -> Result<Option<String>> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(String,)> = sqlx::query_as(
            "update champions set deleted_at = $3 where id = $1 and organisation_id = $2 and deleted_at is null
             returning stored_name",
        )
        .bind(id)
        .bind(organisation_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if row.is_some() {
            sqlx::query(
                "update champion_sessions set status = 'ended', ended_at = $2 where champion_id = $1 and status = 'active'",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(row.map(|(name,)| name))
    }

    pub async fn create_demo_request(&self, r: &DemoRequest) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "insert into demo_requests (name, email, company, team_size, message, created_at) values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(&r.name)
        .bind(&r.email)
        .bind(&r.company)
        .bind(&r.team_size)
        .bind(&r.message)
        .bind(r.created_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    pub async fn demo_requests(&self) -> Result<Vec<DemoRequest>> {
        Ok(sqlx::query_as::<_, DemoRequest>(
            "select id, name, email, company, team_size, message, created_at from demo_requests order by id desc",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChampionSessionRow {
    pub id: i64,
    pub organisation_id: i64,
    pub user_id: i64,
    pub champion_id: i64,
    /// How many of the call's moves the learner has answered.
    pub position: i64,
    pub status: String,
    pub created_at: i64,
    pub ended_at: Option<i64>,
    /// When the champion's call was deleted (the session is then from a deleted call).
    pub champion_deleted_at: Option<i64>,
}

/// A learner's answer to one move of a champion session.
#[derive(Debug, Clone, Copy)]
pub struct AnswerUpdate<'a> {
    pub session_id: i64,
    pub user_id: i64,
    /// The move answered (the session's position before this answer).
    pub position: i64,
    pub answer: &'a str,
    pub patterns_json: &'a str,
    /// Whether this was the last move.
    pub ended: bool,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChampionAnswer {
    pub position: i64,
    pub answer: String,
    pub patterns_json: String,
}

const CHAMPION_SESSION_COLUMNS: &str =
    "select s.id, s.organisation_id, s.user_id, s.champion_id, s.position, s.status, s.created_at, s.ended_at,
    c.deleted_at as champion_deleted_at from champion_sessions s join champions c on c.id = s.champion_id";

impl Store {
    pub async fn create_champion_session(
        &self,
        organisation_id: i64,
        user_id: i64,
        champion_id: i64,
        now: i64,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "insert into champion_sessions (organisation_id, user_id, champion_id, position, status, created_at)
             values ($1, $2, $3, 0, 'active', $4) returning id",
        )
        .bind(organisation_id)
        .bind(user_id)
        .bind(champion_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// A learner's own champion session.
    pub async fn champion_session(&self, id: i64, user_id: i64) -> Result<Option<ChampionSessionRow>> {
        Ok(sqlx::query_as::<_, ChampionSessionRow>(&format!(
            "{CHAMPION_SESSION_COLUMNS} where s.id = $1 and s.user_id = $2"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn champion_sessions(&self, user_id: i64) -> Result<Vec<ChampionSessionRow>> {
        Ok(sqlx::query_as::<_, ChampionSessionRow>(&format!(
            "{CHAMPION_SESSION_COLUMNS} where s.user_id = $1 order by s.id desc"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Stores the learner's answer to move `position` and moves on, in one transaction;
    /// `Conflict` if the session is over or the move was answered meanwhile.
    pub async fn record_champion_answer(&self, a: &AnswerUpdate<'_>) -> Result<()> {
        let AnswerUpdate { session_id, user_id, position, answer, patterns_json, ended, now } = *a;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "update champion_sessions set position = $1, status = $2, ended_at = $3
             where id = $4 and user_id = $5 and position = $6 and status = 'active'",
        )
        .bind(position + 1)
        .bind(if ended { "ended" } else { "active" })
        .bind(ended.then_some(now))
        .bind(session_id)
        .bind(user_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("the session is over or was updated concurrently"));
        }
        sqlx::query("insert into champion_answers (session_id, position, answer, patterns_json, created_at) values ($1, $2, $3, $4, $5)")
            .bind(session_id)
            .bind(position)
            .bind(answer)
            .bind(patterns_json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn end_champion_session(&self, session_id: i64, user_id: i64, now: i64) -> Result<()> {
        sqlx::query("update champion_sessions set status = 'ended', ended_at = $1 where id = $2 and user_id = $3 and status = 'active'")
            .bind(now)
            .bind(session_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn champion_answers(&self, session_id: i64) -> Result<Vec<ChampionAnswer>> {
        Ok(sqlx::query_as::<_, ChampionAnswer>(
            "select position, answer, patterns_json from champion_answers where session_id = $1 order by position",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// One member of an organisation with their activity.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct TeamMember {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    /// Sessions where the learner said something (one ended before is not counted).
    pub sessions: i64,
    pub last_activity: Option<i64>,
}

/// A member's average score on one skill.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct SkillAverage {
    pub user_id: i64,
    pub skill_slug: String,
    pub sessions: i64,
    pub average_score: f64,
}

impl Store {
    pub async fn team(&self, organisation_id: i64) -> Result<Vec<TeamMember>> {
        Ok(sqlx::query_as::<_, TeamMember>(
            "select u.id as user_id, u.name, u.email, m.role,
                    cast(count(s.id) as bigint) as sessions, max(s.updated_at) as last_activity
             from memberships m join users u on u.id = m.user_id
             left join training_sessions s on s.user_id = u.id and s.exchanges > 0
             where m.organisation_id = $1
             group by u.id, u.name, u.email, m.role
             order by u.name",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn team_scores(&self, organisation_id: i64) -> Result<Vec<SkillAverage>> {
        Ok(sqlx::query_as::<_, SkillAverage>(
            "select s.user_id, s.skill_slug, cast(count(r.session_id) as bigint) as sessions,
                    cast(avg(r.final_score) as double precision) as average_score
             from memberships m join training_sessions s on s.user_id = m.user_id
             join reports r on r.session_id = s.id
             where m.organisation_id = $1 and s.exchanges > 0
             group by s.user_id, s.skill_slug
             order by s.user_id, s.skill_slug",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GeneratedScenario {
    pub id: i64,
    pub user_id: i64,
    /// Set when a manager shared it with their organisation.
    pub organisation_id: Option<i64>,
    pub skill_slug: String,
    pub template_json: String,
    pub created_at: i64,
}

const GENERATED_COLUMNS: &str = "id, user_id, organisation_id, skill_slug, template_json, created_at";

impl Store {
    pub async fn create_generated_scenario(
        &self,
        user_id: i64,
        organisation_id: Option<i64>,
        skill_slug: &str,
        template_json: &str,
        now: i64,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "insert into generated_scenarios (user_id, organisation_id, skill_slug, template_json, created_at)
             values ($1, $2, $3, $4, $5) returning id",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(skill_slug)
        .bind(template_json)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// A generated scenario `user_id` may play: their own, or one shared with their
    /// organisation (`organisation_id`, when they belong to one).
    pub async fn generated_scenario(
        &self,
        id: i64,
        user_id: i64,
        organisation_id: Option<i64>,
    ) -> Result<Option<GeneratedScenario>> {
        Ok(sqlx::query_as::<_, GeneratedScenario>(&format!(
            "select {GENERATED_COLUMNS} from generated_scenarios
             where id = $1 and (user_id = $2 or organisation_id = $3)"
        ))
        .bind(id)
        .bind(user_id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The generated scenarios `user_id` may play, newest first.
    pub async fn generated_scenarios(
        &self,
        user_id: i64,
        organisation_id: Option<i64>,
    ) -> Result<Vec<GeneratedScenario>> {
        Ok(sqlx::query_as::<_, GeneratedScenario>(&format!(
            "select {GENERATED_COLUMNS} from generated_scenarios
             where user_id = $1 or organisation_id = $2 order by id desc"
        ))
        .bind(user_id)
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
