//! Group commit for SQLite: one task, over one connection of its own, writes the turns that
//! are waiting, all of them in one transaction, so that one `fsync` (`synchronous = full`)
//! makes a whole batch durable instead of one turn each.
//!
//! A turn is acknowledged (its `record_turn` returns) only once the transaction that holds
//! it is committed. Each turn runs inside its own savepoint: a turn refused (its session
//! ended or moved on) or failing leaves the others of its batch untouched. There is no
//! waiting for company: a batch is whatever queued while the previous one was being
//! committed, so a lone turn is written at once.
//!
//! PostgreSQL does not use this: its own commits are durable, and it batches concurrent
//! commits' WAL flushes itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Executor};
use tokio::sync::{mpsc, oneshot};

use crate::rows::{NewMessage, TurnUpdate};
use crate::{Result, StoreError};

/// Most turns in one transaction: past that, the next batch takes the rest.
const MAX_BATCH: usize = 256;

/// Turns waiting for the writer; past that, `record_turn` waits for room.
const QUEUE: usize = 1024;

/// The handle the store keeps: where turns are sent to be written.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Request>,
    /// Transactions committed so far (each holds a batch of turns).
    batches: Arc<AtomicU64>,
}

enum Request {
    Turn(Box<TurnJob>, oneshot::Sender<Result<()>>),
    /// Finish what is queued, close the connection, then answer.
    Close(oneshot::Sender<()>),
}

/// A turn to write, owned (it crosses to the writer's task).
pub(crate) struct TurnJob {
    pub session_id: i64,
    pub user_id: i64,
    pub exchanges_before: i64,
    pub gauge: i64,
    pub mood: String,
    pub state_json: String,
    pub ended: bool,
    pub end_type: Option<String>,
    pub now: i64,
    pub learner: MessageJob,
    pub prospect: MessageJob,
}

pub(crate) struct MessageJob {
    pub seq: i64,
    pub role: String,
    pub content: String,
    pub gauge_after: i64,
    pub patterns_json: String,
    pub created_at: i64,
    pub voice_json: Option<String>,
}

impl TurnJob {
    pub fn new(update: &TurnUpdate<'_>, learner: &NewMessage<'_>, prospect: &NewMessage<'_>) -> Self {
        TurnJob {
            session_id: update.session_id,
            user_id: update.user_id,
            exchanges_before: update.exchanges_before,
            gauge: update.gauge,
            mood: update.mood.to_owned(),
            state_json: update.state_json.to_owned(),
            ended: update.ended,
            end_type: update.end_type.map(str::to_owned),
            now: update.now,
            learner: MessageJob::new(learner),
            prospect: MessageJob::new(prospect),
        }
    }

    fn update(&self) -> TurnUpdate<'_> {
        TurnUpdate {
            session_id: self.session_id,
            user_id: self.user_id,
            exchanges_before: self.exchanges_before,
            gauge: self.gauge,
            mood: &self.mood,
            state_json: &self.state_json,
            ended: self.ended,
            end_type: self.end_type.as_deref(),
            now: self.now,
        }
    }
}

impl MessageJob {
    fn new(m: &NewMessage<'_>) -> Self {
        MessageJob {
            seq: m.seq,
            role: m.role.to_owned(),
            content: m.content.to_owned(),
            gauge_after: m.gauge_after,
            patterns_json: m.patterns_json.to_owned(),
            created_at: m.created_at,
            voice_json: m.voice_json.map(str::to_owned),
        }
    }

    fn message(&self) -> NewMessage<'_> {
        NewMessage {
            seq: self.seq,
            role: &self.role,
            content: &self.content,
            gauge_after: self.gauge_after,
            patterns_json: &self.patterns_json,
            created_at: self.created_at,
            voice_json: self.voice_json.as_deref(),
        }
    }
}

impl Writer {
    /// Opens the writer's own connection and starts its task.
    pub async fn start(options: &AnyConnectOptions) -> Result<Writer> {
        let mut conn = options.connect().await?;
        crate::sqlite_pragmas(&mut conn).await?;
        let (jobs, queue) = mpsc::channel(QUEUE);
        let batches = Arc::new(AtomicU64::new(0));
        tokio::spawn(run(conn, queue, Arc::clone(&batches)));
        Ok(Writer { jobs, batches })
    }

