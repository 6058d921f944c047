//! Scenarios generated on demand by the LLM (SPEC 5.4, the seed's "priorité templates,
//! fallback API"): the model writes a template, the catalogue's own checks validate it,
//! one repair attempt is made with the errors, and on failure the closest catalogue
//! template is used instead. Generated scenarios belong to their user and play like
//! catalogue ones (variant `gen:<id>`); a manager may share one with their organisation.

use replique_core::Level;
use replique_core::catalog::Template;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth::SessionUser;
use crate::usage::{self, Limit, Outcome as Spent, Purpose};
use crate::{AppState, Error, now};

/// Who may play a generated scenario: its author, or every member of the author's
/// Enterprise organisation (managers only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Its author only.
    #[default]
    User,
    /// Every member of the author's organisation (managers of an Enterprise organisation).
    Organisation,
}

/// What a generation gave: the new scenario, or the catalogue template to play instead.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "GenerationOutcome")]
pub struct Outcome {
    /// `gen:<id>` for a generated scenario, else the catalogue template used instead.
    pub template_id: String,
    pub generated: bool,
    pub name: String,
    /// Who may play it (`organisation`: the author's whole team).
    pub scope: Scope,
    /// Why the catalogue template was used, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}

fn fallback(state: &AppState, skill: &str, reason: String) -> Result<Outcome, Error> {
    let template = state.catalog.templates_for(skill).next().ok_or(Error::NotFound)?;
    Ok(Outcome {
        template_id: template.template_id.clone(),
        generated: false,
        name: template.name.clone(),
        scope: Scope::User,
        fallback_reason: Some(reason),
    })
}

/// Generates a scenario for `user`, or says which catalogue template to play instead.
pub async fn generate(
    state: &AppState,
    user: &SessionUser,
    skill: &str,
    sector: &str,
    level: &str,
    scope: Scope,
) -> Result<Outcome, Error> {
    let level =
        Level::parse(level.trim()).ok_or_else(|| Error::Unprocessable(format!("Niveau inconnu : « {level} ».")))?;
    if state.catalog.skill(skill).is_none() || state.catalog.sector(sector).is_none() {
        return Err(Error::Unprocessable(format!("Compétence ou secteur inconnu : « {skill} », « {sector} ».")));
    }
    let organisation = match scope {
        Scope::User => None,
        Scope::Organisation => match crate::enterprise::team_of(state, user).await? {
            Some(m) if m.role == "manager" => Some(m.organisation_id),
            _ => {
                return Err(Error::Forbidden(
                    "Seul un manager d’une organisation Enterprise peut partager un scénario avec son équipe.".into(),
                ));
            }
        },
    };
    let Some(llm) = &state.llm else {
        return fallback(state, skill, "Aucun fournisseur LLM n’est configuré (REPLIQUE_LLM_PROVIDER).".into());
    };
    let reservation = match usage::reserve(state, user.user.id, None, Purpose::Generation).await? {
        Ok(reservation) => reservation,
        Err(Limit::DailyGenerations) => {
            return Err(Error::Quota(
                "La limite quotidienne de générations de scénario est atteinte : jouez ceux du catalogue ou réessayez après minuit (UTC)."
                    .into(),
            ));
        }
        Err(_) => {
            return Err(Error::Quota(
                "Limite quotidienne d’appels au modèle atteinte : jouez les scénarios du catalogue ou réessayez après minuit (UTC)."
                    .into(),
            ));
        }
    };
    let run = replique_llm::generate_scenario(llm, &state.catalog, skill, sector, level).await;
    let spent = match &run.result {
        Ok(_) => Spent::Used,
        Err(replique_llm::GenerationError::Invalid(_)) => Spent::Refused,
        Err(_) => Spent::Failed,
    };
    // The attempt counts against the day's generations whatever came of it; a last call
    // the provider refused or never got costs nothing and is not counted as a call.
    let calls = match &run.result {
        Err(replique_llm::GenerationError::Provider(e)) if !e.billed() => run.calls.saturating_sub(1),
        _ => run.calls,
    };
    reservation.settle(state, spent, calls, run.usage).await;
    match run.result {
        Ok(template) => store(state, user, skill, organisation, template).await,
        Err(replique_llm::GenerationError::Unknown) => {
            Err(Error::Unprocessable(format!("Compétence ou secteur inconnu : « {skill} », « {sector} ».")))
        }
        Err(replique_llm::GenerationError::Provider(e)) => {
            fallback(state, skill, format!("Le modèle n’a pas répondu ({e})."))
        }
        Err(replique_llm::GenerationError::Invalid(errors)) => {
            fallback(state, skill, format!("Le scénario généré ne passait pas la validation : {errors}"))
        }
    }
}

async fn store(
    state: &AppState,
    user: &SessionUser,
    skill: &str,
    organisation: Option<i64>,
    template: Template,
) -> Result<Outcome, Error> {
    let json = serde_json::to_string(&template).map_err(Error::internal)?;
    let id = state.store.create_generated_scenario(user.user.id, organisation, skill, &json, now()).await?;
    Ok(Outcome {
        template_id: format!("gen:{id}"),
        generated: true,
        name: template.name,
        scope: if organisation.is_some() { Scope::Organisation } else { Scope::User },
        fallback_reason: None,
    })
}

/// A user's generated template, by its `gen:<id>` variant.
pub async fn template(state: &AppState, user: &SessionUser, variant: &str) -> Result<Template, Error> {
    let id: i64 = variant.strip_prefix("gen:").and_then(|n| n.parse().ok()).ok_or(Error::NotFound)?;
    let organisation = crate::enterprise::team_of(state, user).await?.map(|m| m.organisation_id);
    let row = state.store.generated_scenario(id, user.user.id, organisation).await?.ok_or(Error::NotFound)?;
    let mut template: Template = serde_json::from_str(&row.template_json).map_err(Error::internal)?;
    template.template_id = variant.to_owned();
    Ok(template)
}

/// The name a generated scenario is listed under.
pub fn display_name(row: &replique_store::GeneratedScenario) -> String {
    serde_json::from_str::<serde_json::Value>(&row.template_json)
        .ok()
        .and_then(|t| t["name"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("Scénario généré n°\u{a0}{}", row.id))
}
