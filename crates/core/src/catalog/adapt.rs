//! Loading a template and adapting it to a sector and a difficulty without any network
//! (seed phase 5, SPEC 3.4). Deterministic: every random choice comes from the seed.

use serde::{Deserialize, Serialize};

use super::{
    Catalog, Competition, Event, Fact, Gatekeeper, Objection, OrgChartEntry, ProductInfo, Proof, ProspectSpec,
    Psychology, ScenarioFlow, Template, TextMap,
};
use crate::analysis::{ScenarioTopics, TopicSource};
use crate::catalog::ConversationRules;
use crate::level::Level;
use crate::rng::SessionRng;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("compétence inconnue : {0}")]
    UnknownSkill(String),
    #[error("secteur inconnu : {0}")]
    UnknownSector(String),
    #[error("scénario inconnu pour cette compétence : {0}")]
    UnknownVariant(String),
    #[error(
        "le secteur « {sector} » n’est pas proposé pour cette compétence : aucun de ses scénarios ne s’y déroule (secteurs proposés : {offered})"
    )]
    SectorNotOffered { skill: String, sector: String, offered: String },
    #[error("aucun scénario disponible pour la compétence {0}")]
    NoTemplate(String),
    #[error("le produit du scénario {0} est introuvable")]
    MissingProduct(String),
}

/// How much of the product the scenario carries (SPEC 3.4's generic → adapted → specific):
/// the essentials at easy level (three features, three integrations), the full sheet from
/// medium up; at expert level the prospect also knows the competition in detail, which the
/// engine uses to press harder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductTier {
    Generic,
    Adapted,
    Specific,
}

/// The person the learner talks to, with the psychology the session gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub name: String,
    pub role: String,
    pub company: String,
    pub company_size: String,
    pub sector: String,
    pub personality: String,
    pub current_situation: String,
    pub pain_points: Vec<String>,
    pub hidden_need: String,
    pub psychology: Psychology,
}

/// An objection the prospect will raise in this session, with what hides behind it.
pub type HiddenObjection = Objection;

/// A template set in a sector at a difficulty: what the engine plays and what `catalog
/// show` prints. The seed's adaptation keys are at the top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptedScenario {
    pub template_id: String,
    pub skill_slug: String,
    pub skill_title: String,
    pub name: String,
    pub description: String,
    pub sector: String,
    pub sector_name: String,
    pub level: Level,
    pub seed: u64,
    pub product: ProductInfo,
    /// The shared product file, when the template refers to one.
    pub product_slug: Option<String>,
    pub product_tier: ProductTier,
    pub proof: Proof,
    pub competition: Competition,
    pub prospect: PersonView,
    /// The gatekeeper to get past first (cold calling).
    pub gatekeeper: Option<Gatekeeper>,
    /// The sector persona whose psychology and triggers the prospect takes on.
    pub sector_persona: String,
    /// The objections of this session (1, 2 or 3 by difficulty), hidden side included.
    pub hidden_objections: Vec<HiddenObjection>,
    /// What the persona keeps to themselves, from the sector.
    pub persona_hidden_objections: Vec<String>,
    /// The sector's typical objections, for colour.
    pub possible_objections: Vec<String>,
    pub sector_vocabulary: Vec<String>,
    pub conversion_triggers: Vec<String>,
    pub agent_context_prompt: String,
    /// The sector's `prospect_difficile` adaptation, at expert level.
    pub difficulty_context: Option<String>,
    pub market_context: String,
    /// The template's modifiers for this level.
    pub difficulty_modifier: TextMap,
    pub scenario_flow: ScenarioFlow,
    pub conversation_rules: ConversationRules,
    pub starting_gauge: u8,
    pub facts: Vec<Fact>,
    /// The events of this level (none at easy level).
    pub events: Vec<Event>,
    pub org_chart: Vec<OrgChartEntry>,
    /// The template's `voice_config` overrides (see `voice::VoiceConfig::for_template`).
    pub voice_config: Option<serde_json::Value>,
    /// What the reading needs of the scenario, stemmed once on first use (a scenario is not
    /// changed once played).
    #[serde(skip)]
    pub topics_cache: std::sync::OnceLock<std::sync::Arc<ScenarioTopics>>,
}

