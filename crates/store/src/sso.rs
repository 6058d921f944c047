//! Single sign-on (OpenID Connect): each organisation's provider and domains, the logins
//! under way (single use, taken atomically), and the accounts of providers' subjects,
//! created or linked just in time in one transaction.

use sqlx::FromRow;

use crate::audit::{AuditEntry, append};
use crate::{Result, Store, StoreError, User};

/// What a password hash column holds for an account that signs in only through its
/// organisation's provider: no password verifies against it.
pub const NO_PASSWORD: &str = "!sso";

/// An organisation's provider.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    pub organisation_id: i64,
    pub organisation: String,
    pub slug: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub require_sso: bool,
}

#[derive(FromRow)]
struct ConfigRow {
    organisation_id: i64,
    organisation: String,
    slug: String,
    issuer: String,
    client_id: String,
    client_secret: String,
    require_sso: i64,
}

impl From<ConfigRow> for OidcConfig {
    fn from(r: ConfigRow) -> Self {
        OidcConfig {
            organisation_id: r.organisation_id,
            organisation: r.organisation,
            slug: r.slug,
            issuer: r.issuer,
            client_id: r.client_id,
            client_secret: r.client_secret,
            require_sso: r.require_sso == 1,
        }
    }
}

impl std::fmt::Debug for OidcConfig {
    /// Everything but the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("organisation_id", &self.organisation_id)
            .field("slug", &self.slug)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("require_sso", &self.require_sso)
            .finish()
    }
}

/// What `replique org set-oidc` writes.
pub struct NewOidcConfig<'a> {
    pub slug: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub domains: &'a [String],
    pub require_sso: bool,
}

/// A login sent to the provider.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OidcLogin {
    pub organisation_id: i64,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub redirect_uri: String,
}

/// Who signed in, as the provider's verified token says.
pub struct OidcSubject<'a> {
    pub organisation_id: i64,
    pub issuer: &'a str,
    pub subject: &'a str,
    /// Normalised, and of one of the organisation's domains (checked by the caller).
    pub email: &'a str,
    pub name: &'a str,
}

/// The account a subject signs in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoAccount {
    /// Signed in before.
    Known(User),
    /// An account with the same e-mail existed: it is now this subject's, in the
    /// organisation. When it was in no organisation, its password no longer opens it and
    /// its other sessions are closed (whoever made it may not own the address).
    Linked(User),
    /// Created now, a learner of the organisation.
    Created(User),
    /// The account (or its e-mail) belongs to another organisation: not signed in.
    OtherOrganisation,
}

/// How an account was found, inside `sso_account`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    Known,
    Linked,
    Created,
}

const CONFIG_COLUMNS: &str = "select c.organisation_id, o.name as organisation, c.slug, c.issuer, c.client_id,
    c.client_secret, c.require_sso
    from organisation_oidc c join organisations o on o.id = c.organisation_id";

const USER_COLUMNS: &str = "id, email, name, password_hash, plan, trial_ends_at, created_at";

