//! PATCH (RFC 7644 §3.5.2) as identity providers send it, applied to a resource's JSON:
//! `add`, `replace` and `remove` (in any case: Entra writes `Replace`), with a path
//! (`active`, `name.familyName`, `emails[type eq "work"].value`, `members[value eq "12"]`,
//! an extension's `urn:...:attribute`) or without one (a value object, as Okta's
//! `{"op": "replace", "value": {"active": false}}`). Attribute names match whatever their
//! case. The patched document is then read like a PUT's, so both say the same.

use serde_json::{Map, Value};

use super::{ScimError, attribute, filter};

/// Operations in one request, at most.
const MAX_OPERATIONS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Add,
    Replace,
    Remove,
}

/// Where an operation applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// The attribute (for an extension, its schema URN).
    pub attribute: String,
    /// Elements of a multi-valued attribute: `[sub eq "value"]`.
    pub selector: Option<filter::Equality>,
    /// A sub-attribute.
    pub sub: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: Kind,
    pub path: Option<Path>,
    pub value: Option<Value>,
}

/// The operations of a PATCH body.
pub fn operations(body: &Value) -> Result<Vec<Operation>, ScimError> {
    let Some(Value::Array(list)) = attribute(body, "Operations") else {
        return Err(ScimError::bad("invalidSyntax", "« Operations » (une liste d’opérations) est attendu."));
    };
    if list.is_empty() || list.len() > MAX_OPERATIONS {
        return Err(ScimError::bad("invalidSyntax", "Entre 1 et 1 000 opérations par requête."));
    }
    list.iter()
        .map(|op| {
            let kind = match attribute(op, "op").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                Some("add") => Kind::Add,
                Some("replace") => Kind::Replace,
                Some("remove") => Kind::Remove,
                _ => return Err(ScimError::bad("invalidSyntax", "« op » vaut add, replace ou remove.")),
            };
            let path = match attribute(op, "path") {
                None => None,
                Some(Value::String(p)) if p.trim().is_empty() => None,
                Some(Value::String(p)) => Some(parse_path(p)?),
                Some(_) => return Err(ScimError::bad("invalidPath", "« path » doit être une chaîne.")),
            };
            let value = attribute(op, "value").cloned();
            match (kind, &path, &value) {
                (Kind::Remove, None, _) => Err(ScimError::bad("noTarget", "Un « remove » doit avoir un « path ».")),
                (Kind::Add | Kind::Replace, _, None) => {
                    Err(ScimError::bad("invalidValue", "Un « add » ou un « replace » doit avoir une « value »."))
                }
                (Kind::Add | Kind::Replace, None, Some(v)) if !v.is_object() => {
                    Err(ScimError::bad("invalidValue", "Sans « path », la « value » doit être un objet."))
                }
                _ => Ok(Operation { kind, path, value }),
            }
        })
        .collect()
}

/// Reads a path: `attr`, `attr.sub`, `attr[sub eq "v"]`, `attr[sub eq "v"].sub`, each
/// possibly after its schema URN.
pub fn parse_path(raw: &str) -> Result<Path, ScimError> {
    let raw = raw.trim();
    let invalid = || ScimError::bad("invalidPath", format!("Chemin illisible : « {raw} »."));
    let lower = raw.to_ascii_lowercase();
    let core = [super::USER_SCHEMA, super::GROUP_SCHEMA]
        .iter()
        .find_map(|urn| lower.starts_with(&format!("{}:", urn.to_ascii_lowercase())).then(|| &raw[urn.len() + 1..]));
    let rest = match core {
        Some(rest) => rest,
        // An extension's attribute: the URN is the attribute, what follows its last colon
        // the sub-attribute (`urn:...:enterprise:2.0:User:manager`).
        None if lower.starts_with("urn:") => {
            let (urn, sub) = raw.rsplit_once(':').ok_or_else(invalid)?;
            return Ok(Path { attribute: urn.to_owned(), selector: None, sub: Some(sub.to_owned()) });
        }
        None => raw,
    };
    let (head, sub) = match (rest.find('['), rest.rfind(']')) {
        (Some(open), Some(close)) if close > open => {
            let selector = filter::parse(&rest[open + 1..close]).map_err(|_| invalid())?;
            let after = &rest[close + 1..];
            let sub = match after.strip_prefix('.') {
                Some(sub) if !sub.is_empty() => Some(sub.to_owned()),
                None if after.is_empty() => None,
                _ => return Err(invalid()),
            };
            return Ok(Path { attribute: rest[..open].to_owned(), selector: Some(selector), sub });
        }
        (None, None) => match rest.split_once('.') {
            Some((head, sub)) => (head, Some(sub.to_owned())),
            None => (rest, None),
        },
        _ => return Err(invalid()),
    };
    if head.is_empty() || sub.as_deref() == Some("") {
        return Err(invalid());
    }
    Ok(Path { attribute: head.to_owned(), selector: None, sub })
}

