//! What a turn is about: the discovery items of METHODS.md, and the scenario's facts and
//! objections through their cues, matched on stems (Snowball French) so that "économies",
//! "économiser" and "economise" meet.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};

use super::lexicon::{self, LEX, french_stemmer, is_content_word, stem};
use crate::text::{Normalized, normalize};

/// A cue phrase as a sequence of stems.
pub type CueStems = Vec<String>;

/// The discovery items (METHODS.md: COMPIR, then BEBEDC's others) and the words of a
/// question about each, kept as data in `discovery.txt` (one `[item]` section each).
static DISCOVERY_TOPICS: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    let mut items: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for line in include_str!("discovery.txt").lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            items.push((name, Vec::new()));
        } else if let Some((_, cues)) = items.last_mut() {
            cues.push(line);
        }
    }
    items
});
fn phrase_stems(stemmer: &Stemmer, phrase: &str) -> CueStems {
    normalize(phrase).split(' ').filter(|w| !w.is_empty()).map(|w| stem(stemmer, w)).collect()
}

/// The discovery items with their cues as stems, computed once.
static ITEMS: LazyLock<Vec<(&'static str, Vec<CueStems>)>> = LazyLock::new(|| {
    let stemmer = french_stemmer();
    DISCOVERY_TOPICS
        .iter()
        .map(|(item, cues)| {
            // "outil" and "outils" are one cue once stemmed: counted once.
            let mut stems: Vec<CueStems> = cues.iter().map(|c| phrase_stems(&stemmer, c)).collect();
            stems.sort();
            stems.dedup();
            (*item, stems)
        })
        .collect()
});

static BUSINESS: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
    let stemmer = french_stemmer();
    LEX.business_words.iter().map(|w| stem(&stemmer, w)).collect()
});

/// What follows "quand" as a conjunction ("quand un client appelle", "quand vous dites"),
/// not as a question ("quand comptez-vous", "quand est-ce").
const SUBJECTS: &[&str] = &[
    "un", "une", "le", "la", "les", "l", "vous", "il", "elle", "on", "ils", "elles", "je", "j", "nous", "ca", "c",
    "des", "du", "votre", "vos", "mon", "ma", "mes", "son", "sa", "ses", "leur", "leurs", "tout", "personne", "quelqu",
    "cela", "ce", "cette", "ces",
];

/// A normalised text's words and their stems, side by side.
#[derive(Debug, Clone, Default)]
pub struct Stemmed {
    pub words: Vec<String>,
    pub stems: Vec<String>,
}

impl Stemmed {
    pub fn of(stemmer: &Stemmer, text: &Normalized<'_>) -> Self {
        let words: Vec<String> = text.words().map(str::to_owned).collect();
        let stems = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                // "Il faudra quand même la validation d'Hélène" asks no date either.
                if w == "quand"
                    && words.get(i + 1).is_some_and(|next| SUBJECTS.contains(&next.as_str()) || next == "meme")
                {
                    // "Qu'est-ce qui se passe quand un commercial part ?" asks no date: the
                    // conjunction matches no cue.
                    return "quand-".to_owned();
                }
                stem(stemmer, w)
            })
            .collect();
        Stemmed { words, stems }
    }

    /// The words and stems of a whole line, remembered per thread (a turn reads every
    /// earlier learner line again).
    pub fn of_line(line: &str) -> std::rc::Rc<Stemmed> {
        thread_local! {
            static LINES: crate::text::LineMemo<Stemmed> = Default::default();
        }
        crate::text::memoized(&LINES, line, || std::rc::Rc::new(Stemmed::of(&french_stemmer(), &Normalized::new(line))))
    }

    /// Whether the cue's stems occur in a row.
    pub fn has(&self, cue: &[String]) -> bool {
        !cue.is_empty() && self.stems.windows(cue.len()).any(|w| w == cue)
    }

    /// The content stems (stopwords left out).
    pub fn content(&self) -> BTreeSet<&str> {
        self.words.iter().zip(&self.stems).filter(|(w, _)| is_content_word(w)).map(|(_, s)| s.as_str()).collect()
    }
}

/// The discovery item a question asks about, if any: the item with the most cue matches
/// (earlier items win ties, as COMPIR's order goes).
pub fn discovery_item(question: &Stemmed) -> Option<&'static str> {
    let mut best: Option<(&'static str, usize)> = None;
    for (item, cues) in ITEMS.iter() {
        let hits: usize = cues.iter().filter(|c| question.has(c)).map(Vec::len).sum();
        if hits > 0 && best.is_none_or(|(_, b)| hits > b) {
            best = Some((item, hits));
        }
    }
    best.map(|(item, _)| item)
}

