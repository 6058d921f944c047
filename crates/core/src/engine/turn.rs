//! One learner turn: the reading, the gauge, the prospect's decision and its consequences,
//! the line, and the end of the conversation.

use super::gatekeeper;
use super::lines::{mentioned_competitor, realise};
use super::*;
use crate::analysis::{self, Detection, PatternId};
use crate::end::{self, EndType};
use crate::text::{Normalized, french_typography};

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
pub(super) fn finish_turn(
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

pub(super) fn next_objection(state: &SessionState) -> Option<usize> {
    state.objections.iter().position(|o| o.raised_at.is_none())
}

/// The fact to reveal: to a well-timed Columbo question (`columbo`), the key fact it earns;
/// else the first unrevealed one on the asked topic, else the first unrevealed one. A
/// Columbo-only fact never answers anything but a Columbo question.
pub(super) fn next_fact(
    scenario: &Scenario,
    state: &SessionState,
    topic: Option<&str>,
    columbo: bool,
) -> Option<usize> {
    let facts = &scenario.facts;
    let available = |i: &usize| !state.facts_revealed.contains(i) && (columbo || !facts[*i].columbo_only);
    let key = columbo.then(|| (0..facts.len()).filter(available).find(|i| facts[*i].columbo_only)).flatten();
    key.or_else(|| topic.and_then(|t| (0..facts.len()).filter(available).find(|i| facts[*i].topic == t)))
        .or_else(|| (0..facts.len()).find(available))
}
