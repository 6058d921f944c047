//! Scenario generation through the API, against a local OpenAI-compatible server: a valid
//! answer, an invalid one repaired at the second attempt, a hopeless one (the catalogue
//! template answers), and no provider at all.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Db, TestApp};
use replique_core::Catalog;
use replique_llm::{Limits, Llm, LlmConfig, Provider};
use replique_web::Config;
use serde_json::json;

/// A server answering each call with the next of `answers` (the last one repeats).
async fn model(answers: Vec<String>) -> (Llm, Arc<AtomicUsize>) {
    slow_model(answers, Duration::ZERO).await
}

/// The same, taking `delay` to answer.
async fn slow_model(answers: Vec<String>, delay: Duration) -> (Llm, Arc<AtomicUsize>) {
    use axum::response::IntoResponse;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let answers = Arc::new(answers);
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let answers = Arc::clone(&answers);
            async move {
                tokio::time::sleep(delay).await;
                let text = answers[n.min(answers.len() - 1)].clone();
                axum::Json(json!({"choices": [{"message": {"role": "assistant", "content": text}}]})).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let llm = Llm::new(LlmConfig {
        provider: Provider::OpenAi,
        base_url: format!("http://{addr}/v1"),
        api_key: None,
        model: "test".into(),
        timeout: Duration::from_secs(5),
    });
    (llm, calls)
}

fn new_template() -> serde_json::Value {
    let catalog = Catalog::embedded().expect("catalogue");
    let mut t = serde_json::to_value(catalog.template("ecoute_active_1").expect("template")).expect("json");
    t["prospect"]["name"] = "Odile Vasseur-Prat".into();
    t["prospect"]["company"] = "Quincaillerie Prat & Fils".into();
    t["scenario_flow"]["opening"]["prospect_first_response"] = "Prat et Fils, j'écoute ?".into();
    t["name"] = "Quincaillier bavard".into();
    t
}

async fn generate(app: &TestApp) -> (u16, serde_json::Value) {
    app.post_json(
        &app.client,
        "/api/scenarios/generate",
        json!({"skill": "ecoute_active", "sector": "generic", "level": "easy"}),
    )
    .await
}

#[tokio::test]
async fn a_valid_scenario_is_stored_and_playable_by_its_owner_only() {
    let (llm, calls) = model(vec![format!("```json\n{}\n```", new_template())]).await;
    let app = TestApp::spawn_full(Db::Sqlite, Config::default(), Some(llm)).await;
    app.sign_up(&app.client, "gen@exemple.fr").await;
    let (status, outcome) = generate(&app).await;
    assert_eq!(status, 201, "{outcome}");
    assert_eq!(outcome["generated"], true);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let variant = outcome["template_id"].as_str().expect("id").to_owned();
    assert!(variant.starts_with("gen:"));
    let (_, list) = app.get_json(&app.client, "/api/scenarios/generated").await;
    assert_eq!(list[0]["name"], "Quincaillier bavard");
    let start = json!({"skill": "ecoute_active", "sector": "generic", "level": "easy", "variant": variant});
    let (status, started) = app.post_json(&app.client, "/api/voice/session", start.clone()).await;
    assert_eq!(status, 201, "{started}");
    assert_eq!(started["opening"], "Prat et Fils, j'écoute\u{202f}?");
    let other = app.other_client();
    app.sign_up(&other, "autre-gen@exemple.fr").await;
    let (status, _) = app.post_json(&other, "/api/voice/session", start).await;
    assert_eq!(status, 404, "a generated scenario is its user's own");

    // From the skill page: the button, then straight into the new scenario.
    let page = app.client.get(app.url("/skills/ecoute_active")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("/skills/ecoute_active/generate"));
    let at = page.find("name=\"csrf_token\" value=\"").expect("token") + "name=\"csrf_token\" value=\"".len();
    let token = page[at..at + 64].to_owned();
    let r = app
        .client
        .post(app.url("/skills/ecoute_active/generate"))
        .form(&[("sector", "generic"), ("level", "easy"), ("variant", ""), ("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let session = r.headers()["location"].to_str().expect("location").to_owned();
    let html = app.client.get(app.url(&session)).send().await.expect("session").text().await.expect("html");
    assert!(html.contains("Odile Vasseur-Prat"), "the generated prospect answers");
    // And it stays on offer, to be played again.
    let page = app.client.get(app.url("/skills/ecoute_active")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains(&format!("<option value=\"{variant}\">Quincaillier bavard</option>")), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_answer_is_repaired_once_then_the_catalogue_answers() {
    let mut broken = new_template();
    broken["starting_gauge"] = "cinquante".into();
    let (llm, calls) = model(vec![broken.to_string(), new_template().to_string()]).await;
    let app = TestApp::spawn_full(Db::Sqlite, Config::default(), Some(llm)).await;
    app.sign_up(&app.client, "repair@exemple.fr").await;
    let (status, outcome) = generate(&app).await;
    assert_eq!((status, outcome["generated"].as_bool()), (201, Some(true)), "{outcome}");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one repair attempt");
    let (status, usage) = app.get_json(&app.client, "/api/llm/usage").await;
    assert_eq!(status, 200);
    assert_eq!((usage["today"]["calls"].as_i64(), usage["today"]["scenario_generations"].as_i64()), (Some(2), Some(1)));
    assert!(usage["today"]["input_tokens"].as_i64().is_some_and(|n| n > 0), "estimated when not reported: {usage}");
    app.stop().await;

    let (llm, calls) = model(vec!["Je ne peux pas écrire ce scénario.".into()]).await;
    let app = TestApp::spawn_full(Db::Sqlite, Config::default(), Some(llm)).await;
    app.sign_up(&app.client, "hopeless@exemple.fr").await;
    let (status, outcome) = generate(&app).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["generated"], false);
    assert_eq!(outcome["template_id"], "ecoute_active_1", "the closest catalogue template");
    assert!(outcome["fallback_reason"].as_str().is_some_and(|r| r.contains("validation")));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let (_, list) = app.get_json(&app.client, "/api/scenarios/generated").await;
    assert_eq!(list, json!([]), "nothing stored");
    app.stop().await;
}

#[tokio::test]
async fn without_a_provider_the_catalogue_answers_and_limits_apply_with_one() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.client, "offline@exemple.fr").await;
    let (status, outcome) = generate(&app).await;
    assert_eq!((status, outcome["generated"].as_bool()), (200, Some(false)));
    assert!(outcome["fallback_reason"].as_str().is_some_and(|r| r.contains("REPLIQUE_LLM_PROVIDER")));
    let (status, _) = app
        .post_json(
            &app.client,
            "/api/scenarios/generate",
            json!({"skill": "jonglage", "sector": "generic", "level": "easy"}),
        )
        .await;
    assert_eq!(status, 422);
    app.stop().await;

    // Failed attempts count too: a model that never writes a valid scenario still costs.
    let (llm, _) = model(vec!["Non.".into()]).await;
    let limits = Limits { scenarios_per_day: 2, ..Limits::default() };
    let app = TestApp::spawn_full(Db::Sqlite, Config { llm_limits: limits, ..Config::default() }, Some(llm)).await;
    app.sign_up(&app.client, "quota@exemple.fr").await;
    for _ in 0..2 {
        assert_eq!(generate(&app).await.0, 200);
    }
    let (status, body) = generate(&app).await;
    assert_eq!(status, 429, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("limite quotidienne")));
    app.stop().await;

    // Requests sent together do not get past the allowance either.
    let (llm, calls) = slow_model(vec![new_template().to_string()], Duration::from_millis(300)).await;
    let limits = Limits { scenarios_per_day: 2, ..Limits::default() };
    let app = TestApp::spawn_full(Db::Sqlite, Config { llm_limits: limits, ..Config::default() }, Some(llm)).await;
    app.sign_up(&app.client, "parallel@exemple.fr").await;
    let (a, b, c, d, e) = tokio::join!(generate(&app), generate(&app), generate(&app), generate(&app), generate(&app));
    let mut statuses = [a.0, b.0, c.0, d.0, e.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 201, 429, 429, 429]);
    assert_eq!(calls.load(Ordering::SeqCst), 2, "the model is called for the allowed ones only");
    app.stop().await;

    // The daily allowance of calls to the model stops generation too.
    let (llm, calls) = model(vec![new_template().to_string()]).await;
    let limits = Limits { calls_per_day: 1, ..Limits::default() };
    let app = TestApp::spawn_full(Db::Sqlite, Config { llm_limits: limits, ..Config::default() }, Some(llm)).await;
    app.sign_up(&app.client, "calls@exemple.fr").await;
    assert_eq!(generate(&app).await.0, 201);
    let (status, body) = generate(&app).await;
    assert_eq!(status, 429, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("appels au modèle")));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the model is not called past the limit");
    app.stop().await;
}

