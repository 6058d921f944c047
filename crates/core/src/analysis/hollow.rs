//! Techniques done only in name (issue 12: relevance): the methods' words said instead of
//! used, an objection quoted that nobody raised, a brush-off, the prospect's sentence said
//! back, a checklist recited. A hollow sentence earns none of the techniques it names.

use super::lexicon::*;
use crate::text::Normalized;

/// What a sentence does only in name, so that it earns none of the techniques it names:
/// the methods' words said instead of used ("l'avantage de la caractéristique", "je
/// zoome sur vos enjeux"), an objection quoted that the prospect never raised ("trop cher
/// par rapport à quoi ?" when nobody spoke of price), a brush-off ("Quelle inquiétude ?"),
/// or the prospect's sentence said back word for word.
pub(super) struct Hollow {
    pub(super) method_talk: bool,
    pub(super) canned_objection: bool,
    pub(super) brush_off: bool,
    pub(super) parroting: bool,
    /// A string of short items ("votre ressenti, vos équipes, l'humain, la confiance",
    /// "vos enjeux, votre budget, votre échéance, qui décide"): a checklist recited.
    pub(super) listing: bool,
}

pub(super) fn hollow(t: &Normalized<'_>, prospect_lines: &[Normalized<'_>]) -> Hollow {
    // A proof announced by its label alone ("Preuve : étude de cas").
    let proof_label = t.as_str().starts_with("preuve ") && t.word_count() <= 6;
    let method_talk = t.find_any(&LEX.method_talk).is_some() || proof_label;
    // The prospect's objection put in other words ("ça fait cher" → "c'est cher") is
    // theirs: a cue is canned only when its content words were never said.
    let theirs = |cue: &str| {
        prospect_lines.iter().any(|p| {
            p.contains(cue)
                || (cue.split(' ').any(is_content_word)
                    && cue.split(' ').filter(|w| is_content_word(w)).all(|w| p.words().any(|pw| pw == w)))
        })
    };
    let canned_objection = super::OBJECTION_CUES.iter().filter(|cue| t.contains(cue)).any(|cue| !theirs(cue));
    let brush_off = t.word_count() <= 4
        && t.find_any(&[
            "quelle inquietude",
            "quelle objection",
            "quelle question",
            "quel probleme",
            "quel souci",
            "quelle crainte",
        ])
        .is_some();
    // Persons are swapped when words are said back ("je n'ai rien à vous dire" – "vous
    // n'avez rien à me dire"): compared with every person as one.
    fn person(w: &str) -> &str {
        match w {
            "je" | "j" | "vous" | "me" | "m" | "moi" | "nous" | "tu" | "te" | "t" | "toi" => "·p",
            "mon" | "ma" | "mes" | "votre" | "vos" | "notre" | "nos" | "ton" | "ta" | "tes" => "·d",
            other => other,
        }
    }
    let words: Vec<&str> = t.words().map(person).collect();
    // Said back word for word: a long run of the prospect's words, or most of the sentence
    // made of runs of them ("Si je comprends bien, Olivier n'aime pas les conflits de famille
    // et si Laurent s'oppose franchement il repoussera le sujet").
    let parroting = prospect_lines.iter().any(|p| {
        let theirs: Vec<&str> = p.words().map(person).collect();
        let run = longest_common_run(&words, &theirs);
        run >= 12 || (run >= 8 && run * 100 >= words.len() * 80) || {
            // The frame ("si je comprends bien") is the learner's; the rest is said back. A
            // summary ("si je résume", "donc :") may take the prospect's words.
            // ("D'accord, donc…": the acknowledgement before "donc" changes nothing.)
            let summary = words.starts_with(&["si", "·p", "resume"]) || words.iter().take(3).any(|w| *w == "donc");
            let said = &words[frame_words(&words)..];
            let covered = covered_by_runs(said, &theirs, 3);
            !summary && covered >= 6 && covered * 100 >= said.len() * 70
        }
    });
    let listing = is_listing(t.original());
    Hollow { method_talk, canned_objection, brush_off, parroting, listing }
}

