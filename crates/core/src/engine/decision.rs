//! What the prospect does this turn (issue 13): answer what was asked, say when it was
//! already said or makes no sense, raise and press objections on their own, and leave
//! because of what the learner did, never because of the clock.

use super::*;
use crate::analysis::{Act, PatternId, TargetKind, TurnReading};
use crate::level::Level;

/// The move, and the fact it reveals when it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Decision {
    pub(super) mv: Move,
    pub(super) fact: Option<usize>,
    /// Raise the next objection after answering (the prospect answers what was asked,
    /// then objects on their own).
    pub(super) then_object: bool,
}

impl Decision {
    fn just(mv: Move) -> Self {
        Decision { mv, fact: None, then_object: false }
    }
}

/// What the turn needs to decide.
pub(super) struct Inputs<'a> {
    pub(super) reading: &'a TurnReading,
    pub(super) patterns: &'a [Detection],
    /// The gauge once this turn's patterns are counted.
    pub(super) provisional: u8,
    pub(super) exchange: u32,
    pub(super) user_bye: bool,
    /// A well-timed Columbo question: it earns the key fact.
    pub(super) columbo: bool,
}

/// Faults a prospect puts up with before leaving, by level.
pub(super) fn patience(level: Level) -> u32 {
    match level {
        Level::Easy => 5,
        Level::Medium => 4,
        Level::Expert => 3,
    }
}