    /// Writes a turn; returns once it is committed (or refused).
    pub async fn record_turn(&self, job: TurnJob) -> Result<()> {
        let (done, result) = oneshot::channel();
        self.jobs.send(Request::Turn(Box::new(job), done)).await.map_err(|_| StoreError::Closed)?;
        result.await.map_err(|_| StoreError::Closed)?
    }

    /// Transactions committed so far.
    #[cfg(test)]
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// Lets the writer finish the turns already queued, then closes its connection.
    pub async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.jobs.send(Request::Close(done)).await.is_ok() {
            let _ = closed.await;
            tracing::debug!(transactions = self.batches.load(Ordering::Relaxed), "turn writer closed");
        }
    }
}

async fn run(mut conn: AnyConnection, mut queue: mpsc::Receiver<Request>, batches: Arc<AtomicU64>) {
    let mut requests = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut requests, MAX_BATCH).await > 0 {
        let mut batch = Vec::with_capacity(requests.len());
        let mut closing = None;
        for request in requests.drain(..) {
            match request {
                Request::Turn(job, done) => batch.push((job, done)),
                Request::Close(done) => closing = Some(done),
            }
        }
        if !batch.is_empty() {
            commit_batch(&mut conn, batch).await;
            batches.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(done) = closing {
            queue.close();
            // Turns sent before the close was noticed are still written.
            while let Some(request) = queue.recv().await {
                if let Request::Turn(job, done) = request {
                    commit_batch(&mut conn, vec![(job, done)]).await;
                    batches.fetch_add(1, Ordering::Relaxed);
                }
            }
            let _ = conn.close().await;
            let _ = done.send(());
            return;
        }
    }
    let _ = conn.close().await;
}

type Pending = (Box<TurnJob>, oneshot::Sender<Result<()>>);

/// Writes `batch` in one transaction and answers each turn once it is committed.
async fn commit_batch(conn: &mut AnyConnection, batch: Vec<Pending>) {
    // `immediate`: take the write lock now (waiting for it up to the busy timeout) rather
    // than fail on the first write when another connection holds it.
    if let Err(e) = conn.execute("begin immediate").await {
        tracing::error!(error = %e, turns = batch.len(), "cannot start a batch of turns");
        answer_all(batch.into_iter().map(|(_, done)| done), &e.to_string());
        return;
    }
    let mut written = Vec::with_capacity(batch.len());
    let mut broken = None;
    for (job, done) in batch {
        if broken.is_none() {
            match in_savepoint(conn, &job).await {
                Ok(result) => {
                    written.push((result, done));
                    continue;
                }
                Err(e) => broken = Some(e),
            }
        }
        written.push((Ok(()), done));
    }
    let committed = match broken {
        None => conn.execute("commit").await.map(|_| ()),
        Some(e) => Err(e),
    };
    match committed {
        Ok(()) => {
            for (result, done) in written {
                let _ = done.send(result);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, turns = written.len(), "a batch of turns was not committed");
            let _ = conn.execute("rollback").await;
            answer_all(written.into_iter().map(|(_, done)| done), &e.to_string());
        }
    }
}

/// One turn inside the batch's transaction, all or nothing: the turn's own outcome, or
/// the error that leaves the transaction unusable (the whole batch is then rolled back).
async fn in_savepoint(conn: &mut AnyConnection, job: &TurnJob) -> std::result::Result<Result<()>, sqlx::Error> {
    conn.execute("savepoint turn").await?;
    let result = crate::write_turn(conn, &job.update(), &job.learner.message(), &job.prospect.message()).await;
    if result.is_err() {
        conn.execute("rollback to turn").await?;
    }
    conn.execute("release turn").await?;
    Ok(result)
}

fn answer_all(waiting: impl IntoIterator<Item = oneshot::Sender<Result<()>>>, why: &str) {
    for done in waiting {
        let _ = done.send(Err(StoreError::NotWritten(why.to_owned())));
    }
}

#[cfg(test)]
mod tests {
    use crate::{NewMessage, NewTrainingSession, NewUser, Store, StoreError, TurnUpdate};

    async fn store(dir: &tempfile::TempDir) -> Store {
        Store::open(&format!("sqlite://{}/writer.db", dir.path().display())).await.expect("open")
    }

