//! The catalogue's products in the database (seed phase 1): filled at start, read by
//! `GET /api/products` and `GET /api/products/{slug}`.

use replique_core::Catalog;
use replique_core::catalog::{Competition, ProductInfo, ProductRef, Proof};
use replique_store::{ProductRow, Store, StoreError};
use serde::Serialize;

/// Writes every product of the catalogue (shared files under their slug, inline template
/// products under their template id) to the product tables. Idempotent.
pub async fn sync_catalog(store: &Store, catalog: &Catalog) -> Result<usize, StoreError> {
    let now = crate::now();
    let mut rows = Vec::new();
    for p in &catalog.products {
        rows.push(row(&p.slug, &p.category, &p.product, &p.proof, &p.competition));
    }
    for t in &catalog.templates {
        if let (ProductRef::Inline(info), Some(proof), Some(competition)) = (&t.product, &t.proof, &t.competition) {
            rows.push(row(&t.template_id, &t.skill_slug, info, proof, competition));
        }
    }
    for r in &rows {
        store.upsert_product(r, now).await?;
    }
    Ok(rows.len())
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

fn row(slug: &str, category: &str, p: &ProductInfo, proof: &Proof, competition: &Competition) -> ProductRow {
    ProductRow {
        slug: slug.to_owned(),
        category: category.to_owned(),
        name: p.name.clone(),
        tagline: p.tagline.clone(),
        how_it_works: json(&p.how_it_works),
        integrations: json(&p.integrations),
        support_included: json(&p.support),
        pricing: json(&p.pricing),
        testimonials: json(&proof.testimonials),
        case_studies: json(&proof.case_studies),
        stats: json(&proof.stats),
        notable_clients: json(&proof.notable_clients),
        main_competitors: json(&competition.main_competitors),
        our_differentiator: competition.our_differentiator.clone(),
        switch_cost: json(&competition.switch_cost),
    }
}
