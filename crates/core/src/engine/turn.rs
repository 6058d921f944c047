//! One learner turn: the reading, the gauge, the prospect's decision and its consequences,
//! the line, and the end of the conversation.

use super::answer::Decision;
use super::decision::{Inputs, decide, faults, next_objection};
use super::gatekeeper;
use super::lines::realise;
use super::*;
use crate::analysis::{Detection, PatternId};
use crate::end::{self, EndType};
use crate::text::{Normalized, french_typography};

/// Plays one learner turn. The caller has checked that the session is not over and that
/// the message is not empty.
pub fn play_turn(scenario: &Scenario, state: &mut SessionState, message: &str) -> Turn {
    let exchange = state.exchanges + 1;
    state.last_fact = None;
    let (reading, patterns) = read_learner_turn(scenario, state, message);
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    let text = Normalized::new(message);

    // Diminishing returns: a technique moves the gauge fully three times in a session, then
    // every other time, then no more.
    let counts = |d: &Detection| {
        let uses = state.technique_uses.get(d.pattern.as_str()).copied().unwrap_or(0);
        uses < 3 || (uses < 7 && uses % 2 == 1)
    };
    let fresh: Vec<Detection> = patterns.iter().filter(|d| !d.pattern.is_positive() || counts(d)).cloned().collect();
    for d in patterns.iter().filter(|d| d.pattern.is_positive()) {
        *state.technique_uses.entry(d.pattern.as_str().to_owned()).or_default() += 1;
    }
    let mut delta = gauge_delta_for(scenario, &fresh, text.word_count());
    // The prospect's words said back earn nothing, and cost once it becomes a habit.
    if reading.parrots {
        state.parrotings += 1;
        delta = delta.min(0) - if state.parrotings >= 2 { 3 } else { 0 };
    }
    // The learner's answer to an event of the previous reply.
    let mut guest_event = None;
    for (i, (event, event_state)) in scenario.events.iter().zip(state.events.iter_mut()).enumerate() {
        if event_state.triggered_at == Some(exchange - 1) && event_state.response.is_none() {
            if event.guest.is_some() {
                guest_event = Some(i);
            }
            event_state.response = Some(message.trim().to_owned());
            event_state.handled = patterns.iter().any(|d| event.handled_by.iter().any(|h| h == d.pattern.as_str()));
            delta += if event_state.handled { 3 } else { -3 };
        }
    }
    if let Some(gatekeeper) = gatekeeper::screening(scenario, state) {
        return gatekeeper::turn(scenario, gatekeeper, state, message, patterns, delta);
    }
    if let Some(i) = state.pending_objection {
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
        if objection.response.is_none() || (handled && objection.quality != Some(Quality::Good)) {
            objection.response = Some(message.trim().to_owned());
            objection.quality = Some(quality);
        }
        // Answered on its point without digging: the prospect takes the answer and no
        // longer presses it, but what hides behind it stays hidden.
        // A gesture traded on the point objected to answers it too.
        let traded = has(PatternId::TradedConcession);
        // Its hidden side out and back on the table (left unanswered), any answer on it
        // settles it.
        let settles = if objection.hidden_revealed {
            handled || reading.answers_objection || traded
        } else {
            (reading.answers_objection || traded) && !handled
        };
        if settles {
            state.pending_objection = None;
            state.objection_waiting = 0;
            if objection.hidden_revealed {
                objection.hidden_answered = true;
            }
        }
    }

    let rules = &scenario.conversation_rules;
    let user_bye = end::user_said_bye(message, &rules.end_triggers);
    let provisional = clamp_gauge(i32::from(state.gauge) + delta);
    let columbo = reading.question.is_some() && has(PatternId::ColumboQuestion) && provisional >= COLUMBO_GAUGE;
    let inputs = Inputs { reading: &reading, patterns: &patterns, provisional, exchange, user_bye, columbo };
    let decision = decide(scenario, state, &inputs);
    // A guest who asked the learner something answers the reply themselves, unless the
    // conversation is closing.
    let closing =
        |mv: Move| matches!(mv, Move::Goodbye | Move::HangUp | Move::FinalWords | Move::WrapUp | Move::NotYet);
    let guest = guest_event.filter(|_| !closing(decision.mv));
    let Decision { mv, fact, then_object, then_press, recalled_objection, then_reveal, then_bye } =
        if guest.is_some() { Decision::just(Move::Acknowledge) } else { decision };
    state.last_fact = fact.filter(|_| matches!(mv, Move::Answer | Move::AlreadySaid));
    if let Some(i) = fact.filter(|_| mv == Move::AlreadySaid) {
        state.facts_recalled.push(i);
    }

    // Consequences of the move on the state.
    let mut prospect_move = mv;
    let mut raise_after = then_object;
    state.strikes += faults(&patterns);
    match prospect_move {
        Move::AcceptNextStep => {
            // The step agreed first is the conversion; a second agreement only confirms it.
            if !state.converted {
                delta += 5;
            }
            state.converted = true;
            state.converted_at.get_or_insert(exchange);
        }
        Move::RevealHidden => {
            if let Some(i) = state.pending_objection.take() {
                state.objections[i].hidden_revealed = true;
                state.objections[i].uncovered_at = Some(exchange);
                state.objection_open_until = Some(exchange + 2);
                delta += 5;
            }
        }
        Move::RaiseObjection => {
            if let Some(i) = next_objection(scenario, state) {
                state.objections[i].raised_at = Some(exchange);
                state.pending_objection = Some(i);
                state.last_objection_at = Some(exchange);
            }
        }
        Move::Answer if fact.is_none() => prospect_move = Move::NothingMoreToTell,
        // Telling what was asked opens the prospect up a little.
        Move::Answer => delta += 2,
        // A signature refused on a hidden side let out and never answered: that reservation
        // is back on the table, and the refusal names it.
        Move::RefuseNextStep
            if state.pending_objection.is_none()
                && has(PatternId::ClosingAttempt)
                && !has(PatternId::NextStepProposal)
                && unanswered_hidden(state, exchange).is_some() =>
        {
            state.pending_objection = unanswered_hidden(state, exchange);
        }
        // A refusal comes with the next objection, if one is left: said after the refusal.
        Move::RefuseNextStep if state.pending_objection.is_none() => {
            raise_after = next_objection(scenario, state).is_some();
        }
        Move::WrapUp => state.prospect_leaving = true,
        _ => {}
    }
    // An objection treated (dug, isolated, answered on the stakes) no longer waits.
    let treated = has(PatternId::ObjectionDig) || has(PatternId::ObjectionNeutralize) || has(PatternId::ObjectionZoom);
    state.objection_waiting = match state.pending_objection {
        Some(_) if !treated && prospect_move != Move::RaiseObjection => state.objection_waiting + 1,
        _ => 0,
    };
    if prospect_move == Move::PressObjection {
        state.objection_waiting = 0;
    }
    let before = state.gauge;
    let delta = harder_near_the_top(before, delta);
    state.gauge = below_readiness(state, before, clamp_gauge(i32::from(before) + delta));
    let mood = state.mood();
    // Interested, the prospect asks for a precise date (see `lines`): the date given later
    // is taken.
    if prospect_move == Move::VagueStep && mood >= Mood::Interested && state.pending_objection.is_none() {
        state.asked_for_date = true;
    }

    let recalled = recalled_objection.and_then(|i| scenario.hidden_objections.get(i)).map(|o| o.surface.as_str());
    let mut line = match guest {
        Some(i) => guest_reply(scenario, state, i, &reading, message),
        None => realise(scenario, state, prospect_move, mood, (fact, recalled), (message, &patterns)),
    };
    // The answer given, the objection left unanswered comes back.
    if then_press {
        // The prospect says which point is left unanswered, in a few words of their own.
        let point = state.pending_objection.and_then(|i| super::wording::objection_point(scenario, state, i));
        let presses: Vec<String> = match point {
            Some(p) => vec![
                format!("Mais je reviens à ce que je vous disais : {p}"),
                format!("Et vous ne m’avez toujours pas répondu là-dessus : {p}"),
                format!("Cela dit, ça ne règle pas mon problème : {p}"),
            ],
            None => vec![
                "Mais revenons à ce qui me gêne : vous n’y avez pas répondu.".to_owned(),
                "Et sur ce qui me gêne, je n’ai toujours pas de réponse.".to_owned(),
            ],
        };
        let press = super::variety::pick_unused(state, &presses, &[""], false);
        state.used_lines.pop();
        line = format!("{line} {press}");
        if let Some(last) = state.used_lines.last_mut() {
            *last = line.clone();
        }
        state.objection_waiting = 0;
    }
    // The answer given, the prospect lets out what is behind the objection.
    if then_reveal && let Some(i) = state.pending_objection.take() {
        state.objections[i].hidden_revealed = true;
        state.objections[i].uncovered_at = Some(exchange);
        state.objection_open_until = Some(exchange + 2);
        state.gauge = below_readiness(state, before, clamp_gauge(i32::from(state.gauge) + 5));
        let frank =
            if super::wording::is_feminine(scenario) { "Et pour être franche…" } else { "Et pour être franc…" };
        // No lead that the hidden side says itself ("Pour être franc… Pour être franc", "Je
        // vais être honnête avec vous. Pour être honnête…").
        let hidden_line = &scenario.hidden_objections[i].hidden_line;
        let leads: Vec<&str> = [frank, "Je vais être honnête avec vous.", "Et puis, tant qu’on y est…"]
            .into_iter()
            .filter(|l| !super::wording::lead_repeats_line(l, hidden_line))
            .collect();
        let hidden = super::variety::pick_unused(state, std::slice::from_ref(hidden_line), &leads, true);
        state.used_lines.pop();
        line = format!("{line} {hidden}");
        if let Some(last) = state.used_lines.last_mut() {
            *last = line.clone();
        }
    }
    // The answer given, an objection that was due follows.
    let due =
        if raise_after && prospect_move != Move::NothingMoreToTell { next_objection(scenario, state) } else { None };
    if let Some(i) = due {
        state.objections[i].raised_at = Some(exchange);
        state.pending_objection = Some(i);
        state.last_objection_at = Some(exchange);
        let objection = super::variety::pick_unused(
            state,
            &[scenario.hidden_objections[i].surface.clone()],
            &["Cela dit…", "Mais bon…", "Par contre…"],
            true,
        );
        // One line said: the answer, then the objection.
        state.used_lines.pop();
        line = format!("{line} {objection}");
        if let Some(last) = state.used_lines.last_mut() {
            *last = line.clone();
        }
    }
    if then_bye {
        line = format!("{line} Au revoir, et merci.");
        if let Some(last) = state.used_lines.last_mut() {
            *last = line.clone();
        }
    }
    // An event interrupts after the reply, unless the conversation is closing (or a guest
    // is speaking), or the reply puts an objection to the learner: it waits for the answer.
    let objecting = due.is_some() || matches!(prospect_move, Move::RaiseObjection | Move::PressObjection);
    if !closing(prospect_move) && !then_bye && guest.is_none() && !objecting {
        let due = scenario
            .events
            .iter()
            .zip(state.events.iter_mut())
            .find(|(e, s)| e.at_exchange <= exchange && s.triggered_at.is_none());
        if let Some((event, event_state)) = due {
            event_state.triggered_at = Some(exchange);
            // Agreed already, the prospect does not threaten to put everything off ("soit on
            // boucle maintenant, soit je repousse tout" after "c'est entendu").
            let settled = state.converted && crate::analysis::asks_to_settle(&event.line);
            if !settled {
                line = format!("{line} {}", french_typography(&event.line));
            }
        }
    }

    // Having said it wants to settle now ("Soit on boucle maintenant, soit je repousse
    // tout"), or asked when things will be done ("et pour quand ?"), the prospect takes the
    // closing or the dated plan it is then given, like a date it asked for.
    if crate::analysis::asks_to_settle(&line) || crate::analysis::asks_when(&line) {
        state.asked_for_date = true;
    }

    let gauge_delta = i32::from(state.gauge) - i32::from(before);
    finish_turn(scenario, state, message, exchange, line, prospect_move, patterns, gauge_delta)
}

