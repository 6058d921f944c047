//! The French the reading understands: cue phrases per dialogue act, in normalised form
//! (see `text::normalize`: lower case, no accents, punctuation as spaces), and stemmed
//! words for topics (Snowball French), so "économies", "économiser" and "economise" meet.
//!
//! The phrases live in `lexicon.txt` (data, not code), embedded in the binary and parsed
//! once. Phrases are matched on word boundaries; topic words are matched on stems. Nothing
//! here decides a pattern: `reading` combines these cues with the context.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::{Normalized, PhraseSet};

/// The stem of one normalised (folded) word. Stemming folded words keeps typed-without-
/// accent input and accented input on the same stem. Memoised per thread (a conversation
/// stems the same words turn after turn); the cache only remembers, it never changes a
/// result.
pub fn stem(stemmer: &Stemmer, word: &str) -> String {
    thread_local! {
        static STEMS: std::cell::RefCell<std::collections::HashMap<String, String>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(word) {
            return stem.clone();
        }
        let stem = stemmer.stem(word).into_owned();
        // Bounded: a long-running server thread sees an open vocabulary.
        if cache.len() >= 50_000 {
            cache.clear();
        }
        cache.insert(word.to_owned(), stem.clone());
        stem
    })
}

pub fn french_stemmer() -> Stemmer {
    Stemmer::create(Algorithm::French)
}

/// Whether a normalised word carries content (not a function word, not a number alone).
pub fn is_content_word(word: &str) -> bool {
    word.chars().count() >= 3 && !LEX.stopwords.has(word) && !word.bytes().all(|c| c.is_ascii_digit())
}

/// The cue phrases, one list per section of `lexicon.txt`.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Function words and fillers that say nothing of what a turn is about.
    pub stopwords: PhraseSet,
    /// Words that make a question open (it asks for information, not yes or no).
    pub open_words: PhraseSet,
    /// Invitations to talk that are open questions even without a question mark.
    pub tell_me: PhraseSet,
    /// Questions asked in a statement ("je voulais savoir…"), open or closed by their words.
    pub indirect_questions: PhraseSet,
    /// Short prompts that invite the prospect to go on (active listening).
    pub listening_prompts: PhraseSet,
    pub acknowledgements: PhraseSet,
    /// Phrases that announce a reformulation; it counts only when it restates what the
    /// prospect said.
    pub reformulation: PhraseSet,
    pub empathy: PhraseSet,
    /// A gain for the prospect: the benefit of the BAC.
    pub benefit: PhraseSet,
    /// What a claim of proof talks of: customers and measured results.
    pub proof_words: PhraseSet,
    /// Words that, near a number, make it a result or a count of customers.
    pub result_words: PhraseSet,
    pub dig: PhraseSet,
    pub neutralize: PhraseSet,
    pub zoom: PhraseSet,
    pub columbo: PhraseSet,
    /// An aside ("au fait…") that is a Columbo question only when the turn takes leave.
    pub columbo_aside: PhraseSet,
    /// The learner takes leave.
    pub leaving: PhraseSet,
    pub closing: PhraseSet,
    /// A step that is proposed: a meeting, a demo, a call, a visit.
    pub next_step: PhraseSet,
    /// When, precisely: days, times of day.
    pub when: PhraseSet,
    /// The months (a date with a day number, else a period).
    pub months: PhraseSet,
    /// An objection brushed aside ("ce n'est pas un problème", "de toute façon").
    pub dismissal: PhraseSet,
    /// A step proposed without a date.
    pub vague_step: PhraseSet,
    /// Questions that only ask for a reaction to what the learner said.
    pub reaction_questions: PhraseSet,
    /// The price brought up ("gratuit" alone is an offer, not a price: "diagnostic gratuit").
    pub price: PhraseSet,
    /// The prospect has put the price on the table.
    pub price_asked: PhraseSet,
    /// The prospect asks for a discount or a gesture.
    pub discount_asked: PhraseSet,
    /// Giving something away: a discount, a free month, a gesture.
    pub concession: PhraseSet,
    /// What makes a concession a trade (donnant-donnant).
    /// Words that make a gesture explicitly unconditional, whatever else the sentence says.
    pub no_counterpart: PhraseSet,
    pub counterpart: PhraseSet,
    pub interruption: PhraseSet,
    pub anglicisms: PhraseSet,
    pub bashing: PhraseSet,
    /// Who a put-down can be aimed at, besides a competitor named in the scenario.
    pub third_parties: PhraseSet,
    /// Judgements that run a rival down once it is named ("c'est lent", "vingt ans de
    /// retard", "bon courage").
    pub put_downs: PhraseSet,
    pub pushy: PhraseSet,
    pub pretext: PhraseSet,
    pub self_talk: PhraseSet,
    pub you: PhraseSet,
    pub fillers: PhraseSet,
    pub insults: PhraseSet,
    /// The methods' own words: a turn made of these and little else is word salad.
    pub method_terms: PhraseSet,
    /// A technique named instead of used ("je zoome sur vos enjeux").
    pub method_talk: PhraseSet,
    /// Words that glue a salad together without saying anything ("racontez-moi", "quoi").
    pub salad_fillers: PhraseSet,
    /// Things a sales conversation is about in any scenario: a line that talks of these is not
    /// off topic even when the scenario's own words are absent.
    pub business_words: PhraseSet,
    /// Acronyms a French sales conversation uses without it being jargon.
    pub known_acronyms: PhraseSet,
    /// Small talk that has nothing to do with a sale: sport, weather, holidays, leisure.
    pub small_talk: PhraseSet,
}

