//! The patterns of a turn, judged on its reading (SPEC 5.2, issue 12): a technique counts
//! only when it is relevant (a reformulation restates what the prospect said, an objection
//! treatment needs a live objection, a question must be about something) and new (a
//! repeated line earns nothing). Each pattern quotes the learner's whole sentence.

use super::lexicon::*;
use super::names::{misspelled_name, names_used, wrong_civility};
use super::reading::{Act, TurnReading};
use super::{Detection, PatternId, TurnContext};
use crate::text::{Normalized, normalize};

/// Turns longer than this are a monologue in a spoken conversation.
pub const MONOLOGUE_WORDS: usize = 80;

/// The patterns a reading shows.
pub fn judge(ctx: &TurnContext<'_>, reading: &TurnReading, message: &str) -> Vec<Detection> {
    let mut found: Vec<Detection> = Vec::new();
    let first = reading.sentences.first().cloned().unwrap_or_default();
    let mut add = |pattern: PatternId, evidence: &str, detail: Option<String>| {
        if !found.iter().any(|d| d.pattern == pattern) {
            found.push(Detection { pattern, evidence: evidence.trim().to_owned(), detail });
        }
    };
    let of = |act: Act| reading.sentence_of(act).map(str::to_owned);
    let text = Normalized::new(message);

    let wrong_name = misspelled_name(ctx, message).or_else(|| wrong_civility(ctx, reading));
    // What earns nothing new gets no credit at all.
    let creditable = !reading.is_empty_move();
    if let Some(i) = reading.repeats {
        add(PatternId::Repetition, &first, Some(format!("reprend la réplique {}", i + 1)));
    }
    if reading.off_topic {
        add(PatternId::OffTopic, &first, None);
    }
    let sentence = |i: usize| reading.sentences.get(i).cloned().unwrap_or_else(|| first.clone());
    if let Some(i) = reading.parroted {
        add(PatternId::Parroting, &sentence(i), None);
    }
    if let Some(i) = reading.names_method {
        add(PatternId::MethodNamed, &sentence(i), None);
    }

    if creditable {
        if let Some(s) = of(Act::OpenQuestion) {
            add(PatternId::GoodOpenQuestion, &s, None);
        }
        // A question stripped of its credit (said back, recited, a tic) discovers nothing.
        // A question that proposes a step ("le mardi 14 à 10 h vous conviendrait, ici à
        // Cholet ?") asks for a date, not about the prospect's situation.
        let step = |i: usize| {
            reading.acts.iter().any(|a| a.act == Act::NextStep && a.sentence == i)
                && reading.sentences.get(i).is_some_and(|s| {
                    crate::text::Normalized::new(s)
                        .find_any(&[
                            "vous conviendrait",
                            "vous convient",
                            "ca vous va",
                            "ca vous irait",
                            "vous arrange",
                            "vous arrangerait",
                            "vous irait",
                            "etes vous disponible",
                            "vous etes disponible",
                            "seriez vous disponible",
                        ])
                        .is_some()
                })
        };
        let asking = |a: &&crate::analysis::turn_reading::ActIn| {
            matches!(a.act, Act::OpenQuestion | Act::ClosedQuestion) && !step(a.sentence)
        };
        let asks = reading.acts.iter().any(|a| asking(&a));
        if let Some(item) = reading.discovery_item.as_ref().filter(|_| asks) {
            let s = reading
                .acts
                .iter()
                .filter(asking)
                .map(|a| a.sentence)
                .next()
                .and_then(|i| reading.sentences.get(i).cloned())
                .unwrap_or_else(|| first.clone());
            add(PatternId::DiscoveryQuestion, &s, Some(item.clone()));
        }
        if let Some(s) = of(Act::Reformulation) {
            add(PatternId::Reformulation, &s, None);
        }
        if let Some(s) = of(Act::Empathy).filter(|_| !reading.has(Act::Concession)) {
            add(PatternId::Empathy, &s, None);
        }
        if let Some(s) = of(Act::ListeningPrompt) {
            add(PatternId::ActiveListening, &s, None);
        }
        let slip = wrong_name.is_some();
        if let Some(s) = names_used(ctx, &text).filter(|_| !slip).and_then(|hit| sentence_with(reading, message, hit)) {
            add(PatternId::Personalization, &s, None);
        }
        // Acts that are a technique by themselves, with their sentence as evidence.
        for (act, pattern) in [
            (Act::Benefit, PatternId::BenefitArgument),
            (Act::Proof, PatternId::ProofUsed),
            (Act::ObjectionDig, PatternId::ObjectionDig),
            (Act::ObjectionNeutralize, PatternId::ObjectionNeutralize),
            (Act::ObjectionZoom, PatternId::ObjectionZoom),
            (Act::Columbo, PatternId::ColumboQuestion),
            (Act::Closing, PatternId::ClosingAttempt),
            (Act::NextStep, PatternId::NextStepProposal),
        ] {
            if let Some(s) = of(act) {
                add(pattern, &s, None);
            }
        }
    }

    // Faults count whatever the line's worth.
    let confirming_method = ctx.skill == "closing_ponts_brules";
    if reading.closed_question_counts() && ctx.closed_question_streak >= 2 && !confirming_method {
        let s = of(Act::ClosedQuestion).unwrap_or_else(|| first.clone());
        add(PatternId::ClosedQuestionStreak, &s, None);
    }
    if reading.question.is_none() && ctx.turns_without_question >= 2 && !reading.has(Act::Farewell) {
        add(PatternId::NoQuestion, &first, None);
    }
    // A recap checked with the prospect ("Si je récapitule : un…, deux…, trois… On est
    // d'accord ?") is the close of a negotiation, not a monologue, up to half as long again.
    let checked_recap = reading.has(Act::Reformulation)
        && reading.sentences.last().is_some_and(|s| s.contains('?'))
        && reading.words <= MONOLOGUE_WORDS * 3 / 2;
    if reading.words > MONOLOGUE_WORDS && !checked_recap {
        add(PatternId::Monologue, &format!("{first} (… {} mots)", reading.words), None);
    }
    if let Some(s) = of(Act::Interruption) {
        add(PatternId::Interruption, &s, None);
    }
    if let Some(s) = jargon(reading, message, ctx) {
        add(PatternId::Jargon, &s, None);
    }
    let price_on_table = ctx.price_on_table
        || Normalized::new(ctx.previous_prospect_line).find_any(&LEX.price_asked).is_some()
        || ctx.earlier_prospect_lines.iter().any(|l| Normalized::new(l).find_any(&LEX.price_asked).is_some());
    // A price brought up before any discovery, or a discount nobody asked for (even a
    // traded one: the prospect did not ask).
    let discount_asked = Normalized::new(ctx.previous_prospect_line).find_any(&LEX.discount_asked).is_some();
    let early = ctx.discovery_questions == 0 && ctx.earlier_learner_lines.iter().all(|l| !asks_discovery(l));
    // A traded gesture is negotiation once discovery is done; before, it is still too early.
    let traded_early = of(Act::ConditionalConcession).filter(|_| early);
    let unasked_discount = (!discount_asked).then(|| of(Act::Concession).or(traded_early)).flatten();
    let early_price = of(Act::PriceMention).filter(|_| early && !price_on_table);
    if let Some(s) = unasked_discount.or(early_price) {
        add(PatternId::PrematurePrice, &s, None);
    }
    if let Some(s) = of(Act::Concession) {
        add(PatternId::ConcessionWithoutCounterpart, &s, None);
    }
    // A gesture traded for a commitment, once discovery is done: the negotiator's craft.
    // Traded for a quick signature only, it is no fault and no craft either.
    let for_a_date = |s: &String| super::money::traded_for_a_date_only(&Normalized::new(s));
    if let Some(s) = of(Act::ConditionalConcession).filter(|s| !early && !for_a_date(s)) {
        add(PatternId::TradedConcession, &s, None);
    }
    if let Some(s) = of(Act::Denigration) {
        add(PatternId::CompetitorBashing, &s, None);
    }
    if reading.objection_live && !treated(reading, ctx) {
        add(PatternId::ObjectionIgnored, &first, None);
    }
    if let Some(s) = of(Act::Pressure) {
        add(PatternId::Pushy, &s, None);
    }
    if let Some(s) = of(Act::Pretext) {
        add(PatternId::FalsePretext, &s, None);
    }
    if let Some(s) = self_centred(reading, message, ctx) {
        add(PatternId::SelfCentered, &s, None);
    }
    let fillers = text.count_any(&LEX.fillers);
    if fillers >= 3 || (fillers >= 2 && reading.words <= 20) {
        add(PatternId::FillerWords, &first, Some(format!("{fillers} mots parasites")));
    }
    if let Some(wrong) = wrong_name {
        add(PatternId::WrongName, &wrong, None);
    }
    if let Some(s) = of(Act::Insult) {
        add(PatternId::AggressiveTone, &s, None);
    }
    found
}