/// The items close enough to `item` to answer a question on it when a scenario has
/// nothing on it, closest first: what the prospect wants to reach, needs and aims at; what
/// goes wrong, what it costs and what is at stake.
pub fn neighbour_items(item: &str) -> &'static [&'static str] {
    match item {
        "resultats" => &["besoin", "objectifs"],
        "besoin" => &["resultats", "objectifs", "problemes"],
        "objectifs" => &["resultats", "besoin", "enjeux"],
        "implications" => &["enjeux", "problemes"],
        "enjeux" => &["implications", "besoin"],
        "problemes" => &["implications", "besoin"],
        _ => &[],
    }
}

/// Every discovery item the questions of a text ask about ("Qui décide, et avec quel
/// budget ?" asks about both).
pub fn discovery_items_asked(text: &str) -> Vec<&'static str> {
    let stemmer = french_stemmer();
    let mut items = Vec::new();
    for span in crate::text::sentences(text) {
        let sentence = &text[span.start..span.end];
        if !sentence.contains('?') {
            continue;
        }
        let stemmed = Stemmed::of(&stemmer, &Normalized::new(sentence));
        let named: Vec<&'static str> =
            ITEMS.iter().filter(|(_, cues)| cues.iter().any(|c| stemmed.has(c))).map(|(item, _)| *item).collect();
        // "On valide le budget, le calendrier et le circuit de décision ?" lists items; it
        // asks about none of them.
        if named.len() >= 3 {
            continue;
        }
        for item in named {
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    items
}

/// Whether a stem is everyday business vocabulary (a line made of it is on topic anywhere).
pub fn is_business_stem(stem: &str) -> bool {
    BUSINESS.contains(stem)
}

/// What a turn can be about in one scenario: each fact's and objection's cues, and the
/// scenario's own vocabulary (product, people, company, competitors, situation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScenarioTopics {
    pub facts: Vec<Vec<CueStems>>,
    /// Each fact's discovery item (`Fact::topic`).
    pub fact_items: Vec<String>,
    /// The content stems of each fact's line (what the prospect would say).
    pub fact_lines: Vec<BTreeSet<String>>,
    /// Whether each fact's line gives a figure.
    pub fact_figures: Vec<bool>,
    /// What each fact's line gives: someone, a moment, an amount.
    pub fact_gives: Vec<super::asks::Gives>,
    /// Whether each fact is a detail (`Fact::detail`): it answers the words of a question,
    /// never the item alone.
    pub fact_details: Vec<bool>,
    /// The key stems of each fact's example questions (`Fact::questions`, see
    /// `question_keys`), and the rarity weight of each such stem among the facts, in tenths.
    pub fact_questions: Vec<Vec<BTreeSet<String>>>,
    pub question_weights: std::collections::BTreeMap<String, u32>,
    pub objections: Vec<Vec<CueStems>>,
    pub vocabulary: BTreeSet<String>,
    /// The capitalised words of the scenario (people, companies, places), normalised: a
    /// name the scenario knows is never a slip on the prospect's name.
    pub names: BTreeSet<String>,
}

