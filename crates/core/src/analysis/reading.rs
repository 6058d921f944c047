//! The reading of a learner turn (issue 12): its sentences, what each does (dialogue
//! acts), what it is about (targets), whether it is relevant and whether it is new. The
//! patterns of the report are judgements on this reading (see `patterns`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::evidence::{self, Span};
use super::lexicon::*;
use super::topics::{self, Stemmed, Target};
use super::TurnContext;
use crate::text::{Normalized, normalize};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Open,
    Closed,
}

impl TurnReading {
    pub fn has(&self, act: Act) -> bool {
        self.acts.iter().any(|a| a.act == act)
    }

    /// The first sentence that carries `act`.
    pub fn sentence_of(&self, act: Act) -> Option<&str> {
        self.acts.iter().find(|a| a.act == act).and_then(|a| self.sentences.get(a.sentence)).map(String::as_str)
    }

    /// Whether the turn earns nothing new: a repeat, word salad or nothing to read.
    pub fn is_empty_move(&self) -> bool {
        self.repeats.is_some() || self.off_topic || self.unintelligible
    }
}

/// One sentence, normalised and stemmed, with what the reading needs to know of it.
struct Sentence<'a> {
    text: Normalized<'a>,
    stemmed: Stemmed,
    question: bool,
    open: bool,
}

