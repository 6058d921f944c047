//! V1 training on a champion's call (Enterprise): `/api/scenarios/{champion_id}`,
//! `/api/training/start|respond|end`, `/api/training/sessions`. The learner answers the
//! client's lines of the call one by one; at the end, each answer is set beside the
//! champion's.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use replique_core::champion::{self, AnsweredWith, ChampionScenario, ComparisonPoint};
use replique_store::ChampionSessionRow;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Id;
use super::champions;
use crate::enterprise::EnterpriseUser;
use crate::message::{LETTER_PATTERN, MAX_MESSAGE_CHARS};
use crate::training::check_message;
use crate::{AppState, Error, now, rfc3339};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scenarios/{champion_id}", get(scenario))
        .route("/training/start", post(start))
        .route("/training/respond", post(respond))
        .route("/training/end", post(end))
        .route("/training/sessions", get(sessions))
}

/// The scenario of a champion of the learner's organisation (not deleted).
pub async fn scenario_for(state: &AppState, who: &EnterpriseUser, champion_id: i64) -> Result<ChampionScenario, Error> {
    scenario_of(state, champions::load(state, who, champion_id).await?).await
}

/// The scenario of a champion's call.
async fn scenario_of(state: &AppState, row: replique_store::ChampionRow) -> Result<ChampionScenario, Error> {
    let turns = champions::stored_turns(state, &row).await?;
    let speaker = row
        .champion_speaker
        .or_else(|| champion::infer_champion(&turns))
        .ok_or_else(|| Error::Unprocessable("Impossible de trouver le champion dans cet appel.".into()))?;
    let scenario = champion::scenario_of(&turns, &speaker);
    if scenario.moves.is_empty() {
        return Err(Error::Unprocessable("Cet appel ne contient aucune réplique du champion.".into()));
    }
    Ok(scenario)
}

/// The scenario of a champion's call: what the learner will answer.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ChampionScenario")]
pub struct ScenarioView {
    champion_id: i64,
    /// Same as `champion_id` (a champion has one scenario, its call).
    scenario_id: i64,
    /// The client's speaker label.
    client: String,
    /// The client's objections, in order.
    objections: Vec<String>,
    /// Number of champion turns the learner will answer.
    moves: usize,
    /// For each move, what the client had just said (null when the champion speaks first
    /// or twice in a row).
    client_lines: Vec<Option<String>>,
}

async fn scenario(State(state): State<AppState>, who: EnterpriseUser, Id(id): Id) -> Result<impl IntoResponse, Error> {
    let s = scenario_for(&state, &who, id).await?;
    Ok(Json(ScenarioView {
        champion_id: id,
        scenario_id: id,
        moves: s.moves.len(),
        client_lines: s.moves.into_iter().map(|m| m.client_line).collect(),
        client: s.client,
        objections: s.objections,
    }))
}

#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "ChampionTrainingStartRequest")]
pub struct StartRequest {
    #[schemars(range(min = 1, max = super::MAX_ID))]
    champion_id: i64,
    /// A champion has one scenario, its call, with the champion's id
    /// (`GET /api/scenarios/{champion_id}`); when given, it must be that one (422
    /// otherwise).
    #[serde(default)]
    #[schemars(range(min = 1, max = super::MAX_ID))]
    scenario_id: Option<i64>,
}

/// A champion training session just started.
#[derive(Serialize, JsonSchema)]
pub struct ChampionTrainingStarted {
    session_id: i64,
    client: String,
    /// The first client line; null when the champion opened the call (the learner opens
    /// too).
    client_line: Option<String>,
    moves: usize,
}

/// Starts a session; returns its id and the first client line (none when the champion
/// opened the call: the learner opens too).
pub async fn start_session(
    state: &AppState,
    who: &EnterpriseUser,
    champion_id: i64,
) -> Result<(i64, ChampionScenario), Error> {
    let s = scenario_for(state, who, champion_id).await?;
    let id = state
        .store
        .create_champion_session(who.membership.organisation_id, who.user.user.id, champion_id, now())
        .await?;
    Ok((id, s))
}

async fn start(
    State(state): State<AppState>,
    who: EnterpriseUser,
    body: Result<Json<StartRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(request) = body?;
    if request.scenario_id.is_some_and(|scenario| scenario != request.champion_id) {
        return Err(Error::Unprocessable(
            "Ce scenario_id n’est pas celui de ce champion : un appel n’a qu’un scénario, dont l’identifiant est celui du champion (GET /api/scenarios/{champion_id})."
                .into(),
        ));
    }
    let (id, s) = start_session(&state, &who, request.champion_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(ChampionTrainingStarted {
            session_id: id,
            client_line: s.moves.first().and_then(|m| m.client_line.clone()),
            moves: s.moves.len(),
            client: s.client,
        }),
    ))
}

/// A learner's session and its scenario.
pub async fn load_session(
    state: &AppState,
    who: &EnterpriseUser,
    id: i64,
) -> Result<(ChampionSessionRow, ChampionScenario), Error> {
    let row = state.store.champion_session(id, who.user.user.id).await?.ok_or(Error::NotFound)?;
    if row.organisation_id != who.membership.organisation_id {
        return Err(Error::NotFound);
    }
    // A session on a deleted call keeps its comparison.
    let s = scenario_of(state, champions::load_for_session(state, who, row.champion_id).await?).await?;
    Ok((row, s))
}

