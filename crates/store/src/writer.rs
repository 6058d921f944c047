//! Group commit for SQLite: one task, on a thread and over a connection of its own, does
//! the writes of the training loop (turns, and the starts and reports of sessions), all
//! those waiting in one transaction, so that one `fsync` (`synchronous = full`) makes a
//! whole batch durable instead of one write each.
//!
//! A write is acknowledged (its call returns) only once the transaction that holds it is
//! committed. Each write runs inside its own savepoint: one refused (a session ended or
//! moved on, an allowance spent) or failing leaves the others of its batch untouched.
//! There is no waiting for company: a batch is whatever queued while the previous one was
//! being committed, so a lone write is done at once. Going through one writer also spares
//! these writes SQLite's busy wait: a second connection that wants the write lock sleeps
//! and retries (up to milliseconds at a time) while the lock is held.
//!
//! PostgreSQL does not use this: its own commits are durable, and it batches concurrent
//! commits' WAL flushes itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Executor};
use tokio::sync::{mpsc, oneshot};

use crate::rows::{NewMessage, NewTrainingSession, TurnUpdate};
use crate::{Result, StoreError};

/// Most writes in one transaction: past that, the next batch takes the rest.
const MAX_BATCH: usize = 256;

/// Writes waiting for the writer; past that, a caller waits for room.
const QUEUE: usize = 1024;

/// The handle the store keeps: where writes are sent.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Request>,
    /// Transactions begun so far (each holds a batch of writes).
    batches: Arc<AtomicU64>,
    /// Writes taken from the queue so far.
    taken: Arc<AtomicU64>,
}

enum Request {
    Write(Box<Job>, oneshot::Sender<Result<Written>>),
    /// Finish what is queued, close the connection, then answer.
    Close(oneshot::Sender<()>),
}

/// A write the writer does.
enum Job {
    Turn(TurnJob),
    Start(StartJob),
    Report(ReportJob),
}

/// What a write gives back once committed.
enum Written {
    Done,
    /// A session started: its id, or `None` when the allowance was spent.
    Started(Option<i64>),
}

/// A session to start (`Store::create_training_session`), owned.
pub(crate) struct StartJob {
    user_id: i64,
    skill_slug: String,
    sector_slug: String,
    level: String,
    template_id: String,
    seed: i64,
    gauge: i64,
    mood: String,
    scenario_json: String,
    state_json: String,
    created_at: i64,
    allowance: Option<(i64, i64)>,
    assignment_id: Option<i64>,
    opening: MessageJob,
}

/// A session's report to store (`Store::save_report`), owned.
pub(crate) struct ReportJob {
    session_id: i64,
    final_score: i64,
    report_json: String,
    xapi_facts: Option<String>,
    now: i64,
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
    pub last_turn_json: String,
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
            last_turn_json: update.last_turn_json.to_owned(),
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
            last_turn_json: &self.last_turn_json,
        }
    }
}

impl StartJob {
    pub fn new(new: &NewTrainingSession<'_>, opening: &NewMessage<'_>) -> Self {
        StartJob {
            user_id: new.user_id,
            skill_slug: new.skill_slug.to_owned(),
            sector_slug: new.sector_slug.to_owned(),
            level: new.level.to_owned(),
            template_id: new.template_id.to_owned(),
            seed: new.seed,
            gauge: new.gauge,
            mood: new.mood.to_owned(),
            scenario_json: new.scenario_json.to_owned(),
            state_json: new.state_json.to_owned(),
            created_at: new.created_at,
            allowance: new.allowance,
            assignment_id: new.assignment_id,
            opening: MessageJob::new(opening),
        }
    }

    fn session(&self) -> NewTrainingSession<'_> {
        NewTrainingSession {
            user_id: self.user_id,
            skill_slug: &self.skill_slug,
            sector_slug: &self.sector_slug,
            level: &self.level,
            template_id: &self.template_id,
            seed: self.seed,
            gauge: self.gauge,
            mood: &self.mood,
            scenario_json: &self.scenario_json,
            state_json: &self.state_json,
            created_at: self.created_at,
            allowance: self.allowance,
            assignment_id: self.assignment_id,
        }
    }
}

