//! Which of the scenario's facts answers a turn (issue 13: the prospect answers what was
//! asked). A fact is scored on four kinds of evidence: the cues written for it, the words
//! the turn shares with what the fact says (rare words weigh more: "Divalto" says more
//! than "commercial"), the discovery item the question asks about, and whether a question
//! that asks for a figure meets a fact that gives one.

use std::collections::BTreeSet;

use super::topics::{ScenarioTopics, Stemmed};
use crate::text::Normalized;

/// Points per cue word matched.
const CUE: u32 = 10;
/// Points when the fact is on an item the question asks about.
pub const ITEM: u32 = 30;
/// Points when a question asking for a figure meets a fact with one.
const FIGURE: u32 = 6;
/// Points when a question that wants someone, a moment or an amount meets a fact that
/// gives one; a fact that gives none loses as much.
const WANTED: u32 = 15;

/// Points when the turn's question is one of a fact's example questions, word for word;
/// a partial likeness earns its share.
const ASKED_LIKE: u32 = 60;
/// From what likeness (in percent) a fact's example question counts.
pub const ASKED_FROM: u32 = 30;
/// From what likeness the turn asks what the fact answers as surely as a cue matched.
const ASKED_CUE: u32 = 60;
/// The weight (tenths) of a question word that none of the scenario's example questions
/// uses, in the turn's side of the likeness.
const UNKNOWN_QUESTION_WORD: u32 = 10;

/// What a turn asks, for ranking the facts.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub turn: &'a Stemmed,
    /// The discovery items the question sentences ask about, by their words.
    pub items: &'a [&'a str],
    /// Items close to those asked about, when the scenario says nothing on these
    /// (`topics::neighbour_items`): they weigh half as much.
    pub near_items: &'a [&'a str],
    pub asks_figure: bool,
    /// Stems that say nothing of the topic here (the prospect's and the company's names).
    pub ignore: &'a BTreeSet<String>,
    /// What a "combien de …" question counts: a fact that never mentions it cannot
    /// answer it.
    pub counted: Option<&'a str>,
    /// The kind of answer the question wants (someone, a moment, an amount).
    pub wants: Option<super::asks::Wants>,
}

/// How one fact answers a turn, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactScore {
    pub index: usize,
    pub score: u32,
    /// Cue words matched.
    pub cues: u32,
    /// Content words shared with the fact's line, and their weight.
    pub shared: u32,
    pub shared_weight: u32,
    pub on_item: bool,
    /// How close (in percent) the turn comes to the closest of the fact's example
    /// questions.
    pub asked: u32,
}

/// A small count as a score.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A word's rarity weight in tenths, between 2 and 40.
fn tenths(idf: f64) -> u32 {
    // Clamped to 2..=40 first, so the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let t = (idf * 10.0).round().clamp(2.0, 40.0) as u32;
    t
}

/// Whether two stems name the same thing: equal, or one a long prefix of the other
/// ("geoloc" and "geolocalis").
fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 5 && (a.starts_with(b) || b.starts_with(a)))
}

fn line_has(line: &BTreeSet<String>, stem: &str) -> bool {
    line.contains(stem) || (stem.len() >= 5 && line.iter().any(|l| same_word(l, stem)))
}

/// Nouns that name no topic of their own ("ce type de projet", "sur ce point").
const GENERIC: &[&str] = &[
    "type", "genre", "chose", "choses", "truc", "trucs", "fois", "cas", "facon", "maniere", "sorte", "point", "sujet",
    "question", "projet", "idee", "moment", "niveau", "exemple", "partie", "demarche", "dossier", "histoire",
];

static GENERIC_STEMS: std::sync::LazyLock<BTreeSet<String>> = std::sync::LazyLock::new(|| {
    let stemmer = super::lexicon::french_stemmer();
    GENERIC.iter().map(|w| super::lexicon::stem(&stemmer, w)).collect()
});

/// Ways of asking the same thing, each group's first phrase standing for the others in
/// the cues ("depuis longtemps ?" asks "depuis quand ?").
const SAME_QUESTION: &[&[&str]] = &[
    &[
        "depuis quand",
        "depuis longtemps",
        "depuis combien de temps",
        "ca fait combien de temps",
        "il y a combien de temps",
        "depuis combien d annees",
    ],
    &[
        "ce qui s est passe",
        "ca s est passe",
        "que s est il passe",
        "c est arrive comment",
        "comment c est arrive",
        "comment ca s est produit",
        "comment ca a commence",
    ],
];

