//! What each plan may do, taking effect on the next request.

mod common;

use common::{Db, TestApp};
use serde_json::json;

#[tokio::test]
async fn free_accounts_get_a_few_easy_sessions_and_plan_changes_apply_at_once() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "libre@exemple.fr").await;
    let start = |level: &'static str| json!({"skill": "ecoute_active", "sector": "generic", "level": level});

    // A trial that has run out counts as free.
    assert!(app.store.set_plan("libre@exemple.fr", "trial", Some(1)).await.expect("plan"));
    let (status, body) = app.post_json(&c, "/api/voice/session", start("medium")).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("débutant")));
    for _ in 0..3 {
        let (status, body) = app.post_json(&c, "/api/voice/session", start("easy")).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = app.post_json(&c, "/api/voice/session", start("easy")).await;
    assert_eq!(status, 403);
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("3 sessions gratuites")), "{body}");

    // Premium from the next request on, without logging in again.
    assert!(app.store.set_plan("libre@exemple.fr", "premium", None).await.expect("plan"));
    let (status, _) = app.post_json(&c, "/api/voice/session", start("expert")).await;
    assert_eq!(status, 201);
    let (_, me) = app.get_json(&c, "/api/auth/me").await;
    assert_eq!(me["user"]["plan"], "premium");
    app.stop().await;
}

#[tokio::test]
async fn the_skill_page_tells_a_free_learner_what_is_left_and_why_a_start_is_refused() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "gratuit@exemple.fr").await;
    assert!(app.store.set_plan("gratuit@exemple.fr", "free", None).await.expect("plan"));
    let page =
        || async { c.get(app.url("/skills/ecoute_active")).send().await.expect("page").text().await.expect("html") };

    let html = page().await;
    assert!(html.contains("niveau débutant, 3 sessions restantes ce mois-ci"), "{html}");
    assert!(html.contains(r#"value="medium" disabled> Intermédiaire (Premium)"#), "{html}");
    assert!(html.contains(r#"value="easy" checked>"#), "easy is the free plan's level");
    for _ in 0..3 {
        let (status, _) = app
            .post_json(
                &c,
                "/api/voice/session",
                json!({"skill": "ecoute_active", "sector": "generic", "level": "easy"}),
            )
            .await;
        assert_eq!(status, 201);
    }
    let html = page().await;
    assert!(html.contains("vos sessions du mois sont utilisées"), "{html}");

    // Starting anyway: the skill page again, with the reason and the way to the offers.
    let at = html.find("name=\"csrf_token\" value=\"").expect("token") + "name=\"csrf_token\" value=\"".len();
    let token = html[at..at + 64].to_owned();
    let r = c
        .post(app.url("/skills/ecoute_active/start"))
        .form(&[("sector", "generic"), ("level", "easy"), ("variant", ""), ("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    let html = r.text().await.expect("html");
    assert!(html.contains(r#"<p class="alert" role="alert">Vous avez utilisé vos 3 sessions gratuites"#), "{html}");
    assert!(html.contains(r##"href="/enterprise#tarifs""##) && html.contains("id=\"start-form\""));
    app.stop().await;
}

/// Five simultaneous starts of a free learner on `db`: exactly three sessions.
async fn simultaneous_starts_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let hurried = app.other_client();
    app.sign_up(&hurried, "presse@exemple.fr").await;
    assert!(app.store.set_plan("presse@exemple.fr", "free", None).await.expect("plan"));
    let body = json!({"skill": "ecoute_active", "sector": "generic", "level": "easy"});
    let (a, b, d, e, f) = tokio::join!(
        app.post_json(&hurried, "/api/voice/session", body.clone()),
        app.post_json(&hurried, "/api/voice/session", body.clone()),
        app.post_json(&hurried, "/api/voice/session", body.clone()),
        app.post_json(&hurried, "/api/voice/session", body.clone()),
        app.post_json(&hurried, "/api/voice/session", body.clone()),
    );
    let mut statuses = [a.0, b.0, d.0, e.0, f.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 201, 201, 403, 403]);
    app.stop().await;
}

#[tokio::test]
async fn simultaneous_starts_cannot_exceed_the_free_allowance() {
    simultaneous_starts_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => simultaneous_starts_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

#[tokio::test]
async fn an_expired_trial_is_announced_on_the_dashboard() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "essai@exemple.fr").await;
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(!home.contains("essai gratuit est terminé"), "a running trial: {home}");

    assert!(app.store.set_plan("essai@exemple.fr", "trial", Some(1)).await.expect("plan"));
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(
        home.contains("Votre essai gratuit est terminé depuis le 1\u{a0}janv.\u{a0}1970. Votre compte est passé en formule gratuite"),
        "{home}"
    );

    // A free account that never had a trial is not told its trial ended.
    assert!(app.store.set_plan("essai@exemple.fr", "free", None).await.expect("plan"));
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(!home.contains("essai gratuit est terminé"), "{home}");
    app.stop().await;
}
