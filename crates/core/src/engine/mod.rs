//! The conversation engine: a scenario, the state of a session, and one function that
//! plays a learner turn (analyse, move the gauge, decide the prospect's move, realise it in
//! French, detect the end).
//!
//! Deterministic: the same scenario, seed and learner lines always give the same session.
//! The state is plain data (serde) so the server stores it with every turn and any
//! instance can continue a session.

use serde::{Deserialize, Serialize};

mod gatekeeper;

use crate::analysis::{self, Detection, PatternId, TurnContext};
use crate::catalog::{AdaptedScenario, Catalog, ScenarioError, adapt_scenario_to_sector, load_scenario_template};
use crate::end::{self, EndType};
use crate::level::Level;
use crate::rng::SessionRng;
use crate::text::{Normalized, french_typography};

/// The gauge a prospect must reach before they accept a closing or a next step.
pub const CONVERSION_GAUGE: u8 = 65;
/// At or below this gauge the prospect hangs up.
pub const HANG_UP_GAUGE: u8 = 5;
/// The gauge from which a prospect has relaxed enough to answer a Columbo question with
/// the key fact (METHODS: "for the moment the prospect relaxes").
pub const COLUMBO_GAUGE: u8 = 50;

/// A template set in a sector at a difficulty, with its seed (see `catalog::adapt`).
pub type Scenario = AdaptedScenario;

/// Loads the template (the given variant, or one drawn from the seed) and adapts it.
pub fn scenario(
    catalog: &Catalog,
    skill: &str,
    sector: &str,
    level: Level,
    variant: Option<&str>,
    seed: u64,
) -> Result<Scenario, ScenarioError> {
    let template = load_scenario_template(catalog, skill, variant, seed)?;
    adapt_scenario_to_sector(catalog, template, sector, level, seed)
}

/// Where the gauge starts: the template's value, adjusted for the difficulty.
pub fn starting_gauge(scenario: &Scenario) -> u8 {
    let adjust: i32 = match scenario.level {
        Level::Easy => 5,
        Level::Medium => 0,
        Level::Expert => -10,
    };
    clamp_gauge(i32::from(scenario.starting_gauge) + adjust)
}

/// The names of the scenario's competitors.
pub fn competitors(scenario: &Scenario) -> Vec<String> {
    scenario.competition.main_competitors.iter().map(|c| c.name.clone()).collect()
}

/// The customers, testimonials and case studies a learner may cite as proof.
pub fn proof_names(scenario: &Scenario) -> Vec<String> {
    let proof = &scenario.proof;
    proof
        .testimonials
        .iter()
        .flat_map(|t| [t.name.clone(), company_name(&t.company)])
        .chain(proof.case_studies.iter().map(|c| c.client.clone()))
        .chain(proof.notable_clients.iter().cloned())
        .collect()
}

/// "InnoTech (45 employés)" -> "InnoTech".
fn company_name(company: &str) -> String {
    company.split('(').next().unwrap_or(company).trim().to_owned()
}

/// The prospect's mood, derived from the gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    Hostile,
    Skeptical,
    Neutral,
    Interested,
    ReadyToBuy,
}

impl Mood {
    pub fn from_gauge(gauge: u8) -> Self {
        match gauge {
            0..20 => Mood::Hostile,
            20..40 => Mood::Skeptical,
            40..60 => Mood::Neutral,
            60..80 => Mood::Interested,
            _ => Mood::ReadyToBuy,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mood::Hostile => "hostile",
            Mood::Skeptical => "skeptical",
            Mood::Neutral => "neutral",
            Mood::Interested => "interested",
            Mood::ReadyToBuy => "ready_to_buy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mood::Hostile => "Hostile",
            Mood::Skeptical => "Sceptique",
            Mood::Neutral => "Neutre",
            Mood::Interested => "Intéressé",
            Mood::ReadyToBuy => "Prêt à acheter",
        }
    }
}

/// What the prospect does this turn; the realiser turns it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    rng: SessionRng,
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

/// Starts a session: the prospect's opening line and the initial state.
pub fn open(scenario: &Scenario) -> (SessionState, String) {
    let gauge = starting_gauge(scenario);
    let line = french_typography(scenario.opening_line());
    let state = SessionState {
        starting_gauge: gauge,
        gauge,
        exchanges: 0,
        facts_revealed: Vec::new(),
        facts_revealed_at: Vec::new(),
        converted_at: None,
        reached_decision_maker_at: None,
        gatekeeper_points: 0,
        gatekeeper_turns: 0,
        callback_offered: false,
        objections: vec![ObjectionState::default(); scenario.hidden_objections.len()],
        observed_objections: Vec::new(),
        events: vec![EventState::default(); scenario.events.len()],
        pending_objection: None,
        converted: false,
        prospect_leaving: false,
        ended: None,
        closed_question_streak: 0,
        turns_without_question: 0,
        discovery_questions: 0,
        last_prospect_line: line.clone(),
        last_move: Move::Opening,
        objection_on_table: false,
        used_lines: vec![line.clone()],
        learner_lines: Vec::new(),
        price_on_table: analysis::lexicon::phrase_in(&Normalized::new(&line), &analysis::lexicon::LEX.price_asked),
        rng: SessionRng::new(scenario.seed),
    };
    (state, line)
}

