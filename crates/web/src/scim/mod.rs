//! SCIM 2.0 provisioning under `/scim/v2/` (RFC 7643, RFC 7644): an organisation's
//! identity provider (Okta, Microsoft Entra ID...) creates, updates, deactivates and deletes
//! its members (`users`) and manages its teams (`groups`), with the bearer token that
//! `replique org scim-token ORG` prints. The discovery resources (`discovery`) say what is
//! supported; `filter` reads `filter`, `startIndex` and `count`; `patch` applies PATCH
//! operations as Okta and Entra send them.
//!
//! Every answer is `application/scim+json`; every error the RFC's body
//! (`urn:ietf:params:scim:api:messages:2.0:Error`, `status` as a string, `scimType` where
//! the RFC names one, a French `detail`). A wrong or missing token is 401; an id of another
//! organisation is 404, as an unknown one. Failed tokens are rate limited per address,
//! requests per organisation.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use replique_core::text::french_typography;
use replique_store::StoreError;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{AppState, Error};

mod discovery;
mod filter;
mod groups;
mod patch;
mod users;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const CONTENT_TYPE: &str = "application/scim+json";

/// Where the resources live.
pub const BASE: &str = "/scim/v2";

/// Largest SCIM request body: room for a group of a thousand members.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Requests per organisation per minute: a full synchronisation of a large directory,
/// never a runaway loop.
pub const REQUESTS_PER_MINUTE: i64 = 1200;
/// Requests with a wrong token per client address per 15 minutes.
pub const FAILED_TOKENS_PER_ADDRESS: i64 = 30;

/// The SCIM routes (merged at the root of the app).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scim/v2/ServiceProviderConfig", get(discovery::service_provider_config))
        .route("/scim/v2/ResourceTypes", get(discovery::resource_types))
        .route("/scim/v2/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/scim/v2/Schemas", get(discovery::schemas))
        .route("/scim/v2/Schemas/{id}", get(discovery::schema))
        .merge(users::router())
        .merge(groups::router())
        .route("/scim/v2", get(|| async { ScimError::not_found() }))
        .route("/scim/v2/{*rest}", axum::routing::any(|| async { ScimError::not_found() }))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(scim_errors))
}

/// A new token for the organisation, printed once: its SHA-256 replaces the one stored
/// (the previous token stops working at once).
pub async fn new_token(store: &replique_store::Store, organisation_id: i64) -> Result<String, Error> {
    let token = crate::token::random_token()?;
    store.set_scim_token(organisation_id, &token_hash(&token), crate::now()).await?;
    Ok(token)
}

fn token_hash(token: &str) -> String {
    crate::token::hex(&Sha256::digest(token.as_bytes()))
}

/// The organisation whose token the request carries (`Authorization: Bearer TOKEN`).
pub struct ScimOrg(pub i64);

impl FromRequestParts<AppState> for ScimOrg {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
        let organisation = match token {
            Some(token) => state.store.scim_token_organisation(&token_hash(token)).await?,
            None => None,
        };
        let Some(organisation) = organisation else {
            let address = crate::auth::client_key(parts, state.config.trust_proxy);
            state.scim_auth_limiter.take(&state.store, &address).await?;
            return Err(ScimError::new(
                StatusCode::UNAUTHORIZED,
                None,
                "Jeton SCIM absent ou invalide : envoyez « Authorization: Bearer JETON » avec le jeton que donne « replique org scim-token ».",
            ));
        };
        state.scim_limiter.take(&state.store, &organisation.to_string()).await?;
        Ok(ScimOrg(organisation))
    }
}

/// A SCIM error (RFC 7644 §3.12).
#[derive(Debug)]
pub struct ScimError {
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: String,
    retry_after: Option<u64>,
}

impl ScimError {
    pub fn new(status: StatusCode, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        ScimError { status, scim_type, detail: french_typography(&detail.into()), retry_after: None }
    }

