//! `/scim/v2/Users`: an organisation's members as SCIM users. A user created here is a
//! learner of the organisation on the Enterprise plan, who logs in through single sign-on
//! (or with the password the provider sets); `active: false` or DELETE deactivates the
//! account: its login sessions are deleted in the same transaction, its voice sockets
//! closed, and it can no longer log in.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use replique_core::account::{DisplayName, Email, Password};
use replique_store::{Activation, ScimUserRow, ScimUserWrite};
use serde_json::{Value, json};

use super::filter::{self, Page};
use super::{BASE, ScimError, ScimOrg, USER_SCHEMA, attribute, patch, string_attribute};
use crate::{AppState, now};

/// The password hash of an account created without a password: no password matches it
/// (not a PHC string), so the account logs in through single sign-on only.
const NO_PASSWORD: &str = "!scim";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scim/v2/Users", get(list).post(create))
        .route("/scim/v2/Users/{id}", get(read).put(replace).patch(modify).delete(remove))
}

/// A user as a provider sends it, checked.
struct UserInput {
    user_name: String,
    email: Email,
    name: DisplayName,
    external_id: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    active: bool,
    password: Option<Password>,
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::bad("invalidValue", detail)
}

/// A boolean, or the strings `"True"`/`"False"` Entra sends (any case).
pub fn boolean(value: &Value, name: &str) -> Result<bool, ScimError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(invalid(format!("« {name} » doit valoir true ou false."))),
    }
}

/// The e-mail to log in with: the primary one, else the work one, else the first; else the
/// userName when it is an address.
fn email_of(doc: &Value, user_name: &str) -> Result<Email, ScimError> {
    let listed = match attribute(doc, "emails") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err(invalid("« emails » doit être une liste.")),
    };
    let primary = |e: &&Value| attribute(e, "primary").is_some_and(|p| boolean(p, "primary").unwrap_or(false));
    let work =
        |e: &&Value| attribute(e, "type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("work"));
    let chosen = listed.iter().find(primary).or_else(|| listed.iter().find(work)).or_else(|| listed.first());
    match chosen.map(|e| attribute(e, "value")) {
        Some(Some(Value::String(value))) => {
            Email::parse(value).map_err(|_| invalid(format!("Adresse e-mail invalide : « {value} ».")))
        }
        Some(_) => Err(invalid("Chaque élément de « emails » doit avoir une « value » (l’adresse).")),
        None => Email::parse(user_name)
            .map_err(|_| invalid("Une adresse e-mail est requise : dans « emails », ou comme « userName ».")),
    }
}

fn read_user(doc: &Value) -> Result<UserInput, ScimError> {
    let user_name = string_attribute(doc, "userName")?.ok_or_else(|| invalid("« userName » est obligatoire."))?;
    if user_name.chars().count() > 254 || user_name.chars().any(char::is_control) {
        return Err(invalid("« userName » a 254 caractères au plus, sans caractère de contrôle."));
    }
    let email = email_of(doc, &user_name)?;
    let names = match attribute(doc, "name") {
        None => Value::Null,
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => return Err(invalid("« name » doit être un objet (givenName, familyName).")),
    };
    let given_name = string_attribute(&names, "givenName")?;
    let family_name = string_attribute(&names, "familyName")?;
    let joined = [given_name.as_deref(), family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let shown = string_attribute(doc, "displayName")?
        .or(string_attribute(&names, "formatted")?)
        .or_else(|| Some(joined).filter(|j| !j.is_empty()))
        .unwrap_or_else(|| email.local_part().to_owned());
    let name = DisplayName::parse(&shown).map_err(|m| invalid(format!("Nom affiché : {m}")))?;
    for (label, value) in [("givenName", &given_name), ("familyName", &family_name)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
            return Err(invalid(format!("« {label} » a 100 caractères au plus.")));
        }
    }
    let external_id = string_attribute(doc, "externalId")?;
    if external_id.as_ref().is_some_and(|v| v.len() > 255) {
        return Err(invalid("« externalId » a 255 caractères au plus."));
    }
    let active = attribute(doc, "active").map(|v| boolean(v, "active")).transpose()?.unwrap_or(true);
    let password = string_attribute(doc, "password")?
        .map(|p| Password::parse(&p).map_err(|m| invalid(format!("Mot de passe : {m}"))))
        .transpose()?;
    Ok(UserInput { user_name, email, name, external_id, given_name, family_name, active, password })
}

impl UserInput {
    fn write<'a>(&'a self, password_hash: Option<&'a str>) -> ScimUserWrite<'a> {
        ScimUserWrite {
            user_name: &self.user_name,
            email: self.email.as_str(),
            name: self.name.as_str(),
            external_id: self.external_id.as_deref(),
            given_name: self.given_name.as_deref(),
            family_name: self.family_name.as_deref(),
            active: self.active,
            password_hash,
        }
    }
}

