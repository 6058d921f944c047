//! Voice over the web: the sound library's files, each prospect line as audio (sounds,
//! speech, ambiance mixed), transcription of recorded learner audio, and the live session
//! over WebSocket.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use replique_core::engine::{Mood, Scenario};
use replique_core::report::Role;
use replique_core::voice::{VoiceConfig, prepare_tts_response};
use replique_voice::{Library, VoiceSpec, mix};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth::{CurrentUser, SessionUser};
use crate::extract::Id;
use crate::voice_view::voice_of;
use crate::{AppState, Error, csrf, training};

/// Largest WebSocket message accepted from the browser.
pub const MAX_WS_MESSAGE_BYTES: usize = 16 * 1024;
/// Read buffer of a voice WebSocket. tungstenite's default (128 KiB, zeroed, so resident)
/// is made for streams of large frames; here the browser sends a short JSON `say` now and
/// then, so a page is plenty, and a longer message (16 KiB at most) grows it for its time.
const WS_READ_BUFFER_BYTES: usize = 4 * 1024;
/// The largest message the server sends: a sentence's WAV (about 44 KB a second of speech);
/// past it a send fails instead of buffering without end.
const WS_MAX_WRITE_BUFFER_BYTES: usize = 8 * 1024 * 1024;

/// What a learner reads when every voice seat of this instance is taken.
const VOICE_FULL: &str =
    "La voix est très demandée en ce moment : continuez par écrit, vos réponses sont bien enregistrées.";

/// Largest recording sent for transcription.
pub const MAX_RECORDING_BYTES: usize = 8 * 1024 * 1024;

/// The library's files (public).
pub fn static_router() -> Router<AppState> {
    Router::new().route("/static/audio/voice_effects/{category}/{file}", get(library_file))
}

/// The voice API (under `/api`).
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/voice/status", get(status))
        .route("/voice/session/{id}/audio/{seq}", get(turn_audio))
        .route(
            "/voice/session/{id}/transcribe",
            post(transcribe).layer(axum::extract::DefaultBodyLimit::max(MAX_RECORDING_BYTES)),
        )
        .route("/voice/session/{id}/ws", get(live))
}

async fn library_file(
    State(state): State<AppState>,
    Path((category, file)): Path<(String, String)>,
) -> Result<Response, Error> {
    let id = file.strip_suffix(".wav").ok_or(Error::NotFound)?;
    if Library::category(id) != Some(category.as_str()) {
        return Err(Error::NotFound);
    }
    let audio = state.voice.library.get(id).ok_or(Error::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "audio/wav"), (header::CACHE_CONTROL, "public, max-age=86400")], audio.to_wav())
        .into_response())
}

/// Whether the voice and transcription are on.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VoiceStatus")]
pub struct Status {
    /// Whether speech synthesis is on.
    available: bool,
    /// Why the voice is off; null when available.
    reason: Option<String>,
    /// Whether a transcription service is configured.
    transcription: bool,
    /// The default voice configuration: prospect_voice_profile, emotional_voice_mapping,
    /// non_verbal_sounds, verbal_tics, interruption_patterns, silence_reactions,
    /// background_ambiance, emotional_transitions, turn_taking_rules.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    config: VoiceConfig,
}

async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(Status {
        available: state.voice.tts.unavailable().is_none(),
        reason: state.voice.tts.unavailable().map(str::to_owned),
        transcription: state.voice.stt.is_some(),
        config: VoiceConfig::default(),
    })
}

#[derive(Deserialize)]
struct AudioQuery {
    /// Mix the office ambiance under the line.
    #[serde(default)]
    ambiance: bool,
}

/// The audio of one prospect line of a session (the learner's own sessions only).
async fn turn_audio(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, seq)): Path<(String, String)>,
    Query(query): Query<AudioQuery>,
) -> Result<Response, Error> {
    let (id, seq): (i64, i64) = (id.parse().map_err(|_| Error::NotFound)?, seq.parse().map_err(|_| Error::NotFound)?);
    let loaded = training::load(&state, &user, id).await?;
    let message = state
        .store
        .messages(id)
        .await?
        .into_iter()
        .find(|m| m.seq == seq && m.role == Role::Prospect.as_str())
        .ok_or(Error::NotFound)?;
    let gauge = u8::try_from(message.gauge_after.clamp(0, 100)).unwrap_or(50);
    let voice = voice_of(&loaded.scenario, &loaded.state, seq);
    let wav = speak_line(&state, &message.content, gauge, &voice, query.ambiance).await?;
    Ok(([(header::CONTENT_TYPE, "audio/wav"), (header::CACHE_CONTROL, "private, max-age=3600")], wav).into_response())
}

