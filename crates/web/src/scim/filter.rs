//! What a list request asks for: the `filter` (RFC 7644 §3.4.2.2; the equality filters
//! identity providers send, `userName eq "..."`, `displayName eq "..."`, `externalId eq
//! "..."`), and the page (`startIndex`, 1-based, and `count`).

use std::collections::HashMap;

use replique_store::{TeamFilter, UserFilter};
use serde_json::Value;

use super::ScimError;

/// Resources per page when `count` is not given, and at most.
pub const MAX_COUNT: i64 = 200;

/// A comparison `attribute eq value`: the attribute path in lowercase (without its schema
/// URN, `emails[type eq "work"].value` as `emails.value`), the value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equality {
    pub attribute: String,
    pub value: String,
}

/// The page asked for: the 1-based index of the first resource and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub start_index: i64,
    pub count: i64,
}

impl Page {
    /// From `startIndex` and `count` (RFC 7644 §3.4.2.4: below 1 means 1; a negative count
    /// means 0; past the maximum, the maximum).
    pub fn from_query(query: &HashMap<String, String>) -> Result<Self, ScimError> {
        let number = |name: &str, default: i64| -> Result<i64, ScimError> {
            match query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                None => Ok(default),
                Some((_, v)) => v
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| ScimError::bad("invalidValue", format!("« {name} » doit être un nombre entier."))),
            }
        };
        Ok(Page {
            start_index: number("startIndex", 1)?.max(1),
            count: number("count", MAX_COUNT)?.clamp(0, MAX_COUNT),
        })
    }

    pub fn offset(self) -> i64 {
        self.start_index - 1
    }
}

/// The `filter` parameter, if any.
pub fn from_query(query: &HashMap<String, String>) -> Result<Option<Equality>, ScimError> {
    match query.iter().find(|(k, _)| k.eq_ignore_ascii_case("filter")) {
        None => Ok(None),
        Some((_, f)) if f.trim().is_empty() => Ok(None),
        Some((_, f)) => parse(f).map(Some),
    }
}

fn invalid(detail: &str) -> ScimError {
    ScimError::bad("invalidFilter", detail)
}

/// Reads `attribute eq value`; other operators and combinations are refused (invalidFilter).
pub fn parse(filter: &str) -> Result<Equality, ScimError> {
    let filter = filter.trim();
    if filter.len() > 1024 {
        return Err(invalid("Filtre trop long."));
    }
    // The attribute path ends at the first space outside brackets.
    let mut depth = 0usize;
    let mut end = filter.len();
    for (i, c) in filter.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let (path, rest) = filter.split_at(end);
    let rest = rest.trim_start();
    let (operator, value) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !operator.eq_ignore_ascii_case("eq") {
        return Err(invalid("Seuls les filtres d’égalité sont pris en charge : attribut eq \"valeur\"."));
    }
    let value = value.trim();
    let value = match serde_json::from_str::<Value>(value) {
        Ok(Value::String(s)) => s,
        Ok(Value::Bool(b)) => b.to_string(),
        Ok(Value::Number(n)) => n.to_string(),
        _ => return Err(invalid("Valeur de filtre illisible : une chaîne entre guillemets est attendue.")),
    };
    Ok(Equality { attribute: attribute_path(path), value })
}

/// An attribute path in lowercase, without its core schema URN and with any value filter
/// (`emails[type eq "work"].value` → `emails.value`).
pub fn attribute_path(path: &str) -> String {
    let lower = path.trim().to_ascii_lowercase();
    let lower = [super::USER_SCHEMA, super::GROUP_SCHEMA]
        .iter()
        .find_map(|urn| lower.strip_prefix(&format!("{}:", urn.to_ascii_lowercase())).map(str::to_owned))
        .unwrap_or(lower);
    match (lower.find('['), lower.rfind(']')) {
        (Some(open), Some(close)) if close > open => format!("{}{}", &lower[..open], &lower[close + 1..]),
        _ => lower,
    }
}

/// The store's filter for a list of users.
pub fn users(filter: Option<Equality>) -> Result<Option<UserFilter>, ScimError> {
    let Some(Equality { attribute, value }) = filter else { return Ok(None) };
    Ok(Some(match attribute.as_str() {
        "username" => UserFilter::UserName(value.to_lowercase()),
        "externalid" => UserFilter::ExternalId(value),
        "emails" | "emails.value" => UserFilter::Email(value.trim().to_lowercase()),
        // An id this server never gave matches nobody.
        "id" => UserFilter::Id(value.parse().unwrap_or(0)),
        _ => return Err(invalid("Filtre possible sur userName, externalId, emails ou id.")),
    }))
}

/// The store's filter for a list of groups.
pub fn groups(filter: Option<Equality>) -> Result<Option<TeamFilter>, ScimError> {
    let Some(Equality { attribute, value }) = filter else { return Ok(None) };
    Ok(Some(match attribute.as_str() {
        "displayname" => TeamFilter::DisplayName(value.to_lowercase()),
        "externalid" => TeamFilter::ExternalId(value),
        "id" => TeamFilter::Id(value.parse().unwrap_or(0)),
        _ => return Err(invalid("Filtre possible sur displayName, externalId ou id.")),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_filters_as_providers_send_them() {
        let f = parse(r#"userName eq "Test_User_00aa00aa-bb11-cc22-dd33-eeeeee000000""#).expect("entra");
        assert_eq!(f.attribute, "username");
        assert_eq!(f.value, "Test_User_00aa00aa-bb11-cc22-dd33-eeeeee000000");
        let f = parse(r#"userName eq "john.doe@example.com""#).expect("okta");
        assert_eq!(f.value, "john.doe@example.com");
        let f = parse(r#"DISPLAYNAME EQ "Ventes \"Ouest\"""#).expect("escaped quotes");
        assert_eq!((f.attribute.as_str(), f.value.as_str()), ("displayname", "Ventes \"Ouest\""));
        let f = parse(r#"emails[type eq "work"].value eq "a@b.fr""#).expect("value filter");
        assert_eq!(f.attribute, "emails.value");
        let f = parse(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x""#).expect("urn");
        assert_eq!(f.attribute, "username");
    }

    #[test]
    fn other_filters_are_refused() {
        for bad in [
            r#"userName co "a""#,
            r#"userName eq "a" and active eq true"#,
            "userName eq",
            "userName",
            r#"userName eq 'a'"#,
        ] {
            let e = parse(bad).and_then(|f| users(Some(f))).expect_err(bad);
            assert_eq!(e.status().as_u16(), 400, "{bad}");
        }
        assert!(users(Some(parse(r#"title eq "x""#).expect("parses"))).is_err());
    }

    #[test]
    fn pages_are_bounded() {
        let query = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        assert_eq!(Page::from_query(&query(&[])).expect("default"), Page { start_index: 1, count: MAX_COUNT });
        let page = Page::from_query(&query(&[("startIndex", "0"), ("count", "-3")])).expect("clamped");
        assert_eq!(page, Page { start_index: 1, count: 0 });
        assert_eq!(Page::from_query(&query(&[("count", "100000")])).expect("max").count, MAX_COUNT);
        assert!(Page::from_query(&query(&[("startIndex", "un")])).is_err());
    }
}
