//! `/signup`, `/login`, `/logout`: account pages (forms with CSRF tokens). The login page
//! brings the visitor back to the page that sent them there (`?next=`, a path of this
//! site only: `extract::local_path`).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Nav, render};
use crate::auth::{self, ClientIp, MaybeUser};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::extract::{CsrfForm, NEXT, local_path};
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_page).post(signup))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    nav: Nav,
    error: Option<String>,
    email: String,
    name: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    pub nav: Nav,
    pub error: Option<String>,
    /// With an error that asks for single sign-on: the way to it.
    pub sso_link: Option<String>,
    pub email: String,
    /// The page to come back to after the login (a local path), or empty.
    pub next: String,
    /// The single sign-on form: its error, and what was typed in it.
    pub sso_error: Option<String>,
    pub sso_org: String,
}

impl LoginPage {
    pub fn new(nav: Nav) -> Self {
        LoginPage {
            nav,
            error: None,
            sso_link: None,
            email: String::new(),
            next: String::new(),
            sso_error: None,
            sso_org: String::new(),
        }
    }
}

async fn signup_page(MaybeUser(user): MaybeUser, csrf: CsrfToken) -> Result<Response, PageError> {
    if user.is_some() {
        return Ok(Redirect::to("/skills").into_response());
    }
    render(&SignupPage { nav: Nav::new(None, &csrf), error: None, email: String::new(), name: String::new() })
}

#[derive(Deserialize)]
struct SignupForm {
    email: String,
    password: String,
    #[serde(default)]
    name: String,
}

async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<SignupForm>,
) -> Result<Response, PageError> {
    match auth::register(&state, &ip, &form.email, &form.password, &form.name).await {
        Ok((_, cookies)) => Ok((cookies.add_to(jar), Redirect::to("/skills")).into_response()),
        Err(Error::SsoRequired { login_path }) => {
            // The address is of an organisation that signs in through its provider.
            let page = LoginPage {
                error: Some(crate::error::SSO_REQUIRED.to_owned()),
                sso_link: Some(login_path),
                email: form.email,
                ..LoginPage::new(Nav::new(None, &csrf))
            };
            Ok((axum::http::StatusCode::FORBIDDEN, render(&page)?).into_response())
        }
        Err(e @ (Error::Unprocessable(_) | Error::Conflict(_) | Error::TooManyRequests { .. })) => {
            let status = e.status();
            let page = SignupPage {
                nav: Nav::new(None, &csrf),
                error: Some(e.to_string()),
                email: form.email,
                name: form.name,
            };
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The page to come back to: `next` when it is a path of this site, else empty.
fn come_back_to(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_default().to_owned()
}

/// Where a logged-in visitor goes: back to the page that asked for the login, or the
/// catalogue.
fn after_login(next: &str) -> Redirect {
    Redirect::to(if next.is_empty() { "/skills" } else { next })
}

async fn login_page(
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let next = come_back_to(query.iter().find(|(key, _)| key == NEXT).map(|(_, value)| value.as_str()));
    if user.is_some() {
        return Ok(after_login(&next).into_response());
    }
    render(&LoginPage { next, ..LoginPage::new(Nav::new(None, &csrf)) })
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, PageError> {
    let next = come_back_to(form.next.as_deref());
    match auth::login(&state, &ip, &form.email, &form.password).await {
        Ok((_, cookies)) => Ok((cookies.add_to(jar), after_login(&next)).into_response()),
        Err(e @ (Error::InvalidCredentials | Error::TooManyRequests { .. } | Error::SsoRequired { .. })) => {
            let status = e.status();
            let (error, sso_link) = match e {
                Error::SsoRequired { login_path } => (crate::error::SSO_REQUIRED.to_owned(), Some(login_path)),
                other => (other.to_string(), None),
            };
            let page = LoginPage {
                error: Some(error),
                sso_link,
                email: form.email,
                next,
                ..LoginPage::new(Nav::new(None, &csrf))
            };
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let jar = auth::logout(&state, jar).await?;
    Ok((jar, Redirect::to("/")).into_response())
}