/// The key of `name` in `map` whatever its case, or `name` for a new one.
fn key(map: &Map<String, Value>, name: &str) -> String {
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned().unwrap_or_else(|| name.to_owned())
}

/// Whether an element of a multi-valued attribute matches `[attribute eq value]`
/// (compared without case, as `type`; ids are digits).
fn selects(element: &Value, selector: &filter::Equality) -> bool {
    let Some(found) =
        element.as_object().and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(&selector.attribute)))
    else {
        return false;
    };
    match found.1 {
        Value::String(s) => s.eq_ignore_ascii_case(&selector.value),
        Value::Bool(b) => b.to_string() == selector.value.to_ascii_lowercase(),
        Value::Number(n) => n.to_string() == selector.value,
        _ => false,
    }
}

/// Applies the operations in order to `doc`, a resource as this server renders it.
pub fn apply(doc: &mut Value, operations: &[Operation]) -> Result<(), ScimError> {
    let Value::Object(map) = doc else { return Err(ScimError::bad("invalidSyntax", "Ressource illisible.")) };
    for op in operations {
        match (&op.path, &op.value) {
            (None, Some(Value::Object(values))) => {
                for (name, value) in values {
                    set(map, name, value.clone(), op.kind == Kind::Add);
                }
            }
            (Some(path), value) => apply_at(map, path, op.kind, value.clone())?,
            (None, _) => return Err(ScimError::bad("noTarget", "Opération sans cible.")),
        }
    }
    Ok(())
}

/// Sets an attribute: `add` appends to a multi-valued one and merges a complex one;
/// `replace` replaces.
fn set(map: &mut Map<String, Value>, name: &str, value: Value, add: bool) {
    let key = key(map, name);
    match (map.get_mut(&key), value) {
        (Some(Value::Array(items)), Value::Array(new)) if add => {
            for item in new {
                if !items.contains(&item) {
                    items.push(item);
                }
            }
        }
        (Some(Value::Array(items)), item) if add && !item.is_array() => {
            if !items.contains(&item) {
                items.push(item);
            }
        }
        (Some(Value::Object(existing)), Value::Object(new)) => {
            for (name, value) in new {
                let sub = self::key(existing, &name);
                existing.insert(sub, value);
            }
        }
        (_, value) => {
            map.insert(key, value);
        }
    }
}

