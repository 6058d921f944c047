//! `/skills` (the catalogue) and `/skills/{slug}` (the lesson and the start form).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use replique_core::Level;
use replique_core::account::Plan;
use replique_core::catalog::{Sector, Skill, Template as ScenarioTemplate};
use serde::Deserialize;

use super::{Nav, render};
use crate::auth::{MaybeUser, SessionUser};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::extract::{CsrfForm, PageUser};
use crate::generation::Scope;
use crate::training::{self, StartRequest};
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/skills", get(list))
        .route("/skills/{slug}", get(show))
        .route("/skills/{slug}/start", post(start))
        .route("/skills/{slug}/generate", post(generate))
}

pub struct LevelGroup<'a> {
    pub label: &'static str,
    pub skills: Vec<(&'a Skill, usize)>,
}

#[derive(Template)]
#[template(path = "skills.html")]
struct SkillsPage<'a> {
    nav: Nav,
    groups: Vec<LevelGroup<'a>>,
}

async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let catalog = &state.catalog;
    let groups = Level::ALL
        .into_iter()
        .map(|level| LevelGroup {
            label: level.label(),
            skills: catalog
                .skills
                .iter()
                .filter(|s| s.level == level)
                .map(|s| (s, catalog.templates_for(&s.slug).count()))
                .collect(),
        })
        .filter(|g| !g.skills.is_empty())
        .collect();
    render(&SkillsPage { nav: Nav::new(user.as_ref(), &csrf), groups })
}

#[derive(Template)]
#[template(path = "skill.html")]
struct SkillPage<'a> {
    nav: Nav,
    skill: &'a Skill,
    sectors: Vec<&'a Sector>,
    templates: Vec<&'a ScenarioTemplate>,
    levels: [Level; 3],
    logged_in: bool,
    /// Whether an LLM can write a new scenario.
    can_generate: bool,
    /// Whether the learner may share what they generate with their team (a manager).
    can_share: bool,
    /// Generated scenarios of this skill the learner may play: theirs and their team's.
    generated: Vec<GeneratedOption>,
    /// The level checked by default (the skill's own, or easy on the free plan).
    default_level: &'static str,
    /// Levels beyond easy are Premium.
    free_plan: bool,
    /// What the plan leaves the learner (trial days, free sessions), said in French.
    allowance: Option<String>,
    /// Why the last start was refused (the plan's limits), shown above the form.
    refusal: Option<String>,
}

struct GeneratedOption {
    template_id: String,
    name: String,
    shared: bool,
}

async fn show(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let page = skill_page(&state, user.as_ref(), &csrf, &slug, None).await?;
    render(&page)
}

/// The skill page for `user`, with `refusal` above the form when a start was refused.
async fn skill_page<'a>(
    state: &'a AppState,
    user: Option<&SessionUser>,
    csrf: &CsrfToken,
    slug: &str,
    refusal: Option<String>,
) -> Result<SkillPage<'a>, Error> {
    let catalog = &state.catalog;
    let skill = catalog.skill(slug).ok_or(Error::NotFound)?;
    let (mut can_share, mut generated, mut allowance) = (false, Vec::new(), None);
    if let Some(user) = user {
        let team = crate::enterprise::team_of(state, user).await?;
        can_share = team.as_ref().is_some_and(|m| m.role == "manager");
        generated = state
            .store
            .generated_scenarios(user.user.id, team.map(|m| m.organisation_id))
            .await?
            .into_iter()
            .filter(|r| r.skill_slug == skill.slug)
            .map(|r| GeneratedOption {
                template_id: format!("gen:{}", r.id),
                name: crate::generation::display_name(&r),
                shared: r.organisation_id.is_some(),
            })
            .collect();
        allowance = training::allowance_text(state, user).await?;
    }
    let free = user.is_some_and(|u| u.plan == Plan::Free);
    Ok(SkillPage {
        nav: Nav::new(user, csrf),
        skill,
        sectors: catalog.sectors_for(&skill.slug),
        templates: catalog.templates_for(&skill.slug).collect(),
        levels: Level::ALL,
        logged_in: user.is_some(),
        can_generate: state.llm.is_some(),
        can_share,
        generated,
        default_level: if free { Level::Easy.as_str() } else { skill.level.as_str() },
        free_plan: free,
        allowance,
        refusal,
    })
}

#[derive(Deserialize)]
struct StartForm {
    sector: String,
    level: String,
    #[serde(default)]
    variant: String,
    /// The "share with my team" box of the generate button.
    #[serde(default)]
    share: Option<String>,
}

async fn start(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<Response, PageError> {
    let variant = Some(form.variant.clone()).filter(|v| !v.is_empty());
    let started = start_and_open(&state, &user, slug.clone(), form, variant).await;
    refused_on_the_page(&state, &user, &csrf, &slug, started).await
}

/// A start the plan does not allow is said on the skill page, with the way to the offers;
/// anything else goes through.
async fn refused_on_the_page(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    slug: &str,
    outcome: Result<Response, PageError>,
) -> Result<Response, PageError> {
    match outcome {
        Err(PageError(Error::PlanLimit(why))) => {
            let page = skill_page(state, Some(user), csrf, slug, Some(why)).await?;
            Ok((StatusCode::FORBIDDEN, render(&page)?).into_response())
        }
        other => other,
    }
}

/// Starts a session from the start form and opens its page.
async fn start_and_open(
    state: &AppState,
    user: &crate::auth::SessionUser,
    skill: String,
    form: StartForm,
    variant: Option<String>,
) -> Result<Response, PageError> {
    let request = StartRequest { skill, sector: form.sector, level: form.level, variant, seed: None, assignment: None };
    let started = training::start(state, user, &request).await?;
    Ok(Redirect::to(&format!("/training/session/{}", started.session_id)).into_response())
}

/// Has the LLM write a new scenario (or falls back to the closest template) and starts it.
async fn generate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    csrf: CsrfToken,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<Response, PageError> {
    let scope = if form.share.is_some() { Scope::Organisation } else { Scope::User };
    // The plan is checked before the model writes anything.
    let started = async {
        training::may_start(&state, &user, &form.level).await?;
        let outcome = crate::generation::generate(&state, &user, &slug, &form.sector, &form.level, scope).await?;
        start_and_open(&state, &user, slug.clone(), form, Some(outcome.template_id)).await
    }
    .await;
    refused_on_the_page(&state, &user, &csrf, &slug, started).await
}
