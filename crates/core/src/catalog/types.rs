//! The serde types of catalogue files. Field names follow the seed's template structure;
//! every struct refuses unknown fields so a typo is reported, not ignored.
//! `schemars` derives the JSON Schemas shipped under `schema/`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::level::Level;

/// A free-form map, as the seed uses for pricing, support, stats and the like.
pub type TextMap = BTreeMap<String, serde_json::Value>;

/// `content/skills/<slug>.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub slug: String,
    pub level: Level,
    /// Position in the course (skills are listed by level, then by this).
    #[serde(default)]
    pub order: u32,
    pub title: String,
    /// The situation practised, e.g. "Découverte".
    pub context: String,
    /// The kind of prospect met, e.g. "Bavard".
    pub prospect_type: String,
    pub lesson: Lesson,
}

/// The short course attached to a skill.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub method: String,
    pub summary: String,
    pub what_good_looks_like: Vec<String>,
    pub common_mistakes: Vec<String>,
    pub example_lines: Vec<String>,
    /// Pattern ids (SPEC 5.2) this skill is scored on.
    pub scored_patterns: Vec<String>,
}

/// `content/sectors/<slug>.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub slug: String,
    pub name: String,
    pub personas: Vec<SectorPersona>,
    pub vocabulary: Vec<String>,
    pub typical_objections: Vec<String>,
    pub agent_context_prompt: String,
    /// Includes `prospect_difficile`, used at expert level.
    pub scenario_adaptations: BTreeMap<String, String>,
    pub market_context: String,
    pub default_product: DefaultProduct,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectorPersona {
    pub name: String,
    pub role: String,
    pub personality: String,
    pub psychology: Psychology,
    pub hidden_objections: Vec<String>,
    pub conversion_triggers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Psychology {
    /// One of the SÉDAIÉ profiles: securitaire, econome, dominant, affectif, innovateur,
    /// expressif.
    pub profile: String,
    pub traits: Vec<String>,
    pub communication_style: String,
}

/// The seed's `SECTOR_DEFAULT_PRODUCTS` entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultProduct {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value_proposition: String,
}

/// `content/products/<slug>.json`: a product with its proof and competition (seed phase 1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductFile {
    pub slug: String,
    pub category: String,
    pub product: ProductInfo,
    pub proof: Proof,
    pub competition: Competition,
}

/// The seed's `ProductInfo`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInfo {
    pub name: String,
    pub tagline: String,
    pub how_it_works: HowItWorks,
    pub integrations: Vec<String>,
    /// Onboarding, support hours, SLA... (the seed's `support_included`).
    #[serde(alias = "support_included")]
    pub support: TextMap,
    /// model, entry_price, popular_plan, enterprise, engagement, free_trial...
    pub pricing: TextMap,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HowItWorks {
    pub summary: String,
    pub key_features: Vec<String>,
    pub technical_requirements: String,
    pub implementation_time: String,
}

/// The seed's `ProofElements`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    pub testimonials: Vec<Testimonial>,
    pub case_studies: Vec<CaseStudy>,
    pub stats: TextMap,
    pub notable_clients: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Testimonial {
    pub name: String,
    pub role: String,
    pub company: String,
    pub quote: String,
    pub result: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub client: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    pub problem: String,
    pub solution: String,
    pub results: TextMap,
}

/// The seed's `CompetitionInfo`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Competition {
    pub main_competitors: Vec<Competitor>,
    pub our_differentiator: String,
    pub switch_cost: TextMap,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Competitor {
    pub name: String,
    pub positioning: String,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub price_comparison: String,
}

/// A template's product: the slug of a file in `content/products/`, or the sheet itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum ProductRef {
    Slug(String),
    Inline(Box<ProductInfo>),
}

