//! Hardening (issue 14): a flood of logins is stopped per address whatever the e-mail,
//! control characters are refused at the edge on both databases, every API error is JSON
//! of one shape, the headers a logged-in browser needs are there, and the metrics listener
//! (issue 19) counts what happened.

mod common;

use common::{Db, TestApp};
use replique_web::Config;
use serde_json::json;

#[tokio::test]
async fn a_login_flood_with_new_emails_is_stopped_per_address() {
    let app = TestApp::spawn_with(Db::Sqlite, Config { logins_per_address: 3, ..Config::default() }).await;
    let c = app.other_client();
    for i in 0..3 {
        let (status, body) = app
            .post_json(&c, "/api/auth/login", json!({"email": format!("inconnu{i}@exemple.fr"), "password": "x"}))
            .await;
        assert_eq!(status, 401, "{body}");
    }
    let r = c
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": "encore-un@exemple.fr", "password": "x"}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 429, "a fourth e-mail from the same address is refused");
    assert!(r.headers().get("retry-after").is_some());
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body["detail"].as_str().is_some_and(|d| d.starts_with("Trop de tentatives")), "{body}");
    app.stop().await;
}

/// A NUL (and any other control character but line breaks and tabs) is refused with 422
/// and a French message wherever text comes in, the same on both databases (PostgreSQL
/// answered 500 to a NUL).
async fn control_characters_on(db: Db) {
    let app = TestApp::spawn_with(db, Config::default()).await;
    let c = app.client.clone();
    let refused = |status: u16, body: &serde_json::Value| {
        assert_eq!(status, 422, "{body}");
        assert!(body["detail"].as_str().is_some_and(|d| d.contains("caractères de contrôle")), "{body}");
    };
    let (status, body) = app
        .post_json(
            &c,
            "/api/auth/register",
            json!({"email": "nul@exemple.fr", "password": "motdepasse-solide", "name": "Ni\u{0}l"}),
        )
        .await;
    refused(status, &body);
    app.sign_up(&c, "nul@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let (status, body) = app.say(&c, id, "Bonjour\u{0}, comment allez-vous ?").await;
    refused(status, &body);
    let (status, body) = app.say(&c, id, "Bonjour\u{85} madame").await;
    refused(status, &body);
    let (status, body) = app.say(&c, id, "Bonjour,\n\tcomment allez-vous ?").await;
    assert_eq!(status, 200, "line breaks and tabs are text: {body}");
    let (status, body) = app
        .post_json(
            &c,
            "/api/voice/session",
            json!({"skill": "ecoute_active\u{0}", "sector": "generic", "level": "easy"}),
        )
        .await;
    refused(status, &body);

    // The demo request form of /enterprise: an HTML page says it, nothing is stored.
    let csrf = app.csrf_in_main();
    let r = c
        .post(app.url("/enterprise"))
        .form(&[
            ("name", "Anne\u{0}"),
            ("email", "anne@exemple.fr"),
            ("company", "Maréchal"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("demo request");
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("page").contains("caractères de contrôle"));
    assert!(app.store.demo_requests().await.expect("requests").is_empty());

    // An upload's name and file name. (A NUL in the file name breaks the part's headers:
    // the form is unreadable, 400.)
    app.enrol("nul@exemple.fr", "enterprise", Some(("Nulle part", "manager"))).await;
    for (name, file_name) in [("Appel\u{0}", "appel.txt"), ("Appel", "appel\u{85}.txt"), ("Appel", "appel\u{0}.txt")] {
        let form = reqwest::multipart::Form::new().text("consent", "true").text("name", name).part(
            "file",
            reqwest::multipart::Part::bytes(b"Vendeur : Bonjour.\nClient : Bonjour.".to_vec()).file_name(file_name),
        );
        let r = c
            .post(app.url("/api/champions/upload"))
            .header("x-csrf-token", &csrf)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = r.status().as_u16();
        let body = r.json().await.expect("json");
        if file_name.contains('\0') {
            assert_eq!(status, 400, "{body}");
        } else {
            refused(status, &body);
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn control_characters_are_refused_on_both_databases() {
    control_characters_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => control_characters_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

/// The status and body of a response, the body as JSON (`Null` when it is not JSON).
async fn answer(r: reqwest::Response) -> (u16, Option<String>, serde_json::Value) {
    let status = r.status().as_u16();
    let content_type = r.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, content_type, r.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn every_api_error_is_json_of_one_shape() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "erreurs@exemple.fr").await;
    app.enrol("erreurs@exemple.fr", "enterprise", Some(("Erreurs", "manager"))).await;
    let id = app.start_session(&c, "ecoute_active").await;
    let csrf = app.csrf_in_main();
    let cases = [
        (
            "a bad query string",
            c.get(app.url(&format!("/api/voice/session/{id}/audio/1?ambiance=peut-être"))),
            400,
            "Paramètres de l’adresse invalides.",
        ),
        (
            "multipart without a boundary",
            c.post(app.url("/api/champions/upload"))
                .header("x-csrf-token", &csrf)
                .header("content-type", "multipart/form-data")
                .body("x"),
            400,
            "Formulaire d’envoi illisible",
        ),
        ("a WebSocket route without Upgrade", c.get(app.url(&format!("/api/voice/session/{id}/ws"))), 400, "WebSocket"),
        (
            "JSON syntax",
            c.post(app.url("/api/auth/login")).header("content-type", "application/json").body("{\"email\": "),
            400,
            "JSON mal formé.",
        ),
        ("a method the route does not serve", c.put(app.url("/api/champions")).json(&json!({})), 405, "Méthode"),
    ];
    for (what, request, status, detail) in cases {
        let (got, content_type, body) = answer(request.send().await.expect("request")).await;
        assert_eq!(got, status, "{what}: {body}");
        assert_eq!(content_type.as_deref(), Some("application/json"), "{what}");
        let said = body["detail"].as_str().unwrap_or_default();
        assert!(said.contains(detail) && body.as_object().is_some_and(|o| o.len() == 1), "{what}: {body}");
    }

    // A binary upload is told about the file type, not about JSON.
    let form = reqwest::multipart::Form::new()
        .text("consent", "true")
        .text("name", "Binaire")
        .part("file", reqwest::multipart::Part::bytes(vec![0x00, 0xFF, 0x13, 0x37, 0x00, 0x01]).file_name("a.bin"));
    let r = c.post(app.url("/api/champions/upload")).header("x-csrf-token", &csrf).multipart(form).send().await;
    let (status, _, body) = answer(r.expect("upload")).await;
    assert_eq!(status, 415);
    let said = body["detail"].as_str().unwrap_or_default();
    assert!(said.starts_with("Format de fichier non reconnu") && !said.contains("JSON (Content-Type"), "{body}");

    // Seeds stay exact in JavaScript: 2^53 − 1 at most.
    for (seed, status) in [(1u64 << 53, 422), ((1u64 << 53) - 1, 201)] {
        let (got, body) = app
            .post_json(
                &c,
                "/api/voice/session",
                json!({"skill": "ecoute_active", "sector": "generic", "level": "easy", "seed": seed}),
            )
            .await;
        assert_eq!(got, status, "seed {seed}: {body}");
    }
    app.stop().await;
}

/// The `Set-Cookie` header of `name` in `r`, if any.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

#[tokio::test]
async fn behind_https_cookies_are_secure_the_csrf_token_is_renewed_at_login_and_nothing_personal_is_cached() {
    let app = TestApp::spawn_with(Db::Sqlite, Config { secure_cookies: true, ..Config::default() }).await;
    // A client without a cookie jar: `Secure` cookies are not sent back over plain HTTP.
    let raw = common::client();
    let r = raw.get(app.url("/health")).send().await.expect("health");
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
    let csrf = set_cookie(&r, "replique_csrf").expect("a CSRF cookie for a new visitor");
    assert!(csrf.contains("; Secure"), "{csrf}");
    let token = csrf.split(';').next().unwrap_or_default().to_owned();

    let register = json!({"email": "https@exemple.fr", "password": "motdepasse-solide", "name": "Hugo"});
    let r = raw.post(app.url("/api/auth/register")).header("cookie", &token).json(&register).send().await;
    let r = r.expect("register");
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let renewed = set_cookie(&r, "replique_csrf").expect("a new CSRF token at sign-up");
    assert!(renewed.contains("; Secure") && !renewed.starts_with(&token), "{renewed}");
    let session = set_cookie(&r, "replique_session").expect("session");
    assert!(session.contains("; Secure"));
    let session = session.split(';').next().unwrap_or_default().to_owned();

    let login = json!({"email": "https@exemple.fr", "password": "motdepasse-solide"});
    let r = raw.post(app.url("/api/auth/login")).header("cookie", &token).json(&login).send().await;
    let r = r.expect("login");
    assert_eq!(r.status(), 200);
    let renewed = set_cookie(&r, "replique_csrf").expect("a new CSRF token at login");
    assert!(!renewed.starts_with(&token), "the token known before the login is replaced");

    for path in ["/api/auth/me", "/skills", "/"] {
        let r = raw.get(app.url(path)).header("cookie", format!("{session}; {token}")).send().await;
        let r = r.expect("page");
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    let r = raw.get(app.url("/static/app.css")).header("cookie", &session).send().await.expect("asset");
    assert_eq!(r.headers()["cache-control"], "public, max-age=3600", "public assets keep their caching");
    app.stop().await;

    let plain = TestApp::spawn().await;
    let r = plain.client.get(plain.url("/health")).send().await.expect("health");
    assert!(r.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    let csrf = set_cookie(&r, "replique_csrf").expect("cookie");
    assert!(!csrf.contains("Secure"));
    plain.stop().await;
}

mod connections {
    //! Idle and slow connections are closed; past the cap, a new connection gets 503.

    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::common::{Db, TestApp};
    use replique_web::Config;

    /// Reads until the server closes the connection (at most `within`); what it sent.
    async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        let read = tokio::time::timeout(within, async {
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
        })
        .await;
        read.ok().map(|()| String::from_utf8_lossy(&seen).into_owned())
    }

    const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n";

    #[tokio::test]
    async fn idle_and_slow_connections_are_closed() {
        let config = Config {
            idle_timeout: Duration::from_millis(300),
            header_read_timeout: Duration::from_millis(300),
            ..Config::default()
        };
        let app = TestApp::spawn_with(Db::Sqlite, config).await;

        // A keep-alive connection is answered, then closed once idle.
        let mut idle = TcpStream::connect(app.addr).await.expect("connect");
        idle.write_all(HEALTH).await.expect("write");
        let seen = until_closed(&mut idle, Duration::from_secs(5)).await.expect("closed when idle");
        assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");

        // Headers that never end: the connection is closed.
        let mut slow = TcpStream::connect(app.addr).await.expect("connect");
        slow.write_all(b"GET /health HTTP/1.1\r\nhost: local").await.expect("write");
        assert!(until_closed(&mut slow, Duration::from_secs(5)).await.is_some(), "closed before the headers end");

        // A connection that sends nothing is closed too.
        let mut silent = TcpStream::connect(app.addr).await.expect("connect");
        assert!(until_closed(&mut silent, Duration::from_secs(5)).await.is_some());
        app.stop().await;
    }

    #[tokio::test]
    async fn past_the_connection_cap_a_new_connection_gets_503_and_the_others_go_on() {
        let app = TestApp::spawn_with(Db::Sqlite, Config { max_connections: 2, ..Config::default() }).await;
        let mut first = TcpStream::connect(app.addr).await.expect("connect");
        first.write_all(HEALTH).await.expect("write");
        let mut buf = [0u8; 1024];
        let n = first.read(&mut buf).await.expect("read");
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        let second = TcpStream::connect(app.addr).await.expect("connect");

        let mut third = TcpStream::connect(app.addr).await.expect("connect");
        let refused = until_closed(&mut third, Duration::from_secs(5)).await.expect("refused and closed");
        assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
        assert!(refused.contains("retry-after: 1") && refused.contains("très sollicité"), "{refused}");

        // The open connections still work; once one closes, a new one is served.
        first.write_all(HEALTH).await.expect("write");
        let n = first.read(&mut buf).await.expect("read");
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        drop(second);
        let served = async {
            loop {
                let r = app.other_client().get(app.url("/health")).send().await;
                if r.is_ok_and(|r| r.status() == 200) {
                    return;
                }
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(Duration::from_secs(5), served).await.expect("a place frees up");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_metrics_listener_counts_turns_answers_sockets_and_the_pool() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "mesures@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    for line in &common::GOOD_CONVERSATION[..2] {
        let (status, turn) = app.say(&c, id, line).await;
        assert_eq!(status, 200, "{turn}");
    }
    assert_eq!(c.get(app.url("/pas-de-page")).send().await.expect("get").status(), 404);
    // The public listener has no metrics; the metrics listener has nothing else.
    assert_eq!(c.get(app.url("/metrics")).send().await.expect("get").status(), 404);
    let response = c.get(format!("{}/metrics", app.metrics)).send().await.expect("metrics");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().is_ok_and(|t| t.starts_with("application/openmetrics-text")));
    let text = response.text().await.expect("text");
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no series {series} in\n{text}"))
    };
    assert_eq!(value("replique_turns_total"), 2.0);
    assert_eq!(value("replique_turn_duration_seconds_count"), 2.0);
    for stage in ["read", "store"] {
        assert_eq!(value(&format!("replique_turn_stage_duration_seconds_count{{stage=\"{stage}\"}}")), 2.0, "{stage}");
    }
    assert!(value("replique_http_responses_total{class=\"2xx\"}") >= 4.0);
    assert!(value("replique_http_responses_total{class=\"4xx\"}") >= 2.0);
    assert_eq!(value("replique_websockets_open"), 0.0);
    assert_eq!(value("replique_voice_sessions_active"), 0.0);
    assert!(value("replique_voice_sessions_max") >= 100.0);
    assert_eq!(value("replique_voice_sessions_refused_total"), 0.0);
    assert!(value("replique_db_pool_connections{state=\"idle\"}") >= 0.0);
    // No model nor transcription here: their series are there, at zero.
    assert_eq!(value("replique_turn_stage_duration_seconds_count{stage=\"llm\"}"), 0.0);
    assert_eq!(value("replique_llm_calls_total{outcome=\"failed\"}"), 0.0);
    assert_eq!(value("replique_stt_calls_total{outcome=\"ok\"}"), 0.0);
    assert!(text.ends_with("# EOF\n"));
    app.stop().await;
}
