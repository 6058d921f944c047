//! SCIM 2.0 provisioning: an organisation's bearer token (stored as its SHA-256), the
//! accounts its identity provider manages (every member of the organisation, with the
//! userName, externalId and names the provider sent), their deactivation, and the
//! organisation's teams (SCIM groups) with their members.
//!
//! Every read and write is scoped by the organisation: an id of another organisation's
//! member or team is `None`, as an unknown one. Each change and its audit entry are one
//! transaction; a deactivation deletes the account's login sessions in it.

use sqlx::FromRow;

use crate::audit::{AuditEntry, append};
use crate::{Result, Store, StoreError, lock_user};

/// A member of an organisation as SCIM shows it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ScimUserRow {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    /// The userName the provider sent; the e-mail for members it never named.
    pub user_name: String,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub deactivated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a create or a replace writes (PATCH is applied to the resource first, then written
/// as a replace). `email` is lowercase; `user_name` as sent.
#[derive(Debug, Clone)]
pub struct ScimUserWrite<'a> {
    pub user_name: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub external_id: Option<&'a str>,
    pub given_name: Option<&'a str>,
    pub family_name: Option<&'a str>,
    pub active: bool,
    /// A password the provider set (Argon2id hash); `None` keeps the one there.
    pub password_hash: Option<&'a str>,
}

/// How a write changed an account's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Unchanged,
    Deactivated,
    Reactivated,
}

/// A condition on the members listed.
#[derive(Debug, Clone)]
pub enum UserFilter {
    /// The userName, lowercase.
    UserName(String),
    ExternalId(String),
    /// The e-mail, lowercase.
    Email(String),
    Id(i64),
}

/// A condition on the teams listed.
#[derive(Debug, Clone)]
pub enum TeamFilter {
    /// The name, lowercase.
    DisplayName(String),
    ExternalId(String),
    Id(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub external_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A member of a team, with their name.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TeamMemberRow {
    pub user_id: i64,
    pub name: String,
}

/// What a team change writes: each part left `None` stays as it is.
#[derive(Debug, Clone, Default)]
pub struct TeamChange<'a> {
    pub name: Option<&'a str>,
    pub external_id: Option<Option<&'a str>>,
    /// The whole member list (PUT, or a PATCH that replaced it).
    pub members: Option<&'a [i64]>,
    pub add: &'a [i64],
    pub remove: &'a [i64],
}

/// A member of an organisation's account state and teams, for the team page.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MemberTeam {
    pub user_id: i64,
    pub team: String,
}

const USER_COLUMNS: &str = "select u.id as user_id, u.email, u.name, coalesce(su.user_name, u.email) as user_name,
        su.external_id, su.given_name, su.family_name, u.deactivated_at,
        coalesce(su.created_at, u.created_at) as created_at, coalesce(su.updated_at, u.created_at) as updated_at
     from memberships m join users u on u.id = m.user_id
     left join scim_users su on su.user_id = u.id and su.organisation_id = m.organisation_id
     where m.organisation_id = $1 and su.deleted_at is null";

/// A value bound to a filter's `$2`.
enum Bound {
    Text(String),
    Int(i64),
}

fn user_condition(filter: Option<&UserFilter>) -> (&'static str, Option<Bound>) {
    match filter {
        None => ("", None),
        Some(UserFilter::UserName(v)) => {
            (" and coalesce(su.user_name_key, u.email) = $2", Some(Bound::Text(v.clone())))
        }
        Some(UserFilter::ExternalId(v)) => (" and su.external_id = $2", Some(Bound::Text(v.clone()))),
        Some(UserFilter::Email(v)) => (" and u.email = $2", Some(Bound::Text(v.clone()))),
        Some(UserFilter::Id(id)) => (" and u.id = $2", Some(Bound::Int(*id))),
    }
}

