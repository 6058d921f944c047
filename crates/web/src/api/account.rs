//! `/api/auth/*`: register, login, logout, me.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::auth::{self, ClientIp, CurrentUser};
use crate::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

#[derive(Deserialize)]
struct RegisterRequest {
    email: String,
    password: String,
    #[serde(default)]
    name: String,
}

async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    body: Result<Json<RegisterRequest>, JsonRejection>,
) -> Result<impl IntoResponse, Error> {
    let Json(body) = body?;
    let (user, cookies) = auth::register(&state, &ip, &body.email, &body.password, &body.name).await?;
    Ok((StatusCode::CREATED, cookies.add_to(jar), Json(serde_json::json!({ "user": user.json() }))))
}

#[derive(Deserialize)]
struct LoginRequest {
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
    Ok((cookies.add_to(jar), Json(serde_json::json!({ "user": user.json() }))))
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<impl IntoResponse, Error> {
    let jar = auth::logout(&state, jar).await?;
    Ok((jar, Json(serde_json::json!({ "ok": true }))))
}

async fn me(CurrentUser(user): CurrentUser) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "user": user.json() }))
}
