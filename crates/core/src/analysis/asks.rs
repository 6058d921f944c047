//! What kind of answer a question wants (issue 13: the prospect answers what was asked):
//! "qui… ?" wants someone, "quand… ?" a time, "quel budget… ?" an amount. A fact that
//! gives no such thing does not answer it, however many words it shares with it.

use crate::text::{Normalized, PhraseSet};

/// The kind of answer a question wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    /// Someone: a name, a role, a body that decides ("qui valide ?").
    Person,
    /// A moment: a date, a deadline, a period ("c'est pour quand ?").
    Time,
    /// An amount of money: a budget, a cost, a price ("quelle enveloppe ?").
    Money,
}

/// What a fact's line gives, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gives {
    pub person: bool,
    pub time: bool,
    pub money: bool,
}

impl Wants {
    /// The discovery item that answers this kind of question.
    pub fn item(self) -> &'static str {
        match self {
            Wants::Person => "decideur",
            Wants::Time => "echeance",
            Wants::Money => "budget",
        }
    }
}

impl Gives {
    pub fn has(self, wants: Wants) -> bool {
        match wants {
            Wants::Person => self.person,
            Wants::Time => self.time,
            Wants::Money => self.money,
        }
    }
}

/// Words that come before an interrogative "qui" ("avec qui", "c'est qui") or start the
/// question with it; elsewhere "qui" is a relative pronoun ("un outil qui…").
const BEFORE_WHO: &[&str] = &["avec", "a", "par", "pour", "de", "chez", "aupres", "et", "mais", "alors", "donc", "est"];

/// Phrases that ask for a moment. "Depuis quand" asks for a duration, which a figure
/// answers (`relevance::asks_for_figure`).
const TIME_ASKED: &[&str] = &[
    "quand",
    "quelle date",
    "date limite",
    "date butoir",
    "quelle echeance",
    "a quel moment",
    "quel calendrier",
    "quel planning",
    "quel horizon",
    "quels delais",
    "quel delai",
    "pour quelle periode",
];

/// Phrases that ask for an amount of money.
const MONEY_ASKED: &[&str] = &[
    "budget",
    "budgets",
    "enveloppe",
    "quel prix",
    "quel montant",
    "quelle somme",
    "en euros",
    "combien ca coute",
    "ca coute combien",
    "coute combien",
    "combien vous payez",
    "vous payez combien",
    "quel investissement",
    "niveau d investissement",
    "quel cout",
    "combien d argent",
    "combien par an",
    "combien par mois",
];

/// Words of a line that name someone by role.
const ROLES: &[&str] = &[
    "directeur",
    "directrice",
    "president",
    "presidente",
    "pdg",
    "dg",
    "daf",
    "dsi",
    "drh",
    "comite",
    "conseil",
    "patron",
    "patronne",
    "associe",
    "associee",
    "associes",
    "responsable",
    "chef",
    "gerant",
    "gerante",
    "tresorier",
    "tresoriere",
    "adjoint",
    "adjointe",
    "collegue",
    "collegues",
    "acheteur",
    "acheteuse",
    "achats",
    "controleuse",
    "controleur",
    "assistante",
    "assistant",
    "proprietaire",
    "actionnaire",
    "actionnaires",
    "famille",
    "fondateur",
    "fondatrice",
    "m",
    "mme",
    "monsieur",
    "madame",
    "c est moi",
    "c est lui",
    "c est elle",
    "moi qui",
];

/// Words of a line that give a moment.
const MOMENTS: &[&str] = &[
    "semaine",
    "semaines",
    "mois",
    "trimestre",
    "semestre",
    "an",
    "ans",
    "annee",
    "annees",
    "printemps",
    "ete",
    "automne",
    "hiver",
    "rentree",
    "fin",
    "debut",
    "mi",
    "jours",
    "jour",
    "aujourd hui",
    "date",
    "echeance",
    "d ici",
    "avant",
    "apres",
    "depuis",
    "il y a",
    "prochain",
    "prochaine",
    "dernier",
    "derniere",
    "bientot",
    "deja",
    "exercice",
    "calendrier",
];

/// Words of a line that give an amount.
const AMOUNTS: &[&str] = &["euros", "euro", "k", "budget", "enveloppe", "prix", "tarif", "millions", "million", "ht"];

// The lists above as phrase sets, read in one pass over a line (every fact of every new
// session is read with them).
static ROLE_SET: std::sync::LazyLock<PhraseSet> = std::sync::LazyLock::new(|| crate::text::phrase_set(ROLES));
static MOMENT_SET: std::sync::LazyLock<PhraseSet> = std::sync::LazyLock::new(|| crate::text::phrase_set(MOMENTS));
static AMOUNT_SET: std::sync::LazyLock<PhraseSet> = std::sync::LazyLock::new(|| crate::text::phrase_set(AMOUNTS));