static SAME_QUESTION_STEMS: std::sync::LazyLock<Vec<Vec<Vec<String>>>> = std::sync::LazyLock::new(|| {
    let stemmer = super::lexicon::french_stemmer();
    SAME_QUESTION
        .iter()
        .map(|group| group.iter().map(|p| p.split(' ').map(|w| super::lexicon::stem(&stemmer, w)).collect()).collect())
        .collect()
});

/// The turn with the first phrase of each group of `SAME_QUESTION` it asks in other words
/// added at its end, so that the cues written one way match the others.
pub fn with_same_questions(turn: &Stemmed) -> Stemmed {
    let mut out = turn.clone();
    for group in SAME_QUESTION_STEMS.iter() {
        if let Some(first) = group.first()
            && !turn.has(first)
            && group.iter().skip(1).any(|p| turn.has(p))
        {
            // A word that matches nothing keeps the phrase apart from the turn's last words.
            out.words.push("|".into());
            out.stems.push("|".into());
            out.words.extend(first.iter().cloned());
            out.stems.extend(first.iter().cloned());
        }
    }
    out
}

/// How well each fact answers the turn, best first, scores above zero only.
pub fn rank_facts(topics: &ScenarioTopics, query: &Query<'_>) -> Vec<FactScore> {
    let content: BTreeSet<&str> = query
        .turn
        .content()
        .into_iter()
        .filter(|s| !query.ignore.contains(*s) && !GENERIC_STEMS.contains(*s))
        .collect();
    let keys: BTreeSet<String> =
        super::topics::question_keys(query.turn).into_iter().filter(|k| !query.ignore.contains(k)).collect();
    let n = topics.fact_lines.len();
    // Rare words weigh more: ln((n + 1) / df), in tenths.
    let weights: Vec<(&str, u32)> = content
        .iter()
        .filter_map(|stem| {
            let df = topics.fact_lines.iter().filter(|l| line_has(l, stem)).count();
            (df > 0).then(|| {
                let idf = ((n as f64 + 1.0) / df as f64).ln();
                (*stem, tenths(idf))
            })
        })
        .collect();
    let mut ranked: Vec<FactScore> = (0..n)
        .map(|index| {
            let cues = topics
                .facts
                .get(index)
                .map(|cues| {
                    // A phrase matched whole ("commercial parti") says more than its words.
                    cues.iter().filter(|c| query.turn.has(c)).map(|c| count(c.len())).sum::<u32>()
                })
                .unwrap_or(0);
            let line = &topics.fact_lines[index];
            let hits: Vec<u32> = weights.iter().filter(|(s, _)| line_has(line, s)).map(|(_, w)| *w).collect();
            // What a "combien de camions ?" counts must be in the fact: its line, its cues or
            // its example questions ("48 ensembles routiers" is asked as "combien de camions").
            let names_counted = |c: &str| {
                line_has(line, c)
                    || topics.facts.get(index).is_some_and(|cues| cues.iter().flatten().any(|s| same_word(s, c)))
                    || topics.fact_questions.get(index).is_some_and(|qs| qs.iter().flatten().any(|s| same_word(s, c)))
            };
            if query.counted.is_some_and(|c| !names_counted(c)) {
                return FactScore { index, score: 0, cues: 0, shared: 0, shared_weight: 0, on_item: false, asked: 0 };
            }
            // A detail answers the words of a question, not its item alone.
            let detail = topics.fact_details.get(index).copied().unwrap_or(false);
            let on_item = !detail && topics.fact_items.get(index).is_some_and(|f| query.items.contains(&f.as_str()));
            let near_item =
                !detail && topics.fact_items.get(index).is_some_and(|f| query.near_items.contains(&f.as_str()));
            let figure = query.asks_figure && topics.fact_figures.get(index).copied().unwrap_or(false);
            let shared_weight: u32 = hits.iter().sum();
            let asked = asked_like(topics, index, &keys);
            let mut score = cues * CUE + shared_weight;
            if asked >= ASKED_FROM {
                score += ASKED_LIKE * asked / 100;
            }
            if on_item {
                score += ITEM;
            } else if near_item {
                score += ITEM / 2;
            }
            if score > 0 && figure {
                score += FIGURE;
            }
            if score > 0
                && let Some(wants) = query.wants
            {
                if topics.fact_gives.get(index).is_some_and(|g| g.has(wants)) {
                    score += WANTED;
                } else {
                    score = score.saturating_sub(WANTED);
                }
            }
            // Off the item the question names, a like question is no proof ("vous avez déjà
            // regardé d'autres CRM ?" is on the competition, not on the tools in use).
            let cues = cues + u32::from(asked >= ASKED_CUE && (on_item || query.items.is_empty()));
            FactScore { index, score, cues, shared: count(hits.len()), shared_weight, on_item, asked }
        })
        .filter(|f| f.score > 0)
        .collect();
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    ranked
}