/// Reads a learner turn in its context.
pub fn read_turn(ctx: &TurnContext<'_>, message: &str) -> TurnReading {
    let stemmer = french_stemmer();
    let spans: Vec<Span> = evidence::sentences(message);
    let sentences: Vec<Sentence<'_>> = spans
        .iter()
        .map(|s| {
            let raw = &message[s.start..s.end];
            let text = Normalized::new(raw);
            let stemmed = Stemmed::of(&stemmer, &text);
            let (question, open) = question_kind(raw, &text);
            Sentence { text, stemmed, question, open }
        })
        .collect();
    let whole = Normalized::new(message);
    let whole_stems = Stemmed::of(&stemmer, &whole);
    let words = whole.word_count();
    let unintelligible = !message.chars().any(char::is_alphabetic);

    let mut acts: Vec<ActIn> = Vec::new();
    let mut add = |act: Act, sentence: usize| {
        if !acts.iter().any(|a| a.act == act) {
            acts.push(ActIn { act, sentence });
        }
    };

    let prospect_said: BTreeSet<String> =
        topics::stems_of(ctx.earlier_prospect_lines.iter().map(String::as_str).chain([ctx.previous_prospect_line]));
    let previous: BTreeSet<String> = topics::stems_of([ctx.previous_prospect_line]);
    let live = ctx.previous_was_objection;
    let asks = sentences.iter().any(|s| s.question);
    let salad = is_word_salad(&whole);

    for (i, s) in sentences.iter().enumerate() {
        let t = &s.text;
        let first = t.words().next().unwrap_or("");
        if s.question {
            add(if s.open { Act::OpenQuestion } else { Act::ClosedQuestion }, i);
        }
        // Listening.
        let prompt = t.find_any(LISTENING_PROMPTS).is_some() && t.word_count() <= 16;
        let echoes = overlap(&s.stemmed, &previous);
        let acknowledged = starts_with_acknowledgement(t);
        let after_ack = i > 0 && sentences.get(i - 1).is_some_and(|p| starts_with_acknowledgement(&p.text));
        if acknowledged {
            add(Act::Acknowledgement, i);
        }
        let proposing = t.find_any(NEXT_STEP).is_some() && is_dated(t);
        // "Pas la priorité… par rapport à quoi ?": the prospect's words echoed, then a question.
        let after_echo = i > 0
            && sentences.get(i - 1).is_some_and(|p| p.text.word_count() <= 8 && overlap(&p.stemmed, &previous) >= 1);
        let short_echo = echoes >= 1 && t.word_count() <= 10;
        if s.question
            && !proposing
            && (prompt || echoes >= 2 || short_echo || after_echo || (echoes >= 1 && (acknowledged || after_ack)))
        {
            add(Act::ListeningPrompt, i);
        }
        let restated = overlap(&s.stemmed, &prospect_said);
        let content = s.stemmed.content().len().max(1);
        // With a formula ("si je comprends bien…"), what follows must restate something:
        // the prospect's words, or a statement of its own once the prospect has spoken.
        let formula = t.find_any(REFORMULATION).map(|hit| restatement_after(t, hit));
        let prospect_spoke = prospect_said.len() >= 3;
        let summing_up = t.find_any(&["ce que vous m avez dit", "si je recapitule", "si je resume", "pour resumer"]);
        let with_formula = formula.is_some_and(|(words, asks)| {
            restated >= 2
                || (prospect_spoke && !asks && restated >= 1 && words >= 2)
                || (prospect_spoke && !asks && !s.question && words >= 3)
                || (summing_up.is_some() && words >= 4)
        });
        // A restatement needs no formula when most of it is the prospect's own content
        // (unless the sentence is an argument or empathy that happens to use their words).
        let arguing = t.find_any(BENEFIT).is_some() || t.find_any(EMPATHY).is_some();
        let echoing = restated >= 3 && restated * 100 >= content * 35 && !s.open && !arguing;
        if with_formula || echoing {
            add(Act::Reformulation, i);
        }
        // "si je comprends bien" is not empathy; "je comprends" alone is.
        let understood = t.count_any(&["je comprends", "je vous comprends"]);
        let reformulation_phrases = t.count_any(&["si je comprends", "ce que je comprends"]);
        let empathic = t.find_any(EMPATHY).is_some_and(|hit| {
            let hit = normalize(hit);
            !(hit == "je comprends" || hit == "je vous comprends") || understood > reformulation_phrases
        }) && !politeness_only(t);
        if empathic {
            add(Act::Empathy, i);
        }

        // Arguments and proof.
        let asking_about_them =
            s.open && t.find_any(&["qu est ce qui", "qu est ce que", "comment", "quel", "quelle", "quels"]).is_some();
        let for_them = t.find_any(&["vous", "vos", "votre", "pour"]).is_some() || names_anyone(ctx, t);
        let piled_jargon = t.words().filter(|w| ANGLICISMS.contains(w)).count() >= 3;
        if t.find_any(BENEFIT).is_some() && !asking_about_them && for_them && !piled_jargon {
            add(Act::Benefit, i);
        }
        if is_proof(ctx, s) {
            add(Act::Proof, i);
        }

        // Objections (CNZ), only with an objection on the table.
        if live {
            let dig_phrase = t.find_any(DIG).is_some();
            let about_objection = overlap(&s.stemmed, &previous) >= 1;
            let exploring = t
                .find_any(&["qu est ce qui", "qu est ce qu", "pourquoi", "sur quoi", "en quoi", "a quoi", "qu entendez"])
                .is_some();
            if s.question && (dig_phrase || (s.open && (about_objection || exploring))) {
                add(Act::ObjectionDig, i);
            }
            if t.find_any(NEUTRALIZE).is_some() {
                add(Act::ObjectionNeutralize, i);
            }
            if t.find_any(ZOOM).is_some() {
                add(Act::ObjectionZoom, i);
            }
        }

        // Moving forward.
        let question_near = s.question || sentences.get(i + 1).is_some_and(|n| n.question);
        if t.find_any(COLUMBO).is_some() && question_near {
            add(Act::Columbo, i);
        }
        if is_closing(s) {
            add(Act::Closing, i);
        }
        if t.find_any(NEXT_STEP).is_some() && is_dated(t) && !t.contains("vous avez") {
            add(Act::NextStep, i);
        }

        // Money.
        if mentions_price(t) {
            add(Act::PriceMention, i);
        }
        if let Some(conditional) = concession(t) {
            add(if conditional { Act::ConditionalConcession } else { Act::Concession }, i);
        }

        // Faults.
        if is_denigration(ctx, t) {
            add(Act::Denigration, i);
        }
        let pressure_anywhere = t.find_any(&["maintenant ou jamais", "derniere chance", "vous n avez pas le choix"]);
        if (t.find_any(PUSHY).is_some() && !s.question) || pressure_anywhere.is_some() {
            add(Act::Pressure, i);
        }
        if t.find_any(PRETEXT).is_some() {
            add(Act::Pretext, i);
        }
        if matches!(first, "attendez" | "attends" | "stop") || t.find_any(&INTERRUPTION[2..]).is_some() {
            add(Act::Interruption, i);
        }
        if is_insult(t) {
            add(Act::Insult, i);
        }
        if crate::end::is_farewell_sentence(t) {
            add(Act::Farewell, i);
        }
    }
    // "Racontez-moi…" asks without a question mark.
    let question = if acts.iter().any(|a| a.act == Act::OpenQuestion) {
        Some(QuestionKind::Open)
    } else if asks {
        Some(QuestionKind::Closed)
    } else {
        None
    };

    let targets = ctx.topics.map(|t| topics::targets(t, &whole_stems)).unwrap_or_default();
    // The item a question asks about: the topic of the fact it goes after, else the item
    // its words name. A closing question asks for a decision, not information.
    let discovery_item = sentences
        .iter()
        .enumerate()
        .filter(|(i, s)| s.question && !acts.iter().any(|a| a.act == Act::Closing && a.sentence == *i))
        .find_map(|(_, s)| {
            let fact = ctx.topics.and_then(|t| {
                topics::targets(t, &s.stemmed)
                    .into_iter()
                    .find(|x| x.kind == topics::TargetKind::Fact)
                    .and_then(|x| t.fact_items.get(x.index).cloned())
            });
            fact.or_else(|| topics::discovery_item(&s.stemmed).map(str::to_owned))
        });
    let repeats = repeated_line(ctx.earlier_learner_lines, &whole_stems, &whole);

    let conversation: BTreeSet<String> = prospect_said
        .iter()
        .cloned()
        .chain(topics::stems_of(ctx.earlier_learner_lines.iter().map(String::as_str)))
        .collect();
    let content = whole_stems.content().len();
    let known = topics::known_stems(ctx.topics, &conversation, &whole_stems);
    let small_talk = SMALL_TALK.iter().filter(|w| whole.contains(w)).count();
    let chatting = content >= 4 && (small_talk >= 2 || (small_talk == 1 && known * 2 <= content));
    let unrelated = content >= 4 && known == 0 && targets.is_empty() && !names_anyone(ctx, &whole);
    let off_topic = !unintelligible && (salad || chatting || unrelated);
    if off_topic {
        acts.push(ActIn { act: Act::OffTopic, sentence: 0 });
    }

    TurnReading {
        sentences: spans.iter().map(|s| evidence::quote(message, *s)).collect(),
        acts,
        question,
        discovery_item,
        targets,
        repeats,
        off_topic,
        unintelligible,
        words,
        objection_live: live,
    }
}

