//! The engine's vocabulary and memory: the prospect's mood, the moves, how objections and
//! events went, and the session state stored with every turn.

use serde::{Deserialize, Serialize};

use crate::analysis::Detection;
use crate::end::EndType;
pub use crate::mood::Mood;
use crate::rng::SessionRng;

/// What the prospect does this turn; the realiser turns it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Opening,
    Answer,
    ShortAnswer,
    NothingMoreToTell,
    RaiseObjection,
    PressObjection,
    RevealHidden,
    ReactToPrice,
    ReactToProof,
    ReactToCompetitor,
    AcceptNextStep,
    RefuseNextStep,
    Acknowledge,
    PushBack,
    WrapUp,
    FinalWords,
    NotYet,
    Goodbye,
    HangUp,
    /// The gatekeeper screens the call.
    Screen,
    /// The gatekeeper puts the call through to the decision-maker.
    Transfer,
    /// The learner repeats a line: the prospect points it out.
    AlreadyAsked,
    /// The learner asked about something the prospect has already told: they say so.
    AlreadySaid,
    /// The learner's line has nothing to do with the prospect, or cannot be understood.
    Puzzled,
    /// The learner restated what the prospect said: the prospect confirms.
    Confirm,
    /// Asked about something the scenario holds nothing on (no budget set, no other
    /// supplier named): the prospect answers in persona that there is nothing to tell.
    NothingOnIt,
    /// The learner isolated the objection ("à part ce point, le reste vous convient ?") and
    /// nothing else holds the prospect back: they say it is the one point.
    OnlyConcern,
    /// The learner proposed a step without a date: the prospect lets it drift or asks for
    /// a real one.
    VagueStep,
    /// The learner fired a volley of questions: the prospect asks for one at a time.
    OneAtATime,
    /// The learner traded a gesture for a commitment (« 18 000 € de mise en place, contre
    /// une référence ? »): the buyer weighs the offer, takes the step and asks for more.
    WeighOffer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    Good,
    Average,
    Poor,
}

/// How one of the scenario's objections went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionState {
    /// The exchange in which the prospect raised it.
    pub raised_at: Option<u32>,
    /// The learner's first answer to it.
    pub response: Option<String>,
    pub quality: Option<Quality>,
    pub hidden_revealed: bool,
    /// The exchange in which the learner uncovered it.
    #[serde(default)]
    pub uncovered_at: Option<u32>,
    /// Its hidden side, once out, was answered (isolated, zoomed on, dug further).
    #[serde(default)]
    pub hidden_answered: bool,
}

/// An objection heard in a recorded conversation, with the learner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedObjection {
    pub surface: String,
    pub response: String,
    pub quality: Quality,
}

/// How one of the scenario's events went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventState {
    /// The exchange whose reply carried the event.
    pub triggered_at: Option<u32>,
    /// Whether the learner's next turn showed one of the event's `handled_by` patterns.
    pub handled: bool,
    /// The learner's next turn.
    pub response: Option<String>,
    /// The event's guest answered that turn themselves (`Event::guest`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guest_spoke: bool,
}

