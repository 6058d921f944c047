//! Programmes of an organisation: their items (skill, level, pass mark, due date, attempts)
//! and the assignments of those items to learners, with the attempts used and the best
//! score. A session started for an assignment is linked to it (`assignment_sessions`, in
//! the session's own insert) and counts when its report is stored (`statements`).

use sqlx::FromRow;

use crate::{Result, Store};

/// A programme to create, with its items and the learners it is assigned to.
#[derive(Debug, Clone)]
pub struct NewProgramme<'a> {
    pub organisation_id: i64,
    pub created_by: i64,
    pub name: &'a str,
    pub items: &'a [NewProgrammeItem<'a>],
    /// Members of the organisation (checked by the caller); every item is assigned to each.
    pub learners: &'a [i64],
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct NewProgrammeItem<'a> {
    pub skill_slug: &'a str,
    pub level: &'a str,
    pub pass_mark: i64,
    /// `YYYY-MM-DD`.
    pub due: &'a str,
    pub max_attempts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ProgrammeRow {
    pub id: i64,
    pub organisation_id: i64,
    /// The manager who wrote it; null once their account was erased.
    pub created_by: Option<i64>,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ProgrammeItemRow {
    pub programme_id: i64,
    pub item_index: i64,
    pub skill_slug: String,
    pub level: String,
    pub pass_mark: i64,
    pub due: String,
    pub max_attempts: i64,
}

/// An item assigned to a learner, with the item's terms and the learner's progress on it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub programme_id: i64,
    pub programme_name: String,
    pub item_index: i64,
    pub user_id: i64,
    pub user_name: String,
    pub user_email: String,
    pub skill_slug: String,
    pub level: String,
    pub pass_mark: i64,
    pub due: String,
    pub max_attempts: i64,
    /// Scored sessions counted for this item (never more than `max_attempts`).
    pub attempts: i64,
    pub best_score: Option<i64>,
    /// When a session first reached the pass mark (Unix seconds).
    pub passed_at: Option<i64>,
}

/// One scored session of a member of an organisation, for the manager's drill-down and
/// export (a session ended before the learner's first turn is not scored, not listed).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TeamResultRow {
    pub session_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub user_email: String,
    pub skill_slug: String,
    pub level: String,
    pub final_score: i64,
    pub exchanges: i64,
    pub created_at: i64,
}

pub(crate) const ASSIGNMENT_COLUMNS: &str =
    "select a.id, a.programme_id, p.name as programme_name, a.item_index, a.user_id,
    u.name as user_name, u.email as user_email, i.skill_slug, i.level, i.pass_mark, i.due, i.max_attempts,
    a.attempts, a.best_score, a.passed_at
    from assignments a
    join programmes p on p.id = a.programme_id
    join programme_items i on i.programme_id = a.programme_id and i.item_index = a.item_index
    join users u on u.id = a.user_id";

