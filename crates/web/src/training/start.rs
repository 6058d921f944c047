//! Starting a session: the request (a skill, a sector and a level, or a programme item
//! assigned to the learner), the plan's allowance, the scenario adapted and stored with
//! the opening line.

use std::sync::Arc;

use replique_core::Level;
use replique_core::account::{Denial, FREE_SESSIONS_PER_MONTH, Plan};
use replique_core::catalog::ScenarioError;
use replique_core::engine::{self, Mood};
use replique_store::{NewMessage, NewTrainingSession};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth::SessionUser;
use crate::{AppState, Error, now};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct StartRequest {
    /// Skill slug (trimmed). Needed unless `assignment` is given (then the item's skill is
    /// played, whatever this says).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub skill: String,
    /// Sector slug (trimmed). With `assignment`, optional (`generic` by default).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub sector: String,
    /// Trimmed; anything else is 422. Needed unless `assignment` is given (then the item's
    /// level is played, whatever this says).
    #[serde(default)]
    #[schemars(with = "Level")]
    pub level: String,
    /// A catalogue template id of the skill, or `gen:<id>` for a generated scenario the
    /// user may play. Omitted or blank: a template is picked from the seed.
    #[serde(default)]
    pub variant: Option<String>,
    /// Seed for a reproducible session, 0 to 2^53 − 1 (exact in JavaScript; larger: 422);
    /// random (53 bits) when omitted.
    #[serde(default)]
    #[schemars(range(max = crate::seed::MAX_SEED))]
    pub seed: Option<u64>,
    /// A programme item assigned to the learner: the session is an attempt at it, and its
    /// score counts there when it ends (404 if not the learner's, 409 once its attempts
    /// are used up).
    #[serde(default)]
    pub assignment: Option<AssignmentRef>,
}

/// An item of a programme, as assigned to the learner.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
pub struct AssignmentRef {
    #[schemars(range(min = 1, max = crate::seed::MAX_SEED))]
    pub programme_id: i64,
    /// The item's place in its programme, from 0.
    #[schemars(range(min = 0, max = crate::seed::MAX_SEED))]
    pub item_index: i64,
}

/// The sector played when a session for an assignment names none.
pub const DEFAULT_SECTOR: &str = "generic";

#[derive(Debug, Serialize, JsonSchema)]
pub struct Started {
    pub session_id: i64,
    /// The prospect's (or gatekeeper's) first line.
    pub opening: String,
    /// Starting gauge (0-100).
    #[schemars(range(max = 100))]
    pub gauge: u8,
    pub mood: Mood,
    pub skill: String,
    pub sector: String,
    pub level: Level,
    pub template_id: String,
    /// The seed used (0 to 2^53 − 1).
    #[schemars(range(max = crate::seed::MAX_SEED))]
    pub seed: u64,
    /// The situation given to the learner before the call.
    pub context: String,
}

/// The level `user` asks for, if their plan lets them start a session at it now.
pub async fn may_start(state: &AppState, user: &SessionUser, level: &str) -> Result<Level, Error> {
    let level = Level::parse(level.trim()).ok_or_else(|| {
        Error::Unprocessable(format!("Niveau inconnu : « {level} » (attendu : easy, medium ou expert)."))
    })?;
    // Only the free plan counts its sessions.
    let this_month = match user.plan {
        Plan::Free => state.store.count_sessions_since(user.user.id, month_start()).await?,
        _ => 0,
    };
    user.plan
        .may_train(level, u32::try_from(this_month).unwrap_or(u32::MAX))
        .map_err(|denial| Error::PlanLimit(denial.message()))?;
    Ok(level)
}