/// `content/templates/<skill_slug>/<template_id>.json`: the seed's template structure plus
/// what the engine needs to play it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub template_id: String,
    pub skill_slug: String,
    pub name: String,
    pub description: String,
    /// A product slug (`content/products/`) or an inline product sheet.
    pub product: ProductRef,
    /// Required with an inline product; defaults to the product file's otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// Required with an inline product; defaults to the product file's otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competition: Option<Competition>,
    pub prospect: ProspectSpec,
    /// Who weighs on the decision (required for `cartographie_decideurs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org_chart: Vec<OrgChartEntry>,
    pub scenario_flow: ScenarioFlow,
    pub conversation_rules: ConversationRules,
    /// Where the interest gauge starts (0-100) before the difficulty adjustment.
    pub starting_gauge: u8,
    /// What the prospect can tell when asked well, in their own words.
    pub facts: Vec<Fact>,
    /// Objections the prospect raises, each with what really lies behind it. The session
    /// keeps 1, 2 or 3 of them (easy, medium, expert).
    pub objections: Vec<Objection>,
    /// Interruptions played at medium and expert levels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Voice settings for this template (see the voice issue); free-form for now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_config: Option<serde_json::Value>,
    /// The sectors (slugs) whose learners this scenario truly fits: its company, its
    /// prospect and its product belong to them. Empty: every sector (older files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
}

impl Template {
    /// Whether the scenario fits a learner of this sector (see `sectors`).
    pub fn fits(&self, sector: &str) -> bool {
        self.sectors.is_empty() || self.sectors.iter().any(|s| s == sector)
    }
}

/// One person, or a gatekeeper who guards the decision-maker (cold calling).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum ProspectSpec {
    Gatekept(Gatekept),
    Single(Person),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gatekept {
    pub gatekeeper: Gatekeeper,
    pub decision_maker: Person,
}

/// The person the learner sells to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub company: String,
    pub company_size: String,
    pub sector: String,
    pub personality: String,
    pub current_situation: String,
    pub pain_points: Vec<String>,
    pub hidden_need: String,
    /// A SÉDAIÉ profile the template imposes (profils_psychologiques); otherwise the
    /// sector persona's applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psychology: Option<Psychology>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gatekeeper {
    pub name: String,
    pub role: String,
    pub personality: String,
    pub typical_responses: Vec<String>,
    /// What makes the gatekeeper put the call through (said to the learner in the report).
    pub passes_when: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgChartEntry {
    pub name: String,
    pub role: String,
    /// décideur, financier, prescripteur, utilisateur, influenceur, sponsor, opposant.
    pub buying_role: String,
    /// For, against or undecided, and why.
    pub stance: String,
    pub stake: String,
    /// Whether this person takes part in the conversation.
    #[serde(default)]
    pub present: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFlow {
    pub opening: Opening,
    pub objectives: Vec<Objective>,
    pub success_criteria: Vec<String>,
    pub difficulty_modifiers: BTreeMap<Level, TextMap>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// The prospect's first words (templates without a gatekeeper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prospect_first_response: Option<String>,
    /// The gatekeeper's first words (templates with a gatekeeper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gatekeeper_first_response: Option<String>,
    /// What the learner knows before the call, shown on the session page.
    pub context: String,
}

/// An objective, with the condition that says it was met.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub text: String,
    pub met_when: MetWhen,
}

/// Every condition given must hold. All references are checked by `catalog check`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetWhen {
    /// Pattern ids the learner must show at least once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    /// Discovery items (COMPIR / BEBEDC) the learner must ask about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discovery: Vec<String>,
    /// Fact topics the prospect must have revealed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
    /// The prospect let out the key fact (`columbo_only`), which only a Columbo question earns.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub key_fact: bool,
    /// Objection ids whose hidden side must have been uncovered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections_uncovered: Vec<String>,
    /// The prospect accepted a next step or the sale.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub converted: bool,
    /// The gatekeeper put the learner through.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reached_decision_maker: bool,
    /// The gauge ended at least this high.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gauge_at_least: Option<u8>,
    /// Words the learner must say, one of them at least (a reference the objective names:
    /// "en citant Aquitaine Échafaudage"), matched on whole words, accents and case aside.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub said: Vec<String>,
    /// Faults (pattern ids) that keep the objective unmet once shown: the "sans…" of its
    /// text ("sans jamais l'interrompre": `interruption`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationRules {
    pub end_triggers: Vec<String>,
    pub min_exchanges: u32,
    pub max_exchanges: u32,
    pub auto_end_enabled: bool,
}