/// Whether a sentence asks something, and whether openly.
fn question_kind(raw: &str, text: &Normalized<'_>) -> (bool, bool) {
    let tell_me = text.find_any(TELL_ME).is_some();
    let starts_open = OPEN_WORDS.iter().any(|w| text.as_str().starts_with(w) && text.contains(w));
    let asks = raw.contains('?')
        || tell_me
        || starts_open
        || text.as_str().starts_with("est ce que")
        || text.as_str().starts_with("est ce qu");
    let open_word = text.find_any(OPEN_WORDS).is_some();
    // "…qui présentera le dossier ?", "ça vous coûte quoi ?", "Que prévoit son module ?".
    let wh = raw.contains('?')
        && (text.words().any(|w| matches!(w, "qui" | "quoi" | "combien"))
            || matches!(text.words().next(), Some("que" | "qu")));
    (asks, asks && (open_word || tell_me || wh))
}

/// Shared content stems between a sentence and a set (words of five letters or more, so
/// "vous" and "faire" never make an echo).
fn overlap(sentence: &Stemmed, set: &BTreeSet<String>) -> usize {
    sentence
        .words
        .iter()
        .zip(&sentence.stems)
        .filter(|(w, s)| w.chars().count() >= 5 && is_content_word(w) && set.contains(*s))
        .map(|(_, s)| s)
        .collect::<BTreeSet<_>>()
        .len()
}

