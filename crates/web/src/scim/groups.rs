//! `/scim/v2/Groups`: an organisation's teams as SCIM groups. Members are the
//! organisation's members (an id of anybody else is refused as an invalid value); PATCH adds
//! and removes members as Okta (`members[value eq "id"]`) and Entra (a `value` list) send
//! them, each change applied as such so that two at once both count.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use replique_store::{TeamChange, TeamRow};
use serde_json::{Value, json};

use super::filter::{self, Page};
use super::patch::{self, Kind};
use super::{BASE, GROUP_SCHEMA, ScimError, ScimOrg, attribute, string_attribute};
use crate::{AppState, now};

/// Members in one request, at most.
const MAX_MEMBERS: usize = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scim/v2/Groups", get(list).post(create))
        .route("/scim/v2/Groups/{id}", get(read).put(replace).patch(modify).delete(remove))
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::bad("invalidValue", detail)
}

fn display_name(value: Option<&Value>) -> Result<String, ScimError> {
    let name = match value {
        Some(Value::String(s)) => s.trim().to_owned(),
        _ => return Err(invalid("« displayName » (le nom de l’équipe) est obligatoire.")),
    };
    if name.is_empty() || name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(invalid("Le nom d’une équipe a 1 à 120 caractères, sans caractère de contrôle."));
    }
    Ok(name)
}

/// The ids of a `members` value: a list of `{"value": "id"}` (or one of them).
fn member_ids(value: &Value) -> Result<Vec<i64>, ScimError> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        single @ Value::Object(_) => std::slice::from_ref(single),
        _ => return Err(invalid("« members » doit être une liste de { \"value\": identifiant }.")),
    };
    if items.len() > MAX_MEMBERS {
        return Err(invalid("1 000 membres au plus par requête."));
    }
    items
        .iter()
        .map(|item| match attribute(item, "value") {
            Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
            Some(Value::Number(n)) => n.as_i64(),
            _ => None,
        })
        .map(|id| id.ok_or_else(|| invalid("Chaque membre a une « value » : l’identifiant d’un utilisateur.")))
        .collect()
}

/// Refuses ids that are not members of the organisation (unknown ones and another
/// organisation's alike: nothing tells them apart).
async fn check_members(state: &AppState, org: i64, ids: &[i64]) -> Result<(), ScimError> {
    let found = state.store.scim_member_ids(org, ids).await?;
    match ids.iter().find(|id| !found.contains(id)) {
        Some(id) => Err(invalid(format!("Aucun utilisateur d’identifiant « {id} » dans cette organisation."))),
        None => Ok(()),
    }
}

async fn render(state: &AppState, team: &TeamRow, with_members: bool) -> Result<Value, ScimError> {
    let location = format!("{BASE}/Groups/{}", team.id);
    let mut group = json!({
        "schemas": [GROUP_SCHEMA],
        "id": team.id.to_string(),
        "displayName": team.name,
        "meta": super::meta("Group", &location, team.created_at, team.updated_at),
    });
    if let Some(external_id) = &team.external_id {
        group["externalId"] = Value::from(external_id.as_str());
    }
    if with_members {
        let members: Vec<Value> = state
            .store
            .team_members(team.id)
            .await?
            .into_iter()
            .map(|m| {
                json!({"value": m.user_id.to_string(), "display": m.name, "type": "User",
                       "$ref": format!("{BASE}/Users/{}", m.user_id)})
            })
            .collect();
        group["members"] = Value::Array(members);
    }
    Ok(group)
}

/// Whether `excludedAttributes` leaves the members out (Entra asks so when it checks a group).
fn members_wanted(query: &HashMap<String, String>) -> bool {
    !query
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("excludedAttributes"))
        .any(|(_, v)| v.split(',').any(|a| filter::attribute_path(a) == "members"))
}