/// Weight of a pattern on the gauge, before difficulty.
fn weight(pattern: PatternId) -> i32 {
    use PatternId::*;
    match pattern {
        GoodOpenQuestion => 4,
        Reformulation => 5,
        Empathy => 3,
        ActiveListening => 3,
        Personalization => 2,
        DiscoveryQuestion => 3,
        BenefitArgument => 4,
        ProofUsed => 4,
        ObjectionDig => 5,
        ObjectionNeutralize => 3,
        ObjectionZoom => 4,
        ColumboQuestion => 2,
        ClosingAttempt => 0,
        NextStepProposal => 2,
        ClosedQuestionStreak => -3,
        Monologue => -6,
        Interruption => -6,
        Jargon => -3,
        PrematurePrice => -5,
        CompetitorBashing => -5,
        ObjectionIgnored => -6,
        Pushy => -7,
        SelfCentered => -4,
        FillerWords => -2,
        NoQuestion => -4,
        WrongName => -6,
        AggressiveTone => -15,
        ConcessionWithoutCounterpart => -6,
        FalsePretext => -8,
        Repetition => -4,
        OffTopic => -4,
    }
}

/// The gauge movement for a set of patterns at a difficulty: positives count for less and
/// negatives for more as the level rises.
pub fn gauge_delta(patterns: &[Detection], level: Level) -> i32 {
    round_tenths(raw_tenths(patterns, level, ""))
}

/// The gauge movement for a turn of this scenario: the patterns' weights, modulated by the
/// difficulty and by the prospect's SÉDAIÉ profile (a Sécuritaire rewards proof, a Dominant
/// punishes long turns, an Affectif rewards empathy...).
pub fn gauge_delta_for(scenario: &Scenario, patterns: &[Detection], words: usize) -> i32 {
    let profile = scenario.prospect.psychology.profile.as_str();
    let mut tenths = raw_tenths(patterns, scenario.level, profile);
    // A Dominant wants it short: a long turn costs even before it is a monologue.
    if profile == "dominant" && words > 45 {
        tenths -= 20;
    }
    round_tenths(tenths)
}

fn raw_tenths(patterns: &[Detection], level: Level, profile: &str) -> i32 {
    let (pos, neg) = match level {
        Level::Easy => (10, 8),
        Level::Medium => (8, 10),
        Level::Expert => (6, 13),
    };
    patterns
        .iter()
        .map(|d| {
            // Weight × profile factor (tenths) × level factor (tenths) = hundredths.
            let w = weight(d.pattern) * profile_factor(profile, d.pattern);
            (if w >= 0 { w * pos } else { w * neg }) / 10
        })
        .sum()
}

/// Tenths to units, rounding half away from zero.
fn round_tenths(tenths: i32) -> i32 {
    if tenths >= 0 { (tenths + 5) / 10 } else { (tenths - 5) / 10 }
}

/// How much a profile cares about a pattern, in tenths (10: as usual). METHODS.md:
/// Sécuritaire (guarantees, references, low risk), Économe (price, ROI, savings),
/// Dominant (control, results, brevity), Affectif (trust, relationship, people),
/// Innovateur (novelty, being first), Expressif (recognition, stories, enthusiasm).
fn profile_factor(profile: &str, pattern: PatternId) -> i32 {
    use PatternId::*;
    match (profile, pattern) {
        ("securitaire", ProofUsed) => 20,
        ("securitaire", Pushy | PrematurePrice) => 15,
        ("econome", BenefitArgument | ObjectionZoom) => 15,
        ("econome", ProofUsed) => 13,
        ("econome", PrematurePrice) => 5,
        ("dominant", Monologue | FillerWords | SelfCentered | ClosedQuestionStreak) => 20,
        ("dominant", BenefitArgument | NextStepProposal) => 15,
        ("dominant", Empathy) => 5,
        ("affectif", Empathy | Personalization | ActiveListening) => 20,
        ("affectif", Pushy | AggressiveTone | CompetitorBashing) => 15,
        ("innovateur", BenefitArgument) => 15,
        ("innovateur", ProofUsed) => 7,
        ("innovateur", Jargon) => 5,
        ("expressif", Personalization | ActiveListening) => 15,
        ("expressif", Empathy) => 13,
        ("expressif", Monologue | NoQuestion) => 15,
        _ => 10,
    }
}

pub(crate) fn clamp_gauge(value: i32) -> u8 {
    u8::try_from(value.clamp(0, 100)).unwrap_or(0)
}

/// Analyses a learner turn in the context of the session so far, and updates the running
/// counts the next turns' analysis needs (question streaks, discovery questions).
pub fn analyse_learner_turn(scenario: &Scenario, state: &mut SessionState, message: &str) -> Vec<Detection> {
    read_learner_turn(scenario, state, message).1
}

