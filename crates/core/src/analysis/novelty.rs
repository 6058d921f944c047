//! Whether a learner turn is new (issue 12: a repeated or nearly repeated line earns
//! nothing new): the same line again, or the same formula around whatever the prospect
//! just said.

use std::collections::BTreeSet;

use super::reading::{Sentence, starts_with_acknowledgement};
use super::topics::Stemmed;
use crate::text::Normalized;

/// The earlier learner line this one repeats or nearly repeats: nearly all the words of
/// the shorter line are in the other, content words included ("Vous avez un CRM, du coup ?"
/// after "Vous avez un CRM ?").
pub(super) fn repeated_line(
    earlier: &[(Normalized<'_>, std::rc::Rc<Stemmed>)],
    turn: &Stemmed,
    whole: &Normalized<'_>,
) -> Option<usize> {
    // "D'accord." twice is conversation; "Je vois, racontez." twice is not.
    let only_acknowledging = whole.word_count() <= 3 && starts_with_acknowledgement(whole);
    if whole.word_count() < 2 || only_acknowledging {
        return None;
    }
    if whole.word_count() < 3 {
        return earlier.iter().position(|(other, _)| other.as_str() == whole.as_str());
    }
    let mine_all: BTreeSet<&str> = turn.stems.iter().map(String::as_str).collect();
    let mine = turn.content();
    earlier.iter().position(|(other, theirs_stemmed)| {
        if other.as_str() == whole.as_str() {
            return true;
        }
        let theirs_all: BTreeSet<&str> = theirs_stemmed.stems.iter().map(String::as_str).collect();
        let theirs = theirs_stemmed.content();
        let contained = |a: &BTreeSet<&str>, b: &BTreeSet<&str>| {
            let smaller = a.len().min(b.len());
            smaller > 0 && a.intersection(b).count() * 100 >= smaller * 80
        };
        let words = mine_all.len().min(theirs_all.len()) >= 3 && contained(&mine_all, &theirs_all);
        let content = mine.is_empty() && theirs.is_empty() || contained(&mine, &theirs);
        let shared = mine.intersection(&theirs).count();
        let union = mine.union(&theirs).count().max(1);
        // A short line inside a much longer one ("Corinne, qu'est-ce que vous en pensez ?"
        // within a long first turn that named Corinne) is not that line again.
        let comparable = whole.word_count() * 5 >= other.word_count() * 2 || mine.len() >= 3;
        (words && content && comparable) || (shared >= 3 && shared * 100 >= union * 60)
    })
}

/// A formula used for the third time around whatever the prospect just said ("Si je
/// comprends bien, … Je vous entends. Qu'est-ce que ça implique pour vous ?"): the
/// learner's own words, once the prospect's are taken out, are those of two earlier lines.
/// Returns the first of them.
pub(super) fn repeated_frame(
    earlier: &[(Normalized<'_>, std::rc::Rc<Stemmed>)],
    turn: &Stemmed,
    prospect_said: &BTreeSet<String>,
) -> Option<usize> {
    let own = |s: &Stemmed| -> BTreeSet<String> {
        s.content().into_iter().filter(|w| !prospect_said.contains(*w)).map(str::to_owned).collect()
    };
    let mine = own(turn);
    if mine.len() < 3 {
        return None;
    }
    let same: Vec<usize> = earlier
        .iter()
        .enumerate()
        .filter(|(_, (_, theirs))| {
            let theirs = own(theirs);
            let shared = mine.intersection(&theirs).count();
            shared * 100 >= mine.union(&theirs).count().max(1) * 80
        })
        .map(|(i, _)| i)
        .collect();
    (same.len() >= 2).then(|| same[0])
}

/// For each sentence of the turn (three words or more), whether the learner said it word for
/// word in one of their last ten lines.
pub(super) fn sentences_said_before(earlier: &[String], sentences: &[Sentence<'_>]) -> Vec<bool> {
    thread_local! {
        static SAID: crate::text::LineMemo<[String]> = Default::default();
    }
    let recent = &earlier[earlier.len().saturating_sub(10)..];
    let said: Vec<String> = recent
        .iter()
        .flat_map(|line| {
            crate::text::memoized(&SAID, line, || {
                crate::text::sentences(line)
                    .into_iter()
                    .map(|s| crate::text::normalize(&line[s.start..s.end]))
                    .filter(|k| k.split(' ').count() >= 3)
                    .collect()
            })
            .to_vec()
        })
        .collect();
    // The same opening of five words on two earlier lines ("si je reformule bien vous me
    // dites …" at every turn) is a formula, whatever follows.
    let opening = |s: &str| -> Option<String> {
        let words: Vec<&str> = s.split(' ').collect();
        (words.len() >= 8).then(|| words[..5].join(" "))
    };
    let openings: Vec<String> = said.iter().filter_map(|k| opening(k)).collect();
    sentences
        .iter()
        .map(|s| {
            let text = s.text.as_str();
            let again = s.text.word_count() >= 3 && said.iter().any(|k| k == text);
            let formula = opening(text).is_some_and(|o| openings.iter().filter(|p| **p == o).count() >= 2);
            again || formula
        })
        .collect()
}

/// The stock formulas of the listening and discovery techniques: said once, they may be
/// sincere; piled up turn after turn, they are recited.
const FORMULAS: &[&str] = &[
    "si je comprends bien",
    "si je vous comprends bien",
    "racontez moi",
    "qu est ce qui vous fait dire",
    "je comprends tout a fait",
    "je comprends parfaitement",
    "je comprends votre",
    "si je resume",
    "si je reformule",
    "si je vous suis bien",
    "en quoi est ce important",
    "quelles seraient les implications",
    "ce qui compte pour vous",
    "ce qui est important pour vous",
];

/// Whether a line piles up stock formulas: two different ones or more.
fn formulaic(line: &Normalized<'_>) -> bool {
    FORMULAS.iter().filter(|f| line.find_any(&[**f]).is_some()).count() >= 2
}

/// Whether the turn recites formulas again: it piles them up, and so did an earlier line
/// (a trainer hears a script, not listening, and gives it no credit).
pub(super) fn recites_formulas(earlier_learner_lines: &[String], whole: &Normalized<'_>) -> bool {
    formulaic(whole) && earlier_learner_lines.iter().any(|l| formulaic(&Normalized::new(l)))
}
