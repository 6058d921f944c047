//! The prospect's answer to a question (issue 13: answer what was asked): the facts ranked
//! by how well they answer the turn, the one told or recalled, what the prospect said
//! while objecting, or nothing when the scenario holds nothing on it.

use super::*;
use crate::analysis::{Act, TargetKind, TurnReading, relevance};
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

/// How strongly a fact must match a turn to answer it (see `analysis::relevance`): the
/// item the question asks about, or three cue words, or rare words shared with the fact.
pub(super) const ANSWERS: u32 = 30;
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
pub(super) fn answer(scenario: &Scenario, state: &SessionState, reading: &TurnReading, columbo: bool) -> Decision {
    // A step agreed, a practical either-or is a choice to make, not a fact to recall.
    if state.converted && heard::either_me_or_you(&reading.sentences.join(" ")) {
        return Decision::just(Move::NothingOnIt);
    }
    let told = |i: usize| state.facts_revealed.contains(&i);
    let Ranking { facts: ranked, items } = rank(scenario, reading);
    let ranked: Vec<relevance::FactScore> = ranked
        .into_iter()
        .filter(|f| columbo || !scenario.facts[f.index].columbo_only)
        .filter(|f| knows(state, &scenario.facts[f.index].after))
        .collect();
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
    // Only the broad item: the company's profile is the fact that answers everything.
    let profile = |f: &relevance::FactScore| scenario.facts[f.index].topic == "contexte";
    // Past the first exchanges, the company's profile is no longer what a vague question
    // is after.
    let late = state.exchanges >= 3;
    // The profile answers a question on it (its cues, its words, a question like its
    // examples), never the item alone: "qu'est-ce qu'il y a dans l'offre de Yooz ?" is no
    // cue to recite the company's card.
    let says_something = |f: &relevance::FactScore| {
        f.cues > 0
            || f.shared > 0
            || f.asked >= relevance::ASKED_FROM
            || (!precise && f.on_item && !late)
            || !profile(f)
    };
    let answers = |f: &&relevance::FactScore| {
        (f.score >= ANSWERS || clear_cue(f))
            && ((f.on_item && says_something(f)) || ((f.cues > 0 || f.shared > 0) && off_item_ok(f)))
            && settled(f)
    };
    // A detail whose cues name what is asked beats a fact that is only on the item asked
    // about ("un planificateur en interne ?": the detail on who plans, not the item's fact).
    // A fact that is only on the item asked about does not answer a question that is
    // plainly about something told already ("qu'est-ce qu'il y a dans l'offre de Yooz ?"
    // after the prospect spoke of Yooz): the told fact matches it far better.
    let best_told_score = ranked.iter().filter(|f| told(f.index)).map(|f| f.score).max().unwrap_or(0);
    let evidence = |f: &relevance::FactScore| f.cues > 0 || f.shared > 0 || f.asked >= relevance::ASKED_FROM;
    let new: Vec<&relevance::FactScore> = ranked
        .iter()
        .filter(answers)
        .filter(|f| !told(f.index))
        .filter(|f| evidence(f) || f.score + REMINDER_MARGIN > best_told_score)
        .collect();
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
            .filter(|i| knows(state, &scenario.facts[*i].after))
            .map(|i| (i, scenario.topics().fact_lines[i].intersection(&said).count()))
            .filter(|(_, shared)| *shared >= 2)
            .max_by_key(|(i, shared)| (*shared, usize::MAX - i));
        if let Some((i, _)) = closest {
            return with(Move::Answer, i);
        }
    }
    // A closed question that checks what the prospect told ("il faudra quand même la
    // validation d'Hélène Favre, non ?") is confirmed, not answered with something new.
    let checks_told = reading.sentences.iter().any(|s| tag_question(s))
        && ranked.first().is_some_and(|f| told(f.index) && f.cues > 0 && f.on_item);
    if checks_told {
        return Decision::just(Move::Confirm);
    }
    match (best_new, best_told) {
        // A new fact the question names in its own cues, on the item asked, is what is new in
        // the question ("dans les faits, quel poids a Raymond ?" after the official process).
        (Some(new), told)
            if told.is_none_or(|t| {
                new.score + REMINDER_MARGIN > t.score || recalled(t) || (new.cues >= 3 && new.on_item)
            }) =>
        {
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

/// Whether the prospect can know something that waits for the learner's words (`after`):
/// one of them, every stem of it, has been said in the learner's lines so far.
pub(super) fn knows(state: &SessionState, after: &[String]) -> bool {
    knew(state, after, state.learner_lines.len())
}

/// Whether the learner's first `lines` lines said one of `after`'s phrases (see `knows`).
pub(super) fn knew(state: &SessionState, after: &[String], lines: usize) -> bool {
    after.is_empty() || {
        let said = crate::analysis::topics::stems_of(state.learner_lines.iter().take(lines));
        after.iter().any(|phrase| {
            let stems = crate::analysis::topics::stems_of([phrase.as_str()]);
            !stems.is_empty() && stems.iter().all(|s| said.contains(s))
        })
    }
}

/// Whether a sentence is a statement with a tag that asks for agreement ("…, non ?",
/// "…, c'est ça ?", "…, n'est-ce pas ?").
pub(super) fn tag_question(sentence: &str) -> bool {
    let t = crate::text::Normalized::new(sentence);
    let words: Vec<&str> = t.words().collect();
    sentence.trim_end().ends_with('?')
        && words.len() >= 4
        && matches!(
            words[words.len().saturating_sub(3)..],
            [_, _, "non"] | [_, "pas", "vrai"] | ["c", "est", "ca"] | ["est", "ce", "pas"]
        )
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
            "un temoignage",
            "un echange",
            "un appel",
            "qu on en parle",
            "qu on en discute",
            "qu on se voie",
            "on en parle",
            "on en discute",
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
                && wording::mentioned_competitor(scenario, &crate::text::Normalized::new(surface)).is_some();
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
    // A question that proposes a step ("on pourrait caler un rendez-vous la semaine du 10
    // mars ?") asks for no fact: the turn's other questions say what is asked.
    let proposes =
        |i: usize| reading.acts.iter().any(|a| a.sentence == i && matches!(a.act, Act::NextStep | Act::Closing));
    let asking: Vec<usize> = (0..reading.sentences.len()).filter(|i| reading.sentences[*i].contains('?')).collect();
    let asking: Vec<usize> = if asking.iter().all(|i| proposes(*i)) {
        asking
    } else {
        asking.into_iter().filter(|i| !proposes(*i)).collect()
    };
    let questions: Vec<&str> = asking.iter().map(|i| reading.sentences[*i].as_str()).collect();
    let asked = questions.join(" ");
    let asked_stems = Stemmed::of(&stemmer, &crate::text::Normalized::new(&asked));
    // Their own sentence said back asks nothing: the rest of the turn says what is.
    let rest = || {
        let kept: Vec<&str> = reading
            .sentences
            .iter()
            .enumerate()
            .filter(|(i, _)| reading.parroted != Some(*i))
            .map(|(_, s)| s.as_str())
            .collect();
        kept.join(" ")
    };
    let text = if asked_stems.content().len() >= 2 { asked } else { rest() };
    let normalized = crate::text::Normalized::new(&text);
    let stemmed = relevance::with_same_questions(&Stemmed::of(&stemmer, &normalized));
    let figure = reading.question.is_some() && relevance::asks_for_figure(&normalized);
    // What each question asks about, by its words.
    let mut items: Vec<&'static str> = Vec::new();
    let item_sentences = reading
        .sentences
        .iter()
        .enumerate()
        .filter(|(i, _)| asking.contains(i) || reading.sentences.len() == 1)
        .map(|(_, s)| s);
    for sentence in item_sentences {
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
