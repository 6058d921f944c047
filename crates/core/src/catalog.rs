//! The catalogue: skills, sectors and scenario templates, as typed values parsed from the
//! JSON files under `content/` (embedded at build time, see `build.rs`).
//!
//! Parsing only: reading files from disk is the caller's business, so this module stays
//! pure. `Catalog::from_files` takes (path, contents) pairs and reports every problem with
//! the file it came from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::level::Level;

include!(concat!(env!("OUT_DIR"), "/embedded_content.rs"));

/// A free-form string map, as the seed uses for pricing, support, stats and the like.
pub type TextMap = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub slug: String,
    pub level: Level,
    pub title: String,
    /// The situation practised, e.g. "Découverte".
    pub context: String,
    /// The kind of prospect met, e.g. "Bavard".
    pub prospect_type: String,
    pub lesson: Lesson,
}

/// The short course attached to a skill.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub method: String,
    pub summary: String,
    pub what_good_looks_like: Vec<String>,
    pub common_mistakes: Vec<String>,
    pub example_lines: Vec<String>,
    /// Pattern ids (see `analysis::PatternId`) this skill is scored on.
    pub scored_patterns: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub slug: String,
    pub name: String,
    pub personas: Vec<Persona>,
    pub vocabulary: Vec<String>,
    pub typical_objections: Vec<String>,
    pub agent_context_prompt: String,
    pub scenario_adaptations: TextMap,
    pub market_context: String,
    pub default_product: DefaultProduct,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub name: String,
    pub role: String,
    pub personality: String,
    pub psychology: Psychology,
    pub hidden_objections: Vec<String>,
    pub conversion_triggers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Psychology {
    /// One of the SÉDAIÉ profiles: securitaire, econome, dominant, affectif, innovateur,
    /// expressif.
    pub profile: String,
    pub traits: Vec<String>,
    pub communication_style: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DefaultProduct {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value_proposition: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub template_id: String,
    pub skill_slug: String,
    pub name: String,
    pub description: String,
    pub product: Product,
    pub proof: Proof,
    pub competition: Competition,
    pub prospect: Prospect,
    pub scenario_flow: ScenarioFlow,
    pub conversation_rules: ConversationRules,
    /// Where the interest gauge starts (0-100) before difficulty adjustments.
    pub starting_gauge: u8,
    /// What the prospect can tell when asked well, in their own words.
    pub facts: Vec<Fact>,
    /// Objections the prospect raises, each with what really lies behind it.
    pub objections: Vec<Objection>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub tagline: String,
    pub how_it_works: HowItWorks,
    pub integrations: Vec<String>,
    pub support: TextMap,
    pub pricing: TextMap,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HowItWorks {
    pub summary: String,
    pub key_features: Vec<String>,
    pub technical_requirements: String,
    pub implementation_time: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    pub testimonials: Vec<Testimonial>,
    pub case_studies: Vec<CaseStudy>,
    pub stats: TextMap,
    pub notable_clients: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Testimonial {
    pub name: String,
    pub role: String,
    pub company: String,
    pub quote: String,
    pub result: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub client: String,
    #[serde(default)]
    pub sector: Option<String>,
    pub problem: String,
    pub solution: String,
    pub results: TextMap,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Competition {
    pub main_competitors: Vec<Competitor>,
    pub our_differentiator: String,
    pub switch_cost: TextMap,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Competitor {
    pub name: String,
    pub positioning: String,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub price_comparison: String,
}

/// The person the learner talks to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Prospect {
    pub name: String,
    pub role: String,
    pub company: String,
    pub company_size: String,
    pub sector: String,
    pub personality: String,
    pub current_situation: String,
    pub pain_points: Vec<String>,
    pub hidden_need: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFlow {
    pub opening: Opening,
    pub objectives: Vec<String>,
    pub success_criteria: Vec<String>,
    pub difficulty_modifiers: BTreeMap<Level, TextMap>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// The prospect's first words when the conversation starts.
    pub prospect_first_response: String,
    /// What the learner knows before the call, shown on the session page.
    pub context: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConversationRules {
    pub end_triggers: Vec<String>,
    pub min_exchanges: u32,
    pub max_exchanges: u32,
    pub auto_end_enabled: bool,
}

/// One thing the prospect knows about their own situation, said in the first person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The discovery item it answers (COMPIR / BEBEDC vocabulary, see METHODS.md):
    /// contexte, objectifs, moyens, problemes, implications, resultats, besoin, enjeux,
    /// budget, echeance, decideur, concurrence.
    pub topic: String,
    pub line: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// What the prospect says.
    pub surface: String,
    /// What really holds them back, revealed only when the learner digs.
    pub hidden: String,
    /// How the prospect says the hidden part once it is earned.
    pub hidden_line: String,
    /// How a learner could have uncovered it (shown in the report).
    pub discovery_tip: String,
}

/// The whole catalogue, indexed by slug / id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub skills: Vec<Skill>,
    pub sectors: Vec<Sector>,
    pub templates: Vec<Template>,
}

/// A problem found while reading catalogue files.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CatalogError {
    pub file: String,
    pub message: String,
}

impl Catalog {
    /// The catalogue compiled into the binary.
    pub fn embedded() -> Result<Self, Vec<CatalogError>> {
        Self::from_files(EMBEDDED.iter().map(|(p, c)| (*p, *c)))
    }

    /// Parses catalogue files given as (path relative to the content root, contents).
    /// `skills/*.json`, `sectors/*.json` and `templates/<skill>/*.json` are recognised;
    /// every problem is reported, not just the first.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Vec<CatalogError>> {
        let mut catalog = Catalog::default();
        let mut errors = Vec::new();
        for (path, contents) in files {
            let err = |message: String| CatalogError { file: path.to_owned(), message };
            let result = match path.split('/').next() {
                Some("skills") => parse(contents).map(|s| catalog.skills.push(s)),
                Some("sectors") => parse(contents).map(|s| catalog.sectors.push(s)),
                Some("templates") => parse(contents).map(|t| catalog.templates.push(t)),
                _ => Ok(()),
            };
            if let Err(message) = result {
                errors.push(err(message));
            }
        }
        catalog.skills.sort_by(|a, b| (a.level, &a.slug).cmp(&(b.level, &b.slug)));
        catalog.sectors.sort_by(|a, b| a.slug.cmp(&b.slug));
        catalog.templates.sort_by(|a, b| a.template_id.cmp(&b.template_id));
        errors.extend(catalog.check());
        if errors.is_empty() { Ok(catalog) } else { Err(errors) }
    }

    /// Cross-file checks: duplicates and dangling references.
    fn check(&self) -> Vec<CatalogError> {
        let mut errors = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.templates {
            let file = format!("templates/{}/{}.json", t.skill_slug, t.template_id);
            if !seen.insert(t.template_id.as_str()) {
                errors.push(CatalogError {
                    file: file.clone(),
                    message: format!("template_id {:?} is used twice", t.template_id),
                });
            }
            if self.skill(&t.skill_slug).is_none() {
                errors.push(CatalogError {
                    file: file.clone(),
                    message: format!("skill_slug {:?} names no skill", t.skill_slug),
                });
            }
            let rules = &t.conversation_rules;
            if rules.min_exchanges == 0 || rules.min_exchanges > rules.max_exchanges {
                errors.push(CatalogError {
                    file: file.clone(),
                    message: "conversation_rules: need 1 <= min_exchanges <= max_exchanges".into(),
                });
            }
            if t.starting_gauge > 100 {
                errors.push(CatalogError { file, message: "starting_gauge must be between 0 and 100".into() });
            }
        }
        for s in &self.sectors {
            if s.personas.is_empty() {
                errors.push(CatalogError {
                    file: format!("sectors/{}.json", s.slug),
                    message: "a sector needs at least one persona".into(),
                });
            }
        }
        errors
    }

    pub fn skill(&self, slug: &str) -> Option<&Skill> {
        self.skills.iter().find(|s| s.slug == slug)
    }

    pub fn sector(&self, slug: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.slug == slug)
    }

    pub fn template(&self, template_id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.template_id == template_id)
    }

    /// Templates of a skill, in id order.
    pub fn templates_for<'a>(&'a self, skill_slug: &'a str) -> impl Iterator<Item = &'a Template> + 'a {
        self.templates.iter().filter(move |t| t.skill_slug == skill_slug)
    }
}

