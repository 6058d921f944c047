//! Training sessions as the web layer runs them: start, play a turn, end, report. Shared by
//! the JSON API and the pages, so both behave the same. The engine (`replique_core`)
//! decides; this module validates input, loads and stores, and enforces ownership (another
//! user's session is "not found").

use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Instant;

use replique_core::end::EndType;
use replique_core::engine::{self, Scenario, SessionState, Turn};
use replique_core::llm::{Sentences, SpokenLine};
use replique_core::report::{self, ReportInput, Role, SessionReport, TranscriptMessage, VoiceTiming};
use replique_store::{NewMessage, TrainingSessionRow, TurnUpdate};

use crate::auth::SessionUser;
pub use crate::message::{MAX_MESSAGE_CHARS, check_message};
use crate::metrics::Stage;
pub use crate::turn::{LimitView, PatternView, ProspectLine, Source, TurnResponse};
use crate::usage::{self, Outcome, Purpose};
use crate::{AppState, Error, now, rfc3339};

mod repeat;
mod start;

pub use start::{AssignmentRef, StartRequest, Started, allowance_text, may_start, start};

/// A loaded session: the stored row plus its scenario and engine state.
pub struct Loaded {
    pub row: TrainingSessionRow,
    /// Shared with the app's cache of scenarios (see `scenario_cache`).
    pub scenario: Arc<Scenario>,
    pub state: SessionState,
}

/// Loads a session of `user`; anybody else's is `NotFound`.
pub async fn load(state: &AppState, user: &SessionUser, id: i64) -> Result<Loaded, Error> {
    load_of(state, user.user.id, id).await
}

/// Loads a session of the user `owner`; anybody else's is `NotFound`.
pub async fn load_of(state: &AppState, owner: i64, id: i64) -> Result<Loaded, Error> {
    let row = state.store.training_session(id, owner).await?.ok_or(Error::NotFound)?;
    // Only after the row: the cache knows nothing of who owns a session.
    let scenario = match state.scenarios.get(id) {
        Some(scenario) => scenario,
        None => {
            let json = state
                .store
                .training_session_scenario(id)
                .await?
                .ok_or_else(|| Error::internal("session without scenario"))?;
            let scenario = Arc::new(serde_json::from_str::<Scenario>(&json).map_err(Error::internal)?);
            state.scenarios.insert(id, Arc::clone(&scenario));
            scenario
        }
    };
    let session_state: SessionState = serde_json::from_str(&row.state_json).map_err(Error::internal)?;
    Ok(Loaded { row, scenario, state: session_state })
}

/// A sentence of the prospect's line, spoken while the model writes the rest (voice mode).
#[derive(Debug, Clone)]
pub struct SpokenPart {
    pub index: usize,
    pub text: String,
    pub gauge: u8,
    pub voice: replique_voice::VoiceSpec,
}

/// Where the sentences of a streamed line go as soon as they pass the guards.
pub type SpeechSink = tokio::sync::mpsc::UnboundedSender<SpokenPart>;

pub fn report_url(id: i64) -> String {
    format!("/training/report/{id}")
}

/// Plays one learner turn and stores it (both messages and the new state, in one
/// transaction) before answering.
pub async fn respond(state: &AppState, user: &SessionUser, id: i64, message: &str) -> Result<TurnResponse, Error> {
    match respond_speaking(state, user, id, Said { message, voice: None, exchange: None }, None).await? {
        Answer::Played(turn) => Ok(*turn),
        // Only a turn numbered by the client is ever answered from the store.
        Answer::Repeated(_) => Err(Error::internal("a turn without a number answered from the store")),
    }
}

/// A learner's turn as a client sends it.
pub struct Said<'a> {
    pub message: &'a str,
    /// How it was said, in voice mode (the delivery figures of the report).
    pub voice: Option<VoiceTiming>,
    /// The number the client gives the turn (1 for the first): a request repeated because
    /// its answer was lost is answered from the store instead of being played twice, and a
    /// turn that does not follow the stored ones is refused (see `repeat`).
    pub exchange: Option<u32>,
}

