//! The OpenAPI 3.1 document of the JSON API, built from the Rust types: `paths` lists the
//! operations (method, parameters, body, responses); the schemas under
//! `components/schemas` are derived by schemars from the very types the handlers read and
//! write, so the document cannot drift from what the server does. Request bodies are
//! described as they are deserialised (a defaulted field is optional), response bodies as
//! they are serialised (a field skipped when empty is optional).
//!
//! Built once at start (`AppState::new`) and served as is by `GET /api/openapi.json`.
//! `tests/openapi.rs` checks that every route is documented and every documented path is a
//! route.

use axum::body::Bytes;
use replique_core::Catalog;
use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value, json};

mod gdpr;
mod paths;
mod standards;

/// Where the schemas live in the document.
const SCHEMAS: &str = "#/components/schemas/";

/// The document as served.
pub fn document_json(catalog: &Catalog) -> Bytes {
    Bytes::from(serde_json::to_vec(&document(catalog)).unwrap_or_default())
}

/// The whole document.
pub fn document(catalog: &Catalog) -> Value {
    let mut api = Api::new();
    paths::describe(&mut api);
    let Api { mut requests, mut responses, paths } = api;
    let mut paths = Value::Object(paths);
    let mut schemas = responses.take_definitions(true);
    // A type read and written alike has one schema; if its two forms differ, the request's
    // is renamed `<Name>Input` (and the references to it with it).
    let mut incoming = requests.take_definitions(true);
    let renamed: Vec<String> = incoming
        .iter()
        .filter(|(name, schema)| schemas.get(*name).is_some_and(|s| s != *schema))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &renamed {
        let (from, to) = (format!("{SCHEMAS}{name}"), format!("{SCHEMAS}{name}Input"));
        for schema in incoming.values_mut() {
            rename_ref(schema, &from, &to);
        }
        rename_ref(&mut paths, &from, &to);
        if let Some(schema) = incoming.remove(name) {
            incoming.insert(format!("{name}Input"), schema);
        }
    }
    for (name, schema) in incoming {
        schemas.entry(name).or_insert(schema);
    }
    with_catalogue(&mut schemas, catalog);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Réplique API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": include_str!("intro.md").trim(),
        },
        "servers": [{ "url": "/" }],
        "security": [{ "cookieAuth": [] }],
        "tags": paths::tags(),
        "paths": paths,
        "components": {
            "securitySchemes": {
                "cookieAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": crate::auth::SESSION_COOKIE,
                    "description": "Login session cookie (HttpOnly) set by register and login.",
                },
            },
            "schemas": schemas,
            "responses": common_responses(),
        },
    })
}

/// Replaces every `$ref` equal to `from` by `to`.
fn rename_ref(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" && v.as_str() == Some(from) {
                    *v = Value::from(to);
                } else {
                    rename_ref(v, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_ref(v, from, to)),
        _ => {}
    }
}

/// What the server accepts depends on the catalogue too: a session starts on one of its
/// skills and sectors (anything else is 404 or 422), a product sheet is one of its slugs.
fn with_catalogue(schemas: &mut Map<String, Value>, catalog: &Catalog) {
    let skills: Vec<&str> = catalog.skills.iter().map(|s| s.slug.as_str()).collect();
    let sectors: Vec<&str> = catalog.sectors.iter().map(|s| s.slug.as_str()).collect();
    for request in ["StartRequest", "GenerateRequest"] {
        if let Some(properties) = schemas.get_mut(request).and_then(|s| s.get_mut("properties")) {
            properties["skill"]["enum"] = json!(skills);
            properties["sector"]["enum"] = json!(sectors);
        }
    }
}

/// Who may call an operation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anybody.
    Public,
    /// A logged-in user (401 otherwise).
    Login,
    /// An Enterprise user in an organisation (401, 403 otherwise).
    Enterprise,
    /// A manager of an Enterprise organisation (401, 403 otherwise).
    Manager,
}

/// The document being built: the operations, and the schemas of what they read and write.
pub struct Api {
    requests: SchemaGenerator,
    responses: SchemaGenerator,
    paths: Map<String, Value>,
}

