//! `/training/report/{id}`: the session report page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use replique_core::report::{Role, SessionReport};

use super::{Nav, render};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::extract::{PageId, PageUser};
use crate::{AppState, training};

pub fn router() -> Router<AppState> {
    Router::new().route("/training/report/{id}", get(page))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    report: SessionReport,
    /// Ended before the learner's first turn: « Sans échange », not scored nor counted.
    no_exchange: bool,
    level_label: &'static str,
    duration: String,
    skill_slug: String,
    sector_slug: String,
    template_id: String,
    next_skill: Option<String>,
    /// Points of the gauge chart, "x,y x,y ..." in a 0-100 box.
    chart_points: String,
    /// One dot per learner message, linked to that message in the replay.
    chart_dots: Vec<ChartDot>,
    /// Voice mode: the pause before answering an objection, in seconds ("1,2 s").
    objection_pause: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    // The learner's own report, or one of their organisation's members for a manager.
    let owner = training::report_reader(&state, &user, id).await?;
    let report = training::report(&state, &user, id).await?;
    let loaded = training::load_of(&state, owner, id).await?;
    let skills = &state.catalog.skills;
    let next_skill = skills
        .iter()
        .position(|s| s.slug == loaded.row.skill_slug)
        .and_then(|i| skills.get(i + 1))
        .map(|s| s.slug.clone());
    let minutes = report.duration_seconds / 60;
    let seconds = report.duration_seconds % 60;
    let duration = if minutes > 0 { format!("{minutes} min {seconds:02} s") } else { format!("{seconds} s") };
    let chart_points = gauge_points(&report);
    let chart_dots = gauge_dots(&report);
    render(&ReportPage {
        nav: Nav::new(Some(&user), &csrf),
        level_label: report.level.label(),
        no_exchange: loaded.row.exchanges == 0,
        duration,
        skill_slug: loaded.row.skill_slug.clone(),
        sector_slug: loaded.row.sector_slug.clone(),
        template_id: loaded.row.template_id.clone(),
        next_skill,
        chart_points,
        chart_dots,
        objection_pause: report.delivery.pause_after_objection_ms.map(|ms| {
            let tenths = (ms + 50) / 100;
            format!("{},{}\u{a0}s", tenths / 10, tenths % 10)
        }),
        report,
    })
}

pub struct ChartDot {
    pub x: String,
    pub y: i32,
    /// Index of the message in the replay.
    pub message: usize,
    pub gauge: u8,
}

/// The learner's messages as chart dots, at the same positions as `gauge_points`.
fn gauge_dots(report: &SessionReport) -> Vec<ChartDot> {
    let turns: Vec<(usize, u8)> = report
        .messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == Role::User)
        .map(|(i, m)| (i, m.gauge_after))
        .collect();
    let n = turns.len().max(1);
    turns
        .iter()
        .enumerate()
        .map(|(k, (i, g))| ChartDot {
            x: format!("{:.1}", (k + 1) as f64 * 100.0 / n as f64),
            y: 100 - i32::from(*g),
            message: *i,
            gauge: *g,
        })
        .collect()
}

/// The gauge after each learner turn, as SVG polyline points (x: turn, y: 100 - gauge).
fn gauge_points(report: &SessionReport) -> String {
    let mut values = vec![report.starting_gauge];
    values.extend(report.messages.iter().filter(|m| m.role == Role::User).map(|m| m.gauge_after));
    let n = values.len().max(2) - 1;
    values
        .iter()
        .enumerate()
        .map(|(i, g)| format!("{:.1},{}", i as f64 * 100.0 / n as f64, 100 - i32::from(*g)))
        .collect::<Vec<_>>()
        .join(" ")
}
