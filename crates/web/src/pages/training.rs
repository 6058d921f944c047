//! `/training/session/{id}`: the conversation page. The script posts each turn to the JSON
//! API; without JavaScript, the form posts here and the page reloads.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use replique_core::engine;
use replique_core::report::{Role, TranscriptMessage};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Nav, render};
use crate::AppState;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::extract::{CsrfForm, PageId, PageUser};
use crate::training::{self, MAX_MESSAGE_CHARS};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/training/session/{id}", get(page))
        .route("/training/session/{id}/say", post(say))
        .route("/training/session/{id}/end", post(end))
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    nav: Nav,
    id: i64,
    skill_title: String,
    sector_name: String,
    level_label: &'static str,
    brief: super::Brief,
    prospect_name: String,
    prospect_role: String,
    company: String,
    /// How the other side's lines are signed: the gatekeeper, then the decision-maker
    /// (by the order of the prospect's lines); the page's script takes the next ones from
    /// each turn.
    speaker: String,
    /// The learner turns stored: the page's script numbers the next one (a turn sent again
    /// after a lost answer is then not stored twice).
    exchanges: i64,
    /// Who said each message of `messages`.
    who: Vec<String>,
    gatekeeper: Option<(String, String)>,
    gauge: u8,
    mood_label: &'static str,
    mood: &'static str,
    messages: Vec<TranscriptMessage>,
    max_chars: usize,
    voice_available: bool,
    voice_reason: Option<String>,
    /// What the page's script needs of the voice config (JSON).
    voice_config_json: String,
}

async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let loaded = training::load(&state, &user, id).await?;
    if !loaded.row.is_active() {
        return Ok(Redirect::to(&training::report_url(id)).into_response());
    }
    let messages = training::transcript(&state, id).await?;
    let t = &loaded.scenario;
    let mood = loaded.state.mood();
    render(&SessionPage {
        nav: Nav::new(Some(&user), &csrf),
        id,
        skill_title: loaded.scenario.skill_title.clone(),
        sector_name: loaded.scenario.sector_name.clone(),
        level_label: loaded.scenario.level.label(),
        brief: super::Brief::of_scenario(t),
        prospect_name: t.prospect.name.clone(),
        prospect_role: t.prospect.role.clone(),
        company: t.prospect.company.clone(),
        speaker: engine::speaker(t, &loaded.state, loaded.state.exchanges),
        exchanges: loaded.row.exchanges,
        who: messages
            .iter()
            .enumerate()
            .map(|(i, m)| match m.role {
                Role::User => "Vous".to_owned(),
                Role::Prospect => engine::speaker(t, &loaded.state, u32::try_from(i / 2).unwrap_or(u32::MAX)),
            })
            .collect(),
        gatekeeper: t.gatekeeper.as_ref().map(|g| (g.name.clone(), g.role.clone())),
        gauge: loaded.state.gauge,
        mood_label: mood.label(),
        mood: mood.as_str(),
        messages,
        max_chars: MAX_MESSAGE_CHARS,
        voice_available: state.voice.tts.unavailable().is_none(),
        voice_reason: state.voice.tts.unavailable().map(str::to_owned),
        voice_config_json: crate::voice::page_config(&state, t).to_string(),
    })
}

#[derive(Deserialize)]
struct SayForm {
    message: String,
}

async fn say(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm<SayForm>,
) -> Result<Response, PageError> {
    let turn = training::respond(&state, &user, id, &form.message).await?;
    let to = turn.redirect_url.unwrap_or_else(|| format!("/training/session/{id}#composer"));
    Ok(Redirect::to(&to).into_response())
}

async fn end(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    training::end(&state, &user, id).await?;
    Ok(Redirect::to(&training::report_url(id)).into_response())
}
