//! The account page (« Mon compte »: download one's data, erase one's account), the privacy
//! page (« Confidentialité »), the accessibility statement and, for managers, the
//! organisation's audit log with its retention periods.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use replique_core::retention::RetentionPolicy;
use serde::Deserialize;

use super::enterprise::PageEnterprise;
use super::{Nav, french_date, render};
use crate::auth::{self, ClientIp, MaybeUser};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::extract::{CsrfForm, PageUser};
use crate::{AppState, Error, privacy};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account))
        .route("/account/erase", post(erase))
        .route("/confidentialite", get(privacy_page))
        .route("/accessibilite", get(accessibility))
        .route("/team/audit", get(audit))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    name: String,
    email: String,
    plan: &'static str,
    organisation: Option<String>,
    error: Option<String>,
    /// The account signs in by single sign-on only: it confirms an erasure with a word.
    sso_only: bool,
}

async fn account(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let organisation = state.store.membership(user.user.id).await?.map(|m| m.organisation);
    render(&AccountPage {
        nav: Nav::new(Some(&user), &csrf),
        name: user.user.name.clone(),
        email: user.user.email.clone(),
        plan: user.plan.label(),
        organisation,
        error: None,
        sso_only: user.user.password_hash == replique_store::NO_PASSWORD,
    })
}

#[derive(Deserialize)]
struct EraseForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: Option<String>,
}

#[derive(Template)]
#[template(path = "erased.html")]
struct ErasedPage {
    nav: Nav,
}

async fn erase(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ClientIp(ip): ClientIp,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<EraseForm>,
) -> Result<Response, PageError> {
    match privacy::erase_own(&state, &user, &ip, Some(&form.password), form.confirmation.as_deref()).await {
        Ok(()) => {
            let jar = auth::logout(&state, jar).await?;
            Ok((jar, render(&ErasedPage { nav: Nav::new(None, &csrf) })?).into_response())
        }
        Err(e @ (Error::Forbidden(_) | Error::TooManyRequests { .. })) => {
            let status = e.status();
            let organisation = state.store.membership(user.user.id).await?.map(|m| m.organisation);
            let page = AccountPage {
                nav: Nav::new(Some(&user), &csrf),
                name: user.user.name.clone(),
                email: user.user.email.clone(),
                plan: user.plan.label(),
                organisation,
                error: Some(e.to_string()),
                sso_only: user.user.password_hash == replique_store::NO_PASSWORD,
            };
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A provider the data may be sent to, when configured.
struct Processor {
    what: &'static str,
    host: String,
}

/// The host of a URL (what the privacy page names), without credentials or path.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host).to_owned()
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    nav: Nav,
    processors: Vec<Processor>,
    policy: RetentionPolicy,
    /// The user's organisation's own periods, when it set them.
    organisation: Option<(String, RetentionPolicy)>,
}

async fn privacy_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    let mut processors = Vec::new();
    if let Some(llm) = &state.llm {
        processors.push(Processor {
            what: "le modèle de langue qui formule les répliques du prospect (vos messages d’entraînement lui sont envoyés)",
            host: host_of(&llm.config().base_url),
        });
    }
    if let Some(stt) = &state.voice.stt {
        processors.push(Processor {
            what: "la transcription de la voix (vos tours parlés et les enregistrements Champion lui sont envoyés)",
            host: host_of(stt.base_url()),
        });
    }
    match state.voice.tts.provider() {
        replique_voice::tts::TtsProvider::ElevenLabs { base_url, .. }
        | replique_voice::tts::TtsProvider::OpenAi { base_url, .. } => {
            processors.push(Processor {
                what: "la synthèse vocale (les répliques du prospect lui sont envoyées, jamais vos messages)",
                host: host_of(base_url),
            });
        }
        replique_voice::tts::TtsProvider::Espeak { .. } | replique_voice::tts::TtsProvider::None => {}
    }
    let mut organisation = None;
    if let Some(user) = &user
        && let Some(membership) = state.store.membership(user.user.id).await?
        && let Some(days) = state.store.retention(membership.organisation_id).await?
    {
        let policy = RetentionPolicy::parse(days.recordings_days, days.analyses_days, days.inactive_days)
            .unwrap_or(RetentionPolicy::DEFAULT);
        organisation = Some((membership.organisation, policy));
    }
    render(&PrivacyPage {
        nav: Nav::new(user.as_ref(), &csrf),
        processors,
        policy: RetentionPolicy::DEFAULT,
        organisation,
    })
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    nav: Nav,
}

async fn accessibility(MaybeUser(user): MaybeUser, csrf: CsrfToken) -> Result<Response, PageError> {
    render(&AccessibilityPage { nav: Nav::new(user.as_ref(), &csrf) })
}

struct AuditLine {
    date: String,
    action: &'static str,
    actor: String,
    subject: String,
    detail: String,
}

/// The French name of an audit action.
fn action_label(action: &str) -> &'static str {
    match action {
        "report_read" => "Lecture d’un rapport",
        "sessions_read" => "Lecture des sessions d’un membre",
        "export" => "Export de données",
        "team_export" => "Export des résultats de l’équipe",
        "erasure" => "Effacement d’un compte",
        "account_expired" => "Compte inactif effacé",
        "retention" => "Suppression (durée de conservation)",
        "retention_settings" => "Durées de conservation modifiées",
        "sso_settings" => "Authentification unique configurée",
        "sso_account" => "Compte créé ou lié (authentification unique)",
        "lrs_settings" => "LRS (xAPI) configuré",
        "scim_token" => "Jeton SCIM renouvelé",
        "scim_user_created" => "Compte créé (SCIM)",
        "scim_user_updated" => "Compte modifié (SCIM)",
        "scim_user_deactivated" => "Compte désactivé (SCIM)",
        "scim_user_reactivated" => "Compte réactivé (SCIM)",
        "scim_user_deleted" => "Compte supprimé (SCIM)",
        "scim_group_created" => "Équipe créée (SCIM)",
        "scim_group_updated" => "Équipe modifiée (SCIM)",
        "scim_group_deleted" => "Équipe supprimée (SCIM)",
        _ => "Autre",
    }
}

