//! xAPI against a real Learning Record Store, Ralph (PyPI `ralph-malph`, installed by
//! `scripts/setup.sh test` under `target/ralph-venv`, file-system backend), on SQLite and
//! PostgreSQL. A learner of an organisation with an LRS plays sessions for programme items
//! while the LRS is down: the statements wait in the outbox; the LRS comes up, a sender
//! that did not die (another holder) takes them once the dead one's claim has expired, and
//! the LRS holds attempted, completed, passed or failed with the score, the French skill
//! name, the duration and the learner's `mbox`. A free session then goes through the
//! background sender, without passed or failed. In CI a missing Ralph fails the test.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Db, TestApp};
use serde_json::{Value, json};

const KEY: &str = "replique";
const SECRET: &str = "s3cret-du-lrs";

/// Ralph's server, as `ralph runserver -b fs` starts it (uvicorn, `ralph.api:app`) but
/// without its file watcher. One change: Ralph 5.1's file-system LRS backend writes each
/// POST with the `create` operation, which refuses a file that exists, so every POST after
/// the first would fail with 500 (« Statements bulk indexation failed »); it appends
/// instead. Authentication, validation, duplicate ids, storage and queries stay Ralph's.
const RALPH_SERVER: &str = "
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run('ralph.api:app', host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')
";

/// A Ralph LRS on a port of its own, its auth file and data in a temporary directory.
struct Ralph {
    venv: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl Ralph {
    /// Ralph's virtual environment, or `None` (the caller skips) outside CI.
    fn venv() -> Option<PathBuf> {
        let venv = std::env::var_os("RALPH_VENV")
            .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/ralph-venv"), PathBuf::from);
        if venv.join("bin/ralph").exists() {
            return Some(venv);
        }
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "Ralph is required in CI: run scripts/setup.sh test (it installs ralph-malph in target/ralph-venv)"
        );
        None
    }

    /// Prepares an LRS (its Basic-auth account, made with `ralph auth`) without starting it.
    fn new(venv: PathBuf) -> Ralph {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let ralph = Ralph { venv, dir, port, child: None };
        let out = ralph
            .command("bin/ralph")
            .args(["auth", "-u", KEY, "-p", SECRET, "-s", "all", "-M", "mailto:lrs@exemple.fr", "-w"])
            .output()
            .expect("run ralph auth");
        assert!(out.status.success(), "ralph auth: {}", String::from_utf8_lossy(&out.stderr));
        ralph
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.venv.join(program));
        let dir = self.dir.path();
        command
            .env("RALPH_APP_DIR", dir.join("app"))
            .env("RALPH_AUTH_FILE", dir.join("auth.json"))
            .env("RALPH_RUNSERVER_BACKEND", "fs")
            .env("RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH", dir.join("data"));
        command
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// Starts the server and waits until it answers.
    async fn start(&mut self) {
        std::fs::create_dir_all(self.dir.path().join("data")).expect("data dir");
        let log = std::fs::File::create(self.dir.path().join("ralph.log")).expect("log");
        let child = self
            .command("bin/python")
            .args(["-c", RALPH_SERVER, &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start ralph");
        self.child = Some(child);
        let heartbeat = format!("http://127.0.0.1:{}/__heartbeat__", self.port);
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if reqwest::get(&heartbeat).await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            let exited = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir.path().join("ralph.log")).unwrap_or_default();
                panic!("Ralph did not start: {log}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The statements the LRS holds about `email`.
    async fn statements_of(&self, email: &str) -> Vec<Value> {
        let agent = json!({"objectType": "Agent", "mbox": format!("mailto:{email}")}).to_string();
        let response = reqwest::Client::new()
            .get(format!("{}statements", self.endpoint()))
            .query(&[("agent", agent.as_str()), ("limit", "100")])
            .basic_auth(KEY, Some(SECRET))
            .header("X-Experience-API-Version", "1.0.3")
            .send()
            .await
            .expect("ask ralph");
        assert!(response.status().is_success(), "{}", response.status());
        let body: Value = response.json().await.expect("json");
        body["statements"].as_array().expect("statements").clone()
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Member {
    client: reqwest::Client,
    email: String,
}

async fn member(app: &TestApp, email: &str, org: &str, role: &str) -> Member {
    let client = app.other_client();
    app.sign_up(&client, email).await;
    app.enrol(email, "enterprise", Some((org, role))).await;
    Member { client, email: email.to_owned() }
}

/// Starts a session (for a programme item, or free), plays one turn and ends it.
async fn play(app: &TestApp, learner: &Member, assignment: Option<(i64, i64)>) -> i64 {
    let body = match assignment {
        Some((programme, index)) => json!({"assignment": {"programme_id": programme, "item_index": index}, "seed": 7}),
        None => json!({"skill": "ecoute_active", "sector": "generic", "level": "easy", "seed": 7}),
    };
    let (status, started) = app.post_json(&learner.client, "/api/voice/session", body).await;
    assert_eq!(status, 201, "{started}");
    let id = started["session_id"].as_i64().expect("session_id");
    let (status, turn) =
        app.say(&learner.client, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200, "{turn}");
    let (status, ended) = app.post_json(&learner.client, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200, "{ended}");
    id
}

fn verbs(statements: &[Value]) -> Vec<String> {
    let mut verbs: Vec<String> = statements
        .iter()
        .map(|s| s["verb"]["id"].as_str().expect("verb").rsplit('/').next().unwrap_or_default().to_owned())
        .collect();
    verbs.sort();
    verbs
}

#[tokio::test]
async fn scored_sessions_reach_the_organisations_lrs_even_when_it_was_down() {
    let Some(venv) = Ralph::venv() else {
        eprintln!("skipped: Ralph is not installed (scripts/setup.sh test installs it in target/ralph-venv)");
        return;
    };
    story_on(Db::Sqlite, &venv, "sqlite").await;
    match Db::postgres() {
        Some(db) => story_on(db, &venv, "postgres").await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn story_on(db: Db, venv: &Path, name: &str) {
    let mut ralph = Ralph::new(venv.to_path_buf());
    let config = replique_web::Config { public_url: Some("https://replique.exemple.fr".into()), ..Default::default() };
    let app = TestApp::spawn_with(db, config).await;
    let manager = member(&app, &format!("manager-{name}@exemple.fr"), "Alpha", "manager").await;
    let learner = member(&app, &format!("lea-{name}@exemple.fr"), "Alpha", "learner").await;
    let other = member(&app, &format!("bob-{name}@exemple.fr"), "Beta", "learner").await;
    let org = app.store.organisation_id("Alpha").await.expect("org").expect("exists");
    let endpoint = replique_web::xapi::parse_endpoint(&ralph.endpoint()).expect("endpoint");
    app.store.set_lrs(org, &endpoint, KEY, SECRET, 0).await.expect("set lrs");

    let programme = json!({
        "name": "Écoute au trimestre",
        "items": [
            {"skill": "ecoute_active", "level": "easy", "pass_mark": 0, "due": "2099-12-31", "max_attempts": 3},
            {"skill": "ecoute_active", "level": "easy", "pass_mark": 100, "due": "2099-12-31", "max_attempts": 3},
        ],
        "learners": [learner.email],
    });
    let (status, created) = app.post_json(&manager.client, "/api/programmes", programme).await;
    assert_eq!(status, 201, "{created}");
    let programme = created["id"].as_i64().expect("id");

    // The LRS is down: two scored sessions wait in the outbox, with the error of the attempt.
    play(&app, &learner, Some((programme, 0))).await;
    play(&app, &learner, Some((programme, 1))).await;
    // A learner of an organisation without an LRS sends nothing.
    play(&app, &other, None).await;
    let counts = app.store.xapi_counts().await.expect("counts");
    assert_eq!((counts.pending, counts.sent), (2, 0));
    let client = reqwest::Client::new();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let round = replique_web::xapi::deliver_due(&app.store, &client, "instance-a", now).await.expect("round");
    assert_eq!((round.sent, round.failed), (0, 2));
    let again = replique_web::xapi::deliver_due(&app.store, &client, "instance-a", now).await.expect("round");
    assert_eq!((again.sent, again.failed), (0, 0), "a failed row waits for its next attempt");
    let errors: Vec<(Option<String>, i64)> =
        sqlx_rows(&app, "select last_error, attempts from xapi_outbox order by id").await;
    assert!(
        errors.iter().all(|(e, n)| e.as_deref().is_some_and(|e| e.contains("unreachable")) && *n == 1),
        "{errors:?}"
    );
    assert!(errors.iter().all(|(e, _)| !e.as_deref().unwrap_or_default().contains(SECRET)), "no secret in errors");

    // The LRS comes up. A sender claims the due rows and dies; another instance waits for
    // its claim to expire, then delivers them (the state is in the database).
    ralph.start().await;
    let later = now + 3600;
    let claimed = app.store.claim_xapi("instance-dead", later, later + 300, 20).await.expect("claim");
    assert_eq!(claimed.len(), 2);
    let round = replique_web::xapi::deliver_due(&app.store, &client, "instance-b", later).await.expect("round");
    assert_eq!((round.sent, round.failed), (0, 0), "rows another sender holds are left alone");
    let round = replique_web::xapi::deliver_due(&app.store, &client, "instance-b", later + 301).await.expect("round");
    let errors: Vec<(Option<String>,)> = sqlx_rows(&app, "select last_error from xapi_outbox order by id").await;
    assert_eq!((round.sent, round.failed), (2, 0), "{errors:?}");
    let counts = app.store.xapi_counts().await.expect("counts");
    assert_eq!((counts.pending, counts.sent), (0, 2));

    let statements = ralph.statements_of(&learner.email).await;
    assert_eq!(verbs(&statements), ["attempted", "attempted", "completed", "completed", "failed", "passed"]);
    for s in &statements {
        assert_eq!(s["actor"]["mbox"], format!("mailto:{}", learner.email));
        assert_eq!(s["object"]["id"], "https://replique.exemple.fr/skills/ecoute_active");
        assert_eq!(s["object"]["definition"]["name"]["fr-FR"], "Écoute active");
        if s["verb"]["id"].as_str().is_some_and(|v| !v.ends_with("attempted")) {
            let raw = s["result"]["score"]["raw"].as_i64().expect("raw score");
            assert!((0..=100).contains(&raw));
            assert_eq!(s["result"]["score"]["scaled"].as_f64(), Some(raw as f64 / 100.0));
            assert!(s["result"]["duration"].as_str().is_some_and(|d| d.starts_with("PT")), "{s}");
        }
    }
    let passed = statements.iter().find(|s| s["verb"]["id"].as_str().is_some_and(|v| v.ends_with("passed")));
    assert_eq!(passed.expect("passed")["result"]["success"], true);
    assert!(ralph.statements_of(&other.email).await.is_empty());

    // A free session: the background sender posts it, attempted and completed only.
    let sender = tokio::spawn(replique_web::xapi::run_sender(app.store.clone(), "background".into()));
    play(&app, &learner, None).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let statements = loop {
        let statements = ralph.statements_of(&learner.email).await;
        if statements.len() >= 8 || Instant::now() > deadline {
            break statements;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    sender.abort();
    assert_eq!(
        verbs(&statements),
        ["attempted", "attempted", "attempted", "completed", "completed", "completed", "failed", "passed"]
    );
    ralph.stop();
    app.stop().await;
}

/// Rows of a query on the app's database.
async fn sqlx_rows<T>(app: &TestApp, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.expect("connect");
    let rows = sqlx::query_as::<_, T>(sql).fetch_all(&pool).await.expect("query");
    pool.close().await;
    rows
}
