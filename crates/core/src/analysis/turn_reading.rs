//! What the reading of a turn says (`reading::read_turn` builds it): the dialogue acts of
//! its sentences, what it asks and what it is about, and the questions the prospect's
//! decision puts to it ("does it only ask for a reaction?", "does it only propose?").

use serde::{Deserialize, Serialize};

use super::lexicon::LEX;
use super::topics::Target;
use crate::text::Normalized;

/// What a sentence of the turn does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    OpenQuestion,
    ClosedQuestion,
    ListeningPrompt,
    Acknowledgement,
    Reformulation,
    Empathy,
    Proof,
    Benefit,
    ObjectionDig,
    ObjectionNeutralize,
    ObjectionZoom,
    Columbo,
    Closing,
    NextStep,
    /// A step proposed without a date ("on se rappelle ?", "je vous envoie une doc").
    VagueStep,
    /// The objection brushed off ("Quelle inquiétude ?").
    BrushOff,
    PriceMention,
    Concession,
    ConditionalConcession,
    Denigration,
    Pressure,
    Pretext,
    Interruption,
    Insult,
    Farewell,
    SmallTalk,
    OffTopic,
}

/// One act, with the sentence that carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActIn {
    pub act: Act,
    /// Index in `TurnReading::sentences`.
    pub sentence: usize,
}

/// The reading of one learner turn in its context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnReading {
    /// The learner's sentences, whole.
    pub sentences: Vec<String>,
    pub acts: Vec<ActIn>,
    /// Whether the turn asks something, and how.
    pub question: Option<QuestionKind>,
    /// The COMPIR/BEBEDC item a question asks about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_item: Option<String>,
    /// The scenario's facts and objections the turn is about, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// The earlier learner line (0-based) this one repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<usize>,
    /// Nothing in it belongs to the scenario or the conversation, or it is word salad.
    pub off_topic: bool,
    /// No words to read (only emojis, digits or punctuation).
    pub unintelligible: bool,
    pub words: usize,
    /// The prospect's objection was live when the learner spoke.
    pub objection_live: bool,
    /// A volley of questions at once ("qui décide, qui paie, qui prescrit, qui utilise… ?"):
    /// a checklist fired at the prospect, who asks for one question at a time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub volley: bool,
    /// The turn answers the live objection on its point ("le déploiement est fait par nos
    /// équipes, pas par les vôtres" to "je n'ai personne"), even if it then moves on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub answers_objection: bool,
    /// A sentence says the prospect's words back, word for word or nearly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub parrots: bool,
    /// The sentence (0-based) that says the prospect's words back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parroted: Option<usize>,
    /// The sentence (0-based) that names a technique to the prospect (« question ouverte :
    /// … », « je creuse votre objection »).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names_method: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Open,
    Closed,
}

impl Act {
    /// The techniques a sentence can be credited with (listening, restating, arguing,
    /// treating an objection): what a hollow or repeated sentence loses.
    pub fn is_technique(self) -> bool {
        matches!(
            self,
            Act::Reformulation
                | Act::Empathy
                | Act::Proof
                | Act::Benefit
                | Act::ObjectionDig
                | Act::ObjectionNeutralize
                | Act::ObjectionZoom
                | Act::ListeningPrompt
        )
    }
}

/// How a learner asks the prospect to weigh what they just proposed or said.
const WEIGHING: &[&str] = &[
    "ca repond a",
    "ca repondrait a",
    "ca reglerait",
    "ca regle",
    "ca resoudrait",
    "ca vous aiderait",
    "ca vous conviendrait",
    "ca vous convient",
    "qu en dites vous",
    "ca change quelque chose",
    "ca vous semble",
    "ca vous parait",
    "ca vous rassure",
    "ca vous rassurerait",
    "ca vous protege",
    "ca vous arrange",
    "ca vous arrangerait",
    "ca vous irait",
    "ca vous va",
    "vous parait pertinent",
    "vous semble pertinent",
    "vous parait coherent",
    "vous parait interessant",
    "vous semble interessant",
    "ca colle",
    "ca tient",
    "c est acceptable",
    "acceptable pour vous",
    "vous pose encore",
    "vous pose probleme",
    "ca correspondrait",
    "ca correspond a",
    "ca vous gene",
    "ca leve",
    "ca leverait",
    "vous paraitrait",
    "jouable",
    "que diriez vous",
    "vous mettrait a l aise",
    "ca vous mettrait",
    "ca changerait quelque chose",
    "ca vous convaincrait",
    "ca suffirait",
    "ca vous suffit",
    "ca marche pour vous",
    "vous seriez d accord",
    "vous etes d accord",
    "d accord sur ce principe",
    "ca vous dirait",
    "ca vous tente",
    "ca vous interesse",
    "ca vous interesserait",
    "vous seriez partant",
    "vous seriez partante",
    "vous seriez pret",
    "vous seriez prete",
    "ce serait un sujet",
    "ca changerait",
    "qu en penseriez vous",
    "vous voyez l interet",
    "voyez vous l interet",
    "toujours interesse",
    "toujours interessee",
    "toujours partant",
    "toujours partante",
    "ca vous interesse toujours",
    // How they judge what they tried or saw ("l'essai vous a convaincu ?").
    "vous a convaincu",
    "vous a convaincue",
    "vous etes convaincu",
    "vous etes convaincue",
    "etes vous convaincu",
    "etes vous convaincue",
    "vous a plu",
    "vous plait",
    "reste un doute",
    "fait ce qu il vous faut",
    "repond a vos attentes",
    "correspond a vos attentes",
    "vous satisfait",
    "vous a satisfait",
    "vous etes satisfait",
    "vous etes satisfaite",
];

