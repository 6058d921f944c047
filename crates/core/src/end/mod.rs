//! End-of-conversation detection (seed phase 2, SPEC 5.6).
//!
//! `detect_conversation_end` keeps the seed's semantics exactly; the only differences are
//! that phrases match on normalised text and word boundaries (see `text`), and that a
//! template may add its own `end_triggers`. The rules the seed does not cover (the prospect
//! hanging up, `max_exchanges`) are decided by the engine and reported with the same
//! `EndType`.

use serde::{Deserialize, Serialize};

use crate::text::{Normalized, sentences};

/// Goodbyes either side may say (the seed's `END_PATTERNS_FR`).
pub const END_PATTERNS_FR: &[&str] = &[
    // Formules de politesse
    "au revoir",
    "à bientôt",
    "bonne journée",
    "bonne fin de journée",
    "bonne continuation",
    "à la prochaine",
    "à très vite",
    // Remerciements de fin
    "merci pour votre temps",
    "merci de m'avoir reçu",
    "je vous laisse",
    "je ne vous retiens pas plus",
    // Anglais (au cas où)
    "goodbye",
    "bye",
    "see you",
    "take care",
];

/// Ways the prospect brings the conversation to a close (the seed's
/// `END_PATTERNS_PROSPECT`).
pub const END_PATTERNS_PROSPECT: &[&str] = &[
    "je dois vous laisser",
    "j'ai un autre appel",
    "on se rappelle",
    "envoyez-moi ça par email",
    "je reviendrai vers vous",
    "merci, au revoir",
    "bonne journée à vous aussi",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndType {
    /// Both said goodbye: the conversation is over.
    MutualGoodbye,
    /// The prospect is leaving; the learner gets one last turn.
    ProspectEnding,
    /// The learner said goodbye; the prospect answers politely.
    UserEnding,
    /// The prospect hung up or closed the conversation after the learner's last turn.
    ProspectEnded,
    /// The template's `max_exchanges` was reached.
    MaxExchanges,
    /// The learner ended the session from the page without a goodbye.
    Abandoned,
}

impl EndType {
    pub fn as_str(self) -> &'static str {
        match self {
            EndType::MutualGoodbye => "mutual_goodbye",
            EndType::ProspectEnding => "prospect_ending",
            EndType::UserEnding => "user_ending",
            EndType::ProspectEnded => "prospect_ended",
            EndType::MaxExchanges => "max_exchanges",
            EndType::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EndType::MutualGoodbye,
            EndType::ProspectEnding,
            EndType::UserEnding,
            EndType::ProspectEnded,
            EndType::MaxExchanges,
            EndType::Abandoned,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }
}

/// Farewells of every register either side may say, beyond the seed's list (issue 12).
const FAREWELLS: &[&str] = &[
    "au revoir",
    "aurevoir",
    "au revoire",
    "a bientot",
    "a tres bientot",
    "a tres vite",
    "a plus",
    "a plus tard",
    "a la prochaine",
    "a la revoyure",
    "a la semaine prochaine",
    "a la semaine pro",
    "a lundi",
    "a mardi",
    "a mercredi",
    "a jeudi",
    "a vendredi",
    "a samedi",
    "a dimanche",
    "a demain",
    "a tout a l heure",
    "a un de ces quatre",
    "a tt a l heure",
    "a tout de suite",
    "bonne aprem",
    "bon aprem",
    "bonne fin d aprem",
    "excellent week end",
    "excellent weekend",
    "excellente fin de journee",
    "a tantot",
    "a un de ces jours",
    "a ce soir",
    "a la rentree",
    "au plaisir",
    "bonne journee",
    "bonne journe",
    "bne journee",
    "bonne fin de journee",
    "bonne soiree",
    "bonne soire",
    "bone soiree",
    "bone soire",
    "bonne fin de soiree",
    "bonne fin de matinee",
    "bonne matinee",
    "bonne fin de semaine",
    "bon week end",
    "bon weekend",
    "bon we",
    "bonne semaine",
    "bonne nuit",
    "bonne continuation",
    "bonne apres midi",
    "bon apres midi",
    "bonne fin d apres midi",
    "bonne route",
    "bonnes vacances",
    "bonnes fetes",
    "bon courage",
    "excellente journee",
    "excellente soiree",
    "belle journee",
    "belle soiree",
    "salut",
    "ciao",
    "tchao",
    "tcho",
    "bye",
    "bye bye",
    "goodbye",
    "see you",
    "take care",
    "adieu",
    "portez vous bien",
    "je ne vous retiens pas",
    "je vous laisse",
    "merci pour votre temps",
    "merci pour ce temps",
    "merci de votre temps",
    "merci pour ce moment",
    "merci de m avoir recu",
    "merci de m avoir recue",
    "merci pour l appel",
    "merci pour cet echange",
];

/// The prospect's ways of leaving, beyond the seed's list.
const LEAVING: &[&str] = &[
    "je vais devoir m arreter la",
    "je dois m arreter la",
    "je dois y aller",
    "je dois filer",
    "je file",
    "il faut que j y aille",
    "il faut que je file",
    "je dois vous quitter",
    "je vais devoir vous laisser",
    "on m attend",
    "je suis attendu",
    "je suis attendue",
    "on en reste la",
    "restons en la",
    "on s arrete la",
    "arretons nous la",
    "je raccroche",
    "je dois raccrocher",
    "je vais devoir raccrocher",
    "ne me rappelez plus",
    "ne me rappelez pas",
    "j ai une reunion",
    "ma reunion commence",
    "je vous laisse",
];

/// Words after a farewell that make it part of a phrase ("au revoir les erreurs de
/// relance", "bye bye Excel" is caught by the capital, see `farewell_at`).
const DETERMINERS: &[&str] =
    &["les", "le", "la", "l", "aux", "des", "du", "un", "une", "vos", "mes", "ces", "ton", "ta", "tes", "nos"];
/// Reporting words before a farewell: someone else's goodbye, not this one.
const REPORTING: &[&str] = &["dit", "dire", "disait", "dira", "dise", "disent", "dites", "dirons", "diront"];
/// Signs that the conversation goes on after the farewell-like words.
const GOING_ON: &[&str] = &[
    "ne quittez pas",
    "ne raccrochez pas",
    "continuez",
    "allez y",
    "je reviens",
    "en attendant",
    "et sinon",
    "mais",
    "par contre",
    "d ailleurs",
    "au fait",
    "passons",
    "revenons",
    "une derniere question",
    "une question",
    "j ai oublie",
    "attendez",
    "je suis a vous",
    "je vous ecoute",
    "je t ecoute",
    "deux secondes",
    "une seconde",
    "un instant",
    "vas y",
    "je t attendais",
    "je vous attendais",
    "d abord",
    "je vous appelle",
    "je vous appelais",
    "je vous contacte",
    "et ensuite",
];
/// Words after "je vous laisse" that make it a task, not a goodbye.
const TASK_AFTER_LEAVE: &[&str] = &[
    "la",
    "le",
    "les",
    "l",
    "me",
    "m",
    "nous",
    "y",
    "en",
    "un",
    "une",
    "des",
    "du",
    "choisir",
    "regarder",
    "reflechir",
    "lire",
    "voir",
    "consulter",
    "decider",
    "juger",
    "revenir",
    "decouvrir",
    "parcourir",
    "examiner",
    "etudier",
    "faire",
    "remplir",
    "completer",
    "prendre",
    "avec",
    "quelques",
    "deux",
    "cinq",
    "dix",
    "valider",
    "poser",
    "repondre",
    "tester",
    "essayer",
    "appeler",
];
/// Words that may come before "à demain", "à plus"… when it is a farewell.
const BEFORE_A_FAREWELL: &[&str] = &[
    "et",
    "allez",
    "bon",
    "alors",
    "donc",
    "merci",
    "ok",
    "okay",
    "parfait",
    "super",
    "bien",
    "ben",
    "bah",
    "dac",
    "accord",
    "entendu",
    "note",
    "vite",
    "impeccable",
    "top",
    "voila",
    "aussi",
    "nickel",
    "oui",
    "ouais",
    "yes",
    "genial",
    "cool",
    "beaucoup",
    "encore",
    "tout",
    "bref",
    "salut",
    "revoir",
    "journee",
    "soiree",
    "ca",
    "marche",
    "vous",
    "dis",
];

/// Whether the learner's message says goodbye: a farewell of any register (the seed's
/// `END_PATTERNS_FR` and more), or one of the template's own end triggers, said as a
/// farewell: not inside a question, a slogan, reported speech, or a line that goes on.
pub fn user_said_bye(user_message: &str, end_triggers: &[String]) -> bool {
    says_goodbye(user_message, end_triggers, false)
}

/// Whether the prospect's line says goodbye or closes the conversation (seed:
/// `END_PATTERNS_FR + END_PATTERNS_PROSPECT`, and more), or uses one of the template's end
/// triggers. A postponement ("on verra ça au prochain comité") is not a goodbye.
pub fn prospect_said_bye(prospect_response: &str, end_triggers: &[String]) -> bool {
    says_goodbye(prospect_response, end_triggers, true)
}

/// Whether one sentence, on its own, is a farewell (used by the turn reading).
pub fn is_farewell_sentence(text: &Normalized<'_>) -> bool {
    let raw = text.original();
    plus_sign_farewell(raw) || farewell_at(text, raw, &FAREWELLS_N, false).is_some()
}

/// A phrase list in normalised form, once: the farewell lists are read on every turn.
struct NormalizedList(std::sync::LazyLock<Vec<String>>);

impl std::ops::Deref for NormalizedList {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.0
    }
}

