//! An organisation's teams (what a SCIM group is) and their members. Only members of the
//! organisation (not deleted by its provider) join a team; every read and write is scoped
//! by the organisation, and each change is one transaction with its audit entry.

use crate::audit::{AuditEntry, append};
use crate::scim::{MemberTeam, TeamChange, TeamFilter, TeamMemberRow, TeamRow};
use crate::{Result, Store, StoreError};

const TEAM_COLUMNS: &str = "select id, name, external_id, created_at, updated_at from teams where organisation_id = $1";

/// Adds `user_id` to the team if they are a member of the organisation the provider has
/// not deleted (anybody else is skipped: the caller checked them before).
const ADD_MEMBER: &str = "insert into team_members (team_id, user_id, created_at)
     select $1, m.user_id, $3 from memberships m
     left join scim_users su on su.user_id = m.user_id and su.organisation_id = m.organisation_id
     where m.user_id = $2 and m.organisation_id = $4 and su.deleted_at is null
     on conflict (team_id, user_id) do nothing";

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

fn name_taken(e: sqlx::Error) -> StoreError {
    if unique_violation(&e) { StoreError::Conflict("a team of that name exists") } else { e.into() }
}

impl Store {
    /// The organisation's teams that `filter` selects, by id: how many in all, and the page
    /// of `limit` after `offset`.
    pub async fn teams(
        &self,
        organisation_id: i64,
        filter: Option<&TeamFilter>,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<TeamRow>)> {
        let (condition, text, int) = match filter {
            None => ("", None, None),
            Some(TeamFilter::DisplayName(v)) => (" and name_key = $2", Some(v.clone()), None),
            Some(TeamFilter::ExternalId(v)) => (" and external_id = $2", Some(v.clone()), None),
            Some(TeamFilter::Id(id)) => (" and id = $2", None, Some(*id)),
        };
        let (limit_at, offset_at) = if filter.is_some() { (3, 4) } else { (2, 3) };
        let count_sql = format!("select cast(count(*) as bigint) from teams where organisation_id = $1{condition}");
        let page_sql = format!("{TEAM_COLUMNS}{condition} order by id limit ${limit_at} offset ${offset_at}");
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(organisation_id);
        let mut page = sqlx::query_as::<_, TeamRow>(&page_sql).bind(organisation_id);
        if let Some(v) = text {
            count = count.bind(v.clone());
            page = page.bind(v);
        }
        if let Some(v) = int {
            count = count.bind(v);
            page = page.bind(v);
        }
        let (total,) = count.fetch_one(&self.pool).await?;
        Ok((total, page.bind(limit).bind(offset).fetch_all(&self.pool).await?))
    }

