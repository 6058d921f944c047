//! Extractors shared by the API and the voice socket: a leaf, so that neither reaches into
//! the other for them.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::Error;

/// A numeric id from the path; anything else is "not found".
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        Path::<i64>::from_request_parts(parts, state).await.map(|Path(id)| Id(id)).map_err(|_| Error::NotFound)
    }
}
