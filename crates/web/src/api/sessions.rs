//! `/api/voice/session*`: training sessions (start, state, respond, end, report), and the
//! scenarios the LLM writes (`/api/scenarios/generate`, `/api/scenarios/generated`).

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use replique_core::Level;
use replique_core::end::EndType;
use replique_core::engine::Mood;
use replique_core::report::{Role, VoiceTiming};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Id;
use crate::auth::CurrentUser;
use crate::generation::Scope;
use crate::message::{LETTER_PATTERN, MAX_MESSAGE_CHARS};
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

/// Where a session stands (the stored text is one of these).
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // Only its schema is used.
pub(super) enum SessionStatus {
    Active,
    Ended,
}

/// A session in the learner's list.
#[derive(Serialize, JsonSchema)]
pub struct SessionSummary {
    session_id: i64,
    skill: String,
    sector: String,
    #[schemars(with = "Level")]
    level: String,
    #[schemars(with = "SessionStatus")]
    status: String,
    #[schemars(range(min = 0, max = 100))]
    gauge: i64,
    exchanges: i64,
    /// Null until a report exists, and for a session ended before the learner's first
    /// turn (not scored: see `scored`).
    #[schemars(range(min = 0, max = 100))]
    final_score: Option<i64>,
    /// Whether the session counts in the learner's figures: ended, with a report and at
    /// least one learner turn.
    scored: bool,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

async fn list(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<impl IntoResponse, Error> {
    let sessions = state.store.list_training_sessions(user.user.id, 100).await?;
    Ok(Json(sessions.into_iter().map(SessionSummary::from).collect::<Vec<_>>()))
}

impl From<replique_store::SessionSummary> for SessionSummary {
    fn from(s: replique_store::SessionSummary) -> Self {
        SessionSummary {
            session_id: s.id,
            skill: s.skill_slug,
            sector: s.sector_slug,
            level: s.level,
            status: s.status,
            gauge: s.gauge,
            exchanges: s.exchanges,
            scored: s.final_score.is_some() && s.exchanges > 0,
            final_score: s.final_score.filter(|_| s.exchanges > 0),
            created_at: rfc3339(s.created_at),
        }
    }
}

/// A session with its transcript.
#[derive(Serialize, JsonSchema)]
pub struct SessionDetail {
    session_id: i64,
    skill: String,
    skill_name: String,
    sector: String,
    sector_name: String,
    #[schemars(with = "Level")]
    level: String,
    template_id: String,
    #[schemars(with = "SessionStatus")]
    status: String,
    session_ended: bool,
    /// How the conversation ended, once it has; else null.
    #[schemars(with = "Option<EndType>")]
    end_type: Option<String>,
    #[schemars(range(max = 100))]
    gauge: u8,
    #[schemars(range(max = 100))]
    starting_gauge: u8,
    #[schemars(with = "Mood")]
    mood: String,
    exchanges: i64,
    /// The situation given to the learner before the call.
    context: String,
    prospect: ProspectIdentity,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    /// `/training/report/{id}` when ended, else null.
    redirect_url: Option<String>,
    /// The transcript, opening line first.
    messages: Vec<SessionMessage>,
}

/// Who the prospect is.
#[derive(Serialize, JsonSchema)]
pub struct ProspectIdentity {
    name: String,
    role: String,
    company: String,
}

/// One line of a session's transcript.
#[derive(Serialize, JsonSchema)]
pub struct SessionMessage {
    role: Role,
    content: String,
    #[schemars(range(max = 100))]
    gauge_after: u8,
    /// Patterns detected (learner messages only; empty for the prospect).
    patterns: Vec<PatternView>,
    #[schemars(extend("format" = "date-time"))]
    timestamp: String,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
) -> Result<impl IntoResponse, Error> {
    let loaded = training::load(&state, &user, id).await?;
    let messages = training::transcript(&state, id).await?;
    let row = loaded.row;
    let scenario = &loaded.scenario;
    let ended = !row.is_active();
    Ok(Json(SessionDetail {
        session_id: row.id,
        skill: row.skill_slug,
        skill_name: scenario.skill_title.clone(),
        sector: row.sector_slug,
        sector_name: scenario.sector_name.clone(),
        level: row.level,
        template_id: row.template_id,
        status: row.status,
        session_ended: ended,
        end_type: row.end_type,
        gauge: loaded.state.gauge,
        starting_gauge: loaded.state.starting_gauge,
        mood: row.mood,
        exchanges: row.exchanges,
        context: scenario.scenario_flow.opening.context.clone(),
        prospect: ProspectIdentity {
            name: scenario.prospect.name.clone(),
            role: scenario.prospect.role.clone(),
            company: scenario.prospect.company.clone(),
        },
        created_at: rfc3339(row.created_at),
        redirect_url: ended.then(|| training::report_url(id)),
        messages: messages
            .into_iter()
            .map(|m| SessionMessage {
                patterns: m.patterns.iter().map(PatternView::from).collect(),
                role: m.role,
                content: m.content,
                gauge_after: m.gauge_after,
                timestamp: m.timestamp,
            })
            .collect(),
    }))
}

#[derive(Deserialize, JsonSchema)]
pub struct RespondRequest {
    /// The learner's turn: trimmed, with at least one letter (422), at most 2000 characters
    /// (413).
    #[schemars(length(min = 1, max = MAX_MESSAGE_CHARS), pattern(LETTER_PATTERN))]
    message: String,
    /// How the turn was said, when it was spoken (voice mode).
    #[serde(default)]
    voice: Option<VoiceTiming>,
    /// The turn's number: 1 for the learner's first, then the last answer's `exchange` + 1.
    /// Given, a request repeated because its answer was lost gets the stored answer (the
    /// turn is not played twice), and a number that does not follow the stored turns is
    /// refused (409). Without it the turn is simply played next.
    #[serde(default)]
    #[schemars(range(min = 1))]
    exchange: Option<u32>,
}

async fn respond(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
    body: Result<Json<RespondRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    let said = training::Said { message: &body.message, voice: body.voice, exchange: body.exchange };
    Ok(Json(training::respond_speaking(&state, &user, id, said, None).await?))
}

/// The answer to ending a session.
#[derive(Serialize, JsonSchema)]
pub struct SessionEnded {
    /// Always true.
    #[schemars(extend("const" = true))]
    session_ended: bool,
    /// `/training/report/{id}`.
    redirect_url: String,
}

async fn end(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
) -> Result<impl IntoResponse, Error> {
    training::end(&state, &user, id).await?;
    Ok(Json(SessionEnded { session_ended: true, redirect_url: training::report_url(id) }))
}

async fn report(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
) -> Result<impl IntoResponse, Error> {
    Ok(Json(training::report(&state, &user, id).await?))
}

#[derive(Deserialize, JsonSchema)]
pub struct GenerateRequest {
    /// Skill slug (trimmed).
    #[schemars(length(min = 1))]
    skill: String,
    /// Sector slug (trimmed).
    #[schemars(length(min = 1))]
    sector: String,
    #[schemars(with = "Level")]
    level: String,
    /// `user` (default) or `organisation` (a manager shares it with their team).
    #[serde(default)]
    scope: Scope,
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

/// A scenario the LLM wrote for the user or their organisation.
#[derive(Serialize, JsonSchema)]
pub struct GeneratedScenario {
    /// `gen:<id>`, usable as `variant` when starting a session.
    template_id: String,
    skill: String,
    name: String,
    scope: Scope,
    /// Whether the user wrote it (else shared by their organisation).
    mine: bool,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

async fn generated(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<impl IntoResponse, Error> {
    let organisation = crate::enterprise::team_of(&state, &user).await?.map(|m| m.organisation_id);
    let rows = state.store.generated_scenarios(user.user.id, organisation).await?;
    Ok(Json(
        rows.iter()
            .map(|r| GeneratedScenario {
                template_id: format!("gen:{}", r.id),
                skill: r.skill_slug.clone(),
                name: crate::generation::display_name(r),
                scope: if r.organisation_id.is_some() { Scope::Organisation } else { Scope::User },
                mine: r.user_id == user.user.id,
                created_at: rfc3339(r.created_at),
            })
            .collect::<Vec<_>>(),
    ))
}