/// The reading of a learner turn and its patterns, in the context of the session so far;
/// updates the running counts the next turns' analysis needs (question streaks, discovery
/// questions, the learner's lines, whether the price is on the table).
pub fn read_learner_turn(
    scenario: &Scenario,
    state: &mut SessionState,
    message: &str,
) -> (analysis::TurnReading, Vec<Detection>) {
    let competitors = competitors(scenario);
    let proof_names = proof_names(scenario);
    let topics = analysis::ScenarioTopics::of(scenario);
    let earlier_prospect = &state.used_lines[..state.used_lines.len().saturating_sub(1)];
    let ctx = TurnContext {
        prospect_name: &scenario.prospect.name,
        company: &scenario.prospect.company,
        previous_prospect_line: &state.last_prospect_line,
        previous_was_objection: state.objection_on_table,
        closed_question_streak: state.closed_question_streak,
        turns_without_question: state.turns_without_question,
        discovery_questions: state.discovery_questions,
        competitors: &competitors,
        proof_names: &proof_names,
        earlier_learner_lines: &state.learner_lines,
        earlier_prospect_lines: earlier_prospect,
        price_on_table: state.price_on_table,
        topics: Some(&topics),
    };
    let (reading, patterns) = analysis::read_and_judge(&ctx, message);
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    let question = reading.question.is_some();
    state.closed_question_streak =
        if reading.question == Some(analysis::QuestionKind::Closed) { state.closed_question_streak + 1 } else { 0 };
    state.turns_without_question = if question { 0 } else { state.turns_without_question + 1 };
    if has(PatternId::DiscoveryQuestion) {
        state.discovery_questions += 1;
    }
    if reading.has(analysis::Act::PriceMention) || reading.has(analysis::Act::Concession) {
        state.price_on_table = true;
    }
    state.learner_lines.push(message.trim().to_owned());
    (reading, patterns)
}

