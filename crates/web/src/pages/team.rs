//! The manager's team page (`/team`): members with their trend, the heat map of skill ×
//! member (latest score, each cell a link to that session's report), who is late on which
//! assignment, each member's teams (SCIM groups) and whether their account is deactivated; and the export of the team's results (`/team/export.csv`). Managers of the
//! organisation only (403 for its learners); everything read is the organisation's own.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use replique_core::progress::Trend;
use replique_store::AuditEntry;

use super::enterprise::PageEnterprise;
use super::{Nav, render};
use crate::csrf::CsrfToken;
use crate::enterprise::EnterpriseUser;
use crate::error::PageError;
use crate::team::{self, TeamView};
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new().route("/team", get(team)).route("/team/export.csv", get(export))
}

pub struct MemberLine {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub sessions: i64,
    pub last_activity: String,
    /// The teams (SCIM groups) the member is in, by name.
    pub teams: Vec<String>,
    /// Deactivated by the organisation's identity provider.
    pub deactivated: bool,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    nav: Nav,
    organisation: String,
    members: Vec<MemberLine>,
    view: TeamView,
}

fn require_manager(who: &EnterpriseUser) -> Result<(), Error> {
    if who.is_manager() {
        Ok(())
    } else {
        Err(Error::Forbidden("La page équipe est réservée aux managers de l’organisation.".into()))
    }
}

/// The manager's team: members, trends, heat map, late assignments.
async fn team(
    State(state): State<AppState>,
    csrf: CsrfToken,
    PageEnterprise(who): PageEnterprise,
) -> Result<Response, PageError> {
    require_manager(&who)?;
    let org = who.membership.organisation_id;
    let teams = state.store.member_teams(org).await?;
    let deactivated = state.store.deactivated_members(org).await?;
    let members = state
        .store
        .team(org)
        .await?
        .into_iter()
        .map(|m| MemberLine {
            teams: teams.iter().filter(|t| t.user_id == m.user_id).map(|t| t.team.clone()).collect(),
            deactivated: deactivated.contains(&m.user_id),
            user_id: m.user_id,
            name: m.name,
            email: m.email,
            role: if m.role == "manager" { "Manager" } else { "Apprenant" },
            sessions: m.sessions,
            last_activity: m.last_activity.map(day).unwrap_or_else(|| "—".into()),
        })
        .collect();
    let view = team::view(&state, org).await?;
    render(&TeamPage {
        nav: Nav::new(Some(&who.user), &csrf),
        organisation: who.membership.organisation.clone(),
        members,
        view,
    })
}

/// The team's scored sessions as a CSV download (audited: it reads every member's results).
async fn export(State(state): State<AppState>, PageEnterprise(who): PageEnterprise) -> Result<Response, PageError> {
    require_manager(&who)?;
    let org = who.membership.organisation_id;
    state.export_limiter.take(&state.store, &format!("team|{}", who.user.user.id)).await?;
    let entry = AuditEntry {
        organisation_id: Some(org),
        actor_id: Some(who.user.user.id),
        subject_user_id: None,
        action: "team_export",
        detail: "export CSV des résultats de l’équipe",
    };
    crate::privacy::audit(&state, &entry).await?;
    let csv = team::export_csv(&state, org).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"resultats-equipe.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv,
    )
        .into_response())
}

/// "24/11/2026".
fn day(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year()))
        .unwrap_or_default()
}