/// The lexicon, parsed once from the embedded `lexicon.txt`.
pub static LEX: LazyLock<Lexicon> = LazyLock::new(|| parse(include_str!("lexicon.txt")));

/// Parses the lexicon's text: `[section]` headers, one phrase a line, `#` comments.
/// Unknown sections are ignored (the tests check that none is).
fn parse(text: &'static str) -> Lexicon {
    let mut sections: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push((name, Vec::new()));
        } else if let Some((_, list)) = sections.last_mut() {
            list.push(line);
        }
    }
    let mut lex = Lexicon::default();
    for (name, list) in sections {
        if let Some(slot) = lex.section(name) {
            *slot = PhraseSet::new(list);
        }
    }
    lex
}

impl Lexicon {
    fn section(&mut self, name: &str) -> Option<&mut PhraseSet> {
        Some(match name {
            "stopwords" => &mut self.stopwords,
            "open_words" => &mut self.open_words,
            "tell_me" => &mut self.tell_me,
            "indirect_questions" => &mut self.indirect_questions,
            "listening_prompts" => &mut self.listening_prompts,
            "acknowledgements" => &mut self.acknowledgements,
            "reformulation" => &mut self.reformulation,
            "empathy" => &mut self.empathy,
            "benefit" => &mut self.benefit,
            "proof_words" => &mut self.proof_words,
            "result_words" => &mut self.result_words,
            "dig" => &mut self.dig,
            "neutralize" => &mut self.neutralize,
            "zoom" => &mut self.zoom,
            "columbo" => &mut self.columbo,
            "columbo_aside" => &mut self.columbo_aside,
            "leaving" => &mut self.leaving,
            "closing" => &mut self.closing,
            "next_step" => &mut self.next_step,
            "when" => &mut self.when,
            "months" => &mut self.months,
            "dismissal" => &mut self.dismissal,
            "vague_step" => &mut self.vague_step,
            "reaction_questions" => &mut self.reaction_questions,
            "price" => &mut self.price,
            "price_asked" => &mut self.price_asked,
            "discount_asked" => &mut self.discount_asked,
            "concession" => &mut self.concession,
            "no_counterpart" => &mut self.no_counterpart,
            "counterpart" => &mut self.counterpart,
            "interruption" => &mut self.interruption,
            "anglicisms" => &mut self.anglicisms,
            "bashing" => &mut self.bashing,
            "third_parties" => &mut self.third_parties,
            "put_downs" => &mut self.put_downs,
            "pushy" => &mut self.pushy,
            "pretext" => &mut self.pretext,
            "self_talk" => &mut self.self_talk,
            "you" => &mut self.you,
            "fillers" => &mut self.fillers,
            "insults" => &mut self.insults,
            "method_terms" => &mut self.method_terms,
            "method_talk" => &mut self.method_talk,
            "salad_fillers" => &mut self.salad_fillers,
            "business_words" => &mut self.business_words,
            "known_acronyms" => &mut self.known_acronyms,
            "small_talk" => &mut self.small_talk,
            _ => return None,
        })
    }

