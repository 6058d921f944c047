//! `/api/champions*`: upload a champion's call, analyse it, list, read, delete. Every route
//! requires Enterprise access; champions belong to the organisation and anybody outside it
//! gets 404. Only managers upload, analyse and delete (403 for learners, who train).

use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use replique_core::champion::{self, CallAnalysis, CallTurn, Upload};
use replique_store::{ChampionRow, NewChampion};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Id;
use crate::csrf::CsrfToken;
use crate::enterprise::EnterpriseUser;
use crate::{AppState, Error, now, rfc3339};

/// Largest upload: a long transcript, or a recording of a call.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// Largest transcript: a two-hour call is about 150 KiB of text.
pub const MAX_TRANSCRIPT_BYTES: usize = 512 * 1024;

/// Most turns in a call: a two-hour call has about a thousand.
pub const MAX_TURNS: usize = 2000;

/// Turns in one page of `GET /api/champions/{id}` (the default and the most).
pub const TURNS_PAGE: usize = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/champions/upload", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)))
        .route("/champions", get(list))
        .route("/champions/{id}", get(show).delete(delete))
        .route("/champions/{id}/analyze", post(analyze))
}

/// What an upload brings.
pub struct Received {
    pub file: Vec<u8>,
    pub file_name: String,
    pub name: String,
    pub notes: String,
    /// The form's CSRF field, when sent from the page.
    pub csrf: Option<String>,
    /// The uploader confirmed that the people recorded were informed.
    pub consent: bool,
}

/// The values of the `consent` field that confirm it (`true`, or `on` from a checkbox).
const CONSENT_VALUES: [&str; 2] = ["true", "on"];

pub async fn read_upload(mut form: Multipart) -> Result<Received, Error> {
    let mut file = None;
    let mut name = String::new();
    let mut notes = String::new();
    let mut csrf = None;
    let mut consent = None;
    while let Some(field) = form.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::PayloadTooLarge(format!(
                "Fichier trop volumineux ({} Mio au maximum).",
                MAX_UPLOAD_BYTES / (1024 * 1024)
            ))
        } else {
            Error::BadRequest("Formulaire d’envoi illisible (multipart attendu).".into())
        }
    })? {
        match field.name() {
            Some("file") => {
                let file_name = field.file_name().unwrap_or("appel").to_owned();
                let bytes = field.bytes().await.map_err(|_| {
                    Error::PayloadTooLarge(format!(
                        "Fichier trop volumineux ({} Mio au maximum).",
                        MAX_UPLOAD_BYTES / (1024 * 1024)
                    ))
                })?;
                file = Some((bytes.to_vec(), file_name));
            }
            Some("name") => name = field.text().await.map_err(|_| Error::BadRequest("Nom illisible.".into()))?,
            Some("notes") => notes = field.text().await.map_err(|_| Error::BadRequest("Notes illisibles.".into()))?,
            Some("consent") => {
                let value = field.text().await.map_err(|_| Error::BadRequest("Consentement illisible.".into()))?;
                consent = Some(CONSENT_VALUES.contains(&value.trim()));
            }
            Some("csrf_token") => {
                csrf = Some(field.text().await.map_err(|_| Error::BadRequest("Jeton illisible.".into()))?)
            }
            _ => {}
        }
    }
    let (file, file_name) =
        file.ok_or_else(|| Error::Unprocessable("Ajoutez le fichier de l’appel (champ « file »).".into()))?;
    if file.is_empty() {
        return Err(Error::Unprocessable("Le fichier est vide.".into()));
    }
    if file.len() > MAX_UPLOAD_BYTES {
        return Err(Error::PayloadTooLarge(format!(
            "Fichier trop volumineux ({} Mio au maximum).",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        )));
    }
    // The people recorded were told (CNIL): the upload page's form requires the manager to
    // confirm it, and anything but a confirmation is refused. An API client that sends no
    // `consent` field at all (the route's contract before the field existed) still has its
    // call stored, as not confirmed.
    let from_page = csrf.is_some();
    if consent == Some(false) || (from_page && consent.is_none()) {
        return Err(Error::Unprocessable(crate::privacy::CONSENT_MISSING.into()));
    }
    let consent = consent == Some(true);
    for text in [&file_name, &name, &notes] {
        crate::hygiene::check_text(text)?;
    }
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::Unprocessable("Donnez un nom au champion (1 à 120 caractères).".into()));
    }
    if notes.chars().count() > 2000 {
        return Err(Error::PayloadTooLarge("Notes trop longues (2 000 caractères au maximum).".into()));
    }
    Ok(Received { file, file_name, name, notes: notes.trim().to_owned(), csrf, consent })
}

