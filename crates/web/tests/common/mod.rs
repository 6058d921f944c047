//! `TestApp`: the real app on a random port over a fresh database (a SQLite file in a
//! temporary directory, or a new PostgreSQL database when `TEST_DATABASE_URL` is set),
//! with a cookie-keeping HTTP client and story-like helpers.
#![allow(dead_code)] // Each test binary uses its own subset of the helpers.

use std::net::SocketAddr;

use replique_core::Catalog;
use replique_store::Store;
use replique_web::{AppState, Config};
use serde_json::{Value, json};
use tokio::net::TcpListener;

pub enum Db {
    Sqlite,
    Postgres(String),
}

impl Db {
    /// PostgreSQL if `TEST_DATABASE_URL` is set, else `None` (the caller says it skipped).
    /// In CI (`CI=true`) a missing PostgreSQL fails the test instead of skipping it.
    pub fn postgres() -> Option<Db> {
        let db = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()).map(Db::Postgres);
        assert!(
            db.is_some() || std::env::var("CI").map_or(true, |v| v != "true"),
            "PostgreSQL is required in CI: set TEST_DATABASE_URL"
        );
        db
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// The database's URL (for tests that look under the store).
    pub database_url: String,
    pub base: String,
    pub store: Store,
    /// The base URL of the metrics listener (`/metrics`).
    pub metrics: String,
    pub client: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: Option<tempfile::TempDir>,
    /// Uploaded files of this app (kept until the app is dropped).
    pub files: tempfile::TempDir,
    pg_admin: Option<(String, String)>,
}

pub fn client() -> reqwest::Client {
    client_with_jar().0
}