/// The faults that try a prospect's patience.
pub(super) fn faults(patterns: &[Detection]) -> u32 {
    use PatternId::*;
    let count = patterns
        .iter()
        .filter(|d| {
            matches!(
                d.pattern,
                Pushy | AggressiveTone | CompetitorBashing | ObjectionIgnored | OffTopic | Repetition | FalsePretext
            )
        })
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// From which exchange the prospect raises an objection unprompted, and how many exchanges
/// after the previous one.
fn objection_rhythm(level: Level) -> (u32, u32) {
    match level {
        Level::Easy => (4, 4),
        Level::Medium => (3, 3),
        Level::Expert => (2, 3),
    }
}

pub(super) fn decide(scenario: &Scenario, state: &SessionState, input: &Inputs<'_>) -> Decision {
    let Inputs { reading, patterns, provisional, exchange, user_bye, columbo } = *input;
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    let rules = &scenario.conversation_rules;
    let question = reading.question.is_some();
    let key_fact = columbo.then(|| next_fact(scenario, state, reading, true)).flatten();

    if let Some(fact) = key_fact.filter(|f| scenario.facts[*f].columbo_only && provisional > HANG_UP_GAUGE) {
        // The candid last question, often asked on the way out, earns the key fact first.
        return Decision { mv: Move::Answer, fact: Some(fact), then_object: false };
    }
    if user_bye {
        return Decision::just(if exchange >= rules.min_exchanges { Move::Goodbye } else { Move::NotYet });
    }
    if provisional <= HANG_UP_GAUGE && exchange >= 2 {
        return Decision::just(Move::HangUp);
    }
    // A prospect who is ready accepts a precise next step, whatever the exchange count.
    if has(PatternId::ClosingAttempt) || has(PatternId::NextStepProposal) {
        let ready = provisional >= CONVERSION_GAUGE && state.pending_objection.is_none();
        return Decision::just(if ready { Move::AcceptNextStep } else { Move::RefuseNextStep });
    }
    if state.prospect_leaving || exchange >= rules.max_exchanges {
        return Decision::just(Move::FinalWords);
    }
    // The prospect leaves because of what the learner did, once patience runs out; or
    // because the call has run its course.
    let strikes = state.strikes + faults(patterns);
    if exchange >= rules.min_exchanges && (strikes >= patience(scenario.level) || exchange + 1 >= rules.max_exchanges) {
        return Decision::just(Move::WrapUp);
    }
    if reading.repeats.is_some() {
        return Decision::just(Move::AlreadyAsked);
    }
    if reading.off_topic || reading.unintelligible {
        return Decision::just(Move::Puzzled);
    }
    // Contempt always gets a push-back; pressure and put-downs do unless the line also
    // asks something, which is answered (the fault still costs its gauge points).
    let pressing = has(PatternId::Pushy) || has(PatternId::CompetitorBashing);
    if has(PatternId::AggressiveTone) || (pressing && !question) {
        return Decision::just(Move::PushBack);
    }
    // A discount nobody asked for: the buyer takes note and asks for more.
    if has(PatternId::ConcessionWithoutCounterpart) {
        return Decision::just(Move::ReactToPrice);
    }
    if let Some(pending) = state.pending_objection.filter(|i| !state.objections[*i].hidden_revealed) {
        // Digging earns the hidden side: a CNZ question, empathy with a question, or a
        // question that goes where the objection hides (the template's discovery cues).
        let on_the_trail =
            question && reading.targets.iter().any(|t| t.kind == TargetKind::Objection && t.index == pending);
        if has(PatternId::ObjectionDig)
            || has(PatternId::ObjectionNeutralize)
            || (has(PatternId::Empathy) && question)
            || on_the_trail
        {
            return Decision::just(Move::RevealHidden);
        }
        // An objection left unanswered comes back.
        if !question || state.objection_waiting >= 1 {
            return Decision::just(Move::PressObjection);
        }
    }
    // A proof said in passing does not stop a question from being answered.
    if has(PatternId::ProofUsed) && !question {
        return Decision::just(Move::ReactToProof);
    }
    let competitor =
        lines::mentioned_competitor(scenario, &crate::text::Normalized::new(&reading.sentences.join(" "))).is_some();
    if competitor && !question {
        return Decision::just(Move::ReactToCompetitor);
    }
    if has(PatternId::PrematurePrice) && !question {
        return Decision::just(Move::ReactToPrice);
    }
    // Objections come on their own too, with the persona's rhythm: a good discoverer meets
    // them through questions.
    let (first, every) = objection_rhythm(scenario.level);
    let due = exchange >= first && state.last_objection_at.is_none_or(|at| exchange >= at + every);
    let objection_due = state.pending_objection.is_none() && due && next_objection(scenario, state).is_some();
    // A restatement checked with "c'est bien ça ?" is confirmed; a new question after it
    // is answered.
    let checking = reading.question != Some(crate::analysis::QuestionKind::Open);
    if reading.has(Act::Reformulation) && checking {
        return Decision { then_object: objection_due, ..Decision::just(Move::Confirm) };
    }
    if question {
        // Answer what was asked first; an objection that is due comes after the answer.
        let answer = answer(scenario, state, reading, columbo);
        return Decision { then_object: objection_due && answer.mv == Move::Answer, ..answer };
    }
    // A pitch meets an objection at once.
    let pitching = has(PatternId::SelfCentered) || has(PatternId::Monologue);
    if objection_due || (pitching && state.pending_objection.is_none() && next_objection(scenario, state).is_some()) {
        return Decision::just(Move::RaiseObjection);
    }
    if next_objection(scenario, state).is_some() && exchange >= 3 && state.pending_objection.is_none() {
        return Decision::just(Move::RaiseObjection);
    }
    Decision::just(if reading.has(Act::Reformulation) { Move::Confirm } else { Move::Acknowledge })
}

/// The answer to a question (issue 13: answer what was asked): a fact not told yet that the
/// question targets; else one on the item it asks about; "I told you" only when it clearly
/// targets a fact already told and nothing new; a short answer to a vague closed
/// question; at expert level, facts are earned by precise questions only.
fn answer(scenario: &Scenario, state: &SessionState, reading: &TurnReading, columbo: bool) -> Decision {
    let fact = |index: usize| Decision { mv: Move::Answer, fact: Some(index), then_object: false };
    let available = |i: usize| !state.facts_revealed.contains(&i) && (columbo || !scenario.facts[i].columbo_only);
    let item = reading.discovery_item.as_deref();
    // Something new that the question is about, by its cues, then by its item.
    let targeted =
        reading.targets.iter().filter(|t| t.kind == TargetKind::Fact).map(|t| t.index).find(|i| available(*i));
    if let Some(i) = targeted {
        return fact(i);
    }
    if let Some(i) =
        item.and_then(|it| (0..scenario.facts.len()).find(|i| available(*i) && scenario.facts[*i].topic == it))
    {
        return fact(i);
    }
    // Asked again about what was told: say so.
    if best_fact(scenario, reading, columbo).is_some_and(|i| state.facts_revealed.contains(&i)) {
        return Decision::just(Move::AlreadySaid);
    }
    let open = reading.question == Some(crate::analysis::QuestionKind::Open);
    let earned = item.is_some() || (open && scenario.level != Level::Expert);
    if !earned {
        return Decision::just(Move::ShortAnswer);
    }
    match next_fact(scenario, state, reading, columbo) {
        Some(i) => fact(i),
        None => Decision::just(Move::NothingMoreToTell),
    }
}

/// The fact the question clearly asks about (revealed or not): its cues match at least two
/// words, or one when the fact is on the item the question asks about. A single shared
/// word is not enough to say "I told you already".
fn best_fact(scenario: &Scenario, reading: &TurnReading, columbo: bool) -> Option<usize> {
    let item = reading.discovery_item.as_deref();
    reading
        .targets
        .iter()
        .filter(|t| t.kind == TargetKind::Fact)
        .filter(|t| t.score >= 3 || (t.score >= 2 && item == Some(scenario.facts[t.index].topic.as_str())))
        .map(|t| t.index)
        .find(|i| columbo || !scenario.facts[*i].columbo_only)
}

/// The next objection the prospect has not raised yet. Once the learner is through to the
/// decision-maker, the gatekeeper's objections (those that speak of the decision-maker in
/// the third person) are no longer theirs to raise.
pub(super) fn next_objection(scenario: &Scenario, state: &SessionState) -> Option<usize> {
    let last_name = scenario.prospect.name.split_whitespace().last().unwrap_or_default();
    let gatekeepers = |i: usize| {
        scenario.gatekeeper.is_some()
            && last_name.chars().count() >= 3
            && crate::text::Normalized::new(&scenario.hidden_objections[i].surface).contains(last_name)
    };
    state.objections.iter().enumerate().position(|(i, o)| o.raised_at.is_none() && !gatekeepers(i))
}

/// The fact to reveal: to a well-timed Columbo question (`columbo`), the key fact it earns;
/// else the unrevealed fact the question targets, else the first unrevealed one on the
/// asked item, else the first unrevealed one. A Columbo-only fact never answers anything
/// but a Columbo question.
pub(super) fn next_fact(
    scenario: &Scenario,
    state: &SessionState,
    reading: &TurnReading,
    columbo: bool,
) -> Option<usize> {
    let facts = &scenario.facts;
    let available = |i: &usize| !state.facts_revealed.contains(i) && (columbo || !facts[*i].columbo_only);
    let key = columbo.then(|| (0..facts.len()).filter(available).find(|i| facts[*i].columbo_only)).flatten();
    let targeted =
        || reading.targets.iter().filter(|t| t.kind == TargetKind::Fact).map(|t| t.index).find(|i| available(i));
    let topic = reading.discovery_item.as_deref();
    key.or_else(targeted)
        .or_else(|| topic.and_then(|t| (0..facts.len()).filter(available).find(|i| facts[*i].topic == t)))
        .or_else(|| (0..facts.len()).find(available))
}
