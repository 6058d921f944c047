//! `/api/skills`, `/api/sectors`: the catalogue.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use replique_core::Level;
use schemars::JsonSchema;
use serde::Serialize;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/skills", get(skills)).route("/sectors", get(sectors))
}

/// A skill of the course.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Skill")]
pub struct SkillView {
    slug: String,
    level: Level,
    title: String,
    /// The situation practised, e.g. "Découverte".
    context: String,
    /// The kind of prospect met, e.g. "Bavard".
    prospect_type: String,
    /// Ids of the catalogue scenario templates of this skill (usable as `variant`).
    templates: Vec<String>,
}

/// A sector a scenario can be set in.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Sector")]
pub struct SectorView {
    slug: String,
    name: String,
}

async fn skills(State(state): State<AppState>) -> Json<Vec<SkillView>> {
    let catalog = &state.catalog;
    Json(
        catalog
            .skills
            .iter()
            .map(|s| SkillView {
                slug: s.slug.clone(),
                level: s.level,
                title: s.title.clone(),
                context: s.context.clone(),
                prospect_type: s.prospect_type.clone(),
                templates: catalog.templates_for(&s.slug).map(|t| t.template_id.clone()).collect(),
            })
            .collect(),
    )
}

async fn sectors(State(state): State<AppState>) -> Json<Vec<SectorView>> {
    Json(state.catalog.sectors.iter().map(|s| SectorView { slug: s.slug.clone(), name: s.name.clone() }).collect())
}
