//! Analysis of a learner turn (SPEC 5.2, issue 12): a reading of the turn in its context
//! (`reading`: what each sentence does, what it is about, whether it is relevant and new),
//! then the patterns a trainer would see in it (`patterns`), each with the learner's whole
//! sentence as evidence (`evidence`). The French it understands is in `lexicon` (cue
//! phrases) and `topics` (stemmed topic words, the scenario's facts and objections).
//!
//! Pure and deterministic: a function of the turn and of what came before (`TurnContext`).
//! The pattern ids are a public contract (API, CLI, reports): never rename or drop one.

use serde::{Deserialize, Serialize};

mod acts;
pub mod asks;
mod cnz;
mod dates;
pub mod evidence;
mod hollow;
pub mod lexicon;
mod money;
mod names;
mod novelty;
mod pattern;
mod patterns;
mod pressure;
pub mod reading;
pub mod relevance;
mod restating;
mod surface;
pub mod topics;
mod turn_reading;

pub use pattern::PatternId;
pub use patterns::MONOLOGUE_WORDS;
pub use reading::{Act, QuestionKind, TurnReading, read_turn};
pub use topics::{ScenarioTopics, Target, TargetKind, TopicSource};
pub use turn_reading::{asks_to_settle, asks_when, is_question_word, weighs};

use crate::text::Normalized;

/// One pattern found in a turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub pattern: PatternId,
    /// The learner's sentence that shows it, whole.
    pub evidence: String,
    /// Extra information, e.g. the COMPIR/BEBEDC item of a discovery question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What the analysis needs to know about the conversation so far.
#[derive(Debug, Clone, Default)]
pub struct TurnContext<'a> {
    /// The prospect's full name, e.g. "Philippe Martin".
    pub prospect_name: &'a str,
    pub company: &'a str,
    /// The prospect's previous line.
    pub previous_prospect_line: &'a str,
    /// Whether an objection is live: raised and not yet treated.
    pub previous_was_objection: bool,
    /// The words of the objection waiting for an answer: a question on the rest of the
    /// prospect's line (an answer, then the objection) does not dig it, and quoting it is
    /// not quoting an objection nobody raised. Empty: the whole previous line is taken as
    /// the objection.
    pub live_objection: &'a str,
    /// Closed questions in a row in the learner's previous turns.
    pub closed_question_streak: u32,
    /// Learner turns in a row before this one without any question.
    pub turns_without_question: u32,
    /// Discovery questions asked so far.
    pub discovery_questions: u32,
    /// Names of competitors in the scenario.
    pub competitors: &'a [String],
    /// Names of customers, testimonials and case studies the learner may cite.
    pub proof_names: &'a [String],
    /// The learner's earlier lines, oldest first (for repetition).
    pub earlier_learner_lines: &'a [String],
    /// The prospect's lines before the previous one, oldest first (for reformulation).
    pub earlier_prospect_lines: &'a [String],
    /// The price has been asked for, quoted or discussed already.
    pub price_on_table: bool,
    /// The scenario's facts, objections and vocabulary, when the turn is played in one.
    pub topics: Option<&'a ScenarioTopics>,
    /// The skill practised (some methods ask for what is a fault elsewhere: the burnt
    /// bridges close confirms point after point with closed questions).
    pub skill: &'a str,
    /// Whether the prospect is a woman, when known: « Bonjour Monsieur » to Marion
    /// Dessaigne is a slip.
    pub feminine: Option<bool>,
}

/// Analyses one learner turn: its reading, then the patterns judged on it.
pub fn analyse_turn(ctx: &TurnContext<'_>, message: &str) -> Vec<Detection> {
    read_and_judge(ctx, message).1
}

/// The reading of a turn and the patterns it shows.
pub fn read_and_judge(ctx: &TurnContext<'_>, message: &str) -> (TurnReading, Vec<Detection>) {
    let mut reading = read_turn(ctx, message);
    let found = patterns::judge(ctx, &reading, message);
    reading.answers_objection = reading.objection_live && patterns::answers_on_point(&reading, ctx);
    (reading, found)
}

/// How prospects object, in conversations the engine did not play (recorded calls, given
/// transcripts): the engine knows its own objections, these cues find the others.
pub const OBJECTION_CUES: &[&str] = &[
    "trop cher",
    "trop chers",
    "plus cher",
    "plus chers",
    "plus chere",
    "moins cher",
    "hors de prix",
    "hors budget",
    "c est cher",
    "pas le budget",
    "pas de budget",
    "pas le moment",
    "pas le temps",
    "pas interesse",
    "pas interessee",
    "deja un prestataire",
    "deja une solution",
    "deja un fournisseur",
    "on a deja",
    "nous avons deja",
    "ca ne m interesse pas",
    "pas convaincu",
    "pas convaincue",
    "je dois reflechir",
    "envoyez moi une documentation",
    "ce n est pas la priorite",
    "pas la priorite",
    "pas prioritaire",
    "on verra plus tard",
    "on verra",
    "revenez",
    "trop complique",
    "ca ne marchera pas",
];

/// Whether a prospect's line objects (see `OBJECTION_CUES`).
pub fn is_objection(line: &str) -> bool {
    Normalized::new(line).find_any(OBJECTION_CUES).is_some()
}

/// Whether a text asks a question (a question mark, an interrogative opening, or an
/// invitation to talk such as "racontez-moi").
pub fn is_question(text: &Normalized<'_>) -> bool {
    let starts = |w: &&str| text.as_str().starts_with(*w) && text.contains(w);
    text.original().contains('?')
        || lexicon::LEX.open_words.iter().any(starts)
        || lexicon::LEX.tell_me.iter().any(|w| text.contains(w))
        || text.as_str().starts_with("est ce qu")
}

#[cfg(test)]
mod tests;