/// What a scenario gives the reading: its facts (item, cues, line), its objections (cues,
/// discovery cues, surface line) and the rest of its text (people, product, situation).
#[derive(Debug, Default)]
pub struct TopicSource<'a> {
    pub facts: Vec<(&'a str, &'a [String], &'a str)>,
    pub objections: Vec<(&'a [String], &'a [String], &'a str)>,
    pub texts: Vec<&'a str>,
    /// The facts that are details (by index; missing means not a detail).
    pub details: Vec<bool>,
    /// Each fact's example questions (by index; missing means none).
    pub questions: Vec<&'a [String]>,
}

impl ScenarioTopics {
    pub fn build(source: &TopicSource<'_>) -> Self {
        let stemmer = french_stemmer();
        let cues = |list: &[String]| list.iter().map(|c| phrase_stems(&stemmer, c)).filter(|c| !c.is_empty()).collect();
        let facts = source.facts.iter().map(|(_, c, _)| cues(c)).collect();
        let fact_items = source.facts.iter().map(|(item, _, _)| (*item).to_owned()).collect();
        let fact_lines = source.facts.iter().map(|(_, _, line)| stems_of([*line])).collect();
        let fact_figures = source.facts.iter().map(|(_, _, line)| super::relevance::has_figure(line)).collect();
        let fact_gives = source.facts.iter().map(|(_, _, line)| super::asks::gives(line)).collect();
        let fact_details = (0..source.facts.len()).map(|i| source.details.get(i).copied().unwrap_or(false)).collect();
        let fact_questions: Vec<Vec<BTreeSet<String>>> = (0..source.facts.len())
            .map(|i| {
                let asked = source.questions.get(i).copied().unwrap_or_default();
                asked.iter().map(|q| question_keys(&Stemmed::of(&stemmer, &Normalized::new(q)))).collect()
            })
            .collect();
        let question_weights = question_weights(&fact_questions);
        let objections = source
            .objections
            .iter()
            .map(|(c, d, _)| {
                let mut all: Vec<CueStems> = cues(c);
                all.extend(cues(d));
                all
            })
            .collect();
        let mut vocabulary = BTreeSet::new();
        let mut names = BTreeSet::new();
        let mut add = |text: &str| {
            for w in Normalized::new(text).words() {
                if is_content_word(w) {
                    vocabulary.insert(stem(&stemmer, w));
                }
            }
            for w in text.split(|c: char| !c.is_alphanumeric()) {
                if w.chars().next().is_some_and(char::is_uppercase) {
                    names.insert(normalize(w));
                }
            }
        };
        for (_, cue_list, line) in &source.facts {
            add(line);
            cue_list.iter().for_each(|c| add(c));
        }
        for (cue_list, discovery, surface) in &source.objections {
            add(surface);
            cue_list.iter().chain(discovery.iter()).for_each(|c| add(c));
        }
        source.texts.iter().for_each(|t| add(t));
        ScenarioTopics {
            facts,
            fact_items,
            fact_lines,
            fact_figures,
            fact_gives,
            fact_details,
            fact_questions,
            question_weights,
            objections,
            vocabulary,
            names,
        }
    }
}

/// The words that ask without saying about what ("racontez-moi", "expliquez-moi", "ça
/// se passe comment ?"): no likeness between two questions rests on them.
const ASKING_WORDS: &[&str] = &[
    "racontez",
    "raconter",
    "raconte",
    "expliquez",
    "expliquer",
    "explique",
    "parlez",
    "parler",
    "dites",
    "dire",
    "passe",
    "passer",
    "passez",
    "pensez",
    "penser",
    "comment",
    "aujourd",
    "hui",
    "actuellement",
    "concretement",
    "exactement",
    "vraiment",
    "justement",
    "niveau",
    "cote",
    "chez",
];

/// What a question is about, to compare it with a fact's example questions: its content
/// stems, and whether it asks how many or why (which its content words do not say).
pub fn question_keys(question: &Stemmed) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = question
        .words
        .iter()
        .zip(&question.stems)
        .filter(|(w, _)| is_content_word(w) && !ASKING_WORDS.contains(&w.as_str()))
        .map(|(_, s)| s.clone())
        .collect();
    for marker in ["combien", "pourquoi"] {
        if question.words.iter().any(|w| w == marker) {
            keys.insert(format!("?{marker}"));
        }
    }
    keys
}

/// How rare each key stem of the example questions is among the facts, in tenths:
/// ln((n + 1) / df), where df counts the facts with a question using it. A word every
/// seller's question holds ("aujourd'hui") tells the facts apart less than "relance".
fn question_weights(questions: &[Vec<BTreeSet<String>>]) -> std::collections::BTreeMap<String, u32> {
    let mut df: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for fact in questions {
        let keys: BTreeSet<&str> = fact.iter().flatten().map(String::as_str).collect();
        for k in keys {
            *df.entry(k).or_default() += 1;
        }
    }
    let n = questions.len() as f64;
    df.into_iter()
        .map(|(k, d)| {
            let idf = ((n + 1.0) / d as f64).ln();
            // Clamped first, so the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let tenths = (idf * 10.0).round().clamp(2.0, 40.0) as u32;
            (k.to_owned(), tenths)
        })
        .collect()
}

/// One thing of the scenario a turn is about, with how strongly (matched cue words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub kind: TargetKind,
    /// The fact's or objection's index in the scenario.
    pub index: usize,
    pub score: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Fact,
    Objection,
}

