//! CSRF protection.
//!
//! Forms: every visitor gets a random token in a `SameSite=Strict`, `HttpOnly` cookie
//! (set by `ensure_cookie`); pages embed it in a hidden `csrf_token` field and the form
//! extractor (`extract::CsrfForm`, or `check_post` for an upload) checks the two match.
//! JSON API: a state-changing call must carry `Content-Type: application/json` (which a
//! cross-site form cannot send without a CORS preflight this app never grants) or an
//! `X-CSRF-Token` header equal to the cookie. On both, a browser's `Origin` (when present)
//! must be this site, and `Sec-Fetch-Site: cross-site` is refused.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::token::random_token;
use crate::{AppState, Error};

pub const CSRF_COOKIE: &str = "replique_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The visitor's CSRF token (from the cookie, or freshly made for this response).
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts.extensions.get::<CsrfToken>().cloned().ok_or_else(|| Error::internal("csrf middleware missing"))
    }
}

impl CsrfToken {
    /// Checks a submitted token against this one, in constant time.
    pub fn verify(&self, submitted: &str) -> Result<(), Error> {
        if constant_time_eq(self.0.as_bytes(), submitted.as_bytes()) { Ok(()) } else { Err(forbidden()) }
    }
}

fn forbidden() -> Error {
    Error::Forbidden("Jeton de sécurité invalide ou expiré. Rechargez la page et réessayez.".into())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The CSRF cookie holding `token`: `Secure` when the app's cookies are.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((CSRF_COOKIE, token)).http_only(true).same_site(SameSite::Strict).secure(secure).path("/").build()
}

/// Whether `response` sets the CSRF cookie itself (a login renews it).
fn sets_token(response: &Response) -> bool {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&format!("{CSRF_COOKIE}="))))
}

/// Gives every visitor a CSRF cookie, and every handler a `CsrfToken`.
pub async fn ensure_cookie(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing = jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() == 64);
    let (token, fresh) = match existing {
        Some(token) => (token, false),
        None => match random_token() {
            Ok(token) => (token, true),
            Err(e) => return e.into_response(),
        },
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let response = next.run(request).await;
    if fresh && !sets_token(&response) {
        (CookieJar::new().add(cookie(token, state.config.secure_cookies)), response).into_response()
    } else {
        response
    }
}

/// Whether the request comes from this site, as far as the browser says.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let origin = origin.to_str().unwrap_or("null");
    origin.split_once("://").is_some_and(|(_, authority)| authority == host)
}

fn cross_origin() -> Error {
    Error::Forbidden("Requête d’une autre origine refusée.".into())
}

/// Checks a form post: from this site (`same_origin`), with the visitor's token.
pub fn check_post(headers: &HeaderMap, token: &CsrfToken, submitted: &str) -> Result<(), Error> {
    if !same_origin(headers) {
        return Err(cross_origin());
    }
    token.verify(submitted)
}

/// Guards the JSON API's state-changing calls (see the module docs).
pub async fn api_guard(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        if !same_origin(headers) {
            return cross_origin().into_response();
        }
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
        let header_token_ok =
            match (headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()), request.extensions().get::<CsrfToken>()) {
                (Some(sent), Some(token)) => token.verify(sent).is_ok(),
                _ => false,
            };
        if !json && !header_token_ok {
            return Error::Forbidden(
                "Requête refusée : envoyez du JSON (Content-Type: application/json) ou l’en-tête X-CSRF-Token.".into(),
            )
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h), "no Origin: not a browser cross-site request");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn tokens_compare_exactly() {
        let t = CsrfToken("a".repeat(64));
        assert!(t.verify(&"a".repeat(64)).is_ok());
        assert!(t.verify(&"b".repeat(64)).is_err());
        assert!(t.verify("").is_err());
    }
}
