//! A SCORM 1.2 package in a real SCORM runtime: scorm-again's `Scorm12API` (npm, installed
//! by `scripts/setup.sh test` under `target/scorm-again`) is the LMS's `window.API` on a
//! page served from another origin than Réplique; the package's launch page runs in its
//! frame, initialises, marks the lesson incomplete and shows the signed launch link. The
//! learner opens it and plays a session (over HTTP: Réplique's own pages have their tests);
//! the launch page then reports the score and `passed` through the runtime and finishes.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::Path as UrlPath;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::json;

use super::common::TestApp;
use super::{browser_programs, browser_required, open_browser, start_driver, wait_until};

/// scorm-again's SCORM 1.2 runtime, or `None` (the test skips) outside CI.
fn scorm_again() -> Option<PathBuf> {
    let dir = std::env::var_os("SCORM_AGAIN_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/scorm-again"), PathBuf::from);
    let script = dir.join("node_modules/scorm-again/dist/scorm12.js");
    if script.exists() {
        return Some(script);
    }
    assert!(!browser_required(), "scorm-again is required here: run scripts/setup.sh test");
    eprintln!("skipped: scorm-again is not installed (scripts/setup.sh test puts it in target/scorm-again)");
    None
}

const LMS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS de test</title>
<script src="/scorm12.js"></script>
<script>window.API = new Scorm12API({ autocommit: false, logLevel: 5 });</script>
</head><body><iframe id="sco" src="/pkg/launch.html" width="900" height="600"></iframe></body></html>"#;

/// Serves the LMS page, the runtime and the unzipped package; its base URL.
async fn serve_lms(runtime: String, package: HashMap<String, String>) -> String {
    let files = Arc::new(package);
    let router = axum::Router::new()
        .route("/", axum::routing::get(|| async { axum::response::Html(LMS_PAGE) }))
        .route(
            "/scorm12.js",
            axum::routing::get(move || {
                let runtime = runtime.clone();
                async move { ([(header::CONTENT_TYPE, "text/javascript")], runtime) }
            }),
        )
        .route(
            "/pkg/{name}",
            axum::routing::get(move |UrlPath(name): UrlPath<String>| {
                let files = Arc::clone(&files);
                async move {
                    match files.get(&name) {
                        Some(text) => {
                            let kind = if name.ends_with(".html") { "text/html; charset=utf-8" } else { "text/xml" };
                            ([(header::CONTENT_TYPE, kind)], text.clone()).into_response()
                        }
                        None => axum::http::StatusCode::NOT_FOUND.into_response(),
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

async fn eval(b: &fantoccini::Client, script: &str) -> serde_json::Value {
    b.execute(script, vec![]).await.unwrap_or(serde_json::Value::Null)
}

#[tokio::test]
async fn a_scorm_package_reports_the_score_to_scorm_again() {
    let Some((chromedriver, chromium)) = browser_programs() else { return };
    let Some(runtime) = scorm_again() else { return };
    let app = TestApp::spawn().await;
    let manager = app.other_client();
    app.sign_up(&manager, "marc@zeta.fr").await;
    app.enrol("marc@zeta.fr", "enterprise", Some(("Zeta", "manager"))).await;
    let learner = app.other_client();
    app.sign_up(&learner, "lea@zeta.fr").await;
    app.enrol("lea@zeta.fr", "enterprise", Some(("Zeta", "learner"))).await;

    let response = manager.get(app.url("/api/scorm/ecoute_active.zip?pass_mark=0")).send().await.expect("export");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut package = HashMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("text");
        package.insert(file.name().expect("name").into_owned(), text);
    }
    let lms = serve_lms(std::fs::read_to_string(runtime).expect("scorm12.js"), package).await;

    let driver = start_driver(&chromedriver).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let b = open_browser(&driver, &chromium, profile.path()).await;
    b.goto(&lms).await.expect("the LMS page");
    let link = "var d = document.getElementById('sco').contentDocument; \
                var a = d && d.getElementById('open'); return a ? a.href : '';";
    wait_until("the launch link", || async {
        eval(&b, link).await.as_str().is_some_and(|h| h.contains("/scorm/launch?"))
    })
    .await;
    assert_eq!(eval(&b, "return window.API.cmi.core.lesson_status;").await, json!("incomplete"));
    let launch = eval(&b, link).await.as_str().expect("href").to_owned();
    assert!(launch.starts_with(&app.base), "{launch} opens Réplique");

    // The learner opens the link (logged in) and plays a session of the skill.
    let opened = learner.get(&launch).send().await.expect("launch");
    assert_eq!(opened.status(), 303);
    let id = app.start_session(&learner, "ecoute_active").await;
    let (status, _) = app.say(&learner, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200);
    let (status, _) = app.post_json(&learner, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200);
    let report: serde_json::Value =
        serde_json::from_str(&app.store.report_json(id).await.expect("report").expect("stored")).expect("json");

    // The launch page reports through the runtime: score, passed (mastery 0), finished.
    wait_until("the result in the LMS", || async {
        eval(&b, "return window.API.isTerminated();").await == json!(true)
    })
    .await;
    assert_eq!(eval(&b, "return window.API.cmi.core.lesson_status;").await, json!("passed"));
    let raw = eval(&b, "return window.API.cmi.core.score.raw;").await;
    assert_eq!(raw, json!(report["final_score"].to_string()));
    let shown = "return document.getElementById('sco').contentDocument.getElementById('status').textContent;";
    let shown = eval(&b, shown).await;
    assert!(shown.as_str().is_some_and(|s| s.contains("transmis")), "{shown}");
    let _ = b.close().await;
    app.stop().await;
}
