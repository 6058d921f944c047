//! What the prospect does this turn (issue 13): answer what was asked, say when it was
//! already said or makes no sense, raise and press objections on their own, and leave
//! because of what the learner did, never because of the clock.

use super::answer::{ANSWERS, Decision, answer, rank};
use super::*;
use crate::analysis::{Act, PatternId, TargetKind, TurnReading};
use crate::level::Level;

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
                Pushy
                    | AggressiveTone
                    | CompetitorBashing
                    | ObjectionIgnored
                    | OffTopic
                    | Repetition
                    | FalsePretext
                    // A manual recited ("Question ouverte : …") tries a prospect too.
                    | MethodNamed
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
    // "Ça vous intéresserait ?", "qu'en pensez-vous ?" after a pitch ask for a reaction to
    // the pitch, not for something the prospect knows.
    let question = reading.question.is_some()
        && !reading.asks_only_reaction()
        && !reading.only_proposes()
        && !heard::asks_only_how_they_are(&reading.sentences);
    let key_fact = columbo.then(|| next_fact(scenario, state, reading, true)).flatten();

    if let Some(fact) = key_fact.filter(|f| scenario.facts[*f].columbo_only && provisional > HANG_UP_GAUGE) {
        // The candid last question, often asked on the way out, earns the key fact first.
        return Decision { fact: Some(fact), ..Decision::just(Move::Answer) };
    }
    if user_bye {
        // A dated step proposed on the way out ("mardi 14 h avec Olivier ? Bonne journée !")
        // is agreed before the goodbye, by a prospect who is ready.
        let dated_step = has(PatternId::NextStepProposal) && reading.has(Act::NextStep) && !state.converted;
        let ready = provisional >= CONVERSION_GAUGE && state.pending_objection.is_none();
        if dated_step && ready && exchange >= rules.min_exchanges {
            return Decision { then_bye: true, ..Decision::just(Move::AcceptNextStep) };
        }
        return Decision::just(if exchange >= rules.min_exchanges { Move::Goodbye } else { Move::NotYet });
    }
    // Once a step is agreed, asked whether others will come, the prospect says they will
    // see to it (see `lines`), rather than repeat the date.
    if state.converted && heard::asks_if_others_come(&reading.sentences.join(" ")) {
        return Decision::just(Move::AcceptNextStep);
    }
    if provisional <= HANG_UP_GAUGE && exchange >= 2 {
        return Decision::just(Move::HangUp);
    }
    // A step without a date ("on se rappelle un de ces jours ?", "je vous envoie un mail avec
    // quelques dispos"), even worded as a closing: the prospect lets it drift or asks for a
    // real date, depending on their interest.
    // (A signature asked for in so many words is a closing, whatever period the turn names.)
    // Once a step is agreed, another one without a date ("je vous rappelle dans quelques
    // semaines ?") is agreed as what was said: the prospect keeps to it.
    // (Terms of a deal traded in a period, "démarrage garanti début octobre", are no step.)
    if reading.has(Act::VagueStep)
        && !reading.has(Act::NextStep)
        && !reading.has(Act::Closing)
        && !reading.has(Act::ConditionalConcession)
    {
        return Decision::just(if state.converted { Move::AcceptNextStep } else { Move::VagueStep });
    }
    // A technique announced by name ("Tentative de conclusion : …", "Méthode CNZ : …") is
    // heard as a manual recited: the prospect asks to be spoken to, and agrees to nothing.
    if reading.names_method.is_some() && exchange >= 2 {
        // Past the prospect's patience, the recital ends the call.
        if state.prospect_leaving {
            return Decision::just(Move::FinalWords);
        }
        let strikes = state.strikes + faults(patterns);
        let worn_out = exchange >= rules.min_exchanges && strikes >= patience(scenario.level);
        return Decision::just(if worn_out { Move::WrapUp } else { Move::Puzzled });
    }
    // A prospect who is ready accepts a precise next step, whatever the exchange count.
    // (A gesture traded for the deal is weighed first, below.)
    let traded = has(PatternId::TradedConcession) && !has(PatternId::NextStepProposal);
    // Once a step is agreed, a question of substance beside the step ("il faudra quand même
    // la validation d'Hélène Favre, non ?") is answered rather than the step confirmed again.
    let asks_beside_step = state.converted && question && asks_beside_the_step(reading);
    if (has(PatternId::ClosingAttempt) || has(PatternId::NextStepProposal)) && !traded && !asks_beside_step {
        // Having asked for a date, the prospect takes the one given.
        let asked_for_date = state.asked_for_date;
        // A signature asked for while a hidden side let out was never answered: not yet.
        let doubt_left = has(PatternId::ClosingAttempt)
            && !has(PatternId::NextStepProposal)
            && super::turn::unanswered_hidden(state, exchange).is_some();
        let ready =
            (provisional >= CONVERSION_GAUGE || asked_for_date) && state.pending_objection.is_none() && !doubt_left;
        // Asked to commit, a prospect who is not won over yet and still holds a reservation
        // they never voiced voices it now: the commitment is where it bites ("Ravelle…
        // c'est délicat"). One who is won over commits.
        let won_over = provisional >= CONVERSION_GAUGE + 15;
        if ready
            && !won_over
            && !asked_for_date
            && !state.converted
            && exchange >= 2
            && next_objection(scenario, state).is_some()
        {
            return Decision::just(Move::RaiseObjection);
        }
        // A prospect on the way out ("je dois vous laisser") who turns the step down leaves.
        let then_bye = state.prospect_leaving && !ready;
        return Decision {
            then_bye,
            ..Decision::just(if ready { Move::AcceptNextStep } else { Move::RefuseNextStep })
        };
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
    if reading.volley {
        return Decision::just(Move::OneAtATime);
    }
    if reading.off_topic || reading.unintelligible {
        return Decision::just(Move::Puzzled);
    }
    // Contempt always gets a push-back; pressure and put-downs do unless the line also
    // asks something, which is answered (the fault still costs its gauge points).
    // (Agreeing that "il y a beaucoup d'acteurs pas sérieux" runs nobody down by name: the
    // fault costs its points, without a push-back.)
    let named =
        wording::mentioned_competitor(scenario, &crate::text::Normalized::new(&reading.sentences.join(" "))).is_some();
    let pressing = has(PatternId::Pushy) || (has(PatternId::CompetitorBashing) && named);
    if has(PatternId::AggressiveTone) || (pressing && !question) {
        return Decision::just(Move::PushBack);
    }
    // A discount nobody asked for (or traded for a quick signature only): the buyer takes
    // note and asks for more; a buyer whose doubt is not about the price says that a
    // discount does not answer it.
    let for_a_date = reading.has(Act::ConditionalConcession) && !has(PatternId::TradedConcession);
    if has(PatternId::ConcessionWithoutCounterpart) || for_a_date {
        let doubt_elsewhere = state.pending_objection.is_some_and(|i| !about_price(&scenario.hidden_objections[i]));
        return Decision::just(if doubt_elsewhere { Move::PressObjection } else { Move::ReactToPrice });
    }
    // "Quelle inquiétude ?": the prospect says it again.
    if reading.has(Act::BrushOff) && state.pending_objection.is_some() {
        return Decision::just(Move::PressObjection);
    }
    if let Some(pending) = state.pending_objection.filter(|i| !state.objections[*i].hidden_revealed) {
        // Digging earns the hidden side: a CNZ question, empathy with a question, or a
        // question that goes where the objection hides (the template's discovery cues).
        // On the trail: the question is about the objection more than about any fact.
        let best_fact = reading.targets.iter().filter(|t| t.kind == TargetKind::Fact).map(|t| t.score).max();
        let on_the_trail = question
            && reading.targets.iter().any(|t| {
                t.kind == TargetKind::Objection
                    && t.index == pending
                    && t.score >= 2
                    && best_fact.is_none_or(|f| t.score >= f)
            });
        if has(PatternId::ObjectionDig)
            || has(PatternId::ObjectionNeutralize)
            || (has(PatternId::Empathy) && question)
            || on_the_trail
        {
            // A discovery question with a clear answer, asked after a word for the
            // objection, is answered first; the hidden side follows.
            // A question that digs the objection itself is answered by its hidden side.
            let digs = has(PatternId::ObjectionNeutralize)
                || reading.sentence_of(Act::ObjectionDig).is_some_and(|s| {
                    crate::text::Normalized::new(s).find_any(&crate::analysis::lexicon::LEX.dig).is_some()
                });
            if question && !on_the_trail && !digs {
                let answered = answer(scenario, state, reading, columbo);
                let clear = answered.fact.is_some_and(|i| {
                    rank(scenario, reading)
                        .facts
                        .iter()
                        .any(|f| f.index == i && f.score >= ANSWERS && (f.cues > 0 || (f.on_item && f.shared > 0)))
                });
                if answered.mv == Move::Answer && clear {
                    return Decision { then_reveal: true, ..answered };
                }
            }
            return Decision::just(Move::RevealHidden);
        }
        // An objection left unanswered comes back: after the answer, to a question.
        if !question || state.objection_waiting >= 1 {
            if question {
                let answered = answer(scenario, state, reading, columbo);
                if matches!(answered.mv, Move::Answer | Move::AlreadySaid | Move::NothingOnIt) {
                    return Decision { then_press: true, ..answered };
                }
            }
            return Decision::just(Move::PressObjection);
        }
    }
    // A gesture traded for a commitment (the objection it answers is no longer pending)
    // is weighed: the deal moves, and the buyer who is ready takes it.
    if has(PatternId::TradedConcession) {
        let ready = provisional >= CONVERSION_GAUGE + 15 && state.pending_objection.is_none();
        return Decision::just(if ready { Move::AcceptNextStep } else { Move::WeighOffer });
    }
    // An objection isolated once its hidden side is out: the next one, if any, comes up
    // ("est-ce la seule chose ?" – "pas seulement…"), else it is the one point.
    if has(PatternId::ObjectionNeutralize) && reading.question.is_some() && state.pending_objection.is_none() {
        return Decision::just(if next_objection(scenario, state).is_some() && exchange >= 2 {
            Move::RaiseObjection
        } else {
            Move::OnlyConcern
        });
    }
    // What the prospect just learnt from the learner (an error owned up to) draws the
    // objection it was waiting for, at once.
    let just_learnt = next_objection(scenario, state).is_some_and(|i| {
        let after = &scenario.hidden_objections[i].after;
        !after.is_empty() && !super::answer::knew(state, after, state.learner_lines.len().saturating_sub(1))
    });
    if just_learnt && state.pending_objection.is_none() {
        return Decision::just(Move::RaiseObjection);
    }
    // Objections come on their own too, with the persona's rhythm: a good discoverer meets
    // them through questions.
    let (first, every) = objection_rhythm(scenario.level);
    let due = exchange >= first && state.last_objection_at.is_none_or(|at| exchange >= at + every);
    let objection_due = state.pending_objection.is_none() && due && next_objection(scenario, state).is_some();
    // A proposal or a remedy weighed in a question gets a stance first (whatever else the
    // turn mentions); an objection that is due follows it.
    let weighed = reading.sentences.iter().any(|s| s.contains('?') && crate::analysis::weighs(s));
    if weighed && !question && state.pending_objection.is_none() {
        return Decision { then_object: objection_due, ..Decision::just(Move::Acknowledge) };
    }
    // Asked what bothers them ("qu'est-ce qui vous gêne ?", "qu'est-ce qui vous retient ?"),
    // the prospect says the next thing that holds them back.
    if question
        && state.pending_objection.is_none()
        && asks_for_concerns(scenario, state, reading)
        && next_objection(scenario, state).is_some()
    {
        return Decision::just(Move::RaiseObjection);
    }
    // "…les résultats de Rivazur. Vous avez deux minutes ?": the time asked for is given
    // (or not) before any proof is weighed.
    if heard::asks_for_time(&reading.sentences.join(" ")) && state.exchanges <= 2 {
        return Decision::just(Move::Acknowledge);
    }
    // A proof said in passing does not stop a question from being answered.
    if has(PatternId::ProofUsed) && !question {
        return Decision::just(Move::ReactToProof);
    }
    let competitor =
        wording::mentioned_competitor(scenario, &crate::text::Normalized::new(&reading.sentences.join(" "))).is_some();
    if competitor && !question {
        return Decision::just(Move::ReactToCompetitor);
    }
    if has(PatternId::PrematurePrice) && !question {
        return Decision::just(Move::ReactToPrice);
    }
    // A restatement checked with "c'est bien ça ?" is confirmed; a new question after it
    // is answered.
    let checking = reading.question != Some(crate::analysis::QuestionKind::Open) && only_checks(reading);
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

/// Whether the turn asks what holds the prospect back in the offer: a question on what
/// bothers them, once they have objected already or about the offer itself ("qu'est-ce
/// qui vous gêne dans le devis ?"), not about their work ("qu'est-ce qui vous gêne au
/// quotidien ?" is discovery).
fn asks_for_concerns(scenario: &Scenario, state: &SessionState, reading: &TurnReading) -> bool {
    let objected = state.objections.iter().any(|o| o.raised_at.is_some());
    reading.sentences.iter().filter(|s| s.contains('?')).any(|s| {
        let t = crate::text::Normalized::new(s);
        let concern = t
            .find_any(&[
                "ce qui vous gene",
                "ce qui vous retient",
                "ce qui vous freine",
                "ce qui vous derange",
                "ce qui vous pose probleme",
                "ce qui vous fait hesiter",
                "ce qui vous fait encore hesiter",
                "ce qui vous retient encore",
                "ce qui vous freine encore",
                "ce qui vous inquiete",
                "ce qui vous manque pour",
                "ce qui vous manque encore",
                "ce qui manque encore",
                "ce qui manque pour que vous",
                "ce qu il manque pour que vous",
                "ce qu il vous manque",
                "ce qui vous empeche",
                "ce qui bloque encore",
                "ce qui coince",
                "ce qui vous fait tiquer",
                "ne vous convient pas",
                "ne vous va pas",
                "qu est ce qui ne va pas",
            ])
            .is_some();
        // The questions others raised ("vous avez une liste de questions de leur part ?").
        let others = t
            .find_any(&[
                "questions de leur part",
                "leurs questions",
                "leurs remarques",
                "leurs reserves",
                "leurs objections",
                "leurs inquietudes",
                "leurs doutes",
                "questions du comite",
                "remarques du comite",
                "reserves du comite",
                "les points en suspens",
                "les points qui bloquent",
            ])
            .is_some();
        let on_the_offer = t
            .find_any(&[
                "devis",
                "proposition",
                "offre",
                "prix",
                "tarif",
                "contrat",
                "echeancier",
                "conditions",
                "ce cadre",
                "cet accord",
                "recommander",
                "signer",
                "valider",
            ])
            .is_some()
            || t.contains(crate::text::Normalized::new(&scenario.product.name).as_str());
        others || (concern && (objected || on_the_offer))
    })
}

/// Whether every question of a turn that restates checks the restatement ("Si je
/// comprends bien, vous relancez à la main ?", "C'est bien ça ?"), rather than asking
/// something new after it ("… les rectifs, les départs… elle tient le coup ?").
fn only_checks(reading: &TurnReading) -> bool {
    let restated: Vec<usize> =
        reading.acts.iter().filter(|a| a.act == Act::Reformulation).map(|a| a.sentence).collect();
    reading.sentences.iter().enumerate().filter(|(_, s)| s.contains('?')).all(|(i, s)| {
        let text = crate::text::Normalized::new(s);
        restated.contains(&i) || text.word_count() <= 3 || (text.word_count() <= 12 && text.find_any(CHECKS).is_some())
    })
}

/// How a learner asks whether they understood.
const CHECKS: &[&str] = &[
    "c est bien ca",
    "c est ca",
    "je me trompe",
    "j ai bien compris",
    "j ai bien saisi",
    "j ai compris",
    "c est correct",
    "c est juste",
    "c est exact",
    "vous confirmez",
    "je resume bien",
    "je reformule bien",
    "on est d accord",
    "vous etes d accord",
];

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
    // An objection that quotes the price waits until the price is on the table: a prospect
    // never quotes a price nobody gave them.
    let quotes_price = |i: usize| {
        let surface = &scenario.hidden_objections[i].surface;
        surface.chars().any(|c| c.is_ascii_digit())
            && crate::text::Normalized::new(surface).find_any(&["euros", "euro", "eur"]).is_some()
    };
    // A figure in euros from the learner, not just a word on cost ("ça vous coûte quoi ?"):
    // looked for only when an objection that quotes a price is next in line.
    let price_given = || {
        state.price_on_table
            && state.learner_lines.iter().any(|l| {
                l.chars().any(|c| c.is_ascii_digit())
                    && (l.contains('€')
                        || crate::text::Normalized::new(l).find_any(&["euros", "euro", "eur", "ht"]).is_some())
            })
    };
    state.objections.iter().enumerate().position(|(i, o)| {
        o.raised_at.is_none()
            && !gatekeepers(i)
            && (!quotes_price(i) || price_given())
            && super::answer::knows(state, &scenario.hidden_objections[i].after)
    })
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
    let available = |i: &usize| {
        !state.facts_revealed.contains(i)
            && (columbo || !facts[*i].columbo_only)
            && super::answer::knows(state, &facts[*i].after)
    };
    let key = columbo.then(|| (0..facts.len()).filter(available).find(|i| facts[*i].columbo_only)).flatten();
    let targeted =
        || reading.targets.iter().filter(|t| t.kind == TargetKind::Fact).map(|t| t.index).find(|i| available(i));
    let topic = reading.discovery_item.as_deref();
    let offered = |i: &usize| available(i) && !facts[*i].detail;
    key.or_else(targeted)
        .or_else(|| topic.and_then(|t| (0..facts.len()).filter(offered).find(|i| facts[*i].topic == t)))
        .or_else(|| (0..facts.len()).find(offered))
}