    /// 400 with a `scimType` (invalidSyntax, invalidValue, invalidFilter, invalidPath,
    /// noTarget, mutability).
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, None, "Ressource introuvable.")
    }

    #[cfg(test)]
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<Error> for ScimError {
    fn from(e: Error) -> Self {
        let retry_after = match &e {
            Error::TooManyRequests { retry_after } => Some(*retry_after),
            Error::Overloaded => Some(2),
            _ => None,
        };
        if let Error::Internal(cause) = &e {
            tracing::error!(%cause, "internal error");
        }
        let scim_type = match e.status() {
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => Some("invalidValue"),
            _ => None,
        };
        // The RFC knows no 422: a value it refuses is a 400 invalidValue.
        let status = if e.status() == StatusCode::UNPROCESSABLE_ENTITY { StatusCode::BAD_REQUEST } else { e.status() };
        ScimError { status, scim_type, detail: e.detail(), retry_after }
    }
}

impl From<StoreError> for ScimError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => ScimError::new(
                StatusCode::CONFLICT,
                Some("uniqueness"),
                "Cet identifiant (userName, adresse e-mail ou nom d’équipe) est déjà utilisé.",
            ),
            other => Error::from(other).into(),
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = Value::from(scim_type);
        }
        let mut response = scim_json(self.status, &body);
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"SCIM\""));
        }
        if let Some(wait) = self.retry_after.and_then(|w| HeaderValue::from_str(&w.to_string()).ok()) {
            headers.insert(header::RETRY_AFTER, wait);
        }
        response
    }
}

/// A SCIM document with its status and content type.
pub fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

/// A created resource: 201, with its `Location`.
pub fn created(body: &Value) -> Response {
    let mut response = scim_json(StatusCode::CREATED, body);
    if let Some(location) = body["meta"]["location"].as_str().and_then(|l| HeaderValue::from_str(l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// A request body: JSON (`application/scim+json` or `application/json`, or no type at all,
/// as some providers send), an object.
pub fn read_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, ScimError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !matches!(essence.as_str(), "" | "application/scim+json" | "application/json") {
        return Err(ScimError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
            "Le corps de la requête doit être du JSON (Content-Type: application/scim+json).",
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ScimError::bad("invalidSyntax", format!("JSON mal formé (ligne {}, colonne {}).", e.line(), e.column()))
    })?;
    if !value.is_object() {
        return Err(ScimError::bad("invalidSyntax", "Le corps de la requête doit être un objet JSON."));
    }
    Ok(value)
}

/// An id in a path: the number this server gives; anything else is unknown (404).
pub fn parse_id(id: &str) -> Result<i64, ScimError> {
    id.parse::<i64>().ok().filter(|id| *id >= 1).ok_or_else(ScimError::not_found)
}

/// The attribute `name` of an object, whatever its case (SCIM attribute names are
/// case-insensitive).
pub fn attribute<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).filter(|v| !v.is_null())
}

/// A string attribute, trimmed; `invalidValue` if it is there and not a string.
pub fn string_attribute(object: &Value, name: &str) -> Result<Option<String>, ScimError> {
    match attribute(object, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(_) => Err(ScimError::bad("invalidValue", format!("« {name} » doit être une chaîne de caractères."))),
    }
}

/// Makes every error under `/scim` a SCIM error: what axum answered itself (405, a body
/// too large, a path it could not read) gets the RFC's body, keeping its status.
async fn scim_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let scim = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(CONTENT_TYPE));
    if scim || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            format!("Requête trop volumineuse ({} Kio au maximum).", MAX_BODY_BYTES / 1024)
        }
        StatusCode::METHOD_NOT_ALLOWED => "Méthode non autorisée pour cette adresse.".to_owned(),
        StatusCode::NOT_FOUND => "Ressource introuvable.".to_owned(),
        s if s.is_server_error() => "Une erreur interne est survenue. Réessayez dans un instant.".to_owned(),
        _ => "Requête mal formée.".to_owned(),
    };
    let scim_type = (status == StatusCode::BAD_REQUEST).then_some("invalidSyntax");
    let (parts, _) = response.into_parts();
    let mut answer = ScimError::new(status, scim_type, detail).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}

/// A list response (RFC 7644 §3.4.2).
pub fn list(total: i64, start_index: i64, resources: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start_index,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}

/// A resource's `meta`.
pub fn meta(resource_type: &str, location: &str, created: i64, modified: i64) -> Value {
    json!({
        "resourceType": resource_type,
        "created": crate::rfc3339(created),
        "lastModified": crate::rfc3339(modified),
        "location": location,
    })
}
