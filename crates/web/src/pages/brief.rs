//! The scenario brief a salesperson prepares with: context, objectives, product sheet,
//! proof and competition. Shown before the call (`/skills/{slug}/scenarios/{id}`) and
//! during it (the session page). Never the hidden objections.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use replique_core::catalog::{AdaptedScenario, Competition, ProductInfo, Proof, TextMap};

use super::{Nav, render};
use crate::auth::MaybeUser;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new().route("/skills/{slug}/scenarios/{template_id}", get(page))
}

/// A label and a value, for the free-form maps (pricing, support, stats...).
pub struct Row {
    pub label: String,
    pub value: String,
}

/// Everything the brief shows, owned so that pages can build it from a template or from a
/// running session's adapted scenario.
pub struct Brief {
    pub context: String,
    pub objectives: Vec<String>,
    pub success_criteria: Vec<String>,
    pub product: ProductInfo,
    pub support: Vec<Row>,
    pub pricing: Vec<Row>,
    pub proof: Proof,
    pub stats: Vec<Row>,
    pub cases: Vec<(replique_core::catalog::CaseStudy, Vec<Row>)>,
    pub competition: Competition,
    pub switch_cost: Vec<Row>,
    /// Who is who (names and titles only: the stakes are for the learner to find).
    pub org_chart: Vec<(String, String)>,
}

impl Brief {
    pub fn new(
        context: &str,
        objectives: Vec<String>,
        success_criteria: &[String],
        product: &ProductInfo,
        proof: &Proof,
        competition: &Competition,
        org_chart: Vec<(String, String)>,
    ) -> Self {
        Brief {
            context: context.to_owned(),
            objectives,
            success_criteria: success_criteria.to_vec(),
            support: rows(&product.support),
            pricing: rows(&product.pricing),
            product: product.clone(),
            stats: rows(&proof.stats),
            cases: proof.case_studies.iter().map(|c| (c.clone(), rows(&c.results))).collect(),
            proof: proof.clone(),
            switch_cost: rows(&competition.switch_cost),
            competition: competition.clone(),
            org_chart,
        }
    }

    pub fn of_scenario(s: &AdaptedScenario) -> Self {
        Brief::new(
            &s.scenario_flow.opening.context,
            s.scenario_flow.objectives.iter().map(|o| o.text.clone()).collect(),
            &s.scenario_flow.success_criteria,
            &s.product,
            &s.proof,
            &s.competition,
            s.org_chart.iter().map(|p| (p.name.clone(), p.role.clone())).collect(),
        )
    }
}

fn rows(map: &TextMap) -> Vec<Row> {
    map.iter()
        .map(|(key, value)| Row {
            label: label(key),
            value: match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            },
        })
        .collect()
}

/// French labels for the keys the catalogue uses most; others are made readable.
fn label(key: &str) -> String {
    let known = match key {
        "model" => "Modèle",
        "entry_price" => "Prix d’entrée",
        "popular_plan" => "Offre la plus choisie",
        "enterprise" => "Grands comptes",
        "engagement" => "Engagement",
        "free_trial" => "Essai",
        "minimum" => "Minimum",
        "setup_fee" => "Frais de mise en service",
        "onboarding" => "Démarrage",
        "support" => "Support",
        "sla" => "Engagement de service",
        "documentation" => "Documentation",
        "csm" => "Suivi client",
        "training" => "Formation",
        "clients" | "clients_count" => "Clients",
        "satisfaction" => "Satisfaction",
        "nps" => "NPS",
        "uptime" => "Disponibilité",
        "migration_time" => "Durée de migration",
        "data_import" => "Reprise des données",
        "training_needed" => "Formation nécessaire",
        "risk" => "Risque",
        "difficulty" => "Difficulté",
        "roi_months" => "Retour sur investissement (mois)",
        "time_saved" => "Temps gagné",
        _ => "",
    };
    if known.is_empty() {
        let words = key.replace('_', " ");
        let mut chars = words.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    } else {
        known.to_owned()
    }
}

#[derive(Template)]
#[template(path = "scenario.html")]
struct ScenarioPage<'a> {
    nav: Nav,
    skill_slug: &'a str,
    skill_title: &'a str,
    name: &'a str,
    description: &'a str,
    brief: Brief,
}

async fn page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    Path((slug, template_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let catalog = &state.catalog;
    let skill = catalog.skill(&slug).ok_or(Error::NotFound)?;
    let template = catalog.template(&template_id).filter(|t| t.skill_slug == skill.slug).ok_or(Error::NotFound)?;
    let (product, proof, competition) = catalog.resolve_product(template).ok_or(Error::NotFound)?;
    let brief = Brief::new(
        &template.scenario_flow.opening.context,
        template.scenario_flow.objectives.iter().map(|o| o.text.clone()).collect(),
        &template.scenario_flow.success_criteria,
        product,
        proof,
        competition,
        template.org_chart.iter().map(|p| (p.name.clone(), p.role.clone())).collect(),
    );
    render(&ScenarioPage {
        nav: Nav::new(user.as_ref(), &csrf),
        skill_slug: &skill.slug,
        skill_title: &skill.title,
        name: &template.name,
        description: &template.description,
        brief,
    })
}