/// Plays one learner turn. The caller has checked that the session is not over and that
/// the message is not empty.
pub fn play_turn(scenario: &Scenario, state: &mut SessionState, message: &str) -> Turn {
    let exchange = state.exchanges + 1;
    let patterns = analyse_learner_turn(scenario, state, message);
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    let text = Normalized::new(message);
    let question = analysis::is_question(&text);

    let mut delta = gauge_delta_for(scenario, &patterns, text.word_count());
    // The learner's answer to an event of the previous reply.
    for (event, event_state) in scenario.events.iter().zip(state.events.iter_mut()) {
        if event_state.triggered_at == Some(exchange - 1) && event_state.response.is_none() {
            event_state.response = Some(message.trim().to_owned());
            event_state.handled = patterns.iter().any(|d| event.handled_by.iter().any(|h| h == d.pattern.as_str()));
            delta += if event_state.handled { 3 } else { -3 };
        }
    }
    if let Some(gatekeeper) = gatekeeper::screening(scenario, state) {
        return gatekeeper::turn(scenario, gatekeeper, state, message, patterns, delta);
    }
    if let Some(i) = state.pending_objection.take() {
        let handled =
            has(PatternId::ObjectionDig) || has(PatternId::ObjectionNeutralize) || has(PatternId::ObjectionZoom);
        let quality = if handled {
            Quality::Good
        } else if has(PatternId::ObjectionIgnored) {
            Quality::Poor
        } else {
            Quality::Average
        };
        let objection = &mut state.objections[i];
        if objection.response.is_none() {
            objection.response = Some(message.trim().to_owned());
            objection.quality = Some(quality);
        }
        // Still open unless dug into; digging reveals the hidden objection below.
        state.pending_objection = Some(i);
    }

    let rules = &scenario.conversation_rules;
    let user_bye = end::user_said_bye(message, &rules.end_triggers);
    let provisional = clamp_gauge(i32::from(state.gauge) + delta);
    let columbo = question && has(PatternId::ColumboQuestion) && provisional >= COLUMBO_GAUGE;
    // The candid last question, often asked on the way out ("je vous laisse… juste une
    // chose"), earns the key fact before anything else happens.
    let key_fact_earned =
        columbo && scenario.facts.iter().enumerate().any(|(i, f)| f.columbo_only && !state.facts_revealed.contains(&i));

    let prospect_move = if key_fact_earned && provisional > HANG_UP_GAUGE {
        Move::Answer
    } else if user_bye && exchange >= rules.min_exchanges {
        Move::Goodbye
    } else if user_bye {
        Move::NotYet
    } else if provisional <= HANG_UP_GAUGE && exchange >= 2 {
        Move::HangUp
    } else if state.prospect_leaving || exchange >= rules.max_exchanges {
        Move::FinalWords
    } else if has(PatternId::ClosingAttempt) || has(PatternId::NextStepProposal) {
        if provisional >= CONVERSION_GAUGE { Move::AcceptNextStep } else { Move::RefuseNextStep }
    } else if let Some(pending) = state.pending_objection.filter(|i| !state.objections[*i].hidden_revealed) {
        // Digging earns the hidden side: a CNZ question, empathy with a question, or a
        // question that goes where the objection hides (the template's discovery cues).
        let cues = &scenario.hidden_objections[pending].discovery_cues;
        let on_the_trail = question && cues.iter().any(|c| text.contains(c));
        if has(PatternId::ObjectionDig)
            || has(PatternId::ObjectionNeutralize)
            || (has(PatternId::Empathy) && question)
            || on_the_trail
        {
            Move::RevealHidden
        } else if question {
            Move::Answer
        } else {
            Move::PressObjection
        }
    } else if exchange >= rules.min_exchanges && (provisional < 30 || exchange + 2 >= rules.max_exchanges) {
        Move::WrapUp
    } else if has(PatternId::AggressiveTone) || has(PatternId::Pushy) || has(PatternId::CompetitorBashing) {
        Move::PushBack
    } else if has(PatternId::ProofUsed) {
        Move::ReactToProof
    } else if mentioned_competitor(scenario, &text).is_some() {
        Move::ReactToCompetitor
    } else if has(PatternId::PrematurePrice) || (text.find_any(&["prix", "tarif", "euros"]).is_some() && !question) {
        Move::ReactToPrice
    } else if !question && next_objection(state).is_some() && (exchange >= 2 || has(PatternId::Monologue)) {
        Move::RaiseObjection
    } else if (question && (has(PatternId::GoodOpenQuestion) || has(PatternId::ColumboQuestion)))
        || has(PatternId::DiscoveryQuestion)
    {
        Move::Answer
    } else if question {
        Move::ShortAnswer
    } else if exchange >= 3 && next_objection(state).is_some() {
        Move::RaiseObjection
    } else {
        Move::Acknowledge
    };

    // Consequences of the move on the state.
    let mut prospect_move = prospect_move;
    match prospect_move {
        Move::AcceptNextStep => {
            state.converted = true;
            state.converted_at = Some(exchange);
            delta += 5;
        }
        Move::RevealHidden => {
            if let Some(i) = state.pending_objection.take() {
                state.objections[i].hidden_revealed = true;
                state.objections[i].uncovered_at = Some(exchange);
                delta += 3;
            }
        }
        Move::RaiseObjection => {
            if let Some(i) = next_objection(state) {
                state.objections[i].raised_at = Some(exchange);
                state.pending_objection = Some(i);
            }
        }
        Move::Answer => {
            let topic =
                patterns.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).and_then(|d| d.detail.as_deref());
            if next_fact(scenario, state, topic, columbo).is_none() {
                prospect_move = Move::NothingMoreToTell;
            }
        }
        Move::RefuseNextStep => {
            // A refusal comes with the next objection, if one is left.
            if let Some(i) = next_objection(state) {
                state.objections[i].raised_at = Some(exchange);
                state.pending_objection = Some(i);
            }
        }
        Move::WrapUp => state.prospect_leaving = true,
        _ => {}
    }
    let before = state.gauge;
    state.gauge = clamp_gauge(i32::from(before) + delta);
    let gauge_delta = i32::from(state.gauge) - i32::from(before);
    let mood = Mood::from_gauge(state.gauge);

    let topic = patterns.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).and_then(|d| d.detail.clone());
    let mut line = realise(scenario, state, prospect_move, mood, (topic.as_deref(), columbo), message);
    // An event interrupts after the reply, unless the conversation is closing.
    let closing =
        matches!(prospect_move, Move::Goodbye | Move::HangUp | Move::FinalWords | Move::WrapUp | Move::NotYet);
    if !closing {
        let due = scenario
            .events
            .iter()
            .zip(state.events.iter_mut())
            .find(|(e, s)| e.at_exchange <= exchange && s.triggered_at.is_none());
        if let Some((event, event_state)) = due {
            event_state.triggered_at = Some(exchange);
            line = format!("{line} {}", french_typography(&event.line));
        }
    }

    finish_turn(scenario, state, message, exchange, line, prospect_move, patterns, gauge_delta)
}

/// Detects the end, records the exchange in the state and builds the turn.
#[allow(clippy::too_many_arguments)] // One call site per kind of turn; a struct would only rename them.
fn finish_turn(
    scenario: &Scenario,
    state: &mut SessionState,
    message: &str,
    exchange: u32,
    line: String,
    prospect_move: Move,
    patterns: Vec<Detection>,
    gauge_delta: i32,
) -> Turn {
    let rules = &scenario.conversation_rules;
    let (mut session_ended, mut end_type) =
        end::detect_with_triggers(message, &line, exchange, rules.min_exchanges, &rules.end_triggers);
    if !rules.auto_end_enabled && end_type == Some(EndType::MutualGoodbye) {
        session_ended = false;
    }
    match prospect_move {
        Move::HangUp | Move::FinalWords if end_type != Some(EndType::MutualGoodbye) => {
            session_ended = true;
            end_type = Some(if exchange >= rules.max_exchanges && !state.prospect_leaving {
                EndType::MaxExchanges
            } else {
                EndType::ProspectEnded
            });
        }
        _ => {}
    }
    if !session_ended && exchange >= rules.max_exchanges {
        session_ended = true;
        end_type = Some(EndType::MaxExchanges);
    }
    if session_ended {
        state.ended = end_type;
    }

    state.exchanges = exchange;
    state.last_prospect_line = line.clone();
    state.last_move = prospect_move;
    state.objection_on_table = match prospect_move {
        Move::RaiseObjection | Move::PressObjection => true,
        Move::RefuseNextStep => {
            state.pending_objection.is_some_and(|i| state.objections[i].raised_at == Some(exchange))
        }
        _ => false,
    };
    Turn {
        exchange,
        prospect_text: line,
        prospect_move,
        gauge: state.gauge,
        gauge_delta,
        mood: Mood::from_gauge(state.gauge),
        patterns,
        session_ended,
        end_type,
    }
}