/// Everything the engine remembers between turns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    pub starting_gauge: u8,
    pub gauge: u8,
    /// Completed exchanges.
    pub exchanges: u32,
    pub facts_revealed: Vec<usize>,
    /// The exchange in which each fact of `facts_revealed` came out.
    #[serde(default)]
    pub facts_revealed_at: Vec<u32>,
    /// The exchange in which the prospect accepted a next step.
    #[serde(default)]
    pub converted_at: Option<u32>,
    /// The slot the prospect picked when offered a choice ("mardi 8 h"), said again when
    /// asked.
    #[serde(default)]
    pub agreed_slot: Option<String>,
    /// The prospect, interested, asked for a precise date ("proposez-moi une date"), or
    /// said it wants to settle now ("soit on boucle maintenant"): the date or the closing
    /// given later in the call is taken.
    #[serde(default)]
    pub asked_for_date: bool,
    /// The exchange in which the gatekeeper put the learner through (gatekeeper templates).
    #[serde(default)]
    pub reached_decision_maker_at: Option<u32>,
    /// What the learner has earned with the gatekeeper so far (see `gatekeeper`).
    #[serde(default)]
    pub gatekeeper_points: i32,
    #[serde(default)]
    pub gatekeeper_turns: u32,
    #[serde(default)]
    pub callback_offered: bool,
    pub objections: Vec<ObjectionState>,
    /// Objections noticed in a conversation the engine did not play (see `transcript`).
    #[serde(default)]
    pub observed_objections: Vec<ObservedObjection>,
    /// How the scenario's events went, in the order of `Scenario::events`.
    #[serde(default)]
    pub events: Vec<EventState>,
    /// The objection raised and not yet answered, if any.
    pub pending_objection: Option<usize>,
    pub converted: bool,
    /// The prospect said they were leaving; the learner has one last turn.
    pub prospect_leaving: bool,
    pub ended: Option<EndType>,
    pub closed_question_streak: u32,
    pub turns_without_question: u32,
    pub discovery_questions: u32,
    pub last_prospect_line: String,
    pub last_move: Move,
    /// Whether the prospect's last line raised or pressed an objection.
    pub objection_on_table: bool,
    pub used_lines: Vec<String>,
    /// The learner's lines so far, oldest first (a repeated line earns nothing new).
    #[serde(default)]
    pub learner_lines: Vec<String>,
    /// The price has been asked for, quoted or discussed.
    #[serde(default)]
    pub price_on_table: bool,
    /// Faults the prospect has put up with (pressure, contempt, ignored objections,
    /// irrelevance, repetition): past the level's patience they leave.
    #[serde(default)]
    pub strikes: u32,
    /// Learner turns that said the prospect's words back as a question ("Si je comprends
    /// bien, <their sentence>. Qu'est-ce qui vous fait dire ça ?").
    #[serde(default)]
    pub parrotings: u32,
    /// Learner turns since the pending objection was raised without it being treated.
    #[serde(default)]
    pub objection_waiting: u32,
    /// The exchange of the last objection raised.
    #[serde(default)]
    pub last_objection_at: Option<u32>,
    /// How many times each technique (positive pattern id) has moved the gauge: the third
    /// use of the same technique wins no more interest.
    #[serde(default)]
    pub technique_uses: std::collections::BTreeMap<String, u32>,
    /// Until which exchange an objection whose hidden side just came out stays on the
    /// table (to be isolated and answered).
    #[serde(default)]
    pub objection_open_until: Option<u32>,
    /// The fact the prospect's last line told or recalled, if any.
    #[serde(default)]
    pub last_fact: Option<usize>,
    /// The facts the prospect has reminded the learner of: a reminder is given once.
    #[serde(default)]
    pub facts_recalled: Vec<usize>,
    /// The keys of the sentences said so far (`variety::sentence_keys` of `used_lines`, up to
    /// `said_upto`), folded in as lines are said; rebuilt after the state is loaded.
    #[serde(skip)]
    pub(super) said_keys: std::collections::BTreeSet<String>,
    #[serde(skip)]
    pub(super) said_upto: usize,
    pub(super) rng: SessionRng,
}

impl SessionState {
    /// The prospect's mood: the gauge's, except that a prospect with an objection on the
    /// table is not ready to buy, however high the gauge.
    pub fn mood(&self) -> Mood {
        let mood = Mood::from_gauge(self.gauge);
        if self.pending_objection.is_some() { mood.min(Mood::Interested) } else { mood }
    }
}

/// The outcome of one learner turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// 1-based number of this exchange.
    pub exchange: u32,
    pub prospect_text: String,
    pub prospect_move: Move,
    pub gauge: u8,
    pub gauge_delta: i32,
    pub mood: Mood,
    pub patterns: Vec<Detection>,
    pub session_ended: bool,
    pub end_type: Option<EndType>,
}
