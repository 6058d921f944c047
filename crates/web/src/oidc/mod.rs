//! Single sign-on with OpenID Connect, per organisation (issue 18). `begin` sends the
//! browser to the organisation's provider (authorization code, PKCE S256, state and nonce
//! kept server-side: single use, ten minutes, tied to the browser by a cookie); `finish`
//! takes the provider's answer: the code exchanged, the ID token verified against the
//! provider's keys (`id_token`), the e-mail's domain checked against the organisation's,
//! the account found, linked or created just in time (`Store::sso_account`), and a normal
//! login session opened (`auth`). The pages (`pages::sso`) call both.
//!
//! Nothing is cached: the configuration and the keys are fetched at each login (three
//! small requests), so a rotated key or a changed endpoint is seen at once.

mod crypto;
mod id_token;
mod provider;

use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use replique_core::account::{DisplayName, Email};
use replique_core::sso::IssuerUrl;
use replique_store::{OidcConfig, OidcLogin, OidcSubject, SsoAccount, StoreError};
use sha2::{Digest, Sha256};

pub use provider::client;

use crate::auth::{LoginCookies, SessionUser, start_login};
use crate::token::{hex, random_token};
use crate::{AppState, Error, now};

/// The cookie that ties a login under way to the browser that began it (against a login
/// forced on someone with another person's code). `Lax`: the provider sends the browser
/// back by a top-level navigation from its own site.
pub const BROWSER_COOKIE: &str = "replique_oidc";

/// How long the provider has to send the browser back.
const LOGIN_TTL_SECONDS: i64 = 600;

/// The scopes asked for: who (`openid`), the address and the name.
const SCOPES: &str = "openid email profile";

fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

/// The PKCE challenge of a verifier (RFC 7636, S256).
fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Where the browser goes, and the cookie it must bring back.
pub struct Begun {
    pub authorization_url: String,
    pub cookie: Cookie<'static>,
}

/// The organisation of a slug, or the French 404.
pub async fn organisation(state: &AppState, slug: &str) -> Result<OidcConfig, Error> {
    let slug = replique_core::sso::OrgSlug::parse(slug).map_err(|_| Error::UnknownOrganisation)?;
    state.store.oidc_by_slug(slug.as_str()).await?.ok_or(Error::UnknownOrganisation)
}

/// Starts a login with the provider of the organisation `slug`. `browser` is the value of
/// the browser's cookie if it has one (two logins under way in two tabs share it).
pub async fn begin(
    state: &AppState,
    ip: &str,
    slug: &str,
    redirect_uri: &str,
    browser: Option<&str>,
) -> Result<Begun, Error> {
    state.sso_limiter.take(&state.store, ip).await?;
    let config = organisation(state, slug).await?;
    let issuer = IssuerUrl::parse(&config.issuer).map_err(Error::internal)?;
    let metadata = provider::discover(&state.oidc_http, &issuer).await.map_err(|e| provider_error(&config, e))?;
    let browser = match browser.filter(|b| b.len() == 64 && b.bytes().all(|c| c.is_ascii_hexdigit())) {
        Some(known) => known.to_owned(),
        None => random_token()?,
    };
    let (state_token, nonce, verifier) = (random_token()?, random_token()?, random_token()?);
    let login = OidcLogin {
        organisation_id: config.organisation_id,
        browser_hash: sha256_hex(&browser),
        nonce: nonce.clone(),
        pkce_verifier: verifier.clone(),
        redirect_uri: redirect_uri.to_owned(),
    };
    let at = now();
    state.store.create_oidc_login(&sha256_hex(&state_token), &login, at, at + LOGIN_TTL_SECONDS).await?;
    let mut url = reqwest::Url::parse(&metadata.authorization_endpoint)
        .map_err(|e| provider_error(&config, provider::ProviderError::Misconfigured(e.to_string())))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", SCOPES)
        .append_pair("state", &state_token)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &pkce_challenge(&verifier))
        .append_pair("code_challenge_method", "S256");
    let cookie = Cookie::build((BROWSER_COOKIE, browser))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .path("/auth/oidc")
        .max_age(time::Duration::seconds(LOGIN_TTL_SECONDS))
        .build();
    Ok(Begun { authorization_url: url.into(), cookie })
}

