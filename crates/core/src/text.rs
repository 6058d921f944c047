//! French text normalisation and phrase matching on word boundaries.
//!
//! Every French cue in the product (patterns, goodbyes, end triggers) is matched on
//! normalised text: lower case, no accents, apostrophes and punctuation turned into word
//! breaks ("qu'est-ce" becomes "qu est ce"), so "Au revoir !" and "au   REVOIR" match the
//! same phrase, and "bye" never matches inside "abbaye".

use unicode_normalization::char::is_combining_mark;

/// A normalised text that remembers where each normalised byte came from, so a match can
/// be quoted back in the learner's own words.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    original: &'a str,
    /// Space-padded normalised text: " au revoir ".
    padded: String,
    /// For each byte of `padded`, the byte offset in `original` of the char it came from.
    origin: Vec<usize>,
    /// The byte offset in `padded` where each word starts: phrases are matched there only.
    starts: Vec<u32>,
}

impl<'a> Normalized<'a> {
    pub fn new(original: &'a str) -> Self {
        let mut padded = String::with_capacity(original.len() + 2);
        let mut origin = Vec::with_capacity(original.len() + 2);
        let mut starts = Vec::new();
        padded.push(' ');
        origin.push(0);
        // A word starts where a letter follows a space.
        let mut start_here = |padded: &String| {
            if padded.as_bytes().last() == Some(&b' ') {
                starts.push(u32::try_from(padded.len()).unwrap_or(u32::MAX));
            }
        };
        for (at, c) in original.char_indices() {
            // Most text is plain ASCII: folded in place, without the general path's iterator.
            if c.is_ascii() && c != '%' {
                if c.is_ascii_alphanumeric() {
                    start_here(&padded);
                    padded.push(c.to_ascii_lowercase());
                    origin.push(at);
                } else if padded.as_bytes().last() != Some(&b' ') {
                    padded.push(' ');
                    origin.push(at);
                }
                continue;
            }
            for folded in fold(c) {
                if folded == ' ' {
                    if !padded.ends_with(' ') {
                        padded.push(' ');
                        origin.push(at);
                    }
                } else {
                    start_here(&padded);
                    let before = padded.len();
                    padded.push(folded);
                    origin.extend(std::iter::repeat_n(at, padded.len() - before));
                }
            }
        }
        if !padded.ends_with(' ') {
            padded.push(' ');
            origin.push(original.len());
        }
        Normalized { original, padded, origin, starts }
    }

    /// The normalised words, space-separated, without padding.
    pub fn as_str(&self) -> &str {
        self.padded.trim()
    }

    pub fn original(&self) -> &'a str {
        self.original
    }

    /// Whether `phrase` (any form; it is normalised too) occurs on word boundaries.
    pub fn contains(&self, phrase: &str) -> bool {
        self.find(phrase).is_some()
    }

    /// The original text of the first occurrence of `phrase`, on word boundaries.
    pub fn find(&self, phrase: &str) -> Option<&'a str> {
        let needle = normalized_form(phrase);
        let needle = needle.trim();
        if needle.is_empty() {
            return None;
        }
        let start = self.bounded_matches(needle).next()?;
        let from = self.origin[start];
        let to = self.origin[start + needle.len() - 1];
        let end = self.original[to..].chars().next().map_or(to, |c| to + c.len_utf8());
        Some(&self.original[from..end])
    }

    /// The byte offsets in `padded` where the normalised, trimmed, non-empty `needle`
    /// occurs on word boundaries. `padded` starts and ends with a space and has single
    /// spaces between words, so a match starts at a word start and ends right before a
    /// space: only word starts are tried, with no searcher to build per phrase (the cue
    /// lists run thousands of short needles over short texts on every turn).
    fn bounded_matches<'s>(&'s self, needle: &'s str) -> impl Iterator<Item = usize> + 's {
        let bytes = self.padded.as_bytes();
        let needle = needle.as_bytes();
        let first = needle.first().copied();
        self.starts.iter().map(|&i| i as usize).filter(move |&i| {
            Some(bytes[i]) == first
                && bytes.get(i..i + needle.len()) == Some(needle)
                && bytes.get(i + needle.len()) == Some(&b' ')
        })
    }

    /// A phrase of `phrases` found, quoted from the original text: with a plain list, the
    /// first of the list that occurs; with a `PhraseSet`, the leftmost occurrence.
    pub fn find_any<P: Phrases + ?Sized>(&self, phrases: &P) -> Option<&'a str> {
        phrases.find_in(self)
    }

    /// The byte ranges, in the padded text, of its words.
    fn word_ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let bytes = self.padded.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < bytes.len() && bytes[at] == b' ' {
                at += 1;
            }
            if at >= bytes.len() {
                return None;
            }
            let start = at;
            while at < bytes.len() && bytes[at] != b' ' {
                at += 1;
            }
            Some((start, at))
        })
    }

    /// The original text from the byte `start` to the byte `end` (exclusive) of the padded
    /// text.
    fn quote_padded(&self, start: usize, end: usize) -> &'a str {
        let from = self.origin[start];
        let to = self.origin[end - 1];
        let end = self.original[to..].chars().next().map_or(to, |c| to + c.len_utf8());
        &self.original[from..end]
    }

    /// How many times any of `phrases` occurs (occurrences of one phrase may not overlap).
    pub fn count_any<P: Phrases + ?Sized>(&self, phrases: &P) -> usize {
        phrases.count_in(self)
    }

    /// `count_any` for a plain list of phrases.
    fn count_list(&self, phrases: &[&str]) -> usize {
        phrases
            .iter()
            .map(|p| {
                let needle = normalized_form(p);
                let needle = needle.trim();
                if needle.is_empty() {
                    return 0;
                }
                let mut count = 0;
                let mut next_free = 0;
                for i in self.bounded_matches(needle) {
                    // " a a " holds "a" twice: a match may start on the space ending the last.
                    if i >= next_free {
                        count += 1;
                        next_free = i + needle.len();
                    }
                }
                count
            })
            .sum()
    }

    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.as_str().split(' ').filter(|w| !w.is_empty())
    }

    pub fn word_count(&self) -> usize {
        self.words().count()
    }
}