fn is_proof(ctx: &TurnContext<'_>, s: &Sentence<'_>) -> bool {
    let t = &s.text;
    let named = ctx.proof_names.iter().any(|n| !n.trim().is_empty() && t.contains(n));
    if named {
        return true;
    }
    if s.question {
        return false;
    }
    // A testimonial or a case study is proof by itself; "nos clients" needs what they got.
    let testimonial =
        t.find_any(&["temoignage", "etude de cas", "cas client", "retour d experience", "nos references"]).is_some();
    let customers = t
        .find_any(&["un de nos clients", "une de nos clientes", "l un de nos clients", "nos clients", "un client", "une cliente", "un autre client", "une reference"])
        .is_some();
    let number = t.words().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    let result = t.find_any(RESULT_WORDS).is_some() || t.find_any(PROOF_WORDS).is_some();
    let obtained = t
        .find_any(&["ont gagne", "a gagne", "ont economise", "a economise", "ont reduit", "a reduit", "ont divise", "a divise", "ont vu", "a vu", "ont obtenu", "a obtenu", "sont passes", "est passe", "ont reussi", "a reussi"])
        .is_some();
    let priced = concession(t).is_some() || t.contains("par mois") || t.contains("abonnement") || t.contains("euros ht");
    // "96 % des champs lus", "sur nos 38 000 bulletins": a measured figure.
    let statistic = number && (t.contains("pourcent") || t.find_any(&["nos", "nous", "on a", "on est"]).is_some());
    let about_them = t.find_any(&["vous avez", "vous perdez", "vous payez", "vous etes", "votre", "vos"]).is_some();
    let elsewhere = t.contains("chez") && (number || obtained);
    testimonial
        || (customers && (number || obtained))
        || elsewhere
        || (number && (result || statistic) && !priced && !about_them)
}

fn is_closing(s: &Sentence<'_>) -> bool {
    let t = &s.text;
    let explicit = t
        .find_any(&[
            "je vous propose de signer",
            "je vous propose de valider",
            "je vous propose de demarrer",
            "je vous propose de lancer",
            "je vous propose de commencer",
            "je vous envoie le bon de commande",
            "je vous envoie le contrat",
            "je prepare le contrat",
            "je prepare le bon de commande",
            "je lance la commande",
            "je vous inscris",
            "marche conclu",
            "affaire conclue",
            "banco",
        ])
        .is_some();
    explicit || (s.question && t.find_any(CLOSING).is_some())
}

/// A day, a date or a time of day.
fn is_dated(t: &Normalized<'_>) -> bool {
    if t.find_any(WHEN).is_some() {
        return true;
    }
    let words: Vec<&str> = t.words().collect();
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    words.windows(2).any(|w| number(w[0]) && matches!(w[1], "h" | "heure" | "heures" | "h00" | "h30"))
        || words.iter().any(|w| {
            // "10h", "14h30", "9h15".
            let mut parts = w.splitn(2, 'h');
            let (hours, minutes) = (parts.next().unwrap_or(""), parts.next());
            number(hours) && hours.len() <= 2 && minutes.is_some_and(|m| m.is_empty() || number(m))
        })
        || words.windows(2).any(|w| matches!(w[0], "le" | "du" | "au") && number(w[1]) && w[1].len() <= 2)
}

fn mentions_price(t: &Normalized<'_>) -> bool {
    t.find_any(PRICE).is_some_and(|hit| normalize(hit) != "k" || t.words().any(|w| w.ends_with('k')))
}