/// Whether the learner dealt with the live objection in any way: acknowledged it, dug,
/// isolated it, answered it with a proof or an argument, or traded on it. Moving on to
/// something else ("bon, sinon…", "laissez-moi vous présenter…") is not dealing with it.
/// The first sentence that moves on: "Bon, sinon…", "Bref.", "Laissez-moi vous présenter…".
fn moving_on_at(reading: &TurnReading) -> Option<usize> {
    reading.sentences.iter().position(|sentence| {
        let s = Normalized::new(sentence);
        let start: String = s.words().take(4).collect::<Vec<_>>().join(" ");
        ["sinon", "bon sinon", "ok sinon", "bref", "passons", "revenons", "bon bref", "oui bon bref"]
            .iter()
            .any(|m| start == *m || start.starts_with(&format!("{m} ")))
            || s.find_any(&[
                "laissez moi vous presenter",
                "laissez moi vous montrer",
                "je vais juste vous montrer",
                "je vais vous montrer",
                "mais laissez moi",
            ])
            .is_some()
    })
}

/// Whether the turn, before it moves on (if it does), answers the objection on its point
/// or contradicts it head-on ("Justement, le déploiement est fait par nos équipes").
pub(super) fn answers_on_point(reading: &TurnReading, ctx: &TurnContext<'_>) -> bool {
    let before: Vec<&str> = reading.sentences[..moving_on_at(reading).unwrap_or(reading.sentences.len())]
        .iter()
        .map(String::as_str)
        .collect();
    if before.is_empty() {
        return false;
    }
    let objected = objected(ctx);
    let meets = meets_objection(&before, ctx);
    // A question on the objection's words digs (see the acts); a statement answers.
    let states = before.iter().any(|s| !s.contains('?') && Normalized::new(s).word_count() >= 6);
    // The prospect asked something ("comment ça a pu passer trois mois ?"): a statement of
    // substance answers it, whatever its words.
    let explains =
        objected.contains('?') && before.iter().any(|s| !s.contains('?') && Normalized::new(s).word_count() >= 12);
    (meets && states) || explains
}

