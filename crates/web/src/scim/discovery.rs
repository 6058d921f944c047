//! What identity providers read before provisioning (RFC 7644 §4, RFC 7643 §5-7):
//! `ServiceProviderConfig` (PATCH and filters yes; bulk, sorting, ETags and password
//! changes no), `ResourceTypes` (User, Group) and `Schemas` (the attributes this server
//! keeps).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{BASE, GROUP_SCHEMA, ScimError, ScimOrg, USER_SCHEMA, filter, scim_json};
use crate::AppState;

pub async fn service_provider_config(State(_): State<AppState>, ScimOrg(_): ScimOrg) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": filter::MAX_COUNT },
            "changePassword": { "supported": false },
            "sort": { "supported": false },
            "etag": { "supported": false },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Jeton porteur",
                "description": "Authorization: Bearer JETON, le jeton de l’organisation que donne « replique org scim-token ORG ».",
                "primary": true,
            }],
            "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{BASE}/ServiceProviderConfig") },
        }),
    )
}

fn resource_type_of(id: &str) -> Option<Value> {
    let (name, endpoint, schema, description) = match id {
        "User" => ("User", "/Users", USER_SCHEMA, "Membre de l’organisation"),
        "Group" => ("Group", "/Groups", GROUP_SCHEMA, "Équipe de l’organisation"),
        _ => return None,
    };
    Some(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": description,
        "schema": schema,
        "schemaExtensions": [],
        "meta": { "resourceType": "ResourceType", "location": format!("{BASE}/ResourceTypes/{name}") },
    }))
}

pub async fn resource_types(State(_): State<AppState>, ScimOrg(_): ScimOrg) -> Response {
    let types: Vec<Value> = ["User", "Group"].into_iter().filter_map(resource_type_of).collect();
    super::list(2, 1, types)
}

pub async fn resource_type(ScimOrg(_): ScimOrg, Path(id): Path<String>) -> Result<Response, ScimError> {
    Ok(scim_json(StatusCode::OK, &resource_type_of(&id).ok_or_else(ScimError::not_found)?))
}

/// One attribute's definition.
fn attribute(name: &str, kind: &str, required: bool, mutability: &str, uniqueness: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
    })
}

fn multi(name: &str, sub_attributes: Vec<Value>) -> Value {
    json!({
        "name": name,
        "type": "complex",
        "multiValued": true,
        "required": false,
        "mutability": "readWrite",
        "returned": "default",
        "subAttributes": sub_attributes,
    })
}

fn schema_of(id: &str) -> Option<Value> {
    let (name, description, attributes) = if id == USER_SCHEMA {
        let mut name = attribute("name", "complex", false, "readWrite", "none");
        name["subAttributes"] = json!([
            attribute("formatted", "string", false, "readWrite", "none"),
            attribute("givenName", "string", false, "readWrite", "none"),
            attribute("familyName", "string", false, "readWrite", "none"),
        ]);
        let mut password = attribute("password", "string", false, "writeOnly", "none");
        password["returned"] = Value::from("never");
        let emails = multi(
            "emails",
            vec![
                attribute("value", "string", true, "readWrite", "none"),
                attribute("type", "string", false, "readWrite", "none"),
                attribute("primary", "boolean", false, "readWrite", "none"),
            ],
        );
        let attributes = vec![
            attribute("userName", "string", true, "readWrite", "server"),
            name,
            attribute("displayName", "string", false, "readWrite", "none"),
            emails,
            attribute("active", "boolean", false, "readWrite", "none"),
            password,
            attribute("externalId", "string", false, "readWrite", "none"),
        ];
        ("User", "Membre de l’organisation : il se connecte par l’authentification unique.", attributes)
    } else if id == GROUP_SCHEMA {
        let attributes = vec![
            attribute("displayName", "string", true, "readWrite", "server"),
            multi(
                "members",
                vec![
                    attribute("value", "string", true, "immutable", "none"),
                    attribute("display", "string", false, "readOnly", "none"),
                ],
            ),
            attribute("externalId", "string", false, "readWrite", "none"),
        ];
        ("Group", "Équipe de l’organisation.", attributes)
    } else {
        return None;
    };
    Some(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": { "resourceType": "Schema", "location": format!("{BASE}/Schemas/{id}") },
    }))
}

pub async fn schemas(State(_): State<AppState>, ScimOrg(_): ScimOrg) -> Response {
    let all: Vec<Value> = [USER_SCHEMA, GROUP_SCHEMA].into_iter().filter_map(schema_of).collect();
    super::list(2, 1, all)
}

pub async fn schema(ScimOrg(_): ScimOrg, Path(id): Path<String>) -> Result<Response, ScimError> {
    Ok(scim_json(StatusCode::OK, &schema_of(&id).ok_or_else(ScimError::not_found)?))
}
