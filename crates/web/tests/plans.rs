//! What each plan may do, taking effect on the next request.

mod common;

use common::TestApp;
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