/// Reads the call in the file: a transcript, or a recording through the transcription
/// service. Parsing runs in the app's bounded pool for champion work.
async fn turns_of(state: &AppState, bytes: &[u8]) -> Result<(Vec<CallTurn>, &'static str, &'static str), Error> {
    match champion::sniff(bytes) {
        Upload::Transcript(text) => {
            if text.len() > MAX_TRANSCRIPT_BYTES {
                return Err(Error::PayloadTooLarge(format!(
                    "Transcription trop volumineuse ({} Kio au maximum) : envoyez un seul appel.",
                    MAX_TRANSCRIPT_BYTES / 1024
                )));
            }
            let turns = state.champion_work.run(move || champion::parse_call(&text)).await?.map_err(|e| {
                let at = if e.line > 0 { format!(" (ligne {})", e.line) } else { String::new() };
                Error::Unprocessable(format!("{}{at}", e.message))
            })?;
            Ok((within_limit(turns)?, "transcript", "txt"))
        }
        Upload::Recording(mime) => {
            let Some(stt) = &state.voice.stt else {
                tracing::info!("a recording was uploaded, but no transcription service is configured (REPLIQUE_STT_BASE_URL)");
                return Err(Error::Unprocessable(
                    "C’est un enregistrement, et la transcription des enregistrements n’est pas configurée sur ce serveur : contactez votre administrateur, ou envoyez la transcription (texte avec « Vendeur : » / « Client : », WebVTT, SRT ou JSON).".into(),
                ));
            };
            let extension = mime.rsplit('/').next().unwrap_or("bin");
            let text = stt.transcribe(bytes.to_vec(), &format!("appel.{extension}"), mime).await.map_err(|e| {
                tracing::warn!(error = %e, "champion transcription failed");
                Error::Unavailable("La transcription de l’enregistrement a échoué. Réessayez plus tard.".into())
            })?;
            let turns = state.champion_work.run(move || champion::parse_call(&text)).await?.map_err(|_| {
                Error::Unprocessable(
                    "La transcription ne distingue pas les interlocuteurs : envoyez plutôt une transcription avec le nom de chaque locuteur.".into(),
                )
            })?;
            Ok((within_limit(turns)?, "recording", extension))
        }
        Upload::Unsupported => Err(Error::UnsupportedFileType(
            "Format de fichier non reconnu : envoyez une transcription (texte avec « Vendeur : » / « Client : », WebVTT, SRT, JSON) ou un enregistrement audio.".into(),
        )),
    }
}

/// The turns of a call, unless there are more than `MAX_TURNS` (422).
fn within_limit(turns: Vec<CallTurn>) -> Result<Vec<CallTurn>, Error> {
    if turns.len() > MAX_TURNS {
        return Err(Error::Unprocessable(format!(
            "Appel trop long : {} répliques, {MAX_TURNS} au maximum. Envoyez un seul appel.",
            turns.len()
        )));
    }
    Ok(turns)
}

/// The stored turns of a champion, read on a blocking thread. Calls stored before the
/// limits could be huge (tens of MB): those are read in the bounded pool.
pub async fn stored_turns(state: &AppState, c: &ChampionRow) -> Result<Vec<CallTurn>, Error> {
    let json = c.turns_json.clone();
    let read = move || serde_json::from_str::<Vec<CallTurn>>(&json);
    let turns = if c.turns_json.len() <= 4 * MAX_TRANSCRIPT_BYTES {
        tokio::task::spawn_blocking(read).await.map_err(Error::internal)?
    } else {
        state.champion_work.run(read).await?
    };
    turns.map_err(Error::internal)
}