impl ReportJob {
    pub fn new(session_id: i64, final_score: i64, report_json: &str, xapi: Option<&str>, now: i64) -> Self {
        let (report_json, xapi_facts) = (report_json.to_owned(), xapi.map(str::to_owned));
        ReportJob { session_id, final_score, report_json, xapi_facts, now }
    }
}

impl Job {
    /// The job's statements, inside the batch's transaction.
    async fn write(&self, conn: &mut AnyConnection) -> Result<Written> {
        match self {
            Job::Turn(t) => {
                crate::statements::write_turn(conn, &t.update(), &t.learner.message(), &t.prospect.message()).await?;
                Ok(Written::Done)
            }
            Job::Start(s) => {
                Ok(Written::Started(crate::statements::insert_session(conn, &s.session(), &s.opening.message()).await?))
            }
            Job::Report(r) => {
                let (json, facts) = (&r.report_json, r.xapi_facts.as_deref());
                crate::statements::insert_report(conn, r.session_id, r.final_score, json, facts, r.now).await?;
                Ok(Written::Done)
            }
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
    /// Opens the writer's own connection and starts its task, on a thread of its own.
    ///
    /// Each statement of a batch is a round trip between the task and SQLite's worker
    /// thread. On the app's runtime, every return would wait for a worker free of turns
    /// being played (CPU-bound, about half a millisecond each), and the writer, which all
    /// turns go through, would be the slowest thing in the server; on its own thread it is
    /// polled as soon as SQLite answers.
    pub async fn start(options: &AnyConnectOptions) -> Result<Writer> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let batches = Arc::new(AtomicU64::new(0));
        let (opened, ready) = oneshot::channel();
        let taken = Arc::new(AtomicU64::new(0));
        let (options, counters) = (options.clone(), (Arc::clone(&batches), Arc::clone(&taken)));
        std::thread::Builder::new()
            .name("turn-writer".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = opened.send(Err(StoreError::WriterStart(e.to_string())));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let conn = match connect(&options).await {
                        Ok(conn) => conn,
                        Err(e) => {
                            let _ = opened.send(Err(e.into()));
                            return;
                        }
                    };
                    if opened.send(Ok(())).is_ok() {
                        run(conn, queue, counters).await;
                    }
                });
            })
            .map_err(|e| StoreError::WriterStart(e.to_string()))?;
        ready.await.map_err(|_| StoreError::Closed)??;
        Ok(Writer { jobs, batches, taken })
    }

    /// Writes a turn; returns once it is committed (or refused).
    pub async fn record_turn(&self, job: TurnJob) -> Result<()> {
        self.write(Job::Turn(job)).await.map(|_| ())
    }

    /// Starts a session; returns its id once it is committed, `None` when the allowance
    /// is spent (nothing written).
    pub async fn start_session(&self, job: StartJob) -> Result<Option<i64>> {
        match self.write(Job::Start(job)).await? {
            Written::Started(id) => Ok(id),
            Written::Done => Err(StoreError::NotWritten("a start written as something else".into())),
        }
    }

    /// Stores a report; returns once it is committed.
    pub async fn save_report(&self, job: ReportJob) -> Result<()> {
        self.write(Job::Report(job)).await.map(|_| ())
    }

    async fn write(&self, job: Job) -> Result<Written> {
        let (done, result) = oneshot::channel();
        self.jobs.send(Request::Write(Box::new(job), done)).await.map_err(|_| StoreError::Closed)?;
        result.await.map_err(|_| StoreError::Closed)?
    }

    /// Transactions begun so far.
    #[cfg(test)]
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// Writes sent to the writer so far: taken from the queue, or waiting in it.
    #[cfg(test)]
    pub fn sent(&self) -> u64 {
        let waiting = self.jobs.max_capacity() - self.jobs.capacity();
        self.taken.load(Ordering::Relaxed) + waiting as u64
    }

    /// Lets the writer finish the writes already queued, then closes its connection.
    pub async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.jobs.send(Request::Close(done)).await.is_ok() {
            let _ = closed.await;
            tracing::debug!(
                transactions = self.batches.load(Ordering::Relaxed),
                writes = self.taken.load(Ordering::Relaxed),
                "turn writer closed"
            );
        }
    }
}