/// Whether a prospect's line asks to conclude today ("soit on boucle maintenant").
pub fn asks_to_settle(line: &str) -> bool {
    crate::text::Normalized::new(line)
        .find_any(&[
            "on boucle maintenant",
            "on boucle aujourd hui",
            "on conclut maintenant",
            "on conclut aujourd hui",
            "on signe maintenant",
            "on signe aujourd hui",
            "on finalise maintenant",
            "on finalise aujourd hui",
            "on tope la",
        ])
        .is_some()
}

/// Whether a prospect's line asks the learner when something will be done ("Qu'est-ce
/// que je lui dis, exactement, et pour quand ?"): a dated plan given next answers it.
pub fn asks_when(line: &str) -> bool {
    crate::text::sentences(line).into_iter().map(|s| &line[s.start..s.end]).filter(|s| s.contains('?')).any(|s| {
        crate::text::Normalized::new(s)
            .find_any(&[
                "pour quand",
                "d ici quand",
                "a quelle date",
                "quelle date",
                "quand est ce que vous",
                "vous pouvez me proposer une date",
                "proposez moi une date",
                "sous quel delai",
                "dans quel delai",
            ])
            .is_some()
    })
}

/// Whether a normalised word asks for something other than a yes or a no, wherever it
/// stands ("qui", "où" and "que" also join clauses, so they are not among them).
pub fn is_question_word(word: &str) -> bool {
    matches!(
        word,
        "combien"
            | "comment"
            | "pourquoi"
            | "quel"
            | "quelle"
            | "quels"
            | "quelles"
            | "quoi"
            | "quand"
            | "lequel"
            | "laquelle"
    )
}

/// Whether a question weighs a proposal or a statement at its end ("Si on fait le point à
/// trois mois, est-ce que l'engagement vous pose encore problème ?").
pub fn weighs(question: &str) -> bool {
    let t = Normalized::new(question);
    let words: Vec<&str> = t.words().collect();
    // "Comment vous verriez ça ?" asks for a stance in a how.
    if t.find_any(&["comment vous verriez ca", "vous verriez ca comment"]).is_some() {
        return true;
    }
    // "Qu'est-ce qui vous paraît le plus important ?" asks for something, not a stance.
    let asks = words.iter().any(|w| is_question_word(w))
        || t.original().to_lowercase().contains("où")
        || t.find_any(&["qu est ce", "que pensez", "qui est"]).is_some()
        || super::asks::wanted(&t) == Some(super::asks::Wants::Person);
    if asks {
        return false;
    }
    // "Si le projet ne mobilisait presque pas vos équipes, est-ce que ce serait toujours
    // trop tôt ?": a yes or no on a hypothesis weighs it (a restatement's "si je comprends
    // bien" is no hypothesis).
    if is_hypothesis(&words) {
        return true;
    }
    let tail = words[words.len().saturating_sub(12)..].join(" ");
    // "Que penseriez-vous d'une garantie écrite sur la première année… ?": the proposal
    // follows the question's opening words.
    let head = words[..words.len().min(8)].join(" ");
    Normalized::new(&tail).find_any(WEIGHING).is_some()
        || Normalized::new(&head)
            .find_any(&["que penseriez vous d", "que diriez vous d", "que diriez vous si"])
            .is_some()
        || tag_question(&words)
}

/// "Si le calendrier n'était pas un sujet, Lueur serait-il ce qu'il vous faut ?": a
/// hypothesis (not a restatement's "si je comprends bien") and a conditional after it.
fn is_hypothesis(words: &[&str]) -> bool {
    words.first() == Some(&"si")
        && !matches!(words.get(1..3), Some(["je", _] | ["j", _]))
        && words.iter().skip(2).any(|w| w.ends_with("rait") || w.ends_with("raient") || w.ends_with("riez"))
}