pub fn client_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (client, jar)
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Db::Sqlite, Config::default()).await
    }

    pub async fn spawn_with(db: Db, config: Config) -> TestApp {
        Self::spawn_full(db, config, None).await
    }

    /// With an LLM realiser.
    pub async fn spawn_full(db: Db, mut config: Config, llm: Option<replique_llm::Llm>) -> TestApp {
        let files = tempfile::tempdir().expect("tempdir");
        config.data_dir = files.path().to_path_buf();
        let (url, dir, pg_admin) = match db {
            Db::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                (format!("sqlite://{}/replique.db", dir.path().display()), Some(dir), None)
            }
            Db::Postgres(admin_url) => {
                let name = format!("replique_test_{}_{}", std::process::id(), unique());
                let admin = sqlx::PgPool::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
                sqlx::query(&format!("create database {name}")).execute(&admin).await.expect("create test database");
                admin.close().await;
                let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b).to_owned();
                (format!("{base}/{name}"), None, Some((admin_url, name)))
            }
        };
        let store = Store::open(&url).await.expect("open store");
        let catalog = Catalog::embedded().expect("catalogue");
        replique_web::sync_catalog(&store, &catalog).await.expect("products");
        let voice = replique_web::VoiceServices::new(&replique_voice::TtsConfig::default(), None).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        // Links made for outside (SCORM launch pages) point at this app unless a test says.
        if config.public_url.is_none() {
            config.public_url = Some(format!("http://{addr}"));
        }
        let state = AppState::new(store.clone(), catalog, config, voice, llm);
        let metrics = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let metrics_addr = metrics.local_addr().expect("addr");
        tokio::spawn(replique_web::serve_metrics(metrics, state.clone(), std::future::pending()));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(replique_web::serve(listener, state, async {
            let _ = rx.await;
        }));
        let (client, jar) = client_with_jar();
        TestApp {
            addr,
            database_url: url,
            base: format!("http://{addr}"),
            metrics: format!("http://{metrics_addr}"),
            store,
            client,
            jar,
            shutdown: Some(tx),
            _dir: dir,
            files,
            pg_admin,
        }
    }

    /// Stops the server and drops a PostgreSQL test database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.store.close().await;
        if let Some((admin_url, name)) = self.pg_admin.take()
            && let Ok(admin) = sqlx::PgPool::connect(&admin_url).await
        {
            let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&admin).await;
            admin.close().await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A second visitor with their own cookies.
    pub fn other_client(&self) -> reqwest::Client {
        client()
    }

    pub async fn post_json(&self, client: &reqwest::Client, path: &str, body: Value) -> (u16, Value) {
        let response = client.post(self.url(path)).json(&body).send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn get_json(&self, client: &reqwest::Client, path: &str) -> (u16, Value) {
        let response = client.get(self.url(path)).send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Signs up through the API (which logs in).
    pub async fn sign_up(&self, client: &reqwest::Client, email: &str) -> Value {
        let (status, body) = self
            .post_json(
                client,
                "/api/auth/register",
                json!({"email": email, "password": "motdepasse-solide", "name": "Camille Test"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    pub async fn start_session(&self, client: &reqwest::Client, skill: &str) -> i64 {
        let (status, body) = self
            .post_json(
                client,
                "/api/voice/session",
                json!({"skill": skill, "sector": "generic", "level": "easy", "seed": 42}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["session_id"].as_i64().expect("session_id")
    }

    pub async fn say(&self, client: &reqwest::Client, id: i64, message: &str) -> (u16, Value) {
        self.post_json(client, &format!("/api/voice/session/{id}/respond"), json!({ "message": message })).await
    }

    /// The CSRF token a browser with `jar` holds (for calls that are not JSON).
    pub fn csrf_in(&self, jar: &reqwest::cookie::Jar) -> String {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(&self.base).expect("url");
        let cookies = jar.cookies(&url).and_then(|v| v.to_str().ok().map(str::to_owned)).unwrap_or_default();
        cookies.split("; ").find_map(|c| c.strip_prefix("replique_csrf=")).unwrap_or_default().to_owned()
    }

    /// The CSRF token of the main client.
    pub fn csrf_in_main(&self) -> String {
        self.csrf_in(&self.jar)
    }

    /// The `Cookie` header the main client sends (for WebSocket clients).
    pub fn cookie_header(&self, _client: &reqwest::Client) -> String {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(&self.base).expect("url");
        self.jar.cookies(&url).and_then(|v| v.to_str().ok().map(str::to_owned)).unwrap_or_default()
    }

    pub async fn message_count(&self, id: i64, user_id: i64) -> usize {
        let _ = user_id;
        self.store.messages(id).await.expect("messages").len()
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    u64::from(nanos) * 1000 + NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A conversation that goes well and ends with a goodbye after enough exchanges.
pub const GOOD_CONVERSATION: &[&str] = &[
    "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
    "D’accord. Et quels outils utilisez-vous aujourd’hui pour vos suivis ?",
    "Si je comprends bien, tout repose sur quelques personnes. Qu’est-ce qui vous pose le plus de problèmes ?",
    "Je comprends. Quelles conséquences cela a-t-il pour vous concrètement ?",
    "Je vous propose un rendez-vous mardi à 10h pour vous montrer une démonstration ?",
    "Merci pour votre temps, au revoir !",
];

/// What a streaming model does, step by step.
pub enum Step {
    /// Sends this text as one SSE event.
    Say(String),
    /// Waits until the test lets it go on.
    Wait(std::sync::Arc<tokio::sync::Notify>),
}

/// A model that streams its replies in the OpenAI SSE format over raw connections, so the
/// test controls when each piece leaves; `script(n)` gives the steps of the n-th reply.
/// Returns its base URL.
pub async fn streaming_model(script: impl Fn(usize) -> Vec<Step> + Send + Sync + 'static) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let script = std::sync::Arc::new(script);
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let steps = script(n);
            n += 1;
            tokio::spawn(async move {
                // The request: headers, then the body its Content-Length announces.
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let read = socket.read(&mut buf).await.unwrap_or(0);
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..read]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    let Some(end) = text.find("\r\n\r\n") else { continue };
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        let body: Value =
                            serde_json::from_slice(&request[end + 4..end + 4 + length]).expect("json body");
                        assert_eq!(body["stream"], true, "a live voice turn asks for a stream");
                        break;
                    }
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for step in steps {
                    match step {
                        Step::Say(text) => {
                            let event = json!({"choices": [{"delta": {"content": text}}]});
                            if socket.write_all(format!("data: {event}\n\n").as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        Step::Wait(gate) => gate.notified().await,
                    }
                }
                let _ = socket.write_all(b"data: [DONE]\n\n").await;
            });
        }
    });
    format!("http://{addr}/v1")
}

impl TestApp {
    /// Puts the account `email` on `plan` and, with `org`, in that organisation (created
    /// when new) with the given role; the organisation's id.
    pub async fn enrol(&self, email: &str, plan: &str, org: Option<(&str, &str)>) -> Option<i64> {
        assert!(self.store.set_plan(email, plan, None).await.expect("plan"), "no account {email}");
        let (org, role) = org?;
        let org_id = match self.store.organisation_id(org).await.expect("org") {
            Some(id) => id,
            None => self.store.create_organisation(org, 0).await.expect("create org"),
        };
        let user = self.store.user_by_email(email).await.expect("user").expect("exists");
        self.store.set_membership(user.id, org_id, role, 0).await.expect("membership");
        Some(org_id)
    }

    /// Another instance of the app over the same database, as behind a load balancer; its
    /// base URL. It stops with the test.
    pub async fn another_instance(&self) -> String {
        let catalog = Catalog::embedded().expect("catalogue");
        let voice = replique_web::VoiceServices::new(&replique_voice::TtsConfig::default(), None).await;
        let config = Config { data_dir: self.files.path().to_path_buf(), ..Config::default() };
        let state = AppState::new(self.store.clone(), catalog, config, voice, None);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(replique_web::serve(listener, state, std::future::pending()));
        format!("http://{addr}")
    }
}