/// One thing the prospect knows about their own situation, said in the first person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The discovery item it answers (see `DISCOVERY_ITEMS`).
    pub topic: String,
    pub line: String,
    /// The key fact a Columbo question earns: the prospect lets it out only to a candid
    /// "une dernière question…" asked once they have relaxed, never to a plain question.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub columbo_only: bool,
    /// A detail of the prospect's situation (who does what, which tool, how many): told
    /// only to a question that asks for it in so many words, never offered to a vague
    /// question, and not one of the facts the score counts as uncovered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub detail: bool,
    /// What a learner's question about this fact talks of: words and short phrases
    /// ("facture", "consommation", "combien ça vous coûte"), matched on stems. The prospect
    /// answers the fact whose cues best match the question (issue 12).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
    /// Questions a seller would ask that this fact answers, in their own words ("Vos
    /// commerciaux, ils sont combien ?"): the prospect answers the fact whose example
    /// questions come closest to the learner's (issue 13: answer what was asked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// What the prospect cannot know until the learner has said it: words and short phrases
    /// (any of them, matched on stems in the learner's lines so far) that must come first
    /// ("erreur", "oubli" for a client who has not been told of the error yet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

/// The discovery items of METHODS.md (COMPIR, then BEBEDC's others).
pub const DISCOVERY_ITEMS: &[&str] = &[
    "contexte",
    "objectifs",
    "moyens",
    "problemes",
    "implications",
    "resultats",
    "besoin",
    "enjeux",
    "budget",
    "echeance",
    "decideur",
    "concurrence",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// Unique within the template, e.g. "prix".
    pub id: String,
    /// What the prospect says.
    pub surface: String,
    /// What really holds them back.
    pub hidden: String,
    /// How the prospect says the hidden part once the learner has dug.
    pub hidden_line: String,
    /// Words that, said by the learner after the surface objection, count as digging
    /// toward this hidden objection (besides the generic CNZ questions).
    pub discovery_cues: Vec<String>,
    /// What, in the learner's lines, brings the prospect to raise this objection (words
    /// and short phrases, matched on stems: "prix", "engagement", "devis").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
    /// How a learner could have uncovered it (shown in the report).
    pub discovery_tip: String,
    /// What the prospect cannot object before the learner has said it (see `Fact::after`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    /// The exchange after which it happens.
    pub at_exchange: u32,
    /// The lowest level that plays it (medium or expert).
    pub min_level: Level,
    /// What the prospect says when it happens (annotations allowed, e.g. "(le téléphone sonne)").
    pub line: String,
    /// Pattern ids that show the learner handled it well.
    pub handled_by: Vec<String>,
    /// Someone who joins and speaks to the learner (a director who asks a question): they
    /// answer the learner's next turn themselves, under their own name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<Guest>,
}

/// A third person an event brings in, who says one line of their own to the learner's
/// next turn, then leaves the floor to the prospect.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guest {
    /// Their name, as the transcript shows it ("Paul Halbert").
    pub name: String,
    /// "male" or "female", for the voice.
    pub gender: String,
    /// What they say when the learner gave them what they asked for (one of the event's
    /// `handled_by` patterns, a benefit, a proof or a figure).
    pub convinced: String,
    /// What they say when the learner asks them a question without giving them any of
    /// that: a short answer in their role, then they hand back to the prospect.
    pub asked: String,
    /// What they say otherwise.
    pub unconvinced: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    PhoneCall,
    ColleagueWalksIn,
    TimePressure,
    DecisionMakerJoins,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::PhoneCall => "phone_call",
            EventKind::ColleagueWalksIn => "colleague_walks_in",
            EventKind::TimePressure => "time_pressure",
            EventKind::DecisionMakerJoins => "decision_maker_joins",
        }
    }

    /// The French label shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::PhoneCall => "Appel téléphonique",
            EventKind::ColleagueWalksIn => "Un collègue entre",
            EventKind::TimePressure => "Pression du temps",
            EventKind::DecisionMakerJoins => "Un décideur se joint",
        }
    }
}