macro_rules! normalized_list {
    ($list:expr) => {
        NormalizedList(std::sync::LazyLock::new(|| $list.iter().map(|p| crate::text::normalize(p)).collect()))
    };
}

static FAREWELLS_N: NormalizedList = normalized_list!(FAREWELLS);
static END_PATTERNS_FR_N: NormalizedList = normalized_list!(END_PATTERNS_FR);
static END_PATTERNS_PROSPECT_N: NormalizedList = normalized_list!(END_PATTERNS_PROSPECT);
static LEAVING_N: NormalizedList = normalized_list!(LEAVING);

fn says_goodbye(message: &str, end_triggers: &[String], prospect: bool) -> bool {
    let spans = sentences(message);
    let triggers: Vec<String> = end_triggers.iter().map(|t| crate::text::normalize(t)).collect();
    for (k, span) in spans.iter().enumerate() {
        let raw = &message[span.start..span.end];
        let text = Normalized::new(raw);
        let mut found = farewell_at(&text, raw, &FAREWELLS_N, false)
            .or_else(|| farewell_at(&text, raw, &END_PATTERNS_FR_N, false))
            .or_else(|| farewell_at(&text, raw, &triggers, false))
            .or_else(|| plus_sign_farewell(raw).then_some(text.word_count()));
        if prospect {
            found = found
                .or_else(|| farewell_at(&text, raw, &END_PATTERNS_PROSPECT_N, true))
                .or_else(|| farewell_at(&text, raw, &LEAVING_N, true));
        }
        let Some(after_in_sentence) = found else { continue };
        // "Salut ! Oui, je t'attendais…": a greeting that opens the call.
        let greeting = k == 0 && spans.len() > 1 && text.words().next() == Some("salut");
        // The conversation goes on if a question or a new topic follows the farewell.
        let rest: Vec<&str> = spans[k + 1..].iter().map(|s| &message[s.start..s.end]).collect();
        let rest_text = Normalized::new(&message[span.end..]);
        let words: Vec<&str> = text.words().collect();
        let tail = words[words.len().saturating_sub(after_in_sentence)..].join(" ");
        let going_on = |t: &Normalized<'_>| t.find_any(GOING_ON).is_some();
        let goes_on = rest.iter().any(|r| r.contains('?'))
            || going_on(&rest_text)
            || going_on(&Normalized::new(&tail))
            || after_in_sentence + rest_text.word_count() > 14
            || greeting;
        if !goes_on {
            return true;
        }
    }
    false
}

