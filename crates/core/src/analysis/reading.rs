//! The reading of a learner turn (issue 12): its sentences, what each does (dialogue
//! acts), what it is about (targets), whether it is relevant and whether it is new. The
//! patterns of the report are judgements on this reading (see `patterns`).

use std::collections::BTreeSet;

use super::TurnContext;
use super::acts::{self, is_closing, is_denigration, is_insult, is_proof, is_word_salad, politeness_only};
use super::dates::{date_spans, is_dated, names_a_period};
use super::evidence::{self, Span};
use super::lexicon::*;
use super::money::{concession, mentions_price};
use super::novelty;
pub(super) use super::surface::starts_with_acknowledgement;
use super::surface::{names_anyone, on_their_situation, question_kind, restatement_after, restates, unquoted};
use super::topics::{self, Stemmed, overlap};
use crate::text::{Normalized, normalize};

use super::turn_reading::is_question_word;
pub use super::turn_reading::{Act, ActIn, QuestionKind, TurnReading};

/// One sentence, normalised and stemmed, with what the reading needs to know of it.
pub(super) struct Sentence<'a> {
    pub(super) text: Normalized<'a>,
    pub(super) stemmed: Stemmed,
    pub(super) question: bool,
    pub(super) open: bool,
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
    // What the prospect said lately (and the opening, which often objects): what a learner
    // can say back, quote or parrot. Bounded, so a long call reads as fast as a short one.
    let earlier_prospect = ctx.earlier_prospect_lines;
    let recent = earlier_prospect.len().saturating_sub(4).max(1).min(earlier_prospect.len());
    let prospect_lines: Vec<Normalized<'_>> = earlier_prospect
        .iter()
        .take(1)
        .chain(&earlier_prospect[recent..])
        .map(String::as_str)
        .chain([ctx.previous_prospect_line, ctx.live_objection])
        .filter(|l| !l.is_empty())
        .map(Normalized::new)
        .collect();
    let objected: BTreeSet<String> =
        if ctx.live_objection.is_empty() { previous.clone() } else { topics::stems_of([ctx.live_objection]) };
    let live = ctx.previous_was_objection;
    let turn_echoes_objection = live && overlap(&whole_stems, &objected) >= 1;
    let asks = sentences.iter().any(|s| s.question);
    let salad = is_word_salad(&whole);
    // Asked to settle now ("soit on boucle maintenant"), "vous signez aujourd'hui" takes
    // the prospect at their word (see the pressure below).
    let invited_to_settle = super::asks_to_settle(ctx.previous_prospect_line);

    // A date given in a statement, then agreed to in a short question ("Disons le lundi 3
    // février. Ça vous va ?"): a step proposed across two sentences.
    let owned_up = sentences.iter().any(|s| acts::owns_up(&s.text));
    let mut dated_statement: Option<usize> = None;
    let mut agreement_asked = false;
    for (i, s) in sentences.iter().enumerate() {
        let t = &s.text;
        let first = t.words().next().unwrap_or("");
        if s.question {
            add(if s.open { Act::OpenQuestion } else { Act::ClosedQuestion }, i);
        }
        // Listening.
        let prompt = t.find_any(&LEX.listening_prompts).is_some() && t.word_count() <= 16;
        let echoes = overlap(&s.stemmed, &previous);
        let acknowledged = starts_with_acknowledgement(t);
        let after_ack = i > 0 && sentences.get(i - 1).is_some_and(|p| starts_with_acknowledgement(&p.text));
        if acknowledged {
            add(Act::Acknowledgement, i);
        }
        let proposing = (t.find_any(&LEX.next_step).is_some() && is_dated(t)) || t.find_any(&LEX.closing).is_some();
        // "Pas la priorité… par rapport à quoi ?": the prospect's words echoed, then a question.
        let after_echo = i > 0
            && sentences.get(i - 1).is_some_and(|p| p.text.word_count() <= 8 && overlap(&p.stemmed, &previous) >= 1);
        let short_echo = echoes >= 1 && t.word_count() <= 10;
        // « Quand ils se font » ? — their words in quotation marks, asked about.
        let quoted = {
            let inside = super::surface::quoted(t.original());
            !inside.trim().is_empty() && topics::stems_of([inside.as_str()]).iter().any(|w| prospect_said.contains(w))
        };
        // Their word thrown back in mockery ("Trente-six mois, trop long…") listens to nothing.
        let mocking = is_insult(t) || i > 0 && is_insult(&sentences[i - 1].text);
        if s.question
            && !proposing
            && !mocking
            && (prompt
                || echoes >= 2
                || short_echo
                || after_echo
                || quoted
                || (echoes >= 1 && (acknowledged || after_ack)))
        {
            add(Act::ListeningPrompt, i);
        }
        let restated = overlap(&s.stemmed, &prospect_said);
        let content = s.stemmed.content().len().max(1);
        // With a formula ("si je comprends bien…"), what follows must restate something:
        // the prospect's words, or a statement of its own once the prospect has spoken.
        let formula = t.find_any(&LEX.reformulation).map(|hit| restatement_after(t, hit));
        let prospect_spoke = prospect_said.len() >= 3;
        let summing_up = t.find_any(&["ce que vous m avez dit", "si je recapitule", "si je resume", "pour resumer"]);
        // "Ce qui est important pour vous, c'est la sécurité", with none of the prospect's
        // words: a stock phrase that fits any call, not what this prospect said.
        let canned_priority = t
            .find_any(&[
                "ce qui est important pour vous",
                "ce qui compte pour vous",
                "ce qui vous importe",
                "vous voulez etre",
            ])
            .is_some();
        let with_formula = formula.is_some_and(|(words, asks)| {
            restated >= 2
                || (prospect_spoke && !asks && restated >= 1 && words >= 2)
                || (prospect_spoke && !asks && !s.question && words >= 2 && !canned_priority)
                || (summing_up.is_some() && words >= 4)
        });
        // A restatement needs no formula when most of it is the prospect's own content
        // (unless the sentence is an argument or empathy that happens to use their words).
        let arguing = t.find_any(&LEX.benefit).is_some() || t.find_any(&LEX.empathy).is_some();
        // Without a formula, a question that reuses the prospect's words asks; it does not
        // restate ("Vous avez un budget prévu pour ce projet ?").
        // "Je vous envoie la confirmation" to "envoyez-moi la confirmation" agrees to a
        // request; it restates nothing.
        let complying = t.find_any(&["je vous envoie", "je vous l envoie", "je vous fais parvenir"]).is_some();
        let echoing =
            restated >= 3 && restated * 100 >= content * 35 && !s.question && !arguing && !complying && !proposing;
        // "Donc, vous voyez l'intérêt d'un outil comme le nôtre ?" asks for a yes to the
        // offer; it restates nothing the prospect said.
        let about_the_offer = s.question
            && t.find_any(&["le notre", "la notre", "les notres", "notre solution", "notre outil", "notre offre"])
                .is_some();
        let plain = !arguing && !complying && !proposing && prospect_spoke && restated >= 2;
        let summed = plain && !s.question && super::restating::sums_up(t);
        let their_view = plain && super::restating::their_view(t, s.question);
        let own_pitch = super::restating::own_pitch(t);
        let restates_them = (with_formula || echoing || summed || their_view) && !about_the_offer && !own_pitch;
        if restates_them {
            add(Act::Reformulation, i);
        }
        // "si je comprends bien" is not empathy; "je comprends" alone is.
        let understood = t.count_any(&["je comprends", "je vous comprends"]);
        let reformulation_phrases = t.count_any(&["si je comprends", "si je vous comprends", "ce que je comprends"]);
        let empathic = t.find_any(&LEX.empathy).is_some_and(|hit| {
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
        let piled_jargon = t.words().filter(|w| LEX.anglicisms.has(w)).count() >= 3;
        // "Vos assistantes n'ont plus rien à ressaisir": a pain that ends, for them.
        let pain_ends = !s.question && {
            let w: Vec<&str> = t.words().collect();
            w.windows(4).any(|x| matches!(x[0], "ne" | "n") && x[1..].contains(&"plus"))
        };
        // A question asks; it argues nothing and proves nothing. Nor does the logistics of a
        // step ("je vous envoie la confirmation avec un ordre du jour que vous pourrez amender").
        let logistics = t
            .find_any(&[
                "je vous envoie",
                "confirmation",
                "ordre du jour",
                "invitation",
                "recapitulatif",
                "compte rendu",
            ])
            .is_some();
        let gains = !s.question && !mentions_price(t) && super::restating::states_a_gain(t);
        if (t.find_any(&LEX.benefit).is_some() || pain_ends || gains)
            && !asking_about_them
            && !s.question
            && for_them
            && !piled_jargon
            && !logistics
        {
            add(Act::Benefit, i);
        }
        // A reference asked for in return ("en échange vous acceptez un témoignage client",
        // "qu'on puisse citer Orsenne comme référence") proves nothing yet.
        let asked_in_return = t
            .find_any(&[
                "en echange",
                "en contrepartie",
                "vous acceptez",
                "vous acceptiez",
                "comme reference",
                "qu on puisse citer",
                "que l on puisse citer",
                "nous citer",
            ])
            .is_some();
        if is_proof(ctx, s) && !s.question && !asked_in_return {
            add(Act::Proof, i);
        }

        // Objections (CNZ), only with an objection on the table.
        if live {
            let on_the_table = super::cnz::OnTheTable { objected: &objected, echoed: turn_echoes_objection };
            for act in super::cnz::objection_acts(ctx, &sentences, i, &on_the_table) {
                add(act, i);
            }
        }

        // Moving forward.
        let question_near = s.question || sentences.get(i + 1).is_some_and(|n| n.question);
        let aside = t.find_any(&LEX.columbo_aside).is_some() && whole.find_any(&LEX.leaving).is_some();
        if (t.find_any(&LEX.columbo).is_some() || aside) && question_near {
            add(Act::Columbo, i);
        }
        // "C'est le bon moment pour signer. Vous êtes d'accord ?": the decision asked in a
        // statement, then put to the prospect in a short question.
        let put_to_them = !s.question
            && sentences.get(i + 1).is_some_and(|n| n.question && n.text.word_count() <= 6)
            && t.find_any(&LEX.closing).is_some();
        if is_closing(s) || put_to_them {
            add(Act::Closing, i);
        }
        // "On fixe la démo mardi 14 à 10 h ?", or just "mardi 14 à 10 h, d'accord ?".
        let agreeing = s.question
            && t.find_any(&[
                "d accord",
                "ca vous va",
                "ca vous convient",
                "ok pour vous",
                "ca marche",
                "ca vous arrange",
                "vous arrange",
                "vous convient le mieux",
                "ca irait",
                "c est jouable",
                "jouable",
                "c est possible",
                "ca vous irait",
                "vous preferez",
            ])
            .is_some();
        // The date must be the learner's: "le comité se réunit le premier mardi du mois",
        // said back to the prospect, proposes nothing.
        // (A date the learner gives is a date: `own_date` implies `is_dated`.)
        let dates = date_spans(t);
        // "Jeudi dans l'après-midi": a day with a part of it, no time, is no appointment yet.
        let loose_day = !dates.iter().any(|d| d.chars().any(|c| c.is_ascii_digit()))
            && t.find_any(&["apres midi", "dans la matinee", "en matinee", "en fin de journee", "en debut de journee"])
                .is_some();
        let own_date = !loose_day && dates.iter().any(|span| prospect_lines.iter().all(|l| l.find(span).is_none()));
        // A step in a period ("courant février", "la semaine prochaine") has no date.
        let period = names_a_period(t) || loose_day;
        // "Depuis la démo de décembre, qu'est-ce qui vous a fait réfléchir ?" asks; it
        // proposes nothing.
        let asking_back = s.question && s.open && t.find_any(&["depuis", "qu est ce qui", "qu est ce que"]).is_some();
        // "Au comité de juin, qui aura le dernier mot ?" asks who; it proposes nothing.
        let asking_who = s.question && super::dates::asks_who_not_when(t);
        let step_in_a_period =
            (t.find_any(&LEX.next_step).is_some() || agreeing) && period && !asking_back && !asking_who;
        let (restating, restating_vaguely) = restates(t, s.question);
        // A date the prospect gave, said back, does not make the step precise.
        if ((t.find_any(&LEX.vague_step).is_some() && !asking_back) || step_in_a_period)
            && !own_date
            && !restating_vaguely
            && !restates_them
        {
            add(Act::VagueStep, i);
        }
        // Slots offered as a short question ("Le mardi 18 à 14h, ou le jeudi 20 à 9h ?").
        let asks_info = t
            .words()
            .any(|w| (is_question_word(w) && !matches!(w, "lequel" | "laquelle")) || matches!(w, "qui" | "qu" | "si"))
            || t.original().to_lowercase().contains("où");
        // "Mardi 14 à 10h, ou jeudi 16 à 14h, qu'est-ce qui l'arrange le mieux ?": two dates
        // to choose from make a step, whatever the question's words.
        let either_dates = t.words().any(|w| w == "ou") && dates.len() >= 2;
        let slots = s.question && ((t.word_count() <= 14 && !asks_info) || either_dates);
        // "Vous les aviez redémarrés, samedi ?" asks about the past.
        let past = t.contains("vous avez") || t.words().any(|w| matches!(w, "aviez" | "etiez" | "etait" | "avait"));
        // The prospect's own date taken up for a step the learner offers ("le jeudi 12, je
        // pourrais venir présenter Relève à vos confrères ?") is a step all the same.
        let taking_their_date = !own_date
            && t.find_any(&[
                "je pourrais venir",
                "je peux venir",
                "je viens",
                "je viendrai",
                "je viendrais",
                "je passe",
            ])
            .is_some()
            && dates.iter().any(|span| span.chars().any(|c| c.is_ascii_digit()));
        // The date the prospect just asked for, given ("Lundi 2 février, 9 h, une demi-heure.").
        let date_asked = Normalized::new(ctx.previous_prospect_line)
            .find_any(&["quel jour", "date precise", "un creneau", "quelle date", "donnez moi une date"])
            .is_some();
        let step_asked =
            (t.find_any(&LEX.next_step).is_some() || agreeing || slots || date_asked) && !past && !restating;
        if step_asked && (own_date || taking_their_date) {
            add(Act::NextStep, i);
        }
        if own_date && !s.question && !past {
            dated_statement.get_or_insert(i);
        }
        agreement_asked |= agreeing && t.word_count() <= 8;

        // Money.
        // The amounts of an error owned up to are the damage, not a price: "l'erreur sur la
        // prévoyance : 7 euros par cadre et par mois, sur trois mois", said in the same
        // sentence or after "nous avons commis une erreur" earlier in the turn.
        let damage = owned_up
            || t.find_any(&["erreur", "regularisation", "regulariser", "non preleves", "non prelevee", "trop percu"])
                .is_some();
        // Gestures and faults, on the learner's own words: what they quote of the prospect
        // (« … », "à moitié prix") is not theirs.
        let quoting = t.original().contains(['«', '“', '"']);
        let own_words = if quoting { unquoted(t.original()) } else { String::new() };
        let own = if quoting { Normalized::new(&own_words) } else { t.clone() };
        if mentions_price(t) && !damage {
            add(Act::PriceMention, i);
        }
        if let Some(conditional) = concession(&own) {
            add(if conditional { Act::ConditionalConcession } else { Act::Concession }, i);
        }
        let t = &own;
        // "Finalcad ? C'est lent, et leur appli plante.": the rival named just before.
        let named_before = i > 0
            && sentences[i - 1].text.word_count() <= 4
            && acts::names_rival(ctx, &sentences[i - 1].text)
            && t.find_any(&LEX.put_downs).is_some();
        if is_denigration(ctx, t, s.question) || named_before {
            add(Act::Denigration, i);
        }
        if super::pressure::presses(ctx, t, s.question, invited_to_settle) {
            add(Act::Pressure, i);
        }
        // "On m'a dit qu'il y avait eu un souci" reports what is known of the prospect's
        // situation; it claims nobody's word.
        if acts::lies_to_get_through(ctx, t) {
            add(Act::Pretext, i);
        }
        if acts::cuts_in(first, t, ctx.previous_prospect_line) || t.find_any(&LEX.interruption[2..]).is_some() {
            add(Act::Interruption, i);
        }
        if is_insult(t) {
            add(Act::Insult, i);
        }
        if crate::end::is_farewell_sentence(t) {
            add(Act::Farewell, i);
        }
    }
    // Techniques named, quoted or parroted rather than used earn nothing.
    let mut hollow: Vec<super::hollow::Hollow> =
        sentences.iter().map(|s| super::hollow::hollow(&s.text, &prospect_lines)).collect();
    // A method named to the prospect ("creusons, neutralisons") taints the whole turn: the
    // techniques around it are recited, not used.
    // The three letters of BAC said as labels across the turn ("Caractéristique, … ;
    // Avantage, … ; Bénéfice, …").
    let bac_labels = ["caracteristique", "avantage", "benefice"].iter().all(|w| whole.words().any(|x| x == *w));
    let named_at = hollow.iter().position(|h| h.method_talk).or_else(|| bac_labels.then_some(0));
    let method_talk = named_at.is_some();
    // A few of their words taken up, then a question of the learner's own ("De 41 000 à
    // 98 000 euros… Et ça, concrètement, ça se traduit comment ?") is an echo that invites
    // them on (METHODS: écoute active), not their sentence said back.
    let echo_then_asks = |i: usize| {
        sentences[i].text.word_count() <= 12
            && sentences.iter().zip(&hollow).skip(i + 1).any(|(s, h)| s.question && !h.parroting)
    };
    let echoes: Vec<usize> = (0..hollow.len()).filter(|i| hollow[*i].parroting && echo_then_asks(*i)).collect();
    for i in echoes {
        hollow[i].parroting = false;
    }
    let parroted = hollow.iter().position(|h| h.parroting);
    let parrots = parroted.is_some();
    // Four question words in the questions of one turn, or a recited list asked as a
    // question: a volley, none of whose questions earns credit.
    let interrogatives: usize =
        sentences.iter().filter(|s| s.question).map(|s| super::asks::interrogatives(&s.text)).sum();
    if let Some(i) = dated_statement.filter(|_| agreement_asked) {
        add(Act::NextStep, i);
    }
    let volley = interrogatives >= 4
        || sentences.iter().zip(&hollow).any(|(s, h)| s.question && h.listing && interrogatives >= 1);
    acts.retain(|a| {
        let h = &hollow[a.sentence];
        let named = method_talk && (a.act.is_technique() || a.act == Act::OpenQuestion);
        let recited = h.listing && (a.act.is_technique() || a.act == Act::OpenQuestion);
        let canned = (h.canned_objection || h.brush_off) && a.act == Act::ObjectionDig;
        let parroted = h.parroting && a.act == Act::Reformulation;
        let fired = volley && (a.act.is_technique() || a.act == Act::OpenQuestion);
        !(named || canned || parroted || recited || fired)
    });
    // A sentence said again word for word ("Je comprends tout à fait.", "Qu'est-ce qui est le
    // plus important pour vous ?" at every turn) is a tic: it earns nothing the second time.
    let said_before = novelty::sentences_said_before(ctx.earlier_learner_lines, &sentences);
    // Stock formulas piled up turn after turn ("Si je comprends bien… Racontez-moi… Qu'est-ce
    // qui vous fait dire ça ?") are recited: no technique is credited on them.
    let recited = novelty::recites_formulas(ctx.earlier_learner_lines, &whole);
    acts.retain(|a| {
        !((said_before[a.sentence] || recited)
            && (a.act.is_technique() || matches!(a.act, Act::OpenQuestion | Act::Columbo)))
    });
    // An objection brushed aside ("ce n'est pas un problème, ils ont tous un smartphone")
    // is not treated, whatever question follows.
    // "Je comprends. Mais avant de parler tarif : qu'est-ce qui vous fait dire que c'est
    // cher ?": a soft "mais" that leads to digging the objection dismisses nothing.
    let dismissal = sentences.iter().position(|s| s.text.find_any(&LEX.dismissal).is_some()).filter(|&i| {
        let t = &sentences[i].text;
        let soft =
            t.find_any(&["je comprends mais", "je vous comprends mais"]).is_some() && t.count_any(&LEX.dismissal) == 1;
        !(soft && acts.iter().any(|a| a.act == Act::ObjectionDig && a.sentence >= i))
    });
    if let Some(i) = dismissal.filter(|_| live) {
        acts.retain(|a| {
            !matches!(
                a.act,
                Act::ObjectionDig | Act::ObjectionNeutralize | Act::ObjectionZoom | Act::Empathy | Act::Reformulation
            )
        });
        if !acts.iter().any(|a| a.act == Act::BrushOff) {
            acts.push(ActIn { act: Act::BrushOff, sentence: i });
        }
    }
    if let Some(i) =
        hollow.iter().position(|h| h.brush_off).filter(|_| live && !acts.iter().any(|a| a.act == Act::BrushOff))
    {
        acts.push(ActIn { act: Act::BrushOff, sentence: i });
    }
    // A gesture in one sentence, its counterpart in another of the turn ("Je peux reporter
    // la mise en place. En contrepartie, je vous demande 36 mois."): traded.
    if acts.iter().any(|a| a.act == Act::Concession)
        && sentences.iter().any(|s| super::money::states_counterpart(&s.text))
    {
        for a in acts.iter_mut().filter(|a| a.act == Act::Concession) {
            a.act = Act::ConditionalConcession;
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
        .filter(|(_, s)| on_their_situation(&s.text))
        .find_map(|(_, s)| {
            let fact = ctx.topics.and_then(|t| {
                topics::targets(t, &s.stemmed)
                    .into_iter()
                    .find(|x| x.kind == topics::TargetKind::Fact)
                    .and_then(|x| t.fact_items.get(x.index).cloned())
            });
            fact.or_else(|| topics::discovery_item(&s.stemmed).map(str::to_owned))
        });
    // The learner's earlier lines, read once: for repetition and for what the
    // conversation is about.
    let earlier: Vec<(Normalized<'_>, std::rc::Rc<Stemmed>)> =
        ctx.earlier_learner_lines.iter().map(|l| (Normalized::new(l), Stemmed::of_line(l))).collect();
    let repeats = novelty::repeated_line(&earlier, &whole_stems, &whole)
        .or_else(|| novelty::repeated_frame(&earlier, &whole_stems, &prospect_said));

    let conversation: BTreeSet<String> = prospect_said
        .iter()
        .cloned()
        .chain(earlier.iter().flat_map(|(_, s)| s.content().into_iter().map(str::to_owned)))
        .collect();
    let content = whole_stems.content().len();
    let known = topics::known_stems(ctx.topics, &conversation, &whole_stems);
    let (small_talk, other_offer) = super::restating::chat(ctx, &whole);
    let chatting = content >= 4 && (small_talk >= 2 || ((small_talk == 1 || other_offer) && known * 2 <= content));
    // Without a scenario to compare with, only salad and small talk can be called off topic.
    // A line that manages the conversation (empathy, isolating an objection, a next step…)
    // is about the conversation even when it names nothing of the scenario.
    let conversational = acts.iter().any(|a| {
        matches!(
            a.act,
            Act::Empathy
                | Act::ObjectionDig
                | Act::ObjectionNeutralize
                | Act::ObjectionZoom
                | Act::Reformulation
                | Act::ListeningPrompt
                | Act::Closing
                | Act::NextStep
                | Act::Columbo
                | Act::Farewell
        )
    });
    let unrelated = ctx.topics.is_some()
        && content >= 4
        && known == 0
        && targets.is_empty()
        && !conversational
        // A discovery question ("qui d'autre aura son mot à dire ?") is about the prospect's
        // situation, whatever words it uses.
        && discovery_item.is_none()
        && !names_anyone(ctx, &whole);
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
        volley,
        answers_objection: false,
        parrots,
        parroted,
        names_method: named_at,
    }
}
