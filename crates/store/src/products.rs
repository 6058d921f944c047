//! The `product_infos`, `proof_elements` and `competition_infos` tables: the catalogue's
//! products as the seed's phase 1 stores them, refreshed at start.

use sqlx::FromRow;

use crate::{Result, Store};

/// A product as stored: the JSON documents are kept as text.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ProductRow {
    pub slug: String,
    pub category: String,
    pub name: String,
    pub tagline: String,
    pub how_it_works: String,
    pub integrations: String,
    pub support_included: String,
    pub pricing: String,
    pub testimonials: String,
    pub case_studies: String,
    pub stats: String,
    pub notable_clients: String,
    pub main_competitors: String,
    pub our_differentiator: String,
    pub switch_cost: String,
}

const SELECT: &str =
    "select p.slug, p.category, p.name, p.tagline, p.how_it_works, p.integrations, p.support_included, p.pricing,
        e.testimonials, e.case_studies, e.stats, e.notable_clients,
        c.main_competitors, c.our_differentiator, c.switch_cost
    from product_infos p
    join proof_elements e on e.product_id = p.id
    join competition_infos c on c.product_id = p.id";

impl Store {
    /// Inserts or refreshes a product with its proof and competition, in one transaction.
    /// Running it twice with the same data changes nothing.
    pub async fn upsert_product(&self, p: &ProductRow, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into product_infos (slug, category, name, tagline, how_it_works, integrations, support_included, pricing, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (slug) do update set category = excluded.category, name = excluded.name, tagline = excluded.tagline,
                how_it_works = excluded.how_it_works, integrations = excluded.integrations,
                support_included = excluded.support_included, pricing = excluded.pricing, updated_at = excluded.updated_at
             returning id",
        )
        .bind(&p.slug)
        .bind(&p.category)
        .bind(&p.name)
        .bind(&p.tagline)
        .bind(&p.how_it_works)
        .bind(&p.integrations)
        .bind(&p.support_included)
        .bind(&p.pricing)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "insert into proof_elements (product_id, testimonials, case_studies, stats, notable_clients) values ($1, $2, $3, $4, $5)
             on conflict (product_id) do update set testimonials = excluded.testimonials, case_studies = excluded.case_studies,
                stats = excluded.stats, notable_clients = excluded.notable_clients",
        )
        .bind(id)
        .bind(&p.testimonials)
        .bind(&p.case_studies)
        .bind(&p.stats)
        .bind(&p.notable_clients)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into competition_infos (product_id, main_competitors, our_differentiator, switch_cost) values ($1, $2, $3, $4)
             on conflict (product_id) do update set main_competitors = excluded.main_competitors,
                our_differentiator = excluded.our_differentiator, switch_cost = excluded.switch_cost",
        )
        .bind(id)
        .bind(&p.main_competitors)
        .bind(&p.our_differentiator)
        .bind(&p.switch_cost)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn products(&self) -> Result<Vec<ProductRow>> {
        Ok(sqlx::query_as::<_, ProductRow>(&format!("{SELECT} order by p.slug")).fetch_all(&self.pool).await?)
    }

    pub async fn product(&self, slug: &str) -> Result<Option<ProductRow>> {
        Ok(sqlx::query_as::<_, ProductRow>(&format!("{SELECT} where p.slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn product_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("select count(*) from product_infos").fetch_one(&self.pool).await?;
        Ok(n)
    }
}
