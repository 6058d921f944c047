//! Server-rendered French pages. Each feature module owns its routes and its askama
//! templates (under `templates/`); `Nav` is what every page's header needs.

use axum::Router;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::SessionUser;
use crate::csrf::{self, CsrfToken};
use crate::error::PageError;
use crate::{AppState, Error};

pub use crate::layout::{Nav, typeset_html};
pub use brief::Brief;

mod account;
mod brief;
mod enterprise;
mod home;
mod report;
mod skills;
mod training;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(account::router())
        .merge(skills::router())
        .merge(brief::router())
        .merge(training::router())
        .merge(report::router())
        .merge(enterprise::router())
        .fallback(|| async { PageError(Error::NotFound) })
}

impl Nav {
    pub fn new(user: Option<&SessionUser>, csrf: &CsrfToken) -> Self {
        Nav {
            user_name: user.map(|u| u.user.name.clone()),
            plan: user.map(|u| u.plan.label()),
            champion: user.is_some_and(|u| u.plan.has_champion()),
            csrf: csrf.0.clone(),
        }
    }
}

/// Renders an askama template as an HTML response.
pub fn render(template: &impl askama::Template) -> Result<Response, PageError> {
    let html = template.render().map_err(Error::internal)?;
    Ok(axum::response::Html(typeset_html(&html)).into_response())
}

/// Checks a form post: same origin and a valid CSRF token.
pub fn check_form(headers: &HeaderMap, csrf: &CsrfToken, submitted: &str) -> Result<(), Error> {
    if !csrf::same_origin(headers) {
        return Err(Error::Forbidden("Requête d’une autre origine refusée.".into()));
    }
    csrf.verify(submitted)
}

/// A numeric id from a page's path; anything else is "not found".
pub fn parse_id(raw: &str) -> Result<i64, Error> {
    raw.parse().map_err(|_| Error::NotFound)
}

/// Where to send someone who must log in first.
pub fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

/// A form body; a malformed or incomplete one becomes a French error page.
pub struct PageForm<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for PageForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(PageForm(value)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(PageError(Error::PayloadTooLarge("Formulaire trop volumineux.".into())))
            }
            Err(rejection) => {
                tracing::debug!(%rejection, "form rejected");
                Err(PageError(Error::Unprocessable(
                    "Formulaire incomplet ou invalide. Rechargez la page et réessayez.".into(),
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::typeset_html;

    #[test]
    fn the_text_of_a_page_is_typeset_and_its_tags_are_not() {
        let html = r#"<p title="a : b">Secteur : « Santé » ?</p><textarea name="m">Et alors ?</textarea><p>Oui !</p>"#;
        assert_eq!(
            typeset_html(html),
            "<p title=\"a : b\">Secteur\u{a0}: «\u{a0}Santé\u{a0}»\u{202f}?</p><textarea name=\"m\">Et alors ?</textarea><p>Oui\u{202f}!</p>"
        );
        assert_eq!(typeset_html("déjà\u{a0}: fait"), "déjà\u{a0}: fait", "idempotent");
    }
}