/// Whether a question sets a hypothesis ("Si le prix n'entrait pas en ligne de compte,
/// … ?"), the way an objection is isolated.
pub fn sets_a_hypothesis(question: &str) -> bool {
    let t = Normalized::new(question);
    let words: Vec<&str> = t.words().collect();
    is_hypothesis(&words)
}

/// "C'est simple, non ?", "ça change la donne, vous ne trouvez pas ?": a claim of the
/// learner's own, put to the prospect for a stance. "Vous avez quatorze sites, non ?"
/// checks a fact about the prospect instead.
fn tag_question(words: &[&str]) -> bool {
    const TAGS: &[&[&str]] =
        &[&["n", "est", "ce", "pas"], &["vous", "ne", "trouvez", "pas"], &["pas", "vrai"], &["non"]];
    let Some(claim) = TAGS.iter().find_map(|tag| words.strip_suffix(*tag)) else { return false };
    claim.len() >= 2 && !claim.iter().any(|w| matches!(*w, "vous" | "votre" | "vos" | "tu" | "ton" | "ta" | "tes"))
}

impl TurnReading {
    pub fn has(&self, act: Act) -> bool {
        self.acts.iter().any(|a| a.act == act)
    }

    /// The first sentence that carries `act`.
    pub fn sentence_of(&self, act: Act) -> Option<&str> {
        self.acts.iter().find(|a| a.act == act).and_then(|a| self.sentences.get(a.sentence)).map(String::as_str)
    }

    /// Whether the turn's closed question counts towards a series of closed questions: a
    /// question that proposes a step (« je viens le 2 février, ça vous paraît jouable ? »,
    /// « je bloque le créneau ? ») is how a call ends, not the yes/no discovery a trainer
    /// corrects.
    pub fn closed_question_counts(&self) -> bool {
        self.question == Some(QuestionKind::Closed)
            && !self.acts.iter().any(|a| matches!(a.act, Act::NextStep | Act::VagueStep))
            && !self.only_proposes()
    }

    /// Whether every question of the turn only asks for a reaction to what the learner
    /// said ("ça vous intéresserait ?", "qu'en pensez-vous ?", "vous avez deux minutes ?").
    pub fn asks_only_reaction(&self) -> bool {
        let questions: Vec<&String> = self.sentences.iter().filter(|s| s.contains('?')).collect();
        !questions.is_empty()
            && questions.iter().all(|q| {
                let t = Normalized::new(q);
                // A proposal or a statement weighed at the end of a longer question: "Si on
                // étale la mise en place sur douze mois, est-ce que ça règle le problème ?".
                (t.word_count() <= 8 && t.find_any(&LEX.reaction_questions).is_some()) || weighs(q)
            })
    }

    /// Whether every question of the turn proposes something ("je vous propose un essai,
    /// ça vous va ?", "je vous rappelle lundi ?") rather than asks for information.
    pub fn only_proposes(&self) -> bool {
        let questions: Vec<&String> = self.sentences.iter().filter(|s| s.contains('?')).collect();
        !questions.is_empty()
            && questions.iter().all(|q| {
                let t = Normalized::new(q);
                // "Je vous propose de regarder : combien de temps… ?" still asks something.
                let asks = t.words().any(|w| {
                    matches!(
                        w,
                        "combien"
                            | "quel"
                            | "quelle"
                            | "quels"
                            | "quelles"
                            | "comment"
                            | "qui"
                            | "pourquoi"
                            | "ou"
                            | "quoi"
                            | "quand"
                            | "lequel"
                            | "laquelle"
                            | "qu"
                    )
                });
                !asks
                    && t.find_any(&[
                        "je vous propose",
                        "je propose",
                        "on pourrait",
                        "nous pourrions",
                        "vous voulez que je",
                        "voulez vous que je",
                        "ca vous dirait",
                        "je vous appelle",
                        "je vous rappelle",
                        "on se voit",
                        "on se cale",
                        "on se rappelle",
                        "on fait un essai",
                        "on fait un test",
                        "on fait un pilote",
                        "on lance un essai",
                        "on lance un pilote",
                        "on teste",
                        "je peux vous montrer",
                        "je vous montre",
                        "vous voulez voir",
                        "je vous envoie",
                    ])
                    .is_some()
            })
    }

    /// Whether the turn earns nothing new: a repeat, word salad or nothing to read.
    pub fn is_empty_move(&self) -> bool {
        self.repeats.is_some() || self.off_topic || self.unintelligible
    }
}