/// What a turn request gets.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// The turn, played now.
    Played(Box<TurnResponse>),
    /// The same turn, played before: the stored answer (a `TurnResponse`, with
    /// `prospect.streamed_parts` at 0: its audio is fetched from `audio_url`).
    Repeated(serde_json::Value),
}

impl Answer {
    /// Whether the conversation is over with this turn.
    pub fn session_ended(&self) -> bool {
        match self {
            Answer::Played(turn) => turn.session_ended,
            Answer::Repeated(turn) => turn["session_ended"] == true,
        }
    }
}

/// Longest speaking time or pause a page may report for one turn.
const MAX_TIMING_MS: u32 = 10 * 60 * 1000;

/// How a spoken turn was said, as the page reports it, if it is plausible: a turn is never
/// refused for its timings (a learner away for a while is not an error); implausible ones
/// are left out of the figures.
pub fn plausible_timing(voice: Option<VoiceTiming>) -> Option<VoiceTiming> {
    let mut v = voice?;
    if v.speaking_ms > MAX_TIMING_MS {
        return None;
    }
    if v.pause_ms.is_some_and(|p| p > MAX_TIMING_MS) {
        v.pause_ms = None;
    }
    Some(v)
}

/// [`respond`] for the API and the live session: the turn may carry its number and how it
/// was said in voice mode; with a model that streams, each sentence of the prospect's line
/// also goes to `speech` as soon as it passes the guards, before the line is complete.
pub async fn respond_speaking(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    said: Said<'_>,
    speech: Option<&SpeechSink>,
) -> Result<Answer, Error> {
    let message = check_message(said.message)?;
    let voice = plausible_timing(said.voice);
    let voice_json = voice.map(|v| serde_json::to_string(&v)).transpose().map_err(Error::internal)?;
    let started = Instant::now();
    let Loaded { row, scenario, state: mut session_state } = load(state, user, id).await?;
    if let Some(exchange) = said.exchange
        && i64::from(exchange) != row.exchanges + 1
    {
        return repeat::stored_answer(state, user, id, exchange, message).await.map(Answer::Repeated);
    }
    if !row.is_active() {
        return Err(Error::Conflict("Cette conversation est terminée : consultez le rapport.".into()));
    }
    let exchanges_before = row.exchanges;
    let seq = exchanges_before * 2 + 1;
    let mut turn: Turn = engine::play_turn(&scenario, &mut session_state, message);
    state.metrics.stage(Stage::Read, started.elapsed());
    // The gatekeeper's and a guest's lines stay scripted: the model plays the prospect.
    let screening = matches!(turn.prospect_move, engine::Move::Screen | engine::Move::Transfer)
        || engine::speaker(&scenario, &session_state, turn.exchange) != scenario.prospect.name;
    let (mut realised, mut llm_limit) = (Realised::SCRIPTED, None);
    if let Some(llm) = state.llm.as_ref().filter(|_| !screening) {
        match usage::reserve(state, user.user.id, Some(id), Purpose::Realiser).await? {
            Err(limit) => llm_limit = Some(LimitView { reason: limit, detail: limit.message() }),
            Ok(reservation) => {
                let (call, asked) = (Call { state, llm, id, seq: seq + 1, speech }, Instant::now());
                realised = call.realise(reservation, &scenario, &mut session_state, &mut turn, message).await;
                state.metrics.stage(Stage::Llm, asked.elapsed());
            }
        }
    }
    let state_json = serde_json::to_string(&session_state).map_err(Error::internal)?;
    let patterns_json = serde_json::to_string(&turn.patterns).map_err(Error::internal)?;
    let response = TurnResponse {
        prospect: ProspectLine {
            voice: crate::voice_view::VoiceView::new(state, id, seq + 1, &turn.prospect_text, turn.gauge),
            text: turn.prospect_text.clone(),
            prospect_move: turn.prospect_move,
            source: realised.source,
            streamed_parts: realised.streamed_parts,
            speaker: engine::speaker(&scenario, &session_state, turn.exchange),
        },
        gauge: turn.gauge,
        gauge_delta: turn.gauge_delta,
        mood: turn.mood,
        patterns: turn.patterns.iter().map(PatternView::from).collect(),
        exchange: turn.exchange,
        session_ended: turn.session_ended,
        end_type: turn.end_type,
        redirect_url: turn.session_ended.then(|| report_url(id)),
        llm_limit,
    };
    let last_turn_json = repeat::kept(message, &response)?;
    let (at, storing) = (now(), Instant::now());
    let stored = state
        .store
        .record_turn(
            &TurnUpdate {
                session_id: id,
                user_id: user.user.id,
                exchanges_before,
                gauge: i64::from(turn.gauge),
                mood: turn.mood.as_str(),
                state_json: &state_json,
                ended: turn.session_ended,
                end_type: turn.end_type.filter(|_| turn.session_ended).map(EndType::as_str),
                now: at,
                last_turn_json: &last_turn_json,
            },
            &NewMessage {
                seq,
                role: "user",
                content: message,
                gauge_after: i64::from(turn.gauge),
                patterns_json: &patterns_json,
                created_at: at,
                voice_json: voice_json.as_deref(),
            },
            &NewMessage {
                seq: seq + 1,
                role: "prospect",
                content: &turn.prospect_text,
                gauge_after: i64::from(turn.gauge),
                patterns_json: "[]",
                created_at: at,
                voice_json: None,
            },
        )
        .await;
    match (stored, said.exchange) {
        (Ok(()), _) => {}
        // Another copy of this request (the one the client gave up on) was stored first.
        (Err(replique_store::StoreError::Conflict(_)), Some(exchange)) => {
            return repeat::stored_answer(state, user, id, exchange, message).await.map(Answer::Repeated);
        }
        (Err(e), _) => return Err(e.into()),
    }
    state.metrics.stage(Stage::Store, storing.elapsed());
    state.metrics.turn(started.elapsed());
    if turn.session_ended {
        // The turn is stored; a failure here only delays the report to its first reading.
        if let Err(e) = store_report(state, user, id).await {
            tracing::warn!(session_id = id, error = %e, "report not stored at the end of the session");
        }
    }
    Ok(Answer::Played(Box::new(response)))
}