fn next_objection(state: &SessionState) -> Option<usize> {
    state.objections.iter().position(|o| o.raised_at.is_none())
}

/// The fact to reveal: to a well-timed Columbo question (`columbo`), the key fact it earns;
/// else the first unrevealed one on the asked topic, else the first unrevealed one. A
/// Columbo-only fact never answers anything but a Columbo question.
fn next_fact(scenario: &Scenario, state: &SessionState, topic: Option<&str>, columbo: bool) -> Option<usize> {
    let facts = &scenario.facts;
    let available = |i: &usize| !state.facts_revealed.contains(i) && (columbo || !facts[*i].columbo_only);
    let key = columbo.then(|| (0..facts.len()).filter(available).find(|i| facts[*i].columbo_only)).flatten();
    key.or_else(|| topic.and_then(|t| (0..facts.len()).filter(available).find(|i| facts[*i].topic == t)))
        .or_else(|| (0..facts.len()).find(available))
}

/// Short openers that colour a line with the prospect's mood.
fn lead_ins(mood: Mood) -> &'static [&'static str] {
    match mood {
        Mood::Hostile => &["(soupir)", "Écoutez…", "Bon.", "(agacé)", "Franchement…"],
        Mood::Skeptical => &["Hmm.", "Mouais…", "(hmm)", "Je ne sais pas trop.", "Admettons."],
        Mood::Neutral => &["D’accord.", "Alors…", "Oui.", "Bien.", "Je vois."],
        Mood::Interested => &[
            "Ah, bonne question.",
            "Oui, tout à fait.",
            "Alors, justement…",
            "C’est une vraie question chez nous.",
            "Volontiers.",
        ],
        Mood::ReadyToBuy => &[
            "Oui, franchement.",
            "(rire) Vous tombez bien.",
            "Je vais être honnête avec vous.",
            "Écoutez, ça me parle.",
        ],
    }
}

