//! The prospect's names in a learner's line: used right (personalization), misspelt, or
//! the wrong civility.

use super::TurnContext;
use super::lexicon::*;
use super::reading::TurnReading;
use crate::text::{Normalized, edit_distance, normalize};

/// Words of a company's name that say nothing of which company it is.
const GENERIC_COMPANY_WORDS: &[&str] = &[
    "groupe",
    "societe",
    "atelier",
    "ateliers",
    "transports",
    "transport",
    "fromageries",
    "fromagerie",
    "cabinet",
    "clinique",
    "cliniques",
    "hotels",
    "hotel",
    "industries",
    "industrie",
    "laboratoires",
    "laboratoire",
    "services",
    "service",
    "solutions",
    "france",
    "cave",
    "caves",
    "cooperative",
    "maison",
    "maisons",
    "agence",
    "architectes",
    "associes",
    "conseil",
    "distribution",
    "construction",
    "energie",
    "sante",
    "pharmacie",
    "pharmacies",
    "garage",
    "garages",
    "immobilier",
    "assurances",
    "assurance",
    "mutuelle",
    "banque",
    "entreprise",
    "entreprises",
    "ouest",
    "est",
    "nord",
    "sud",
    "centre",
    "sarl",
    "sas",
    "compagnie",
    "etablissements",
    "ets",
    "formation",
    "logistique",
    "batiment",
    "travaux",
    "genie",
    "thermique",
    "echafaudage",
    "equipements",
    "systemes",
    "technologies",
];

/// The prospect's first name, last name and company (whole, and its distinctive words),
/// as separate tokens worth matching.
fn name_tokens(ctx: &TurnContext<'_>) -> Vec<String> {
    let mut tokens: Vec<String> =
        ctx.prospect_name.split_whitespace().filter(|t| t.chars().count() >= 3).map(str::to_owned).collect();
    let company = ctx.company.trim();
    if !company.is_empty() {
        tokens.push(company.to_owned());
        tokens.extend(
            company
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| w.chars().count() >= 4 && w.chars().next().is_some_and(char::is_uppercase))
                .filter(|w| !GENERIC_COMPANY_WORDS.contains(&normalize(w).as_str()))
                .map(str::to_owned),
        );
    }
    tokens
}

pub(super) fn names_used<'a>(ctx: &TurnContext<'_>, text: &Normalized<'a>) -> Option<&'a str> {
    name_tokens(ctx).iter().find_map(|n| text.find(n))
}

/// A capitalised word close to, but not equal to, one of the prospect's names ("Textar"
/// for "TechStar"), and not a name the scenario knows otherwise (a client cited as proof,
/// a competitor).
pub(super) fn misspelled_name(ctx: &TurnContext<'_>, message: &str) -> Option<String> {
    let names: Vec<String> = name_tokens(ctx)
        .iter()
        .flat_map(|n| normalize(n).split(' ').map(str::to_owned).collect::<Vec<_>>())
        .filter(|n| n.chars().count() >= 4)
        .collect();
    let known: Vec<String> = ctx
        .proof_names
        .iter()
        .chain(ctx.competitors)
        .flat_map(|n| normalize(n).split(' ').map(str::to_owned).collect::<Vec<_>>())
        .chain(names.iter().cloned())
        .collect();
    // Any other name the scenario knows (a colleague, a client, a place) is not a slip.
    let in_scenario = |w: &str| ctx.topics.is_some_and(|t| t.names.contains(w));
    message
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 4)
        .find(|w| {
            let w = normalize(w);
            // A capitalised word of the language ("Mais", "Merci") is no name.
            !known.contains(&w)
                && !LEX.stopwords.has(&w)
                // Nor a word of the methods ("Besoin, enjeux, budget…").
                && !LEX.method_terms.has(&w)
                && !in_scenario(&w)
                // Nor a day or a month ("Mardi" is not "Marion" misspelt).
                && !is_calendar_word(&w)
                && names.iter().any(|n| {
                    // Same first letter, a few letters off: a slip, not another word.
                    let tolerance = match n.chars().count() {
                        0..5 => 1,
                        5..6 => 2,
                        _ => 3,
                    };
                    let d = edit_distance(&w, n);
                    w.chars().next() == n.chars().next() && d > 0 && d <= tolerance
                })
        })
        .map(str::to_owned)
}

fn is_calendar_word(w: &str) -> bool {
    matches!(
        w,
        "lundi"
            | "mardi"
            | "mercredi"
            | "jeudi"
            | "vendredi"
            | "samedi"
            | "dimanche"
            | "janvier"
            | "fevrier"
            | "mars"
            | "avril"
            | "juin"
            | "juillet"
            | "aout"
            | "septembre"
            | "octobre"
            | "novembre"
            | "decembre"
    )
}

/// « Monsieur » said to a woman, or « Madame » to a man, when addressing the prospect (not
/// « Monsieur Hoffmann », a third person): the sentence where it is said.
pub(super) fn wrong_civility(ctx: &TurnContext<'_>, reading: &TurnReading) -> Option<String> {
    let feminine = ctx.feminine?;
    let wrong = if feminine { "monsieur" } else { "madame" };
    let last = normalize(ctx.prospect_name.split_whitespace().last().unwrap_or_default());
    reading
        .sentences
        .iter()
        .find(|s| {
            let words: Vec<&str> =
                s.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).collect();
            words.iter().enumerate().any(|(i, w)| {
                w.to_lowercase() == wrong && {
                    // Followed by another name (or « le Président »), it speaks of someone else.
                    let next = words.get(i + 1).copied().unwrap_or_default();
                    let third = next.chars().next().is_some_and(char::is_uppercase) && normalize(next) != last
                        || matches!(next, "le" | "la");
                    !third
                }
            })
        })
        .cloned()
}