/// Whether a sentence recites a list: four items or more in a row, each of one to three
/// words with a word of substance and no name ("vos enjeux, votre budget, votre échéance,
/// qui décide"), not a greeting ("Bonjour Madame Quilliot, Thomas Leroux, de Réflexe") nor
/// asides ("Ah, au fait, juste par curiosité").
fn is_listing(sentence: &str) -> bool {
    let mut run = 0;
    let mut longest = 0;
    for (i, part) in sentence.split([',', ':', ';', '…']).enumerate() {
        let words: Vec<&str> = part.split_whitespace().collect();
        let named = words.iter().enumerate().any(|(j, w)| {
            (i > 0 || j > 0) && w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1
        });
        let normalized = crate::text::Normalized::new(part);
        let substance = normalized.words().any(|w| super::lexicon::is_content_word(w) && !LEX.fillers.has(w));
        let aside = normalized
            .find_any(&[
                "au fait",
                "par curiosite",
                "juste",
                "pardon",
                "allez y",
                "bonjour",
                "merci",
                "voila",
                "en fait",
            ])
            .is_some();
        if (1..=3).contains(&words.len()) && substance && !named && !aside {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    // "Vos enjeux, vos impacts, vos conséquences et vos résultats attendus": abstract
    // nouns in a row, recited whatever their number.
    let abstract_nouns = crate::text::Normalized::new(sentence)
        .words()
        .filter(|w| {
            matches!(
                *w,
                "enjeux"
                    | "impacts"
                    | "consequences"
                    | "resultats"
                    | "objectifs"
                    | "besoins"
                    | "attentes"
                    | "douleurs"
                    | "motivations"
                    | "freins"
                    | "irritants"
                    | "priorites"
                    | "benefices"
                    | "avantages"
                    | "caracteristiques"
            )
        })
        .count();
    longest >= 4 || abstract_nouns >= 3
}

/// How many words at the start of a sentence frame a restatement ("si je comprends bien",
/// "donc").
fn frame_words(words: &[&str]) -> usize {
    const FRAMES: &[&[&str]] = &[
        // Persons as `hollow` compares them.
        &["si", "·p", "comprends", "bien"],
        &["si", "·p", "·p", "suis", "bien"],
        &["si", "·p", "resume"],
        &["si", "·p", "reformule", "bien"],
        &["si", "·p", "reformule"],
        &["autrement", "dit"],
        &["en", "fait"],
        &["·p", "dites", "que"],
        &["donc"],
    ];
    FRAMES.iter().find(|f| words.starts_with(f)).map_or(0, |f| f.len())
}

/// How many words of `a` lie in runs of at least `min_run` words that `b` also says in
/// the same order (each run found once, longest first).
fn covered_by_runs(a: &[&str], b: &[&str], min_run: usize) -> usize {
    let mut taken = vec![false; a.len()];
    let mut covered = 0;
    loop {
        // The longest run of still uncovered words of `a` found in `b`.
        let mut best = (0, 0);
        let mut previous = vec![0usize; b.len() + 1];
        for (i, x) in a.iter().enumerate() {
            let mut current = vec![0usize; b.len() + 1];
            if !taken[i] {
                for (j, y) in b.iter().enumerate() {
                    if x == y {
                        current[j + 1] = previous[j] + 1;
                        if current[j + 1] > best.0 {
                            best = (current[j + 1], i + 1);
                        }
                    }
                }
            }
            previous = current;
        }
        let (len, end) = best;
        if len < min_run {
            return covered;
        }
        taken[end - len..end].iter_mut().for_each(|t| *t = true);
        covered += len;
    }
}

/// The length of the longest run of words two texts share, in order.
fn longest_common_run(a: &[&str], b: &[&str]) -> usize {
    let mut best = 0;
    let mut previous = vec![0usize; b.len() + 1];
    for x in a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                current[j + 1] = previous[j] + 1;
                best = best.max(current[j + 1]);
            }
        }
        previous = current;
    }
    best
}