impl Api {
    fn new() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        });
        Api {
            requests: settings.clone().for_deserialize().into_generator(),
            responses: settings.for_serialize().into_generator(),
            paths: Map::new(),
        }
    }

    /// Starts describing the operation `method path`.
    pub fn op(&mut self, method: &'static str, path: &'static str, id: &'static str, tag: &'static str) -> Op<'_> {
        let mut operation = Map::new();
        operation.insert("operationId".into(), id.into());
        operation.insert("tags".into(), json!([tag]));
        Op { api: self, method, path, operation, parameters: Vec::new(), responses: Map::new() }
    }

    /// The schema of a type as the server reads it (a reference for named types).
    pub fn read<T: JsonSchema>(&mut self) -> Value {
        self.requests.subschema_for::<T>().to_value()
    }

    /// The schema of a type as the server writes it (a reference for named types).
    pub fn written<T: JsonSchema>(&mut self) -> Value {
        self.responses.subschema_for::<T>().to_value()
    }
}

/// One operation being described; `done` adds it to the document.
pub struct Op<'a> {
    api: &'a mut Api,
    method: &'static str,
    path: &'static str,
    operation: Map<String, Value>,
    parameters: Vec<Value>,
    responses: Map<String, Value>,
}

impl Op<'_> {
    pub fn summary(mut self, text: &str) -> Self {
        self.operation.insert("summary".into(), text.into());
        self
    }

    pub fn description(mut self, text: &str) -> Self {
        self.operation.insert("description".into(), text.into());
        self
    }

    /// Who may call it, with the refusals that follow: 401 without a login, 403 for the
    /// Enterprise routes, 403 (CSRF) for every state-changing call.
    pub fn access(mut self, access: Access) -> Self {
        let security = if access == Access::Public { json!([]) } else { json!([{ "cookieAuth": [] }]) };
        self.operation.insert("security".into(), security);
        if access != Access::Public {
            self = self.error(401, "");
        }
        if self.method != "get" {
            self = self.error(403, "");
        }
        match access {
            Access::Enterprise => self.error_as(403, "EnterpriseForbidden", ""),
            Access::Manager => self.error_as(403, "ManagerForbidden", ""),
            Access::Public | Access::Login => self,
        }
    }

    /// A numeric id in the path (anything else, or an id nobody may see, is 404).
    pub fn id(mut self, name: &str, description: &str) -> Self {
        self.parameters.push(json!({
            "name": name,
            "in": "path",
            "required": true,
            "description": format!("{description} (non-numeric: 404)."),
            "schema": id_schema(),
        }));
        self.error(404, "")
    }

    /// Another path or query parameter.
    pub fn param(mut self, name: &str, location: &str, required: bool, description: &str, schema: Value) -> Self {
        self.parameters.push(json!({
            "name": name,
            "in": location,
            "required": required,
            "description": description,
            "schema": schema,
        }));
        self
    }

    /// A JSON body of type `T`, with the refusals of a JSON body: 400 (malformed), 413 (too
    /// large), 415 (not JSON), 422 (a field missing, mistyped or invalid).
    pub fn json_body<T: JsonSchema>(mut self) -> Self {
        let schema = self.api.read::<T>();
        self.operation.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": schema } } }),
        );
        self.error(400, "").error(413, "").error(415, "").error(422, "")
    }

    /// The body may be left out (or blank).
    pub fn optional_body(mut self) -> Self {
        if let Some(body) = self.operation.get_mut("requestBody") {
            body["required"] = false.into();
        }
        self
    }

    /// A body of another kind (`media_type`), described by `schema`.
    pub fn body(mut self, media_type: &str, schema: Value) -> Self {
        self.operation
            .insert("requestBody".into(), json!({ "required": true, "content": { media_type: { "schema": schema } } }));
        self
    }

    /// A success with a JSON body of type `T`.
    pub fn ok<T: JsonSchema>(self, status: u16, description: &str) -> Self {
        let schema = self.api.written::<T>();
        self.reply(status, description, Some(("application/json", schema)))
    }

    /// A success with a JSON array of `T`.
    pub fn ok_list<T: JsonSchema>(self, status: u16, description: &str) -> Self {
        let schema = json!({ "type": "array", "items": self.api.written::<T>() });
        self.reply(status, description, Some(("application/json", schema)))
    }

    /// A response given in full.
    pub fn reply(mut self, status: u16, description: &str, content: Option<(&str, Value)>) -> Self {
        let mut response = json!({ "description": description });
        if let Some((media_type, schema)) = content {
            response["content"] = json!({ media_type: { "schema": schema } });
        }
        self.responses.insert(status.to_string(), response);
        self
    }

    /// Adds a header to the response `status` (already described).
    pub fn header(mut self, status: u16, name: &str, description: &str) -> Self {
        if let Some(response) = self.responses.get_mut(&status.to_string()) {
            response["headers"][name] = json!({ "description": description, "schema": { "type": "string" } });
        }
        self
    }

    /// An error, by its status, with what it means here (empty: the common meaning).
    pub fn error(self, status: u16, note: &str) -> Self {
        let name = match status {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "Unprocessable",
            429 => "TooManyRequests",
            503 => "Unavailable",
            _ => "InternalError",
        };
        self.error_as(status, name, note)
    }

    /// An error given by one of the common responses.
    pub fn error_as(mut self, status: u16, name: &str, note: &str) -> Self {
        let mut response = json!({ "$ref": format!("#/components/responses/{name}") });
        if !note.is_empty() {
            response["description"] = note.into();
        }
        self.responses.insert(status.to_string(), response);
        self
    }

    /// Adds the operation to the document (with 500, which any call may get).
    pub fn done(mut self) {
        if !self.responses.contains_key("500") {
            self = self.error(500, "");
        }
        if !self.parameters.is_empty() {
            self.operation.insert("parameters".into(), Value::Array(self.parameters));
        }
        let mut responses: Vec<(String, Value)> = self.responses.into_iter().collect();
        responses.sort_by(|a, b| a.0.cmp(&b.0));
        self.operation.insert("responses".into(), Value::Object(responses.into_iter().collect()));
        let path = self.api.paths.entry(self.path).or_insert_with(|| json!({}));
        path[self.method] = Value::Object(self.operation);
    }
}