/// What the session page's script needs to pace a spoken conversation: response delay,
/// silence reactions, the learner's speaking time, ambiance events (SPEC 6.4).
pub fn page_config(state: &AppState, scenario: &Scenario) -> serde_json::Value {
    let config = VoiceConfig::for_template(scenario.voice_config.as_ref()).unwrap_or_default();
    let silence: Vec<serde_json::Value> = [("after_user_silence_3s", 3000), ("after_user_silence_5s", 5000)]
        .iter()
        .filter_map(|(key, after_ms)| {
            let reaction = config.silence_reactions.get(*key)?;
            Some(serde_json::json!({
                "after_ms": after_ms,
                "phrase": reaction.phrases.first()?,
                "sound": reaction.sounds.first(),
            }))
        })
        .collect();
    let rules = &config.turn_taking_rules;
    serde_json::json!({
        "response_delay_ms": rules.natural_response_delay_ms,
        "silence": silence,
        "turn_taking": {
            "warning_after_ms": 30_000,
            "warning_visual": rules.warning_at_30s.visual,
            "warning_sound": rules.warning_at_30s.sound,
            "interrupt_after_ms": rules.max_user_speech_seconds * 1000,
            "interrupt_phrase": rules.interrupt_at_45s.phrase,
        },
        "ambiance_events": config.background_ambiance.random_events,
        "transcription": state.voice.stt.is_some(),
    })
}

/// Speaks a prospect line: the sounds it calls for, then the speech, as one WAV.
async fn speak_line(
    state: &AppState,
    text: &str,
    gauge: u8,
    voice: &VoiceSpec,
    ambiance: bool,
) -> Result<Vec<u8>, Error> {
    let prepared = prepare_tts_response(text, Mood::from_gauge(gauge), gauge);
    let speech =
        state.voice.tts.speak(&prepared.text_for_tts, &prepared.tts_settings, voice).await.map_err(|e| match e {
            replique_voice::TtsError::Unavailable(why) => Error::Unavailable(why),
            other => Error::internal(other),
        })?;
    let library = &state.voice.library;
    let before: Vec<&replique_voice::Audio> = prepared.sounds_before.iter().filter_map(|id| library.get(id)).collect();
    let bed = if ambiance { library.get("office_quiet") } else { None };
    Ok(mix::assemble(&before, &speech, bed).to_wav())
}

/// Transcribes a recording of the learner (`Content-Type: audio/...`).
async fn transcribe(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Transcription>, Error> {
    training::load(&state, &user, id).await?;
    let Some(stt) = &state.voice.stt else {
        tracing::info!("transcription asked for, but no service is configured (REPLIQUE_STT_BASE_URL)");
        return Err(Error::Unprocessable(
            "La transcription des enregistrements n’est pas configurée sur ce serveur : utilisez la reconnaissance vocale du navigateur ou le clavier, ou contactez votre administrateur.".into(),
        ));
    };
    let mime = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if !mime.starts_with("audio/") && !mime.starts_with("video/webm") {
        return Err(Error::UnsupportedFileType(
            "Envoyez un enregistrement audio (Content-Type: audio/… ou video/webm).".into(),
        ));
    }
    if body.is_empty() {
        return Err(Error::Unprocessable("L’enregistrement est vide.".into()));
    }
    let extension = if mime.contains("ogg") {
        "ogg"
    } else if mime.contains("wav") {
        "wav"
    } else if mime.contains("mp4") || mime.contains("m4a") {
        "m4a"
    } else {
        "webm"
    };
    let text = stt.transcribe(body.to_vec(), &format!("tour.{extension}"), &mime).await;
    state.metrics.stt_call(text.is_ok());
    let text = text.map_err(|e| {
        tracing::warn!(error = %e, "transcription failed");
        Error::Unavailable("La transcription a échoué. Réessayez ou tapez votre réponse.".into())
    })?;
    Ok(Json(Transcription { text }))
}

/// A recording, transcribed.
#[derive(Serialize, JsonSchema)]
pub struct Transcription {
    /// The transcript of the recording.
    text: String,
}

/// Messages the browser sends over the live session (text frames).
#[derive(Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schemars(rename = "WsSay")]
pub enum Incoming {
    /// A learner turn: typed text or a transcript, with how it was said when spoken.
    Say {
        text: String,
        #[serde(default)]
        voice: Option<replique_core::report::VoiceTiming>,
        /// The turn's number, as over HTTP (`RespondRequest.exchange`): sent again after a
        /// reconnection, a stored turn gets its stored answer.
        #[serde(default)]
        #[schemars(range(min = 1))]
        exchange: Option<u32>,
    },
}

/// `/api/voice/session/{id}/ws`: the live voice session.
async fn live(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Id(id): Id,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, Error> {
    if !csrf::same_origin(&headers) {
        return Err(Error::Forbidden("Connexion d’une autre origine refusée.".into()));
    }
    // The session must exist and belong to the learner before we upgrade. Its stored turns
    // tell a page that reconnects where the conversation stands.
    let exchanges = training::load(&state, &user, id).await?.row.exchanges;
    // Past the limit the socket still opens, to tell the page why it must write instead:
    // a browser sees nothing of a refused upgrade but a closed socket.
    let seat = state.voice_sessions.try_enter();
    if seat.is_none() {
        state.metrics.voice_refused();
        tracing::info!(max = state.voice_sessions.max(), "voice session refused: every seat is taken");
    }
    Ok(upgrade
        .read_buffer_size(WS_READ_BUFFER_BYTES)
        // Each message is written at once (the session sends one at a time and waits for it).
        .write_buffer_size(0)
        .max_write_buffer_size(WS_MAX_WRITE_BUFFER_BYTES)
        .max_message_size(MAX_WS_MESSAGE_BYTES)
        .max_frame_size(MAX_WS_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let _open = state.metrics.websocket_opened();
            match seat {
                Some(_seat) => run_live(socket, state, user, (id, exchanges)).await,
                None => voice_full(socket).await,
            }
        }))
}

/// Tells the page that no voice seat is free (an `error` with status 503, then a close
/// with code 1013, "try again later"); the page goes on in writing.
async fn voice_full(mut socket: WebSocket) {
    let busy = Outgoing::Error { status: 503, detail: replique_core::text::french_typography(VOICE_FULL) };
    let close = axum::extract::ws::CloseFrame { code: 1013, reason: "voix saturée".into() };
    if socket.send(busy.frame()).await.is_ok() && socket.send(Message::Close(Some(close))).await.is_ok() {
        // The browser answers the close; wait a little for it, never long.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            while let Some(Ok(_)) = socket.recv().await {}
        })
        .await;
    }
}

