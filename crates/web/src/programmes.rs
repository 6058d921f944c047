//! Programmes, assignments and certifications as the web layer runs them, shared by the
//! JSON API and the pages: a manager's programme is checked (French messages, 422) and
//! stored in one transaction; a learner's assignments and certifications are read with
//! their status. Everything is scoped to the caller's organisation: another one's
//! programme is "not found".

use replique_core::Level;
use replique_core::certification::{self, ScoredSession, Tier};
use replique_core::programme::{self as domain, AssignmentStatus, DueDate};
use replique_store::{AssignmentRow, NewProgramme, NewProgrammeItem, ProgrammeItemRow, ProgrammeRow};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth::SessionUser;
use crate::enterprise::EnterpriseUser;
use crate::{AppState, Error, now, rfc3339};

/// Refused to learners: what only a manager of the organisation does with programmes.
pub const MANAGERS_ONLY: &str = "Seuls les managers de l’organisation peuvent créer et suivre les programmes.";

/// A programme to create.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ProgrammeRequest {
    /// Trimmed, 1 to 120 characters.
    #[schemars(length(min = 1, max = domain::MAX_NAME_CHARS))]
    pub name: String,
    /// The items, in order (1 to 30).
    #[schemars(length(min = 1, max = domain::MAX_ITEMS))]
    pub items: Vec<ItemRequest>,
    /// E-mails of members of the organisation; every item is assigned to each (at most 200).
    #[serde(default)]
    #[schemars(length(max = domain::MAX_LEARNERS))]
    pub learners: Vec<String>,
    /// Assigns every item to every learner of the organisation as well (members with the
    /// learner role, at the time of creation); false by default.
    #[serde(default)]
    pub team: bool,
}

/// One item of a programme.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ItemRequest {
    /// A skill slug of the catalogue.
    #[schemars(length(min = 1))]
    pub skill: String,
    #[schemars(with = "Level")]
    pub level: String,
    /// The score (0-100) a session must reach to pass the item.
    #[schemars(range(min = 0, max = 100))]
    pub pass_mark: i64,
    /// The last day to pass it on time, `YYYY-MM-DD` (UTC).
    #[schemars(extend("format" = "date"))]
    pub due: String,
    /// Scored sessions allowed for the item (1 to 50).
    #[schemars(range(min = 1, max = domain::MAX_ATTEMPTS))]
    pub max_attempts: i64,
}

/// 403 unless `who` manages their organisation.
pub fn require_manager(who: &EnterpriseUser) -> Result<(), Error> {
    if who.is_manager() { Ok(()) } else { Err(Error::Forbidden(MANAGERS_ONLY.into())) }
}

/// Checks a programme and stores it with its assignments, all or nothing; its id.
pub async fn create(state: &AppState, who: &EnterpriseUser, request: &ProgrammeRequest) -> Result<i64, Error> {
    require_manager(who)?;
    let invalid = |message: String| Error::Unprocessable(message);
    let name = request.name.trim();
    if name.is_empty() {
        return Err(invalid("Donnez un nom au programme.".into()));
    }
    if name.chars().count() > domain::MAX_NAME_CHARS {
        return Err(invalid(format!("Le nom du programme dépasse {} caractères.", domain::MAX_NAME_CHARS)));
    }
    if request.items.is_empty() {
        return Err(invalid("Ajoutez au moins un élément au programme.".into()));
    }
    if request.items.len() > domain::MAX_ITEMS {
        return Err(invalid(format!("Un programme compte au plus {} éléments.", domain::MAX_ITEMS)));
    }
    let mut items = Vec::with_capacity(request.items.len());
    for (n, item) in (1..).zip(&request.items) {
        let skill = item.skill.trim();
        let skill = state
            .catalog
            .skill(skill)
            .ok_or_else(|| invalid(format!("Élément {n} : compétence inconnue « {skill} ».")))?;
        let level = Level::parse(item.level.trim()).ok_or_else(|| {
            invalid(format!("Élément {n} : niveau inconnu « {} » (attendu : easy, medium ou expert).", item.level))
        })?;
        if !(0..=100).contains(&item.pass_mark) {
            return Err(invalid(format!("Élément {n} : la note de validation doit être comprise entre 0 et 100.")));
        }
        let due = DueDate::parse(item.due.trim()).ok_or_else(|| {
            invalid(format!("Élément {n} : date d’échéance invalide « {} » (attendu : AAAA-MM-JJ).", item.due))
        })?;
        if !(1..=domain::MAX_ATTEMPTS).contains(&item.max_attempts) {
            return Err(invalid(format!(
                "Élément {n} : le nombre de tentatives doit être compris entre 1 et {}.",
                domain::MAX_ATTEMPTS
            )));
        }
        items.push((skill.slug.as_str(), level.as_str(), item.pass_mark, due.to_string(), item.max_attempts));
    }
    if request.learners.len() > domain::MAX_LEARNERS {
        return Err(invalid(format!("Un programme s’assigne à {} apprenants au plus.", domain::MAX_LEARNERS)));
    }
    let members = state.store.team(who.membership.organisation_id).await?;
    let mut learners = Vec::new();
    for email in &request.learners {
        let email = email.trim().to_lowercase();
        let member = members
            .iter()
            .find(|m| m.email == email)
            .ok_or_else(|| invalid(format!("« {email} » n’est pas membre de votre organisation.")))?;
        if !learners.contains(&member.user_id) {
            learners.push(member.user_id);
        }
    }
    if request.team {
        for member in members.iter().filter(|m| m.role == "learner") {
            if !learners.contains(&member.user_id) {
                learners.push(member.user_id);
            }
        }
    }
    let items: Vec<NewProgrammeItem<'_>> = items
        .iter()
        .map(|(skill_slug, level, pass_mark, due, max_attempts)| NewProgrammeItem {
            skill_slug,
            level,
            pass_mark: *pass_mark,
            due,
            max_attempts: *max_attempts,
        })
        .collect();
    let id = state
        .store
        .create_programme(&NewProgramme {
            organisation_id: who.membership.organisation_id,
            created_by: who.user.user.id,
            name,
            items: &items,
            learners: &learners,
            now: now(),
        })
        .await?;
    tracing::info!(programme_id = id, organisation_id = who.membership.organisation_id, "programme created");
    Ok(id)
}