/// Who an entry names: their name while the account exists.
fn person(id: Option<i64>, name: Option<String>) -> String {
    match (id, name) {
        (_, Some(name)) => name,
        (Some(id), None) => format!("compte supprimé (n° {id})"),
        (None, None) => "Réplique (automatique)".into(),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: Nav,
    organisation: String,
    policy: RetentionPolicy,
    custom_policy: bool,
    lines: Vec<AuditLine>,
    /// Anonymised sessions kept: (skill, sessions, mean score).
    tallies: Vec<(String, i64, String)>,
}

async fn audit(
    State(state): State<AppState>,
    PageEnterprise(who): PageEnterprise,
    csrf: CsrfToken,
) -> Result<Response, PageError> {
    who.require_manager()?;
    let organisation_id = who.membership.organisation_id;
    let rows = state.store.audit_log(organisation_id, None, 200).await?;
    let lines = rows
        .into_iter()
        .map(|r| AuditLine {
            date: french_date(r.created_at),
            action: action_label(&r.action),
            actor: person(r.actor_id, r.actor_name),
            subject: if r.subject_user_id.is_some() { person(r.subject_user_id, r.subject_name) } else { "—".into() },
            detail: r.detail,
        })
        .collect();
    let stored = state.store.retention(organisation_id).await?;
    let policy = stored
        .and_then(|d| RetentionPolicy::parse(d.recordings_days, d.analyses_days, d.inactive_days).ok())
        .unwrap_or(RetentionPolicy::DEFAULT);
    let tallies = state
        .store
        .anonymous_tallies(organisation_id)
        .await?
        .into_iter()
        .map(|t| {
            let mean = if t.scored_sessions > 0 {
                format!("{}/100", (t.score_sum + t.scored_sessions / 2) / t.scored_sessions)
            } else {
                "—".into()
            };
            (crate::programmes::skill_title(&state, &t.skill_slug), t.sessions, mean)
        })
        .collect();
    let page = AuditPage {
        nav: Nav::new(Some(&who.user), &csrf),
        organisation: who.membership.organisation.clone(),
        policy,
        custom_policy: stored.is_some(),
        lines,
        tallies,
    };
    Ok((StatusCode::OK, render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn a_processor_is_named_by_its_host_only() {
        assert_eq!(host_of("https://api.openai.com/v1"), "api.openai.com");
        assert_eq!(host_of("http://user:secret@10.0.0.5:8000/v1?x=1"), "10.0.0.5:8000");
        assert_eq!(host_of("localhost:9000"), "localhost:9000");
    }
}