/// A concession, and whether it is traded for something (`Some(true)`).
fn concession(t: &Normalized<'_>) -> Option<bool> {
    let gift = t.find_any(&["je vous l offre", "je vous les offre", "je vous offre", "on vous offre", "on s aligne"]);
    if gift.is_some() {
        return Some(traded(t));
    }
    let offer = t.find_any(CONCESSION).is_some();
    let discount = t
        .find_any(&[
            "pourcent",
            "remise",
            "reduction",
            "rabais",
            "ristourne",
            "geste",
            "effort",
            "offert",
            "offerts",
            "offerte",
            "gratuit",
            "gratuits",
            "gratuitement",
            "moins cher",
            "au prix",
            "au lieu de",
            "gratuite",
            "descendre",
            "descends",
            "baisse",
            "baisser",
            "cadeau",
            "euros",
        ])
        .is_some();
    (offer && discount).then(|| traded(t))
}

/// Whether a gesture is traded for something: a condition ("si…", "en échange") that is
/// not denied ("sans rien en échange").
fn traded(t: &Normalized<'_>) -> bool {
    let condition = t.find_any(COUNTERPART).is_some() || (t.words().any(|w| w == "si") && !t.contains("si je comprends"));
    condition && t.find_any(NO_COUNTERPART).is_none()
}

fn is_denigration(ctx: &TurnContext<'_>, t: &Normalized<'_>) -> bool {
    let Some(hit) = t.find_any(BASHING) else { return false };
    let negated = t.find_any(&["pas mauvais", "pas nul", "pas si mauvais", "mauvaise surprise", "pas mal"]).is_some();
    let competitor = ctx.competitors.iter().any(|c| {
        let name = c.split(['(', ',']).next().unwrap_or(c).trim();
        !name.is_empty() && t.contains(name)
    });
    let third = t.find_any(THIRD_PARTIES).is_some();
    // "Vous êtes nuls" is aimed at the prospect: that is aggressive, not denigration. A
    // put-down aimed at anything else (a rival, the prospect's current tool or provider)
    // runs down the competition, named or not.
    let at_prospect = t.find_any(&["vous etes", "tu es", "vous faites"]).is_some() && !third && !competitor;
    !negated && !at_prospect && !hit.is_empty()
}

fn is_insult(t: &Normalized<'_>) -> bool {
    let original = t.original();
    let shouting = original
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.chars().count() >= 4
                && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
                && w.chars().any(char::is_alphabetic)
                && !KNOWN_ACRONYMS.contains(&w)
        })
        .count()
        >= 3;
    let cheering = t
        .find_any(&["bravo", "felicitations", "super", "genial", "excellent", "merci", "top", "parfait", "formidable"])
        .is_some();
    let exasperated = original.contains("?!") || original.contains("!?") || (original.contains("!!!") && !cheering);
    t.find_any(INSULTS).is_some() || t.find_any(&["c est ridicule", "vous etes ridicule"]).is_some() || shouting || exasperated
}

/// A string of method words with nothing around them ("contexte, objectifs, moyens…
/// racontez-moi ?"): three or more in a row, or a line made of little else.
fn is_word_salad(t: &Normalized<'_>) -> bool {
    let words: Vec<&str> = t.words().collect();
    let core = words.iter().filter(|w| METHOD_TERMS.contains(w)).count();
    let method = words.iter().filter(|w| METHOD_TERMS.contains(w) || SALAD_FILLERS.contains(w)).count();
    let mut run = 0;
    let mut longest = 0;
    for w in &words {
        if METHOD_TERMS.contains(w) {
            run += 1;
            longest = longest.max(run);
        } else if *w != "et" {
            run = 0;
        }
    }
    longest >= 3 || core >= 5 || (core >= 3 && method * 10 >= words.len() * 7)
}

