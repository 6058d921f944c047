//! A learner's message, checked before the engine reads it: not empty, some words in it,
//! no control characters, not too long.

use crate::Error;

/// Longest learner message, in characters (a long spoken turn is about 300 words).
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// For the OpenAPI document: a message holds a letter somewhere. The server takes any
/// alphabetic character; the pattern names the Latin ones, which JSON Schema's regular
/// expressions (without Unicode classes) can list.
pub const LETTER_PATTERN: &str = "[A-Za-zÀ-ÖØ-öø-ÿ]";

/// Checks a learner message: not empty, words in it, no control characters, not too long.
pub fn check_message(message: &str) -> Result<&str, Error> {
    let message = message.trim();
    if message.is_empty() {
        return Err(Error::Unprocessable("Le message est vide.".into()));
    }
    if message.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Error::Unprocessable("Le message contient des caractères de contrôle.".into()));
    }
    if !message.chars().any(char::is_alphabetic) {
        // Only emojis, digits or punctuation: the prospect would have nothing to answer.
        return Err(Error::Unprocessable("Le message ne contient aucun mot : écrivez une phrase au prospect.".into()));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Error::PayloadTooLarge(format!("Message trop long ({MAX_MESSAGE_CHARS} caractères au maximum).")));
    }
    Ok(message)
}