/// `phrase` normalised, without work when it already is (the built-in cue lists are
/// written in normalised form, and matching runs them on every turn).
pub(crate) fn normalized_form(phrase: &str) -> std::borrow::Cow<'_, str> {
    // Lower-case letters and digits, single spaces inside (no string searcher built).
    let bytes = phrase.as_bytes();
    let plain = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b' ')
        && !bytes.windows(2).any(|w| w == b"  ");
    if plain { std::borrow::Cow::Borrowed(phrase) } else { std::borrow::Cow::Owned(normalize(phrase)) }
}

/// Normalises French text: lower case, accents removed, every run of non-alphanumeric
/// characters (apostrophes, hyphens, punctuation, spaces) turned into one space, trimmed.
pub fn normalize(text: &str) -> String {
    Normalized::new(text).as_str().to_owned()
}

/// One char, folded: lower-cased, accent removed (by canonical decomposition, so a
/// decomposed "e" + U+0301 folds like a precomposed "é"), ligatures expanded, and every
/// separator mapped to a space.
fn fold(c: char) -> impl Iterator<Item = char> {
    let mapped: &[char] = match c {
        'œ' | 'Œ' => &['o', 'e'],
        'æ' | 'Æ' => &['a', 'e'],
        'ß' => &['s', 's'],
        '€' => &['e', 'u', 'r', 'o', 's'],
        '%' => &['p', 'o', 'u', 'r', 'c', 'e', 'n', 't'],
        _ => &[],
    };
    let single = if mapped.is_empty() && c.is_ascii() {
        // Most text is plain ASCII: no decomposition to look up.
        Some(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
    } else if !mapped.is_empty() || is_combining_mark(c) {
        // A combining accent left alone (decomposed input) belongs to the letter before.
        None
    } else if c.is_alphanumeric() {
        let mut base = c;
        unicode_normalization::char::decompose_canonical(c, |d| {
            if base == c && !is_combining_mark(d) {
                base = d;
            }
        });
        Some(base.to_lowercase().next().unwrap_or(base))
    } else {
        Some(' ')
    };
    // A currency or percent sign is its own word: "15€" reads "15 euros".
    let pad = matches!(c, '€' | '%');
    pad.then_some(' ').into_iter().chain(mapped.iter().copied()).chain(single).chain(pad.then_some(' '))
}

/// A sentence of a text, as a byte range of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The runs of digits in a text, as written ("8 000 euros, 35 %" → "8", "000", "35"): how
/// a figure said back is recognised.
pub fn digit_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty())
}

/// Splits a message into sentences: at `.`, `!`, `?`, `…`, `;` and line breaks, keeping the
/// punctuation with its sentence. "M." and decimal points ("4,7" "2.5") do not split.
pub fn sentences(message: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = message.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let prev = k.checked_sub(1).and_then(|p| chars.get(p)).map(|&(_, p)| p);
        let ends = match c {
            '?' | '!' | '…' | ';' | '\n' => !matches!(next, Some('?' | '!' | '…' | '.')),
            '.' => {
                let decimal = prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
                let title = is_title_before(&message[start..i]);
                !decimal && !title && !matches!(next, Some('.' | '?' | '!'))
            }
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            push_span(message, &mut out, start, end);
            start = end;
        }
    }
    push_span(message, &mut out, start, message.len());
    out
}