/// The API's upload: the CSRF token comes in the `X-CSRF-Token` header (`csrf::api_guard`);
/// a `csrf_token` field sent as well (a page's form posted to the API) must match it too.
async fn upload(
    State(state): State<AppState>,
    who: EnterpriseUser,
    csrf: CsrfToken,
    form: Multipart,
) -> Result<impl IntoResponse, Error> {
    who.require_manager()?;
    let received = read_upload(form).await?;
    if let Some(sent) = &received.csrf {
        csrf.verify(sent)?;
    }
    let stored = store_upload(&state, &who, &received).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// What `POST /api/champions/upload` takes (multipart/form-data; read by `read_upload`).
#[derive(JsonSchema)]
#[allow(dead_code)] // Only its schema is used.
pub struct ChampionUpload {
    /// The call: a UTF-8 transcript ("Vendeur : ..." / "Client : ..." lines, WebVTT, SRT or
    /// JSON) or a recording (WAV, MP3, Ogg, FLAC, WebM, MP4), recognised by its bytes. At
    /// most 25 MiB.
    #[schemars(extend("contentMediaType" = "application/octet-stream"))]
    file: String,
    /// The champion's name (trimmed).
    #[schemars(length(min = 1, max = 120))]
    name: String,
    /// Optional notes (longer: 413).
    #[schemars(length(max = 2000))]
    notes: Option<String>,
    /// The uploader confirms that the people recorded were informed (the text shown on the
    /// upload page, stored with the call). Required: without it, 422.
    #[schemars(extend("enum" = ["true", "on"]))]
    consent: String,
    /// Form field of the HTML page. The API checks the X-CSRF-Token header; when this field
    /// is sent too, it must equal the `replique_csrf` cookie as well (403 otherwise).
    csrf_token: Option<String>,
}

/// How a call came: a transcript, or a recording transcribed.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // Only its schema is used: the stored text is one of these.
enum SourceKind {
    Transcript,
    Recording,
}

/// A call just stored.
#[derive(Serialize, JsonSchema)]
pub struct ChampionUploaded {
    id: i64,
    name: String,
    #[schemars(with = "SourceKind")]
    source: &'static str,
    /// Number of speaker turns read.
    turns: usize,
    /// Distinct speaker labels, sorted.
    speakers: Vec<String>,
    /// The speaker guessed to be the champion, or null.
    champion_speaker: Option<String>,
}

impl ChampionUploaded {
    /// The stored champion's id.
    pub fn id(&self) -> i64 {
        self.id
    }
}

/// Reads, stores and records an upload; its summary.
pub async fn store_upload(
    state: &AppState,
    who: &EnterpriseUser,
    received: &Received,
) -> Result<ChampionUploaded, Error> {
    let (turns, kind, extension) = turns_of(state, &received.file).await?;
    let turns_json = serde_json::to_string(&turns).map_err(Error::internal)?;

    // The file is kept under a name we make; the database row follows. If the row cannot
    // be written, the file goes too: nothing partial stays.
    let stored_name = format!("{}.{extension}", crate::token::random_token()?);
    let dir = state.config.data_dir.join("uploads");
    let path = dir.join(&stored_name);
    tokio::fs::create_dir_all(&dir).await.map_err(Error::internal)?;
    tokio::fs::write(&path, &received.file).await.map_err(Error::internal)?;
    let created = state
        .store
        .create_champion(&NewChampion {
            organisation_id: who.membership.organisation_id,
            uploaded_by: who.user.user.id,
            name: &received.name,
            notes: &received.notes,
            source_kind: kind,
            original_name: &received.file_name,
            stored_name: &stored_name,
            turns_json: &turns_json,
            created_at: now(),
            consent_text: received.consent.then_some(crate::privacy::CONSENT_TEXT),
        })
        .await;
    let id = match created {
        Ok(id) => id,
        Err(e) => {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(e.into());
        }
    };
    let speakers: std::collections::BTreeSet<&str> = turns.iter().map(|t| t.speaker.as_str()).collect();
    Ok(ChampionUploaded {
        id,
        name: received.name.clone(),
        source: kind,
        turns: turns.len(),
        speakers: speakers.into_iter().map(str::to_owned).collect(),
        champion_speaker: champion::infer_champion(&turns),
    })
}

/// A champion of the member's organisation that is not deleted.
pub async fn load(state: &AppState, who: &EnterpriseUser, id: i64) -> Result<ChampionRow, Error> {
    state.store.champion(id, who.membership.organisation_id).await?.ok_or(Error::NotFound)
}

/// A champion of the member's organisation, deleted or not (for a session's comparison).
pub async fn load_for_session(state: &AppState, who: &EnterpriseUser, id: i64) -> Result<ChampionRow, Error> {
    state.store.champion_of_session(id, who.membership.organisation_id).await?.ok_or(Error::NotFound)
}

/// A champion's call in the organisation's library.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Champion")]
pub struct ChampionSummary {
    id: i64,
    name: String,
    notes: String,
    #[schemars(with = "SourceKind")]
    source: String,
    /// The uploaded file's name.
    original_name: String,
    /// Set once the call has been analysed.
    champion_speaker: Option<String>,
    analysed: bool,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

fn summary(c: &ChampionRow) -> ChampionSummary {
    ChampionSummary {
        id: c.id,
        name: c.name.clone(),
        notes: c.notes.clone(),
        source: c.source_kind.clone(),
        original_name: c.original_name.clone(),
        champion_speaker: c.champion_speaker.clone(),
        analysed: c.analysis_json.is_some(),
        created_at: rfc3339(c.created_at),
    }
}

async fn list(State(state): State<AppState>, who: EnterpriseUser) -> Result<impl IntoResponse, Error> {
    let champions = state.store.champions(who.membership.organisation_id).await?;
    Ok(Json(champions.iter().map(summary).collect::<Vec<_>>()))
}

/// `?offset=&limit=` of `GET /api/champions/{id}`: which turns to return.
#[derive(Deserialize, Default)]
struct TurnsQuery {
    #[serde(default)]
    offset: Option<usize>,
    #[serde(default)]
    limit: Option<usize>,
}

/// A champion's call with its analysis and one page of its turns.
#[derive(Serialize, JsonSchema)]
pub struct ChampionDetail {
    #[serde(flatten)]
    summary: ChampionSummary,
    /// The page of turns (all of them for calls of 500 turns or fewer).
    turns: Vec<CallTurn>,
    /// Turns in the whole call.
    turns_total: usize,
    /// Index of the page's first turn.
    turns_offset: usize,
    /// The page size applied.
    #[schemars(range(min = 1, max = TURNS_PAGE))]
    turns_limit: usize,
    /// `offset` of the next page; null on the last one.
    turns_next_offset: Option<usize>,
    /// Null until analysed.
    analysis: Option<CallAnalysis>,
}

/// The champion, its analysis and one page of its turns (`turns`, from `turns_offset`,
/// at most `turns_limit` of `turns_total`; `turns_next_offset` when more follow).
async fn show(
    State(state): State<AppState>,
    who: EnterpriseUser,
    Id(id): Id,
    query: Result<Query<TurnsQuery>, QueryRejection>,
) -> Result<impl IntoResponse, Error> {
    let Query(page) = query.map_err(|_| {
        Error::Unprocessable(format!(
            "Pagination invalide : offset et limit sont des entiers positifs (limit de 1 à {TURNS_PAGE})."
        ))
    })?;
    let limit = page.limit.unwrap_or(TURNS_PAGE).clamp(1, TURNS_PAGE);
    let offset = page.offset.unwrap_or(0);
    let c = load(&state, &who, id).await?;
    let turns = stored_turns(&state, &c).await?;
    let analysis: Option<CallAnalysis> =
        c.analysis_json.as_deref().map(serde_json::from_str).transpose().map_err(Error::internal)?;
    let total = turns.len();
    let next = offset.checked_add(limit).filter(|&n| n < total);
    Ok(Json(ChampionDetail {
        summary: summary(&c),
        turns: turns.into_iter().skip(offset).take(limit).collect(),
        turns_total: total,
        turns_offset: offset,
        turns_limit: limit,
        turns_next_offset: next,
        analysis,
    }))
}

/// The optional body of an analysis.
#[derive(Deserialize, Default, JsonSchema)]
pub struct AnalyzeRequest {
    /// The champion's speaker label, to correct the guess; must be a speaker of the call.
    #[serde(default)]
    champion_speaker: Option<String>,
}

/// Analyses the call (again), with the champion's speaker given or inferred.
pub async fn run_analysis(
    state: &AppState,
    who: &EnterpriseUser,
    id: i64,
    speaker: Option<String>,
) -> Result<CallAnalysis, Error> {
    who.require_manager()?;
    let c = load(state, who, id).await?;
    let turns = within_limit(stored_turns(state, &c).await?)?;
    let speaker = match speaker.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        Some(s) if turns.iter().any(|t| t.speaker == s) => s,
        Some(s) => return Err(Error::Unprocessable(format!("Aucun locuteur « {s} » dans cet appel."))),
        None => champion::infer_champion(&turns)
            .ok_or_else(|| Error::Unprocessable("Impossible de trouver le champion dans cet appel.".into()))?,
    };
    // CPU-bound: in the bounded pool, with its time limit.
    let (speaker, analysis) = state
        .champion_work
        .run(move || {
            let analysis = champion::analyse_call(&turns, &speaker);
            (speaker, analysis)
        })
        .await?;
    let json = serde_json::to_string(&analysis).map_err(Error::internal)?;
    if !state.store.save_champion_analysis(id, who.membership.organisation_id, &speaker, &json).await? {
        return Err(Error::NotFound);
    }
    Ok(analysis)
}

async fn analyze(
    State(state): State<AppState>,
    who: EnterpriseUser,
    Id(id): Id,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, Error> {
    // The body is optional: `{"champion_speaker": "..."}` corrects the guess.
    let request: AnalyzeRequest = if body.iter().all(u8::is_ascii_whitespace) {
        AnalyzeRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                Error::Unprocessable(format!("Données invalides : {e}"))
            } else {
                Error::BadRequest("JSON mal formé.".into())
            }
        })?
    };
    Ok(Json(run_analysis(&state, &who, id, request.champion_speaker).await?))
}

async fn delete(State(state): State<AppState>, who: EnterpriseUser, Id(id): Id) -> Result<impl IntoResponse, Error> {
    who.require_manager()?;
    let stored =
        state.store.delete_champion(id, who.membership.organisation_id, now()).await?.ok_or(Error::NotFound)?;
    let path = state.config.data_dir.join("uploads").join(stored);
    if let Err(e) = tokio::fs::remove_file(&path).await {
        tracing::warn!(error = %e, "champion file already gone");
    }
    Ok(StatusCode::NO_CONTENT)
}
