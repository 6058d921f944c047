//! Server-rendered French pages. Each feature module owns its routes and its askama
//! templates (under `templates/`); `Nav` is what every page's header needs. Handlers open
//! on the page extractors of `crate::extract` (`PageUser`, `PageId`, `CsrfForm`).

use axum::Router;
use axum::response::{IntoResponse, Response};

use crate::auth::SessionUser;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::{AppState, Error};

pub use crate::layout::{Nav, typeset_html};
pub use brief::Brief;

mod account;
mod brief;
mod enterprise;
mod home;
mod privacy;
mod programmes;
mod report;
mod scorm;
mod skills;
mod sso;
mod team;
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
        .merge(programmes::router())
        .merge(team::router())
        .merge(privacy::router())
        .merge(sso::router())
        .merge(scorm::router())
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

/// A day in French, e.g. « 6 déc. 2026 » (with no-break spaces), from Unix seconds (UTC);
/// empty when out of range.
pub fn french_date(unix: i64) -> String {
    const MONTHS: [&str; 12] =
        ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    time::OffsetDateTime::from_unix_timestamp(unix).map_or_else(
        |_| String::new(),
        |at| format!("{}\u{a0}{}\u{a0}{}", at.day(), MONTHS[usize::from(u8::from(at.month())) - 1], at.year()),
    )
}

/// Renders an askama template as an HTML response.
pub fn render(template: &impl askama::Template) -> Result<Response, PageError> {
    let html = template.render().map_err(Error::internal)?;
    Ok(axum::response::Html(typeset_html(&html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::{french_date, typeset_html};

    #[test]
    fn dates_are_written_the_french_way() {
        assert_eq!(french_date(0), "1\u{a0}janv.\u{a0}1970");
        assert_eq!(french_date(1_796_558_400), "6\u{a0}déc.\u{a0}2026");
        assert_eq!(french_date(1_785_542_400), "1\u{a0}août\u{a0}2026");
        assert_eq!(french_date(i64::MAX), "");
    }

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
