//! How a learner's sentence is worded: whether it asks and how openly, what follows a
//! restatement formula, whether it opens on an acknowledgement, and what it says in its
//! own words once quotes are set aside. `reading` uses these for each sentence.

use super::TurnContext;
use super::lexicon::*;
use crate::text::{Normalized, normalize};

/// Whether a sentence asks something, and whether openly.
pub(super) fn question_kind(raw: &str, text: &Normalized<'_>) -> (bool, bool) {
    let tell_me = text.find_any(&LEX.tell_me).is_some();
    let indirect = text.find_any(&LEX.indirect_questions).is_some();
    let starts_open = LEX.open_words.iter().any(|w| text.as_str().starts_with(w) && text.contains(w));
    let asks = raw.contains('?')
        || tell_me
        || indirect
        || starts_open
        || text.as_str().starts_with("est ce que")
        || text.as_str().starts_with("est ce qu");
    let open_word = text.find_any(&LEX.open_words).is_some();
    // "…qui présentera le dossier ?", "ça vous coûte quoi ?", "Que prévoit son module ?".
    // "Vos réservations passent par où ?": « où » keeps its accent only in the raw text.
    let where_ = raw.split(|c: char| !c.is_alphabetic()).any(|w| w == "où" || w == "Où");
    let wh = (raw.contains('?') || indirect)
        && (text.words().any(|w| matches!(w, "qui" | "quoi" | "combien"))
            || where_
            || matches!(text.words().next(), Some("que" | "qu")));
    // "C'est lui qui décide ?" checks a guess: yes or no.
    let checks_who = text
        .find_any(&[
            "c est lui qui",
            "c est elle qui",
            "c est vous qui",
            "c est bien vous qui",
            "c est bien lui qui",
            "c est bien elle qui",
            "c est eux qui",
            "est ce vous qui",
            "est ce lui qui",
            "est ce elle qui",
        ])
        .is_some()
        && !text.words().any(|w| {
            matches!(w, "comment" | "pourquoi" | "combien" | "quel" | "quelle" | "quels" | "quelles" | "quoi" | "quand")
        })
        && text.find_any(&["qu est ce", "a quel", "de quoi"]).is_none();
    // "Et qui décide au final, c'est la présidente ?": the answer guessed after the comma
    // makes it a yes or no.
    let guessed = raw.contains('?')
        && raw.contains(',')
        && raw.rsplit(',').next().is_some_and(|tail| {
            let tail = Normalized::new(tail);
            let words: Vec<&str> = tail.words().collect();
            let asks_in_it = words.iter().any(|w| {
                matches!(*w, "quand" | "qui" | "quoi" | "combien" | "comment" | "ou" | "pourquoi" | "quel" | "quelle")
            });
            words.len() <= 5 && matches!(words.as_slice(), ["c", "est", ..] | ["ce", "sont", ..]) && !asks_in_it
        });
    // "Est-ce que ça vaut trente minutes pour voir comment ils s'y sont pris ?": a yes or no,
    // whatever question word its clause carries ("est-ce que vous pouvez me dire comment…"
    // asks to be told).
    let yes_or_no =
        (text.as_str().starts_with("est ce qu") || text.as_str().starts_with("et est ce qu")) && !tell_me && !indirect;
    (asks, asks && (open_word || tell_me || wh) && !checks_who && !guessed && !yes_or_no)
}

/// What follows a reformulation formula in its sentence: how many content words, and
/// whether it asks a question instead of restating ("si je comprends bien, qu'est-ce
/// qui…").
pub(super) fn restatement_after(t: &Normalized<'_>, hit: &str) -> (usize, bool) {
    let hit = normalize(hit);
    let text = t.as_str();
    let after = text.find(&hit).map_or("", |at| &text[at + hit.len()..]);
    let words: Vec<&str> = after.split(' ').filter(|w| !w.is_empty()).collect();
    let asks = LEX.open_words.iter().any(|w| after.trim_start().starts_with(w));
    (words.iter().filter(|w| is_content_word(w)).count(), asks)
}

pub(super) fn starts_with_acknowledgement(t: &Normalized<'_>) -> bool {
    LEX.acknowledgements.iter().any(|a| t.as_str().starts_with(a) && t.contains(a))
}

/// A sentence without what it quotes between « » or "": the learner's own words.
pub(super) fn unquoted(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut depth = 0usize;
    let mut straight_open = false;
    for c in raw.chars() {
        match c {
            '«' | '“' => depth += 1,
            '»' | '”' => depth = depth.saturating_sub(1),
            '"' => straight_open = !straight_open,
            _ if depth == 0 && !straight_open => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text between quotation marks (« … », “…”, "…"): what the seller quotes.
pub(super) fn quoted(raw: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut straight_open = false;
    for c in raw.chars() {
        match c {
            '«' | '“' => depth += 1,
            '»' | '”' => {
                depth = depth.saturating_sub(1);
                out.push(' ');
            }
            '"' => {
                straight_open = !straight_open;
                out.push(' ');
            }
            _ if depth > 0 || straight_open => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether the turn names the prospect or their company (a line addressed to them is
/// never off topic).
pub(super) fn names_anyone(ctx: &TurnContext<'_>, t: &Normalized<'_>) -> bool {
    ctx.prospect_name.split_whitespace().filter(|n| n.chars().count() >= 3).any(|n| t.contains(n))
        || (!ctx.company.trim().is_empty() && t.contains(ctx.company))
}

/// Whether a statement restates what was said, so proposes no step: `.0` for a step of
/// any kind ("si je reformule : … il déjeune le dimanche…"); `.1` for a step without a
/// date, with more formulas ("je retiens : un plan à présenter au président en janvier").
/// A recap of the dated steps agreed ("je récapitule : audit mardi 12 à 9 h") still
/// proposes them.
pub(super) fn restates(t: &Normalized<'_>, question: bool) -> (bool, bool) {
    if question {
        return (false, false);
    }
    let any = t.find_any(&[
        "si je reformule",
        "si je comprends bien",
        "si je resume",
        "si je vous suis bien",
        "autrement dit",
    ]);
    let vaguely =
        t.find_any(&["si je vous comprends bien", "si j ai bien compris", "je retiens", "pour resumer", "en resume"]);
    (any.is_some(), any.is_some() || vaguely.is_some())
}

/// Whether a question is on the prospect's situation, so can be a discovery question: not
/// one on the offer ("vous avez besoin de notre solution, c'est bien ça ?"), nor an offer or
/// a permission ("vous voulez que je vous montre… ?", "je peux vous poser quelques
/// questions ?").
pub(super) fn on_their_situation(t: &Normalized<'_>) -> bool {
    let start: String = t.words().take(4).collect::<Vec<_>>().join(" ");
    let offer_or_permission = [
        "vous voulez que",
        "voulez vous que",
        "vous voulez connaitre",
        "voulez vous connaitre",
        "je peux vous poser",
        "puis je vous poser",
        "je peux vous montrer",
        "je vous montre",
        "vous voulez voir",
    ]
    .iter()
    .any(|p| start.starts_with(p));
    !offer_or_permission && t.find_any(&["notre solution", "notre outil", "notre offre"]).is_none()
}
