//! What the prospect does this turn (issue 13): answer what was asked, say when it was
//! already said or makes no sense, raise and press objections on their own, and leave
//! because of what the learner did, never because of the clock.

use super::*;
use crate::analysis::{Act, PatternId, TargetKind, TurnReading, relevance};
use crate::level::Level;

/// The move, and the fact it reveals when it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Decision {
    pub(super) mv: Move,
    pub(super) fact: Option<usize>,
    /// Raise the next objection after answering (the prospect answers what was asked,
    /// then objects on their own).
    pub(super) then_object: bool,
    /// Come back to the objection left unanswered after answering.
    pub(super) then_press: bool,
    /// The objection raised earlier that a reminder (`AlreadySaid`) points back to, when
    /// what was asked is something the prospect said while objecting.
    pub(super) recalled_objection: Option<usize>,
    /// Let out the hidden side of the pending objection after answering (a discovery
    /// question asked with empathy for the objection is answered, then the prospect opens
    /// up).
    pub(super) then_reveal: bool,
    /// Say goodbye after the move (a dated step proposed on the way out is agreed, then
    /// the prospect takes leave).
    pub(super) then_bye: bool,
}

impl Decision {
    pub(super) fn just(mv: Move) -> Self {
        Decision {
            mv,
            fact: None,
            then_object: false,
            then_press: false,
            recalled_objection: None,
            then_reveal: false,
            then_bye: false,
        }
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
    if provisional <= HANG_UP_GAUGE && exchange >= 2 {
        return Decision::just(Move::HangUp);
    }
    // A step without a date ("on se rappelle un de ces jours ?", "je vous envoie un mail avec
    // quelques dispos"), even worded as a closing: the prospect lets it drift or asks for a
    // real date, depending on their interest.
    if reading.has(Act::VagueStep) && !reading.has(Act::NextStep) && !state.converted {
        return Decision::just(Move::VagueStep);
    }
    // A prospect who is ready accepts a precise next step, whatever the exchange count.
    // (A gesture traded for the deal is weighed first, below.)
    let traded = has(PatternId::TradedConcession) && !has(PatternId::NextStepProposal);
    if (has(PatternId::ClosingAttempt) || has(PatternId::NextStepProposal)) && !traded {
        // Having asked for a date, the prospect takes the one given.
        let asked_for_date = state.asked_for_date;
        let ready = (provisional >= CONVERSION_GAUGE || asked_for_date) && state.pending_objection.is_none();
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
    if reading.volley {
        return Decision::just(Move::OneAtATime);
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
    if has(PatternId::ObjectionNeutralize) && question && state.pending_objection.is_none() {
        return Decision::just(if next_objection(scenario, state).is_some() && exchange >= 2 {
            Move::RaiseObjection
        } else {
            Move::OnlyConcern
        });
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
                "ce qui vous inquiete",
            ])
            .is_some();
        let on_the_offer = t
            .find_any(&["devis", "proposition", "offre", "prix", "tarif", "contrat", "echeancier", "conditions"])
            .is_some()
            || t.contains(crate::text::Normalized::new(&scenario.product.name).as_str());
        concern && (objected || on_the_offer)
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

/// How strongly a fact must match a turn to answer it (see `analysis::relevance`): the
/// item the question asks about, or three cue words, or rare words shared with the fact.
const ANSWERS: u32 = 30;
/// From how many content words of its own a question is precise.
const PRECISE: usize = 8;
/// How far ahead of every other fact a fact matched by its cues alone must be to answer.
const CLEAR_LEAD: u32 = 10;
/// How much better an already told fact must match than anything new for the prospect to
/// point back to it rather than tell something new.
const REMINDER_MARGIN: u32 = 30;

/// The answer to a question (issue 13: answer what was asked). The facts are ranked by how
/// well they answer the turn (`analysis::relevance`): the best new one that answers it is
/// told; when what answers it best was told already, the prospect reminds the learner of
/// it; when the scenario holds nothing on what was asked, the prospect says so in persona
/// rather than reciting something else. A vague open question still gets the fact it
/// comes closest to (never at expert level, where facts are earned).
fn answer(scenario: &Scenario, state: &SessionState, reading: &TurnReading, columbo: bool) -> Decision {
    // A step agreed, a practical either-or is a choice to make, not a fact to recall.
    if state.converted && heard::either_me_or_you(&reading.sentences.join(" ")) {
        return Decision::just(Move::NothingOnIt);
    }
    let told = |i: usize| state.facts_revealed.contains(&i);
    let Ranking { facts: ranked, items } = rank(scenario, reading);
    let ranked: Vec<relevance::FactScore> =
        ranked.into_iter().filter(|f| columbo || !scenario.facts[f.index].columbo_only).collect();
    // Off the item the question asks about, one shared word is not enough.
    let off_item_ok = |f: &relevance::FactScore| items.is_empty() || f.cues > 0 || f.shared >= 2;
    // Once a step is agreed, only a question clearly on a fact is answered with it (the
    // rest is logistics, settled by mail).
    let settled = |f: &relevance::FactScore| !state.converted || f.cues > 0 || (f.on_item && f.shared > 0);
    // Below the bar, a fact whose cues match a phrase or two words, well ahead of all the
    // others, answers too ("depuis longtemps ?" to "je suis arrivé il y a dix-huit mois").
    let runner_up = ranked.get(1).map_or(0, |f| f.score);
    let clear_cue = |f: &relevance::FactScore| {
        f.cues >= 2 && ranked.first().is_some_and(|top| top.index == f.index) && f.score >= runner_up + CLEAR_LEAD
    };
    // A precise question (several words of its own) is not answered by a fact that is only
    // on its item and says none of its words: "ce qui casse le plus souvent sur le flux de
    // stock ?" is not answered by the company's profile.
    let precise = {
        let asked: Vec<&str> = reading.sentences.iter().filter(|s| s.contains('?')).map(String::as_str).collect();
        crate::analysis::topics::stems_of(asked).len() >= PRECISE
    };
    let says_something = |f: &relevance::FactScore| f.cues > 0 || f.shared > 0 || !precise;
    let answers = |f: &&relevance::FactScore| {
        (f.score >= ANSWERS || clear_cue(f))
            && ((f.on_item && says_something(f)) || ((f.cues > 0 || f.shared > 0) && off_item_ok(f)))
            && settled(f)
    };
    // A detail whose cues name what is asked beats a fact that is only on the item asked
    // about ("un planificateur en interne ?": the detail on who plans, not the item's fact).
    let new: Vec<&relevance::FactScore> = ranked.iter().filter(answers).filter(|f| !told(f.index)).collect();
    let best_new = match new.first() {
        Some(top) if top.cues == 0 && top.on_item => new
            .iter()
            .find(|f| f.cues > 0 && scenario.facts[f.index].detail && f.score + relevance::ITEM >= top.score)
            .or(Some(top))
            .copied(),
        top => top.copied(),
    };
    // A fact told already is recalled when it is on what the question asks about (or the
    // question names no item).
    let asks_item = !items.is_empty();
    // What the question asks that the prospect never said: read only when something told is
    // a candidate answer (it reads every line said so far).
    let fresh_cell = std::cell::OnceCell::new();
    let fresh = || fresh_cell.get_or_init(|| fresh_words(scenario, state, reading));
    // The item alone is no reason to repeat something: a reminder needs the question's own
    // words or the fact's cues ("ça coûte combien, un bulletin rectifié ?" is not answered
    // by the figure told earlier on another cost). Nor is the subject alone: a question that
    // asks something new about what was said (« Yooz à 44 000 €, ça inclut le rapprochement
    // des commandes ? ») is not answered by saying the price again.
    let covers_fresh = |i: usize| {
        let fresh = fresh();
        fresh.len() < 2 || {
            let line = crate::text::Normalized::new(&scenario.facts[i].line);
            let cues = scenario.facts[i].cues.join(" ");
            let cues = crate::text::Normalized::new(&cues);
            fresh.iter().any(|w| has_word(&line, w) || has_word(&cues, w))
        }
    };
    let best_told = ranked
        .iter()
        .filter(answers)
        .find(|f| told(f.index) && (f.on_item || !asks_item) && (f.cues > 0 || f.shared > 0) && covers_fresh(f.index));
    let with = |mv: Move, index: usize| Decision { fact: Some(index), ..Decision::just(mv) };
    // A reminder is given once: asked again, the prospect tells something new on it if it
    // can, else says it has answered.
    let recalled = |f: &relevance::FactScore| state.facts_recalled.contains(&f.index);
    // A short echo ("Au pire moment ?", "C'est-à-dire ?") asks the prospect to go on: they
    // say more on what they were talking about, the untold fact closest to their last line.
    if reading.has(Act::ListeningPrompt) && reading.words <= 8 && best_new.is_none() {
        let said = crate::analysis::topics::stems_of([state.last_prospect_line.as_str()]);
        let closest = (0..scenario.facts.len())
            .filter(|i| !told(*i) && !scenario.facts[*i].detail && !scenario.facts[*i].columbo_only)
            .map(|i| (i, scenario.topics().fact_lines[i].intersection(&said).count()))
            .filter(|(_, shared)| *shared >= 2)
            .max_by_key(|(i, shared)| (*shared, usize::MAX - i));
        if let Some((i, _)) = closest {
            return with(Move::Answer, i);
        }
    }
    match (best_new, best_told) {
        (Some(new), told) if told.is_none_or(|t| new.score + REMINDER_MARGIN > t.score || recalled(t)) => {
            return with(Move::Answer, new.index);
        }
        (_, Some(told)) if recalled(told) => return Decision::just(Move::AlreadySaid),
        // Their own words said back get no second quote: "je viens de vous le dire".
        (_, Some(_)) if reading.parrots => return Decision::just(Move::AlreadySaid),
        (_, Some(told)) => return with(Move::AlreadySaid, told.index),
        _ => {}
    }
    // A sentence of theirs said back, asked as a question, with nothing new asked.
    if reading.parrots {
        return Decision::just(Move::AlreadySaid);
    }
    // What the prospect said while objecting answers too ("vous avez regardé d'autres
    // CRM ?" after "nous avons regardé Salesforce l'an dernier").
    let recalled_objection = recall_objection(scenario, state, reading, &items).filter(|i| {
        let fresh = fresh();
        fresh.len() < 2
            || scenario.hidden_objections.get(*i).is_some_and(|o| {
                let surface = crate::text::Normalized::new(&o.surface);
                fresh.iter().any(|w| has_word(&surface, w))
            })
    });
    if let Some(i) = recalled_objection {
        return Decision { recalled_objection: Some(i), ..Decision::just(Move::AlreadySaid) };
    }
    let open = reading.question == Some(crate::analysis::QuestionKind::Open);
    // Details are told only when asked for in so many words.
    // A vague question ("Et sinon, racontez-moi ?") gets the closest fact; a question that
    // says what it is about ("vos équipes, elles ont vécu ça comment ?") and meets nothing
    // gets no unrelated fact.
    let vague = reading
        .sentences
        .iter()
        .filter(|s| s.contains('?'))
        .all(|s| crate::analysis::topics::stems_of([s.as_str()]).len() <= 2);
    let weak = ranked.iter().find(|f| !told(f.index) && !scenario.facts[f.index].detail && (vague || f.score >= 10));
    if let Some(weak) = weak.filter(|_| open && scenario.level != Level::Expert && !asks_item && !state.converted) {
        return with(Move::Answer, weak.index);
    }
    // Nothing to tell, and the question is about something the learner offers ("une
    // rencontre avec vos associés, ça vous parle ?"): the offer is weighed.
    if offers_something(reading) {
        return Decision::just(Move::Acknowledge);
    }
    Decision::just(Move::NothingOnIt)
}

/// Whether the turn's questions are about something the learner offers: a meeting, a
/// demonstration, a visit, a trial, a format.
fn offers_something(reading: &TurnReading) -> bool {
    reading.sentences.iter().filter(|s| s.contains('?')).any(|s| {
        let t = crate::text::Normalized::new(s);
        t.find_any(&[
            "je vous propose",
            "on pourrait",
            "je pourrais",
            "cette formule",
            "ce format",
            "une rencontre",
            "une reunion",
            "un rendez vous",
            "une demo",
            "une demonstration",
            "un essai",
            "un pilote",
            "une visite",
            "une presentation",
        ])
        .is_some()
    })
}

/// The content words of the turn's questions (of the whole turn if it asks nothing)
/// that the prospect has not said: what the question asks that is new.
fn fresh_words(scenario: &Scenario, state: &SessionState, reading: &TurnReading) -> Vec<String> {
    let questions: Vec<&str> = reading.sentences.iter().filter(|s| s.contains('?')).map(String::as_str).collect();
    let asked = if questions.is_empty() { reading.sentences.join(" ") } else { questions.join(" ") };
    let asked = crate::text::Normalized::new(&asked);
    let heard: Vec<crate::text::Normalized<'_>> = state
        .used_lines
        .iter()
        .map(String::as_str)
        .chain([scenario.prospect.name.as_str(), scenario.prospect.company.as_str()])
        .map(crate::text::Normalized::new)
        .collect();
    let mut fresh: Vec<String> = Vec::new();
    for w in asked.words() {
        let asking = matches!(
            w,
            "combien" | "comment" | "pourquoi" | "quand" | "quel" | "quelle" | "quels" | "quelles" | "est" | "dire"
        );
        if w.len() >= 4
            && !asking
            && crate::analysis::lexicon::is_content_word(w)
            && !heard.iter().any(|h| has_word(h, w))
            && !fresh.iter().any(|f| f == w)
        {
            fresh.push(w.to_owned());
        }
    }
    fresh
}

/// Whether a normalised text has `word`, or a word of the same family (a shared first five
/// letters: « rapprochement », « rapprocher »).
fn has_word(text: &crate::text::Normalized<'_>, word: &str) -> bool {
    let stem = word.get(..5).filter(|_| word.len() >= 6);
    text.words().any(|w| w == word || stem.is_some_and(|s| w.len() >= 6 && w.starts_with(s)))
}

/// The objection already raised whose words answer the question: it shares two content
/// words with what the prospect said, or one and its cues; a question on the competition
/// is answered by an objection that named a competitor.
fn recall_objection(scenario: &Scenario, state: &SessionState, reading: &TurnReading, items: &[&str]) -> Option<usize> {
    use crate::analysis::topics::{Stemmed, stems_of, targets};
    let stemmer = crate::analysis::lexicon::french_stemmer();
    let text = reading.sentences.join(" ");
    let turn = Stemmed::of(&stemmer, &crate::text::Normalized::new(&text));
    let ignore = stems_of([scenario.prospect.name.as_str(), scenario.prospect.company.as_str()]);
    let content: Vec<&str> = turn.content().into_iter().filter(|s| !ignore.contains(*s)).collect();
    let cued = targets(scenario.topics(), &turn);
    let on_competition = items.contains(&"concurrence");
    state
        .objections
        .iter()
        .enumerate()
        .filter(|(_, o)| o.raised_at.is_some())
        .filter_map(|(i, _)| {
            let surface = &scenario.hidden_objections.get(i)?.surface;
            let said = stems_of([surface.as_str()]);
            let shared = content.iter().filter(|s| said.contains(**s)).count();
            let cue = cued.iter().any(|t| t.kind == TargetKind::Objection && t.index == i);
            let competitor = on_competition
                && lines::mentioned_competitor(scenario, &crate::text::Normalized::new(surface)).is_some();
            (shared >= 2 || (shared >= 1 && cue) || competitor).then_some((i, shared + usize::from(competitor) * 2))
        })
        .max_by_key(|(i, score)| (*score, usize::MAX - i))
        .map(|(i, _)| i)
}

/// The facts ranked by how well they answer a turn, and the discovery items its
/// questions ask about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    pub facts: Vec<relevance::FactScore>,
    pub items: Vec<&'static str>,
}

/// The facts ranked by how well they answer the turn: its questions, when they say
/// enough on their own (a sentence quoted back before the question is not what is asked),
/// else the whole turn ("Vous parliez des devis. Ça représente combien ?").
pub fn rank(scenario: &Scenario, reading: &TurnReading) -> Ranking {
    use crate::analysis::topics::{Stemmed, discovery_item, stems_of};
    let stemmer = crate::analysis::lexicon::french_stemmer();
    let questions: Vec<&str> = reading.sentences.iter().filter(|s| s.contains('?')).map(String::as_str).collect();
    let asked = questions.join(" ");
    let asked_stems = Stemmed::of(&stemmer, &crate::text::Normalized::new(&asked));
    let text = if asked_stems.content().len() >= 2 { asked } else { reading.sentences.join(" ") };
    let normalized = crate::text::Normalized::new(&text);
    let stemmed = relevance::with_same_questions(&Stemmed::of(&stemmer, &normalized));
    let figure = reading.question.is_some() && relevance::asks_for_figure(&normalized);
    // What each question asks about, by its words.
    let mut items: Vec<&'static str> = Vec::new();
    for sentence in reading.sentences.iter().filter(|s| s.contains('?') || reading.sentences.len() == 1) {
        let item = discovery_item(&Stemmed::of(&stemmer, &crate::text::Normalized::new(sentence)));
        if let Some(item) = item.filter(|i| !items.contains(i)) {
            items.push(item);
        }
    }
    // The item of the kind of answer wanted comes first when the question names it too
    // ("qui valide l'investissement ?" asks who decides, not the budget).
    let wants = reading.question.and_then(|_| crate::analysis::asks::wanted(&normalized));
    if let Some(item) = wants.map(crate::analysis::asks::Wants::item)
        && !items.contains(&item)
        && crate::analysis::topics::discovery_items_asked(&text).contains(&item)
    {
        items.insert(0, item);
    }
    // An item the scenario says nothing on is answered by a neighbour it does ("vous
    // aimeriez arriver à quoi ?" by what the prospect needs).
    let covered = |item: &str| scenario.facts.iter().any(|f| f.topic == item && !f.detail);
    let near_items: Vec<&str> = items
        .iter()
        .filter(|item| !covered(item))
        .filter_map(|item| crate::analysis::topics::neighbour_items(item).iter().copied().find(|near| covered(near)))
        .filter(|near| !items.contains(near))
        .collect();
    let ignore = stems_of([scenario.prospect.name.as_str(), scenario.prospect.company.as_str()]);
    let counted = relevance::counted_stem(&normalized);
    let query = relevance::Query {
        turn: &stemmed,
        items: &items,
        near_items: &near_items,
        asks_figure: figure,
        ignore: &ignore,
        counted: counted.as_deref(),
        wants,
    };
    Ranking { facts: relevance::rank_facts(scenario.topics(), &query), items }
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
    state
        .objections
        .iter()
        .enumerate()
        .position(|(i, o)| o.raised_at.is_none() && !gatekeepers(i) && (!quotes_price(i) || price_given()))
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
    let offered = |i: &usize| available(i) && !facts[*i].detail;
    key.or_else(targeted)
        .or_else(|| topic.and_then(|t| (0..facts.len()).filter(offered).find(|i| facts[*i].topic == t)))
        .or_else(|| (0..facts.len()).find(offered))
}
