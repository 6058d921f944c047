//! `/api/scorm/{skill}.zip` (a manager exports a skill as a SCORM 1.2 package) and
//! `/api/scorm/status` (the package's launch page reads the result of its attempt; open
//! to any origin, since the page runs on the LMS's, and it carries no cookie: the signed
//! token and the attempt id are what it shows).

use axum::Json;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::enterprise::EnterpriseUser;
use crate::{AppState, Error, scorm};

pub fn router() -> Router<AppState> {
    Router::new().route("/scorm/status", get(status)).route("/scorm/{file}", get(export))
}

/// Options of an export.
#[derive(Deserialize, JsonSchema)]
pub struct ExportQuery {
    /// Mastery score (0 to 100): at or above it the LMS records `passed`, below `failed`;
    /// without it a scored session is `completed`.
    pub pass_mark: Option<i64>,
}

async fn export(
    State(state): State<AppState>,
    who: EnterpriseUser,
    Path(file): Path<String>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, Error> {
    crate::programmes::require_manager(&who)?;
    let Query(query) =
        query.map_err(|_| Error::Unprocessable("Le seuil de réussite (pass_mark) va de 0 à 100.".into()))?;
    let package = scorm::export(&state, who.membership.organisation_id, &file, query.pass_mark).await?;
    let disposition = format!("attachment; filename=\"{}\"", package.file_name);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/zip")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(Error::internal)?),
        ],
        package.bytes,
    )
        .into_response())
}

/// The launch page's question.
#[derive(Deserialize, JsonSchema)]
pub struct StatusQuery {
    /// The signed launch token of the package.
    pub token: String,
    /// The attempt id the launch page drew (32 hexadecimal digits).
    pub attempt: String,
}

async fn status(
    State(state): State<AppState>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let cors = [(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"))];
    let result = match query {
        Ok(Query(q)) => scorm::status(&state, &q.token, &q.attempt).await,
        Err(_) => Err(Error::Unprocessable("Paramètres token et attempt attendus.".into())),
    };
    Ok(match result {
        Ok(status) => (cors, Json(status)).into_response(),
        Err(e) => (cors, e).into_response(),
    })
}
