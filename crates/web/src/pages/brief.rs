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

/// The key's French label, or the key made readable when it has none.
fn label(key: &str) -> String {
    match french_label(key) {
        Some(known) => known.to_owned(),
        None => {
            let words = key.replace('_', " ");
            let mut chars = words.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// French labels for the catalogue's keys: every key of the pricing, support and switching
/// cost maps has one (a test checks it), so no English shows in the product sheet.
fn french_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "model" => "Modèle",
        "entry_price" => "Prix d’entrée",
        "popular_plan" => "Offre la plus choisie",
        "enterprise" => "Grands comptes",
        "engagement" => "Engagement",
        "free_trial" => "Essai",
        "free_audit" => "Audit offert",
        "minimum" => "Minimum",
        "setup_fee" => "Frais de mise en service",
        "guarantee" => "Garantie",
        "savings_guarantee" => "Garantie d’économies",
        "options" => "Options",
        "overage" => "Dépassement",
        "payment_terms" => "Conditions de paiement",
        "pioneer_programme" => "Programme pionnier",
        "constructor_data" => "Données constructeur",
        "onboarding" => "Démarrage",
        "support" => "Support",
        "sla" => "Engagement de service",
        "documentation" => "Documentation",
        "csm" => "Suivi client",
        "follow_up" => "Suivi",
        "review" => "Revue",
        "quality_review" => "Revue qualité",
        "quality" => "Qualité",
        "account" | "account_management" => "Suivi du compte",
        "account_manager" => "Responsable de compte",
        "administration" => "Administration",
        "calibration" => "Étalonnage",
        "closing_assistance" => "Aide à la clôture",
        "club" => "Club utilisateurs",
        "coaching" => "Accompagnement",
        "community" => "Communauté",
        "consultant" => "Consultant",
        "employees" => "Salariés",
        "energy_manager" => "Responsable énergie",
        "payroll_manager" => "Gestionnaire de paie",
        "incident_response" => "Réponse aux incidents",
        "installation" => "Installation",
        "maintenance" => "Maintenance",
        "monitoring" => "Surveillance",
        "warranty" => "Garantie matériel",
        "training" => "Formation",
        "clients" | "clients_count" => "Clients",
        "satisfaction" => "Satisfaction",
        "nps" => "NPS",
        "uptime" => "Disponibilité",
        "migration_time" => "Durée de migration",
        "data_import" => "Reprise des données",
        "data_migration" => "Migration des données",
        "data" => "Données",
        "training_needed" => "Formation nécessaire",
        "risk" => "Risque",
        "difficulty" => "Difficulté",
        "compatibility" => "Compatibilité",
        "downtime" => "Interruption de service",
        "existing_contract" => "Contrat en cours",
        "existing_equipment" => "Équipement en place",
        "exit" => "Sortie",
        "hardware" => "Matériel",
        "human_cost" => "Coût humain",
        "internal_time" => "Temps interne",
        "it_effort" | "it_time" => "Temps informatique",
        "parallel_run" => "Fonctionnement en parallèle",
        "project_time" => "Durée du projet",
        "recreation" => "Reconstitution",
        "setup_time" => "Temps de mise en place",
        "roi_months" => "Retour sur investissement (mois)",
        "time_saved" => "Temps gagné",
        _ => return None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_product_sheets_has_a_french_label() {
        let catalog = replique_core::Catalog::embedded().expect("catalogue");
        let mut missing = std::collections::BTreeSet::new();
        for template in &catalog.templates {
            let Some((product, _, competition)) = catalog.resolve_product(template) else { continue };
            for map in [&product.pricing, &product.support, &competition.switch_cost] {
                missing.extend(map.keys().filter(|k| french_label(k).is_none()).cloned());
            }
        }
        assert!(missing.is_empty(), "keys shown in English: {missing:?}");
        assert_eq!(label("follow_up"), "Suivi");
        assert_eq!(label("guarantee"), "Garantie");
    }
}