fn treated(reading: &TurnReading, ctx: &TurnContext<'_>) -> bool {
    let joined = reading.sentences.join(" ");
    let whole = Normalized::new(&joined);
    if reading.is_empty_move() || reading.has(Act::BrushOff) {
        return false;
    }
    // Moving on after an answer on the point still answered it.
    if moving_on_at(reading).is_some() {
        return answers_on_point(reading, ctx);
    }
    // A pitch about oneself answers nothing, whatever proof it carries.
    let pitching = whole.count_any(&LEX.self_talk) >= 4 && reading.question.is_none() && !reading.has(Act::Empathy);
    if pitching {
        return false;
    }
    let strong = [
        Act::Empathy,
        Act::Reformulation,
        Act::ObjectionDig,
        Act::ObjectionNeutralize,
        Act::ObjectionZoom,
        Act::ListeningPrompt,
        Act::Proof,
        Act::Benefit,
        Act::ConditionalConcession,
    ];
    if strong.iter().any(|a| reading.has(*a)) {
        return true;
    }
    // A step or a closing that brings terms shaped for the objection ("un pilote… juste
    // après la paie de juin", "si je décale le paiement…, vous signez ?") answers it; a bare
    // request ("vous pouvez me donner son numéro ?") walks past it.
    let shaped = whole
        .find_any(&[
            "je vous propose",
            "je propose",
            "si vous",
            "si je",
            "si on",
            "pilote",
            "essai",
            "garantie",
            "apres",
            "a partir de",
        ])
        .is_some();
    if shaped && (reading.has(Act::Closing) || reading.has(Act::NextStep)) {
        return true;
    }
    let sentences: Vec<&str> = reading.sentences.iter().map(String::as_str).collect();
    meets_objection(&sentences, ctx) || (reading.has(Act::Acknowledgement) && reading.question.is_none())
}

/// What the prospect objected: the live objection, else their last line.
fn objected<'a>(ctx: &TurnContext<'a>) -> &'a str {
    if ctx.live_objection.is_empty() { ctx.previous_prospect_line } else { ctx.live_objection }
}

/// Whether sentences answer on the very point objected to, or contradict it head-on.
fn meets_objection(sentences: &[&str], ctx: &TurnContext<'_>) -> bool {
    let objection = super::topics::stems_of([objected(ctx)]);
    let answer = super::topics::stems_of(sentences.iter().copied());
    let on_point = objection.iter().filter(|s| s.chars().count() >= 4).any(|s| answer.contains(s));
    let rebuttal = Normalized::new(&sentences.join(" "))
        .find_any(&[
            "justement",
            "au contraire",
            "pas du tout",
            "aucun",
            "aucune",
            "a notre charge",
            "sans engagement",
            "sans frais",
        ])
        .is_some();
    on_point || rebuttal
}

fn asks_discovery(line: &str) -> bool {
    line.contains('?') || Normalized::new(line).find_any(&LEX.tell_me).is_some()
}

