//! The catalogue: skills, sectors, products and scenario templates, parsed from the JSON
//! files under `content/` (embedded at build time, see `build.rs`) and checked as a whole.
//!
//! Parsing only: reading files from disk is the caller's business, so this module stays
//! pure. `Catalog::from_files` takes (path, contents) pairs and reports every problem with
//! its file, its JSON path and a plain explanation.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod adapt;
mod check;
mod types;

pub use adapt::{
    AdaptedScenario, HiddenObjection, PersonView, ProductTier, ScenarioError, adapt_scenario_to_sector,
    load_scenario_template, template_for_sector,
};
pub use types::*;

include!(concat!(env!("OUT_DIR"), "/embedded_content.rs"));

/// The whole catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub skills: Vec<Skill>,
    pub sectors: Vec<Sector>,
    pub products: Vec<ProductFile>,
    pub templates: Vec<Template>,
}

/// A problem found in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CatalogError {
    /// Path of the file relative to the content root, e.g. `templates/negociation/negociation_1.json`.
    pub file: String,
    /// JSON path inside the file, e.g. `scenario_flow.objectives[1].met_when.patterns[0]`;
    /// empty for the file as a whole.
    pub path: String,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.message)
        }
    }
}

impl std::error::Error for CatalogError {}

/// The kinds of catalogue file, by top directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Skill,
    Sector,
    Product,
    Template,
}

impl FileKind {
    pub fn of(path: &str) -> Option<Self> {
        match path.split('/').next() {
            Some("skills") => Some(FileKind::Skill),
            Some("sectors") => Some(FileKind::Sector),
            Some("products") => Some(FileKind::Product),
            Some("templates") => Some(FileKind::Template),
            _ => None,
        }
    }
}

impl Catalog {
    /// The catalogue compiled into the binary.
    pub fn embedded() -> Result<Self, Vec<CatalogError>> {
        Self::from_files(EMBEDDED.iter().map(|(p, c)| (*p, *c)))
    }

    /// The embedded files, as (path, contents), for callers that overlay their own.
    pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static str)> {
        EMBEDDED.iter().map(|(p, c)| (*p, *c))
    }

    /// Parses catalogue files given as (path relative to the content root, contents):
    /// `skills/*.json`, `sectors/*.json`, `products/*.json`, `templates/<skill>/*.json`.
    /// Every problem is reported, sorted by file.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Vec<CatalogError>> {
        let mut catalog = Catalog::default();
        let mut errors = Vec::new();
        let mut origins = Origins::default();
        for (path, contents) in files {
            let Some(kind) = FileKind::of(path) else {
                errors.push(CatalogError {
                    file: path.to_owned(),
                    path: String::new(),
                    message: "not a catalogue file: expected skills/, sectors/, products/ or templates/<skill>/".into(),
                });
                continue;
            };
            let parsed = match kind {
                FileKind::Skill => parse::<Skill>(path, contents).map(|s| {
                    origins.skills.insert(s.slug.clone(), path.to_owned());
                    catalog.skills.push(s);
                }),
                FileKind::Sector => parse::<Sector>(path, contents).map(|s| {
                    origins.sectors.insert(s.slug.clone(), path.to_owned());
                    catalog.sectors.push(s);
                }),
                FileKind::Product => parse::<ProductFile>(path, contents).map(|p| {
                    origins.products.insert(p.slug.clone(), path.to_owned());
                    catalog.products.push(p);
                }),
                FileKind::Template => parse_template(path, contents).map(|t| {
                    origins.templates.insert(t.template_id.clone(), path.to_owned());
                    catalog.templates.push(t);
                }),
            };
            if let Err(e) = parsed {
                errors.push(e);
            }
        }
        catalog.skills.sort_by(|a, b| (a.level, a.order, &a.slug).cmp(&(b.level, b.order, &b.slug)));
        catalog.sectors.sort_by(|a, b| a.slug.cmp(&b.slug));
        catalog.products.sort_by(|a, b| a.slug.cmp(&b.slug));
        catalog.templates.sort_by_key(|t| natural_key(&t.template_id));
        errors.extend(check::check(&catalog, &origins));
        errors.sort();
        errors.dedup();
        if errors.is_empty() { Ok(catalog) } else { Err(errors) }
    }

    /// The catalogue as files again (path, JSON), e.g. to check one more file against it.
    pub fn to_files(&self) -> Vec<(String, String)> {
        let json = |v: &dyn erased::Json| v.to_json();
        let mut files = Vec::new();
        files.extend(self.skills.iter().map(|s| (format!("skills/{}.json", s.slug), json(s))));
        files.extend(self.sectors.iter().map(|s| (format!("sectors/{}.json", s.slug), json(s))));
        files.extend(self.products.iter().map(|p| (format!("products/{}.json", p.slug), json(p))));
        files.extend(
            self.templates.iter().map(|t| (format!("templates/{}/{}.json", t.skill_slug, t.template_id), json(t))),
        );
        files
    }

    pub fn skill(&self, slug: &str) -> Option<&Skill> {
        self.skills.iter().find(|s| s.slug == slug)
    }

    pub fn sector(&self, slug: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.slug == slug)
    }

    pub fn product(&self, slug: &str) -> Option<&ProductFile> {
        self.products.iter().find(|p| p.slug == slug)
    }

    pub fn template(&self, template_id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.template_id == template_id)
    }

    /// Templates of a skill, in id order.
    pub fn templates_for<'a>(&'a self, skill_slug: &'a str) -> impl Iterator<Item = &'a Template> + 'a {
        self.templates.iter().filter(move |t| t.skill_slug == skill_slug)
    }

    /// The sectors a skill can be practised in: those one of its templates truly fits
    /// (issue 13: never a wine cooperative for a learner who picked insurance).
    pub fn sectors_for(&self, skill_slug: &str) -> Vec<&Sector> {
        self.sectors.iter().filter(|s| self.templates_for(skill_slug).any(|t| t.fits(&s.slug))).collect()
    }

    /// A template's product sheet, proof and competition, resolving a product reference.
    pub fn resolve_product<'a>(
        &'a self,
        template: &'a Template,
    ) -> Option<(&'a ProductInfo, &'a Proof, &'a Competition)> {
        match &template.product {
            ProductRef::Inline(info) => Some((info, template.proof.as_ref()?, template.competition.as_ref()?)),
            ProductRef::Slug(slug) => {
                let file = self.product(slug)?;
                Some((
                    &file.product,
                    template.proof.as_ref().unwrap_or(&file.proof),
                    template.competition.as_ref().unwrap_or(&file.competition),
                ))
            }
        }
    }
}

