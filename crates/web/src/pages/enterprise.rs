//! Enterprise pages: the offer and its demo request form (`/enterprise`), the upload page
//! (`/upload`, a call to action for other plans), the champions of the organisation and the
//! analysis of each call.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use replique_core::account::Email;
use replique_core::champion::{CallAnalysis, CallTurn};
use replique_store::{ChampionRow, DemoRequest};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Nav, render};
use crate::api::{champion_training, champions};
use crate::auth::{ClientIp, MaybeUser};
use crate::csrf::{CsrfToken, check_post};
use crate::enterprise::{EnterpriseUser, Refusal};
use crate::error::PageError;
use crate::extract::{CsrfForm, PageId, PageUser, to_login};
use crate::{AppState, Error, now};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprise", get(offer).post(request_demo))
        .route(
            "/upload",
            get(upload_page)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::max(champions::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/champions", get(list))
        .route("/champions/{id}", get(show))
        .route("/champions/{id}/analyze", post(reanalyze))
        .route("/champions/{id}/train", post(train))
        .route("/champions/training/{id}", get(training_page))
        .route("/champions/training/{id}/say", post(training_say))
        .route("/champions/training/{id}/end", post(training_end))
}

#[derive(Template)]
#[template(path = "enterprise.html")]
struct OfferPage {
    nav: Nav,
    sent: bool,
    error: Option<String>,
}

async fn offer(
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    render(&OfferPage { nav: Nav::new(user.as_ref(), &csrf), sent: q.contains_key("merci"), error: None })
}

#[derive(Deserialize)]
struct DemoForm {
    name: String,
    email: String,
    company: String,
    #[serde(default)]
    team_size: String,
    #[serde(default)]
    message: String,
}

async fn request_demo(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<DemoForm>,
) -> Result<Response, PageError> {
    let key = format!("demo|{ip}");
    state.signup_limiter.take(&state.store, &key).await?;
    let problem = if form.name.trim().is_empty() || form.company.trim().is_empty() {
        Some("Indiquez votre nom et votre entreprise.".to_owned())
    } else if form.name.chars().count() > 120
        || form.company.chars().count() > 120
        || form.team_size.chars().count() > 40
        || form.message.chars().count() > 2000
    {
        Some("Un des champs est trop long.".to_owned())
    } else {
        Email::parse(&form.email).err().map(str::to_owned)
    };
    if let Some(error) = problem {
        let page = OfferPage { nav: Nav::new(user.as_ref(), &csrf), sent: false, error: Some(error) };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    state
        .store
        .create_demo_request(&DemoRequest {
            id: 0,
            name: form.name.trim().to_owned(),
            email: form.email.trim().to_lowercase(),
            company: form.company.trim().to_owned(),
            team_size: form.team_size.trim().to_owned(),
            message: form.message.trim().to_owned(),
            created_at: now(),
        })
        .await?;
    Ok(Redirect::to("/enterprise?merci=1#demande").into_response())
}

/// The Enterprise user of a page; anybody else goes to the login page, or to /upload and
/// its call to action.
pub(super) struct PageEnterprise(pub(super) EnterpriseUser);

impl FromRequestParts<AppState> for PageEnterprise {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Response> {
        EnterpriseUser::from_request_parts(parts, state).await.map(PageEnterprise).map_err(|refusal| match refusal {
            Refusal::Anonymous => to_login(parts),
            Refusal::NotEnterprise | Refusal::NoOrganisation => Redirect::to("/upload").into_response(),
            Refusal::Error(e) => PageError(e).into_response(),
        })
    }
}

#[derive(Template)]
#[template(path = "upload.html")]
struct UploadPage {
    nav: Nav,
    enterprise: bool,
    error: Option<String>,
    /// What the manager confirms (stored with the upload).
    consent_text: &'static str,
}

async fn upload_page(
    PageUser(user): PageUser,
    csrf: CsrfToken,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let membership = if user.plan.has_champion() { state.store.membership(user.user.id).await? } else { None };
    if membership.as_ref().is_some_and(|m| m.role != "manager") {
        return Err(Error::Forbidden(crate::enterprise::MANAGERS_ONLY.into()).into());
    }
    let enterprise = membership.is_some();
    render(&UploadPage {
        nav: Nav::new(Some(&user), &csrf),
        enterprise,
        error: None,
        consent_text: crate::privacy::CONSENT_TEXT,
    })
}

async fn upload(
    State(state): State<AppState>,
    csrf: CsrfToken,
    headers: HeaderMap,
    PageEnterprise(who): PageEnterprise,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    who.require_manager()?;
    let form = form.map_err(|_| Error::BadRequest("Formulaire d’envoi illisible.".into()))?;
    let received = champions::read_upload(form).await;
    let result = match received {
        Ok(received) => {
            check_post(&headers, &csrf, received.csrf.as_deref().unwrap_or_default())?;
            champions::store_upload(&state, &who, &received).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(stored) => {
            let id = stored.id();
            // Analysed right away: the manager lands on the analysis.
            if let Err(e) = champions::run_analysis(&state, &who, id, None).await {
                tracing::warn!(error = %e, "analysis after upload failed");
            }
            Ok(Redirect::to(&format!("/champions/{id}")).into_response())
        }
        Err(
            e @ (Error::Unprocessable(_)
            | Error::UnsupportedFileType(_)
            | Error::PayloadTooLarge(_)
            | Error::BadRequest(_)),
        ) => {
            let status = e.status();
            let message = e.to_string();
            let page = UploadPage {
                nav: Nav::new(Some(&who.user), &csrf),
                enterprise: true,
                error: Some(message),
                consent_text: crate::privacy::CONSENT_TEXT,
            };
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "champions.html")]
struct ListPage {
    nav: Nav,
    organisation: String,
    champions: Vec<ChampionRow>,
    /// Managers upload calls; learners train on them.
    can_manage: bool,
}

async fn list(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
) -> Result<Response, PageError> {
    let champions = state.store.champions(who.membership.organisation_id).await?;
    render(&ListPage {
        nav: Nav::new(Some(&who.user), &csrf),
        organisation: who.membership.organisation.clone(),
        champions,
        can_manage: who.is_manager(),
    })
}

#[derive(Template)]
#[template(path = "champion.html")]
struct ChampionPage {
    nav: Nav,
    champion: ChampionRow,
    turns: Vec<CallTurn>,
    speakers: Vec<String>,
    analysis: Option<CallAnalysis>,
    /// Managers may analyse again; learners only train.
    can_manage: bool,
}

async fn show(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let champion = champions::load(&state, &who, id).await?;
    let mut turns = champions::stored_turns(&state, &champion).await?;
    // Calls stored before the limits may be huge: the page shows the first turns.
    turns.truncate(champions::MAX_TURNS);
    let analysis: Option<CallAnalysis> =
        champion.analysis_json.as_deref().map(serde_json::from_str).transpose().map_err(Error::internal)?;
    let mut speakers: Vec<String> = turns.iter().map(|t| t.speaker.clone()).collect();
    speakers.sort();
    speakers.dedup();
    let can_manage = who.is_manager();
    render(&ChampionPage { nav: Nav::new(Some(&who.user), &csrf), champion, turns, speakers, analysis, can_manage })
}

#[derive(Deserialize)]
struct ReanalyzeForm {
    champion_speaker: String,
}

async fn reanalyze(
    State(state): State<AppState>,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm<ReanalyzeForm>,
) -> Result<Response, PageError> {
    champions::run_analysis(&state, &who, id, Some(form.champion_speaker)).await?;
    Ok(Redirect::to(&format!("/champions/{id}")).into_response())
}

async fn train(
    State(state): State<AppState>,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let (session, _) = champion_training::start_session(&state, &who, id).await?;
    Ok(Redirect::to(&format!("/champions/training/{session}")).into_response())
}

#[derive(Template)]
#[template(path = "champion_training.html")]
struct TrainingPage {
    nav: Nav,
    id: i64,
    champion_name: String,
    /// The call was deleted since: the comparison stays, the training is over.
    champion_deleted: bool,
    client: String,
    active: bool,
    position: usize,
    total: usize,
    client_line: Option<String>,
    comparison: Vec<replique_core::champion::ComparisonPoint>,
}

async fn training_page(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let (row, scenario) = champion_training::load_session(&state, &who, id).await?;
    let champion = champions::load_for_session(&state, &who, row.champion_id).await?;
    let position = usize::try_from(row.position).unwrap_or(usize::MAX);
    let active = row.status == "active";
    let comparison = if active { Vec::new() } else { champion_training::comparison(&state, &who, id).await?.1 };
    render(&TrainingPage {
        nav: Nav::new(Some(&who.user), &csrf),
        id,
        champion_deleted: champion.deleted_at.is_some(),
        champion_name: champion.name,
        client: scenario.client.clone(),
        active,
        position,
        total: scenario.moves.len(),
        client_line: scenario.moves.get(position).and_then(|m| m.client_line.clone()),
        comparison,
    })
}

#[derive(Deserialize)]
struct SayForm {
    message: String,
}

async fn training_say(
    State(state): State<AppState>,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm<SayForm>,
) -> Result<Response, PageError> {
    champion_training::answer(&state, &who, id, &form.message).await?;
    Ok(Redirect::to(&format!("/champions/training/{id}")).into_response())
}

async fn training_end(
    State(state): State<AppState>,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    champion_training::load_session(&state, &who, id).await?;
    state.store.end_champion_session(id, who.user.user.id, now()).await?;
    Ok(Redirect::to(&format!("/champions/training/{id}")).into_response())
}