fn push_span(message: &str, out: &mut Vec<Span>, start: usize, end: usize) {
    let text = &message[start..end];
    let lead = text.len() - text.trim_start().len();
    let trail = text.len() - text.trim_end().len();
    let span = Span { start: start + lead, end: end - trail };
    if span.start < span.end && message[span.start..span.end].chars().any(char::is_alphanumeric) {
        out.push(span);
    } else if let Some(last) = out.last_mut() {
        // Trailing punctuation or an emoji belongs to the sentence before.
        if span.start < span.end {
            last.end = span.end;
        }
    }
}

/// "M." or "Mme." just before a full stop: a title, not the end of a sentence.
fn is_title_before(text: &str) -> bool {
    let word = text.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    matches!(word, "M" | "MM" | "Mme" | "Mlle" | "Dr" | "Me" | "St" | "Ste" | "etc" | "cf")
}

/// Phrases to look for in a normalised text: a plain list, or a `PhraseSet` indexed by
/// first word (much faster for the long cue lists of the turn reading).
pub trait Phrases {
    fn find_in<'a>(&self, text: &Normalized<'a>) -> Option<&'a str>;
    fn count_in(&self, text: &Normalized<'_>) -> usize;
}

impl Phrases for [&str] {
    fn find_in<'a>(&self, text: &Normalized<'a>) -> Option<&'a str> {
        self.iter().find_map(|p| text.find(p))
    }
    fn count_in(&self, text: &Normalized<'_>) -> usize {
        text.count_list(self)
    }
}

impl<T: Phrases + ?Sized> Phrases for &T {
    fn find_in<'a>(&self, text: &Normalized<'a>) -> Option<&'a str> {
        (**self).find_in(text)
    }
    fn count_in(&self, text: &Normalized<'_>) -> usize {
        (**self).count_in(text)
    }
}

impl<const N: usize> Phrases for [&str; N] {
    fn find_in<'a>(&self, text: &Normalized<'a>) -> Option<&'a str> {
        self.as_slice().find_in(text)
    }
    fn count_in(&self, text: &Normalized<'_>) -> usize {
        self.as_slice().count_in(text)
    }
}

/// A list of normalised phrases indexed by their first word: one pass over a text's words
/// finds them all. It reads as the list it was made from (`Deref` to the slice).
#[derive(Debug, Default)]
pub struct PhraseSet {
    list: Vec<&'static str>,
    set: std::collections::HashSet<&'static str>,
    by_first: std::collections::HashMap<&'static str, Vec<Vec<&'static str>>>,
}

impl PhraseSet {
    /// `phrases` must be normalised (see `normalize`); others never match.
    pub fn new(list: Vec<&'static str>) -> Self {
        let mut by_first: std::collections::HashMap<&'static str, Vec<Vec<&'static str>>> =
            std::collections::HashMap::new();
        for phrase in &list {
            let words: Vec<&'static str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
            if let Some(first) = words.first() {
                by_first.entry(first).or_default().push(words);
            }
        }
        let set = list.iter().copied().collect();
        PhraseSet { list, set, by_first }
    }

    /// Whether `phrase` is one of the set's (exactly), in constant time.
    pub fn has(&self, phrase: &str) -> bool {
        self.set.contains(phrase)
    }

    /// Each occurrence, as (start, end) byte ranges of the padded text, in text order;
    /// `first` stops at the first.
    fn occurrences(&self, text: &Normalized<'_>, first: bool) -> Vec<(usize, usize)> {
        let words: Vec<(usize, usize)> = text.word_ranges().collect();
        let padded = text.padded.as_str();
        let mut found = Vec::new();
        for (i, &(start, end)) in words.iter().enumerate() {
            let Some(candidates) = self.by_first.get(&padded[start..end]) else { continue };
            for phrase in candidates {
                let Some(span) = words.get(i..i + phrase.len()) else { continue };
                if span.iter().zip(phrase.iter()).all(|((s, e), w)| &padded[*s..*e] == *w) {
                    found.push((start, span.last().map_or(end, |(_, e)| *e)));
                    if first {
                        return found;
                    }
                }
            }
        }
        found
    }
}

