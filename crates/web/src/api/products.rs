//! `/api/products`, `/api/products/{slug}`: the products with their proof and competition.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use replique_core::catalog::{Competition, HowItWorks, Proof, TextMap};
use replique_store::ProductRow;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new().route("/products", get(list)).route("/products/{slug}", get(show))
}

/// A product in the list.
#[derive(Serialize, JsonSchema)]
pub struct ProductSummary {
    /// A shared product's slug, or a template id for a template's own product.
    slug: String,
    /// Shared products: their category; template products: the skill slug.
    category: String,
    name: String,
    tagline: String,
}

/// A product sheet with its proof and competition.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Product")]
pub struct ProductSheet {
    slug: String,
    category: String,
    product: ProductInfoView,
    proof: Proof,
    competition: Competition,
}

/// What the product is and costs.
#[derive(Serialize, JsonSchema)]
pub struct ProductInfoView {
    name: String,
    tagline: String,
    how_it_works: HowItWorks,
    integrations: Vec<String>,
    /// Onboarding, support hours, SLA...
    support_included: TextMap,
    /// model, entry_price, popular_plan, enterprise, engagement, free_trial...
    pricing: TextMap,
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<ProductSummary>>, Error> {
    let rows = state.store.products().await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| ProductSummary { slug: p.slug, category: p.category, name: p.name, tagline: p.tagline })
            .collect(),
    ))
}

async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Json<ProductSheet>, Error> {
    let p = state.store.product(&slug).await?.ok_or(Error::NotFound)?;
    Ok(Json(view(p)?))
}

/// A stored column, written by `products::sync_catalog` from the catalogue's own types.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(Error::internal)
}

fn view(p: ProductRow) -> Result<ProductSheet, Error> {
    Ok(ProductSheet {
        product: ProductInfoView {
            how_it_works: parse(&p.how_it_works)?,
            integrations: parse(&p.integrations)?,
            support_included: parse(&p.support_included)?,
            pricing: parse(&p.pricing)?,
            name: p.name,
            tagline: p.tagline,
        },
        proof: Proof {
            testimonials: parse(&p.testimonials)?,
            case_studies: parse(&p.case_studies)?,
            stats: parse(&p.stats)?,
            notable_clients: parse(&p.notable_clients)?,
        },
        competition: Competition {
            main_competitors: parse(&p.main_competitors)?,
            our_differentiator: p.our_differentiator,
            switch_cost: parse(&p.switch_cost)?,
        },
        slug: p.slug,
        category: p.category,
    })
}