/// The earlier learner line this one repeats or nearly repeats: nearly all the words of
/// the shorter line are in the other, content words included ("Vous avez un CRM, du coup ?"
/// after "Vous avez un CRM ?").
fn repeated_line(earlier: &[String], turn: &Stemmed, whole: &Normalized<'_>) -> Option<usize> {
    if whole.word_count() < 3 {
        return None;
    }
    let stemmer = french_stemmer();
    let mine_all: BTreeSet<&str> = turn.stems.iter().map(String::as_str).collect();
    let mine = turn.content();
    earlier.iter().position(|line| {
        let other = Normalized::new(line);
        if other.as_str() == whole.as_str() {
            return true;
        }
        let theirs_stemmed = Stemmed::of(&stemmer, &other);
        let theirs_all: BTreeSet<&str> = theirs_stemmed.stems.iter().map(String::as_str).collect();
        let theirs = theirs_stemmed.content();
        let contained = |a: &BTreeSet<&str>, b: &BTreeSet<&str>| {
            let smaller = a.len().min(b.len());
            smaller > 0 && a.intersection(b).count() * 100 >= smaller * 80
        };
        let words = mine_all.len().min(theirs_all.len()) >= 3 && contained(&mine_all, &theirs_all);
        let content = mine.is_empty() && theirs.is_empty() || contained(&mine, &theirs);
        let shared = mine.intersection(&theirs).count();
        let union = mine.union(&theirs).count().max(1);
        (words && content) || (shared >= 3 && shared * 100 >= union * 60)
    })
}

/// Whether the turn names the prospect or their company (a line addressed to them is
/// never off topic).
fn names_anyone(ctx: &TurnContext<'_>, t: &Normalized<'_>) -> bool {
    ctx.prospect_name.split_whitespace().filter(|n| n.chars().count() >= 3).any(|n| t.contains(n))
        || (!ctx.company.trim().is_empty() && t.contains(ctx.company))
}

/// What follows a reformulation formula in its sentence: how many content words, and
/// whether it asks a question instead of restating ("si je comprends bien, qu'est-ce
/// qui…").
fn restatement_after(t: &Normalized<'_>, hit: &str) -> (usize, bool) {
    let hit = normalize(hit);
    let text = t.as_str();
    let after = text.find(&hit).map_or("", |at| &text[at + hit.len()..]);
    let words: Vec<&str> = after.split(' ').filter(|w| !w.is_empty()).collect();
    let asks = OPEN_WORDS.iter().any(|w| after.trim_start().starts_with(w));
    (words.iter().filter(|w| is_content_word(w)).count(), asks)
}

fn starts_with_acknowledgement(t: &Normalized<'_>) -> bool {
    ACKNOWLEDGEMENTS.iter().any(|a| t.as_str().starts_with(a) && t.contains(a))
}

/// "Je comprends le principe", "je comprends rien", "désolé de vous couper": words of
/// empathy that acknowledge no feeling.
fn politeness_only(t: &Normalized<'_>) -> bool {
    let words: Vec<&str> = t.words().collect();
    let after = |phrase: &[&str]| {
        words.windows(phrase.len() + 1).find(|w| w[..phrase.len()] == *phrase).map(|w| w[phrase.len()])
    };
    // "Je comprends, les deux dernières années…" is empathy; "je comprends le principe" is not.
    let raw = t.original().to_lowercase();
    let right_after = raw.find("comprends").map(|i| raw[i + "comprends".len()..].trim_start().to_owned());
    let punctuated = right_after.as_deref().is_some_and(|r| r.starts_with(|c: char| !c.is_alphanumeric()));
    let feeling = t
        .find_any(&["crainte", "inquietude", "frustration", "colere", "reaction", "agacement", "doute", "hesitation", "reticence", "peur", "prudence", "position", "mefiance", "deception", "souci", "point de vue"])
        .is_some();
    let understands_a_thing = !punctuated
        && !feeling
        && after(&["je", "comprends"])
            .is_some_and(|n| matches!(n, "le" | "la" | "les" | "l" | "rien" | "pas" | "mieux" | "comment" | "pourquoi" | "ou"));
    let sorry_to_bother = ["desole", "desolee"].iter().any(|w| {
        after(&[w]).is_some_and(|n| matches!(n, "de" | "d" | "mais"))
    }) || t.find_any(&["je vous coupe", "desole de vous deranger", "desole de revenir"]).is_some();
    let other_empathy = t
        .find_any(&["c est legitime", "c est normal", "je vous comprends", "toutes mes excuses", "a votre place", "ca doit", "je sais ce que c est"])
        .is_some();
    (understands_a_thing || sorry_to_bother) && !other_empathy
}