/// "a+" / "à+": the SMS farewell, which normalisation would read as a lone "a".
fn plus_sign_farewell(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    ["a+", "à+", "a +", "à +"]
        .iter()
        .any(|f| lower.match_indices(f).any(|(i, _)| lower[..i].chars().last().is_none_or(|c| !c.is_alphanumeric())))
}

/// Where a farewell of `phrases` is said in one sentence, as the number of words after it;
/// `None` when none is, or when each occurrence is in a question (unless `leaving`, the
/// prospect's "je dois vous laisser, on se rappelle ?"), a slogan, reported speech or a
/// quotation, or a "je vous laisse" followed by a task.
/// `phrases` are in normalised form.
fn farewell_at(text: &Normalized<'_>, raw: &str, phrases: &[String], leaving: bool) -> Option<usize> {
    let words: Vec<&str> = text.words().collect();
    // Most phrases are ruled out by their first word alone: the rest of the work is done
    // only for those left.
    let candidates: Vec<&str> = phrases
        .iter()
        .map(String::as_str)
        .filter(|p| words.contains(&p.split_once(' ').map_or(*p, |(first, _)| first)))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let question = raw.contains('?');
    let quoted = raw.contains('«') || raw.contains('"') || raw.contains('“');
    // The word indices where a comma-separated clause starts.
    let mut clause_starts = Vec::new();
    let mut at = 0;
    for clause in raw.split([',', ';', ':']) {
        clause_starts.push(at);
        at += Normalized::new(clause).word_count();
    }
    let raw_words: Vec<&str> = raw.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for phrase in &candidates {
        let needle: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
        if needle.len() > words.len() {
            continue;
        }
        for i in 0..=words.len() - needle.len() {
            if words[i..i + needle.len()] != needle[..] {
                continue;
            }
            let prev = i.checked_sub(1).map(|p| words[p]);
            let next = words.get(i + needle.len()).copied();
            let after = words.len() - i - needle.len();
            if (question && !leaving) || quoted {
                continue;
            }
            if prev.is_some_and(|p| REPORTING.contains(&p)) {
                continue;
            }
            if next.is_some_and(|n| DETERMINERS.contains(&n)) && !phrase.ends_with(" la") {
                continue;
            }
            // "Je vous laisse dérouler votre présentation": an infinitive is a task.
            let infinitive = |n: &str| {
                n.chars().count() > 4
                    && (n.ends_with("er") || n.ends_with("ir") || n.ends_with("re"))
                    && n != "travailler"
            };
            // "Je vous laisse vous présenter": a task for the other, not a goodbye.
            let reflexive_task = next == Some("vous") && words.get(i + needle.len() + 1).is_some_and(|w| infinitive(w));
            if *phrase == "je vous laisse"
                && (next.is_some_and(|n| TASK_AFTER_LEAVE.contains(&n) || infinitive(n)) || reflexive_task)
            {
                continue;
            }
            if leaving && next.is_some_and(|n| matches!(n, "dans" | "bientot" | "d" | "juste")) {
                continue;
            }
            // "Il faudra que je raccroche à 11 h": later, not now.
            if leaving && i >= 2 && matches!(words[i - 2], "faudra" | "faudrait" | "devrai" | "devrais") {
                continue;
            }
            // "Bon courage pour me convaincre": irony, and the talk goes on.
            // "Bon courage pour la fromagerie cet après-midi" wishes well and takes leave.
            let after_pour = words.get(i + needle.len() + 1).copied();
            let then = words.get(i + needle.len() + 2).copied();
            if *phrase == "bon courage"
                && next == Some("pour")
                && (after_pour.is_some_and(|w| matches!(w, "me" | "m" | "nous"))
                    || (after_pour.is_some_and(|w| matches!(w, "le" | "la" | "les")) && then.is_some_and(infinitive)))
            {
                continue;
            }
            // "Notre offre Bon Week-end", "on utilise Tchao Papier": a name in mid-sentence.
            let capitalised =
                |k: usize| raw_words.get(k).is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
            if i > 0 && raw_words.len() == words.len() && (i..i + needle.len()).all(capitalised) {
                continue;
            }
            if needle[0] == "a" && needle.len() >= 2 {
                // "à plus de 200 euros", "d'ici à demain", "reportons à lundi".
                // "À mardi 10 !" gives the day's date: still a farewell.
                let weekday =
                    matches!(needle[1], "lundi" | "mardi" | "mercredi" | "jeudi" | "vendredi" | "samedi" | "dimanche");
                let next_blocks = next.is_some_and(|n| {
                    matches!(n, "de" | "d" | "que" | "qu" | "en") || (n.chars().all(|c| c.is_ascii_digit()) && !weekday)
                });
                // At the start of a clause ("…, à mardi !") it takes leave whatever came before.
                let prev_ok = prev.is_none_or(|p| BEFORE_A_FAREWELL.contains(&p)) || clause_starts.contains(&i);
                if next_blocks || !prev_ok {
                    continue;
                }
            }
            if matches!(*phrase, "salut" | "adieu" | "bye bye" | "bye" | "ciao") {
                // "Salut Marc, tu as une minute ?" opens a call; "Adieu Papier" is a product.
                let opening = *phrase == "salut" && i == 0 && after > 2;
                if opening || capitalised_after(raw, needle.len() + i) {
                    continue;
                }
            }
            return Some(after);
        }
    }
    None
}