impl AdaptedScenario {
    /// The scenario's facts, objections and vocabulary as the turn reading uses them.
    pub fn topics(&self) -> &ScenarioTopics {
        self.topics_cache.get_or_init(|| {
            let p = &self.prospect;
            let mut texts: Vec<&str> = vec![
                &p.name,
                &p.role,
                &p.company,
                &p.company_size,
                &p.sector,
                &p.current_situation,
                &p.hidden_need,
                &self.product.name,
                &self.product.tagline,
                &self.product.how_it_works.summary,
            ];
            texts.extend(p.pain_points.iter().map(String::as_str));
            texts.extend(self.product.how_it_works.key_features.iter().map(String::as_str));
            texts.extend(self.competition.main_competitors.iter().map(|c| c.name.as_str()));
            texts.extend(self.sector_vocabulary.iter().map(String::as_str));
            texts.extend(self.org_chart.iter().map(|e| e.name.as_str()));
            texts.extend(self.proof.testimonials.iter().flat_map(|t| [t.name.as_str(), t.company.as_str()]));
            texts.extend(self.proof.case_studies.iter().map(|c| c.client.as_str()));
            texts.extend(self.proof.notable_clients.iter().map(String::as_str));
            if let Some(g) = &self.gatekeeper {
                texts.push(&g.name);
            }
            let source = TopicSource {
                facts: self.facts.iter().map(|f| (f.topic.as_str(), f.cues.as_slice(), f.line.as_str())).collect(),
                objections: self
                    .hidden_objections
                    .iter()
                    .map(|o| (o.cues.as_slice(), o.discovery_cues.as_slice(), o.surface.as_str()))
                    .collect(),
                texts,
                details: self.facts.iter().map(|f| f.detail).collect(),
                questions: self.facts.iter().map(|f| f.questions.as_slice()).collect(),
            };
            shared_topics(&source)
        })
    }

    /// The prospect's (or gatekeeper's) first words.
    pub fn opening_line(&self) -> &str {
        let o = &self.scenario_flow.opening;
        o.gatekeeper_first_response.as_deref().or(o.prospect_first_response.as_deref()).unwrap_or_default()
    }
}

/// The topics of a scenario, shared by every session whose scenario has the same text (a
/// template played again at the same level and sector): reading the cues is the costliest
/// part of starting a session. Bounded: a full cache starts over.
fn shared_topics(source: &TopicSource<'_>) -> std::sync::Arc<ScenarioTopics> {
    use std::hash::{Hash, Hasher};
    type Cache = std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<ScenarioTopics>>>;
    static CACHE: std::sync::LazyLock<Cache> = std::sync::LazyLock::new(Default::default);
    let mut hasher = std::hash::DefaultHasher::new();
    (&source.facts, &source.objections, &source.texts, &source.details, &source.questions).hash(&mut hasher);
    let key = hasher.finish();
    let lock = || CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(topics) = lock().get(&key) {
        return std::sync::Arc::clone(topics);
    }
    let topics = std::sync::Arc::new(ScenarioTopics::build(source));
    let mut cache = lock();
    if cache.len() >= 512 {
        cache.clear();
    }
    cache.insert(key, std::sync::Arc::clone(&topics));
    topics
}

/// The template's flow for a session that keeps only `kept` objections: an objective cannot
/// ask to uncover an objection the prospect will never raise; one left with no condition
/// is dropped.
fn session_flow(template: &Template, kept: &[Objection]) -> ScenarioFlow {
    let mut flow = template.scenario_flow.clone();
    for objective in &mut flow.objectives {
        objective.met_when.objections_uncovered.retain(|id| kept.iter().any(|o| &o.id == id));
    }
    flow.objectives.retain(|o| o.met_when != super::MetWhen::default());
    flow
}