/// Which file each id came from, for error messages.
#[derive(Debug, Default)]
pub(crate) struct Origins {
    pub skills: BTreeMap<String, String>,
    pub sectors: BTreeMap<String, String>,
    pub products: BTreeMap<String, String>,
    pub templates: BTreeMap<String, String>,
}

impl Origins {
    pub fn template_file(&self, t: &Template) -> String {
        self.templates
            .get(&t.template_id)
            .cloned()
            .unwrap_or_else(|| format!("templates/{}/{}.json", t.skill_slug, t.template_id))
    }
}

/// "negociation_10" after "negociation_9".
fn natural_key(id: &str) -> (String, u32) {
    match id.rsplit_once('_') {
        Some((stem, n)) if n.chars().all(|c| c.is_ascii_digit()) => (stem.to_owned(), n.parse().unwrap_or(0)),
        _ => (id.to_owned(), 0),
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, contents: &str) -> Result<T, CatalogError> {
    let mut de = serde_json::Deserializer::from_str(contents);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => de.end().map(|()| value).map_err(|e| syntax_error(file, &e)),
        Err(e) => {
            let path = json_path(e.path());
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Err(syntax_error(file, &inner))
            } else {
                let (path, message) = locate(path, &inner.to_string());
                Err(CatalogError { file: file.to_owned(), path, message })
            }
        }
    }
}

fn syntax_error(file: &str, e: &serde_json::Error) -> CatalogError {
    CatalogError {
        file: file.to_owned(),
        path: String::new(),
        message: format!(
            "invalid JSON at line {}, column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ),
    }
}

/// A template, with precise paths inside the two "one of" fields (`product`, `prospect`).
fn parse_template(file: &str, contents: &str) -> Result<Template, CatalogError> {
    parse::<Template>(file, contents).map_err(|e| {
        if !e.message.contains("did not match any variant") {
            return e;
        }
        // Re-parse the ambiguous field as the variant its shape announces, to say what is
        // wrong inside it.
        let Ok(value) = serde_json::from_str::<serde_json::Value>(contents) else { return e };
        let field = e.path.split(['.', '[']).next().unwrap_or_default().to_owned();
        let Some(inner) = value.get(&field) else { return e };
        let sub = match field.as_str() {
            "prospect" if inner.get("gatekeeper").is_some() => sub_error::<Gatekept>(inner),
            "prospect" => sub_error::<Person>(inner),
            "product" if inner.is_object() => sub_error::<ProductInfo>(inner),
            "product" => Some((String::new(), "expected a product slug (string) or a product sheet (object)".into())),
            _ => None,
        };
        match sub {
            Some((path, message)) => CatalogError {
                file: file.to_owned(),
                path: if path.is_empty() { field } else { format!("{field}.{path}") },
                message,
            },
            None => e,
        }
    })
}

fn sub_error<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value).err().map(|e| {
        let path = json_path(e.path());
        locate(path, &e.into_inner().to_string())
    })
}

/// `a.b[2].c`, or empty for the root.
fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } | serde_path_to_error::Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    if out == "." { String::new() } else { out }
}

/// The path and message of a data error; a missing field is located at the field itself.
fn locate(path: String, message: &str) -> (String, String) {
    let message = strip_position(message);
    if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        let path = if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") };
        (path, "missing field: this field is required".into())
    } else {
        (path, explain(&message))
    }
}

/// serde's messages, made plainer.
fn explain(message: &str) -> String {
    let message = strip_position(message);
    if let Some(field) = message.strip_prefix("missing field ") {
        format!("missing field {field}: this field is required")
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!("unknown field {field} (a typo?); allowed here: {expected}")
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        format!("wrong type: {rest}")
    } else {
        message
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Ids that appear more than once, with how many times.
pub(crate) fn duplicates<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut twice = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            twice.insert(id);
        }
    }
    twice
}

mod erased {
    /// Serialising catalogue values of different types through one function.
    pub trait Json {
        fn to_json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests;