async fn connect(options: &AnyConnectOptions) -> std::result::Result<AnyConnection, sqlx::Error> {
    let mut conn = options.connect().await?;
    crate::sqlite_pragmas(&mut conn).await?;
    Ok(conn)
}

async fn run(
    mut conn: AnyConnection,
    mut queue: mpsc::Receiver<Request>,
    (batches, taken): (Arc<AtomicU64>, Arc<AtomicU64>),
) {
    let mut requests = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut requests, MAX_BATCH).await > 0 {
        let mut batch = Vec::with_capacity(requests.len());
        let mut closing = None;
        for request in requests.drain(..) {
            match request {
                Request::Write(job, done) => batch.push((job, done)),
                Request::Close(done) => closing = Some(done),
            }
        }
        taken.fetch_add(batch.len() as u64, Ordering::Relaxed);
        if !batch.is_empty() {
            let (writes, started) = (batch.len(), std::time::Instant::now());
            // Counted before its writers hear back, so that they see it counted.
            batches.fetch_add(1, Ordering::Relaxed);
            commit_batch(&mut conn, batch).await;
            tracing::debug!(writes, micros = started.elapsed().as_micros(), "batch committed");
        }
        if let Some(done) = closing {
            queue.close();
            // Writes sent before the close was noticed are still done.
            while let Some(request) = queue.recv().await {
                if let Request::Write(job, done) = request {
                    batches.fetch_add(1, Ordering::Relaxed);
                    commit_batch(&mut conn, vec![(job, done)]).await;
                }
            }
            let _ = conn.close().await;
            let _ = done.send(());
            return;
        }
    }
    let _ = conn.close().await;
}

type Pending = (Box<Job>, oneshot::Sender<Result<Written>>);

/// Writes `batch` in one transaction and answers each turn once it is committed.
async fn commit_batch(conn: &mut AnyConnection, batch: Vec<Pending>) {
    // `immediate`: take the write lock now (waiting for it up to the busy timeout) rather
    // than fail on the first write when another connection holds it.
    if let Err(e) = conn.execute("begin immediate").await {
        tracing::error!(error = %e, writes = batch.len(), "cannot start a batch of writes");
        answer_all(batch.into_iter().map(|(_, done)| done), &e.to_string());
        return;
    }
    // A write alone in its batch needs no savepoint: the transaction is its all or nothing.
    let alone = batch.len() == 1;
    let mut written = Vec::with_capacity(batch.len());
    let mut broken = None;
    for (job, done) in batch {
        if broken.is_none() {
            let outcome = if alone { Ok(job.write(conn).await) } else { in_savepoint(conn, &job).await };
            match outcome {
                Ok(result) => {
                    written.push((result, done));
                    continue;
                }
                Err(e) => broken = Some(e),
            }
        }
        written.push((Ok(Written::Done), done));
    }
    if alone && matches!(written.first(), Some((Err(_), _))) {
        // Refused or failed alone: undo what it may have written, and give its own answer.
        if let Err(e) = conn.execute("rollback").await {
            tracing::error!(error = %e, "a refused write was not rolled back");
        }
        for (result, done) in written {
            let _ = done.send(result);
        }
        return;
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
            tracing::error!(error = %e, writes = written.len(), "a batch of writes was not committed");
            let _ = conn.execute("rollback").await;
            answer_all(written.into_iter().map(|(_, done)| done), &e.to_string());
        }
    }
}