/// Turns a move into a French line that has not been said before in this session.
fn realise(
    scenario: &Scenario,
    state: &mut SessionState,
    prospect_move: Move,
    mood: Mood,
    (topic, columbo): (Option<&str>, bool),
    message: &str,
) -> String {
    let product = &scenario.product.name;
    let entry_price = scenario.product.pricing.get("entry_price").and_then(|v| v.as_str()).unwrap_or("ce tarif");
    let bodies: Vec<String> = match prospect_move {
        Move::Answer => match next_fact(scenario, state, topic, columbo) {
            Some(i) => {
                state.facts_revealed.push(i);
                state.facts_revealed_at.push(state.exchanges + 1);
                vec![scenario.facts[i].line.trim().to_owned()]
            }
            None => vec!["Je crois que je vous ai dit l’essentiel sur notre situation.".into()],
        },
        Move::NothingMoreToTell => vec![
            "Je crois que je vous ai dit l’essentiel. À vous : qu’est-ce que vous proposez, concrètement ?".into(),
            "Là, vous en savez autant que moi sur notre situation. Et vous, qu’avez-vous à me proposer ?".into(),
            "Je n’ai pas grand-chose à ajouter. Qu’est-ce que vous en retenez ?".into(),
        ],
        Move::ShortAnswer => vec![
            "Oui, en gros.".into(),
            "Non, pas vraiment.".into(),
            "En partie, oui.".into(),
            "Ça dépend des semaines.".into(),
            "Oui. Pourquoi cette question ?".into(),
            "Pas exactement, non.".into(),
        ],
        Move::RaiseObjection => match state.pending_objection {
            Some(i) => vec![scenario.hidden_objections[i].surface.clone()],
            None => vec!["Je ne suis pas encore convaincu, pour être honnête.".into()],
        },
        Move::PressObjection => match state.pending_objection {
            Some(i) => vec![
                format!(
                    "Vous ne répondez pas à ce que je vous dis : {}",
                    lower_first(&scenario.hidden_objections[i].surface)
                ),
                "Je vous ai posé une vraie question, là.".into(),
                "Ça ne répond pas à mon inquiétude.".into(),
            ],
            None => vec!["Je reste sur ma position.".into()],
        },
        Move::RevealHidden => match last_revealed_hidden(state) {
            Some(i) => vec![scenario.hidden_objections[i].hidden_line.clone()],
            None => vec!["Bon, je vais être franc avec vous.".into()],
        },
        Move::ReactToPrice => vec![
            format!("On parle déjà de prix ? {entry_price}… et ça comprend quoi, exactement ?"),
            format!("{entry_price}, d’accord, mais je ne sais même pas encore si j’en ai besoin."),
            "Le prix, on verra. Dites-moi d’abord ce que ça changerait pour nous.".into(),
        ],
        Move::ReactToProof => {
            let who = scenario
                .proof
                .testimonials
                .first()
                .map(|x| company_name(&x.company))
                .unwrap_or_else(|| "vos clients".into());
            vec![
                format!("{who}, je connais de nom. Et chez eux, ça a donné quoi, concrètement ?"),
                "Des chiffres, c’est bien. Mais chez nous, ce serait comparable ?".into(),
                "D’accord, ça a marché ailleurs. Nous, on a nos particularités.".into(),
            ]
        }
        Move::ReactToCompetitor => match mentioned_competitor(scenario, &Normalized::new(message)) {
            Some(c) => vec![
                format!("{}, on connaît. {} Qu’est-ce que vous faites de mieux, concrètement ?", c.name, c.positioning),
                format!("On a regardé {} aussi. Et vous, vous êtes {} ?", c.name, lower_first(&c.price_comparison)),
                format!(
                    "{} ? Ils ont leurs forces : {}. Qu’est-ce qui vous différencie ?",
                    c.name,
                    c.strengths.join(", ")
                ),
            ],
            None => vec!["Les concurrents, je les connais. Qu’est-ce qui vous différencie ?".into()],
        },
        Move::AcceptNextStep => vec![
            format!("D’accord, allons-y. Envoyez-moi une invitation et on regarde {product} ensemble."),
            "Ça me va. Je bloque le créneau, envoyez-moi la confirmation par écrit.".into(),
            "Très bien, je suis partant. Préparez-moi quelque chose de concret pour ce rendez-vous.".into(),
        ],
        Move::RefuseNextStep => {
            let mut lines = vec![
                "Pas si vite. Je n’ai pas encore vu en quoi ça nous concerne.".to_owned(),
                "Je ne vais pas m’engager maintenant, on vient à peine d’en parler.".to_owned(),
                "Un rendez-vous ? Il faudrait d’abord que je sois convaincu de l’intérêt.".to_owned(),
            ];
            if let Some(i) =
                state.pending_objection.filter(|i| state.objections[*i].raised_at == Some(state.exchanges + 1))
            {
                lines = lines.into_iter().map(|l| format!("{l} {}", scenario.hidden_objections[i].surface)).collect();
            }
            lines
        }
        Move::Acknowledge => vec![
            "Et concrètement, pour nous, ça changerait quoi ?".into(),
            "Où voulez-vous en venir ?".into(),
            "Je vous écoute.".into(),
            format!("Et {product}, ça s’adresse vraiment à une entreprise comme la nôtre ?"),
            "Continuez.".into(),
            "D’accord. Et ensuite ?".into(),
        ],
        Move::PushBack => vec![
            "Je n’aime pas beaucoup qu’on me mette la pression.".into(),
            "Sur ce ton-là, on ne va pas aller bien loin.".into(),
            "Je préfère me faire mon propre avis, merci.".into(),
        ],
        Move::WrapUp => vec![
            "Écoutez, je dois vous laisser, j’ai un autre appel. Envoyez-moi ça par email.".into(),
            "Je dois vous laisser, on se rappelle ?".into(),
        ],
        Move::FinalWords => {
            vec!["Je dois vraiment y aller. Merci, au revoir.".into(), "Il faut que j’y aille. Au revoir.".into()]
        }
        Move::NotYet => vec![
            "Vous partez déjà ? On vient à peine de commencer.".into(),
            "Déjà ? Vous m’appelez et vous repartez sans rien me demander ?".into(),
            "Ah… c’est tout ? Je pensais que vous aviez des questions.".into(),
        ],
        Move::Goodbye => {
            if state.converted {
                vec![
                    "Parfait, c’est noté de mon côté. Bonne journée à vous aussi.".into(),
                    "Très bien, à bientôt alors. Au revoir.".into(),
                ]
            } else {
                vec![
                    "Merci à vous, au revoir.".into(),
                    "Au revoir, bonne journée.".into(),
                    "Bonne journée à vous aussi.".into(),
                ]
            }
        }
        Move::HangUp => {
            vec!["(agacé) Bon, on va s’arrêter là. Au revoir.".into(), "Non, ça ne m’intéresse pas. Au revoir.".into()]
        }
        Move::Opening | Move::Screen | Move::Transfer => vec![scenario.opening_line().to_owned()],
    };

    // Closings and goodbyes speak for themselves; other lines get a mood-coloured opener.
    let plain = matches!(prospect_move, Move::Goodbye | Move::HangUp | Move::FinalWords | Move::WrapUp | Move::Opening);
    // An objection comes after a doubtful "hmm" (the voice layer plays it as a sound).
    let objecting: &[&str] = &["(hmm)", "(hmm) Écoutez…", "Hmm…"];
    let leads: &[&str] = if plain {
        &[""]
    } else if prospect_move == Move::RaiseObjection && mood <= Mood::Neutral {
        objecting
    } else {
        lead_ins(mood)
    };
    pick_unused(state, &bodies, leads, leads == objecting)
}

