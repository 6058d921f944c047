//! The JSON API under `/api` (a contract: extend it, never break it). Errors are
//! `{"detail": "..."}` with the right status, axum's own rejections included (see
//! `json_errors`); state-changing calls pass `csrf::api_guard`.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use replique_core::text::french_typography;

use crate::{AppState, Error, csrf};

mod account;
mod catalog;
pub(crate) mod champion_training;
pub(crate) mod champions;
pub(crate) mod openapi;
pub(crate) mod privacy;
mod products;
pub(crate) mod programmes;
mod scorm;
mod sessions;

/// The largest id the API hands out or takes: ids are exact in JavaScript.
pub const MAX_ID: i64 = (1 << 53) - 1;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(account::router())
        .merge(catalog::router())
        .merge(products::router())
        .merge(champions::router())
        .merge(champion_training::router())
        .merge(sessions::router())
        .merge(programmes::router())
        .merge(privacy::router())
        .merge(scorm::router())
        .merge(crate::voice::api_router())
        .merge(crate::usage::api_router())
        .route("/openapi.json", get(openapi))
        .fallback(any(|| async { Error::NotFound }))
        .layer(axum::middleware::from_fn(csrf::api_guard))
        .layer(axum::middleware::from_fn(json_errors))
}

/// Makes every error of the API `{"detail": "..."}`: what is not JSON already (axum's
/// extractor rejections, the router's 405, a WebSocket route called without `Upgrade`)
/// gets a French message for its cause, keeping its status and headers (`Allow`...).
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let said = axum::body::to_bytes(body, 16 * 1024).await.unwrap_or_default();
    let detail = french_typography(&rejection_message(status, &String::from_utf8_lossy(&said)));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(serde_json::json!({ "detail": detail }).to_string()))
}

/// The French message for a rejection, from its (English) text and status.
fn rejection_message(status: StatusCode, said: &str) -> String {
    let said = said.to_ascii_lowercase();
    let message = if said.contains("websocket") || said.contains("upgrade") {
        "Cette adresse attend une connexion WebSocket (en-têtes Connection: Upgrade et Upgrade: websocket)."
    } else if said.contains("query string") {
        "Paramètres de l’adresse invalides."
    } else if said.contains("boundary") || said.contains("multipart") {
        "Formulaire d’envoi illisible : multipart/form-data avec sa délimitation (boundary) attendu."
    } else if said.contains("as json") {
        "JSON mal formé."
    } else if said.contains("content-type: application/json") {
        "Le corps de la requête doit être du JSON (Content-Type: application/json)."
    } else {
        match status {
            StatusCode::BAD_REQUEST => "Requête mal formée.",
            StatusCode::NOT_FOUND => "Ressource introuvable.",
            StatusCode::METHOD_NOT_ALLOWED => "Méthode non autorisée pour cette adresse.",
            StatusCode::PAYLOAD_TOO_LARGE => "Requête trop volumineuse.",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Type de contenu non pris en charge.",
            StatusCode::UNPROCESSABLE_ENTITY => "Données invalides.",
            s if s.is_server_error() => "Une erreur interne est survenue. Réessayez dans un instant.",
            _ => "Requête impossible.",
        }
    };
    message.to_owned()
}

/// The OpenAPI document of this API (SPEC 8), built at start from the types (`openapi`).
async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=3600")],
        state.openapi.clone(),
    )
}

pub use crate::extract::Id;
