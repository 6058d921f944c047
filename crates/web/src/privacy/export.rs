//! The GDPR export: everything held about one user, as one JSON document (`UserExport`).
//! Stored JSON (reports, patterns, turns, analyses) is nested as JSON, not as strings.
//! Uploaded recordings are not in it (binary, and not the user's voice): their transcript is.

use replique_store::{ChampionRow, User};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::{AppState, Error, now, rfc3339};

/// The version of the document's layout.
const FORMAT: &str = "replique-export-1";

/// Everything Réplique holds about a user.
#[derive(Serialize, JsonSchema)]
pub struct UserExport {
    /// The layout of this document: `replique-export-1`.
    #[schemars(extend("const" = FORMAT))]
    format: &'static str,
    #[schemars(extend("format" = "date-time"))]
    exported_at: String,
    account: ExportedAccount,
    /// The organisation the user belongs to, if any.
    membership: Option<ExportedMembership>,
    /// Who the user is at their organisation's identity provider (single sign-on).
    sso_identities: Vec<ExportedIdentity>,
    training_sessions: Vec<ExportedSession>,
    /// Programme items assigned to the user, with their progress.
    assignments: Vec<ExportedAssignment>,
    /// Certificates issued to the user (their public ids verify them at `/certificats/{id}`).
    certificates: Vec<ExportedCertificate>,
    /// Training sessions on champions' calls, with the user's answers.
    champion_trainings: Vec<ExportedChampionTraining>,
    /// Champions' calls the user uploaded, with the consent they confirmed.
    champion_uploads: Vec<ExportedUpload>,
    /// Scenarios the user had the LLM write.
    generated_scenarios: Vec<ExportedScenario>,
    /// Demo requests sent from the user's e-mail address.
    demo_requests: Vec<ExportedDemoRequest>,
}

/// The account, without its password hash.
#[derive(Serialize, JsonSchema)]
struct ExportedAccount {
    id: i64,
    email: String,
    name: String,
    /// The plan stored (`free`, `trial`, `premium`, `enterprise`).
    plan: String,
    #[schemars(extend("format" = "date-time"))]
    trial_ends_at: Option<String>,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    #[schemars(extend("format" = "date-time"))]
    last_login_at: Option<String>,
}

/// An identity provider's subject the account signs in as.
#[derive(Serialize, JsonSchema)]
struct ExportedIdentity {
    issuer: String,
    subject: String,
    #[schemars(extend("format" = "date-time"))]
    linked_at: String,
}

