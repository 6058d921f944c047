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
/// question about each.
const DISCOVERY_TOPICS: &[(&str, &[&str])] = &[
    (
        "contexte",
        &[
            "organisation",
            "organise",
            "organisez",
            "organisee",
            "equipe",
            "equipes",
            "situation",
            "fonctionnez",
            "fonctionne",
            "fonctionnement",
            "structure",
            "activite",
            "combien de personnes",
            "combien de salaries",
            "combien de collaborateurs",
            "combien de commerciaux",
            "taille",
            "historique",
            "contexte",
            "metier",
            "presentez moi",
            "votre role",
            "vos missions",
            "votre poste",
            "se passe aujourd hui",
            "au quotidien",
            "votre journee",
            "parlez moi de vous",
            "parlez moi de votre",
            "votre entreprise",
            "votre societe",
            "votre cave",
            "votre site",
            "vos sites",
            "racontez moi",
            "l histoire",
            "en deux mots",
            "perimetre",
            "vous fabriquez",
            "vous faites quoi",
            "vos produits",
            "c est quoi aujourd hui",
            "quels produits",
            "en volume",
            "combien de lignes",
            "combien de sites",
            "combien de techniciens",
            "combien de references",
            "qui le dirige",
            "vous etes combien",
            "combien d etablissements",
            "combien de magasins",
            "c est parti",
            "comment c est ne",
        ],
    ),
    (
        "objectifs",
        &[
            "objectif",
            "objectifs",
            "ambition",
            "ambitions",
            "atteindre",
            "priorite",
            "priorites",
            "viser",
            "visez",
            "cible",
            "ciblez",
            "cap",
            "vous voulez",
            "vous aimeriez",
            "souhaitez",
            "vous souhaitez",
            "afficher",
            "ameliorer",
            "developper",
            "croissance",
            "feuille de route",
            "l an prochain",
            "a horizon",
            "attend de vous",
            "on attend",
            "attend du",
            "projets de la direction",
            "la suite",
            "objectif chiffre",
            "descendre a combien",
        ],
    ),
    (
        "moyens",
        &[
            "outil",
            "outils",
            "utilisez",
            "utilise",
            "logiciel",
            "excel",
            "methode",
            "comment faites vous",
            "vous faites comment",
            "process",
            "processus",
            "gerez",
            "gere",
            "suivez",
            "suivi",
            "aujourd hui vous",
            "ressources",
            "equipement",
            "equipements",
            "fichier",
            "tableur",
            "crm",
            "prestataire actuel",
            "solution actuelle",
            "comment vous y prenez",
            "travaillez",
            "moyens",
            "en place",
            "vous avez en place",
            "fonctionne comment",
            "se gere comment",
            "ca se gere",
            "circuit",
            "quel chemin",
            "logiciels",
            "systeme",
            "systemes",
            "vous obtenez comment",
            "il est produit",
            "vous le construisez comment",
            "vous le savez comment",
            "quel type de contrat",
            "qui s en occupe",
            "qui gere",
            "smartphone",
            "formation",
            "vous y prenez",
            "fait le lien",
            "comment ca se passe aujourd hui",
            "obtenez comment",
            "traitees comment",
            "vous etes equipes",
            "equipes comment",
            "suivre",
            "suivent",
            "quels outils",
            "utilisez vous",
        ],
    ),
    (
        "problemes",
        &[
            "probleme",
            "problemes",
            "difficulte",
            "difficultes",
            "bloque",
            "bloquant",
            "frustre",
            "frustration",
            "ne fonctionne pas",
            "coince",
            "agace",
            "souci",
            "soucis",
            "galere",
            "galerez",
            "pose probleme",
            "ce qui ne va pas",
            "marche pas",
            "marche mal",
            "defaut",
            "defauts",
            "irrite",
            "point noir",
            "douleur",
            "complique",
            "penible",
            "echec",
            "rate",
            "raté",
            "inquiete",
            "preoccupe",
            "empeche de dormir",
            "il s est passe quoi",
            "decalages",
            "decalage",
            "retard",
            "retards",
            "erreur",
            "erreurs",
            "arret",
            "arrets",
            "panne",
            "pannes",
            "incident",
            "incidents",
            "vous arrivez a",
            "ce qui coince",
            "perte de temps",
            "points faibles",
            "limites",
            "ca se passe comment",
            "comment ca se passe",
            "trous dans la raquette",
            "entre les mailles",
        ],
    ),
    (
        "implications",
        &[
            "consequence",
            "consequences",
            "impact",
            "impacts",
            "coute",
            "couter",
            "perdez",
            "perte",
            "pertes",
            "temps perdu",
            "qui en souffre",
            "repercussion",
            "repercussions",
            "en euros",
            "ca donne quoi",
            "ca represente",
            "represente",
            "chiffre",
            "chiffrer",
            "combien ca",
            "si rien ne change",
            "si ca continue",
            "effet",
            "effets",
            "risque",
            "risques",
            "ca fait quoi",
            "ca change quoi",
            "marge",
            "ca pese",
            "pese quoi",
            "font perdre",
            "fait perdre",
            "vous fait perdre",
            "perdre",
            "perdu",
            "se traduit",
            "manque a gagner",
            "si demain",
            "retombent",
            "retombe sur",
            "mauvaises surprises",
            "combien de temps vous passez",
            "ca vous coute",
            "ca leur prend",
            "ca prend combien",
            "vous a coute",
            "a coute combien",
            "coute combien",
        ],
    ),
    (
        "resultats",
        &[
            "succes",
            "resultat",
            "resultats",
            "idealement",
            "ce que vous attendez",
            "a quoi ressemblerait",
            "reussite",
            "reussi",
            "ideal",
            "ideale",
            "dans six mois",
            "dans un an",
            "attendez vous",
            "attentes",
            "si tout se passe bien",
            "baguette magique",
            "satisfait",
            "critere de reussite",
            "criteres",
            "qu est ce que ca a donne",
            "a quoi vous verriez",
            "vous verriez",
            "arriver a quoi",
            "vous aimeriez arriver",
            "aura change",
            "qu est ce qui a change",
            "vous convaincre",
            "voir fonctionner",
            "un bon accord",
            "ressemblerait",
            "tranquille",
            "obtenir",
            "mesurable",
            "que ca marche",
            "ca marche",
            "vous aimeriez que",
            "dans l ideal",
        ],
    ),
    (
        "besoin",
        &[
            "besoin",
            "besoins",
            "recherchez",
            "cherchez",
            "manque",
            "il vous faudrait",
            "attendez d",
            "attente",
            "vous interesse",
            "essentiel pour vous",
            "indispensable",
            "ce qui compte",
            "vous a amene",
            "qu est ce qui vous a amene",
            "vous presse",
            "ce qui vous presse",
            "il s est passe quelque chose",
            "declencheur",
            "il vous faut",
            "ce qu il vous faut",
            "vous attendez de",
            "une seule chose",
            "sujet chaud",
            "incontournable",
            "vous pousse",
            "pousse a bouger",
            "regler absolument",
            "vous voulez mettre en place",
        ],
    ),
    (
        "enjeux",
        &[
            "enjeu",
            "enjeux",
            "important pour vous",
            "en jeu",
            "strategique",
            "pourquoi maintenant",
            "pourquoi c est",
            "ce qui compte le plus",
            "ca change pour vous",
            "pour vous personnellement",
            "attend de vous",
            "vous attend",
            "actionnaire",
            "direction attend",
            "se joue",
            "qu est ce qui se joue",
            "a gagner",
            "a perdre",
            "si important",
            "si importantes",
            "vous motive",
            "pour votre carriere",
            "personnellement",
            "ca represente quoi pour vous",
            "change pour vous",
        ],
    ),
    (
        "budget",
        &[
            "budget",
            "budgets",
            "investir",
            "enveloppe",
            "investissement",
            "moyens financiers",
            "financer",
            "financement",
            "depenser",
            "montant",
            "combien etes vous pret",
            "combien pouvez vous",
            "prevu de mettre",
            "cout acceptable",
            "debloquer",
            "ligne budgetaire",
            "cote argent",
            "argent",
            "combien par mois",
            "combien par an",
            "payez",
            "vous payez",
            "marge de manoeuvre",
            "budgetaire",
            "dans vos moyens",
            "financierement",
            "paiement",
            "mettre combien",
            "pret a mettre",
            "vous aviez prevu combien",
            "prevu combien",
            "ca coute combien",
        ],
    ),
    (
        "echeance",
        &[
            "quand",
            "delai",
            "delais",
            "date",
            "echeance",
            "d ici",
            "calendrier",
            "planning",
            "timing",
            "horizon",
            "combien de temps",
            "pour quand",
            "a quel moment",
            "rapidement",
            "urgence",
            "urgent",
            "deadline",
            "mise en place",
            "d ici quand",
            "jusqu a quand",
            "bon moment",
            "le bon moment",
            "temps fort",
            "au plus tard",
            "dates",
            "avant l ete",
            "fin de contrat",
            "engage jusqu",
            "trancher quand",
            "decider quand",
            "prochaine occasion",
            "ne pas rater",
        ],
    ),
    (
        "decideur",
        &[
            "decide",
            "decident",
            "decideur",
            "decideurs",
            "decision",
            "qui d autre",
            "valider",
            "valide",
            "validation",
            "signataire",
            "signe",
            "signer",
            "tranche",
            "trancher",
            "arbitre",
            "arbitrage",
            "dernier mot",
            "comite",
            "conseil",
            "associes",
            "votre patron",
            "votre direction",
            "qui est implique",
            "impliquer",
            "processus",
            "qui choisit",
            "passe par qui",
            "ca passe par qui",
            "qui vote",
            "vote",
            "bonne personne",
            "mot a dire",
            "son mot a dire",
            "le plus moteur",
            "moteur",
            "interet a ce que",
            "le prevenir",
            "qui porte",
            "qui pilote",
            "d accord sur",
            "comment se decide",
            "se decide",
        ],
    ),
    (
        "concurrence",
        &[
            "concurrent",
            "concurrents",
            "autres solutions",
            "comparez",
            "compare",
            "autre prestataire",
            "alternatives",
            "alternative",
            "d autres fournisseurs",
            "autres fournisseurs",
            "consulte",
            "consultez",
            "regarde ailleurs",
            "autres offres",
            "autre offre",
            "en lice",
            "mis en concurrence",
            "d autres propositions",
            "benchmark",
            "autres editeurs",
            "d autres editeurs",
            "autres options",
            "d autres options",
            "autre chose en parallele",
            "en parallele",
            "deja regarde",
            "propositions sur la table",
            "sur la table",
            "deja rencontre",
            "deja evalue",
            "quelqu un d autre",
            "autres plateformes",
            "autres outils",
            "deja equipe",
            "deja equipees",
            "le devis de",
            "chez eux",
            "d autres solutions",
            "autres prestataires",
            "en discussion",
            "deja teste",
            "deja vu d autres",
            "en face de nous",
            "vous etes content de",
        ],
    ),
];

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