/// The template to play: the given variant, or one drawn from the seed.
/// A template of the skill that fits the sector: the given variant (which must fit), or
/// one drawn from the seed among those that fit.
pub fn template_for_sector<'a>(
    catalog: &'a Catalog,
    skill: &str,
    sector: &str,
    variant: Option<&str>,
    seed: u64,
) -> Result<&'a Template, ScenarioError> {
    let not_offered = || ScenarioError::SectorNotOffered {
        skill: skill.to_owned(),
        sector: sector.to_owned(),
        offered: catalog.sectors_for(skill).iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", "),
    };
    if variant.is_some() {
        let template = load_scenario_template(catalog, skill, variant, seed)?;
        return if template.fits(sector) { Ok(template) } else { Err(not_offered()) };
    }
    catalog.skill(skill).ok_or_else(|| ScenarioError::UnknownSkill(skill.to_owned()))?;
    let fitting: Vec<&Template> =
        catalog.templates.iter().filter(|t| t.skill_slug == skill && t.fits(sector)).collect();
    if fitting.is_empty() {
        return Err(if !catalog.templates.iter().any(|t| t.skill_slug == skill) {
            ScenarioError::NoTemplate(skill.to_owned())
        } else {
            not_offered()
        });
    }
    Ok(fitting[SessionRng::new(seed ^ 0x5EED_7E3A).below(fitting.len())])
}

pub fn load_scenario_template<'a>(
    catalog: &'a Catalog,
    skill: &str,
    variant: Option<&str>,
    seed: u64,
) -> Result<&'a Template, ScenarioError> {
    catalog.skill(skill).ok_or_else(|| ScenarioError::UnknownSkill(skill.to_owned()))?;
    let templates: Vec<&Template> = catalog.templates.iter().filter(|t| t.skill_slug == skill).collect();
    match variant {
        Some(id) => templates
            .into_iter()
            .find(|t| t.template_id == id)
            .ok_or_else(|| ScenarioError::UnknownVariant(id.to_owned())),
        None if templates.is_empty() => Err(ScenarioError::NoTemplate(skill.to_owned())),
        None => Ok(templates[SessionRng::new(seed ^ 0x5EED_7E3A).below(templates.len())]),
    }
}

/// How many of the template's objections a session keeps.
pub fn objections_for(level: Level) -> usize {
    match level {
        Level::Easy => 1,
        Level::Medium => 2,
        Level::Expert => 3,
    }
}

