//! `/api/voice/session*`: training sessions (start, state, respond, end, report).

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::Id;
use crate::auth::CurrentUser;
use crate::training::{self, PatternView, StartRequest};
use crate::{AppState, Error, rfc3339};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/voice/session", post(start))
        .route("/voice/sessions", get(list))
        .route("/voice/session/{id}", get(show))
        .route("/voice/session/{id}/respond", post(respond))
        .route("/voice/session/{id}/end", post(end))
        .route("/voice/session/{id}/report", get(report))
        .route("/scenarios/generate", post(generate))
        .route("/scenarios/generated", get(generated))
}

async fn start(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    body: Result<Json<StartRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    let started = training::start(&state, &user, &body).await?;
    Ok((StatusCode::CREATED, Json(started)))
}

async fn list(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<impl IntoResponse, Error> {
    let sessions = state.store.list_training_sessions(user.user.id, 100).await?;
    Ok(Json(
        sessions
            .iter()
            .map(|s| {
                json!({
                    "session_id": s.id,
                    "skill": s.skill_slug,
                    "sector": s.sector_slug,
                    "level": s.level,
                    "status": s.status,
                    "gauge": s.gauge,
                    "exchanges": s.exchanges,
                    "final_score": s.final_score,
                    "created_at": rfc3339(s.created_at),
                })
            })
            .collect::<Vec<_>>(),
    ))
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
) -> Result<impl IntoResponse, Error> {
    let loaded = training::load(&state, &user, id).await?;
    let messages = training::transcript(&state, id).await?;
    let row = &loaded.row;
    Ok(Json(json!({
        "session_id": row.id,
        "skill": row.skill_slug,
        "skill_name": loaded.scenario.skill_title,
        "sector": row.sector_slug,
        "sector_name": loaded.scenario.sector_name,
        "level": row.level,
        "template_id": row.template_id,
        "status": row.status,
        "session_ended": !row.is_active(),
        "end_type": row.end_type,
        "gauge": loaded.state.gauge,
        "starting_gauge": loaded.state.starting_gauge,
        "mood": row.mood,
        "exchanges": row.exchanges,
        "context": loaded.scenario.scenario_flow.opening.context,
        "prospect": {
            "name": loaded.scenario.prospect.name,
            "role": loaded.scenario.prospect.role,
            "company": loaded.scenario.prospect.company,
        },
        "created_at": rfc3339(row.created_at),
        "redirect_url": (!row.is_active()).then(|| training::report_url(id)),
        "messages": messages.iter().map(|m| json!({
            "role": m.role,
            "content": m.content,
            "gauge_after": m.gauge_after,
            "patterns": m.patterns.iter().map(PatternView::from).collect::<Vec<_>>(),
            "timestamp": m.timestamp,
        })).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct RespondRequest {
    message: String,
    /// How the turn was said, in voice mode.
    #[serde(default)]
    voice: Option<replique_core::report::VoiceTiming>,
}

async fn respond(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
    body: Result<Json<RespondRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    Ok(Json(training::respond_speaking(&state, &user, id, &body.message, body.voice, None).await?))
}

async fn end(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
) -> Result<impl IntoResponse, Error> {
    training::end(&state, &user, id).await?;
    Ok(Json(json!({ "session_ended": true, "redirect_url": training::report_url(id) })))
}

async fn report(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
) -> Result<impl IntoResponse, Error> {
    Ok(Json(training::report(&state, &user, id).await?))
}

#[derive(Deserialize)]
struct GenerateRequest {
    skill: String,
    sector: String,
    level: String,
    /// `user` (default) or `organisation` (a manager shares it with their team).
    #[serde(default)]
    scope: crate::generation::Scope,
}

/// A new scenario written by the LLM (or the closest catalogue template when it cannot be).
async fn generate(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    body: Result<Json<GenerateRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    let outcome =
        crate::generation::generate(&state, &user, body.skill.trim(), body.sector.trim(), &body.level, body.scope)
            .await?;
    let status = if outcome.generated { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(outcome)))
}

async fn generated(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<impl IntoResponse, Error> {
    let organisation = crate::enterprise::team_of(&state, &user).await?.map(|m| m.organisation_id);
    let rows = state.store.generated_scenarios(user.user.id, organisation).await?;
    Ok(Json(
        rows.iter()
            .map(|r| {
                json!({
                    "template_id": format!("gen:{}", r.id),
                    "skill": r.skill_slug,
                    "name": crate::generation::display_name(r),
                    "scope": if r.organisation_id.is_some() { "organisation" } else { "user" },
                    "mine": r.user_id == user.user.id,
                    "created_at": rfc3339(r.created_at),
                })
            })
            .collect::<Vec<_>>(),
    ))
}