/// A normalised text's words and their stems, side by side.
#[derive(Debug, Clone, Default)]
pub struct Stemmed {
    pub words: Vec<String>,
    pub stems: Vec<String>,
}

impl Stemmed {
    pub fn of(stemmer: &Stemmer, text: &Normalized<'_>) -> Self {
        let words: Vec<String> = text.words().map(str::to_owned).collect();
        let stems = words.iter().map(|w| stem(stemmer, w)).collect();
        Stemmed { words, stems }
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
        for (item, cues) in ITEMS.iter() {
            if cues.iter().any(|c| stemmed.has(c)) && !items.contains(item) {
                items.push(*item);
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
}

impl ScenarioTopics {
    pub fn build(source: &TopicSource<'_>) -> Self {
        let stemmer = french_stemmer();
        let cues = |list: &[String]| list.iter().map(|c| phrase_stems(&stemmer, c)).filter(|c| !c.is_empty()).collect();
        let facts = source.facts.iter().map(|(_, c, _)| cues(c)).collect();
        let fact_items = source.facts.iter().map(|(item, _, _)| (*item).to_owned()).collect();
        let fact_lines = source.facts.iter().map(|(_, _, line)| stems_of([*line])).collect();
        let fact_figures = source.facts.iter().map(|(_, _, line)| super::relevance::has_figure(line)).collect();
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
        ScenarioTopics { facts, fact_items, fact_lines, fact_figures, objections, vocabulary, names }
    }
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
    let score = |cues: &[CueStems]| cues.iter().filter(|c| turn.has(c)).map(Vec::len).sum::<usize>();
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

/// The content stems of several lines together.
pub fn stems_of(lines: impl IntoIterator<Item = impl AsRef<str>>) -> BTreeSet<String> {
    let stemmer = lexicon::french_stemmer();
    let mut out = BTreeSet::new();
    for line in lines {
        for w in Normalized::new(line.as_ref()).words() {
            if is_content_word(w) {
                out.insert(stem(&stemmer, w));
            }
        }
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
