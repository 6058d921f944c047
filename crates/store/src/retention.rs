//! Retention: each organisation's periods (or the defaults), and the run that deletes what
//! is older, one instance at a time. The run is one transaction: it deletes all that it
//! reports, or nothing. One runner at a time: on PostgreSQL a transaction-scoped advisory
//! lock; on SQLite a lease row (`job_leases`), taken before and given back after.
//!
//! What goes, per organisation (members of none follow the defaults):
//! - past `recordings_days`: the transcripts (messages) of ended training sessions, sessions
//!   left active, champion training sessions with their answers, and the recordings and
//!   transcripts of champion calls (the file and the turns; the analysis stays);
//! - past `analyses_days`: training sessions with their reports (counted first in the
//!   organisation's anonymised tallies) and champion calls with their analysis;
//! - past `inactive_days` without a login or a session: the account, erased.

use sqlx::FromRow;

use crate::audit::{self, AuditEntry};
use crate::{Backend, Result, Store};

const DAY: i64 = 86_400;
/// The advisory lock key of the retention job on PostgreSQL (any constant of this app's own).
const ADVISORY_KEY: i64 = 0x5245_5445_4e54; // "RETENT"
/// How long a SQLite lease holds if its holder dies mid-run.
const LEASE_SECONDS: i64 = 15 * 60;

/// Retention periods, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct RetentionDays {
    pub recordings_days: i64,
    pub analyses_days: i64,
    pub inactive_days: i64,
}

/// What a run deleted for one organisation (`None`: accounts in no organisation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionPurge {
    pub organisation_id: Option<i64>,
    pub organisation: Option<String>,
    /// Messages of ended training sessions.
    pub transcripts: u64,
    /// Training sessions left active past the recordings' period.
    pub abandoned_sessions: u64,
    pub champion_trainings: u64,
    /// Champion calls whose recording and transcript were removed.
    pub recordings: u64,
    /// Training sessions deleted with their reports.
    pub sessions: u64,
    pub reports: u64,
    /// Champion calls deleted with their analysis.
    pub champions: u64,
    pub accounts: u64,
}

impl RetentionPurge {
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    fn total(&self) -> u64 {
        self.transcripts
            + self.abandoned_sessions
            + self.champion_trainings
            + self.recordings
            + self.sessions
            + self.reports
            + self.champions
            + self.accounts
    }

    /// In the words of the audit log and the command line.
    pub fn detail(&self) -> String {
        format!(
            "{} message(s) de transcription, {} session(s) abandonnée(s), {} entraînement(s) Champion, \
             {} enregistrement(s) d’appel, {} session(s) et {} rapport(s), {} appel(s) Champion analysé(s), \
             {} compte(s) inactif(s)",
            self.transcripts,
            self.abandoned_sessions,
            self.champion_trainings,
            self.recordings,
            self.sessions,
            self.reports,
            self.champions,
            self.accounts
        )
    }
}

/// An organisation and the periods it set (null: the defaults).
type OrganisationPeriods = (i64, String, Option<i64>, Option<i64>, Option<i64>);

/// A whole run: per organisation, and the uploaded files to remove now that it committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionOutcome {
    pub purges: Vec<RetentionPurge>,
    pub files: Vec<String>,
}