/// What an event's guest says to the learner's turn: convinced by what they came for (a
/// benefit, a proof, a figure, or the event's technique in a statement), answering in
/// their role a question that gives them none of it, unconvinced otherwise.
fn guest_reply(
    scenario: &Scenario,
    state: &mut SessionState,
    event: usize,
    reading: &crate::analysis::TurnReading,
    message: &str,
) -> String {
    use crate::analysis::Act;
    let Some(guest) = scenario.events.get(event).and_then(|e| e.guest.as_ref()) else {
        return String::new();
    };
    let handled = state.events.get(event).is_some_and(|s| s.handled);
    let substance =
        reading.has(Act::Benefit) || reading.has(Act::Proof) || crate::analysis::relevance::has_figure(message);
    let said = if substance {
        &guest.convinced
    } else if reading.question.is_some() {
        &guest.asked
    } else if handled {
        &guest.convinced
    } else {
        &guest.unconvinced
    };
    if let Some(s) = state.events.get_mut(event) {
        s.guest_spoke = true;
    }
    let line = french_typography(said);
    state.used_lines.push(line.clone());
    line
}

/// The highest interest before « prêt à acheter ».
const INTERESTED_AT_MOST: u8 = 79;

/// Past 70, interest is harder to win: a gain shrinks as the gauge nears 100 (a prospect
/// is not ready to buy because every line was pleasant); a loss counts in full.
pub(super) fn harder_near_the_top(before: u8, delta: i32) -> i32 {
    const FROM: i32 = 70;
    let before = i32::from(before);
    if delta <= 0 || before < FROM { delta } else { (delta * (100 - before) + (100 - FROM - 1)) / (100 - FROM) }
}

