//! `/signup`, `/login`, `/logout`: account pages (forms with CSRF tokens).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{Nav, PageForm, check_form, render};
use crate::auth::{self, ClientIp, MaybeUser};
use crate::csrf::CsrfToken;
use crate::error::PageError;
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
struct LoginPage {
    nav: Nav,
    error: Option<String>,
    email: String,
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
    #[serde(default)]
    csrf_token: String,
}

async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    csrf: CsrfToken,
    jar: CookieJar,
    PageForm(form): PageForm<SignupForm>,
) -> Result<Response, PageError> {
    check_form(&headers, &csrf, &form.csrf_token)?;
    match auth::register(&state, &ip, &form.email, &form.password, &form.name).await {
        Ok((_, cookies)) => Ok((cookies.add_to(jar), Redirect::to("/skills")).into_response()),
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

async fn login_page(MaybeUser(user): MaybeUser, csrf: CsrfToken) -> Result<Response, PageError> {
    if user.is_some() {
        return Ok(Redirect::to("/skills").into_response());
    }
    render(&LoginPage { nav: Nav::new(None, &csrf), error: None, email: String::new() })
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    csrf_token: String,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    csrf: CsrfToken,
    jar: CookieJar,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    check_form(&headers, &csrf, &form.csrf_token)?;
    match auth::login(&state, &ip, &form.email, &form.password).await {
        Ok((_, cookies)) => Ok((cookies.add_to(jar), Redirect::to("/skills")).into_response()),
        Err(e @ (Error::InvalidCredentials | Error::TooManyRequests { .. })) => {
            let status = e.status();
            let page = LoginPage { nav: Nav::new(None, &csrf), error: Some(e.to_string()), email: form.email };
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    csrf: CsrfToken,
    jar: CookieJar,
    PageForm(form): PageForm<LogoutForm>,
) -> Result<Response, PageError> {
    check_form(&headers, &csrf, &form.csrf_token)?;
    let jar = auth::logout(&state, jar).await?;
    Ok((jar, Redirect::to("/")).into_response())
}
