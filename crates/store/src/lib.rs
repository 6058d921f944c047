//! Réplique's storage: one concrete `Store` over SQLite (the default, a file under
//! `./data/`) or PostgreSQL, chosen by the scheme of the database URL.
//!
//! The SQL is written once, in lowercase portable SQL with `$n` placeholders, and runs on
//! both backends through sqlx's `Any` driver; only the migrations differ per backend
//! (`migrations/sqlite`, `migrations/postgres`). Timestamps are Unix seconds, JSON
//! documents are text. Every write that must be atomic is one transaction.
//!
//! Durability: an acknowledged write survives a crash of the process or of the machine.
//! PostgreSQL commits durably by default; SQLite runs in WAL mode with `synchronous = full`
//! (every commit reaches the disk before it returns), and turns, the write of every
//! exchange, go through a single writer that commits those waiting together (`writer`):
//! one `fsync` for many.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Executor};

mod audit;
mod certificates;
mod enterprise;
mod limits;
mod privacy;
mod products;
mod programmes;
mod retention;
mod rows;
mod scim;
mod scorm;
mod sso;
mod statements;
mod teams;
mod training;
mod usage;
mod writer;
mod xapi;

pub use audit::{AuditEntry, AuditRow, TallyRow};
pub use certificates::CertificateRow;
pub use enterprise::{
    AnswerUpdate, ChampionAnswer, ChampionRow, ChampionSessionRow, DemoRequest, GeneratedScenario, Membership,
    NewChampion,
};
pub use privacy::{Erasure, UserAnswerRow, UserMessageRow, UserReportRow};
pub use products::ProductRow;
pub use programmes::{AssignmentRow, NewProgramme, NewProgrammeItem, ProgrammeItemRow, ProgrammeRow, TeamResultRow};
pub use retention::{RetentionDays, RetentionOutcome, RetentionPurge};
pub use rows::{
    MessageRow, NewMessage, NewTrainingSession, NewUser, SessionSummary, TrainingSessionRow, TurnUpdate, User,
};
pub use scim::{
    Activation, MemberTeam, ScimUserRow, ScimUserWrite, TeamChange, TeamFilter, TeamMemberRow, TeamRow, UserFilter,
};
pub use scorm::ScormAttempt;
pub use sso::{NO_PASSWORD, NewOidcConfig, OidcConfig, OidcLogin, OidcSubject, SsoAccount};
pub use usage::{LlmReservation, UsageTotals};
pub use xapi::{LrsRow, OutboxCounts, OutboxRow};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule or a concurrent update stopped the write; nothing was written.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    /// The transaction a write was part of could not be committed: nothing of it was written.
    #[error("not written: {0}")]
    NotWritten(String),
    /// The SQLite turn writer could not be started (its thread or its runtime).
    #[error("cannot start the turn writer: {0}")]
    WriterStart(String),
    /// Rows refer to rows that do not exist after migrating (nothing should).
    #[error("after migrating, {0} rows break a foreign key")]
    ForeignKeys(usize),
    /// The store was closed.
    #[error("the store is closed")]
    Closed,
    /// The account is deactivated (by its organisation's provider): no login session opens.
    #[error("the account is deactivated")]
    Deactivated,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite's single writer of turns (group commit); `None` on PostgreSQL.
    writer: Option<writer::Writer>,
}

impl Store {
    /// Connects to `url`, creating the SQLite file (and its directory) when needed. Does
    /// not migrate: call `migrate`.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| StoreError::UnsupportedUrl(redact(url)))?;
        let mut url = url.to_owned();
        if backend == Backend::Sqlite {
            let dir = sqlite_path(&url).and_then(|p| Path::new(p).parent().map(Path::to_path_buf));
            if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(&dir)
                    .map_err(|source| StoreError::Directory { path: dir.display().to_string(), source })?;
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // A local SQLite file cannot drop a connection: no ping before each use (a round
            // trip to the connection's thread on every query).
            .test_before_acquire(backend != Backend::Sqlite)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlite_pragmas(conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await?;
        // An in-memory database is one per connection: a writer of its own would not share it.
        let writer = match backend {
            Backend::Sqlite if sqlite_path(&url).is_some() => Some(writer::Writer::start(&options).await?),
            Backend::Sqlite | Backend::Postgres => None,
        };
        Ok(Store { pool, backend, writer })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            // Foreign keys off while migrating, SQLite's documented way to rebuild a table
            // (0013) without its `on delete cascade` emptying the tables that refer to it;
            // checked once done, and back on before the connection returns to the pool.
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                conn.execute("pragma foreign_keys = off").await?;
                let migrated = sqlx::migrate!("./migrations/sqlite").run(&mut *conn).await;
                let broken = sqlx::query("pragma foreign_key_check").fetch_all(&mut *conn).await.map(|rows| rows.len());
                if let Err(e) = conn.execute("pragma foreign_keys = on").await {
                    conn.close().await?;
                    return Err(e.into());
                }
                migrated?;
                match broken? {
                    0 => {}
                    rows => return Err(StoreError::ForeignKeys(rows)),
                }
            }
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The pool's connections: open, and of those idle (the SQLite writer's own connection
    /// is not in the pool).
    pub fn pool_usage(&self) -> (u32, u32) {
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        (self.pool.size(), idle)
    }

    /// Closes the store; the turns already handed to the writer are written first.
    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }

    // ---- users -------------------------------------------------------------------------

    pub async fn create_user(&self, user: &NewUser<'_>) -> Result<User> {
        let inserted = sqlx::query_as::<_, User>(
            "insert into users (email, name, password_hash, plan, trial_ends_at, created_at)
             values ($1, $2, $3, $4, $5, $6)
             returning id, email, name, password_hash, plan, trial_ends_at, created_at",
        )
        .bind(user.email)
        .bind(user.name)
        .bind(user.password_hash)
        .bind(user.plan)
        .bind(user.trial_ends_at)
        .bind(user.created_at)
        .fetch_one(&self.pool)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Conflict("email already registered"))
            }
            other => Ok(other?),
        }
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(sqlx::query_as::<_, User>(
            "select id, email, name, password_hash, plan, trial_ends_at, created_at from users where email = $1",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        Ok(sqlx::query_as::<_, User>(
            "select id, email, name, password_hash, plan, trial_ends_at, created_at from users order by id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets a user's plan; returns false when no user has that email.
    pub async fn set_plan(&self, email: &str, plan: &str, trial_ends_at: Option<i64>) -> Result<bool> {
        let done = sqlx::query("update users set plan = $1, trial_ends_at = $2 where email = $3")
            .bind(plan)
            .bind(trial_ends_at)
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    // ---- login sessions ----------------------------------------------------------------

    /// Opens a login session and records the login (what keeps an account active for the
    /// retention of inactive accounts). Every way in (password, single sign-on) goes
    /// through here: a deactivated account gets `Deactivated` and no session. The account's
    /// row is locked first, so a deactivation running at the same time either sees this
    /// session (and deletes it) or is seen by it.
    pub async fn create_login(&self, token_hash: &str, user_id: i64, now: i64, expires_at: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        lock_user(&mut tx, user_id).await?;
        let opened = sqlx::query(
            "insert into auth_sessions (token_hash, user_id, created_at, expires_at)
             select $1, id, $3, $4 from users where id = $2 and deactivated_at is null",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        if opened.rows_affected() == 0 {
            return Err(StoreError::Deactivated);
        }
        sqlx::query("update users set last_login_at = $1 where id = $2")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user behind a live login session (never a deactivated account's).
    pub async fn user_for_login(&self, token_hash: &str, now: i64) -> Result<Option<User>> {
        Ok(sqlx::query_as::<_, User>(
            "select u.id, u.email, u.name, u.password_hash, u.plan, u.trial_ends_at, u.created_at
             from auth_sessions s join users u on u.id = s.user_id
             where s.token_hash = $1 and s.expires_at > $2 and u.deactivated_at is null",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn delete_login(&self, token_hash: &str) -> Result<()> {
        sqlx::query("delete from auth_sessions where token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Removes expired login sessions; returns how many.
    pub async fn purge_expired_logins(&self, now: i64) -> Result<u64> {
        let done =
            sqlx::query("delete from auth_sessions where expires_at <= $1").bind(now).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}

/// Every SQLite connection's settings. WAL lets readers work while a turn is written; the
/// busy timeout makes concurrent writers wait instead of failing; `synchronous = full`
/// makes each commit reach the disk before it returns, so that an acknowledged write
/// survives a power loss or an OS crash (`normal` in WAL mode may lose the last ones).
async fn sqlite_pragmas(conn: &mut AnyConnection) -> std::result::Result<(), sqlx::Error> {
    conn.execute("pragma journal_mode = wal").await?;
    conn.execute("pragma busy_timeout = 5000").await?;
    conn.execute("pragma foreign_keys = on").await?;
    conn.execute("pragma synchronous = full").await?;
    Ok(())
}

/// Locks a user's row until the transaction ends (a no-op update: SQLite already has one
/// writer at a time; PostgreSQL takes the row lock), so that checks and writes made for
/// that user in the transaction see every earlier one.
pub(crate) async fn lock_user(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: i64) -> Result<()> {
    sqlx::query("update users set id = id where id = $1").bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

/// The file path of a `sqlite:` URL, if it names a file.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// A URL with its password hidden, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://***@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::from_url("sqlite://data/x.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("mysql://h/db"), None);
    }

    #[tokio::test]
    async fn sqlite_commits_reach_the_disk_before_they_return() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&format!("sqlite://{}/durable.db", dir.path().display())).await.expect("open");
        let (mode,): (String,) = sqlx::query_as("pragma journal_mode").fetch_one(&store.pool).await.expect("mode");
        let (synchronous,): (i64,) =
            sqlx::query_as("pragma synchronous").fetch_one(&store.pool).await.expect("synchronous");
        assert_eq!((mode.as_str(), synchronous), ("wal", 2), "WAL with synchronous = FULL (2)");
        store.close().await;
    }

    #[tokio::test]
    async fn sessions_started_before_the_scenarios_moved_to_their_own_table_keep_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::connect(&format!("sqlite://{}/old.db", dir.path().display())).await.expect("connect");
        let mut before = sqlx::migrate!("./migrations/sqlite");
        before.migrations = before.migrations.iter().filter(|m| m.version < 10).cloned().collect();
        before.run(&store.pool).await.expect("the schema before");
        sqlx::query("insert into users (id, email, name, password_hash, plan, created_at) values (1, 'a@b.fr', 'A', 'x', 'premium', 0)")
            .execute(&store.pool)
            .await
            .expect("user");
        sqlx::query(
            "insert into training_sessions (id, user_id, skill_slug, sector_slug, level, template_id, seed, status,
               starting_gauge, gauge, mood, exchanges, scenario_json, state_json, created_at, updated_at)
             values (7, 1, 'ecoute_active', 'generic', 'easy', 't', 1, 'active', 50, 50, 'neutral', 0, '{\"old\":1}', '{}', 0, 0)",
        )
        .execute(&store.pool)
        .await
        .expect("session");
        store.migrate().await.expect("migrate");
        assert_eq!(store.training_session_scenario(7).await.expect("scenario").as_deref(), Some("{\"old\":1}"));
        let row = store.training_session(7, 1).await.expect("read").expect("row");
        assert_eq!((row.exchanges, row.state_json.as_str()), (0, "{}"));
        store.close().await;
    }

    #[tokio::test]
    async fn programmes_keep_their_items_and_assignments_when_their_author_becomes_optional() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::connect(&format!("sqlite://{}/old.db", dir.path().display())).await.expect("connect");
        let mut before = sqlx::migrate!("./migrations/sqlite");
        before.migrations = before.migrations.iter().filter(|m| m.version < 13).cloned().collect();
        before.run(&store.pool).await.expect("the schema before");
        for sql in [
            "insert into users (id, email, name, password_hash, plan, created_at) values (1, 'm@b.fr', 'M', 'x', 'enterprise', 0)",
            "insert into users (id, email, name, password_hash, plan, created_at) values (2, 'l@b.fr', 'L', 'x', 'enterprise', 0)",
            "insert into organisations (id, name, created_at) values (1, 'Delta', 0)",
            "insert into programmes (id, organisation_id, created_by, name, created_at) values (5, 1, 1, 'P', 0)",
            "insert into programme_items (programme_id, item_index, skill_slug, level, pass_mark, due, max_attempts)
             values (5, 0, 'ecoute_active', 'easy', 50, '2099-01-01', 2)",
            "insert into assignments (id, programme_id, item_index, user_id, attempts, created_at) values (9, 5, 0, 2, 1, 0)",
        ] {
            sqlx::query(sql).execute(&store.pool).await.expect("row");
        }
        store.migrate().await.expect("migrate");
        let count = |table: &'static str| {
            let pool = store.pool.clone();
            async move {
                let (n,): (i64,) =
                    sqlx::query_as(&format!("select count(*) from {table}")).fetch_one(&pool).await.expect("count");
                n
            }
        };
        assert_eq!((count("programme_items").await, count("assignments").await), (1, 1), "nothing cascaded");
        let (on,): (i64,) = sqlx::query_as("pragma foreign_keys").fetch_one(&store.pool).await.expect("pragma");
        assert_eq!(on, 1, "foreign keys are back on");
        sqlx::query("delete from users where id = 1").execute(&store.pool).await.expect("erase the author");
        let programmes = store.programmes(1).await.expect("programmes");
        assert_eq!((programmes.len(), programmes[0].created_by), (1, None));
        assert_eq!(count("assignments").await, 1, "the learner's progress stays");
        store.close().await;
    }

    #[test]
    fn sqlite_paths_and_redaction() {
        assert_eq!(sqlite_path("sqlite://data/replique.db?mode=rwc"), Some("data/replique.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(redact("postgres://user:secret@host/db"), "postgres://***@host/db");
    }
}