/// What the model did for a line.
struct Realised {
    source: Source,
    streamed_parts: usize,
}

impl Realised {
    const SCRIPTED: Realised = Realised { source: Source::Scripted, streamed_parts: 0 };
}

/// One call to the model for a prospect line.
struct Call<'a> {
    state: &'a AppState,
    llm: &'a replique_llm::Llm,
    id: i64,
    /// The prospect message's place in the transcript.
    seq: i64,
    speech: Option<&'a SpeechSink>,
}

impl Call<'_> {
    /// Lets the LLM say the engine's decision in its own words. Any failure (timeout,
    /// error, a line that breaks a rule) keeps the scripted line: the turn always answers,
    /// and the engine's state (gauge, facts, objections) is the engine's either way. With a
    /// speech sink, the reply streams and is spoken sentence by sentence; the line is then
    /// exactly what was spoken.
    async fn realise(
        &self,
        reservation: usage::Reservation,
        scenario: &Scenario,
        session_state: &mut SessionState,
        turn: &mut Turn,
        message: &str,
    ) -> Realised {
        let Ok(history) = transcript(self.state, self.id).await else {
            reservation.settle(self.state, Outcome::Failed, 0, replique_llm::Usage::default()).await;
            return Realised::SCRIPTED;
        };
        let prompt = replique_core::llm::realiser_prompt(scenario, turn, &history, message);
        let messages: Vec<replique_llm::ChatMessage> =
            prompt.messages.into_iter().map(|(role, content)| replique_llm::ChatMessage { role, content }).collect();
        let streaming = self.speech.zip(SpokenLine::new(scenario, session_state, turn));
        let (line, streamed_parts, outcome, calls, usage) = match streaming {
            Some((sink, mut spoken)) => {
                let voice = crate::voice_view::voice_of(scenario, session_state, self.seq);
                let mut sentences = Sentences::default();
                let mut parts = 0;
                let mut speak = |sentence: &str, parts: &mut usize| match spoken.offer(sentence) {
                    Ok(text) => {
                        let part = SpokenPart { index: *parts, text, gauge: turn.gauge, voice: voice.clone() };
                        *parts += 1;
                        // A closed sink (the browser left) changes nothing: the turn is stored.
                        let _ = sink.send(part);
                        ControlFlow::Continue(())
                    }
                    Err(why) => {
                        tracing::info!(?why, "streamed LLM line cut: the rest is not spoken");
                        ControlFlow::Break(())
                    }
                };
                let mut cut = false;
                let result = self
                    .llm
                    .stream(&prompt.system, &messages, 220, &mut |piece| {
                        for sentence in sentences.push(piece) {
                            if speak(&sentence, &mut parts).is_break() {
                                cut = true;
                                return ControlFlow::Break(());
                            }
                        }
                        ControlFlow::Continue(())
                    })
                    .await;
                if result.is_ok()
                    && !cut
                    && let Some(rest) = sentences.finish()
                {
                    let _ = speak(&rest, &mut parts);
                }
                // Cut short after something was said: the engine's line follows.
                if let Some(scripted) = spoken.finish(result.is_ok()) {
                    let _ =
                        sink.send(SpokenPart { index: parts, text: scripted, gauge: turn.gauge, voice: voice.clone() });
                    parts += 1;
                }
                let line = spoken.line();
                let usage = match &result {
                    Ok((_, usage)) => *usage,
                    Err(e) => {
                        tracing::warn!(error = %e, spoken = parts, "LLM stream ended early");
                        // The provider bills what it read and wrote: count it.
                        replique_llm::Usage::estimate(&prompt.system, &messages, line.as_deref().unwrap_or(""))
                    }
                };
                let outcome = match (&line, &result) {
                    (Some(_), _) => Outcome::Used,
                    (None, Ok(_)) => Outcome::Refused,
                    (None, Err(_)) => Outcome::Failed,
                };
                // Refused or unreachable before a word: nothing billed, nothing counted.
                let billed = result.as_ref().err().is_none_or(|e| e.billed() || parts > 0);
                let (calls, usage) = if billed { (1, usage) } else { (0, replique_llm::Usage::default()) };
                (line, parts, outcome, calls, usage)
            }
            None => match self.llm.complete(&prompt.system, &messages, 220).await {
                Ok((text, usage)) => match replique_core::llm::accept_line(&text, scenario, session_state, turn) {
                    Ok(line) => (Some(line), 0, Outcome::Used, 1, usage),
                    Err(why) => {
                        tracing::info!(?why, "LLM line refused: the scripted line stands");
                        (None, 0, Outcome::Refused, 1, usage)
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "LLM unavailable: the scripted line stands");
                    // A model that timed out has read the prompt, and is paid for it; a
                    // provider that refused the call or could not be reached costs nothing,
                    // and the call does not count against the learner's allowance.
                    let (calls, usage) = if e == replique_llm::LlmError::Timeout {
                        (1, replique_llm::Usage::estimate(&prompt.system, &messages, ""))
                    } else {
                        (u32::from(e.billed()), replique_llm::Usage::default())
                    };
                    (None, 0, Outcome::Failed, calls, usage)
                }
            },
        };
        reservation.settle(self.state, outcome, calls, usage).await;
        let Some(line) = line else { return Realised::SCRIPTED };
        session_state.last_prospect_line.clone_from(&line);
        if let Some(last) = session_state.used_lines.last_mut() {
            last.clone_from(&line);
        }
        turn.prospect_text = line;
        Realised { source: Source::Llm, streamed_parts }
    }
}