/// Today (UTC), for due dates.
pub fn today() -> Result<DueDate, Error> {
    let today = time::OffsetDateTime::now_utc().date();
    DueDate::from_parts(today.year(), u8::from(today.month()), today.day())
        .ok_or_else(|| Error::internal("today is out of the due dates' range"))
}

/// An item assigned to the learner, with where they stand on it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssignmentView {
    pub programme_id: i64,
    pub programme_name: String,
    /// The item's place in its programme, from 0.
    pub item_index: i64,
    pub skill: String,
    pub skill_title: String,
    pub level: Level,
    #[schemars(range(min = 0, max = 100))]
    pub pass_mark: i64,
    /// `YYYY-MM-DD`: the last day to pass on time.
    #[schemars(extend("format" = "date"))]
    pub due: String,
    pub max_attempts: i64,
    /// Scored sessions counted for the item (a session ended before the learner's first
    /// turn does not count).
    pub attempts: i64,
    #[schemars(range(min = 0, max = 100))]
    pub best_score: Option<i64>,
    /// `passed` first, then `failed` (every attempt used), then `overdue` (past the due
    /// day), else `todo`.
    pub status: AssignmentStatus,
    /// The status in French.
    pub status_label: &'static str,
}

impl AssignmentView {
    pub fn new(state: &AppState, row: &AssignmentRow, today: DueDate) -> Self {
        let due = DueDate::parse(&row.due);
        let status =
            AssignmentStatus::of(row.passed_at.is_some(), row.attempts, row.max_attempts, due.unwrap_or(today), today);
        AssignmentView {
            programme_id: row.programme_id,
            programme_name: row.programme_name.clone(),
            item_index: row.item_index,
            skill: row.skill_slug.clone(),
            skill_title: skill_title(state, &row.skill_slug),
            level: Level::parse(&row.level).unwrap_or(Level::Easy),
            pass_mark: row.pass_mark,
            due: row.due.clone(),
            max_attempts: row.max_attempts,
            attempts: row.attempts,
            best_score: row.best_score,
            status,
            status_label: status.label(),
        }
    }

    /// Whether a session may still be started for it.
    pub fn attempts_left(&self) -> bool {
        self.attempts < self.max_attempts
    }
}

pub fn skill_title(state: &AppState, slug: &str) -> String {
    state.catalog.skill(slug).map_or_else(|| slug.to_owned(), |s| s.title.clone())
}

/// The learner's assignments in their organisation's programmes (none outside one).
pub async fn assignments(state: &AppState, user: &SessionUser) -> Result<Vec<AssignmentView>, Error> {
    let Some(team) = crate::enterprise::team_of(state, user).await? else { return Ok(Vec::new()) };
    let today = today()?;
    let rows = state.store.assignments_of(user.user.id, team.organisation_id).await?;
    Ok(rows.iter().map(|row| AssignmentView::new(state, row, today)).collect())
}

/// The assignment a session is started for: the learner's own, in their organisation
/// (else 404), with an attempt left (else 409).
pub async fn assignment_to_start(
    state: &AppState,
    user: &SessionUser,
    programme_id: i64,
    item_index: i64,
) -> Result<AssignmentRow, Error> {
    let team = crate::enterprise::team_of(state, user).await?.ok_or(Error::NotFound)?;
    let row = state
        .store
        .assignment(programme_id, item_index, user.user.id, team.organisation_id)
        .await?
        .ok_or(Error::NotFound)?;
    if row.attempts >= row.max_attempts {
        return Err(Error::Conflict(format!(
            "Vous avez utilisé vos {} tentatives pour cet élément du programme « {} ».",
            row.max_attempts, row.programme_name
        )));
    }
    Ok(row)
}

/// A programme in the manager's list.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProgrammeSummary {
    pub id: i64,
    pub name: String,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
}

