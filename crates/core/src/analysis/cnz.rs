//! Treating an objection (METHODS: CNZ): the acts a sentence shows while the prospect's
//! objection is on the table — dig (creuser), isolate (neutraliser), bring back to the
//! stakes (zoomer).

use std::collections::BTreeSet;

use super::TurnContext;
use super::acts::is_insult;
use super::lexicon::*;
use super::reading::{Act, Sentence};
use super::topics::{self, TargetKind, overlap};
use crate::text::Normalized;

/// What the prospect objected, as the turn's sentences are compared with it.
pub(super) struct OnTheTable<'a> {
    /// The content stems of the objection (or of the prospect's last line).
    pub(super) objected: &'a BTreeSet<String>,
    /// The turn says the objection's words back somewhere.
    pub(super) echoed: bool,
}

/// The CNZ acts of sentence `i`, with an objection live.
pub(super) fn objection_acts(
    ctx: &TurnContext<'_>,
    sentences: &[Sentence<'_>],
    i: usize,
    table: &OnTheTable<'_>,
) -> Vec<Act> {
    let s = &sentences[i];
    let t = &s.text;
    let objected = table.objected;
    let turn_echoes_objection = table.echoed;
    let mut out = Vec::new();
    let dig_phrase = t.find_any(&LEX.dig).is_some();
    let about_objection = overlap(&s.stemmed, objected) >= 1 || turn_echoes_objection;
    let exploring = t
        .find_any(&["qu est ce qui", "qu est ce qu", "pourquoi", "sur quoi", "en quoi", "a quoi", "qu entendez"])
        .is_some();
    // "Qu'est-ce qui se passe quand un commercial part ?" explores a fact of the
    // situation, not the objection: a question whose words point to a fact and
    // not to any objection is discovery.
    let on_a_fact = !about_objection
        && ctx.topics.is_some_and(|tp| {
            let targets = topics::targets(tp, &s.stemmed);
            let best = |kind: TargetKind| targets.iter().filter(|x| x.kind == kind).map(|x| x.score).max();
            best(TargetKind::Fact).is_some_and(|f| f >= 2 && best(TargetKind::Objection).is_none_or(|o| o < f))
        });
    // "Vous êtes sur quoi ?" asks which system they run, not what the doubt rests on.
    let which_system = t.find_any(&["etes sur quoi", "est sur quoi", "tourne sur quoi", "tournez sur quoi"]).is_some();
    let exploring = exploring && !on_a_fact && !which_system;
    if s.question && !is_insult(t) && (dig_phrase || (s.open && (about_objection || exploring))) {
        out.push(Act::ObjectionDig);
    }
    // Isolating asks, or sets a condition: "à part ce point, tout vous convient ?".
    let isolating = s.question || t.find_any(&["si on", "si je", "si nous", "si le", "si la"]).is_some();
    // The point set aside ("Laissons la DSI de côté", "Le tarif, on va y revenir",
    // "Admettons que…"), here or just before, then a yes or no on the rest; or a
    // hypothesis that removes it ("Si le calendrier n'était pas un sujet, … ?").
    let aside = |x: &Normalized<'_>| {
        x.find_any(&[
            "de cote",
            "en suspens",
            "on va y revenir",
            "on y reviendra",
            "on en parlera",
            "je vous le donne",
            "admettons",
            "mettons qu",
            "imaginons",
            "supposons",
            "ne dependait que de vous",
            "sur le principe",
            "sur le fond",
            "de votre point de vue",
        ])
        .is_some()
    };
    let set_aside = s.question
        && !s.open
        && (aside(t)
            || (i > 0 && aside(&sentences[i - 1].text))
            || super::turn_reading::sets_a_hypothesis(t.original()));
    if (t.find_any(&LEX.neutralize).is_some() && isolating) || set_aside {
        out.push(Act::ObjectionNeutralize);
    }
    // The cost of the problem, in their own figures, asked while they object on the
    // offer ("vos pénalités de l'an dernier, elles sont montées à combien ?").
    let their_cost = s.question
        && super::relevance::asks_for_figure(t)
        && t.find_any(&["vous", "vos", "votre"]).is_some()
        && t.find_any(&[
            "coute",
            "coutent",
            "cout",
            "perdez",
            "perdu",
            "pertes",
            "penalites",
            "represente",
            "representent",
            "vaut",
            "valent",
            "evitees",
            "evite",
            "rapporte",
            "ne faites pas",
        ])
        .is_some()
        && t.find_any(&["notre", "nos", "le prix", "le tarif", "notre offre", "l abonnement"]).is_none();
    if t.find_any(&LEX.zoom).is_some() || their_cost {
        out.push(Act::ObjectionZoom);
    }
    out
}
