//! Scenarios generated on demand by the LLM (SPEC 5.4, the seed's "priorité templates,
//! fallback API"): the model writes a template, the catalogue's own checks validate it,
//! one repair attempt is made with the errors, and on failure the closest catalogue
//! template is used instead. Generated scenarios belong to their user and play like
//! catalogue ones (variant `gen:<id>`).

use replique_core::Level;
use replique_core::catalog::Template;
use serde::Serialize;

use crate::auth::SessionUser;
use crate::{AppState, Error, now};

/// Scenarios a user may generate per day (cost control).
pub const MAX_GENERATED_PER_DAY: i64 = 5;

#[derive(Debug, Serialize)]
pub struct Outcome {
    /// `gen:<id>` for a generated scenario, else the catalogue template used instead.
    pub template_id: String,
    pub generated: bool,
    pub name: String,
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
) -> Result<Outcome, Error> {
    let level =
        Level::parse(level.trim()).ok_or_else(|| Error::Unprocessable(format!("Niveau inconnu : « {level} ».")))?;
    if state.catalog.skill(skill).is_none() || state.catalog.sector(sector).is_none() {
        return Err(Error::Unprocessable(format!("Compétence ou secteur inconnu : « {skill} », « {sector} ».")));
    }
    let Some(llm) = &state.llm else {
        return fallback(state, skill, "Aucun fournisseur LLM n’est configuré (REPLIQUE_LLM_PROVIDER).".into());
    };
    let day_start = now() - now().rem_euclid(86_400);
    if state.store.count_generated_since(user.user.id, day_start).await? >= MAX_GENERATED_PER_DAY {
        return Err(Error::Quota(format!(
            "Vous avez généré {MAX_GENERATED_PER_DAY} scénarios aujourd’hui, la limite quotidienne : jouez ceux du catalogue ou revenez demain."
        )));
    }
    match replique_llm::generate_scenario(llm, &state.catalog, skill, sector, level).await {
        Ok(template) => store(state, user, skill, template).await,
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

async fn store(state: &AppState, user: &SessionUser, skill: &str, template: Template) -> Result<Outcome, Error> {
    let json = serde_json::to_string(&template).map_err(Error::internal)?;
    let id = state.store.create_generated_scenario(user.user.id, skill, &json, now()).await?;
    Ok(Outcome { template_id: format!("gen:{id}"), generated: true, name: template.name, fallback_reason: None })
}

/// A user's generated template, by its `gen:<id>` variant.
pub async fn template(state: &AppState, user: &SessionUser, variant: &str) -> Result<Template, Error> {
    let id: i64 = variant.strip_prefix("gen:").and_then(|n| n.parse().ok()).ok_or(Error::NotFound)?;
    let row = state.store.generated_scenario(id, user.user.id).await?.ok_or(Error::NotFound)?;
    let mut template: Template = serde_json::from_str(&row.template_json).map_err(Error::internal)?;
    template.template_id = variant.to_owned();
    Ok(template)
}
