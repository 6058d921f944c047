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