/// Whether the word at `index` (0-based, in normalised words) starts with a capital and is
/// not a person's title: "Adieu Papier", "bye bye Excel".
fn capitalised_after(raw: &str, index: usize) -> bool {
    let word = raw.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).nth(index);
    word.is_some_and(|w| {
        w.chars().next().is_some_and(char::is_uppercase) && !matches!(w, "Monsieur" | "Madame" | "M" | "Mme")
    })
}

/// The seed's `detect_conversation_end`, with word-boundary matching.
///
/// `exchange_count` is the 1-based number of the current exchange (one learner message and
/// the prospect's reply). Returns `(is_ended, end_type)`.
pub fn detect_conversation_end(
    user_message: &str,
    prospect_response: &str,
    exchange_count: u32,
    min_exchanges: u32,
) -> (bool, Option<EndType>) {
    detect_with_triggers(user_message, prospect_response, exchange_count, min_exchanges, &[])
}

/// `detect_conversation_end` with a template's extra `end_triggers`.
pub fn detect_with_triggers(
    user_message: &str,
    prospect_response: &str,
    exchange_count: u32,
    min_exchanges: u32,
    end_triggers: &[String],
) -> (bool, Option<EndType>) {
    if exchange_count < min_exchanges {
        return (false, None);
    }
    let user_bye = user_said_bye(user_message, end_triggers);
    let prospect_bye = prospect_said_bye(prospect_response, end_triggers);
    match (user_bye, prospect_bye) {
        (true, true) => (true, Some(EndType::MutualGoodbye)),
        (false, true) => (false, Some(EndType::ProspectEnding)),
        (true, false) => (false, Some(EndType::UserEnding)),
        (false, false) => (false, None),
    }
}

#[cfg(test)]
mod tests;
