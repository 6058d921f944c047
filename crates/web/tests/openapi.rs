//! The OpenAPI document (`GET /api/openapi.json`) describes exactly the routes the API
//! serves: every route declared in the API's routers is documented, every documented
//! path is a route, each path serves exactly the documented methods, and what an anonymous
//! call gets is a documented status.

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use serde_json::Value;

/// The paths the API's routers declare, read from their source (`.route("/...", ...)`).
fn declared_routes() -> BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(src.join("api"))
        .expect("src/api")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.extend([src.join("voice.rs"), src.join("usage.rs")]);
    let mut routes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        for piece in text.split(".route(").skip(1) {
            let Some(path) = piece.trim_start().strip_prefix('"').and_then(|p| p.split('"').next()) else { continue };
            // The sound library is served outside the API.
            if !path.starts_with("/static/") {
                routes.insert(format!("/api{path}"));
            }
        }
    }
    routes
}

#[tokio::test]
async fn the_document_describes_every_route_and_only_them() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/api/openapi.json")).send().await.expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: Value = response.json().await.expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");

    let documented: BTreeSet<String> = paths.keys().cloned().collect();
    let declared = declared_routes();
    assert!(declared.len() > 25, "the routers were read: {declared:?}");
    assert_eq!(
        documented.symmetric_difference(&declared).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "documented and declared routes differ"
    );

    // Each documented method is served there (never 405), whoever asks and whatever the id.
    let ws = "/api/voice/session/{id}/ws";
    for (path, operations) in paths {
        let concrete =
            path.replace("{id}", "1").replace("{seq}", "2").replace("{slug}", "x").replace("{champion_id}", "1");
        // The methods the route serves are exactly the documented ones (a 405 lists them).
        let r = app.client.patch(app.url(&concrete)).json(&serde_json::json!({})).send().await.expect("patch");
        assert_eq!(r.status(), 405, "PATCH {path}");
        let allowed: BTreeSet<String> = r.headers()["allow"]
            .to_str()
            .expect("allow")
            .split(',')
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| m != "head")
            .collect();
        let documented: BTreeSet<String> = operations.as_object().expect("operations").keys().cloned().collect();
        assert_eq!(allowed, documented, "{path}");
        for method in operations.as_object().expect("operations").keys() {
            let request = match method.as_str() {
                "get" => app.client.get(app.url(&concrete)),
                "post" => app.client.post(app.url(&concrete)).json(&serde_json::json!({})),
                "delete" => app.client.delete(app.url(&concrete)).header("content-type", "application/json"),
                other => panic!("unexpected method {other} on {path}"),
            };
            let status = request.send().await.expect("request").status().as_u16();
            assert_ne!(status, 405, "{method} {path}");
            if path != ws {
                assert!(
                    operations[method]["responses"].get(status.to_string()).is_some(),
                    "{method} {path} answered {status}, which is not documented"
                );
            }
        }
    }
    app.stop().await;
}