fn apply_at(map: &mut Map<String, Value>, path: &Path, kind: Kind, value: Option<Value>) -> Result<(), ScimError> {
    let key = key(map, &path.attribute);
    match (&path.selector, &path.sub, kind) {
        (None, None, Kind::Remove) => match (map.get_mut(&key), value) {
            // Entra removes members by listing them as the value.
            (Some(Value::Array(items)), Some(Value::Array(gone))) => {
                let ids: Vec<&Value> = gone.iter().filter_map(|g| attribute(g, "value")).collect();
                items.retain(|item| attribute(item, "value").is_none_or(|v| !ids.contains(&v)));
            }
            _ => {
                map.remove(&key);
            }
        },
        (None, None, _) => set(map, &path.attribute, value.unwrap_or(Value::Null), kind == Kind::Add),
        (None, Some(sub), _) => {
            let entry = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                let sub_key = self::key(inner, sub);
                match value {
                    Some(v) if kind != Kind::Remove => {
                        inner.insert(sub_key, v);
                    }
                    _ => {
                        inner.remove(&sub_key);
                    }
                }
            }
        }
        (Some(selector), sub, _) => {
            let entry = map.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            if !entry.is_array() {
                *entry = Value::Array(Vec::new());
            }
            let Value::Array(items) = entry else { return Ok(()) };
            match (sub, kind) {
                (None, Kind::Remove) => items.retain(|item| !selects(item, selector)),
                (Some(sub), Kind::Remove) => {
                    for item in items.iter_mut().filter(|item| selects(item, selector)) {
                        if let Value::Object(o) = item {
                            let sub_key = self::key(o, sub);
                            o.remove(&sub_key);
                        }
                    }
                }
                (None, _) => {
                    let Some(Value::Object(new)) = value else {
                        return Err(ScimError::bad("invalidValue", "Un élément doit être un objet."));
                    };
                    for item in items.iter_mut().filter(|item| selects(item, selector)) {
                        if let Value::Object(o) = item {
                            for (name, v) in &new {
                                let sub_key = self::key(o, name);
                                o.insert(sub_key, v.clone());
                            }
                        }
                    }
                }
                (Some(sub), _) => {
                    let value = value.unwrap_or(Value::Null);
                    let mut matched = false;
                    for item in items.iter_mut().filter(|item| selects(item, selector)) {
                        if let Value::Object(o) = item {
                            let sub_key = self::key(o, sub);
                            o.insert(sub_key, value.clone());
                            matched = true;
                        }
                    }
                    // Entra sets `emails[type eq "work"].value` on a user without one: the
                    // element the selector describes is created.
                    if !matched {
                        let mut element = Map::new();
                        element.insert(selector.attribute.clone(), Value::String(selector.value.clone()));
                        element.insert(sub.clone(), value);
                        items.push(Value::Object(element));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn patched(mut doc: Value, body: Value) -> Value {
        apply(&mut doc, &operations(&body).expect("operations")).expect("applied");
        doc
    }

    #[test]
    fn okta_and_entra_forms() {
        let user = json!({"userName": "a@b.fr", "active": true, "name": {"givenName": "A", "familyName": "B"},
            "emails": [{"value": "a@b.fr", "type": "work", "primary": true}]});
        let okta = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"active": false}}]});
        assert_eq!(patched(user.clone(), okta)["active"], false);
        let entra = json!({"Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
        assert_eq!(patched(user.clone(), entra)["active"], "False");
        let entra = json!({"Operations": [
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "c@d.fr"},
            {"op": "Replace", "path": "name.familyName", "value": "Durand"},
            {"op": "Add", "path": "externalId", "value": "e-1"}]});
        let doc = patched(user.clone(), entra);
        assert_eq!(doc["emails"][0]["value"], "c@d.fr");
        assert_eq!(doc["name"], json!({"givenName": "A", "familyName": "Durand"}));
        assert_eq!(doc["externalId"], "e-1");
        let okta = json!({"Operations": [{"op": "replace", "value": {"name": {"givenName": "Zoé"}, "EMAILS": [{"value": "z@b.fr", "primary": true}]}}]});
        let doc = patched(user, okta);
        assert_eq!(doc["name"]["givenName"], "Zoé");
        assert_eq!(doc["name"]["familyName"], "B", "a complex attribute is merged");
        assert_eq!(doc["emails"], json!([{"value": "z@b.fr", "primary": true}]));
    }

    #[test]
    fn members_are_added_and_removed_both_ways() {
        let group = json!({"displayName": "Ventes", "members": [{"value": "1"}, {"value": "2"}]});
        let add = json!({"Operations": [{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "3"}]}]});
        assert_eq!(patched(group.clone(), add)["members"].as_array().map(Vec::len), Some(3));
        let entra = json!({"Operations": [{"op": "Remove", "path": "members", "value": [{"value": "1"}]}]});
        assert_eq!(patched(group.clone(), entra)["members"], json!([{"value": "2"}]));
        let okta = json!({"Operations": [{"op": "remove", "path": "members[value eq \"2\"]"}]});
        assert_eq!(patched(group, okta)["members"], json!([{"value": "1"}]));
    }

    #[test]
    fn malformed_operations_are_refused() {
        for body in [
            json!({}),
            json!({"Operations": []}),
            json!({"Operations": [{"op": "move", "path": "active", "value": true}]}),
            json!({"Operations": [{"op": "remove"}]}),
            json!({"Operations": [{"op": "replace", "path": "active"}]}),
            json!({"Operations": [{"op": "replace", "value": false}]}),
            json!({"Operations": [{"op": "replace", "path": "emails[type eq", "value": "x"}]}),
        ] {
            assert!(operations(&body).is_err(), "{body}");
        }
    }
}