/// What `user`'s plan leaves them, in French, for the pages: the trial's days, the free
/// plan's sessions this month; `None` on the unlimited plans.
pub async fn allowance_text(state: &AppState, user: &SessionUser) -> Result<Option<String>, Error> {
    Ok(match user.plan {
        Plan::Free => {
            let used = state.store.count_sessions_since(user.user.id, month_start()).await?;
            Some(match i64::from(FREE_SESSIONS_PER_MONTH).saturating_sub(used).max(0) {
                0 => "Formule gratuite : vos sessions du mois sont utilisées.".to_owned(),
                1 => "Formule gratuite : niveau débutant, 1 session restante ce mois-ci.".to_owned(),
                n => format!("Formule gratuite : niveau débutant, {n} sessions restantes ce mois-ci."),
            })
        }
        Plan::Trial => user.user.trial_ends_at.map(|ends| match (ends - now() + 86_399) / 86_400 {
            ..=1 => "Essai gratuit : dernier jour, toutes les compétences et tous les niveaux.".to_owned(),
            days => format!("Essai gratuit : encore {days} jours, toutes les compétences et tous les niveaux."),
        }),
        Plan::Premium | Plan::Enterprise => None,
    })
}

/// Starts a session for `user`.
pub async fn start(state: &AppState, user: &SessionUser, request: &StartRequest) -> Result<Started, Error> {
    let assignment = match request.assignment {
        Some(a) => Some(crate::programmes::assignment_to_start(state, user, a.programme_id, a.item_index).await?),
        None => None,
    };
    let (skill, level, sector) = match &assignment {
        Some(a) => {
            let sector = Some(request.sector.trim()).filter(|s| !s.is_empty()).unwrap_or(DEFAULT_SECTOR);
            (a.skill_slug.as_str(), a.level.as_str(), sector)
        }
        None => (request.skill.trim(), request.level.as_str(), request.sector.trim()),
    };
    let level = may_start(state, user, level).await?;
    let seed = crate::seed::parse(request.seed)?;
    let variant = request.variant.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let scenario = match variant.filter(|v| v.starts_with("gen:")) {
        // A scenario the learner generated: theirs only, adapted like a catalogue one.
        Some(generated) => {
            let template = crate::generation::template(state, user, generated).await?;
            if template.skill_slug != skill {
                return Err(Error::NotFound);
            }
            replique_core::catalog::adapt_scenario_to_sector(&state.catalog, &template, sector, level, seed)
        }
        None => engine::scenario(&state.catalog, skill, sector, level, variant, seed),
    }
    .map_err(|e| match e {
        ScenarioError::NoTemplate(_) => Error::NotFound,
        other => Error::Unprocessable(other.to_string()),
    })?;
    let (session_state, opening) = engine::open(&scenario);
    let gauge = session_state.gauge;
    let mood = Mood::from_gauge(gauge);
    let created_at = now();
    let scenario_json = serde_json::to_string(&scenario).map_err(Error::internal)?;
    let state_json = serde_json::to_string(&session_state).map_err(Error::internal)?;
    let id = state
        .store
        .create_training_session(
            &NewTrainingSession {
                user_id: user.user.id,
                skill_slug: &scenario.skill_slug,
                sector_slug: &scenario.sector,
                level: level.as_str(),
                template_id: &scenario.template_id,
                seed: i64::from_ne_bytes(seed.to_ne_bytes()),
                gauge: i64::from(gauge),
                mood: mood.as_str(),
                scenario_json: &scenario_json,
                state_json: &state_json,
                created_at,
                allowance: (user.plan == Plan::Free).then(|| (month_start(), i64::from(FREE_SESSIONS_PER_MONTH))),
                assignment_id: assignment.as_ref().map(|a| a.id),
            },
            &NewMessage {
                seq: 0,
                role: "prospect",
                content: &opening,
                gauge_after: i64::from(gauge),
                patterns_json: "[]",
                created_at,
                voice_json: None,
            },
        )
        .await?
        // Another start took the last free session meanwhile.
        .ok_or_else(|| Error::PlanLimit(Denial::AllowanceUsed.message()))?;
    tracing::info!(session_id = id, user_id = user.user.id, skill = %scenario.skill_slug, "training session started");
    let started = Started {
        session_id: id,
        opening,
        gauge,
        mood,
        skill: scenario.skill_slug.clone(),
        sector: scenario.sector.clone(),
        level,
        template_id: scenario.template_id.clone(),
        seed,
        context: scenario.scenario_flow.opening.context.clone(),
    };
    state.scenarios.insert(id, Arc::new(scenario));
    Ok(started)
}

/// The first second of the current month (UTC), for monthly allowances.
pub(crate) fn month_start() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    now.replace_day(1).map_or(now, |d| d.replace_time(time::Time::MIDNIGHT)).unix_timestamp()
}