/// Whether a question of the turn asks something else than the step it proposes: a
/// question sentence that neither proposes a step nor closes, with words of its own.
fn asks_beside_the_step(reading: &TurnReading) -> bool {
    reading.sentences.iter().enumerate().any(|(i, s)| {
        s.contains('?')
            && !reading
                .acts
                .iter()
                .any(|a| a.sentence == i && matches!(a.act, Act::NextStep | Act::Closing | Act::VagueStep))
            && crate::analysis::topics::stems_of([s.as_str()]).len() >= 2
            && !logistics(s)
    })
}

/// Whether a question is only about the logistics of the step agreed ("je vous envoie
/// l'invitation ?", "c'est bon pour vous ?").
fn logistics(question: &str) -> bool {
    crate::text::Normalized::new(question)
        .find_any(&[
            "je vous envoie",
            "je vous fais parvenir",
            "invitation",
            "confirmation",
            "ordre du jour",
            "c est bon pour vous",
            "ca vous va",
            "on fait comme ca",
            "d accord",
            "ca marche",
        ])
        .is_some()
}

/// Whether an objection is about the price (its id or its words).
pub(super) fn about_price(objection: &crate::catalog::Objection) -> bool {
    ["prix", "budget", "cout", "tarif"].iter().any(|w| objection.id.contains(w))
        || crate::text::Normalized::new(&objection.surface)
            .find_any(&["cher", "prix", "euros", "budget", "tarif", "cout", "coute", "remise"])
            .is_some()
}
