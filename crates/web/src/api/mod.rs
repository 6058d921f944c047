//! The JSON API under `/api` (a contract: extend it, never break it). Errors are
//! `{"detail": "..."}` with the right status; state-changing calls pass `csrf::api_guard`.

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::routing::{any, get};

use crate::{AppState, Error, csrf};

mod account;
mod catalog;
pub(crate) mod champion_training;
pub(crate) mod champions;
mod products;
mod sessions;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(account::router())
        .merge(catalog::router())
        .merge(products::router())
        .merge(champions::router())
        .merge(champion_training::router())
        .merge(sessions::router())
        .merge(crate::voice::api_router())
        .merge(crate::usage::api_router())
        .route("/openapi.json", get(openapi))
        .fallback(any(|| async { Error::NotFound }))
        .layer(axum::middleware::from_fn(csrf::api_guard))
}

/// The OpenAPI document of this API (SPEC 8); `tests/openapi.rs` keeps it in step with
/// the routes.
pub const OPENAPI: &str = include_str!("../../openapi.json");

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=3600")], OPENAPI)
}

/// A numeric id from the path; anything else is "not found".
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        Path::<i64>::from_request_parts(parts, state).await.map(|Path(id)| Id(id)).map_err(|_| Error::NotFound)
    }
}
