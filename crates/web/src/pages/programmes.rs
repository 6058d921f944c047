//! Programme pages: a manager's programmes (`/programmes`, with the form that creates one,
//! and `/programmes/{id}`, each learner's status per item), a member's sessions for their
//! manager (`/team/learners/{id}`), the learner's start button for an assigned item
//! (`/assignments/{programme}/{item}/start`), their certifications (`/certifications`) and
//! the public, printable page that verifies a certificate (`/certificats/{id}`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use replique_core::Level;
use serde::de::IgnoredAny;

use super::enterprise::PageEnterprise;
use super::{Nav, french_date, render};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::extract::{CsrfForm, PageId, PageUser};
use crate::programmes::{self, CertificationView, ItemRequest, ProgrammeDetail, ProgrammeRequest};
use crate::training::{self, StartRequest};
use crate::{AppState, Error};

/// Item rows of the creation form (the API takes up to `MAX_ITEMS`).
const FORM_ROWS: usize = 6;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list).post(create))
        .route("/programmes/{id}", get(show))
        .route("/team/learners/{id}", get(learner))
        .route("/assignments/{programme}/{item}/start", post(start))
        .route("/certifications", get(certifications))
        .route("/certificats/{id}", get(certificate))
}

pub struct ProgrammeLine {
    pub id: i64,
    pub name: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ListPage {
    nav: Nav,
    organisation: String,
    programmes: Vec<ProgrammeLine>,
    /// (slug, title) of every skill.
    skills: Vec<(String, String)>,
    /// (e-mail, name) of every member.
    members: Vec<(String, String)>,
    rows: Vec<usize>,
    levels: [Level; 3],
    error: Option<String>,
}

async fn list_page(
    state: &AppState,
    csrf: &CsrfToken,
    who: &crate::enterprise::EnterpriseUser,
) -> Result<ListPage, Error> {
    programmes::require_manager(who)?;
    let programmes = state
        .store
        .programmes(who.membership.organisation_id)
        .await?
        .into_iter()
        .map(|row| ProgrammeLine { id: row.id, name: row.name, date: french_date(row.created_at) })
        .collect();
    let members = state.store.team(who.membership.organisation_id).await?;
    Ok(ListPage {
        nav: Nav::new(Some(&who.user), csrf),
        organisation: who.membership.organisation.clone(),
        programmes,
        skills: state.catalog.skills.iter().map(|s| (s.slug.clone(), s.title.clone())).collect(),
        members: members.into_iter().map(|m| (m.email, m.name)).collect(),
        rows: (0..FORM_ROWS).collect(),
        levels: Level::ALL,
        error: None,
    })
}

async fn list(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
) -> Result<Response, PageError> {
    render(&list_page(&state, &csrf, &who).await?)
}

/// The creation form: `name`, rows `skill{n}`, `level{n}`, `pass_mark{n}`, `due{n}`,
/// `max_attempts{n}` (a row without a skill is left out), one `learner` per member ticked,
/// and `team` when the whole team's learners are.
fn request_of(form: &[(String, String)]) -> ProgrammeRequest {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
    let number = |name: &str| field(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(-1);
    let items = (0..FORM_ROWS)
        .filter_map(|n| {
            let skill = field(&format!("skill{n}")).filter(|s| !s.is_empty())?;
            Some(ItemRequest {
                skill,
                level: field(&format!("level{n}")).unwrap_or_default(),
                pass_mark: number(&format!("pass_mark{n}")),
                due: field(&format!("due{n}")).unwrap_or_default(),
                max_attempts: number(&format!("max_attempts{n}")),
            })
        })
        .collect();
    ProgrammeRequest {
        name: field("name").unwrap_or_default(),
        items,
        learners: form.iter().filter(|(k, _)| k == "learner").map(|(_, v)| v.clone()).collect(),
        team: field("team").is_some(),
    }
}

async fn create(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    programmes::require_manager(&who)?;
    match programmes::create(&state, &who, &request_of(&form)).await {
        Ok(id) => Ok(Redirect::to(&format!("/programmes/{id}")).into_response()),
        Err(Error::Unprocessable(message)) => {
            let page = ListPage { error: Some(message), ..list_page(&state, &csrf, &who).await? };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    nav: Nav,
    programme: ProgrammeDetail,
}

async fn show(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let programme = programmes::detail(&state, &who, id).await?;
    render(&ProgrammePage { nav: Nav::new(Some(&who.user), &csrf), programme })
}

pub struct SessionLine {
    pub date: String,
    pub title: String,
    pub level: &'static str,
    pub score: Option<i64>,
    pub active: bool,
    /// The session, for its report's link.
    pub id: i64,
}

#[derive(Template)]
#[template(path = "learner.html")]
struct LearnerPage {
    nav: Nav,
    name: String,
    email: String,
    sessions: Vec<SessionLine>,
}

/// A member's sessions, for a manager of their organisation; anybody else: 404.
async fn learner(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let member = state.store.team(who.membership.organisation_id).await?.into_iter().find(|m| m.user_id == id);
    let member = member.filter(|_| who.is_manager()).ok_or(Error::NotFound)?;
    crate::privacy::audit_sessions_read(&state, who.membership.organisation_id, who.user.user.id, id).await?;
    let sessions = state
        .store
        .list_training_sessions(id, 100)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            date: french_date(s.created_at),
            title: programmes::skill_title(&state, &s.skill_slug),
            level: Level::parse(&s.level).map_or("", Level::label),
            score: s.final_score.filter(|_| s.exchanges > 0),
            active: s.status == "active",
            id: s.id,
        })
        .collect();
    render(&LearnerPage { nav: Nav::new(Some(&who.user), &csrf), name: member.name, email: member.email, sessions })
}

/// Starts the session of an assigned item and opens it.
async fn start(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((programme, item)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let (Ok(programme_id), Ok(item_index)) = (programme.parse::<i64>(), item.parse::<i64>()) else {
        return Err(Error::NotFound.into());
    };
    let request = StartRequest {
        skill: String::new(),
        sector: String::new(),
        level: String::new(),
        variant: None,
        seed: None,
        assignment: Some(training::AssignmentRef { programme_id, item_index }),
    };
    let started = training::start(&state, &user, &request).await?;
    Ok(Redirect::to(&format!("/training/session/{}", started.session_id)).into_response())
}

/// A skill's line on the certifications page.
pub struct CertificationLine {
    pub skill: String,
    pub title: String,
    pub tier: Option<&'static str>,
    pub sessions: usize,
    /// « 72,5/100 », or « — ».
    pub score: String,
    /// The public id of the certificate of the tier reached.
    pub certificate: Option<String>,
}

impl From<CertificationView> for CertificationLine {
    fn from(c: CertificationView) -> Self {
        CertificationLine {
            score: c.weighted_score.map_or_else(|| "—".into(), |s| format!("{}/100", s.to_string().replace('.', ","))),
            skill: c.skill,
            title: c.skill_title,
            tier: c.level_label,
            sessions: c.sessions,
            certificate: c.certificate,
        }
    }
}

#[derive(Template)]
#[template(path = "certifications.html")]
struct CertificationsPage {
    nav: Nav,
    certifications: Vec<CertificationLine>,
    rule: String,
}

async fn certifications(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let certifications =
        programmes::certifications(&state, &user).await?.into_iter().map(CertificationLine::from).collect();
    render(&CertificationsPage {
        nav: Nav::new(Some(&user), &csrf),
        certifications,
        rule: replique_core::certification::rule(),
    })
}

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage {
    nav: Nav,
    id: String,
    holder: String,
    skill: String,
    tier: &'static str,
    /// « 6 déc. 2026 ».
    date: String,
    iso_date: String,
    rule: String,
}

/// A certificate, for anyone who has its id (the holder prints it, a recruiter checks
/// it); an unknown or malformed id is 404.
async fn certificate(
    State(state): State<AppState>,
    crate::auth::MaybeUser(user): crate::auth::MaybeUser,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(Error::NotFound.into());
    }
    let row = state.store.certificate(&id).await?.ok_or(Error::NotFound)?;
    let tier = match row.tier.as_str() {
        "gold" => replique_core::certification::Tier::Gold,
        "silver" => replique_core::certification::Tier::Silver,
        _ => replique_core::certification::Tier::Bronze,
    };
    render(&CertificatePage {
        nav: Nav::new(user.as_ref(), &csrf),
        skill: programmes::skill_title(&state, &row.skill_slug),
        tier: tier.label(),
        date: french_date(row.issued_at),
        iso_date: time::OffsetDateTime::from_unix_timestamp(row.issued_at)
            .map_or_else(|_| String::new(), |t| t.date().to_string()),
        holder: row.holder,
        id: row.id,
        rule: replique_core::certification::rule(),
    })
}