impl From<&ProgrammeRow> for ProgrammeSummary {
    fn from(row: &ProgrammeRow) -> Self {
        ProgrammeSummary { id: row.id, name: row.name.clone(), created_at: rfc3339(row.created_at) }
    }
}

/// A programme with its items and every learner's progress on each.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProgrammeDetail {
    pub id: i64,
    pub name: String,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
    pub items: Vec<ItemView>,
    pub learners: Vec<LearnerProgress>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ItemView {
    pub item_index: i64,
    pub skill: String,
    pub skill_title: String,
    pub level: Level,
    pub pass_mark: i64,
    #[schemars(extend("format" = "date"))]
    pub due: String,
    pub max_attempts: i64,
}

/// One learner of a programme and where they stand on each item, in the items' order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LearnerProgress {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub assignments: Vec<AssignmentView>,
}

/// The manager's programmes.
pub async fn list(state: &AppState, who: &EnterpriseUser) -> Result<Vec<ProgrammeSummary>, Error> {
    require_manager(who)?;
    let rows = state.store.programmes(who.membership.organisation_id).await?;
    Ok(rows.iter().map(ProgrammeSummary::from).collect())
}

/// One programme of the manager's organisation (another's is 404).
pub async fn detail(state: &AppState, who: &EnterpriseUser, id: i64) -> Result<ProgrammeDetail, Error> {
    require_manager(who)?;
    let programme = state.store.programme(id, who.membership.organisation_id).await?.ok_or(Error::NotFound)?;
    let items: Vec<ProgrammeItemRow> = state.store.programme_items(id).await?;
    let today = today()?;
    let mut learners: Vec<LearnerProgress> = Vec::new();
    for row in state.store.programme_assignments(id).await? {
        let view = AssignmentView::new(state, &row, today);
        match learners.last_mut().filter(|l| l.user_id == row.user_id) {
            Some(learner) => learner.assignments.push(view),
            None => learners.push(LearnerProgress {
                user_id: row.user_id,
                email: row.user_email,
                name: row.user_name,
                assignments: vec![view],
            }),
        }
    }
    Ok(ProgrammeDetail {
        id: programme.id,
        name: programme.name,
        created_at: rfc3339(programme.created_at),
        items: items
            .into_iter()
            .map(|i| ItemView {
                skill_title: skill_title(state, &i.skill_slug),
                level: Level::parse(&i.level).unwrap_or(Level::Easy),
                item_index: i.item_index,
                skill: i.skill_slug,
                pass_mark: i.pass_mark,
                due: i.due,
                max_attempts: i.max_attempts,
            })
            .collect(),
        learners,
    })
}

/// A learner's certification on one skill.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CertificationView {
    pub skill: String,
    pub skill_title: String,
    /// The highest tier reached, or null.
    pub level: Option<Tier>,
    /// The tier in French (« Bronze », « Argent », « Or »), or null.
    pub level_label: Option<&'static str>,
    /// Scored sessions of the skill.
    pub sessions: usize,
    /// The weighted mean score (recent sessions weigh more), rounded to a tenth; null
    /// without a scored session.
    pub weighted_score: Option<f64>,
    /// How the tiers are earned, in French.
    pub rule: String,
    /// The public id of the certificate of `level` (issued the first time the tier is
    /// reached), verifiable by anyone at `/certificats/{id}`; null without a tier.
    pub certificate: Option<String>,
}

/// The learner's certification on every skill of the catalogue.
pub async fn certifications(state: &AppState, user: &SessionUser) -> Result<Vec<CertificationView>, Error> {
    let scored = state.store.scored_sessions(user.user.id).await?;
    let rule = certification::rule();
    let mut views: Vec<CertificationView> = state
        .catalog
        .skills
        .iter()
        .map(|skill| {
            let sessions: Vec<ScoredSession> = scored
                .iter()
                .filter(|(slug, _, _, _)| *slug == skill.slug)
                .map(|(_, level, score, _)| ScoredSession {
                    level: Level::parse(level).unwrap_or(Level::Easy),
                    score: u8::try_from((*score).clamp(0, 100)).unwrap_or(0),
                })
                .collect();
            let standing = certification::standing(&sessions);
            CertificationView {
                skill: skill.slug.clone(),
                skill_title: skill.title.clone(),
                level: standing.tier,
                level_label: standing.tier.map(Tier::label),
                sessions: standing.sessions,
                weighted_score: standing.weighted_score.map(|s| (s * 10.0).round() / 10.0),
                rule: rule.clone(),
                certificate: None,
            }
        })
        .collect();
    for view in views.iter().filter(|v| v.level.is_some()) {
        let tier = view.level.map_or("", Tier::as_str);
        let id = crate::token::random_token()?;
        // 128 bits are plenty for an id that only has to be unguessable.
        state.store.issue_certificate(&id[..32], user.user.id, &view.skill, tier, crate::now()).await?;
    }
    let held = state.store.certificates_of(user.user.id).await?;
    for view in &mut views {
        let tier = view.level.map(Tier::as_str);
        view.certificate =
            held.iter().find(|c| Some(c.tier.as_str()) == tier && c.skill_slug == view.skill).map(|c| c.id.clone());
    }
    Ok(views)
}
