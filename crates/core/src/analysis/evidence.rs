//! Evidence: the learner's own sentences, quoted whole. A pattern is shown with the
//! sentence that carries it, never with a list of words.

pub use crate::text::{Span, sentences};

/// Sentences longer than this are quoted up to it, with an ellipsis: a sentence without
/// punctuation can be a whole monologue.
const MAX_QUOTED_WORDS: usize = 60;

/// The sentence quoted whole (up to `MAX_QUOTED_WORDS` words).
pub fn quote(message: &str, span: Span) -> String {
    shorten(message[span.start..span.end].trim(), MAX_QUOTED_WORDS)
}

/// The sentence of `message` that holds the byte offset `at`.
pub fn sentence_at(spans: &[Span], at: usize) -> Option<usize> {
    spans.iter().position(|s| at >= s.start && at < s.end.max(s.start + 1))
}

pub fn shorten(text: &str, max_words: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= max_words { words.join(" ") } else { format!("{}…", words[..max_words].join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(message: &str) -> Vec<&str> {
        sentences(message).iter().map(|s| &message[s.start..s.end]).collect()
    }

    #[test]
    fn splits_at_sentence_ends_only() {
        assert_eq!(
            texts("Bonjour M. Martin. Noté 4.7 sur 5 ! Et vous ?? Bon… d'accord"),
            vec!["Bonjour M. Martin.", "Noté 4.7 sur 5 !", "Et vous ??", "Bon…", "d'accord"]
        );
        assert_eq!(texts("  "), Vec::<&str>::new());
        assert_eq!(texts("Parfait ! 🙂"), vec!["Parfait ! 🙂"]);
    }

    #[test]
    fn quotes_a_whole_sentence() {
        let message = "Je vois. Et comment gérez-vous vos relances aujourd’hui ?";
        let spans = sentences(message);
        assert_eq!(quote(message, spans[1]), "Et comment gérez-vous vos relances aujourd’hui ?");
        assert_eq!(sentence_at(&spans, message.find("relances").unwrap_or(0)), Some(1));
    }
}
