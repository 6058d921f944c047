//! Hardening (issue 14): a flood of logins is stopped per address whatever the e-mail,
//! control characters are refused at the edge on both databases, every API error is JSON
//! of one shape, and the headers a logged-in browser needs are there.

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
        let form = reqwest::multipart::Form::new().text("name", name).part(
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