/// A member as a SCIM user (the password is never shown).
fn render(row: &ScimUserRow) -> Value {
    let location = format!("{BASE}/Users/{}", row.user_id);
    let mut name = json!({ "formatted": row.name });
    if let Some(given) = &row.given_name {
        name["givenName"] = Value::from(given.as_str());
    }
    if let Some(family) = &row.family_name {
        name["familyName"] = Value::from(family.as_str());
    }
    let mut user = json!({
        "schemas": [USER_SCHEMA],
        "id": row.user_id.to_string(),
        "userName": row.user_name,
        "name": name,
        "displayName": row.name,
        "emails": [{ "value": row.email, "type": "work", "primary": true }],
        "active": row.deactivated_at.is_none(),
        "meta": super::meta("User", &location, row.created_at, row.updated_at),
    });
    if let Some(external_id) = &row.external_id {
        user["externalId"] = Value::from(external_id.as_str());
    }
    user
}

/// The hash of a password the provider set, computed on the hashing pool.
async fn hash(state: &AppState, password: Option<&Password>) -> Result<Option<String>, ScimError> {
    let Some(password) = password else { return Ok(None) };
    let hashing = state.hash_pool.admit()?;
    let password = password.expose().to_owned();
    Ok(Some(hashing.run(move || crate::auth::hash_password(&password)).await??))
}

/// What follows a deactivation on this instance: the account's voice sockets close (other
/// instances refuse their next message: the account is no longer active).
fn after(state: &AppState, user_id: i64, activation: Activation) {
    if activation == Activation::Deactivated {
        state.voice_sessions.close_user(user_id);
        tracing::info!(user_id, "account deactivated by SCIM: sessions deleted");
    }
}

async fn list(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ScimError> {
    let page = Page::from_query(&query)?;
    let filter = filter::users(filter::from_query(&query)?)?;
    let (total, rows) = state.store.scim_users(org, filter.as_ref(), page.offset(), page.count).await?;
    Ok(super::list(total, page.start_index, rows.iter().map(render).collect()))
}

async fn read(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    let row = state.store.scim_user(org, id).await?.ok_or_else(ScimError::not_found)?;
    Ok(super::scim_json(StatusCode::OK, &render(&row)))
}

async fn create(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let input = read_user(&super::read_body(&headers, &body)?)?;
    let password_hash = hash(&state, input.password.as_ref()).await?;
    let row = state.store.create_scim_user(org, &input.write(password_hash.as_deref()), NO_PASSWORD, now()).await?;
    if !input.active {
        after(&state, row.user_id, Activation::Deactivated);
    }
    Ok(super::created(&render(&row)))
}

/// Writes a user's new state (PUT, or PATCH once applied).
async fn write(state: &AppState, org: i64, id: i64, input: &UserInput) -> Result<Response, ScimError> {
    let password_hash = hash(state, input.password.as_ref()).await?;
    let (row, activation) = state
        .store
        .replace_scim_user(org, id, &input.write(password_hash.as_deref()), now())
        .await?
        .ok_or_else(ScimError::not_found)?;
    after(state, id, activation);
    Ok(super::scim_json(StatusCode::OK, &render(&row)))
}

async fn replace(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    let input = read_user(&super::read_body(&headers, &body)?)?;
    write(&state, org, id, &input).await
}

async fn modify(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    let operations = patch::operations(&super::read_body(&headers, &body)?)?;
    let row = state.store.scim_user(org, id).await?.ok_or_else(ScimError::not_found)?;
    let mut doc = render(&row);
    patch::apply(&mut doc, &operations)?;
    write(&state, org, id, &read_user(&doc)?).await
}

async fn remove(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    if !state.store.delete_scim_user(org, id, now()).await? {
        return Err(ScimError::not_found());
    }
    after(&state, id, Activation::Deactivated);
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_as_okta_and_entra_send_them() {
        let okta = json!({"schemas": [USER_SCHEMA], "userName": "John.Doe@example.com",
            "name": {"givenName": "John", "familyName": "Doe"},
            "emails": [{"primary": true, "value": "John.Doe@example.com", "type": "work"}],
            "displayName": "John Doe", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
            "groups": [], "password": "1mz050nq", "active": true});
        let user = read_user(&okta).expect("okta");
        assert_eq!((user.email.as_str(), user.name.as_str()), ("john.doe@example.com", "John Doe"));
        assert!(user.active && user.password.is_some());
        let entra = json!({"schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "userName": "Test_User_ab6490ee@contoso.com",
            "active": "True", "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b@contoso.com"}],
            "meta": {"resourceType": "User"}, "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            "roles": []});
        let user = read_user(&entra).expect("entra");
        assert_eq!(user.email.as_str(), "test_user_fd0ea19b@contoso.com");
        assert_eq!(user.name.as_str(), "givenName familyName");
        assert!(user.active);
    }

    #[test]
    fn bad_users_are_refused_with_invalid_value() {
        for bad in [
            json!({}),
            json!({"userName": 12}),
            json!({"userName": "pas-une-adresse"}),
            json!({"userName": "a@b.fr", "active": "peut-être"}),
            json!({"userName": "a@b.fr", "emails": "a@b.fr"}),
            json!({"userName": "a@b.fr", "emails": [{"value": "pas une adresse"}]}),
            json!({"userName": "a@b.fr", "name": "A B"}),
            json!({"userName": "a@b.fr", "password": "court"}),
        ] {
            let e = read_user(&bad).err().unwrap_or_else(|| panic!("accepted {bad}"));
            assert_eq!(e.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
    }
}