/// What a question wants, if it says so: the first kind its words ask for.
pub fn wanted(question: &Normalized<'_>) -> Option<Wants> {
    let words: Vec<&str> = question.words().collect();
    // "Vous êtes équipé avec qui ?", "vous travaillez avec qui ?": a supplier, a company,
    // not someone.
    let supplier = |i: usize| {
        i >= 2
            && matches!(words[i - 1], "avec" | "chez")
            && matches!(
                words[i - 2],
                "equipe"
                    | "equipes"
                    | "equipee"
                    | "equipees"
                    | "travaillez"
                    | "travaille"
                    | "bossez"
                    | "etes"
                    | "abonne"
                    | "abonnes"
                    | "assure"
                    | "assures"
                    | "contrat"
                    | "partenariat"
            )
    };
    let who = words.iter().enumerate().any(|(i, w)| {
        *w == "qui"
            && !supplier(i)
            && (i == 0
                || words.get(i - 1).is_some_and(|b| BEFORE_WHO.contains(b))
                || words.get(i + 1).is_some_and(|n| matches!(*n, "d" | "est")) && i + 2 >= words.len())
    }) || question
        .find_any(&[
            "quelle personne",
            "quel interlocuteur",
            "qui d autre",
            "c est qui",
            "qui est ce",
            "noms",
            "un nom",
            "vous connaissez quelqu un",
            "vous connaitriez quelqu un",
            "vous connaissez des",
            "vous connaitriez des",
            "a qui je pourrais",
            "que je pourrais appeler",
            "des contacts",
            "un contact",
        ])
        .is_some();
    if who {
        return Some(Wants::Person);
    }
    // "Depuis quand" asks for a duration, not a moment to come.
    let since = question.find_any(&["depuis quand"]).is_some();
    if !since && question.find_any(TIME_ASKED).is_some() {
        return Some(Wants::Time);
    }
    question.find_any(MONEY_ASKED).is_some().then_some(Wants::Money)
}

/// What a fact's line gives.
pub fn gives(line: &str) -> Gives {
    let t = Normalized::new(line);
    let digits = line.chars().any(|c| c.is_ascii_digit());
    // A full name: two capitalised words in a row ("Philippe Aubin"), not acronyms.
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && w.chars().any(char::is_lowercase)
    };
    let named = line.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| capitalised(w[0]) && capitalised(w[1]));
    Gives {
        person: named || t.find_any(&*ROLE_SET).is_some(),
        time: t.find_any(&*MOMENT_SET).is_some() || t.find_any(&super::lexicon::LEX.months).is_some(),
        money: line.contains('€')
            || (digits && t.find_any(&*AMOUNT_SET).is_some())
            || t.find_any(&["budget"]).is_some(),
    }
}

/// How many words of a question sentence ask something (qui, quel, comment, combien,
/// pourquoi, quand): « quand » asks only as « quand est-ce… », alone, or at the head of a
/// question that is not a listening formula (« quand vous dites que… », « …quand le
/// développeur est absent » say when, they do not ask it).
pub(super) fn interrogatives(text: &Normalized<'_>) -> usize {
    let words: Vec<&str> = text.words().collect();
    let asks_when = |i: usize| {
        words.get(i + 1).is_none_or(|next| *next == "est")
            || (i == 0
                && !matches!(
                    words.get(1),
                    Some(&("vous" | "il" | "elle" | "on" | "ils" | "elles" | "le" | "la" | "les" | "un" | "une"))
                ))
    };
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            matches!(**w, "qui" | "quel" | "quelle" | "quels" | "quelles" | "comment" | "combien" | "pourquoi")
                || (**w == "quand" && asks_when(*i))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wants(q: &str) -> Option<Wants> {
        wanted(&Normalized::new(q))
    }

    #[test]
    fn interrogative_who_is_told_from_the_relative_pronoun() {
        assert_eq!(wants("Et qui valide l'investissement au final ?"), Some(Wants::Person));
        // A supplier asked for is no one to name.
        assert_eq!(wants("Vous êtes équipé avec qui en ce moment ?"), None);
        assert_eq!(wants("Aujourd'hui, vous travaillez avec qui pour la maintenance ?"), None);
        assert_eq!(wants("Vous êtes en discussion avec qui d'autre ?"), Some(Wants::Person));
        assert_eq!(wants("Qui, chez vous, a le plus intérêt à ce que ça avance ?"), Some(Wants::Person));
        assert_eq!(wants("Un outil qui touche aux salariés, ça passe par le CSE ?"), None);
        assert_eq!(wants("Vous connaîtriez des directeurs qui pourraient en avoir besoin ?"), Some(Wants::Person));
        assert_eq!(wants("Vous pourriez me donner deux ou trois noms ?"), Some(Wants::Person));
    }

    #[test]
    fn moments_and_amounts() {
        assert_eq!(wants("Il y a une date limite pour la pose ?"), Some(Wants::Time));
        assert_eq!(wants("Depuis quand c'est comme ça ?"), None);
        assert_eq!(wants("Vous avez une enveloppe prévue pour ce genre d'outil ?"), Some(Wants::Money));
        let g = gives("Pour un outil comme ça, je décide avec Philippe Aubin, le PDG.");
        assert!(g.person && !g.money);
        assert!(gives("Les deux nouveaux arrivent le 3 mars.").time);
        assert!(gives("On a une ligne de 25 000 euros pour l'année.").money);
        assert!(!gives("Les devis sont faits dans Sage par l'ADV.").money);
    }
}
