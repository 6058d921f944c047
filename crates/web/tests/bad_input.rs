//! Bad input gets a clear error with the right status, and nothing is written.

mod common;

use common::{Db, TestApp, client};
use replique_web::Config;
use serde_json::json;

#[tokio::test]
async fn malformed_or_unexpected_bodies() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "claire@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let respond = app.url(&format!("/api/voice/session/{id}/respond"));

    let r =
        c.post(&respond).header("content-type", "application/json").body("{\"message\": ").send().await.expect("send");
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<serde_json::Value>().await.expect("json")["detail"], "JSON mal formé.");

    let r =
        c.post(&respond).header("content-type", "application/json").body("{\"msg\": 3}").send().await.expect("send");
    assert_eq!(r.status(), 422);
    assert!(
        r.json::<serde_json::Value>().await.expect("json")["detail"].as_str().is_some_and(|d| d.contains("message"))
    );

    let (status, body) = app.say(&c, id, "   ").await;
    assert_eq!((status, body["detail"].as_str()), (422, Some("Le message est vide.")));

    for wordless in ["😀😀😀", "??? !!! 123", "…"] {
        let (status, body) = app.say(&c, id, wordless).await;
        assert_eq!(status, 422, "{wordless}: {body}");
        assert!(body["detail"].as_str().is_some_and(|d| d.contains("aucun mot")), "{body}");
    }
    let (status, body) = app.say(&c, id, "Bonjour\u{0}, madame").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app.say(&c, id, &"a".repeat(2001)).await;
    assert_eq!(status, 413, "{body}");

    let huge = json!({ "message": "x".repeat(10 * 1024 * 1024) }).to_string();
    let r = c.post(&respond).header("content-type", "application/json").body(huge).send().await.expect("send");
    assert_eq!(r.status(), 413);
    assert!(r.json::<serde_json::Value>().await.expect("json")["detail"].is_string());

    // None of that wrote anything: only the opening line is stored.
    assert_eq!(app.store.messages(id).await.expect("messages").len(), 1);

    let (status, body) = app
        .post_json(&c, "/api/voice/session", json!({"skill": "inexistante", "sector": "generic", "level": "easy"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("inexistante")));
    let (status, _) = app
        .post_json(&c, "/api/voice/session", json!({"skill": "ecoute_active", "sector": "generic", "level": "facile"}))
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .post_json(&c, "/api/voice/session", json!({"skill": "ecoute_active", "sector": "lune", "level": "easy"}))
        .await;
    assert_eq!(status, 422);

    for path in ["/api/voice/session/999999", "/api/voice/session/abc", "/api/voice/session/999999/report", "/api/nope"]
    {
        let (status, body) = app.get_json(&c, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body["detail"].is_string(), "{path}: {body}");
    }
    // The report of a session still running is not ready yet.
    let (status, _) = app.get_json(&c, &format!("/api/voice/session/{id}/report")).await;
    assert_eq!(status, 409);
    app.stop().await;
}

#[tokio::test]
async fn accounts_and_login_errors() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    let (status, _) = app
        .post_json(
            &c,
            "/api/auth/register",
            json!({"email": "pas-un-email", "password": "motdepasse-solide", "name": "X"}),
        )
        .await;
    assert_eq!(status, 422);
    let (status, body) = app
        .post_json(&c, "/api/auth/register", json!({"email": "d@exemple.fr", "password": "court", "name": "X"}))
        .await;
    assert_eq!(status, 422, "{body}");
    app.sign_up(&c, "denis@exemple.fr").await;
    let (status, _) = app
        .post_json(
            &c,
            "/api/auth/register",
            json!({"email": "Denis@Exemple.fr", "password": "motdepasse-solide", "name": "X"}),
        )
        .await;
    assert_eq!(status, 409, "emails are case-insensitive");

    // A wrong password and an unknown email look the same.
    let anon = client();
    let (s1, wrong_password) =
        app.post_json(&anon, "/api/auth/login", json!({"email": "denis@exemple.fr", "password": "mauvais-mot"})).await;
    let (s2, unknown_email) = app
        .post_json(&anon, "/api/auth/login", json!({"email": "personne@exemple.fr", "password": "mauvais-mot"}))
        .await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(wrong_password, unknown_email);

    // Five failures, then 429 even with the right password.
    for _ in 0..4 {
        app.post_json(&anon, "/api/auth/login", json!({"email": "denis@exemple.fr", "password": "mauvais-mot"})).await;
    }
    let r = anon
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": "denis@exemple.fr", "password": "motdepasse-solide"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());

    // Without a session, the API says 401.
    let (status, body) = app
        .post_json(
            &client(),
            "/api/voice/session",
            json!({"skill": "ecoute_active", "sector": "generic", "level": "easy"}),
        )
        .await;
    assert_eq!(status, 401);
    assert!(body["detail"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn an_expired_login_is_refused() {
    let app = TestApp::spawn_with(Db::Sqlite, Config { login_ttl_seconds: 0, ..Config::default() }).await;
    let c = app.client.clone();
    app.sign_up(&c, "eve@exemple.fr").await;
    let (status, _) = app.get_json(&c, "/api/auth/me").await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "farid@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let respond = app.url(&format!("/api/voice/session/{id}/respond"));

    // A form-encoded or plain-text POST (what a cross-site form can send) is refused.
    let r =
        c.post(&respond).header("content-type", "text/plain").body("{\"message\":\"hi\"}").send().await.expect("send");
    assert_eq!(r.status(), 403);
    // So is a JSON call from another origin.
    let r = c
        .post(&respond)
        .header("origin", "http://evil.example")
        .json(&json!({"message": "Bonjour ?"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    // A page form without the CSRF token is refused.
    let r = c
        .post(app.url(&format!("/training/session/{id}/say")))
        .form(&[("message", "Bonjour ?")])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    // So is one with the token, from another origin.
    let token = app.csrf_in_main();
    let r = c
        .post(app.url(&format!("/training/session/{id}/say")))
        .header("origin", "http://evil.example")
        .form(&[("message", "Bonjour ?"), ("csrf_token", token.as_str())])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    assert!(r.text().await.expect("page").contains("autre origine"));
    assert_eq!(app.store.messages(id).await.expect("messages").len(), 1);
    app.stop().await;
}
