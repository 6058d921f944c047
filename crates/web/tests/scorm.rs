//! SCORM 1.2 over HTTP, on SQLite and PostgreSQL: who may export a skill's package (a
//! manager; others 401, 403; an unknown skill 404, a bad pass mark 422), what the package
//! holds, and the launch: the signed link needs a logged-in member of the organisation,
//! binds the attempt to them, and the status the launch page polls goes from
//! `not attempted` to `incomplete` to `passed` with the score. Forged or foreign tokens
//! and attempts get 403, 404, 409 or 422. (The package in a real SCORM runtime, in
//! Chromium: `browser.rs`.)

mod common;

use std::io::Read;

use common::{Db, TestApp};
use serde_json::{Value, json};

struct Member {
    client: reqwest::Client,
}

async fn member(app: &TestApp, email: &str, org: Option<(&str, &str)>, plan: &str) -> Member {
    let client = app.other_client();
    app.sign_up(&client, email).await;
    app.enrol(email, plan, org).await;
    Member { client }
}

/// The files of a zip, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut text = String::new();
            file.read_to_string(&mut text).expect("utf-8");
            (file.name().expect("name").into_owned(), text)
        })
        .collect()
}

/// The launch token inside a package's launch page.
fn token_of(launch: &str) -> String {
    let start = launch.find("data-token=\"").expect("token") + "data-token=\"".len();
    launch[start..].split('"').next().expect("token").to_owned()
}

async fn status(app: &TestApp, token: &str, attempt: &str) -> (u16, Value) {
    let response = common::client()
        .get(app.url("/api/scorm/status"))
        .query(&[("token", token), ("attempt", attempt)])
        .header("origin", "https://lms.exemple.fr")
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers().get("access-control-allow-origin").map(|v| v.to_str().expect("ascii")), Some("*"));
    let code = response.status().as_u16();
    (code, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_manager_exports_a_skill_and_the_lms_gets_the_learners_result() {
    story_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => story_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn story_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let manager = member(&app, "manager@exemple.fr", Some(("Alpha", "manager")), "enterprise").await;
    let learner = member(&app, "lea@exemple.fr", Some(("Alpha", "learner")), "enterprise").await;
    let colleague = member(&app, "colleague@exemple.fr", Some(("Alpha", "learner")), "enterprise").await;
    let outsider = member(&app, "bob@exemple.fr", Some(("Beta", "learner")), "enterprise").await;
    let solo = member(&app, "solo@exemple.fr", None, "premium").await;

    // Who may export.
    let get = |client: &reqwest::Client, path: &str| client.get(app.url(path)).send();
    let path = "/api/scorm/ecoute_active.zip?pass_mark=0";
    assert_eq!(get(&common::client(), path).await.expect("get").status(), 401);
    assert_eq!(get(&learner.client, path).await.expect("get").status(), 403, "learners do not export");
    assert_eq!(get(&solo.client, path).await.expect("get").status(), 403, "nor accounts outside Enterprise");
    for (bad, code) in [
        ("/api/scorm/nope.zip", 404),
        ("/api/scorm/ecoute_active", 404),
        ("/api/scorm/ecoute_active.zip?pass_mark=101", 422),
        ("/api/scorm/ecoute_active.zip?pass_mark=abc", 422),
    ] {
        let response = get(&manager.client, bad).await.expect("get");
        assert_eq!(response.status(), code, "{bad}");
        let body: Value = response.json().await.expect("json error");
        assert!(body["detail"].is_string(), "{body}");
    }
    let response = get(&manager.client, path).await.expect("get");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"replique-ecoute_active-scorm12.zip\""
    );
    let files = unzip(&response.bytes().await.expect("bytes"));
    let manifest = &files.iter().find(|(n, _)| n == "imsmanifest.xml").expect("manifest").1;
    assert!(manifest.contains("adlcp:scormtype=\"sco\"") && manifest.contains("<schemaversion>1.2</schemaversion>"));
    assert!(manifest.contains("<adlcp:masteryscore>0</adlcp:masteryscore>"));
    let launch = &files.iter().find(|(n, _)| n == "launch.html").expect("launch page").1;
    assert!(launch.contains(&format!("data-base=\"{}\"", app.base)), "the app's public URL: {launch}");
    let token = token_of(launch);

    // The launch page draws an attempt; nobody opened it yet.
    let attempt = "0123456789abcdef0123456789abcdef";
    assert_eq!(status(&app, &token, attempt).await, (200, json!({"lesson_status": "not attempted", "score": null})));

    // The link needs a login, then binds the attempt to the learner and opens the skill.
    let launch_url = format!("/scorm/launch?token={token}&attempt={attempt}");
    let anonymous = get(&common::client(), &launch_url).await.expect("get");
    assert_eq!(anonymous.status(), 303);
    assert!(anonymous.headers()["location"].to_str().expect("ascii").starts_with("/login?next="));
    let refused = get(&outsider.client, &launch_url).await.expect("get");
    assert_eq!(refused.status(), 403, "a member of another organisation");
    let opened = get(&learner.client, &launch_url).await.expect("get");
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], "/skills/ecoute_active");
    assert_eq!(status(&app, &token, attempt).await, (200, json!({"lesson_status": "incomplete", "score": null})));
    let taken = get(&colleague.client, &launch_url).await.expect("get");
    assert_eq!(taken.status(), 409, "the attempt is the learner's");

    // A session of another skill does not count; one of the skill does.
    let other = app.start_session(&learner.client, "cold_calling").await;
    app.say(&learner.client, other, "Bonjour, je vous appelle au sujet de votre équipe commerciale.").await;
    app.post_json(&learner.client, &format!("/api/voice/session/{other}/end"), json!({})).await;
    assert_eq!(status(&app, &token, attempt).await.1["lesson_status"], "incomplete");
    let id = app.start_session(&learner.client, "ecoute_active").await;
    let (code, _) = app.say(&learner.client, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(code, 200);
    let (code, _) = app.post_json(&learner.client, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(code, 200);
    let report: Value =
        serde_json::from_str(&app.store.report_json(id).await.expect("report").expect("stored")).expect("json");
    let (code, result) = status(&app, &token, attempt).await;
    assert_eq!(code, 200);
    assert_eq!(result, json!({"lesson_status": "passed", "score": report["final_score"]}));

    // Forged, damaged, foreign.
    let forged = token.replacen(".ecoute_active.", ".cold_calling.", 1);
    assert_eq!(status(&app, &forged, attempt).await.0, 403);
    assert_eq!(status(&app, "v1.1.x", attempt).await.0, 403);
    assert_eq!(status(&app, &token, "ABC").await.0, 422);
    let response = common::client().get(app.url("/api/scorm/status")).send().await.expect("get");
    assert_eq!(response.status(), 422);
    let other_package = get(&manager.client, "/api/scorm/cold_calling.zip").await.expect("get");
    let other_token = token_of(&unzip(&other_package.bytes().await.expect("bytes"))[1].1);
    assert_eq!(status(&app, &other_token, attempt).await.0, 404, "the attempt belongs to another package");
    assert_eq!(
        get(&learner.client, &format!("/scorm/launch?token={forged}&attempt={attempt}")).await.expect("get").status(),
        403
    );
    app.stop().await;
}
