//! Certificates: a tier of a skill a learner reached, issued once (the first time it is
//! seen reached) under a random public id, and read back by that id for verification.

use sqlx::FromRow;

use crate::{Result, Store};

/// A certificate with its holder's current name.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CertificateRow {
    pub id: String,
    pub user_id: i64,
    pub holder: String,
    pub skill_slug: String,
    /// `bronze`, `silver` or `gold`.
    pub tier: String,
    pub issued_at: i64,
}

const COLUMNS: &str = "select c.id, c.user_id, u.name as holder, c.skill_slug, c.tier, c.issued_at
    from certificates c join users u on u.id = c.user_id";

impl Store {
    /// Issues the certificate of `tier` on `skill_slug` to the user unless they hold it
    /// already (then nothing changes: the first issue date stays).
    pub async fn issue_certificate(
        &self,
        id: &str,
        user_id: i64,
        skill_slug: &str,
        tier: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "insert into certificates (id, user_id, skill_slug, tier, issued_at) values ($1, $2, $3, $4, $5)
             on conflict (user_id, skill_slug, tier) do nothing",
        )
        .bind(id)
        .bind(user_id)
        .bind(skill_slug)
        .bind(tier)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user's certificates, oldest first.
    pub async fn certificates_of(&self, user_id: i64) -> Result<Vec<CertificateRow>> {
        Ok(sqlx::query_as::<_, CertificateRow>(&format!("{COLUMNS} where c.user_id = $1 order by c.issued_at, c.id"))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// A certificate by its public id.
    pub async fn certificate(&self, id: &str) -> Result<Option<CertificateRow>> {
        Ok(sqlx::query_as::<_, CertificateRow>(&format!("{COLUMNS} where c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }
}