/// The facts and objections whose cues the turn matches, best first.
pub fn targets(topics: &ScenarioTopics, turn: &Stemmed) -> Vec<Target> {
    // Most cues are ruled out by their first stem: looked up once, before any comparison
    // of runs (a scenario holds some three hundred cues).
    let present: std::collections::HashSet<&str> = turn.stems.iter().map(String::as_str).collect();
    let has = |cue: &CueStems| cue.first().is_some_and(|first| present.contains(first.as_str())) && turn.has(cue);
    let score = |cues: &[CueStems]| cues.iter().filter(|c| has(c)).map(Vec::len).sum::<usize>();
    let mut out: Vec<Target> = topics
        .facts
        .iter()
        .enumerate()
        .map(|(index, cues)| Target { kind: TargetKind::Fact, index, score: score(cues) })
        .chain(topics.objections.iter().enumerate().map(|(index, cues)| Target {
            kind: TargetKind::Objection,
            index,
            score: score(cues),
        }))
        .filter(|t| t.score > 0)
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    out
}

/// How many of the turn's content stems the scenario or the conversation knows.
pub fn known_stems(topics: Option<&ScenarioTopics>, conversation: &BTreeSet<String>, turn: &Stemmed) -> usize {
    turn.content()
        .iter()
        .filter(|s| {
            is_business_stem(s) || conversation.contains(**s) || topics.is_some_and(|t| t.vocabulary.contains(**s))
        })
        .count()
}

/// Shared content stems between a sentence and a set (words of five letters or more, so
/// "vous" and "faire" never make an echo).
pub(super) fn overlap(sentence: &Stemmed, set: &BTreeSet<String>) -> usize {
    sentence
        .words
        .iter()
        .zip(&sentence.stems)
        .filter(|(w, s)| w.chars().count() >= 5 && is_content_word(w) && set.contains(*s))
        .map(|(_, s)| s)
        .collect::<BTreeSet<_>>()
        .len()
}

/// The content stems of several lines together.
///
/// The stems of each line are remembered (per thread, bounded): every turn reads the
/// prospect's earlier lines again, and those come from a small set of scenario lines.
pub fn stems_of(lines: impl IntoIterator<Item = impl AsRef<str>>) -> BTreeSet<String> {
    thread_local! {
        static LINE_STEMS: crate::text::LineMemo<[String]> = Default::default();
    }
    let mut out = BTreeSet::new();
    for line in lines {
        let line = line.as_ref();
        let stems = crate::text::memoized(&LINE_STEMS, line, || {
            let stemmer = lexicon::french_stemmer();
            Normalized::new(line).words().filter(|w| is_content_word(w)).map(|w| stem(&stemmer, w)).collect()
        });
        out.extend(stems.iter().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stemmed(text: &str) -> Stemmed {
        Stemmed::of(&french_stemmer(), &Normalized::new(text))
    }

    #[test]
    fn the_discovery_cues_are_the_methods_items_normalised_without_duplicates() {
        let names: Vec<&str> = DISCOVERY_TOPICS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, crate::catalog::DISCOVERY_ITEMS[..names.len()].to_vec());
        for (item, cues) in DISCOVERY_TOPICS.iter() {
            let mut seen = BTreeSet::new();
            for cue in cues {
                assert_eq!(normalize(cue), *cue, "[{item}] {cue:?} is not normalised");
                assert!(seen.insert(*cue), "[{item}] {cue:?} twice");
            }
        }
    }

    #[test]
    fn discovery_items_match_on_stems() {
        assert_eq!(discovery_item(&stemmed("Qui décide, chez vous ?")), Some("decideur"));
        assert_eq!(discovery_item(&stemmed("Quel budget avez-vous prévu ?")), Some("budget"));
        assert_eq!(discovery_item(&stemmed("Vous utilisez quels outils ?")), Some("moyens"));
        assert_eq!(discovery_item(&stemmed("Et en euros, ça a donné quoi ?")), Some("implications"));
        assert_eq!(discovery_item(&stemmed("Bonjour !")), None);
    }

    #[test]
    fn cues_match_whatever_the_inflection() {
        let stemmer = french_stemmer();
        let cue = phrase_stems(&stemmer, "économies");
        assert!(stemmed("Vous cherchez à économiser combien ?").has(&cue) || stemmed("vos économies").has(&cue));
        assert!(stemmed("Quelles economies visez-vous ?").has(&cue));
    }
}