/// One write inside the batch's transaction, all or nothing: the write's own outcome, or
/// the error that leaves the transaction unusable (the whole batch is then rolled back).
async fn in_savepoint(conn: &mut AnyConnection, job: &Job) -> std::result::Result<Result<Written>, sqlx::Error> {
    conn.execute("savepoint job").await?;
    let result = job.write(conn).await;
    if result.is_err() {
        conn.execute("rollback to job").await?;
    }
    conn.execute("release job").await?;
    Ok(result)
}

fn answer_all(waiting: impl IntoIterator<Item = oneshot::Sender<Result<Written>>>, why: &str) {
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
            assignment_id: None,
        };
        let opening = message(0, "prospect", "Allô ?");
        store.create_training_session(&new, &opening).await.expect("create").expect("allowed")
    }

    fn message<'a>(seq: i64, role: &'a str, content: &'a str) -> NewMessage<'a> {
        NewMessage { seq, role, content, gauge_after: 50, patterns_json: "[]", created_at: 0, voice_json: None }
    }

    /// Turn `exchange` (1-based) of a session, computed from `before` exchanges.
    async fn turn(store: &Store, user_id: i64, session_id: i64, before: i64, said: &str) -> crate::Result<()> {
        let update = TurnUpdate {
            session_id,
            user_id,
            exchanges_before: before,
            gauge: 55,
            mood: "neutral",
            state_json: "{}",
            ended: false,
            end_type: None,
            now: 1,
            last_turn_json: "{}",
        };
        let seq = 2 * before + 1;
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

    /// Turns that wait together are committed in one transaction, and each is stored,
    /// except the one computed from a stale count, refused alone. Another connection holds
    /// the write lock while they are sent, so that they queue up behind the writer's first
    /// batch.
    #[tokio::test]
    async fn turns_waiting_together_are_committed_in_one_transaction_each_all_or_nothing() {
        use std::str::FromStr;

        use sqlx::{ConnectOptions, Executor};
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let user_id = user(&store).await;
        let mut sessions = Vec::new();
        for _ in 0..40 {
            sessions.push(session(&store, user_id).await);
        }
        let writer = store.writer.clone().expect("SQLite has a writer");
        let (before, sent_before) = (writer.batches(), writer.sent());
        let url = format!("sqlite://{}/writer.db", dir.path().display());
        let mut blocker = sqlx::any::AnyConnectOptions::from_str(&url).expect("url").connect().await.expect("connect");
        blocker.execute("begin immediate").await.expect("write lock");
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
        // All 41 are with the writer: at most one batch has started (and waits for the lock).
        while writer.sent() - sent_before < 41 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        blocker.execute("rollback").await.expect("release the lock");
        while let Some(done) = turns.join_next().await {
            let (i, result) = done.expect("task");
            result.unwrap_or_else(|e| panic!("turn {i}: {e}"));
        }
        assert!(matches!(stale.await.expect("task"), Err(StoreError::Conflict(_))));
        assert!(writer.batches() - before <= 2, "41 turns in {} transactions", writer.batches() - before);
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

    /// Alone in its batch, a refused turn is rolled back whole, and the writer goes on.
    #[tokio::test]
    async fn a_turn_refused_alone_writes_nothing_and_the_next_is_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let user_id = user(&store).await;
        let id = session(&store, user_id).await;
        assert!(matches!(turn(&store, user_id, id, 2, "en retard").await, Err(StoreError::Conflict(_))));
        assert_eq!(store.messages(id).await.expect("messages").len(), 1);
        turn(&store, user_id, id, 0, "à l'heure").await.expect("turn");
        let said: Vec<String> = store.messages(id).await.expect("messages").into_iter().map(|m| m.content).collect();
        assert_eq!(said, ["Allô ?", "à l'heure", "Oui ?"]);
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