/// A line made of one of `bodies` (and maybe one of `leads` before it) that the prospect
/// has not said yet in this session, chosen from the seed; remembered as said.
fn pick_unused(state: &mut SessionState, bodies: &[String], leads: &[&str], lead_required: bool) -> String {
    let lead_order = state.rng.shuffled(leads.len());
    let body_order = state.rng.shuffled(bodies.len());
    let optional_lead = !lead_required && leads.iter().any(|l| !l.is_empty());
    // Bodies not said yet come first: a new opener on an old body is the last resort.
    let said = |b: &usize| {
        let body = french_typography(&bodies[*b]);
        state.used_lines.iter().any(|l| l.ends_with(&body))
    };
    let (fresh, stale): (Vec<usize>, Vec<usize>) = body_order.iter().partition(|b| !said(b));
    let mut candidates = Vec::with_capacity(leads.len() * bodies.len() + 1);
    for b in fresh.iter().chain(&stale) {
        // The bare body first, half of the time: an opener is added only for variety.
        if optional_lead && state.rng.below(2) == 0 {
            candidates.push(bodies[*b].clone());
        }
        for l in &lead_order {
            let lead = leads[*l];
            candidates.push(if lead.is_empty() { bodies[*b].clone() } else { format!("{lead} {}", bodies[*b]) });
        }
        if !lead_required {
            candidates.push(bodies[*b].clone());
        }
    }
    let line =
        candidates.iter().map(|c| french_typography(c)).find(|c| !state.used_lines.contains(c)).unwrap_or_else(|| {
            // Every variant was used: number the repetition so the line stays distinct.
            let base = french_typography(candidates.first().map_or("…", String::as_str));
            let n = state.used_lines.iter().filter(|l| l.starts_with(&base)).count() + 1;
            format!("{base} (je vous le redis une {n}e fois)")
        });
    state.used_lines.push(line.clone());
    line
}

/// The scenario's competitor the learner names, if any.
fn mentioned_competitor<'a>(scenario: &'a Scenario, text: &Normalized<'_>) -> Option<&'a crate::catalog::Competitor> {
    scenario.competition.main_competitors.iter().find(|c| {
        // "Brevo (ex-Sendinblue)" is named "Brevo".
        let name = c.name.split(['(', ',']).next().unwrap_or(&c.name).trim();
        !name.is_empty() && text.contains(name)
    })
}