    /// One team of the organisation; `None` for any other id.
    pub async fn team_of(&self, organisation_id: i64, team_id: i64) -> Result<Option<TeamRow>> {
        Ok(sqlx::query_as::<_, TeamRow>(&format!("{TEAM_COLUMNS} and id = $2"))
            .bind(organisation_id)
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A team's members, by id.
    pub async fn team_members(&self, team_id: i64) -> Result<Vec<TeamMemberRow>> {
        Ok(sqlx::query_as::<_, TeamMemberRow>(
            "select u.id as user_id, u.name from team_members t join users u on u.id = t.user_id
             where t.team_id = $1 order by u.id",
        )
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Creates a team with its members (members of the organisation only). `Conflict` when
    /// the organisation has a team of that name (compared case-insensitively).
    pub async fn create_team(
        &self,
        organisation_id: i64,
        name: &str,
        external_id: Option<&str>,
        members: &[i64],
        now: i64,
    ) -> Result<TeamRow> {
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into teams (organisation_id, name, name_key, external_id, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $5) returning id",
        )
        .bind(organisation_id)
        .bind(name)
        .bind(name.to_lowercase())
        .bind(external_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken)?;
        for &user_id in members {
            add_member(&mut tx, organisation_id, id, user_id, now).await?;
        }
        audit_team(&mut tx, organisation_id, "scim_group_created", id, now).await?;
        let row = read_team(&mut tx, organisation_id, id).await?;
        tx.commit().await?;
        row.ok_or_else(|| StoreError::NotWritten("the team is not readable".into()))
    }

    /// Changes a team: its name, externalId, members (the whole list, or some added and
    /// some removed). `None` when the id is not a team of the organisation.
    pub async fn change_team(
        &self,
        organisation_id: i64,
        team_id: i64,
        change: &TeamChange<'_>,
        now: i64,
    ) -> Result<Option<TeamRow>> {
        let mut tx = self.pool.begin().await?;
        // Locks the team's row (PostgreSQL) while its members change.
        let touched = sqlx::query("update teams set updated_at = $1 where id = $2 and organisation_id = $3")
            .bind(now)
            .bind(team_id)
            .bind(organisation_id)
            .execute(&mut *tx)
            .await?;
        if touched.rows_affected() == 0 {
            return Ok(None);
        }
        if let Some(name) = change.name {
            sqlx::query("update teams set name = $1, name_key = $2 where id = $3")
                .bind(name)
                .bind(name.to_lowercase())
                .bind(team_id)
                .execute(&mut *tx)
                .await
                .map_err(name_taken)?;
        }
        if let Some(external_id) = change.external_id {
            sqlx::query("update teams set external_id = $1 where id = $2")
                .bind(external_id)
                .bind(team_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(members) = change.members {
            sqlx::query("delete from team_members where team_id = $1").bind(team_id).execute(&mut *tx).await?;
            for &user_id in members {
                add_member(&mut tx, organisation_id, team_id, user_id, now).await?;
            }
        }
        for &user_id in change.add {
            add_member(&mut tx, organisation_id, team_id, user_id, now).await?;
        }
        for &user_id in change.remove {
            sqlx::query("delete from team_members where team_id = $1 and user_id = $2")
                .bind(team_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        audit_team(&mut tx, organisation_id, "scim_group_updated", team_id, now).await?;
        let row = read_team(&mut tx, organisation_id, team_id).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Deletes a team (its members stay in the organisation). False when the id is not a
    /// team of the organisation.
    pub async fn delete_team(&self, organisation_id: i64, team_id: i64, now: i64) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("delete from teams where id = $1 and organisation_id = $2")
            .bind(team_id)
            .bind(organisation_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit_team(&mut tx, organisation_id, "scim_group_deleted", team_id, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Which team each member of the organisation is in, by member and team name.
    pub async fn member_teams(&self, organisation_id: i64) -> Result<Vec<MemberTeam>> {
        Ok(sqlx::query_as::<_, MemberTeam>(
            "select tm.user_id, t.name as team from teams t join team_members tm on tm.team_id = t.id
             where t.organisation_id = $1 order by tm.user_id, t.name",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The organisation's members whose account is deactivated.
    pub async fn deactivated_members(&self, organisation_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "select u.id from memberships m join users u on u.id = m.user_id
             where m.organisation_id = $1 and u.deactivated_at is not null order by u.id",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

async fn add_member(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    team_id: i64,
    user_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(ADD_MEMBER).bind(team_id).bind(user_id).bind(now).bind(organisation_id).execute(&mut **tx).await?;
    Ok(())
}

async fn read_team(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    team_id: i64,
) -> Result<Option<TeamRow>> {
    Ok(sqlx::query_as::<_, TeamRow>(&format!("{TEAM_COLUMNS} and id = $2"))
        .bind(organisation_id)
        .bind(team_id)
        .fetch_optional(&mut **tx)
        .await?)
}

async fn audit_team(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    action: &str,
    team_id: i64,
    now: i64,
) -> Result<()> {
    let detail = match action {
        "scim_group_created" => format!("équipe n° {team_id} créée par le fournisseur d’identité (SCIM)"),
        "scim_group_deleted" => format!("équipe n° {team_id} supprimée par le fournisseur d’identité (SCIM)"),
        _ => format!("équipe n° {team_id} modifiée par le fournisseur d’identité (SCIM)"),
    };
    let entry = AuditEntry {
        organisation_id: Some(organisation_id),
        actor_id: None,
        subject_user_id: None,
        action,
        detail: &detail,
    };
    append(tx, &entry, now).await
}