/// An id the server hands out: positive, and exact in JavaScript (at most 2^53 − 1).
pub fn id_schema() -> Value {
    json!({ "type": "integer", "format": "int64", "minimum": 1, "maximum": super::MAX_ID })
}

/// The errors every operation refers to, each with the `Error` body (`{"detail": "..."}`).
fn common_responses() -> Value {
    let error = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": format!("{SCHEMAS}Error") } } },
        })
    };
    let upsell_or_error = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "oneOf": [
                { "$ref": format!("{SCHEMAS}Upsell") },
                { "$ref": format!("{SCHEMAS}Error") },
            ] } } },
        })
    };
    let retry_after = json!({ "Retry-After": {
        "description": "Seconds to wait.",
        "schema": { "type": "integer", "minimum": 1 },
    } });
    let mut too_many = error("Too many attempts; retry after the given delay.");
    too_many["headers"] = retry_after.clone();
    let mut overloaded =
        error("Too much work waits already (password hashing, call analyses): retry after the given delay.");
    overloaded["headers"] = retry_after;
    json!({
        "BadRequest": error("Malformed JSON, an unreadable body or query string."),
        "Unauthorized": error("No valid login session (missing, expired or revoked `replique_session` cookie)."),
        "Forbidden": error("Refused: CSRF check failed (cross-site Origin or Sec-Fetch-Site, or neither a JSON Content-Type nor a valid X-CSRF-Token), or not allowed."),
        "NotFound": error("Not found, or owned by another user or organisation."),
        "Conflict": error("The resource's state does not allow this (e.g. the session has ended or changed meanwhile)."),
        "PayloadTooLarge": error("Request body or a field is too large (JSON bodies: 64 KiB)."),
        "UnsupportedMediaType": error("Body is not of the expected media type."),
        "Unprocessable": error("Well-formed but invalid data (missing or mistyped field, value out of range, control characters)."),
        "TooManyRequests": too_many,
        "Quota": error("A daily LLM allowance is used up (resets at 00:00 UTC)."),
        "Unavailable": error("A service the request needs (speech synthesis, transcription) is off or failing."),
        "Overloaded": overloaded,
        "UpgradeRequired": error("The connection cannot be upgraded to a WebSocket."),
        "InternalError": error("Internal error (logged; generic message)."),
        "EnterpriseForbidden": upsell_or_error("CSRF check failed, or not on the Enterprise plan (`Upsell` body with `upgrade_url`), or Enterprise but in no organisation (`Error` body)."),
        "ManagerForbidden": upsell_or_error("CSRF check failed, or not on the Enterprise plan (`Upsell` body with `upgrade_url`), or Enterprise but in no organisation, or a learner of the organisation: only managers upload, analyse and delete champions (`Error` body)."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        document(&Catalog::embedded().expect("catalogue"))
    }

    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match v.as_str() {
                        Some(target) if key == "$ref" => found.push(target),
                        _ => refs(v, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves_and_every_schema_has_one_name() {
        let doc = doc();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(found.len() > 100, "{}", found.len());
        for target in found {
            let pointer = target.strip_prefix('#').expect("local reference");
            assert!(doc.pointer(pointer).is_some(), "{target} does not resolve");
        }
        for name in doc["components"]["schemas"].as_object().expect("schemas").keys() {
            // schemars numbers a second type of the same name; a request's form that differs
            // from the response's is renamed `...Input`: both would be surprises.
            assert!(!name.ends_with(|c: char| c.is_ascii_digit()) && !name.ends_with("Input"), "{name}");
        }
    }

    #[test]
    fn every_operation_has_a_success_the_errors_and_its_path_parameters() {
        let doc = doc();
        for (path, operations) in doc["paths"].as_object().expect("paths") {
            for (method, op) in operations.as_object().expect("operations") {
                let responses = op["responses"].as_object().expect("responses");
                assert!(responses.keys().any(|s| s.starts_with('2') || s == "101"), "{method} {path}");
                assert!(responses.contains_key("500"), "{method} {path}");
                if method != "get" {
                    assert!(responses.contains_key("403"), "{method} {path}: the CSRF refusal");
                }
                if op["security"] != json!([]) {
                    assert!(responses.contains_key("401"), "{method} {path}");
                }
                let declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .map(|ps| ps.iter().filter(|p| p["in"] == "path").filter_map(|p| p["name"].as_str()).collect())
                    .unwrap_or_default();
                for piece in path.split('/').filter_map(|p| p.strip_prefix('{')?.strip_suffix('}')) {
                    assert!(declared.contains(&piece), "{method} {path}: {piece}");
                }
                for p in op["parameters"].as_array().into_iter().flatten() {
                    if p["name"] == "id" || p["name"] == "champion_id" {
                        assert_eq!(p["schema"], id_schema(), "{method} {path}");
                    }
                }
            }
        }
    }

    #[test]
    fn request_schemas_hold_the_server_s_limits() {
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        let register = &schemas["RegisterRequest"]["properties"];
        assert_eq!(register["password"]["minLength"], replique_core::account::Password::MIN_CHARS);
        assert_eq!(register["password"]["maxLength"], replique_core::account::Password::MAX_CHARS);
        assert_eq!(register["email"]["maxLength"], 254);
        assert_eq!(register["name"]["maxLength"], 80);
        let pattern = register["email"]["pattern"].as_str().expect("email pattern");
        assert!(pattern.contains('@'));
        for request in ["RespondRequest", "ChampionTrainingRespondRequest"] {
            let message = &schemas[request]["properties"]["message"];
            assert_eq!(message["minLength"], 1, "{request}");
            assert_eq!(message["maxLength"], crate::message::MAX_MESSAGE_CHARS, "{request}");
            assert_eq!(message["pattern"], crate::message::LETTER_PATTERN, "{request}");
        }
        let start = &schemas["StartRequest"]["properties"];
        assert_eq!(start["seed"]["maximum"], crate::seed::MAX_SEED);
        assert_eq!(start["skill"]["minLength"], 1);
        assert!(start["skill"]["enum"].as_array().is_some_and(|e| e.contains(&json!("ecoute_active"))));
        assert!(start["sector"]["enum"].as_array().is_some_and(|e| e.contains(&json!("generic"))));
        for (request, field) in [
            ("ChampionTrainingStartRequest", "champion_id"),
            ("ChampionTrainingRespondRequest", "session_id"),
            ("ChampionTrainingEndRequest", "session_id"),
        ] {
            let id = &schemas[request]["properties"][field];
            assert_eq!((&id["minimum"], &id["maximum"]), (&json!(1), &json!(crate::api::MAX_ID)), "{request}");
        }
        let upload = &schemas["ChampionUpload"]["properties"];
        assert_eq!((&upload["name"]["minLength"], &upload["name"]["maxLength"]), (&json!(1), &json!(120)));
    }
}
