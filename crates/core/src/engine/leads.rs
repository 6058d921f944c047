//! The openers of the prospect's lines: coloured by the mood, doubtful before an objection,
//! confiding before a confidence, none before a closing or a line that says it already.

use super::wording::lead_repeats_line;
use super::*;

/// Short openers that colour a reaction (to a pitch, a price, a proof, a proposal) with
/// the prospect's mood.
pub(super) fn lead_ins(mood: Mood) -> &'static [&'static str] {
    match mood {
        Mood::Hostile => &["(soupir)", "Écoutez…", "Bon.", "Franchement…"],
        Mood::Skeptical => &["Hmm.", "Mouais…", "(hmm)", "Admettons."],
        Mood::Neutral => &["Je vois.", "Bien.", "Hmm.", "Bon."],
        Mood::Interested => &["Intéressant.", "Je vois.", "Oui, tout à fait."],
        Mood::ReadyToBuy => &["Écoutez, ça me parle.", "Intéressant.", "Oui, franchement."],
    }
}

/// Openers for an answer to a question, by mood: they lead into what the prospect tells,
/// never react as if to a statement ("ça me parle").
fn answer_lead_ins(mood: Mood) -> &'static [&'static str] {
    match mood {
        Mood::Hostile => &["(soupir)", "Bon.", "(soupir) Bon."],
        Mood::Skeptical => &["Hmm.", "Bon…", "Eh bien…"],
        Mood::Neutral => &["Alors…", "Eh bien…", "Disons que…"],
        Mood::Interested => &["Alors…", "Bonne question.", "Oui, alors…"],
        Mood::ReadyToBuy => &["Eh bien…", "Oui, alors…", "Alors…"],
    }
}

/// Openers for a confidence (a hidden stake, what lies behind an objection): said only
/// when something personal follows, never before the company's profile.
const CONFIDING: &[&str] = &["Je vais être honnête avec vous.", "Pour tout vous dire…", "Entre nous…"];

/// An objection comes after a doubtful "hmm" (the voice layer plays it as a sound).
const OBJECTING: &[&str] = &["(hmm)", "(hmm) Écoutez…", "Hmm…"];
/// An objection from a prospect who is warming up still sounds like one.
const RESERVED: &[&str] = &["Cela dit…", "Par contre…", "Mais il y a un point.", "Une chose quand même."];

/// The openers a line may take, and whether one is required (the doubtful "hmm" before a
/// cold prospect's objection: `variety::pick_unused` then always puts one). `first_body`
/// is the line's first candidate; `slots`: the learner offered slots to choose from.
#[allow(clippy::too_many_arguments)] // One call site; a struct would only rename them.
pub(super) fn choose(
    scenario: &Scenario,
    state: &SessionState,
    prospect_move: Move,
    mood: Mood,
    fact: Option<usize>,
    message: &str,
    first_body: &str,
    slots: bool,
) -> (Vec<&'static str>, bool) {
    // Closings and goodbyes speak for themselves; other lines get a mood-coloured opener.
    let plain = matches!(
        prospect_move,
        Move::Goodbye
            | Move::HangUp
            | Move::FinalWords
            | Move::WrapUp
            | Move::ShortAnswer
            | Move::NotYet
            | Move::Opening
            | Move::AlreadyAsked
            | Move::AlreadySaid
            | Move::NothingOnIt
            | Move::OnlyConcern
            | Move::OneAtATime
            | Move::VagueStep
            | Move::PushBack
            | Move::Puzzled
            | Move::Confirm
            // A pressed objection opens with its own words ("Je vous le redis : …").
            | Move::PressObjection
            // An agreement says what it agrees to ("Entendu, je le note"): no "Intéressant."
            | Move::AcceptNextStep
    ) || slots;
    // A step turned down with no objection on the table states no point: no "Mais il y a un
    // point." before "J'ai besoin d'y réfléchir".
    let objection = matches!(prospect_move, Move::RaiseObjection | Move::PressObjection)
        || (prospect_move == Move::RefuseNextStep && state.pending_objection.is_some());
    // "Bonne question." only answers a question; no lead says what the line says again.
    let answer_leads: Vec<&'static str> = answer_lead_ins(mood)
        .iter()
        .copied()
        .filter(|l| message.contains('?') || !l.starts_with("Bonne question"))
        .filter(|l| !lead_repeats_line(l, first_body))
        .collect();
    // A confidence opener never stands before a line that opens as one already.
    let confiding: Vec<&'static str> =
        if ["Je vais être", "Pour tout vous dire", "Entre nous", "Honnêtement", "Franchement"]
            .iter()
            .any(|opening| first_body.starts_with(opening))
        {
            vec![""]
        } else {
            CONFIDING.to_vec()
        };
    let leads: Vec<&'static str> = if plain {
        vec![""]
    } else if objection && mood <= Mood::Neutral {
        return (OBJECTING.to_vec(), true);
    } else if objection {
        RESERVED.to_vec()
    } else if prospect_move == Move::RevealHidden
        || (prospect_move == Move::Answer
            && mood >= Mood::Interested
            && fact.is_some_and(|i| scenario.facts.get(i).is_some_and(|f| f.topic == "enjeux")))
    {
        confiding
    } else if prospect_move == Move::Answer {
        answer_leads
    } else {
        lead_ins(mood).to_vec()
    };
    (leads, false)
}
