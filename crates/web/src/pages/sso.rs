//! Single sign-on pages: `GET /auth/oidc/{org_slug}/login` (302 to the organisation's
//! provider), `GET /auth/oidc/callback` (the provider's answer: a session, then the
//! dashboard) and `GET /auth/oidc?org=…` (the login page's form: an e-mail address or an
//! organisation's identifier, sent on to its login). The work is in `crate::oidc`.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use replique_core::account::Email;
use serde::Deserialize;

use super::account::LoginPage;
use super::{Nav, render};
use crate::auth::{ClientIp, MaybeUser};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::oidc::{self, BROWSER_COOKIE, Callback};
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/oidc", get(find_organisation))
        .route("/auth/oidc/{org_slug}/login", get(login))
        .route("/auth/oidc/callback", get(callback))
}

#[derive(Template)]
#[template(path = "sso.html")]
struct SsoPage {
    nav: Nav,
    /// Where the page sends the browser on (a local path), or none on an error.
    go_to: Option<String>,
    organisation: String,
    message: String,
    /// Where to begin again, on an error.
    retry: Option<String>,
}

/// A failure as a page that says why and offers to begin again.
fn failure(csrf: &CsrfToken, e: Error, retry: Option<String>) -> Result<Response, PageError> {
    let page =
        SsoPage { nav: Nav::new(None, csrf), go_to: None, organisation: String::new(), message: e.detail(), retry };
    match e {
        Error::Internal(_) | Error::Overloaded => Err(PageError(e)),
        e => Ok((e.status(), render(&page)?).into_response()),
    }
}

/// The callback's address as the provider must call it: the configured public URL, or
/// this request's host (HTTPS when cookies are secure).
fn redirect_uri(state: &AppState, headers: &HeaderMap) -> Result<String, Error> {
    let base = match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
            let plain = !host.is_empty()
                && host.len() <= 255
                && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
            if !plain {
                return Err(Error::BadRequest("En-tête Host invalide.".into()));
            }
            format!("{}://{host}", if state.config.secure_cookies { "https" } else { "http" })
        }
    };
    Ok(format!("{base}/auth/oidc/callback"))
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    csrf: CsrfToken,
    jar: CookieJar,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let begun = match redirect_uri(&state, &headers) {
        Ok(uri) => oidc::begin(&state, &ip, &slug, &uri, jar.get(BROWSER_COOKIE).map(Cookie::value)).await,
        Err(e) => Err(e),
    };
    match begun {
        Ok(begun) => {
            Ok((StatusCode::FOUND, jar.add(begun.cookie), [(header::LOCATION, begun.authorization_url)])
                .into_response())
        }
        Err(e) => {
            let retry = matches!(e, Error::Unavailable(_)).then(|| format!("/auth/oidc/{slug}/login"));
            failure(&csrf, e, retry.filter(|r| crate::extract::local_path(r).is_some()))
        }
    }
}

async fn callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    csrf: CsrfToken,
    jar: CookieJar,
    answer: Result<Query<Callback>, QueryRejection>,
) -> Result<Response, PageError> {
    let Ok(Query(answer)) = answer else {
        let e =
            Error::BadRequest("La réponse du fournisseur d’identité est illisible. Recommencez la connexion.".into());
        return failure(&csrf, e, None);
    };
    let browser = jar.get(BROWSER_COOKIE).map(|c| c.value().to_owned());
    match oidc::finish(&state, &ip, &answer, browser.as_deref()).await {
        Ok((_, cookies)) => {
            let jar = cookies.add_to(jar.remove(Cookie::build(BROWSER_COOKIE).path("/auth/oidc")));
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(e) => failure(&csrf, e, None),
    }
}

#[derive(Deserialize)]
struct Find {
    #[serde(default)]
    org: String,
}

/// The login page's single sign-on form: an address finds its organisation by its domain,
/// anything else is taken as the organisation's identifier. The page then moves on by
/// itself (a `meta` refresh: the form's own navigation stays on this site, as the content
/// policy's `form-action 'self'` wants).
async fn find_organisation(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    find: Result<Query<Find>, QueryRejection>,
) -> Result<Response, PageError> {
    let typed = find.map(|Query(f)| f.org).unwrap_or_default().trim().to_owned();
    let found = if typed.contains('@') {
        match Email::parse(&typed) {
            Ok(email) => state.store.oidc_by_domain(email.domain()).await?,
            Err(_) => None,
        }
    } else {
        oidc::organisation(&state, &typed.to_lowercase()).await.ok()
    };
    let Some(config) = found else {
        let page = LoginPage {
            sso_error: Some(if typed.contains('@') {
                "Aucune entreprise n’utilise l’authentification unique pour cette adresse. Connectez-vous avec votre mot de passe, ou saisissez l’identifiant de votre entreprise.".into()
            } else {
                Error::UnknownOrganisation.to_string()
            }),
            sso_org: typed.chars().take(254).collect(),
            ..LoginPage::new(Nav::new(user.as_ref(), &csrf))
        };
        return Ok((StatusCode::NOT_FOUND, render(&page)?).into_response());
    };
    let page = SsoPage {
        nav: Nav::new(user.as_ref(), &csrf),
        go_to: Some(format!("/auth/oidc/{}/login", config.slug)),
        organisation: config.organisation,
        message: String::new(),
        retry: None,
    };
    render(&page)
}
