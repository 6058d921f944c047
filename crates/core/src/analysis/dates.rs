//! Dates and times in a learner's line: what makes a next step precise ("mardi 14 à
//! 10 h", "le 3 mars") rather than a period ("courant février", "l'après-midi").

use super::lexicon::LEX;
use crate::text::Normalized;

/// A day, a date or a time of day.
pub(super) fn is_dated(t: &Normalized<'_>) -> bool {
    !date_spans(t).is_empty()
}

/// The dates and times a text gives, each as the words that say it: "lundi 2 fevrier",
/// "14h30", "le 12", "demain". A month alone ("courant février") is a period, not a date.
pub(super) fn date_spans(t: &Normalized<'_>) -> Vec<String> {
    let mut spans: Vec<String> =
        LEX.when.iter().filter(|p| p.contains(' ') && t.find(p).is_some()).map(|p| (*p).to_owned()).collect();
    let words: Vec<&str> = t.words().collect();
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    // "le 3 mars", "1er juin", "premier avril": a month with its day.
    let day = |w: &str| (number(w) && w.len() <= 2) || matches!(w, "1er" | "premier");
    let at = |i: usize| words.get(i).copied().unwrap_or("");
    // "10h", "14h30", "9h15".
    let clock = |w: &str| {
        let mut parts = w.splitn(2, 'h');
        let (hours, minutes) = (parts.next().unwrap_or(""), parts.next());
        number(hours) && hours.len() <= 2 && minutes.is_some_and(|m| m.is_empty() || number(m))
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // "l'après-midi" is a part of the day, not a time; "à midi" is one.
        let afternoon = w == "midi" && i > 0 && words[i - 1] == "apres";
        let len = if LEX.when.has(w) && !afternoon {
            // "mardi", "mardi 14", "mardi 14 mars".
            match (day(at(i + 1)), LEX.months.has(at(i + 2))) {
                (true, true) => 3,
                (true, false) => 2,
                _ => 1,
            }
        } else if day(w) && LEX.months.has(at(i + 1))
            || number(w) && matches!(at(i + 1), "h" | "heure" | "heures" | "h00" | "h30")
            || matches!(w, "le" | "du" | "au") && number(at(i + 1)) && at(i + 1).len() <= 2
        {
            2
        } else if clock(w) {
            1
        } else {
            0
        };
        if len > 0 {
            spans.push(words[i..(i + len).min(words.len())].join(" "));
            i += len;
        } else {
            i += 1;
        }
    }
    spans
}

/// Whether a sentence names a period rather than a day ("courant février", "la semaine
/// prochaine", "dans quelques semaines"): a step in it has no date.
pub(super) fn names_a_period(t: &Normalized<'_>) -> bool {
    t.find_any(&LEX.months).is_some()
        || t.find_any(&[
            "semaine prochaine",
            "la semaine pro",
            "mois prochain",
            "dans le courant",
            "courant de la semaine",
            "courant du mois",
            "courant de l annee",
            "prochains jours",
            "debut de semaine",
            "fin de semaine",
            "debut du mois",
            "fin du mois",
            "quelques dispos",
            "quelques disponibilites",
            "quelques creneaux",
            "dans quelques semaines",
            "dans quelques jours",
            "dans quelque temps",
            "dans un mois",
            "dans deux semaines",
            "dans trois semaines",
            "d ici quelques semaines",
            "d ici la fin du mois",
        ])
        .is_some()
}

/// Whether a question that names a period asks who, why, how or how much rather than
/// proposing a moment ("Au comité de juin, qui aura le dernier mot ?"): no proposal words
/// in it ("je vous propose", "ça vous va", "on fixe"…).
pub(super) fn asks_who_not_when(t: &Normalized<'_>) -> bool {
    let proposing_words = t
        .find_any(&[
            "je vous propose",
            "je propose",
            "on pourrait",
            "on peut",
            "ca vous",
            "vous conviendrait",
            "vous convient",
            "vous irait",
            "on se",
            "on fixe",
            "on cale",
            "calons",
            "fixons",
        ])
        .is_some();
    !proposing_words && t.words().any(|w| matches!(w, "qui" | "pourquoi" | "combien" | "comment"))
}
