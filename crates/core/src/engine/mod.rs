//! The conversation engine: a scenario, the state of a session, and one function that
//! plays a learner turn (analyse, move the gauge, decide the prospect's move, realise it in
//! French, detect the end).
//!
//! Deterministic: the same scenario, seed and learner lines always give the same session.
//! The state is plain data (serde) so the server stores it with every turn and any
//! instance can continue a session.

mod acknowledge;
mod answer;
mod decision;
mod gatekeeper;
mod gauge;
mod heard;
mod leads;
mod lines;
mod no_answer;
mod state;
mod turn;
mod variety;
mod wording;

pub use answer::{Ranking, rank as rank_answers};
pub use gauge::{clamp_gauge, gauge_delta, gauge_delta_for, starting_gauge};
pub use state::{EventState, Mood, Move, ObjectionState, ObservedObjection, Quality, SessionState, Turn};
pub use turn::play_turn;
pub use variety::sentence_keys;
pub use wording::is_feminine;

use crate::analysis::{self, Detection, PatternId, TurnContext};
use crate::catalog::{AdaptedScenario, Catalog, ScenarioError, adapt_scenario_to_sector, template_for_sector};

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
    catalog.sector(sector).ok_or_else(|| ScenarioError::UnknownSector(sector.to_owned()))?;
    let template = template_for_sector(catalog, skill, sector, variant, seed)?;
    adapt_scenario_to_sector(catalog, template, sector, level, seed)
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

/// Who says the prospect's side of exchange `exchange` (0: the opening): the gatekeeper
/// until (and including) the line that puts the learner through, then the decision-maker.
pub fn speaker(scenario: &Scenario, state: &SessionState, exchange: u32) -> String {
    if let Some(guest) = guest_speaking(scenario, state, exchange) {
        return guest.name.clone();
    }
    match (&scenario.gatekeeper, state.reached_decision_maker_at) {
        (Some(g), None) => g.name.clone(),
        (Some(g), Some(at)) if exchange <= at => g.name.clone(),
        _ => scenario.prospect.name.clone(),
    }
}

/// The guest an event brought in, when they said the prospect's side of exchange
/// `exchange` (they answer the turn after the event themselves).
pub fn guest_speaking<'a>(
    scenario: &'a Scenario,
    state: &SessionState,
    exchange: u32,
) -> Option<&'a crate::catalog::Guest> {
    scenario
        .events
        .iter()
        .zip(&state.events)
        .filter(|(_, s)| s.guest_spoke && s.triggered_at.is_some_and(|at| at + 1 == exchange))
        .find_map(|(e, _)| e.guest.as_ref())
}

/// Starts a session: the prospect's opening line and the initial state.
pub fn open(scenario: &Scenario) -> (SessionState, String) {
    let gauge = starting_gauge(scenario);
    let line = french_typography(scenario.opening_line());
    let mut state = SessionState {
        starting_gauge: gauge,
        gauge,
        exchanges: 0,
        facts_revealed: Vec::new(),
        facts_revealed_at: Vec::new(),
        converted_at: None,
        agreed_slot: None,
        asked_for_date: false,
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
        strikes: 0,
        parrotings: 0,
        objection_waiting: 0,
        last_objection_at: None,
        technique_uses: std::collections::BTreeMap::new(),
        objection_open_until: None,
        last_fact: None,
        facts_recalled: Vec::new(),
        said_keys: std::collections::BTreeSet::new(),
        said_upto: 0,
        rng: SessionRng::new(scenario.seed),
    };
    // Objection and negotiation scenarios open on the objection: it is live from the start.
    let opens_on_objection = matches!(scenario.skill_slug.as_str(), "objections_cnz" | "negociation")
        || (scenario.gatekeeper.is_none() && analysis::is_objection(&line));
    if opens_on_objection && !state.objections.is_empty() {
        state.objections[0].raised_at = Some(0);
        state.pending_objection = Some(0);
        state.objection_on_table = true;
        state.last_objection_at = Some(0);
    }
    (state, line)
}

/// The words of the objection waiting for an answer, if any (the prospect's last line may
/// say more than it, or may have raised it several turns ago).
fn live_objection<'a>(scenario: &'a Scenario, state: &SessionState) -> &'a str {
    state.pending_objection.and_then(|i| scenario.hidden_objections.get(i)).map_or("", |o| o.surface.as_str())
}

/// Whether someone joined the conversation (an event with a guest has happened).
pub fn guest_joined(scenario: &Scenario, state: &SessionState) -> bool {
    scenario.events.iter().zip(&state.events).any(|(e, st)| e.guest.is_some() && st.triggered_at.is_some())
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
    let topics = scenario.topics();
    let earlier_prospect = &state.used_lines[..state.used_lines.len().saturating_sub(1)];
    let ctx = TurnContext {
        prospect_name: &scenario.prospect.name,
        company: &scenario.prospect.company,
        previous_prospect_line: &state.last_prospect_line,
        previous_was_objection: state.objection_on_table,
        live_objection: live_objection(scenario, state),
        closed_question_streak: state.closed_question_streak,
        turns_without_question: state.turns_without_question,
        discovery_questions: state.discovery_questions,
        competitors: &competitors,
        proof_names: &proof_names,
        earlier_learner_lines: &state.learner_lines,
        earlier_prospect_lines: earlier_prospect,
        price_on_table: state.price_on_table,
        topics: Some(topics),
        skill: &scenario.skill_slug,
        // The gatekeeper is addressed first, and a guest who joined may be: « Madame » is
        // then said to someone else than the prospect.
        feminine: (gatekeeper::screening(scenario, state).is_none() && !guest_joined(scenario, state))
            .then(|| wording::is_feminine(scenario)),
    };
    let (reading, patterns) = analysis::read_and_judge(&ctx, message);
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    let question = reading.question.is_some();
    // A step proposed as a question neither adds to a series of closed questions nor ends it.
    state.closed_question_streak = if reading.closed_question_counts() {
        state.closed_question_streak + 1
    } else if reading.question == Some(analysis::QuestionKind::Closed) {
        state.closed_question_streak
    } else {
        0
    };
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

#[cfg(test)]
mod tests;