/// The placeholders after a filter's: `$2`, `$3` when it binds one, else `$2`.
fn next_placeholders(bound: Option<&Bound>) -> (usize, usize) {
    if bound.is_some() { (3, 4) } else { (2, 3) }
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Store {
    // ---- the bearer token --------------------------------------------------------------

    /// Sets the organisation's SCIM token (its hash), replacing the one before; audited.
    pub async fn set_scim_token(&self, organisation_id: i64, token_hash: &str, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into scim_tokens (organisation_id, token_hash, created_at) values ($1, $2, $3)
             on conflict (organisation_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at",
        )
        .bind(organisation_id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry {
            organisation_id: Some(organisation_id),
            actor_id: None,
            subject_user_id: None,
            action: "scim_token",
            detail: "nouveau jeton SCIM (le précédent ne vaut plus)",
        };
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation a SCIM token (its hash) opens.
    pub async fn scim_token_organisation(&self, token_hash: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as("select organisation_id from scim_tokens where token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Whether an account exists and is not deactivated.
    pub async fn user_is_active(&self, user_id: i64) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as("select id from users where id = $1 and deactivated_at is null")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    // ---- users -------------------------------------------------------------------------

    /// The organisation's members that `filter` selects, by id: how many in all, and the
    /// page of `limit` after `offset`.
    pub async fn scim_users(
        &self,
        organisation_id: i64,
        filter: Option<&UserFilter>,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<ScimUserRow>)> {
        let (condition, bound) = user_condition(filter);
        let (limit_at, offset_at) = next_placeholders(bound.as_ref());
        let count_sql = format!(
            "select cast(count(*) as bigint) from memberships m join users u on u.id = m.user_id
             left join scim_users su on su.user_id = u.id and su.organisation_id = m.organisation_id
             where m.organisation_id = $1 and su.deleted_at is null{condition}"
        );
        let page_sql = format!("{USER_COLUMNS}{condition} order by u.id limit ${limit_at} offset ${offset_at}");
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(organisation_id);
        let mut page = sqlx::query_as::<_, ScimUserRow>(&page_sql).bind(organisation_id);
        match bound {
            Some(Bound::Text(v)) => {
                count = count.bind(v.clone());
                page = page.bind(v);
            }
            Some(Bound::Int(v)) => {
                count = count.bind(v);
                page = page.bind(v);
            }
            None => {}
        }
        let (total,) = count.fetch_one(&self.pool).await?;
        let rows = page.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        Ok((total, rows))
    }

    /// One member of the organisation; `None` for anybody else.
    pub async fn scim_user(&self, organisation_id: i64, user_id: i64) -> Result<Option<ScimUserRow>> {
        Ok(sqlx::query_as::<_, ScimUserRow>(&format!("{USER_COLUMNS} and u.id = $2"))
            .bind(organisation_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Creates an account for the provider, a learner of the organisation on the Enterprise
    /// plan; or takes over the account of a member of the organisation with that e-mail that
    /// the provider does not manage yet (an account added by hand before SCIM was set up, or
    /// deleted by the provider before). `Conflict` when the userName or the e-mail is taken
    /// by anybody else; nothing is written then.
    pub async fn create_scim_user(
        &self,
        organisation_id: i64,
        user: &ScimUserWrite<'_>,
        unusable_password_hash: &str,
        now: i64,
    ) -> Result<ScimUserRow> {
        let mut tx = self.pool.begin().await?;
        let existing: Option<(i64,)> =
            sqlx::query_as("select id from users where email = $1").bind(user.email).fetch_optional(&mut *tx).await?;
        let deactivated_at = (!user.active).then_some(now);
        let user_id = match existing {
            Some((id,)) => {
                let ours: Option<(Option<i64>,)> = sqlx::query_as(
                    "select su.deleted_at from memberships m
                     left join scim_users su on su.user_id = m.user_id and su.organisation_id = m.organisation_id
                     where m.user_id = $1 and m.organisation_id = $2 and (su.user_id is null or su.deleted_at is not null)",
                )
                .bind(id)
                .bind(organisation_id)
                .fetch_optional(&mut *tx)
                .await?;
                if ours.is_none() {
                    return Err(StoreError::Conflict("userName or e-mail already in use"));
                }
                sqlx::query("update users set name = $1, deactivated_at = $2 where id = $3")
                    .bind(user.name)
                    .bind(deactivated_at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("delete from scim_users where user_id = $1").bind(id).execute(&mut *tx).await?;
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "insert into users (email, name, password_hash, plan, trial_ends_at, created_at, last_login_at, deactivated_at)
                     values ($1, $2, $3, 'enterprise', null, $4, $4, $5) returning id",
                )
                .bind(user.email)
                .bind(user.name)
                .bind(user.password_hash.unwrap_or(unusable_password_hash))
                .bind(now)
                .bind(deactivated_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    if unique_violation(&e) { StoreError::Conflict("userName or e-mail already in use") } else { e.into() }
                })?;
                sqlx::query(
                    "insert into memberships (user_id, organisation_id, role, created_at) values ($1, $2, 'learner', $3)",
                )
                .bind(id)
                .bind(organisation_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        if let (Some(hash), Some(_)) = (user.password_hash, existing) {
            sqlx::query("update users set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "insert into scim_users (user_id, organisation_id, user_name, user_name_key, external_id, given_name,
               family_name, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(user.user_name)
        .bind(user.user_name.to_lowercase())
        .bind(user.external_id)
        .bind(user.given_name)
        .bind(user.family_name)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| if unique_violation(&e) { StoreError::Conflict("userName already in use") } else { e.into() })?;
        if !user.active {
            sqlx::query("delete from auth_sessions where user_id = $1").bind(user_id).execute(&mut *tx).await?;
        }
        let detail = if existing.is_some() {
            "compte existant rattaché au fournisseur d’identité (SCIM)"
        } else {
            "compte créé par le fournisseur d’identité (SCIM)"
        };
        audit_user(&mut tx, organisation_id, user_id, "scim_user_created", detail, now).await?;
        let row = read_user(&mut tx, organisation_id, user_id)
            .await?
            .ok_or_else(|| StoreError::NotWritten("the account is not readable".into()))?;
        tx.commit().await?;
        Ok(row)
    }

    /// Replaces what the provider manages of a member (PUT, or PATCH once applied). A
    /// deactivation deletes their login sessions in the same transaction. `None` when the id
    /// is not a member of the organisation; `Conflict` when the userName or the e-mail is
    /// another's.
    pub async fn replace_scim_user(
        &self,
        organisation_id: i64,
        user_id: i64,
        user: &ScimUserWrite<'_>,
        now: i64,
    ) -> Result<Option<(ScimUserRow, Activation)>> {
        let mut tx = self.pool.begin().await?;
        lock_user(&mut tx, user_id).await?;
        let Some(before) = read_user(&mut tx, organisation_id, user_id).await? else { return Ok(None) };
        let activation = match (before.deactivated_at.is_none(), user.active) {
            (true, false) => Activation::Deactivated,
            (false, true) => Activation::Reactivated,
            _ => Activation::Unchanged,
        };
        let deactivated_at = if user.active { None } else { Some(before.deactivated_at.unwrap_or(now)) };
        sqlx::query("update users set email = $1, name = $2, deactivated_at = $3 where id = $4")
            .bind(user.email)
            .bind(user.name)
            .bind(deactivated_at)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| if unique_violation(&e) { StoreError::Conflict("e-mail already in use") } else { e.into() })?;
        if let Some(hash) = user.password_hash {
            sqlx::query("update users set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "insert into scim_users (user_id, organisation_id, user_name, user_name_key, external_id, given_name,
               family_name, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $8)
             on conflict (user_id) do update set organisation_id = excluded.organisation_id,
               user_name = excluded.user_name, user_name_key = excluded.user_name_key,
               external_id = excluded.external_id, given_name = excluded.given_name,
               family_name = excluded.family_name, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(user.user_name)
        .bind(user.user_name.to_lowercase())
        .bind(user.external_id)
        .bind(user.given_name)
        .bind(user.family_name)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| if unique_violation(&e) { StoreError::Conflict("userName already in use") } else { e.into() })?;
        let (action, detail) = match activation {
            Activation::Deactivated => {
                sqlx::query("delete from auth_sessions where user_id = $1").bind(user_id).execute(&mut *tx).await?;
                ("scim_user_deactivated", "compte désactivé par le fournisseur d’identité : sessions fermées")
            }
            Activation::Reactivated => ("scim_user_reactivated", "compte réactivé par le fournisseur d’identité"),
            Activation::Unchanged => ("scim_user_updated", "compte mis à jour par le fournisseur d’identité"),
        };
        audit_user(&mut tx, organisation_id, user_id, action, detail, now).await?;
        let row = read_user(&mut tx, organisation_id, user_id)
            .await?
            .ok_or_else(|| StoreError::NotWritten("the account is not readable".into()))?;
        tx.commit().await?;
        Ok(Some((row, activation)))
    }

    /// Deletes a member for the provider: the account is deactivated (its sessions deleted),
    /// leaves the organisation's teams and is no longer a SCIM resource; the organisation
    /// keeps its history. False when the id is not a member of the organisation.
    pub async fn delete_scim_user(&self, organisation_id: i64, user_id: i64, now: i64) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        lock_user(&mut tx, user_id).await?;
        let Some(before) = read_user(&mut tx, organisation_id, user_id).await? else { return Ok(false) };
        sqlx::query("update users set deactivated_at = coalesce(deactivated_at, $1) where id = $2")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("delete from auth_sessions where user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query(
            "delete from team_members where user_id = $1 and team_id in (select id from teams where organisation_id = $2)",
        )
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into scim_users (user_id, organisation_id, user_name, user_name_key, created_at, updated_at, deleted_at)
             values ($1, $2, $3, $4, $5, $5, $5)
             on conflict (user_id) do update set deleted_at = excluded.deleted_at, updated_at = excluded.updated_at,
               user_name_key = excluded.user_name_key",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(&before.user_name)
        // Never in the way of a new userName: a deleted entry keeps a key nobody sends.
        .bind(format!("deleted:{user_id}"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = "compte supprimé par le fournisseur d’identité : désactivé, sessions fermées";
        audit_user(&mut tx, organisation_id, user_id, "scim_user_deleted", detail, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Of `ids`, those that are members of the organisation the provider manages (not
    /// deleted).
    pub async fn scim_member_ids(&self, organisation_id: i64, ids: &[i64]) -> Result<Vec<i64>> {
        let mut found = Vec::with_capacity(ids.len());
        // A few hundred at a time: far below either database's limit on parameters.
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
            let sql = format!(
                "select m.user_id from memberships m
                 left join scim_users su on su.user_id = m.user_id and su.organisation_id = m.organisation_id
                 where m.organisation_id = $1 and su.deleted_at is null and m.user_id in ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(organisation_id);
            for &id in chunk {
                query = query.bind(id);
            }
            found.extend(query.fetch_all(&self.pool).await?.into_iter().map(|(id,)| id));
        }
        Ok(found)
    }
}

async fn read_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    user_id: i64,
) -> Result<Option<ScimUserRow>> {
    Ok(sqlx::query_as::<_, ScimUserRow>(&format!("{USER_COLUMNS} and u.id = $2"))
        .bind(organisation_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?)
}

async fn audit_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    user_id: i64,
    action: &str,
    detail: &str,
    now: i64,
) -> Result<()> {
    let entry = AuditEntry {
        organisation_id: Some(organisation_id),
        actor_id: None,
        subject_user_id: Some(user_id),
        action,
        detail,
    };
    append(tx, &entry, now).await
}