    /// Every section with its name (for the tests and the memory figure).
    pub fn sections(&self) -> Vec<(&'static str, &[&'static str])> {
        vec![
            ("stopwords", &self.stopwords),
            ("open_words", &self.open_words),
            ("tell_me", &self.tell_me),
            ("indirect_questions", &self.indirect_questions),
            ("listening_prompts", &self.listening_prompts),
            ("acknowledgements", &self.acknowledgements),
            ("reformulation", &self.reformulation),
            ("empathy", &self.empathy),
            ("benefit", &self.benefit),
            ("proof_words", &self.proof_words),
            ("result_words", &self.result_words),
            ("dig", &self.dig),
            ("neutralize", &self.neutralize),
            ("zoom", &self.zoom),
            ("columbo", &self.columbo),
            ("columbo_aside", &self.columbo_aside),
            ("leaving", &self.leaving),
            ("closing", &self.closing),
            ("next_step", &self.next_step),
            ("when", &self.when),
            ("months", &self.months),
            ("dismissal", &self.dismissal),
            ("vague_step", &self.vague_step),
            ("reaction_questions", &self.reaction_questions),
            ("price", &self.price),
            ("price_asked", &self.price_asked),
            ("discount_asked", &self.discount_asked),
            ("concession", &self.concession),
            ("no_counterpart", &self.no_counterpart),
            ("counterpart", &self.counterpart),
            ("interruption", &self.interruption),
            ("anglicisms", &self.anglicisms),
            ("bashing", &self.bashing),
            ("third_parties", &self.third_parties),
            ("put_downs", &self.put_downs),
            ("pushy", &self.pushy),
            ("pretext", &self.pretext),
            ("self_talk", &self.self_talk),
            ("you", &self.you),
            ("fillers", &self.fillers),
            ("insults", &self.insults),
            ("method_terms", &self.method_terms),
            ("method_talk", &self.method_talk),
            ("salad_fillers", &self.salad_fillers),
            ("business_words", &self.business_words),
            ("known_acronyms", &self.known_acronyms),
            ("small_talk", &self.small_talk),
        ]
    }

    /// About the bytes the loaded lexicon holds on the heap (its phrases point into the
    /// binary): the lists, and the index by first word.
    pub fn heap_bytes(&self) -> usize {
        self.sections()
            .iter()
            .map(|(_, list)| {
                let words: usize = list.iter().map(|p| p.split(' ').count()).sum();
                std::mem::size_of_val(*list) * 2 + words * std::mem::size_of::<&str>() + list.len() * 48
            })
            .sum()
    }
}

/// Whether any of `phrases` occurs in the text (on word boundaries).
pub fn phrase_in(text: &Normalized<'_>, phrases: &PhraseSet) -> bool {
    text.find_any(phrases).is_some()
}

/// Small talk that has nothing to do with a sale: sport, weather, holidays, leisure.
pub const SMALL_TALK: &[&str] = &[
    "match",
    "foot",
    "football",
    "rugby",
    "tennis",
    "ski",
    "skiez",
    "skie",
    "stade",
    "equipe de france",
    "psg",
    "om",
    "ligue",
    "mi temps",
    "but",
    "buts",
    "meteo",
    "il pleut",
    "pluie",
    "soleil",
    "neige",
    "temps de chien",
    "canicule",
    "vacances",
    "plage",
    "festival",
    "braderie",
    "moules frites",
    "concert",
    "film",
    "serie",
    "netflix",
    "recette",
    "cuisine",
    "restaurant",
    "creme",
    "peaux",
    "ma femme",
    "mon mari",
    "mes enfants",
    "ma belle famille",
    "mon beau pere",
    "ma grand mere",
    "mon neveu",
    "porcelaine",
    "assiettes",
    "bottes",
    "autoroute",
    "bouchons",
    "travaux",
    "aire",
    "ambiance",
    "saison incroyable",
    "remontee",
    "champion",
    "championnat",
    "velo",
    "jardin",
    "chat",
    "chien",
    "anniversaire",
    "mariage",
    "apero",
    "vin",
    "millesimes",
    "bagad",
    "bagadou",
    "pelote",
    "basque",
    "tour de france",
    "canape",
    "appart",
    "ma soeur",
    "mon frere",
    "l ete dernier",
    "cesta punta",
    "pogacar",
    "marvel",
    "roland garros",
    "formule 1",
    "jeux olympiques",
    "pétanque",
    "petanque",
    "golf",
    "poudreuse",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_is_known_filled_and_normalised_without_duplicates() {
        let text = include_str!("lexicon.txt");
        for line in text.lines().map(str::trim).filter(|l| l.starts_with('[')) {
            let name = line.trim_matches(['[', ']']);
            assert!(LEX.sections().iter().any(|(n, _)| *n == name), "unknown section [{name}]");
        }
        for (name, list) in LEX.sections() {
            assert!(!list.is_empty(), "[{name}] is empty");
            let mut seen = std::collections::BTreeSet::new();
            for phrase in list {
                assert_eq!(crate::text::normalize(phrase), *phrase, "[{name}] {phrase:?} is not normalised");
                assert!(seen.insert(*phrase), "[{name}] {phrase:?} twice");
            }
        }
    }
}
