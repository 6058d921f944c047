//! The web layer's request extractors, so that handlers open on what they need instead of
//! repeating a preamble.
//!
//! - `Id`: a numeric id from the path, anything else 404 (as JSON: the API, the voice socket).
//! - `PageId`: the same for pages (the French error page).
//! - `PageUser`: the logged-in user of a page; anybody else goes to the login page, which
//!   brings them back to the page they asked for (`to_login`, `local_path`).
//! - `CsrfForm<T>`: a form posted from this site, its CSRF token checked.
//!
//! Rejections follow the order of a handler's arguments: put `PageUser` first, then the
//! path, then the form (a body extractor always comes last).

use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Path, RawForm, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::auth::{MaybeUser, SessionUser};
use crate::csrf::{self, CsrfToken};
use crate::error::PageError;
use crate::{AppState, Error};

/// A numeric id from the path; anything else is "not found".
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        Path::<i64>::from_request_parts(parts, state).await.map(|Path(id)| Id(id)).map_err(|_| Error::NotFound)
    }
}

/// A numeric id from a page's path; anything else is the "not found" page.
pub struct PageId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        Id::from_request_parts(parts, state).await.map(|Id(id)| PageId(id)).map_err(PageError)
    }
}

/// The logged-in user of a page. Anybody else is sent to the login page (`to_login`); a
/// failing lookup answers as `MaybeUser` does.
pub struct PageUser(pub SessionUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match MaybeUser::from_request_parts(parts, state).await {
            Ok(MaybeUser(Some(user))) => Ok(PageUser(user)),
            Ok(MaybeUser(None)) => Err(to_login(parts)),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The query parameter of the login page that names the page to come back to.
pub const NEXT: &str = "next";

/// The login page, for a visitor who must log in first. A page asked for with GET comes
/// back after the login (`/login?next=/training/report/7`); after a form post there is no
/// page to come back to, and the login leads to the catalogue as it always did.
pub fn to_login(parts: &Parts) -> Response {
    let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |original| &original.0);
    let back = matches!(parts.method, Method::GET | Method::HEAD)
        .then(|| uri.path_and_query())
        .flatten()
        .and_then(|requested| local_path(requested.as_str()))
        .and_then(|requested| serde_urlencoded::to_string([(NEXT, requested)]).ok());
    match back {
        Some(query) => Redirect::to(&format!("/login?{query}")).into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

/// `next` when it is a path of this site (`/skills?x=1`), never elsewhere: not
/// `https://…`, not `//host` nor `/\host` (which browsers read as another host), nothing
/// but visible ASCII (what a request's own path is made of, and what a `Location` header
/// may hold).
pub fn local_path(next: &str) -> Option<&str> {
    let mut bytes = next.bytes();
    let local = bytes.next() == Some(b'/')
        && !matches!(bytes.next(), Some(b'/' | b'\\'))
        && next.len() <= 2048
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    local.then_some(next)
}

/// A form posted from this site. The body is parsed as `T` (a malformed or incomplete one
/// is a French error page: 422, or 413 when too large), then the request's origin and the
/// form's `csrf_token` field are checked (403, `csrf::check_post`). `T` need not declare
/// `csrf_token`; `CsrfForm<IgnoredAny>` is a form with nothing else.
pub struct CsrfForm<T>(pub T);

/// The token field every form of the pages carries.
#[derive(Deserialize)]
struct SubmittedToken {
    #[serde(default)]
    csrf_token: String,
}

impl<T, S> FromRequest<S> for CsrfForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, PageError> {
        let headers = request.headers().clone();
        let token = request.extensions().get::<CsrfToken>().cloned();
        let RawForm(body) = RawForm::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                PageError(Error::PayloadTooLarge("Formulaire trop volumineux.".into()))
            } else {
                tracing::debug!(%rejection, "form rejected");
                incomplete()
            }
        })?;
        let parsed = serde_urlencoded::from_bytes::<T>(&body)
            .and_then(|form| Ok((form, serde_urlencoded::from_bytes::<SubmittedToken>(&body)?)));
        let (form, submitted) = parsed.map_err(|e| {
            tracing::debug!(error = %e, "form rejected");
            incomplete()
        })?;
        let token = token.ok_or_else(|| Error::internal("csrf middleware missing"))?;
        csrf::check_post(&headers, &token, &submitted.csrf_token)?;
        Ok(CsrfForm(form))
    }
}

fn incomplete() -> PageError {
    PageError(Error::Unprocessable("Formulaire incomplet ou invalide. Rechargez la page et réessayez.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_come_back_to() {
        for local in ["/", "/skills", "/training/report/7", "/enterprise?merci=1#demande", "/a%2F%2Fb"] {
            assert_eq!(local_path(local), Some(local), "{local}");
        }
        for elsewhere in [
            "",
            "skills",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/skills\\..\\x",
            "javascript:alert(1)",
            "/é",
            "/a b",
            "/a\nLocation: x",
        ] {
            assert_eq!(local_path(elsewhere), None, "{elsewhere:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), None, "too long");
    }

    fn parts(method: Method, uri: &str) -> Parts {
        let (parts, ()) =
            axum::http::Request::builder().method(method).uri(uri).body(()).expect("request").into_parts();
        parts
    }

    #[test]
    fn the_login_page_keeps_the_page_asked_for() {
        let location = |r: Response| r.headers()["location"].to_str().expect("location").to_owned();
        assert_eq!(
            location(to_login(&parts(Method::GET, "/training/report/7?x=1"))),
            "/login?next=%2Ftraining%2Freport%2F7%3Fx%3D1"
        );
        assert_eq!(location(to_login(&parts(Method::POST, "/skills/ecoute_active/start"))), "/login");
    }
}
