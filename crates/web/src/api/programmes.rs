//! `/api/programmes` (a manager's programmes), `/api/assignments` (a learner's items to
//! do), `/api/certifications` (a learner's tiers per skill) and `/api/team/learners*` (a
//! manager's drill-down into the sessions of their organisation's members). Role checks
//! come first (403 for a learner on a manager's route); another organisation's ids are 404.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use schemars::JsonSchema;
use serde::Serialize;

use super::Id;
use super::sessions::SessionSummary;
use crate::auth::CurrentUser;
use crate::enterprise::EnterpriseUser;
use crate::programmes::{self, ProgrammeRequest};
use crate::{AppState, Error, rfc3339};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list).post(create))
        .route("/programmes/{id}", get(show))
        .route("/assignments", get(assignments))
        .route("/certifications", get(certifications))
        .route("/team/learners", get(learners))
        .route("/team/learners/{id}/sessions", get(learner_sessions))
}

/// A programme created.
#[derive(Serialize, JsonSchema)]
pub struct ProgrammeCreated {
    pub id: i64,
}

async fn create(
    State(state): State<AppState>,
    who: EnterpriseUser,
    body: Result<Json<ProgrammeRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    programmes::require_manager(&who)?;
    let Json(body) = body?;
    let id = programmes::create(&state, &who, &body).await?;
    Ok((StatusCode::CREATED, Json(ProgrammeCreated { id })))
}

async fn list(State(state): State<AppState>, who: EnterpriseUser) -> Result<impl IntoResponse, Error> {
    Ok(Json(programmes::list(&state, &who).await?))
}

async fn show(State(state): State<AppState>, who: EnterpriseUser, Id(id): Id) -> Result<impl IntoResponse, Error> {
    programmes::require_manager(&who)?;
    Ok(Json(programmes::detail(&state, &who, id).await?))
}

async fn assignments(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<impl IntoResponse, Error> {
    Ok(Json(programmes::assignments(&state, &user).await?))
}

async fn certifications(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<impl IntoResponse, Error> {
    Ok(Json(programmes::certifications(&state, &user).await?))
}

/// A member of the manager's organisation.
#[derive(Serialize, JsonSchema)]
pub struct Learner {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    /// `manager` or `learner`.
    pub role: String,
    /// Sessions where the member said something.
    pub sessions: i64,
    /// The member's last session activity, if any.
    #[schemars(extend("format" = "date-time"))]
    pub last_activity: Option<String>,
}

async fn learners(State(state): State<AppState>, who: EnterpriseUser) -> Result<impl IntoResponse, Error> {
    programmes::require_manager(&who)?;
    let members = state.store.team(who.membership.organisation_id).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| Learner {
                user_id: m.user_id,
                email: m.email,
                name: m.name,
                role: m.role,
                sessions: m.sessions,
                last_activity: m.last_activity.map(rfc3339),
            })
            .collect::<Vec<_>>(),
    ))
}

/// A member's sessions, for a manager of the same organisation; anybody else: 404.
async fn learner_sessions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(member): Id,
) -> Result<impl IntoResponse, Error> {
    let manager = crate::enterprise::team_of(&state, &user).await?.filter(|m| m.role == "manager");
    let organisation = manager.ok_or(Error::NotFound)?.organisation_id;
    let same = state.store.membership(member).await?.is_some_and(|m| m.organisation_id == organisation);
    if !same {
        return Err(Error::NotFound);
    }
    crate::privacy::audit_sessions_read(&state, organisation, user.user.id, member).await?;
    let sessions = state.store.list_training_sessions(member, 100).await?;
    Ok(Json(sessions.into_iter().map(SessionSummary::from).collect::<Vec<_>>()))
}