    async fn session(store: &Store, user_id: i64) -> i64 {
        let new = NewTrainingSession {
            user_id,
            skill_slug: "ecoute_active",
            sector_slug: "generic",
            level: "easy",
            template_id: "ecoute_active_1",
            seed: 1,
            gauge: 50,
            mood: "neutral",
            scenario_json: "{}",
            state_json: "{}",
            created_at: 0,
            allowance: None,
        };
        let opening = message(0, "prospect", "Allô ?");
        store.create_training_session(&new, &opening).await.expect("create").expect("allowed")
    }

    fn message<'a>(seq: i64, role: &'a str, content: &'a str) -> NewMessage<'a> {
        NewMessage { seq, role, content, gauge_after: 50, patterns_json: "[]", created_at: 0, voice_json: None }
    }

    /// Turn `exchange` (1-based) of a session, computed from `exchanges_before`.
    async fn turn(
        store: &Store,
        user_id: i64,
        session_id: i64,
        exchanges_before: i64,
        said: &str,
    ) -> crate::Result<()> {
        let update = TurnUpdate {
            session_id,
            user_id,
            exchanges_before,
            gauge: 55,
            mood: "neutral",
            state_json: "{}",
            ended: false,
            end_type: None,
            now: 1,
        };
        let seq = 2 * exchanges_before + 1;
        store.record_turn(&update, &message(seq, "user", said), &message(seq + 1, "prospect", "Oui ?")).await
    }

    async fn user(store: &Store) -> i64 {
        let new = NewUser {
            email: "writer@exemple.fr",
            name: "Writer",
            password_hash: "x",
            plan: "premium",
            trial_ends_at: None,
            created_at: 0,
        };
        store.create_user(&new).await.expect("user").id
    }

    /// On one thread, the turns sent together are all queued before the writer runs: one
    /// transaction holds them all, and each is stored, except the one computed from a
    /// stale count, refused alone.
    #[tokio::test(flavor = "current_thread")]
    async fn turns_waiting_together_are_committed_in_one_transaction_each_all_or_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let user_id = user(&store).await;
        let mut sessions = Vec::new();
        for _ in 0..40 {
            sessions.push(session(&store, user_id).await);
        }
        let writer = store.writer.clone().expect("SQLite has a writer");
        let before = writer.batches();
        let mut turns = tokio::task::JoinSet::new();
        for (i, &id) in sessions.iter().enumerate() {
            let store = store.clone();
            turns.spawn(async move { (i, turn(&store, user_id, id, 0, &format!("tour {i}")).await) });
        }
        // A turn computed from a stale count, for the first session: refused.
        let stale = {
            let store = store.clone();
            let id = sessions[0];
            tokio::spawn(async move { turn(&store, user_id, id, 3, "en retard").await })
        };
        while let Some(done) = turns.join_next().await {
            let (i, result) = done.expect("task");
            result.unwrap_or_else(|e| panic!("turn {i}: {e}"));
        }
        assert!(matches!(stale.await.expect("task"), Err(StoreError::Conflict(_))));
        assert_eq!(writer.batches() - before, 1, "one transaction for the 41 turns");
        for (i, &id) in sessions.iter().enumerate() {
            let messages = store.messages(id).await.expect("messages");
            let said: Vec<&str> = messages.iter().map(|m| m.content.as_str()).collect();
            assert_eq!(said, ["Allô ?", format!("tour {i}").as_str(), "Oui ?"]);
        }
        // The next turn of a session follows on.
        turn(&store, user_id, sessions[0], 1, "encore").await.expect("second turn");
        assert_eq!(store.messages(sessions[0]).await.expect("messages").len(), 5);
        store.close().await;
    }

    #[tokio::test]
    async fn a_closed_store_writes_what_it_was_given_then_refuses() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let user_id = user(&store).await;
        let id = session(&store, user_id).await;
        turn(&store, user_id, id, 0, "avant").await.expect("turn");
        store.close().await;
        assert!(matches!(turn(&store, user_id, id, 1, "après").await, Err(StoreError::Closed)));
        let reopened = self::store(&dir).await;
        assert_eq!(reopened.messages(id).await.expect("messages").len(), 3);
        reopened.close().await;
    }
}