impl Store {
    /// Sets (or replaces) an organisation's provider and domains, with an audit entry, in
    /// one transaction. `Conflict` when the slug or a domain is another organisation's.
    pub async fn set_oidc(&self, organisation_id: i64, config: &NewOidcConfig<'_>, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let upsert = sqlx::query(
            "insert into organisation_oidc (organisation_id, slug, issuer, client_id, client_secret, require_sso, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7)
             on conflict (organisation_id) do update set slug = excluded.slug, issuer = excluded.issuer,
               client_id = excluded.client_id, client_secret = excluded.client_secret,
               require_sso = excluded.require_sso, updated_at = excluded.updated_at",
        )
        .bind(organisation_id)
        .bind(config.slug)
        .bind(config.issuer)
        .bind(config.client_id)
        .bind(config.client_secret)
        .bind(i64::from(config.require_sso))
        .bind(now)
        .execute(&mut *tx)
        .await;
        unique_as_conflict(upsert, "slug taken by another organisation")?;
        sqlx::query("delete from organisation_oidc_domains where organisation_id = $1")
            .bind(organisation_id)
            .execute(&mut *tx)
            .await?;
        for domain in config.domains {
            let inserted =
                sqlx::query("insert into organisation_oidc_domains (domain, organisation_id) values ($1, $2)")
                    .bind(domain)
                    .bind(organisation_id)
                    .execute(&mut *tx)
                    .await;
            unique_as_conflict(inserted, "domain taken by another organisation")?;
        }
        let detail = format!(
            "authentification unique : émetteur {}, client {}, domaines {}, SSO {}",
            config.issuer,
            config.client_id,
            config.domains.join(", "),
            if config.require_sso { "obligatoire" } else { "facultative" }
        );
        let entry = AuditEntry {
            organisation_id: Some(organisation_id),
            actor_id: None,
            subject_user_id: None,
            action: "sso_settings",
            detail: &detail,
        };
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn oidc_by_slug(&self, slug: &str) -> Result<Option<OidcConfig>> {
        Ok(sqlx::query_as::<_, ConfigRow>(&format!("{CONFIG_COLUMNS} where c.slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?
            .map(OidcConfig::from))
    }

    pub async fn oidc_of_organisation(&self, organisation_id: i64) -> Result<Option<OidcConfig>> {
        Ok(sqlx::query_as::<_, ConfigRow>(&format!("{CONFIG_COLUMNS} where c.organisation_id = $1"))
            .bind(organisation_id)
            .fetch_optional(&self.pool)
            .await?
            .map(OidcConfig::from))
    }

    /// The provider that vouches for an e-mail domain.
    pub async fn oidc_by_domain(&self, domain: &str) -> Result<Option<OidcConfig>> {
        Ok(sqlx::query_as::<_, ConfigRow>(&format!(
            "{CONFIG_COLUMNS} join organisation_oidc_domains d on d.organisation_id = c.organisation_id
             where d.domain = $1"
        ))
        .bind(domain)
        .fetch_optional(&self.pool)
        .await?
        .map(OidcConfig::from))
    }

    /// An organisation's domains, in order.
    pub async fn oidc_domains(&self, organisation_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("select domain from organisation_oidc_domains where organisation_id = $1 order by domain")
                .bind(organisation_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(d,)| d).collect())
    }

    /// The providers' subjects an account signs in as: (issuer, subject, since), for the
    /// GDPR export.
    pub async fn oidc_identities_of(&self, user_id: i64) -> Result<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "select issuer, subject, created_at from oidc_identities where user_id = $1 order by created_at, issuer",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a login sent to the provider (and forgets those that expired).
    pub async fn create_oidc_login(
        &self,
        state_hash: &str,
        login: &OidcLogin,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("delete from oidc_logins where expires_at <= $1").bind(now).execute(&mut *tx).await?;
        sqlx::query(
            "insert into oidc_logins (state_hash, organisation_id, browser_hash, nonce, pkce_verifier, redirect_uri, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(state_hash)
        .bind(login.organisation_id)
        .bind(&login.browser_hash)
        .bind(&login.nonce)
        .bind(&login.pkce_verifier)
        .bind(&login.redirect_uri)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the login of a state, once: whoever comes second (a replay) gets `None`, as
    /// does an expired one.
    pub async fn take_oidc_login(&self, state_hash: &str, now: i64) -> Result<Option<OidcLogin>> {
        let row = sqlx::query_as::<_, (i64, String, String, String, String, i64)>(
            "delete from oidc_logins where state_hash = $1
             returning organisation_id, browser_hash, nonce, pkce_verifier, redirect_uri, expires_at",
        )
        .bind(state_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.filter(|r| r.5 > now).map(|(organisation_id, browser_hash, nonce, pkce_verifier, redirect_uri, _)| {
            OidcLogin { organisation_id, browser_hash, nonce, pkce_verifier, redirect_uri }
        }))
    }

    /// The account `who` signs in as: known, linked by e-mail, or created (a learner of
    /// the organisation, on the Enterprise plan), in one transaction with its audit entry.
    pub async fn sso_account(&self, who: &OidcSubject<'_>, now: i64) -> Result<SsoAccount> {
        let mut tx = self.pool.begin().await?;
        let known: Option<User> = sqlx::query_as(&format!(
            "select {USER_COLUMNS} from users where id = (select user_id from oidc_identities where issuer = $1 and subject = $2)"
        ))
        .bind(who.issuer)
        .bind(who.subject)
        .fetch_optional(&mut *tx)
        .await?;
        let (user, how) = match known {
            Some(user) => (user, How::Known),
            None => {
                let by_email: Option<User> =
                    sqlx::query_as(&format!("select {USER_COLUMNS} from users where email = $1"))
                        .bind(who.email)
                        .fetch_optional(&mut *tx)
                        .await?;
                match by_email {
                    Some(user) => (user, How::Linked),
                    None => {
                        let created = sqlx::query_as::<_, User>(&format!(
                            "insert into users (email, name, password_hash, plan, trial_ends_at, created_at, last_login_at)
                             values ($1, $2, $3, 'enterprise', null, $4, $4) returning {USER_COLUMNS}"
                        ))
                        .bind(who.email)
                        .bind(who.name)
                        .bind(NO_PASSWORD)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await;
                        (unique_as_conflict(created, "account created meanwhile")?, How::Created)
                    }
                }
            }
        };
        let member_of: Option<(i64,)> = sqlx::query_as("select organisation_id from memberships where user_id = $1")
            .bind(user.id)
            .fetch_optional(&mut *tx)
            .await?;
        match member_of {
            Some((org,)) if org != who.organisation_id => return Ok(SsoAccount::OtherOrganisation),
            Some(_) => {}
            None => {
                sqlx::query(
                    "insert into memberships (user_id, organisation_id, role, created_at) values ($1, $2, 'learner', $3)",
                )
                .bind(user.id)
                .bind(who.organisation_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if how == How::Linked {
                    // An account nobody vouched for: whoever set its password may not own
                    // the address, so the password and the sessions it opened go.
                    sqlx::query("update users set password_hash = $1 where id = $2")
                        .bind(NO_PASSWORD)
                        .bind(user.id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("delete from auth_sessions where user_id = $1").bind(user.id).execute(&mut *tx).await?;
                }
            }
        }
        if how != How::Known {
            let inserted = sqlx::query(
                "insert into oidc_identities (issuer, subject, user_id, organisation_id, created_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(who.issuer)
            .bind(who.subject)
            .bind(user.id)
            .bind(who.organisation_id)
            .bind(now)
            .execute(&mut *tx)
            .await;
            unique_as_conflict(inserted, "identity linked meanwhile")?;
            let detail = if how == How::Created {
                "compte créé à la première connexion par authentification unique"
            } else {
                "compte existant rattaché à l’authentification unique"
            };
            let entry = AuditEntry {
                organisation_id: Some(who.organisation_id),
                actor_id: None,
                subject_user_id: Some(user.id),
                action: "sso_account",
                detail,
            };
            append(&mut tx, &entry, now).await?;
        }
        let result = match how {
            How::Known => SsoAccount::Known(user),
            How::Linked => SsoAccount::Linked(user),
            How::Created => SsoAccount::Created(user),
        };
        tx.commit().await?;
        Ok(result)
    }
}

/// A write's result, with a uniqueness violation as `Conflict(what)`.
fn unique_as_conflict<T>(result: std::result::Result<T, sqlx::Error>, what: &'static str) -> Result<T> {
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict(what)),
        other => Ok(other?),
    }
}
