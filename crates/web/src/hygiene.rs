//! Input hygiene at the edge: no control characters in what the app is sent. NUL and the
//! other control characters (C0, DEL, C1) except line feed, carriage return and tab are
//! refused with 422 and a French message, whatever the route and the database (PostgreSQL
//! cannot store a NUL in text; SQLite would, and the two must behave the same).
//!
//! `refuse_control_characters` reads JSON and form bodies (every string, keys included)
//! before any handler (under `/scim/` it answers in SCIM's error form, 400 invalidValue); multipart uploads are read by their handler, which checks their text
//! fields and file name with `check_text`. This module decides what is refused; the
//! handlers never repeat it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::Error;
use crate::error::PageError;

/// What the user reads when they sent a control character.
pub const REFUSED: &str =
    "Le texte envoyé contient des caractères de contrôle (comme le caractère nul) : retirez-les et réessayez.";

/// Whether `c` is refused: a control character other than line feed, carriage return, tab.
fn refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// 422 when `text` holds a refused control character.
pub fn check_text(text: &str) -> Result<(), Error> {
    if text.chars().any(refused) { Err(Error::Unprocessable(REFUSED.into())) } else { Ok(()) }
}

/// Whether any string of a JSON document (or any key) holds a refused character.
fn json_has_control(value: &Value) -> bool {
    match value {
        Value::String(s) => s.chars().any(refused),
        Value::Array(items) => items.iter().any(json_has_control),
        Value::Object(map) => map.iter().any(|(k, v)| k.chars().any(refused) || json_has_control(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

enum Kind {
    Json,
    Form,
}

fn kind(request: &Request) -> Option<Kind> {
    let content_type = request.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if mime == "application/json" || mime.ends_with("+json") {
        Some(Kind::Json)
    } else if mime == "application/x-www-form-urlencoded" {
        Some(Kind::Form)
    } else {
        None
    }
}

/// Refuses JSON and form bodies that hold control characters (see the module docs).
/// Bodies the handler could not read anyway (malformed, too large) go on unchanged or with
/// the same 413, so that the handler's own message answers.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let Some(kind) = kind(&request) else { return next.run(request).await };
    let path = request.uri().path();
    let (api, scim) = (path.starts_with("/api/"), path.starts_with("/scim/"));
    // SCIM answers its errors in the RFC's form, and takes larger bodies (a group's members).
    let answer = |error: Error| {
        if scim {
            crate::scim::ScimError::from(error).into_response()
        } else if api {
            error.into_response()
        } else {
            PageError(error).into_response()
        }
    };
    let limit = if scim { crate::scim::MAX_BODY_BYTES } else { crate::MAX_BODY_BYTES };
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return answer(Error::PayloadTooLarge(format!(
                "Requête trop volumineuse ({} Kio au maximum).",
                limit / 1024
            )));
        }
    };
    let has_control = match kind {
        Kind::Json => serde_json::from_slice::<Value>(&bytes).is_ok_and(|v| json_has_control(&v)),
        Kind::Form => serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .is_ok_and(|pairs| pairs.iter().any(|(k, v)| k.chars().any(refused) || v.chars().any(refused))),
    };
    if has_control {
        return answer(Error::Unprocessable(REFUSED.into()));
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_pass_other_controls_do_not() {
        assert!(check_text("Bonjour,\n\tcomment allez-vous ?\r\n").is_ok());
        assert!(check_text("é, ’, « », emoji 🙂").is_ok());
        for bad in ["a\u{0}b", "\u{7}", "\u{1b}[31m", "\u{7f}", "\u{85}", "\u{9f}"] {
            assert!(check_text(bad).is_err(), "{bad:?}");
        }
        assert!(json_has_control(&serde_json::json!({"a": [1, {"b": "x\u{0}"}]})));
        assert!(json_has_control(&serde_json::json!({"k\u{1}": 1})));
        assert!(!json_has_control(&serde_json::json!({"message": "ligne\nligne", "n": 1, "ok": true})));
    }
}