fn parse<T: serde::de::DeserializeOwned>(contents: &str) -> Result<T, String> {
    serde_json::from_str(contents).map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_parses_and_is_coherent() {
        let catalog = Catalog::embedded().unwrap_or_else(|errors| {
            panic!("catalogue errors:\n{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        });
        assert!(catalog.skills.len() >= 2, "at least two skills");
        assert!(!catalog.sectors.is_empty(), "at least one sector");
        for skill in &catalog.skills {
            assert!(catalog.templates_for(&skill.slug).count() >= 1, "{} has a template", skill.slug);
        }
        for t in &catalog.templates {
            assert!(!t.facts.is_empty(), "{} has facts", t.template_id);
            assert!(!t.objections.is_empty(), "{} has objections", t.template_id);
        }
    }

    #[test]
    fn a_broken_file_is_reported_with_its_path_and_line() {
        let errors = Catalog::from_files([("skills/x.json", "{\n \"slug\": 3 }")]).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "skills/x.json");
        assert!(errors[0].message.contains("line 2"), "{}", errors[0].message);
    }

    #[test]
    fn a_template_for_an_unknown_skill_is_an_error() {
        let catalog = Catalog::embedded().expect("embedded catalogue");
        let mut t = catalog.templates[0].clone();
        t.skill_slug = "nope".into();
        t.template_id = "nope_1".into();
        let json = serde_json::to_string(&t).expect("serialise");
        let errors = Catalog::from_files([("templates/nope/nope_1.json", json.as_str())]).unwrap_err();
        assert!(errors.iter().any(|e| e.message.contains("names no skill")), "{errors:?}");
    }
}