/// Ends an active session at the learner's request.
pub async fn end(state: &AppState, user: &SessionUser, id: i64) -> Result<(), Error> {
    let Loaded { row, state: mut session_state, .. } = load(state, user, id).await?;
    if row.is_active() {
        session_state.ended = Some(EndType::Abandoned);
        let state_json = serde_json::to_string(&session_state).map_err(Error::internal)?;
        if !state.store.abandon_training_session(id, user.user.id, &state_json, now()).await? {
            return Err(Error::Conflict("La session a changé entre-temps. Rechargez la page.".into()));
        }
    }
    store_report(state, user, id).await.map(|_| ())
}

/// The stored messages of a session, as the core reads them.
pub async fn transcript(state: &AppState, id: i64) -> Result<Vec<TranscriptMessage>, Error> {
    state
        .store
        .messages(id)
        .await?
        .into_iter()
        .map(|m| {
            Ok(TranscriptMessage {
                role: Role::parse(&m.role).ok_or_else(|| Error::internal(format!("bad role {}", m.role)))?,
                content: m.content,
                gauge_after: u8::try_from(m.gauge_after.clamp(0, 100)).unwrap_or(0),
                patterns: serde_json::from_str(&m.patterns_json).map_err(Error::internal)?,
                timestamp: rfc3339(m.created_at),
                voice: m.voice_json.as_deref().and_then(|j| serde_json::from_str(j).ok()),
            })
        })
        .collect()
}