fn last_revealed_hidden(state: &SessionState) -> Option<usize> {
    state.objections.iter().rposition(|o| o.hidden_revealed)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(seed: u64) -> Scenario {
        let catalog = Catalog::embedded().expect("catalogue");
        let skill = "ecoute_active".to_owned();
        super::scenario(&catalog, &skill, "generic", Level::Easy, None, seed).expect("scenario")
    }

    fn play(scenario: &Scenario, lines: &[&str]) -> (SessionState, Vec<Turn>) {
        let (mut state, _) = open(scenario);
        let turns = lines.iter().map(|l| play_turn(scenario, &mut state, l)).collect();
        (state, turns)
    }

    const GOOD: &[&str] = &[
        "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
        "D’accord. Et qu’est-ce qui vous pose le plus de difficultés en ce moment ?",
        "Si je comprends bien, vous perdez du temps chaque semaine. Quelles conséquences pour l’équipe ?",
        "Je comprends. Qu’est-ce qui vous fait dire ça ?",
        "Quels seraient pour vous les résultats idéaux dans six mois ?",
        "Je vous propose un rendez-vous mardi à 10h pour vous montrer une démo ?",
        "Merci pour votre temps, au revoir !",
    ];

    #[test]
    fn the_same_seed_replays_the_same_session() {
        let s = fixture(11);
        assert_eq!(play(&s, GOOD).1, play(&s, GOOD).1);
    }

    #[test]
    fn a_good_discovery_raises_the_gauge_and_ends_on_mutual_goodbye() {
        let s = fixture(3);
        let (state, turns) = play(&s, GOOD);
        let last = turns.last().expect("turns");
        assert!(last.session_ended, "{turns:#?}");
        assert_eq!(last.end_type, Some(EndType::MutualGoodbye));
        assert!(state.gauge > state.starting_gauge, "gauge {} -> {}", state.starting_gauge, state.gauge);
        assert!(!state.facts_revealed.is_empty());
    }

    #[test]
    fn pitching_without_questions_loses_ground() {
        let s = fixture(5);
        let pitch = "Notre solution est la meilleure du marché, nous avons des fonctionnalités uniques et notre société est leader.";
        let (state, turns) = play(&s, &[pitch, pitch, pitch]);
        assert!(state.gauge < state.starting_gauge, "{turns:#?}");
    }

    #[test]
    fn the_prospect_never_repeats_a_line() {
        let s = fixture(9);
        let (state, _) = play(&s, &["D'accord.", "D'accord.", "D'accord.", "Oui.", "Oui.", "Ok.", "Ok.", "Bien."]);
        let mut lines = state.used_lines.clone();
        lines.sort();
        lines.dedup();
        assert_eq!(lines.len(), state.used_lines.len());
    }

    #[test]
    fn an_early_goodbye_does_not_end_the_session() {
        let s = fixture(1);
        let (_, turns) = play(&s, &["Bonjour, au revoir !"]);
        assert!(!turns[0].session_ended);
        assert!(!end::prospect_said_bye(&turns[0].prospect_text, &[]), "{}", turns[0].prospect_text);
    }

    #[test]
    fn insults_make_the_prospect_hang_up() {
        let s = fixture(2);
        let (state, turns) = play(
            &s,
            &[
                "Vous êtes un idiot !!!",
                "Espèce d'imbécile, vous ne comprenez rien !!!",
                "Idiot !!!",
                "Crétin !!!",
                "Imbécile !!!",
            ],
        );
        let last = turns.last().expect("turns");
        assert!(last.session_ended, "{turns:#?}");
        assert_eq!(last.end_type, Some(EndType::ProspectEnded));
        assert_eq!(state.ended, Some(EndType::ProspectEnded));
    }

    #[test]
    fn max_exchanges_ends_the_session() {
        let s = fixture(4);
        let max = s.conversation_rules.max_exchanges as usize;
        let lines = vec!["Oui, je vois, et chez vous ça se passe comment ?"; max];
        let (_, turns) = play(&s, &lines);
        let last = turns.last().expect("turns");
        assert!(last.session_ended);
        assert!(matches!(last.end_type, Some(EndType::MaxExchanges | EndType::ProspectEnded)), "{:?}", last.end_type);
    }

    #[test]
    fn a_leaving_prospect_gives_one_last_turn_then_ends() {
        let s = fixture(6);
        let (mut state, _) = open(&s);
        state.gauge = 25;
        let min = s.conversation_rules.min_exchanges;
        state.exchanges = min - 1;
        let turn = play_turn(&s, &mut state, "Nous avons une offre très complète.");
        assert_eq!(turn.end_type, Some(EndType::ProspectEnding), "{turn:#?}");
        assert!(!turn.session_ended);
        let last = play_turn(&s, &mut state, "Nous pouvons aussi vous proposer un essai.");
        assert!(last.session_ended);
        assert_eq!(last.end_type, Some(EndType::ProspectEnded));
    }

    #[test]
    fn gauge_stays_within_bounds() {
        let s = fixture(8);
        let (state, turns) = play(&s, &["Comment ? Pourquoi ? Si je comprends bien, je comprends. Racontez-moi."; 12]);
        assert!(turns.iter().all(|t| t.gauge <= 100));
        assert!(state.gauge <= 100);
    }

    #[test]
    fn an_event_interrupts_and_the_next_turn_handles_it_or_not() {
        use crate::catalog::{Event, EventKind};
        let mut s = fixture(12);
        s.events = vec![Event {
            id: "appel".into(),
            kind: EventKind::PhoneCall,
            at_exchange: 2,
            min_level: Level::Medium,
            line: "(le téléphone sonne) Pardon… Voilà, je suis à vous. Où en étions-nous ?".into(),
            handled_by: vec!["reformulation".into()],
        }];
        let (mut state, _) = open(&s);
        play_turn(&s, &mut state, "Comment est organisée votre équipe ?");
        let interrupted = play_turn(&s, &mut state, "Et quels outils utilisez-vous ?");
        assert!(interrupted.prospect_text.contains("(le téléphone sonne)"), "{}", interrupted.prospect_text);
        assert_eq!(state.events[0].triggered_at, Some(2));
        // A reformulation restates what the prospect said: the longest words of the reply.
        let mut words: Vec<&str> =
            interrupted.prospect_text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 6).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let line =
            format!("Si je résume, vous me parliez de {}. Lesquels vous gênent le plus ?", words[..3].join(", "));
        play_turn(&s, &mut state, &line);
        assert!(state.events[0].handled);
        assert!(state.events[0].response.as_deref().is_some_and(|r| r.starts_with("Si je résume")));
    }

    #[test]
    fn unknown_skill_sector_or_variant_are_errors() {
        let catalog = Catalog::embedded().expect("catalogue");
        assert!(matches!(
            super::scenario(&catalog, "nope", "generic", Level::Easy, None, 1),
            Err(ScenarioError::UnknownSkill(_))
        ));
        let skill = "ecoute_active".to_owned();
        assert!(matches!(
            super::scenario(&catalog, &skill, "nope", Level::Easy, None, 1),
            Err(ScenarioError::UnknownSector(_))
        ));
        assert!(matches!(
            super::scenario(&catalog, &skill, "generic", Level::Easy, Some("x"), 1),
            Err(ScenarioError::UnknownVariant(_))
        ));
    }
}