/// Messages the server sends over the live session (text frames; a `speech` message is
/// followed by a binary frame holding that sentence's WAV).
#[derive(Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schemars(rename = "WsServerMessage")]
pub enum Outgoing {
    /// Sent once after the upgrade.
    Ready {
        voice: VoiceState,
        transcription: bool,
        /// Learner turns stored so far: after a reconnection, the turn a page was waiting
        /// for was stored if its `exchange` is at most this.
        exchanges: i64,
    },
    /// A sentence of the prospect's line, spoken while the model writes the rest.
    Speech { index: usize, text: String },
    /// The turn's result; `prospect.streamed_parts` counts the sentences already sent as
    /// speech (0: play `prospect.audio_url`).
    Turn(#[schemars(with = "training::TurnResponse")] Box<training::Answer>),
    /// A refused message; the connection stays open.
    Error {
        /// The HTTP status the error would have had (400 bad message, 415 binary frame,
        /// 404, 409, 413, 422...).
        status: u16,
        detail: String,
    },
}

/// Whether the voice speaks, in the `ready` message.
#[derive(Serialize, JsonSchema)]
pub struct VoiceState {
    available: bool,
    reason: Option<String>,
}

impl Outgoing {
    fn frame(&self) -> Message {
        Message::Text(serde_json::to_string(self).unwrap_or_default().into())
    }

