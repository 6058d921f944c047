//! `/`: the landing page, or the learner's dashboard when logged in.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::{Nav, render};
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
    pub score: Option<i64>,
    pub exchanges: i64,
    pub url: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    sessions: Vec<SessionLine>,
    skills_count: usize,
}

async fn home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let sessions = match &user {
        Some(u) => state
            .store
            .list_training_sessions(u.user.id, 20)
            .await?
            .into_iter()
            .map(|s| SessionLine {
                title: state.catalog.skill(&s.skill_slug).map_or_else(|| s.skill_slug.clone(), |k| k.title.clone()),
                level: replique_core::Level::parse(&s.level).map_or("", |l| l.label()),
                active: s.status == "active",
                score: s.final_score,
                exchanges: s.exchanges,
                url: if s.status == "active" {
                    format!("/training/session/{}", s.id)
                } else {
                    training::report_url(s.id)
                },
            })
            .collect(),
        None => Vec::new(),
    };
    render(&HomePage { nav: Nav::new(user.as_ref(), &csrf), sessions, skills_count: state.catalog.skills.len() })
}
