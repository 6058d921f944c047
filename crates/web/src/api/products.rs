//! `/api/products`, `/api/products/{slug}`: the products with their proof and competition.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use replique_store::ProductRow;
use serde_json::{Value, json};

use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new().route("/products", get(list)).route("/products/{slug}", get(show))
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<Value>>, Error> {
    let rows = state.store.products().await?;
    Ok(Json(
        rows.iter()
            .map(|p| json!({ "slug": p.slug, "category": p.category, "name": p.name, "tagline": p.tagline }))
            .collect(),
    ))
}

async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Json<Value>, Error> {
    let p = state.store.product(&slug).await?.ok_or(Error::NotFound)?;
    Ok(Json(view(&p)?))
}

fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(Error::internal)
}

fn view(p: &ProductRow) -> Result<Value, Error> {
    Ok(json!({
        "slug": p.slug,
        "category": p.category,
        "product": {
            "name": p.name,
            "tagline": p.tagline,
            "how_it_works": parse(&p.how_it_works)?,
            "integrations": parse(&p.integrations)?,
            "support_included": parse(&p.support_included)?,
            "pricing": parse(&p.pricing)?,
        },
        "proof": {
            "testimonials": parse(&p.testimonials)?,
            "case_studies": parse(&p.case_studies)?,
            "stats": parse(&p.stats)?,
            "notable_clients": parse(&p.notable_clients)?,
        },
        "competition": {
            "main_competitors": parse(&p.main_competitors)?,
            "our_differentiator": p.our_differentiator,
            "switch_cost": parse(&p.switch_cost)?,
        },
    }))
}