/// What the provider sends back to `/auth/oidc/callback`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// The issuer of the answer (RFC 9207), when the provider says it.
    pub iss: Option<String>,
}

/// Completes a login: the user, and the cookies of their new session.
pub async fn finish(
    state: &AppState,
    ip: &str,
    callback: &Callback,
    browser: Option<&str>,
) -> Result<(SessionUser, LoginCookies), Error> {
    state.sso_limiter.take(&state.store, ip).await?;
    let Some(state_token) = callback.state.as_deref().filter(|s| !s.is_empty() && s.len() <= 256) else {
        return Err(Error::BadRequest(
            "La réponse du fournisseur d’identité est incomplète. Recommencez la connexion.".into(),
        ));
    };
    // Taken (deleted) first: whatever follows, this state never serves twice.
    let login = state.store.take_oidc_login(&sha256_hex(state_token), now()).await?.ok_or_else(replayed)?;
    // Hashes compared: their equality tells nothing of the cookie.
    let same_browser = browser.is_some_and(|b| sha256_hex(b) == login.browser_hash);
    if !same_browser {
        return Err(replayed());
    }
    let config = state.store.oidc_of_organisation(login.organisation_id).await?.ok_or(Error::UnknownOrganisation)?;
    if let Some(error) = &callback.error {
        let error: String = error.chars().filter(char::is_ascii_graphic).take(60).collect();
        tracing::info!(organisation = config.organisation_id, %error, "the provider refused the login");
        return Err(Error::Forbidden(format!(
            "Le fournisseur d’identité de {} a refusé la connexion ({error}).",
            config.organisation
        )));
    }
    // An answer from another provider than this login's (a mix-up) is refused.
    if callback.iss.as_ref().is_some_and(|iss| *iss != config.issuer) {
        return Err(Error::Forbidden(format!(
            "La réponse ne vient pas du fournisseur d’identité de {}. Recommencez la connexion.",
            config.organisation
        )));
    }
    let code = callback.code.as_deref().filter(|c| !c.is_empty() && c.len() <= 2048).ok_or_else(|| {
        Error::BadRequest("La réponse du fournisseur d’identité est incomplète. Recommencez la connexion.".into())
    })?;
    let issuer = IssuerUrl::parse(&config.issuer).map_err(Error::internal)?;
    let http = &state.oidc_http;
    let fail = |e| provider_error(&config, e);
    let metadata = provider::discover(http, &issuer).await.map_err(fail)?;
    let tokens = provider::exchange_code(
        http,
        &metadata,
        &config.client_id,
        &config.client_secret,
        code,
        &login.pkce_verifier,
        &login.redirect_uri,
    )
    .await
    .map_err(fail)?;
    let keys = id_token::keys(&provider::jwks(http, &metadata).await.map_err(fail)?);
    let claims = id_token::verify(&tokens.id_token, &keys, &config.issuer, &config.client_id, &login.nonce, now())
        .map_err(|why| {
            tracing::warn!(organisation = config.organisation_id, ?why, "ID token refused");
            Error::Forbidden(format!("{} Contactez votre service informatique.", token_refusal(why)))
        })?;
    let profile = match claims.profile.email {
        Some(_) => claims.profile,
        None => {
            let access = tokens.access_token.as_deref().ok_or_else(no_email)?;
            let info = provider::userinfo(http, &metadata, access).await.map_err(fail)?;
            // The userinfo answer is about the token's subject, or it is ignored.
            if info.get("sub").and_then(serde_json::Value::as_str) != Some(claims.sub.as_str()) {
                return Err(no_email());
            }
            serde_json::from_value::<id_token::Profile>(info).map_err(|_| no_email())?
        }
    };
    let email = Email::parse(profile.email.as_deref().unwrap_or_default()).map_err(|_| no_email())?;
    if profile.email_unverified() {
        return Err(Error::Forbidden(format!(
            "Votre fournisseur d’identité indique que l’adresse {email} n’est pas vérifiée : la connexion est refusée."
        )));
    }
    let domains = state.store.oidc_domains(config.organisation_id).await?;
    if !domains.iter().any(|d| d == email.domain()) {
        return Err(Error::Forbidden(format!(
            "L’adresse {email} n’appartient pas à un domaine autorisé pour {} ({}).",
            config.organisation,
            domains.join(", ")
        )));
    }
    let name = profile
        .display_name()
        .and_then(|n| DisplayName::parse(&n).ok())
        .or_else(|| DisplayName::parse(email.local_part()).ok())
        .map_or_else(|| email.local_part().to_owned(), |n| n.as_str().to_owned());
    let who = OidcSubject {
        organisation_id: config.organisation_id,
        issuer: &config.issuer,
        subject: &claims.sub,
        email: email.as_str(),
        name: &name,
    };
    let user = match state.store.sso_account(&who, now()).await {
        Ok(SsoAccount::Known(user) | SsoAccount::Linked(user) | SsoAccount::Created(user)) => user,
        Ok(SsoAccount::OtherOrganisation) => {
            return Err(Error::Forbidden(format!(
                "Le compte {email} appartient à une autre organisation : il ne peut pas se connecter par l’authentification unique de {}.",
                config.organisation
            )));
        }
        Err(StoreError::Conflict(_)) => {
            return Err(Error::Conflict("Une autre connexion de ce compte est en cours. Réessayez.".into()));
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user_id = user.id, organisation = config.organisation_id, "signed in through OpenID Connect");
    let cookies = start_login(state, user.id).await?;
    Ok((SessionUser::new(user), cookies))
}

fn replayed() -> Error {
    Error::BadRequest(
        "Cette demande de connexion a déjà servi, a expiré ou n’a pas été commencée dans ce navigateur. Recommencez la connexion."
            .into(),
    )
}

fn no_email() -> Error {
    Error::Forbidden(
        "Votre fournisseur d’identité n’a pas transmis d’adresse e-mail valide : la connexion est refusée.".into(),
    )
}

/// The French sentence for a refused ID token.
fn token_refusal(why: id_token::Rejected) -> &'static str {
    use id_token::Rejected as R;
    match why {
        R::Audience => "Le jeton d’identité reçu n’est pas destiné à Réplique (audience incorrecte).",
        R::Expired => "Le jeton d’identité reçu a expiré.",
        R::NotYetValid => "Le jeton d’identité reçu n’est pas encore valide (horloges décalées ?).",
        R::Issuer => "Le jeton d’identité reçu ne vient pas de l’émetteur configuré.",
        R::Nonce => "Le jeton d’identité reçu ne correspond pas à cette connexion.",
        R::Signature | R::UnknownKey | R::Algorithm => "La signature du jeton d’identité reçu n’est pas valide.",
        R::Malformed => "Le jeton d’identité reçu est illisible.",
    }
}

