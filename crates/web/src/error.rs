//! One error type for the web layer. It renders as JSON `{"detail": "..."}` for the API;
//! `PageError` renders the same errors as an HTML page (or a redirect to the login page).
//! Internal causes are logged, never shown.

use askama::Template;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use replique_core::text::french_typography;
use replique_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("Authentification requise.")]
    Unauthorized,
    /// Wrong email or password: one message for both, so accounts cannot be enumerated.
    #[error("E-mail ou mot de passe incorrect.")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(String),
    /// The learner's plan does not include this (403, with the way to the offers on pages).
    #[error("{0}")]
    PlanLimit(String),
    #[error("Ressource introuvable.")]
    NotFound,
    /// No organisation signs in through single sign-on under this identifier (404).
    #[error(
        "Aucune entreprise n’utilise l’authentification unique sous cet identifiant. Vérifiez-le auprès de votre service informatique."
    )]
    UnknownOrganisation,
    /// The account's organisation requires single sign-on: no password (403). The page
    /// links to `login_path`.
    #[error("{SSO_REQUIRED} Connectez-vous par l’authentification unique de votre entreprise : {login_path}")]
    SsoRequired { login_path: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("Le corps de la requête doit être du JSON (Content-Type: application/json).")]
    UnsupportedMediaType,
    /// An uploaded file of a type the route does not take (415), the message saying which.
    #[error("{0}")]
    UnsupportedFileType(String),
    #[error("{0}")]
    Unprocessable(String),
    /// A service the request needs is off or failing (the voice, transcription).
    #[error("{0}")]
    Unavailable(String),
    /// A usage limit (cost control) is reached.
    #[error("{0}")]
    Quota(String),
    /// Too much of a bounded resource is in use (password hashing, analyses): 503 with
    /// `Retry-After`, refused at once rather than queued without end.
    #[error("Le service est très sollicité. Réessayez dans quelques secondes.")]
    Overloaded,
    #[error("Trop de tentatives. Réessayez dans {}.", french_wait(*.retry_after))]
    TooManyRequests { retry_after: u64 },
    /// The cause is logged; the user sees a generic message.
    #[error("Une erreur interne est survenue. Réessayez dans un instant.")]
    Internal(String),
}

/// Why a password is refused to a member of an organisation that requires single sign-on.
pub const SSO_REQUIRED: &str =
    "Votre entreprise impose l’authentification unique : le mot de passe n’est pas accepté pour ce compte.";

/// A wait, said in French: seconds under a minute, else minutes rounded up.
fn french_wait(seconds: u64) -> String {
    match seconds {
        0 | 1 => "1 seconde".into(),
        2..=59 => format!("{seconds} secondes"),
        _ => match seconds.div_ceil(60) {
            1 => "1 minute".into(),
            minutes => format!("{minutes} minutes"),
        },
    }
}

impl Error {
    /// The message shown to the user, with its French typography.
    pub fn detail(&self) -> String {
        french_typography(&self.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized | Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) | Error::PlanLimit(_) | Error::SsoRequired { .. } => StatusCode::FORBIDDEN,
            Error::NotFound | Error::UnknownOrganisation => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType | Error::UnsupportedFileType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooManyRequests { .. } | Error::Quota(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) | Error::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Error::Internal(cause.to_string())
    }

    fn log(&self) {
        if let Error::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
    }

    fn retry_after(&self) -> Option<HeaderValue> {
        match self {
            Error::TooManyRequests { retry_after } => HeaderValue::from_str(&retry_after.to_string()).ok(),
            Error::Overloaded => Some(HeaderValue::from_static("2")),
            _ => None,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => {
                Error::Conflict("La session a changé entre-temps ou est terminée. Rechargez la page.".into())
            }
            StoreError::Deactivated => Error::Forbidden(
                "Ce compte a été désactivé par votre organisation. Adressez-vous à son administrateur.".into(),
            ),
            other => Error::internal(other),
        }
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType,
            JsonRejection::JsonSyntaxError(_) => Error::BadRequest("JSON mal formé.".into()),
            JsonRejection::JsonDataError(e) => Error::Unprocessable(format!("Données invalides : {}", e.body_text())),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge(format!(
                "Requête trop volumineuse ({} Kio au maximum).",
                crate::MAX_BODY_BYTES / 1024
            )),
            other => Error::BadRequest(other.body_text()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        self.log();
        let retry_after = self.retry_after();
        let mut response = (self.status(), Json(ErrorBody { detail: self.detail() })).into_response();
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// Every error of the API.
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    /// Human-readable message in French (with French typography, e.g. non-breaking spaces
    /// before `:`).
    pub detail: String,
}

/// An error met while rendering a page.
#[derive(Debug)]
pub struct PageError(pub Error);

impl<E: Into<Error>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: String,
    nav: crate::layout::Nav,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let error = self.0;
        if matches!(error, Error::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        error.log();
        let title = match error.status() {
            StatusCode::NOT_FOUND => "Page introuvable",
            StatusCode::FORBIDDEN => "Accès refusé",
            StatusCode::TOO_MANY_REQUESTS => "Trop de tentatives",
            StatusCode::INTERNAL_SERVER_ERROR => "Erreur interne",
            _ => "Requête impossible",
        };
        let page = ErrorPage { title, message: error.to_string(), nav: crate::layout::Nav::anonymous() };
        match page.render() {
            Ok(html) => (error.status(), Html(crate::layout::typeset_html(&html))).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot render the error page");
                (error.status(), error.to_string()).into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_french() {
        let said = |s| Error::TooManyRequests { retry_after: s }.to_string();
        assert_eq!(said(1), "Trop de tentatives. Réessayez dans 1 seconde.");
        assert_eq!(said(42), "Trop de tentatives. Réessayez dans 42 secondes.");
        assert_eq!(said(60), "Trop de tentatives. Réessayez dans 1 minute.");
        assert_eq!(said(899), "Trop de tentatives. Réessayez dans 15 minutes.");
    }
}