    fn refusal(status: u16, detail: &str) -> Self {
        Outgoing::Error { status, detail: detail.to_owned() }
    }
}

async fn run_live(mut socket: WebSocket, state: AppState, user: SessionUser, (id, exchanges): (i64, i64)) {
    let hello = Outgoing::Ready {
        voice: VoiceState {
            available: state.voice.tts.unavailable().is_none(),
            reason: state.voice.tts.unavailable().map(str::to_owned),
        },
        transcription: state.voice.stt.is_some(),
        exchanges,
    };
    if socket.send(hello.frame()).await.is_err() {
        return;
    }
    let mut closures = state.voice_sessions.closures();
    loop {
        let wake = tokio::select! {
            message = socket.recv() => match message {
                Some(Ok(message)) => Wake::Message(message),
                _ => Wake::Gone,
            },
            closed = closures.recv() => match closed {
                Ok(id) if id != user.user.id => Wake::Other,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Wake::Missed,
                _ => Wake::Deactivated,
            },
        };
        let message = match wake {
            Wake::Message(message) => message,
            Wake::Gone => break,
            Wake::Other => continue,
            Wake::Missed => {
                if account_active(&state, &user).await {
                    continue;
                }
                close_deactivated(socket).await;
                return;
            }
            Wake::Deactivated => {
                close_deactivated(socket).await;
                return;
            }
        };
        // Deactivated on another instance: the account's next message ends the socket.
        if matches!(message, Message::Text(_)) && !account_active(&state, &user).await {
            close_deactivated(socket).await;
            return;
        }
        let reply = match message {
            // The turn's future is boxed: an idle session then holds only this loop's few
            // bytes, not the room of a whole turn (engine, store, LLM stream) the whole time.
            Message::Text(text) => match serde_json::from_str::<Incoming>(&text) {
                Ok(Incoming::Say { text, voice, exchange }) => {
                    let said = training::Said { message: &text, voice, exchange };
                    match Box::pin(say(&mut socket, &state, &user, id, said)).await {
                        Ok(turn) => {
                            let ended = turn.session_ended();
                            if socket.send(Outgoing::Turn(Box::new(turn)).frame()).await.is_err() || ended {
                                break;
                            }
                            continue;
                        }
                        Err(e) => Outgoing::Error { status: e.status().as_u16(), detail: e.detail() },
                    }
                }
                Err(_) => Outgoing::refusal(400, "Message invalide : attendu {\"type\": \"say\", \"text\": \"…\"}."),
            },
            Message::Binary(_) => Outgoing::refusal(415, "Envoyez du texte (JSON)."),
            Message::Close(_) => break,
            _ => continue,
        };
        if socket.send(reply.frame()).await.is_err() {
            break;
        }
    }
}

/// What woke a live session up.
enum Wake {
    Message(Message),
    /// The browser went away.
    Gone,
    /// Another account was deactivated.
    Other,
    /// Closures were missed (too many at once): the account is checked.
    Missed,
    Deactivated,
}

/// Whether the socket's account may still act (not deactivated since it opened); a
/// database that does not answer keeps the socket (the turn will say so itself).
async fn account_active(state: &AppState, user: &SessionUser) -> bool {
    state.store.user_is_active(user.user.id).await.unwrap_or(true)
}

/// Ends a deactivated account's socket: an `error` with status 401, then a close with code
/// 1008 (policy violation).
async fn close_deactivated(mut socket: WebSocket) {
    let refusal = Outgoing::refusal(401, "Votre compte a été désactivé : la session vocale est fermée.");
    let close = axum::extract::ws::CloseFrame { code: 1008, reason: "compte désactivé".into() };
    if socket.send(refusal.frame()).await.is_ok() {
        let _ = socket.send(Message::Close(Some(close))).await;
    }
}

/// Plays a learner turn over the live session. With a model that streams and a voice, each
/// sentence of the prospect's line is spoken as soon as it passes the guards: a `speech`
/// message (index, text) followed by a binary message (its WAV), while the model writes
/// the rest. Then the `turn` message, whose `prospect.streamed_parts` counts the sentences
/// sent (0: play `audio_url`).
async fn say(
    socket: &mut WebSocket,
    state: &AppState,
    user: &SessionUser,
    id: i64,
    said: training::Said<'_>,
) -> Result<training::Answer, Error> {
    let voice_on = state.voice.tts.unavailable().is_none() && state.llm.is_some();
    let (sink, mut parts) = tokio::sync::mpsc::unbounded_channel::<training::SpokenPart>();
    let turn = async {
        let sink = sink;
        training::respond_speaking(state, user, id, said, voice_on.then_some(&sink)).await
    };
    let speak = async {
        let mut sent = 0usize;
        let mut broken = false;
        while let Some(part) = parts.recv().await {
            if broken {
                continue;
            }
            // A sentence that cannot be spoken ends the streamed audio (the learner hears
            // the sentences before it, in order; the page shows the whole line). When none
            // could be, `streamed_parts` is 0 and the page plays `audio_url` instead.
            match speak_line(state, &part.text, part.gauge, &part.voice, false).await {
                Ok(wav) => {
                    let header = Outgoing::Speech { index: part.index, text: part.text };
                    broken = socket.send(header.frame()).await.is_err()
                        || socket.send(Message::Binary(wav.into())).await.is_err();
                    if !broken {
                        sent += 1;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a streamed sentence could not be spoken");
                    broken = true;
                }
            }
        }
        sent
    };
    let (turn, sent) = tokio::join!(turn, speak);
    let mut turn = turn?;
    // A repeated turn's answer says 0: nothing was streamed for it this time.
    if let training::Answer::Played(played) = &mut turn {
        played.prospect.streamed_parts = sent;
    }
    Ok(turn)
}
