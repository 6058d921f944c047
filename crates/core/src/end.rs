//! End-of-conversation detection (seed phase 2, SPEC 5.6).
//!
//! `detect_conversation_end` keeps the seed's semantics exactly; the only differences are
//! that phrases match on normalised text and word boundaries (see `text`), and that a
//! template may add its own `end_triggers`. The rules the seed does not cover (the prospect
//! hanging up, `max_exchanges`) are decided by the engine and reported with the same
//! `EndType`.

use serde::{Deserialize, Serialize};

use crate::text::Normalized;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// Whether the learner's message says goodbye (seed: `END_PATTERNS_FR` only), or uses one
/// of the template's own end triggers.
pub fn user_said_bye(user_message: &str, end_triggers: &[String]) -> bool {
    let text = Normalized::new(user_message);
    text.find_any(END_PATTERNS_FR).is_some() || end_triggers.iter().any(|t| text.contains(t))
}

/// Whether the prospect's line says goodbye or closes the conversation (seed:
/// `END_PATTERNS_FR + END_PATTERNS_PROSPECT`), or uses one of the template's end triggers.
pub fn prospect_said_bye(prospect_response: &str, end_triggers: &[String]) -> bool {
    let text = Normalized::new(prospect_response);
    text.find_any(END_PATTERNS_FR).is_some()
        || text.find_any(END_PATTERNS_PROSPECT).is_some()
        || end_triggers.iter().any(|t| text.contains(t))
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
mod tests {
    use super::*;

    #[test]
    fn nothing_ends_before_min_exchanges() {
        assert_eq!(detect_conversation_end("Au revoir", "Au revoir", 3, 4), (false, None));
    }

    #[test]
    fn mutual_goodbye_ends() {
        assert_eq!(
            detect_conversation_end("Merci pour votre temps, au revoir !", "Bonne journée à vous aussi.", 4, 4),
            (true, Some(EndType::MutualGoodbye))
        );
    }

    #[test]
    fn prospect_leaving_gives_the_learner_a_last_turn() {
        assert_eq!(
            detect_conversation_end("Et votre budget ?", "Je dois vous laisser, j'ai un autre appel.", 6, 4),
            (false, Some(EndType::ProspectEnding))
        );
    }

    #[test]
    fn learner_leaving_lets_the_prospect_answer() {
        assert_eq!(
            detect_conversation_end("Je vous laisse, à très vite", "Attendez, une question...", 5, 4),
            (false, Some(EndType::UserEnding))
        );
    }

    #[test]
    fn learner_goodbye_patterns_do_not_include_the_prospect_ones() {
        // "je dois vous laisser" is a prospect pattern only, as in the seed.
        assert_eq!(detect_conversation_end("Je dois vous laisser", "D'accord.", 5, 4), (false, None));
    }

    #[test]
    fn accents_case_and_punctuation_do_not_matter() {
        assert_eq!(detect_conversation_end("A BIENTOT", "merci au revoir", 5, 4), (true, Some(EndType::MutualGoodbye)));
        assert_eq!(
            detect_conversation_end("à bientôt !", "Envoyez-moi ca par e-mail", 5, 4).1,
            Some(EndType::UserEnding)
        );
    }

    #[test]
    fn phrases_match_whole_words() {
        // "bye" inside a word is not a goodbye.
        assert_eq!(detect_conversation_end("Vous visitez l'abbaye ?", "Oui.", 5, 4), (false, None));
    }

    #[test]
    fn template_triggers_count_as_goodbyes() {
        let triggers = vec!["on en reste là".to_owned()];
        assert_eq!(
            detect_with_triggers("Bon, on en reste là.", "Très bien, on en reste là.", 5, 4, &triggers),
            (true, Some(EndType::MutualGoodbye))
        );
    }

    #[test]
    fn end_type_round_trips() {
        for e in [EndType::MutualGoodbye, EndType::ProspectEnded, EndType::MaxExchanges, EndType::Abandoned] {
            assert_eq!(EndType::parse(e.as_str()), Some(e));
        }
    }
}