/// How close a turn's question comes to the closest of a fact's example questions, in
/// percent: the weighted Dice coefficient of their key stems (`topics::question_keys`),
/// the turn's words that no example question uses weighing little (`UNKNOWN_QUESTION_WORD`).
fn asked_like(topics: &ScenarioTopics, index: usize, keys: &BTreeSet<String>) -> u32 {
    let weight = |k: &String| topics.question_weights.get(k).copied().unwrap_or(0);
    // The turn's words that no example question uses still say what it is about: a question
    // on something else that shares one word with an example ("comment ils s'y sont pris ?"
    // and "quand avez-vous pris la direction ?") is not like it.
    let turn_weight: u32 =
        keys.iter().map(|k| topics.question_weights.get(k).copied().unwrap_or(UNKNOWN_QUESTION_WORD)).sum();
    let Some(questions) = topics.fact_questions.get(index) else { return 0 };
    questions
        .iter()
        .map(|q| {
            let shared: u32 = q.intersection(keys).map(weight).sum();
            let total = turn_weight + q.iter().map(weight).sum::<u32>();
            (200 * shared).checked_div(total).unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// Whether a question asks for a figure: an amount, a count, a share, a duration.
pub fn asks_for_figure(text: &Normalized<'_>) -> bool {
    text.find_any(&[
        "combien",
        "depuis quand",
        "depuis longtemps",
        "quel montant",
        "quelle somme",
        "en euros",
        "chiffre",
        "chiffrer",
        "chiffrez",
        "chiffres",
        "pourcentage",
        "quelle part",
        "quelle proportion",
        "quel volume",
        "quel nombre",
        "le nombre",
        "quel cout",
        "ca coute",
        "ca represente",
        "ordre de grandeur",
        "a peu pres",
        "en gros",
        "quel delai",
        "quel age",
        "quelle anciennete",
        "quelle taille",
        "quelle surface",
        "quelle duree",
        "quelle frequence",
        "tous les combien",
        "quel budget",
        "quel impact",
        "impact",
        "perdu",
    ])
    .is_some()
}

/// The stem of what a "combien de …" question counts ("combien de magasins" → "magasin"),
/// unless it is people in general, which a fact can count without naming them.
pub fn counted_stem(text: &Normalized<'_>) -> Option<String> {
    let words: Vec<&str> = text.words().collect();
    let at = words.windows(2).position(|w| w[0] == "combien" && matches!(w[1], "de" | "d"))?;
    let noun = words.get(at + 2)?;
    let people = ["personnes", "personne", "gens", "salaries", "collaborateurs", "employes", "temps", "fois"];
    (super::lexicon::is_content_word(noun) && !people.contains(noun))
        .then(|| super::lexicon::stem(&super::lexicon::french_stemmer(), noun))
}

/// Whether a line gives a figure (digits or a number said in words).
pub fn has_figure(line: &str) -> bool {
    line.chars().any(|c| c.is_ascii_digit())
        || Normalized::new(line)
            .find_any(&[
                "deux",
                "trois",
                "quatre",
                "cinq",
                "six",
                "sept",
                "huit",
                "neuf",
                "dix",
                "onze",
                "douze",
                "quinze",
                "vingt",
                "trente",
                "quarante",
                "cinquante",
                "soixante",
                "cent",
                "cents",
                "mille",
                "million",
                "millions",
                "moitie",
                "tiers",
                "quart",
            ])
            .is_some()
}

/// The sentence of a fact's line that best answers the turn (for a reminder of what was
/// already said): the one sharing the most content stems with it (a figure counts when
/// one is asked for), the first on a tie.
pub fn best_sentence<'a>(line: &'a str, turn: &Stemmed, figure: bool) -> &'a str {
    let content = turn.content();
    // "Depuis quand… ?" is answered by the sentence that gives a time.
    let asks_since = turn.words.iter().any(|w| w == "depuis");
    let gives_time = |s: &str| {
        Normalized::new(s).find_any(&["il y a", "depuis", "ans", "mois", "annees", "arrive", "arrivee"]).is_some()
    };
    crate::text::sentences(line)
        .into_iter()
        .map(|s| &line[s.start..s.end])
        .filter(|s| s.split_whitespace().count() >= 3)
        .enumerate()
        .max_by_key(|(i, s)| {
            let stems = super::topics::stems_of([*s]);
            let shared = content.iter().filter(|c| stems.contains(**c)).count();
            (shared + usize::from(figure && has_figure(s)) + usize::from(asks_since && gives_time(s)), usize::MAX - i)
        })
        .map(|(_, s)| s.trim())
        .unwrap_or(line.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lexicon::french_stemmer;
    use crate::analysis::topics::TopicSource;

    fn topics() -> ScenarioTopics {
        let cues_a = vec!["effectif".to_owned()];
        let cues_b = vec!["outils".to_owned()];
        let cues_c: Vec<String> = vec![];
        ScenarioTopics::build(&TopicSource {
            facts: vec![
                ("contexte", &cues_a, "Nous sommes quatre-vingt-cinq personnes, une usine à Cholet."),
                ("moyens", &cues_b, "Chaque commercial a son fichier Excel. Les devis sont faits dans Divalto."),
                ("problemes", &cues_c, "Un tiers des soixante devis du mois ne sont jamais relancés."),
            ],
            objections: vec![],
            texts: vec![],
            details: vec![],
            questions: vec![],
        })
    }

    fn stemmed(text: &str) -> Stemmed {
        Stemmed::of(&french_stemmer(), &Normalized::new(text))
    }

    #[test]
    fn shared_rare_words_find_the_fact_without_cues() {
        let t = topics();
        let turn = stemmed("Et ces devis, qui les relance ?");
        let ignore = BTreeSet::new();
        let ranked = rank_facts(
            &t,
            &Query {
                turn: &turn,
                items: &[],
                near_items: &[],
                asks_figure: false,
                ignore: &ignore,
                counted: None,
                wants: None,
            },
        );
        assert_eq!(ranked.first().map(|r| r.index), Some(2), "{ranked:?}");
    }

    #[test]
    fn the_item_and_a_figure_weigh_in() {
        let t = topics();
        let q = "Combien êtes-vous ?";
        let turn = stemmed(q);
        let ignore = BTreeSet::new();
        let query = Query {
            turn: &turn,
            items: &["contexte"],
            near_items: &[],
            asks_figure: asks_for_figure(&Normalized::new(q)),
            ignore: &ignore,
            counted: None,
            wants: None,
        };
        let ranked = rank_facts(&t, &query);
        assert_eq!(ranked.first().map(|r| r.index), Some(0), "{ranked:?}");
        assert!(has_figure("On en envoie 60 par mois") && has_figure("un tiers"));
        assert!(!has_figure("Nous fabriquons des emballages."));
    }

    #[test]
    fn a_question_like_a_facts_example_question_finds_it() {
        let cues: Vec<String> = vec!["effectif".into(), "usine".into(), "activite".into()];
        let team: Vec<String> = vec!["equipe".into(), "organisation".into(), "vendeurs".into()];
        let q_profile: Vec<String> = vec!["Vous êtes combien dans l'entreprise ?".into(), "Vous faites quoi ?".into()];
        let q_team: Vec<String> =
            vec!["Vos commerciaux, ils sont combien ?".into(), "Comment est organisée l'équipe commerciale ?".into()];
        let t = ScenarioTopics::build(&TopicSource {
            facts: vec![
                ("contexte", &cues, "Quatre-vingt-cinq personnes, une usine à Cholet."),
                ("contexte", &team, "Six vendeurs terrain et deux assistantes au siège."),
            ],
            objections: vec![],
            texts: vec![],
            details: vec![],
            questions: vec![&q_profile, &q_team],
        });
        let turn = stemmed("Et les commerciaux, ils sont combien à peu près ?");
        let ignore = BTreeSet::new();
        let query = Query {
            turn: &turn,
            items: &[],
            near_items: &[],
            asks_figure: true,
            ignore: &ignore,
            counted: None,
            wants: None,
        };
        let ranked = rank_facts(&t, &query);
        // The line says "vendeurs", not "commerciaux": only the example question finds it.
        assert_eq!(ranked.first().map(|r| r.index), Some(1), "{ranked:?}");
        assert!(ranked[0].asked >= 60 && ranked[0].cues >= 1, "{ranked:?}");
        // "Racontez-moi" alone is like no question.
        let vague = stemmed("Racontez-moi ?");
        assert!(rank_facts(&t, &Query { turn: &vague, ..query }).iter().all(|r| r.asked == 0));
    }

    #[test]
    fn a_reminder_quotes_the_sentence_that_answers() {
        let line = "Chaque commercial a son fichier Excel. Les devis sont faits dans Divalto par l'ADV.";
        assert_eq!(
            best_sentence(line, &stemmed("Les devis, vous les faites avec quoi ?"), false),
            "Les devis sont faits dans Divalto par l'ADV."
        );
    }
}