async fn list(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ScimError> {
    let page = Page::from_query(&query)?;
    let filter = filter::groups(filter::from_query(&query)?)?;
    let (total, teams) = state.store.teams(org, filter.as_ref(), page.offset(), page.count).await?;
    let mut resources = Vec::with_capacity(teams.len());
    for team in &teams {
        resources.push(render(&state, team, members_wanted(&query)).await?);
    }
    Ok(super::list(total, page.start_index, resources))
}

async fn read(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    let team = state.store.team_of(org, id).await?.ok_or_else(ScimError::not_found)?;
    Ok(super::scim_json(StatusCode::OK, &render(&state, &team, members_wanted(&query)).await?))
}

async fn create(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let doc = super::read_body(&headers, &body)?;
    let name = display_name(attribute(&doc, "displayName"))?;
    let external_id = string_attribute(&doc, "externalId")?;
    let members = attribute(&doc, "members").map(member_ids).transpose()?.unwrap_or_default();
    check_members(&state, org, &members).await?;
    let team = state.store.create_team(org, &name, external_id.as_deref(), &members, now()).await?;
    Ok(super::created(&render(&state, &team, true).await?))
}

async fn replace(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    let doc = super::read_body(&headers, &body)?;
    let name = display_name(attribute(&doc, "displayName"))?;
    let external_id = string_attribute(&doc, "externalId")?;
    let members = attribute(&doc, "members").map(member_ids).transpose()?.unwrap_or_default();
    check_members(&state, org, &members).await?;
    let change = TeamChange {
        name: Some(&name),
        external_id: Some(external_id.as_deref()),
        members: Some(&members),
        ..TeamChange::default()
    };
    let team = state.store.change_team(org, id, &change, now()).await?.ok_or_else(ScimError::not_found)?;
    Ok(super::scim_json(StatusCode::OK, &render(&state, &team, true).await?))
}

/// What a PATCH changes, gathered from its operations in order.
#[derive(Default)]
struct Changes {
    name: Option<String>,
    external_id: Option<Option<String>>,
    members: Option<Vec<i64>>,
    add: Vec<i64>,
    remove: Vec<i64>,
}

impl Changes {
    fn members(&mut self, kind: Kind, ids: Vec<i64>) {
        match kind {
            Kind::Replace => {
                self.add.clear();
                self.remove.clear();
                self.members = Some(ids);
            }
            Kind::Add => {
                self.remove.retain(|id| !ids.contains(id));
                self.add.extend(ids);
            }
            Kind::Remove => {
                self.add.retain(|id| !ids.contains(id));
                self.remove.extend(ids);
            }
        }
    }

    fn attribute(&mut self, kind: Kind, name: &str, value: Option<&Value>) -> Result<(), ScimError> {
        match (filter::attribute_path(name).as_str(), kind) {
            ("displayname", Kind::Remove) => Err(ScimError::bad("mutability", "Une équipe garde un nom.")),
            ("displayname", _) => {
                self.name = Some(display_name(value)?);
                Ok(())
            }
            ("externalid", Kind::Remove) => {
                self.external_id = Some(None);
                Ok(())
            }
            ("externalid", _) => {
                self.external_id = Some(value.and_then(Value::as_str).map(|s| s.trim().to_owned()));
                Ok(())
            }
            ("members", Kind::Remove) if value.is_none() => {
                self.members(Kind::Replace, Vec::new());
                Ok(())
            }
            ("members", _) => {
                self.members(kind, member_ids(value.unwrap_or(&Value::Null))?);
                Ok(())
            }
            // Read-only, or what a provider sends back as it read it.
            ("id" | "schemas" | "meta", _) => Ok(()),
            _ => Err(ScimError::bad("invalidPath", format!("Attribut inconnu pour une équipe : « {name} »."))),
        }
    }
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
    let mut changes = Changes::default();
    for op in &operations {
        match (&op.path, &op.value) {
            (None, Some(Value::Object(values))) => {
                for (name, value) in values {
                    changes.attribute(op.kind, name, Some(value))?;
                }
            }
            (Some(path), value) => match (&path.selector, &path.sub) {
                (None, None) => changes.attribute(op.kind, &path.attribute, value.as_ref())?,
                // `members[value eq "12"]`: that member.
                (Some(selector), None)
                    if filter::attribute_path(&path.attribute) == "members" && selector.attribute == "value" =>
                {
                    let id =
                        selector.value.trim().parse::<i64>().map_err(|_| invalid("Identifiant de membre invalide."))?;
                    if op.kind != Kind::Remove {
                        return Err(ScimError::bad(
                            "invalidPath",
                            "Un membre s’ajoute par « members » avec sa « value ».",
                        ));
                    }
                    changes.members(Kind::Remove, vec![id]);
                }
                _ => return Err(ScimError::bad("invalidPath", "Chemin non pris en charge pour une équipe.")),
            },
            (None, _) => return Err(ScimError::bad("noTarget", "Opération sans cible.")),
        }
    }
    let joining: Vec<i64> = changes.members.iter().flatten().chain(&changes.add).copied().collect();
    check_members(&state, org, &joining).await?;
    let change = TeamChange {
        name: changes.name.as_deref(),
        external_id: changes.external_id.as_ref().map(Option::as_deref),
        members: changes.members.as_deref(),
        add: &changes.add,
        remove: &changes.remove,
    };
    state.store.change_team(org, id, &change, now()).await?.ok_or_else(ScimError::not_found)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn remove(
    State(state): State<AppState>,
    ScimOrg(org): ScimOrg,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let id = super::parse_id(&id)?;
    if !state.store.delete_team(org, id, now()).await? {
        return Err(ScimError::not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
