//! The stylesheet, the scripts and the icon, embedded in the binary and served with a
//! cache header.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
/// The certificate page's print button, apart from the main script.
const PRINT_JS: &str = include_str!("../static/certificate.js");
const FAVICON: &str = include_str!("../static/favicon.svg");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/static/app.js", get(|| async { asset("text/javascript; charset=utf-8", JS) }))
        .route("/static/certificate.js", get(|| async { asset("text/javascript; charset=utf-8", PRINT_JS) }))
        .route("/static/favicon.svg", get(|| async { asset("image/svg+xml", FAVICON) }))
        // Pages link the SVG icon; browsers that still ask for the old name get no content
        // instead of a 404.
        .route(
            "/favicon.ico",
            get(|| async { (StatusCode::NO_CONTENT, [(header::CACHE_CONTROL, "public, max-age=86400")]) }),
        )
        .route("/health", get(health))
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}

/// 200 when the app can serve (the database answers), 503 otherwise; either way with the
/// live voice sessions and their limit (`voice_sessions`: `active`, `max`), so that a load
/// balancer or a person can see how full the instance is.
async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    let (code, status) = match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    };
    let seats = &state.voice_sessions;
    let voice = serde_json::json!({ "active": seats.active(), "max": seats.max() });
    (code, axum::Json(serde_json::json!({ "status": status, "voice_sessions": voice })))
}
