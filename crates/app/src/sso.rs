//! `replique org set-oidc`: an organisation's single sign-on (OpenID Connect) provider,
//! the e-mail domains it vouches for, and whether passwords are still accepted. The
//! client secret is stored and never printed back.

use anyhow::{Context, Result, bail};
use replique_core::sso::{EmailDomains, IssuerUrl, OrgSlug};
use replique_store::{NewOidcConfig, Store, StoreError};

use crate::time_now;

/// What `set-oidc` is given.
pub struct OidcArgs {
    pub org: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub domains: String,
    pub require: bool,
    pub slug: Option<String>,
}

pub async fn set(store: &Store, args: OidcArgs) -> Result<()> {
    let org = args.org.trim();
    let org_id = store.organisation_id(org).await?.with_context(|| format!("no organisation named {org:?}"))?;
    let issuer = IssuerUrl::parse(&args.issuer).map_err(anyhow::Error::msg)?;
    let domains = EmailDomains::parse(&args.domains).map_err(anyhow::Error::msg)?;
    let client_id = args.client_id.trim();
    if client_id.is_empty() || client_id.len() > 255 || client_id.chars().any(char::is_control) {
        bail!("the client id has 1 to 255 characters");
    }
    if args.client_secret.is_empty() || args.client_secret.len() > 1024 {
        bail!("the client secret has 1 to 1024 characters");
    }
    // The slug given, else the one already in use (links stay valid), else the name's.
    let slug = match (&args.slug, store.oidc_of_organisation(org_id).await?) {
        (Some(slug), _) => OrgSlug::parse(slug).map_err(anyhow::Error::msg)?,
        (None, Some(current)) => OrgSlug::parse(&current.slug).map_err(anyhow::Error::msg)?,
        (None, None) => OrgSlug::from_name(org)
            .map_err(|_| anyhow::anyhow!("no identifier can be made from {org:?}: give one with --slug"))?,
    };
    let config = NewOidcConfig {
        slug: slug.as_str(),
        issuer: issuer.as_str(),
        client_id,
        client_secret: &args.client_secret,
        domains: domains.as_slice(),
        require_sso: args.require,
    };
    store.set_oidc(org_id, &config, time_now()).await.map_err(|e| match e {
        StoreError::Conflict(what) => anyhow::anyhow!(
            "{what}: the identifier {:?} or one of the domains ({}) is already another organisation's",
            slug.as_str(),
            domains.as_slice().join(", ")
        ),
        other => other.into(),
    })?;
    say!(
        "Authentification unique de {org} : émetteur {}, client {client_id}, domaines {}, {}.",
        issuer.as_str(),
        domains.as_slice().join(", "),
        if args.require { "mot de passe refusé (SSO obligatoire)" } else { "mot de passe toujours accepté" }
    );
    say!(
        "Connexion : /auth/oidc/{}/login ; adresse de retour à déclarer chez le fournisseur : <adresse publique>/auth/oidc/callback",
        slug.as_str()
    );
    Ok(())
}