impl Store {
    /// Sets an organisation's retention periods.
    pub async fn set_retention(&self, organisation_id: i64, days: RetentionDays, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into organisation_retention (organisation_id, recordings_days, analyses_days, inactive_days, updated_at)
             values ($1, $2, $3, $4, $5)
             on conflict (organisation_id) do update set recordings_days = excluded.recordings_days,
                analyses_days = excluded.analyses_days, inactive_days = excluded.inactive_days,
                updated_at = excluded.updated_at",
        )
        .bind(organisation_id)
        .bind(days.recordings_days)
        .bind(days.analyses_days)
        .bind(days.inactive_days)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = format!(
            "conservation : enregistrements {} j, analyses {} j, comptes inactifs {} j",
            days.recordings_days, days.analyses_days, days.inactive_days
        );
        let entry = AuditEntry {
            organisation_id: Some(organisation_id),
            actor_id: None,
            subject_user_id: None,
            action: "retention_settings",
            detail: &detail,
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An organisation's retention periods, if it set them.
    pub async fn retention(&self, organisation_id: i64) -> Result<Option<RetentionDays>> {
        Ok(sqlx::query_as::<_, RetentionDays>(
            "select recordings_days, analyses_days, inactive_days from organisation_retention where organisation_id = $1",
        )
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Applies the retention periods now. `None` when another instance is running it.
    /// `holder` names this runner (for the SQLite lease).
    pub async fn run_retention(
        &self,
        defaults: RetentionDays,
        holder: &str,
        now: i64,
    ) -> Result<Option<RetentionOutcome>> {
        if self.backend == Backend::Sqlite && !self.take_lease(holder, now).await? {
            return Ok(None);
        }
        let outcome = self.retention_transaction(defaults, holder, now).await;
        if self.backend == Backend::Sqlite {
            sqlx::query("update job_leases set expires_at = 0 where name = 'retention' and holder = $1")
                .bind(holder)
                .execute(&self.pool)
                .await?;
        }
        outcome
    }

    async fn take_lease(&self, holder: &str, now: i64) -> Result<bool> {
        let taken = sqlx::query(
            "insert into job_leases (name, holder, expires_at) values ('retention', $1, $2)
             on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
             where job_leases.expires_at <= $3",
        )
        .bind(holder)
        .bind(now + LEASE_SECONDS)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    async fn retention_transaction(
        &self,
        defaults: RetentionDays,
        holder: &str,
        now: i64,
    ) -> Result<Option<RetentionOutcome>> {
        let mut tx = self.pool.begin().await?;
        let ours = match self.backend {
            Backend::Postgres => {
                let (locked,): (bool,) = sqlx::query_as("select pg_try_advisory_xact_lock($1)")
                    .bind(ADVISORY_KEY)
                    .fetch_one(&mut *tx)
                    .await?;
                locked
            }
            // A lease that ran out was maybe taken by another: hold it still, or stop.
            Backend::Sqlite => {
                let row: Option<(String,)> = sqlx::query_as("select holder from job_leases where name = 'retention'")
                    .fetch_optional(&mut *tx)
                    .await?;
                row.is_some_and(|(h,)| h == holder)
            }
        };
        if !ours {
            return Ok(None);
        }
        let groups: Vec<OrganisationPeriods> = sqlx::query_as(
            "select o.id, o.name, r.recordings_days, r.analyses_days, r.inactive_days
             from organisations o left join organisation_retention r on r.organisation_id = o.id order by o.id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut outcome = RetentionOutcome::default();
        for (id, name, recordings, analyses, inactive) in groups {
            let days = RetentionDays {
                recordings_days: recordings.unwrap_or(defaults.recordings_days),
                analyses_days: analyses.unwrap_or(defaults.analyses_days),
                inactive_days: inactive.unwrap_or(defaults.inactive_days),
            };
            let mut purge = purge_group(&mut tx, Some(id), days, now, &mut outcome.files).await?;
            purge.organisation = Some(name);
            if !purge.is_empty() {
                let detail = purge.detail();
                let entry = AuditEntry {
                    organisation_id: Some(id),
                    actor_id: None,
                    subject_user_id: None,
                    action: "retention",
                    detail: &detail,
                };
                audit::append(&mut tx, &entry, now).await?;
            }
            outcome.purges.push(purge);
        }
        let unaffiliated = purge_group(&mut tx, None, defaults, now, &mut outcome.files).await?;
        if !unaffiliated.is_empty() {
            let detail = unaffiliated.detail();
            let entry = AuditEntry {
                organisation_id: None,
                actor_id: None,
                subject_user_id: None,
                action: "retention",
                detail: &detail,
            };
            audit::append(&mut tx, &entry, now).await?;
        }
        outcome.purges.push(unaffiliated);
        tx.commit().await?;
        Ok(Some(outcome))
    }
}

/// One organisation's purge (`None`: the accounts in no organisation), in the run's
/// transaction; the files to remove are added to `files`.
async fn purge_group(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: Option<i64>,
    days: RetentionDays,
    now: i64,
    files: &mut Vec<String>,
) -> Result<RetentionPurge> {
    let recordings_cut = now - days.recordings_days * DAY;
    let analyses_cut = now - days.analyses_days * DAY;
    let inactive_cut = now - days.inactive_days * DAY;
    // `$1` is the organisation (or -1, which no organisation has, for those in none).
    let org = organisation_id.unwrap_or(-1);
    let members = if organisation_id.is_some() {
        "in (select user_id from memberships where organisation_id = $1)"
    } else {
        "not in (select user_id from memberships where organisation_id <> $1)"
    };
    let mut purge = RetentionPurge { organisation_id, ..RetentionPurge::default() };

    let sql = format!(
        "delete from messages where session_id in (select id from training_sessions
           where status = 'ended' and created_at < $2 and user_id {members})"
    );
    purge.transcripts = exec(tx, &sql, org, recordings_cut, None).await?;
    if let Some(org) = organisation_id {
        let filter = format!("s.status = 'active' and s.created_at < $2 and s.user_id {members}");
        audit::tally(tx, org, &filter, recordings_cut).await?;
    }
    let sql =
        format!("delete from training_sessions where status = 'active' and created_at < $2 and user_id {members}");
    purge.abandoned_sessions = exec(tx, &sql, org, recordings_cut, None).await?;
    if let Some(org) = organisation_id {
        let filter = format!("s.created_at < $2 and s.user_id {members}");
        audit::tally(tx, org, &filter, analyses_cut).await?;
    }
    let (reports,): (i64,) = sqlx::query_as(&format!(
        "select cast(count(*) as bigint) from reports r join training_sessions s on s.id = r.session_id
         where s.created_at < $2 and s.user_id {members}"
    ))
    .bind(org)
    .bind(analyses_cut)
    .fetch_one(&mut **tx)
    .await?;
    purge.reports = u64::try_from(reports).unwrap_or(0);
    let sql = format!("delete from training_sessions where created_at < $2 and user_id {members}");
    purge.sessions = exec(tx, &sql, org, analyses_cut, None).await?;

    if organisation_id.is_some() {
        let sql = "delete from champion_sessions where organisation_id = $1 and created_at < $2";
        purge.champion_trainings = exec(tx, sql, org, recordings_cut, None).await?;
        // The recording and the transcript go; the call stays (deleted from the library)
        // with its analysis until the analyses' period.
        let recorded: Vec<(String,)> = sqlx::query_as(
            "select stored_name from champions where organisation_id = $1 and created_at < $2 and stored_name <> ''",
        )
        .bind(org)
        .bind(recordings_cut)
        .fetch_all(&mut **tx)
        .await?;
        let sql = "update champions set turns_json = '[]', stored_name = '', deleted_at = coalesce(deleted_at, $3)
             where organisation_id = $1 and created_at < $2 and stored_name <> ''";
        purge.recordings = exec(tx, sql, org, recordings_cut, Some(now)).await?;
        files.extend(recorded.into_iter().map(|(name,)| name));
        let analysed: Vec<(String,)> = sqlx::query_as(
            "select stored_name from champions where organisation_id = $1 and created_at < $2 and stored_name <> ''",
        )
        .bind(org)
        .bind(analyses_cut)
        .fetch_all(&mut **tx)
        .await?;
        files.extend(analysed.into_iter().map(|(name,)| name));
        let sql = "delete from champions where organisation_id = $1 and created_at < $2";
        purge.champions = exec(tx, sql, org, analyses_cut, None).await?;
    }

    let inactive: Vec<(i64,)> = sqlx::query_as(&format!(
        "select u.id from users u where coalesce(u.last_login_at, u.created_at) < $2 and u.id {members}
           and not exists (select 1 from training_sessions s where s.user_id = u.id and s.updated_at >= $2)
         order by u.id"
    ))
    .bind(org)
    .bind(inactive_cut)
    .fetch_all(&mut **tx)
    .await?;
    for (user_id,) in inactive {
        if let Some(erased) = crate::privacy::erase_in(tx, user_id, None, "account_expired", now).await? {
            purge.accounts += 1;
            files.extend(erased.files);
        }
    }
    Ok(purge)
}

/// Runs `sql` with `$1` the organisation, `$2` the cut-off and `$3` when given; the rows it
/// changed.
async fn exec(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    sql: &str,
    org: i64,
    cut: i64,
    third: Option<i64>,
) -> Result<u64> {
    let mut query = sqlx::query(sql).bind(org).bind(cut);
    if let Some(value) = third {
        query = query.bind(value);
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
}
