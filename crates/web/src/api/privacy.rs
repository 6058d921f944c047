//! GDPR routes: `GET /api/me/export` (the user's archive), `POST /api/me/erase` (their
//! erasure, password confirmed), and for managers `GET /api/org/members/{id}/export` and
//! `GET /api/org/audit` (the organisation's audit log).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Id;
use crate::auth::{self, ClientIp, CurrentUser};
use crate::enterprise::EnterpriseUser;
use crate::{AppState, Error, privacy, rfc3339};

/// Entries in one page of the audit log (the default and the most).
pub const AUDIT_PAGE: i64 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/export", get(export_own))
        .route("/me/erase", post(erase_own))
        .route("/org/members/{id}/export", get(export_member))
        .route("/org/audit", get(audit_log))
}

/// The archive as a download: `replique-donnees-<id>.json`.
pub fn attachment(user_id: i64, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"replique-donnees-{user_id}.json\"");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn export_own(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<Response, Error> {
    let bytes = privacy::export_own(&state, &user).await?;
    Ok(attachment(user.user.id, bytes))
}

async fn export_member(State(state): State<AppState>, who: EnterpriseUser, Id(id): Id) -> Result<Response, Error> {
    let bytes = privacy::export_member(&state, &who, id).await?;
    Ok(attachment(id, bytes))
}

#[derive(Deserialize, JsonSchema)]
pub struct EraseRequest {
    /// The account's password, to confirm (required unless the account signs in by single
    /// sign-on only).
    #[serde(default)]
    password: Option<String>,
    /// For an account opened by single sign-on (no password): `EFFACER`, to confirm.
    #[serde(default)]
    #[schemars(length(max = 64))]
    confirmation: Option<String>,
}

/// The answer to an erasure.
#[derive(Serialize, JsonSchema)]
pub struct Erased {
    /// Always true: the account and its personal data are gone.
    #[schemars(extend("const" = true))]
    erased: bool,
    /// What happened, in French.
    detail: String,
}

async fn erase_own(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    body: Result<Json<EraseRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    privacy::erase_own(&state, &user, &ip, body.password.as_deref(), body.confirmation.as_deref()).await?;
    // The login sessions went with the account; the cookie goes too.
    let jar = auth::logout(&state, jar).await?;
    let detail = "Votre compte et vos données personnelles ont été effacés. Vous êtes déconnecté partout.".to_owned();
    Ok((StatusCode::ACCEPTED, jar, Json(Erased { erased: true, detail })))
}

/// `?before=&limit=` of `GET /api/org/audit`.
#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

/// One entry of the audit log.
#[derive(Serialize, JsonSchema)]
pub struct AuditEntryView {
    id: i64,
    /// `report_read`, `export`, `erasure`, `account_expired`, `retention` or
    /// `retention_settings`.
    action: String,
    /// Who acted; null for the system (retention job, command line).
    actor_id: Option<i64>,
    /// Their name while their account exists.
    actor_name: Option<String>,
    /// Whose data it concerned.
    subject_user_id: Option<i64>,
    subject_name: Option<String>,
    /// What was done, in French.
    detail: String,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

/// A page of the audit log, newest first.
#[derive(Serialize, JsonSchema)]
pub struct AuditLog {
    entries: Vec<AuditEntryView>,
    /// `before` of the next (older) page; null on the last one.
    next_before: Option<i64>,
}

/// The organisation's audit log, newest first, by pages; for its managers only.
pub async fn audit_page(
    state: &AppState,
    who: &EnterpriseUser,
    before: Option<i64>,
    limit: i64,
) -> Result<AuditLog, Error> {
    who.require_manager()?;
    let limit = limit.clamp(1, AUDIT_PAGE);
    let rows = state.store.audit_log(who.membership.organisation_id, before, limit + 1).await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    let entries: Vec<AuditEntryView> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|r| AuditEntryView {
            id: r.id,
            action: r.action,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            subject_user_id: r.subject_user_id,
            subject_name: r.subject_name,
            detail: r.detail,
            created_at: rfc3339(r.created_at),
        })
        .collect();
    let next_before = if more { entries.last().map(|e| e.id) } else { None };
    Ok(AuditLog { entries, next_before })
}

async fn audit_log(
    State(state): State<AppState>,
    who: EnterpriseUser,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditLog>, Error> {
    let Query(query) = query.map_err(|_| {
        Error::Unprocessable(format!(
            "Pagination invalide : before et limit sont des entiers (limit de 1 à {AUDIT_PAGE})."
        ))
    })?;
    Ok(Json(audit_page(&state, &who, query.before, query.limit.unwrap_or(AUDIT_PAGE)).await?))
}