/// Sets a template in a sector at a difficulty (the seed's `adapt_scenario_to_sector`).
pub fn adapt_scenario_to_sector(
    catalog: &Catalog,
    template: &Template,
    sector: &str,
    level: Level,
    seed: u64,
) -> Result<AdaptedScenario, ScenarioError> {
    let sector_info = catalog.sector(sector).ok_or_else(|| ScenarioError::UnknownSector(sector.to_owned()))?;
    let skill =
        catalog.skill(&template.skill_slug).ok_or_else(|| ScenarioError::UnknownSkill(template.skill_slug.clone()))?;
    let (product, proof, competition) =
        catalog.resolve_product(template).ok_or_else(|| ScenarioError::MissingProduct(template.template_id.clone()))?;
    let mut rng = SessionRng::new(seed);

    // 1. A persona of the sector, drawn from the seed, lends its psychology and triggers.
    let persona = sector_info
        .personas
        .get(rng.below(sector_info.personas.len()))
        .ok_or_else(|| ScenarioError::UnknownSector(sector.to_owned()))?;
    let (person, gatekeeper) = match &template.prospect {
        ProspectSpec::Single(p) => (p, None),
        ProspectSpec::Gatekept(g) => (&g.decision_maker, Some(g.gatekeeper.clone())),
    };
    let prospect = PersonView {
        name: person.name.clone(),
        role: person.role.clone(),
        company: person.company.clone(),
        company_size: person.company_size.clone(),
        sector: person.sector.clone(),
        personality: person.personality.clone(),
        current_situation: person.current_situation.clone(),
        pain_points: person.pain_points.clone(),
        hidden_need: person.hidden_need.clone(),
        // A template that is about a profile keeps it; otherwise the persona's applies.
        psychology: person.psychology.clone().unwrap_or_else(|| persona.psychology.clone()),
    };

    // 2-5. Objections kept by difficulty; the sector's and the persona's for colour.
    let kept = objections_for(level).min(template.objections.len());
    let hidden_objections = template.objections[..kept].to_vec();
    let scenario_flow = session_flow(template, &hidden_objections);

    // 6-7. The product, with as much detail as the level calls for.
    let product_tier = match level {
        Level::Easy => ProductTier::Generic,
        Level::Medium => ProductTier::Adapted,
        Level::Expert => ProductTier::Specific,
    };
    let mut product = product.clone();
    if product_tier == ProductTier::Generic {
        product.how_it_works.key_features.truncate(3);
        product.integrations.truncate(3);
    }

    Ok(AdaptedScenario {
        template_id: template.template_id.clone(),
        skill_slug: skill.slug.clone(),
        skill_title: skill.title.clone(),
        name: template.name.clone(),
        description: template.description.clone(),
        sector: sector_info.slug.clone(),
        sector_name: sector_info.name.clone(),
        level,
        seed,
        product,
        product_slug: match &template.product {
            super::ProductRef::Slug(slug) => Some(slug.clone()),
            super::ProductRef::Inline(_) => None,
        },
        product_tier,
        proof: proof.clone(),
        competition: competition.clone(),
        prospect,
        gatekeeper,
        sector_persona: format!("{} ({})", persona.name, persona.role),
        hidden_objections,
        persona_hidden_objections: persona.hidden_objections.clone(),
        possible_objections: sector_info.typical_objections.clone(),
        sector_vocabulary: sector_info.vocabulary.clone(),
        conversion_triggers: persona.conversion_triggers.clone(),
        agent_context_prompt: sector_info.agent_context_prompt.clone(),
        difficulty_context: (level == Level::Expert)
            .then(|| sector_info.scenario_adaptations.get("prospect_difficile").cloned())
            .flatten(),
        market_context: sector_info.market_context.clone(),
        difficulty_modifier: template.scenario_flow.difficulty_modifiers.get(&level).cloned().unwrap_or_default(),
        scenario_flow,
        conversation_rules: template.conversation_rules.clone(),
        starting_gauge: template.starting_gauge,
        facts: template.facts.clone(),
        events: template.events.iter().filter(|e| level >= e.min_level && level != Level::Easy).cloned().collect(),
        org_chart: template.org_chart.clone(),
        voice_config: template.voice_config.clone(),
        topics_cache: std::sync::OnceLock::new(),
    })
}

#[cfg(test)]
mod tests {
    use crate::Level;
    use crate::catalog::Catalog;

    #[test]
    fn sessions_of_the_same_scenario_text_share_their_topics() {
        let catalog = Catalog::embedded().expect("catalogue");
        let play = |skill: &str, level, variant, seed| {
            crate::engine::scenario(&catalog, skill, "generic", level, variant, seed).expect("scenario")
        };
        let a = play("decouverte_compir", Level::Medium, Some("decouverte_compir_1"), 1);
        let b = play("decouverte_compir", Level::Medium, Some("decouverte_compir_1"), 1);
        assert!(std::ptr::eq(a.topics(), b.topics()));
        assert_eq!(a.topics().facts.len(), a.facts.len());
        let other = play("negociation", Level::Expert, None, 1);
        assert!(!std::ptr::eq(a.topics(), other.topics()));
        assert_eq!(other.topics().facts.len(), other.facts.len());
    }
}