/// The sentence of the reading that holds a slice of `message`.
fn sentence_with(reading: &TurnReading, message: &str, hit: &str) -> Option<String> {
    let hit_norm = normalize(hit);
    reading.sentences.iter().find(|s| normalize(s).contains(&hit_norm)).cloned().or_else(|| {
        let spans = super::evidence::sentences(message);
        let at = (hit.as_ptr() as usize).saturating_sub(message.as_ptr() as usize);
        super::evidence::sentence_at(&spans, at).map(|i| super::evidence::quote(message, spans[i]))
    })
}

fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && word.chars().any(char::is_uppercase)
}

/// The sentence piling up three or more acronyms and anglicisms, if any.
fn jargon(reading: &TurnReading, message: &str, ctx: &TurnContext<'_>) -> Option<String> {
    // The prospect's own terms ("notre revenue manager", "le DAF") are shared language.
    let heard: std::collections::BTreeSet<String> = ctx
        .earlier_prospect_lines
        .iter()
        .map(String::as_str)
        .chain([ctx.previous_prospect_line])
        .flat_map(|l| Normalized::new(l).words().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let kept: Vec<&str> = message
        .split_whitespace()
        .filter(|w| {
            let word = crate::text::normalize(w.trim_matches(|c: char| !c.is_alphanumeric()));
            word.is_empty() || !heard.contains(&word)
        })
        .collect();
    let message = kept.join(" ");
    let message = message.as_str();
    let acronyms =
        message.split(|c: char| !c.is_alphanumeric()).filter(|w| is_acronym(w) && !LEX.known_acronyms.has(w)).count();
    let text = Normalized::new(message);
    let anglicisms = text.count_any(&LEX.anglicisms);
    let acronyms_as_words = text.words().filter(|w| LEX.anglicisms.has(w)).count();
    let total = acronyms + anglicisms - acronyms.min(acronyms_as_words.min(anglicisms));
    (total >= 3).then(|| {
        reading
            .sentences
            .iter()
            .max_by_key(|s| Normalized::new(s).count_any(&LEX.anglicisms))
            .cloned()
            .unwrap_or_default()
    })
}

fn self_centred(reading: &TurnReading, message: &str, ctx: &TurnContext<'_>) -> Option<String> {
    let text = Normalized::new(message);
    // Owning up to a mistake speaks of oneself by nature: "nous avons commis une erreur",
    // "je vous présente nos excuses".
    if super::acts::owns_up(&text) {
        return None;
    }
    // A commitment the seller takes for the prospect ("nous remboursons l'écart, nous
    // prenons le risque") speaks of the seller for the prospect's sake.
    let committing = text
        .find_any(&[
            "nous vous remboursons",
            "on vous rembourse",
            "je vous rembourse",
            "nous remboursons l ecart",
            "nous remboursons la difference",
            "on rembourse l ecart",
            "on rembourse la difference",
            "nous prenons le risque",
            "on prend le risque",
            "je prends le risque",
            "nous nous engageons",
            "on s engage",
            "je m engage",
            "nous garantissons",
            "on garantit",
            "je garantis",
        ])
        .is_some();
    if committing {
        return None;
    }
    // The offer presented before a single discovery question: the pitch comes first.
    let pitch = [
        "notre solution",
        "nos solutions",
        "notre offre",
        "notre outil",
        "notre plateforme",
        "notre logiciel",
        "notre produit",
        "une solution tout en un",
        "c est une solution",
        "une solution complete",
        "notre application",
        "notre appli",
        "nos modules",
        "nouveaux modules",
        "on accompagne",
        "nous accompagnons",
        "je vous presente",
        "laissez moi vous presenter",
        "je vais vous presenter",
        "je voudrais vous presenter",
        "pour vous presenter",
    ];
    // Or the offer pitched at the first pain heard, asking nothing ("c'est exactement ce
    // que notre logiciel règle…" after one question).
    let first_pain = ctx.discovery_questions <= 1 && reading.question.is_none();
    if (ctx.discovery_questions == 0 || first_pain) && text.find_any(&pitch).is_some() {
        let sentence = reading.sentences.iter().find(|s| Normalized::new(s).find_any(&pitch).is_some());
        return sentence.cloned();
    }
    // "On a deux centres…", "chez nous": the seller's company speaking of itself.
    let we = text.count_any(&["on a", "on est", "on vient", "on fait", "on propose", "on travaille", "chez nous"]);
    let me = text.count_any(&LEX.self_talk) + we;
    let you = text.count_any(&LEX.you);
    // Four or more about oneself for two about the prospect, or three with hardly a "vous".
    (me >= 4 && me > 2 * you || me >= 3 && you <= 1 && reading.question.is_none()).then(|| {
        reading
            .sentences
            .iter()
            .max_by_key(|s| Normalized::new(s).count_any(&LEX.self_talk))
            .cloned()
            .unwrap_or_default()
    })
}
