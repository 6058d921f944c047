//! `/api/auth/*`: register, login, logout, me.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use replique_core::account::{Password, Plan};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth::{self, ClientIp, CurrentUser, SessionUser};
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

/// What `Email::parse` accepts once trimmed: a local part, `@`, a domain with a dot inside
/// (not first, not last); no space and no control character anywhere.
const EMAIL_PATTERN: &str = r"^\s*[^\s@\x00-\x1f\x7f-\x9f]+@[^\s@.\x00-\x1f\x7f-\x9f][^\s@\x00-\x1f\x7f-\x9f]*\.[^\s@\x00-\x1f\x7f-\x9f]*[^\s@.\x00-\x1f\x7f-\x9f]\s*$";

#[derive(Deserialize, JsonSchema)]
pub struct RegisterRequest {
    /// Trimmed and lower-cased; a local part, `@` and a dotted domain, 254 bytes at most.
    #[schemars(length(min = 5, max = 254), pattern(EMAIL_PATTERN))]
    email: String,
    /// Length in characters; no composition rules.
    #[schemars(length(min = Password::MIN_CHARS, max = Password::MAX_CHARS))]
    password: String,
    /// Display name, at most 80 characters once trimmed; when blank, the part of the email
    /// before `@` is used.
    #[serde(default)]
    #[schemars(length(max = 80))]
    name: String,
}

/// A user account.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "User")]
pub struct UserView {
    id: i64,
    /// Normalised (trimmed, lower-case) address.
    email: String,
    name: String,
    /// Plan in force now (an expired trial reads `free`).
    plan: Plan,
    /// End of the trial (RFC 3339); null unless the account was created on the trial plan.
    #[schemars(extend("format" = "date-time"))]
    trial_ends_at: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct UserEnvelope {
    user: UserView,
}

impl UserEnvelope {
    fn of(user: &SessionUser) -> Json<Self> {
        Json(UserEnvelope {
            user: UserView {
                id: user.user.id,
                email: user.user.email.clone(),
                name: user.user.name.clone(),
                plan: user.plan,
                trial_ends_at: user.user.trial_ends_at.map(crate::rfc3339),
            },
        })
    }
}

/// The answer to a logout.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Ok")]
pub struct Done {
    /// Always true.
    #[schemars(extend("const" = true))]
    ok: bool,
}

async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    body: Result<Json<RegisterRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    let (user, cookies) = auth::register(&state, &ip, &body.email, &body.password, &body.name).await?;
    Ok((StatusCode::CREATED, cookies.add_to(jar), UserEnvelope::of(&user)))
}

#[derive(Deserialize, JsonSchema)]
pub struct LoginRequest {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    let (user, cookies) = auth::login(&state, &ip, &body.email, &body.password).await?;
    Ok((cookies.add_to(jar), UserEnvelope::of(&user)))
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<impl IntoResponse, Error> {
    let jar = auth::logout(&state, jar).await?;
    Ok((jar, Json(Done { ok: true })))
}

async fn me(CurrentUser(user): CurrentUser) -> Json<UserEnvelope> {
    UserEnvelope::of(&user)
}
