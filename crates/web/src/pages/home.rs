//! `/`: the landing page, or the learner's dashboard when logged in.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use replique_core::progress::{Progress, ScoredSession, SkillProgress, Trend, progress};

use super::{Nav, render};

/// `YYYY-MM-DD` (UTC) of Unix seconds; empty when out of range.
fn iso_date(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix).map_or_else(|_| String::new(), |at| at.date().to_string())
}
use crate::auth::MaybeUser;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::{AppState, training};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

pub struct SessionLine {
    pub title: String,
    pub level: &'static str,
    pub active: bool,
    /// `None` while active, and for a session ended without a learner turn (not scored).
    pub score: Option<i64>,
    /// Ended before the learner said anything: « Sans échange », not scored.
    pub no_exchange: bool,
    pub exchanges: i64,
    pub url: String,
    /// The day it started, e.g. « 6 déc. 2026 ».
    pub date: String,
    /// The same day for machines (`YYYY-MM-DD`), for `<time datetime>`.
    pub iso_date: String,
}

/// A skill's line in the progress table.
pub struct SkillLine {
    pub title: String,
    pub url: String,
    pub progress: SkillProgress,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    sessions: Vec<SessionLine>,
    skills_count: usize,
    /// What the plan leaves the learner (trial days, free sessions).
    allowance: Option<String>,
    progress: Progress,
    skills: Vec<SkillLine>,
    /// The skill to work on next: (title, url).
    focus: Option<(String, String)>,
    /// The day the learner's trial ended, when it has (they are on the free plan since).
    trial_ended: Option<String>,
    /// The programme items assigned to the learner (« À faire »).
    assignments: Vec<crate::programmes::AssignmentView>,
    /// Items past their due day, not passed, with attempts left.
    overdue: usize,
    /// « À retravailler »: the skills spaced repetition brings back.
    reviews: Vec<crate::practice::ReviewLine>,
}

async fn home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let title = |slug: &str| state.catalog.skill(slug).map_or_else(|| slug.to_owned(), |k| k.title.clone());
    let (mut recent, mut scores, mut allowance, mut assignments) = (Vec::new(), Vec::new(), None, Vec::new());
    let mut reviews = Vec::new();
    if let Some(u) = &user {
        recent = state.store.list_training_sessions(u.user.id, 20).await?;
        scores = state.store.scored_sessions(u.user.id).await?;
        allowance = training::allowance_text(&state, u).await?;
        assignments = crate::programmes::assignments(&state, u).await?;
        reviews = crate::practice::reviews(&state, u).await?;
    }
    let scored: Vec<ScoredSession<'_>> = scores
        .iter()
        .map(|(skill, _, score, at)| ScoredSession {
            skill,
            score: u8::try_from((*score).clamp(0, 100)).unwrap_or(0),
            at: *at,
        })
        .collect();
    let progress = progress(&scored);
    let skills = progress
        .skills
        .iter()
        .map(|p| SkillLine { title: title(&p.skill), url: format!("/skills/{}", p.skill), progress: p.clone() })
        .collect();
    let focus = progress.focus.as_deref().map(|slug| (title(slug), format!("/skills/{slug}")));
    let sessions = recent
        .iter()
        .map(|s| SessionLine {
            title: title(&s.skill_slug),
            level: replique_core::Level::parse(&s.level).map_or("", |l| l.label()),
            active: s.status == "active",
            score: s.final_score.filter(|_| s.exchanges > 0),
            no_exchange: s.status != "active" && s.exchanges == 0,
            exchanges: s.exchanges,
            url: if s.status == "active" { format!("/training/session/{}", s.id) } else { training::report_url(s.id) },
            date: super::french_date(s.created_at),
            iso_date: iso_date(s.created_at),
        })
        .collect();
    render(&HomePage {
        nav: Nav::new(user.as_ref(), &csrf),
        sessions,
        skills_count: state.catalog.skills.len(),
        allowance,
        progress,
        skills,
        focus,
        trial_ended: user.as_ref().and_then(|u| u.trial_ended_at()).map(super::french_date),
        overdue: assignments
            .iter()
            .filter(|a| a.status == replique_core::programme::AssignmentStatus::Overdue && a.attempts_left())
            .count(),
        assignments,
        reviews,
    })
}