impl Store {
    /// Creates a programme, its items and its assignments in one transaction: all or nothing.
    pub async fn create_programme(&self, new: &NewProgramme<'_>) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into programmes (organisation_id, created_by, name, created_at) values ($1, $2, $3, $4) returning id",
        )
        .bind(new.organisation_id)
        .bind(new.created_by)
        .bind(new.name)
        .bind(new.now)
        .fetch_one(&mut *tx)
        .await?;
        for (index, item) in (0_i64..).zip(new.items) {
            sqlx::query(
                "insert into programme_items (programme_id, item_index, skill_slug, level, pass_mark, due, max_attempts)
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(index)
            .bind(item.skill_slug)
            .bind(item.level)
            .bind(item.pass_mark)
            .bind(item.due)
            .bind(item.max_attempts)
            .execute(&mut *tx)
            .await?;
            for learner in new.learners {
                sqlx::query(
                    "insert into assignments (programme_id, item_index, user_id, attempts, created_at)
                     values ($1, $2, $3, 0, $4)",
                )
                .bind(id)
                .bind(index)
                .bind(learner)
                .bind(new.now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The programmes of an organisation, newest first.
    pub async fn programmes(&self, organisation_id: i64) -> Result<Vec<ProgrammeRow>> {
        Ok(sqlx::query_as::<_, ProgrammeRow>(
            "select id, organisation_id, created_by, name, created_at from programmes
             where organisation_id = $1 order by id desc",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A programme, only within its organisation.
    pub async fn programme(&self, id: i64, organisation_id: i64) -> Result<Option<ProgrammeRow>> {
        Ok(sqlx::query_as::<_, ProgrammeRow>(
            "select id, organisation_id, created_by, name, created_at from programmes
             where id = $1 and organisation_id = $2",
        )
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn programme_items(&self, programme_id: i64) -> Result<Vec<ProgrammeItemRow>> {
        Ok(sqlx::query_as::<_, ProgrammeItemRow>(
            "select programme_id, item_index, skill_slug, level, pass_mark, due, max_attempts from programme_items
             where programme_id = $1 order by item_index",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every assignment of a programme, by learner then item.
    pub async fn programme_assignments(&self, programme_id: i64) -> Result<Vec<AssignmentRow>> {
        Ok(sqlx::query_as::<_, AssignmentRow>(&format!(
            "{ASSIGNMENT_COLUMNS} where a.programme_id = $1 order by u.name, u.id, a.item_index"
        ))
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A learner's assignments in the programmes of their organisation, by programme then item.
    pub async fn assignments_of(&self, user_id: i64, organisation_id: i64) -> Result<Vec<AssignmentRow>> {
        Ok(sqlx::query_as::<_, AssignmentRow>(&format!(
            "{ASSIGNMENT_COLUMNS} where a.user_id = $1 and p.organisation_id = $2 order by a.programme_id, a.item_index"
        ))
        .bind(user_id)
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// One assignment of a learner, only in a programme of their organisation.
    pub async fn assignment(
        &self,
        programme_id: i64,
        item_index: i64,
        user_id: i64,
        organisation_id: i64,
    ) -> Result<Option<AssignmentRow>> {
        Ok(sqlx::query_as::<_, AssignmentRow>(&format!(
            "{ASSIGNMENT_COLUMNS}
             where a.programme_id = $1 and a.item_index = $2 and a.user_id = $3 and p.organisation_id = $4"
        ))
        .bind(programme_id)
        .bind(item_index)
        .bind(user_id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every assignment in the organisation's programmes, by learner then programme and item.
    pub async fn organisation_assignments(&self, organisation_id: i64) -> Result<Vec<AssignmentRow>> {
        Ok(sqlx::query_as::<_, AssignmentRow>(&format!(
            "{ASSIGNMENT_COLUMNS} where p.organisation_id = $1 order by u.name, u.id, a.programme_id, a.item_index"
        ))
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The scored sessions of the organisation's current members, oldest first.
    pub async fn team_results(&self, organisation_id: i64) -> Result<Vec<TeamResultRow>> {
        Ok(sqlx::query_as::<_, TeamResultRow>(
            "select s.id as session_id, s.user_id, u.name as user_name, u.email as user_email, s.skill_slug,
                    s.level, r.final_score, s.exchanges, s.created_at
             from memberships m join users u on u.id = m.user_id
             join training_sessions s on s.user_id = m.user_id
             join reports r on r.session_id = s.id
             where m.organisation_id = $1 and s.exchanges > 0
             order by s.created_at, s.id",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The owner of a session, if they are a member of `organisation_id`: what lets a
    /// manager read the reports of their own organisation only.
    pub async fn session_owner_in(&self, session_id: i64, organisation_id: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "select s.user_id from training_sessions s join memberships m on m.user_id = s.user_id
             where s.id = $1 and m.organisation_id = $2",
        )
        .bind(session_id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id,)| id))
    }
}
