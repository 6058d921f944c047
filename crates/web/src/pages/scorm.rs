//! `/scorm/launch`: where a SCORM package's launch page sends the learner. Once logged in
//! (any way the organisation allows), the attempt is theirs and they go to the skill's page
//! to play the session.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::PageUser;
use crate::{AppState, Error, scorm};

pub fn router() -> Router<AppState> {
    Router::new().route("/scorm/launch", get(launch))
}

#[derive(Deserialize)]
struct LaunchQuery {
    token: String,
    attempt: String,
}

async fn launch(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    query: Result<Query<LaunchQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(query) = query.map_err(|_| Error::Unprocessable("Lien de lancement SCORM incomplet.".into()))?;
    let next = scorm::launch(&state, &user, &query.token, &query.attempt).await?;
    Ok(Redirect::to(&next).into_response())
}