/// A provider failure as the person sees it; the cause is logged (never a secret).
fn provider_error(config: &OidcConfig, e: provider::ProviderError) -> Error {
    use provider::ProviderError as P;
    match e {
        P::Unreachable { what, cause } => {
            tracing::warn!(organisation = config.organisation_id, step = what, %cause, "OpenID provider unreachable");
            let step = match what {
                "configuration" => "sa configuration",
                "token" => "l’échange du code",
                "jwks" => "ses clés de signature",
                _ => "les informations du compte",
            };
            Error::Unavailable(format!(
                "Le fournisseur d’identité de {} ne répond pas ({step} est injoignable). Réessayez dans quelques minutes ou contactez votre service informatique.",
                config.organisation
            ))
        }
        P::Refused { error } => {
            tracing::warn!(organisation = config.organisation_id, %error, "OpenID provider refused");
            Error::Forbidden(format!(
                "Le fournisseur d’identité de {} a refusé la connexion ({error}). Recommencez la connexion.",
                config.organisation
            ))
        }
        P::Misconfigured(why) => {
            tracing::warn!(organisation = config.organisation_id, %why, "OpenID provider misconfigured");
            Error::Unavailable(format!(
                "L’authentification unique de {} est mal configurée. Contactez votre service informatique.",
                config.organisation
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pkce_challenge;

    #[test]
    fn the_pkce_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
