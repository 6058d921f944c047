//! `/api/skills`, `/api/sectors`: the catalogue.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/skills", get(skills)).route("/sectors", get(sectors))
}

async fn skills(State(state): State<AppState>) -> Json<Vec<Value>> {
    let catalog = &state.catalog;
    Json(
        catalog
            .skills
            .iter()
            .map(|s| {
                json!({
                    "slug": s.slug,
                    "level": s.level,
                    "title": s.title,
                    "context": s.context,
                    "prospect_type": s.prospect_type,
                    "templates": catalog.templates_for(&s.slug).map(|t| t.template_id.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

async fn sectors(State(state): State<AppState>) -> Json<Vec<Value>> {
    Json(state.catalog.sectors.iter().map(|s| json!({ "slug": s.slug, "name": s.name })).collect())
}
