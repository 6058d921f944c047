//! Never the same sentence twice in a call (issue 13): a line is picked among the variants
//! none of whose sentences the prospect has said yet, and what was said is remembered.

use super::*;
use crate::text::{Normalized, french_typography};

/// A line made of one of `bodies` (and maybe one of `leads` before it) none of whose
/// sentences the prospect has said yet in this session, chosen from the seed; remembered
/// as said. When every variant has been used, a short neutral line nobody notices.
pub(super) fn pick_unused(state: &mut SessionState, bodies: &[String], leads: &[&str], lead_required: bool) -> String {
    let said = said_sentences(state);
    let fresh = |line: &str| sentence_keys(line).iter().all(|k| !said.contains(k));
    let lead_order = state.rng.shuffled(leads.len());
    let body_order = state.rng.shuffled(bodies.len());
    let optional_lead = !lead_required && leads.iter().any(|l| !l.is_empty());
    let mut candidates = Vec::with_capacity(leads.len() * bodies.len() + 1);
    for b in &body_order {
        // A body that opens on a connector of its own ("Mais bon…", "Oh, vous savez") takes
        // no opener: "Par contre… Oh, vous savez" reads as two starts.
        if opens_with_connector(&bodies[*b]) {
            candidates.push(bodies[*b].clone());
            continue;
        }
        // The bare body first, half of the time: an opener is added only for variety.
        if optional_lead && state.rng.below(2) == 0 {
            candidates.push(bodies[*b].clone());
        }
        for l in &lead_order {
            let lead = leads[*l];
            candidates.push(if lead.is_empty() { bodies[*b].clone() } else { format!("{lead} {}", bodies[*b]) });
        }
        if !lead_required || leads.is_empty() {
            candidates.push(bodies[*b].clone());
        }
    }
    let line = candidates
        .iter()
        .map(|c| french_typography(c))
        .find(|c| fresh(c))
        .or_else(|| {
            let order = state.rng.shuffled(FALLBACK.len());
            order.into_iter().map(|i| french_typography(FALLBACK[i])).find(|c| fresh(c))
        })
        .unwrap_or_else(|| "Hmm.".to_owned());
    keep_said(state, said);
    state.used_lines.push(line.clone());
    line
}

/// Whether a line starts with a discourse connector or a stage direction of its own.
fn opens_with_connector(line: &str) -> bool {
    let text = Normalized::new(line);
    let first: Vec<&str> = text.words().take(2).collect();
    line.trim_start().starts_with('(')
        || first.first().is_some_and(|w| {
            matches!(
                *w,
                "mais" | "oh" | "ah" | "bon" | "ecoutez" | "honnetement" | "alors" | "enfin" | "hmm" | "bref" | "et"
            )
        })
        || matches!(
            first.as_slice(),
            ["par", "contre"] | ["cela", "dit"] | ["vous", "savez"] | ["pas", "si"] | ["on", "n"] | ["pas", "encore"]
        )
}

/// Neutral lines for when every variant of a move has been said.
const FALLBACK: &[&str] = &[
    "Je vous écoute.",
    "Allez-y, je vous écoute.",
    "Oui, et donc ?",
    "Hmm, d’accord.",
    "Et alors ?",
    "C’est noté.",
    "Je prends note.",
    "Précisez votre pensée.",
    "Et concrètement ?",
    "J’attends la suite.",
    "Je vois où vous voulez en venir.",
    "Bon, continuez.",
    "Soit. Et ensuite ?",
    "Admettons. Et après ?",
];

/// The sentences the prospect has said in this session, as comparison keys, taken out of
/// the state's cache (put them back with `keep_said`). Lines said since the last call are
/// folded in; the last line always is, as a reply may have been completed since.
pub(super) fn said_sentences(state: &mut SessionState) -> std::collections::BTreeSet<String> {
    let from = state.said_upto.min(state.used_lines.len().saturating_sub(1));
    let mut keys = std::mem::take(&mut state.said_keys);
    for line in &state.used_lines[from..] {
        keys.extend(sentence_keys(line).iter().cloned());
    }
    state.said_upto = state.used_lines.len();
    keys
}

pub(super) fn keep_said(state: &mut SessionState, keys: std::collections::BTreeSet<String>) {
    state.said_keys = keys;
}

/// A line's sentences worth keeping unique (two words or more), normalised, with stage
/// directions left out.
/// Remembered per line (the candidate lines come back on every turn).
pub fn sentence_keys(line: &str) -> std::rc::Rc<[String]> {
    thread_local! {
        static KEYS: crate::text::LineMemo<[String]> = Default::default();
    }
    crate::text::memoized(&KEYS, line, || {
        let spoken: String = line.split(['(', ')']).enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, p)| p).collect();
        crate::text::sentences(&spoken)
            .into_iter()
            .map(|s| crate::text::normalize(&spoken[s.start..s.end]))
            .filter(|k| k.split(' ').count() >= 2)
            .collect()
    })
}