#[derive(Serialize, JsonSchema)]
struct ExportedMembership {
    organisation: String,
    /// `manager` or `learner`.
    role: String,
    /// The organisation's teams the user is in (SCIM groups).
    teams: Vec<String>,
    /// What the organisation's identity provider knows of the account (SCIM), as its
    /// `/scim/v2/Users` shows it.
    provisioning: Option<ExportedProvisioning>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedProvisioning {
    user_name: String,
    external_id: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    /// When the account was deactivated, if it is.
    #[schemars(extend("format" = "date-time"))]
    deactivated_at: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedSession {
    id: i64,
    skill: String,
    sector: String,
    level: String,
    template_id: String,
    /// `active` or `ended`.
    status: String,
    end_type: Option<String>,
    gauge: i64,
    exchanges: i64,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    #[schemars(extend("format" = "date-time"))]
    ended_at: Option<String>,
    /// The transcript, in order.
    messages: Vec<ExportedMessage>,
    /// The stored report (the same document as `GET /api/voice/session/{id}/report`).
    report: Option<Value>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedMessage {
    seq: i64,
    /// `user` (the learner) or `prospect`.
    role: String,
    content: String,
    gauge_after: i64,
    /// The patterns read in a learner turn.
    patterns: Value,
    /// How a spoken turn was said, if it was spoken.
    voice: Option<Value>,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

#[derive(Serialize, JsonSchema)]
struct ExportedAssignment {
    id: i64,
    programme: String,
    skill: String,
    level: String,
    pass_mark: i64,
    due: String,
    attempts: i64,
    best_score: Option<i64>,
    #[schemars(extend("format" = "date-time"))]
    passed_at: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedCertificate {
    id: String,
    skill: String,
    /// `bronze`, `silver` or `gold`.
    tier: String,
    #[schemars(extend("format" = "date-time"))]
    issued_at: String,
}

#[derive(Serialize, JsonSchema)]
struct ExportedChampionTraining {
    id: i64,
    champion_id: i64,
    status: String,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    #[schemars(extend("format" = "date-time"))]
    ended_at: Option<String>,
    answers: Vec<ExportedAnswer>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedAnswer {
    position: i64,
    answer: String,
    patterns: Value,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

#[derive(Serialize, JsonSchema)]
struct ExportedUpload {
    id: i64,
    name: String,
    notes: String,
    /// `transcript` or `recording`.
    source: String,
    original_name: String,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    #[schemars(extend("format" = "date-time"))]
    deleted_at: Option<String>,
    /// What the uploader confirmed; null for calls uploaded before it was asked.
    consent: Option<ExportedConsent>,
    /// The call's turns (empty once its retention period is over).
    turns: Value,
    champion_speaker: Option<String>,
    analysis: Option<Value>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedConsent {
    /// The exact text shown.
    text: String,
    #[schemars(extend("format" = "date-time"))]
    confirmed_at: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct ExportedScenario {
    id: i64,
    skill: String,
    /// Shared with the organisation.
    shared: bool,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    template: Value,
}

#[derive(Serialize, JsonSchema)]
struct ExportedDemoRequest {
    name: String,
    email: String,
    company: String,
    team_size: String,
    message: String,
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
}

/// Stored JSON as JSON (text that is not JSON stays text).
fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Everything held about `user`.
pub async fn export(state: &AppState, user: &User) -> Result<UserExport, Error> {
    let store = &state.store;
    let id = user.id;
    let mut messages = store.user_messages(id).await?.into_iter().peekable();
    let mut reports = store.user_reports(id).await?.into_iter().peekable();
    let mut training_sessions = Vec::new();
    for s in store.all_training_sessions(id).await? {
        // Both lists are ordered by session id, as the sessions are.
        let mut said = Vec::new();
        while let Some(m) = messages.next_if(|m| m.session_id <= s.id) {
            if m.session_id == s.id {
                said.push(ExportedMessage {
                    seq: m.seq,
                    role: m.role,
                    content: m.content,
                    gauge_after: m.gauge_after,
                    patterns: json(&m.patterns_json),
                    voice: m.voice_json.as_deref().map(json),
                    created_at: rfc3339(m.created_at),
                });
            }
        }
        let mut report = None;
        while let Some(r) = reports.next_if(|r| r.session_id <= s.id) {
            if r.session_id == s.id {
                report = Some(json(&r.report_json));
            }
        }
        training_sessions.push(ExportedSession {
            id: s.id,
            skill: s.skill_slug,
            sector: s.sector_slug,
            level: s.level,
            template_id: s.template_id,
            status: s.status,
            end_type: s.end_type,
            gauge: s.gauge,
            exchanges: s.exchanges,
            created_at: rfc3339(s.created_at),
            ended_at: s.ended_at.map(rfc3339),
            messages: said,
            report,
        });
    }
    let mut answers = store.user_champion_answers(id).await?.into_iter().peekable();
    let mut champion_sessions = store.champion_sessions(id).await?;
    champion_sessions.sort_by_key(|s| s.id);
    let mut champion_trainings = Vec::new();
    for s in champion_sessions {
        let mut given = Vec::new();
        while let Some(a) = answers.next_if(|a| a.session_id <= s.id) {
            if a.session_id == s.id {
                given.push(ExportedAnswer {
                    position: a.position,
                    answer: a.answer,
                    patterns: json(&a.patterns_json),
                    created_at: rfc3339(a.created_at),
                });
            }
        }
        champion_trainings.push(ExportedChampionTraining {
            id: s.id,
            champion_id: s.champion_id,
            status: s.status,
            created_at: rfc3339(s.created_at),
            ended_at: s.ended_at.map(rfc3339),
            answers: given,
        });
    }
    Ok(UserExport {
        format: FORMAT,
        exported_at: rfc3339(now()),
        account: ExportedAccount {
            id,
            email: user.email.clone(),
            name: user.name.clone(),
            plan: user.plan.clone(),
            trial_ends_at: user.trial_ends_at.map(rfc3339),
            created_at: rfc3339(user.created_at),
            last_login_at: store.last_login_at(id).await?.map(rfc3339),
        },
        membership: match store.membership(id).await? {
            Some(m) => Some(ExportedMembership {
                teams: store
                    .member_teams(m.organisation_id)
                    .await?
                    .into_iter()
                    .filter(|t| t.user_id == id)
                    .map(|t| t.team)
                    .collect(),
                provisioning: store.scim_user(m.organisation_id, id).await?.map(|r| ExportedProvisioning {
                    user_name: r.user_name,
                    external_id: r.external_id,
                    given_name: r.given_name,
                    family_name: r.family_name,
                    deactivated_at: r.deactivated_at.map(rfc3339),
                }),
                organisation: m.organisation,
                role: m.role,
            }),
            None => None,
        },
        sso_identities: store
            .oidc_identities_of(id)
            .await?
            .into_iter()
            .map(|(issuer, subject, at)| ExportedIdentity { issuer, subject, linked_at: rfc3339(at) })
            .collect(),
        training_sessions,
        assignments: store
            .all_assignments_of(id)
            .await?
            .into_iter()
            .map(|a| ExportedAssignment {
                id: a.id,
                programme: a.programme_name,
                skill: a.skill_slug,
                level: a.level,
                pass_mark: a.pass_mark,
                due: a.due,
                attempts: a.attempts,
                best_score: a.best_score,
                passed_at: a.passed_at.map(rfc3339),
            })
            .collect(),
        certificates: store
            .certificates_of(id)
            .await?
            .into_iter()
            .map(|c| ExportedCertificate {
                id: c.id,
                skill: c.skill_slug,
                tier: c.tier,
                issued_at: rfc3339(c.issued_at),
            })
            .collect(),
        champion_trainings,
        champion_uploads: store.champions_uploaded_by(id).await?.into_iter().map(upload).collect(),
        generated_scenarios: store
            .generated_scenarios_by(id)
            .await?
            .into_iter()
            .map(|g| ExportedScenario {
                id: g.id,
                skill: g.skill_slug,
                shared: g.organisation_id.is_some(),
                created_at: rfc3339(g.created_at),
                template: json(&g.template_json),
            })
            .collect(),
        demo_requests: store
            .demo_requests_by_email(&user.email)
            .await?
            .into_iter()
            .map(|d| ExportedDemoRequest {
                name: d.name,
                email: d.email,
                company: d.company,
                team_size: d.team_size,
                message: d.message,
                created_at: rfc3339(d.created_at),
            })
            .collect(),
    })
}

fn upload(c: ChampionRow) -> ExportedUpload {
    ExportedUpload {
        id: c.id,
        name: c.name,
        notes: c.notes,
        source: c.source_kind,
        original_name: c.original_name,
        created_at: rfc3339(c.created_at),
        deleted_at: c.deleted_at.map(rfc3339),
        consent: c.consent_text.map(|text| ExportedConsent { text, confirmed_at: c.consented_at.map(rfc3339) }),
        turns: json(&c.turns_json),
        champion_speaker: c.champion_speaker,
        analysis: c.analysis_json.as_deref().map(json),
    }
}