/// The report of an ended session: stored, or built and stored now. The session is the
/// user's own or, for a manager, one of a member of their organisation (read only: the
/// same report the learner gets); anybody else's is `NotFound`.
pub async fn report(state: &AppState, user: &SessionUser, id: i64) -> Result<SessionReport, Error> {
    let owner = report_reader(state, user, id).await?;
    let row = state.store.training_session(id, owner).await?.ok_or(Error::NotFound)?;
    if owner != user.user.id {
        // A manager reads a learner's report: the audit log keeps it.
        let organisation_id = crate::enterprise::team_of(state, user).await?.map(|m| m.organisation_id);
        let detail = format!("lecture du rapport de la session {id}");
        let entry = replique_store::AuditEntry {
            organisation_id,
            actor_id: Some(user.user.id),
            subject_user_id: Some(owner),
            action: "report_read",
            detail: &detail,
        };
        crate::privacy::audit(state, &entry).await?;
    }
    if row.is_active() {
        return Err(Error::Conflict(
            "La session n’est pas terminée : le rapport sera prêt à la fin de la conversation.".into(),
        ));
    }
    if let Some(json) = state.store.report_json(id).await? {
        return serde_json::from_str(&json).map_err(Error::internal);
    }
    store_report_of(state, owner, id).await
}

/// The owner of session `id` if `user` may read its report: they own it, or they manage
/// the organisation its owner belongs to; else `NotFound`.
pub async fn report_reader(state: &AppState, user: &SessionUser, id: i64) -> Result<i64, Error> {
    if state.store.training_session(id, user.user.id).await?.is_some() {
        return Ok(user.user.id);
    }
    managed_owner(state, user, id).await?.ok_or(Error::NotFound)
}

/// The owner of session `id` when `user` manages the organisation they belong to.
async fn managed_owner(state: &AppState, user: &SessionUser, id: i64) -> Result<Option<i64>, Error> {
    let Some(team) = crate::enterprise::team_of(state, user).await?.filter(|m| m.role == "manager") else {
        return Ok(None);
    };
    Ok(state.store.session_owner_in(id, team.organisation_id).await?)
}

async fn store_report(state: &AppState, user: &SessionUser, id: i64) -> Result<SessionReport, Error> {
    store_report_of(state, user.user.id, id).await
}

async fn store_report_of(state: &AppState, owner: i64, id: i64) -> Result<SessionReport, Error> {
    let Loaded { row, scenario, state: session_state } = load_of(state, owner, id).await?;
    let messages = transcript(state, id).await?;
    let ended_at = row.ended_at.unwrap_or(row.updated_at);
    let report = report::build_report(&ReportInput {
        session_id: id,
        scenario: &scenario,
        state: &session_state,
        messages: &messages,
        duration_seconds: ended_at - row.created_at,
        completed_at: rfc3339(ended_at),
    });
    let json = serde_json::to_string(&report).map_err(Error::internal)?;
    let score = i64::from(report.final_score);
    let xapi = crate::xapi::facts_for(state, owner, &row, score).await?;
    state.store.save_report(id, score, &json, xapi.as_deref(), now()).await?;
    Ok(report)
}