impl std::ops::Deref for PhraseSet {
    type Target = [&'static str];
    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl Phrases for PhraseSet {
    fn find_in<'a>(&self, text: &Normalized<'a>) -> Option<&'a str> {
        self.occurrences(text, true).first().map(|&(s, e)| text.quote_padded(s, e))
    }
    fn count_in(&self, text: &Normalized<'_>) -> usize {
        self.occurrences(text, false).len()
    }
}

/// A `PhraseSet` of a constant list, its phrases normalised (once, for a static set).
pub(crate) fn phrase_set(list: &'static [&'static str]) -> PhraseSet {
    PhraseSet::new(
        list.iter()
            .map(|p| match normalized_form(p) {
                std::borrow::Cow::Borrowed(plain) => plain,
                std::borrow::Cow::Owned(folded) => &*Box::leak(folded.into_boxed_str()),
            })
            .collect(),
    )
}

/// French typography for generated lines: a narrow no-break space before `? ! ;`, a
/// no-break space before `:` and inside « », as French readers expect.
pub fn french_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            (' ', Some('?' | '!' | ';')) => out.push('\u{202f}'),
            (' ', Some(':' | '»')) => out.push('\u{a0}'),
            ('«', Some(' ')) => {
                out.push('«');
                out.push('\u{a0}');
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A per-thread memo of a function of a line, for the work redone on every turn over lines
/// that come back (the prospect's earlier lines, the scenario's candidate lines). Bounded:
/// learner lines make the set of keys open-ended, so a full memo starts over.
pub(crate) type LineMemo<T> = std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<T>>>;

pub(crate) fn memoized<T: ?Sized>(
    memo: &'static std::thread::LocalKey<LineMemo<T>>,
    line: &str,
    compute: impl FnOnce() -> std::rc::Rc<T>,
) -> std::rc::Rc<T> {
    const BOUND: usize = 8_192;
    if let Some(hit) = memo.with(|m| m.borrow().get(line).cloned()) {
        return hit;
    }
    let value = compute();
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= BOUND {
            m.clear();
        }
        m.insert(line.to_owned(), std::rc::Rc::clone(&value));
    });
    value
}

/// Levenshtein distance between two short strings, in chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_accents_fold_like_precomposed_ones() {
        // "é" as "e" + U+0301, as some keyboards and speech recognisers send it.
        assert_eq!(normalize("re\u{301}ponse de\u{301}ja\u{300}"), "reponse deja");
        assert_eq!(normalize("Ça coûte"), "ca coute");
    }

    #[test]
    fn normalises_case_accents_apostrophes_and_punctuation() {
        assert_eq!(normalize("  Qu'est-ce qui VOUS freine ?! "), "qu est ce qui vous freine");
        assert_eq!(normalize("À bientôt, ça marche…"), "a bientot ca marche");
        assert_eq!(normalize("Cœur d’œuvre"), "coeur d oeuvre");
        assert_eq!(normalize("15€/mois, 20%"), "15 euros mois 20 pourcent");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn matches_on_word_boundaries_only() {
        let n = Normalized::new("Bonne journée à vous aussi !");
        assert!(n.contains("bonne journee"));
        assert!(n.contains("Bonne Journée à vous"));
        assert!(!Normalized::new("Une abbaye splendide").contains("bye"));
        assert!(Normalized::new("OK, bye!").contains("bye"));
        assert!(!Normalized::new("revoir").contains("au revoir"));
    }

    #[test]
    fn find_quotes_the_original_words() {
        let n = Normalized::new("Alors, si je comprends BIEN, vous perdez 3 h ?");
        assert_eq!(n.find("si je comprends bien"), Some("si je comprends BIEN"));
        let n = Normalized::new("Très bien. Qu’est-ce qui vous fait dire ça ?");
        assert_eq!(n.find("qu'est-ce qui vous fait dire"), Some("Qu’est-ce qui vous fait dire"));
        assert_eq!(n.find(""), None);
    }

    #[test]
    fn counts_repeated_phrases() {
        let n = Normalized::new("Euh, du coup, euh, en fait... euh");
        assert_eq!(n.count_any(&["euh"]), 3);
        assert_eq!(n.count_any(&["euh", "du coup", "en fait"]), 5);
    }

    #[test]
    fn french_typography_uses_no_break_spaces() {
        assert_eq!(
            french_typography("Vraiment ? Oui : « bien » !"),
            "Vraiment\u{202f}? Oui\u{a0}: «\u{a0}bien\u{a0}»\u{202f}!"
        );
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("techstar", "textar"), 3);
        assert_eq!(edit_distance("martin", "martin"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