/// A learner on `plan`, signed up with their own client, in `org` with `role`.
async fn member(app: &TestApp, email: &str, plan: &str, org: Option<(&str, &str)>) -> reqwest::Client {
    let client = app.other_client();
    app.sign_up(&client, email).await;
    app.enrol(email, plan, org).await;
    client
}

#[tokio::test]
async fn a_manager_shares_a_generated_scenario_with_their_team_only() {
    sharing_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => sharing_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

/// Sharing, and the usage it costs, on one backend.
async fn sharing_on(db: Db) {
    let (llm, _) = model(vec![new_template().to_string()]).await;
    let app = TestApp::spawn_full(db, Config::default(), Some(llm)).await;
    let manager = member(&app, "manager@acme.fr", "enterprise", Some(("Acme", "manager"))).await;
    let learner = member(&app, "learner@acme.fr", "enterprise", Some(("Acme", "learner"))).await;
    let outsider = member(&app, "manager@globex.fr", "enterprise", Some(("Globex", "manager"))).await;
    let premium = member(&app, "solo@exemple.fr", "premium", None).await;
    let shared = json!({"skill": "ecoute_active", "sector": "generic", "level": "easy", "scope": "organisation"});

    for (client, who) in [(&learner, "a learner"), (&premium, "a premium user")] {
        let (status, body) = app.post_json(client, "/api/scenarios/generate", shared.clone()).await;
        assert_eq!(status, 403, "{who} cannot share: {body}");
    }
    let (status, outcome) = app.post_json(&manager, "/api/scenarios/generate", shared).await;
    assert_eq!((status, outcome["scope"].as_str()), (201, Some("organisation")), "{outcome}");
    let variant = outcome["template_id"].as_str().expect("id").to_owned();

    let (_, list) = app.get_json(&learner, "/api/scenarios/generated").await;
    assert_eq!((list[0]["template_id"].as_str(), list[0]["mine"].as_bool()), (Some(variant.as_str()), Some(false)));
    let start = json!({"skill": "ecoute_active", "sector": "generic", "level": "easy", "variant": variant});
    let (status, started) = app.post_json(&learner, "/api/voice/session", start.clone()).await;
    assert_eq!(status, 201, "a team member plays it: {started}");
    for client in [&outsider, &premium] {
        assert_eq!(app.post_json(client, "/api/voice/session", start.clone()).await.0, 404);
        assert_eq!(app.get_json(client, "/api/scenarios/generated").await.1, json!([]));
    }
    let (_, usage) = app.get_json(&manager, "/api/llm/usage").await;
    assert_eq!((usage["today"]["calls"].as_i64(), usage["today"]["scenario_generations"].as_i64()), (Some(1), Some(1)));
    assert_eq!(app.get_json(&learner, "/api/llm/usage").await.1["today"]["calls"], 0, "usage is per user");
    app.stop().await;
}
