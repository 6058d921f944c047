//! Several instances over one database (SPEC 9): a conversation goes on from any instance,
//! and the login limit counts the attempts seen by all of them, even simultaneous ones.

mod common;

use common::{Db, TestApp};
use serde_json::json;

async fn instances_share_sessions_and_limits(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let other = app.another_instance().await;
    let c = app.client.clone();
    app.sign_up(&c, "partout@exemple.fr").await;

    // Started on one instance, answered on the other, ended on the first.
    let id = app.start_session(&c, "ecoute_active").await;
    let r = c
        .post(format!("{other}/api/voice/session/{id}/respond"))
        .json(&json!({"message": "Bonjour, comment allez-vous ?"}))
        .send()
        .await
        .expect("respond");
    assert_eq!(r.status(), 200, "the login session and the conversation are in the database");
    let (status, _) = app.post_json(&c, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200);

    // Failed logins, spread over both instances, add up.
    let stranger = app.other_client();
    let wrong = json!({"email": "partout@exemple.fr", "password": "pas-le-bon-mot"});
    let here = app.url("");
    let login =
        |base: &str| stranger.post(format!("{}/api/auth/login", base.trim_end_matches('/'))).json(&wrong).send();
    for base in [&here, &other, &here, &other, &here] {
        assert_eq!(login(base).await.expect("login").status(), 401);
    }
    for base in [&other, &here] {
        let r = login(base).await.expect("login");
        assert_eq!(r.status(), 429, "five failures in all, wherever they happened");
        assert!(r.headers().get("retry-after").is_some());
    }

    // Simultaneous attempts are all counted: no more than five get to try a password.
    let wrong = json!({"email": "autre@exemple.fr", "password": "pas-le-bon-mot"});
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..10 {
        let (client, url, body) = (
            stranger.clone(),
            if i % 2 == 0 { app.url("/api/auth/login") } else { format!("{other}/api/auth/login") },
            wrong.clone(),
        );
        attempts.spawn(async move { client.post(url).json(&body).send().await.expect("login").status().as_u16() });
    }
    let mut statuses = attempts.join_all().await;
    statuses.sort_unstable();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    app.stop().await;
}

#[tokio::test]
async fn instances_over_one_database_share_sessions_and_login_limits() {
    instances_share_sessions_and_limits(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => instances_share_sessions_and_limits(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}