/// Interest is not readiness to buy: until the learner has put something forward (a
/// benefit, a proof, a step, a closing, a traded gesture), the gauge rises no higher than
/// « intéressé » (it never falls for it: a prospect who came in ready stays so).
fn below_readiness(state: &SessionState, before: u8, gauge: u8) -> u8 {
    let proposed = ["benefit_argument", "proof_used", "next_step_proposal", "closing_attempt", "traded_concession"]
        .iter()
        .any(|p| state.technique_uses.contains_key(*p));
    if proposed { gauge } else { gauge.min(INTERESTED_AT_MOST.max(before)) }
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
    // Without auto-end, goodbyes end nothing: no ending is announced either (an ended
    // conversation's end type never comes with a session that goes on).
    if !rules.auto_end_enabled && end_type == Some(EndType::MutualGoodbye) {
        session_ended = false;
        end_type = None;
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
    // Leaving, the prospect turned the last step down and said goodbye.
    if !session_ended && prospect_move == Move::RefuseNextStep && state.prospect_leaving {
        session_ended = true;
        end_type = Some(EndType::ProspectEnded);
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
    // An objection stays live until it is treated; once its hidden side is out, for two
    // more exchanges, to be isolated and answered (unless it was just answered).
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    // Explored further on a later turn (« qui pourrait bloquer au conseil ? ») counts as
    // taken up; the dig that let the hidden side out opened the window and does not close it.
    let opened_now = state.objection_open_until == Some(exchange + 2);
    // The turn that let it out answered what was on the surface, not the hidden side.
    let answered = !opened_now
        && (has(PatternId::ObjectionNeutralize) || has(PatternId::ObjectionZoom) || has(PatternId::ObjectionDig));
    let revealed = super::wording::last_revealed_hidden(state);
    if answered && state.objection_open_until.is_some() {
        if let Some(i) = revealed {
            state.objections[i].hidden_answered = true;
        }
        if state.pending_objection.is_none() {
            state.objection_open_until = None;
        }
    }
    if state.objection_open_until.is_some_and(|until| exchange >= until) {
        state.objection_open_until = None;
    }

    state.objection_on_table =
        state.pending_objection.is_some() || state.objection_open_until.is_some_and(|until| exchange < until);
    Turn {
        exchange,
        prospect_text: line,
        prospect_move,
        gauge: state.gauge,
        gauge_delta,
        mood: state.mood(),
        patterns,
        session_ended,
        end_type,
    }
}

/// A hidden side the learner let out, whose window to answer it has closed, and that was
/// never answered (issue 13: an objection never answered comes back).
pub(super) fn unanswered_hidden(state: &SessionState, exchange: u32) -> Option<usize> {
    state
        .objections
        .iter()
        .position(|o| o.hidden_revealed && !o.hidden_answered && o.uncovered_at.is_some_and(|at| at + 2 <= exchange))
}