/// Stores an answer; returns the next client line and whether the call is over.
pub async fn answer(
    state: &AppState,
    who: &EnterpriseUser,
    id: i64,
    message: &str,
) -> Result<(Vec<String>, Option<Option<String>>), Error> {
    let message = check_message(message)?;
    let (row, s) = load_session(state, who, id).await?;
    if row.status != "active" {
        return Err(Error::Conflict("Cet entraînement est terminé : consultez la comparaison.".into()));
    }
    let position = usize::try_from(row.position).unwrap_or(usize::MAX);
    let current = s.moves.get(position).ok_or_else(|| Error::Conflict("Cet entraînement est terminé.".into()))?;
    let patterns = champion::answer_patterns(current.client_line.as_deref(), message);
    let ended = position + 1 >= s.moves.len();
    let patterns_json = serde_json::to_string(&patterns).map_err(Error::internal)?;
    state
        .store
        .record_champion_answer(&replique_store::AnswerUpdate {
            session_id: id,
            user_id: who.user.user.id,
            position: row.position,
            answer: message,
            patterns_json: &patterns_json,
            ended,
            now: now(),
        })
        .await?;
    let next = (!ended).then(|| s.moves[position + 1].client_line.clone());
    Ok((patterns, next))
}

#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "ChampionTrainingRespondRequest")]
pub struct RespondRequest {
    #[schemars(range(min = 1, max = super::MAX_ID))]
    session_id: i64,
    /// Trimmed, with at least one letter (422), at most 2000 characters (413).
    #[schemars(length(min = 1, max = MAX_MESSAGE_CHARS), pattern(LETTER_PATTERN))]
    message: String,
}

/// The learner's answer, judged, and what comes next.
#[derive(Serialize, JsonSchema)]
pub struct ChampionTrainingTurn {
    /// Pattern ids detected in the answer.
    patterns: Vec<String>,
    /// The next client line; null when the session ended or the next move has no client
    /// line.
    client_line: Option<String>,
    session_ended: bool,
    /// `/champions/training/{session_id}` when ended, else null.
    redirect_url: Option<String>,
}

async fn respond(
    State(state): State<AppState>,
    who: EnterpriseUser,
    body: Result<Json<RespondRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(request) = body?;
    let (patterns, next) = answer(&state, &who, request.session_id, &request.message).await?;
    let ended = next.is_none();
    Ok(Json(ChampionTrainingTurn {
        patterns,
        client_line: next.flatten(),
        session_ended: ended,
        redirect_url: ended.then(|| format!("/champions/training/{}", request.session_id)),
    }))
}

/// The comparison of a session, point by point.
pub async fn comparison(
    state: &AppState,
    who: &EnterpriseUser,
    id: i64,
) -> Result<(ChampionSessionRow, Vec<ComparisonPoint>), Error> {
    let (row, s) = load_session(state, who, id).await?;
    let answers: Vec<AnsweredWith> = state
        .store
        .champion_answers(id)
        .await?
        .into_iter()
        .map(|a| {
            Ok(AnsweredWith {
                text: a.answer,
                patterns: serde_json::from_str(&a.patterns_json).map_err(Error::internal)?,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok((row, champion::compare(&s, &answers)))
}

#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "ChampionTrainingEndRequest")]
pub struct EndRequest {
    #[schemars(range(min = 1, max = super::MAX_ID))]
    session_id: i64,
}

/// A champion training session ended, with its comparison.
#[derive(Serialize, JsonSchema)]
pub struct ChampionTrainingEnded {
    session_id: i64,
    /// Always true.
    #[schemars(extend("const" = true))]
    session_ended: bool,
    /// One point per answered move.
    comparison: Vec<ComparisonPoint>,
}

/// A champion training session in the learner's list.
#[derive(Serialize, JsonSchema)]
pub struct ChampionTrainingSession {
    session_id: i64,
    champion_id: i64,
    /// Moves answered so far.
    answered: i64,
    #[schemars(with = "super::sessions::SessionStatus")]
    status: String,
    /// The champion's call was deleted since; the session and its comparison stay.
    champion_deleted: bool,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

async fn end(
    State(state): State<AppState>,
    who: EnterpriseUser,
    body: Result<Json<EndRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(request) = body?;
    load_session(&state, &who, request.session_id).await?;
    state.store.end_champion_session(request.session_id, who.user.user.id, now()).await?;
    let (_, points) = comparison(&state, &who, request.session_id).await?;
    Ok(Json(ChampionTrainingEnded { session_id: request.session_id, session_ended: true, comparison: points }))
}

async fn sessions(State(state): State<AppState>, who: EnterpriseUser) -> Result<impl IntoResponse, Error> {
    let rows = state.store.champion_sessions(who.user.user.id).await?;
    Ok(Json(
        rows.iter()
            .filter(|r| r.organisation_id == who.membership.organisation_id)
            .map(|r| ChampionTrainingSession {
                session_id: r.id,
                champion_id: r.champion_id,
                answered: r.position,
                status: r.status.clone(),
                champion_deleted: r.champion_deleted_at.is_some(),
                created_at: rfc3339(r.created_at),
            })
            .collect::<Vec<_>>(),
    ))
}
