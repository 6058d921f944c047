//! What the prospect picks out of the learner's words to answer them in kind: the slots
//! offered, the figure of an offer, a pleasantry, a question about the day agreed, a
//! practical either-or, and what kind of step is asked for (a signature, a trial, papers
//! sent, a meeting with someone else).

use crate::text::Normalized;

/// The two slots of a question that offers a choice of dates ("On se voit mardi 8 h, ou
/// jeudi 7 h 30 ?"), each quoted from its first day or hour word, at most six words.
pub(super) fn offered_slots(message: &str) -> Option<[String; 2]> {
    let question = crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .find(|s| s.contains('?') && s.contains(" ou "))?;
    let (left, right) = question.split_once(" ou ")?;
    let slot = |side: &str| -> Option<String> {
        let words: Vec<&str> = side.split_whitespace().collect();
        let dated = |w: &str| {
            let n = Normalized::new(w);
            let w = n.as_str();
            crate::analysis::lexicon::LEX.when.has(w) || w.starts_with(|c: char| c.is_ascii_digit())
        };
        let from = words.iter().position(|w| dated(w))?;
        let slot: Vec<&str> = words[from..].iter().take(6).copied().collect();
        let slot = slot.join(" ");
        // The slot ends where its clause does: "jeudi 16 à 14 h, qu'est-ce…" is "jeudi 16 à 14 h".
        let slot = slot.split([',', ';', ':', '?', '!', '.']).next().unwrap_or_default();
        let slot = slot.trim_end_matches([' ', '\u{a0}', '\u{202f}']);
        // Said back mid-sentence: "Mardi 14 à 10h" at the start of the learner's sentence
        // is "mardi 14 à 10h" in the prospect's.
        let mut chars = slot.chars();
        let slot: String = match chars.next() {
            Some(first)
                if crate::analysis::lexicon::LEX
                    .when
                    .has(Normalized::new(slot.split(' ').next().unwrap_or_default()).as_str()) =>
            {
                first.to_lowercase().chain(chars).collect()
            }
            _ => slot.to_owned(),
        };
        (!slot.is_empty()).then_some(slot)
    };
    let (a, b) = (slot(left)?, slot(right)?);
    (Normalized::new(&a).as_str() != Normalized::new(&b).as_str()).then_some([a, b])
}

/// The amount a learner's offer names ("18 000 €", "12 %", "30 000 euros"), as written:
/// the one in the sentence that gives something ("je peux descendre à 4 140 euros"), not a
/// figure quoted before it ("vous aviez prévu 45 000 euros").
pub(super) fn offered_figure(message: &str) -> Option<String> {
    let giving = crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .find(|s| crate::text::Normalized::new(s).find_any(&crate::analysis::lexicon::LEX.concession).is_some());
    giving.and_then(first_figure).or_else(|| first_figure(message))
}

/// The first amount a text names, as written.
fn first_figure(message: &str) -> Option<String> {
    let tokens: Vec<&str> = message.split_whitespace().collect();
    let digits =
        |t: &str| !t.is_empty() && t.trim_end_matches([',', '.']).chars().all(|c| c.is_ascii_digit() || c == ',');
    let unit = |t: &str| {
        let t = t.trim_end_matches([',', '.', ';', ':', '?', '!']);
        matches!(t, "€" | "euros" | "euro" | "%" | "k€")
    };
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].starts_with(|c: char| c.is_ascii_digit()) {
            let start = i;
            let mut end = i + 1;
            // "18 000", "1 150,50": groups of three digits continue the number.
            while end < tokens.len() && tokens[end].len() >= 3 && digits(tokens[end]) {
                end += 1;
            }
            let last = tokens[end - 1].trim_end_matches([',', '.', ';', ':', '?', '!']);
            let glued = last.ends_with(['€', '%']);
            if glued || tokens.get(end).is_some_and(|t| unit(t)) {
                let upto = if glued { end } else { end + 1 };
                let figure = tokens[start..upto].join(" ");
                return Some(figure.trim_end_matches([',', '.', ';', ':', '?', '!']).to_owned());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

/// Whether a question of the turn asks about the day ("c'est mardi ou jeudi, finalement ?",
/// "quel jour, alors ?").
pub(super) fn asks_which_day(message: &str) -> bool {
    crate::text::sentences(message).into_iter().map(|s| &message[s.start..s.end]).filter(|s| s.contains('?')).any(|q| {
        Normalized::new(q)
            .words()
            .any(|w| crate::analysis::lexicon::LEX.when.has(w) || matches!(w, "jour" | "quand" | "date"))
    })
}

/// Whether a question asks if someone else will come to the step agreed ("Daniel et Chantal
/// pourront être là jeudi ?", "vous pensez pouvoir lui proposer de venir ?").
pub(super) fn asks_if_others_come(message: &str) -> bool {
    crate::text::sentences(message).into_iter().map(|s| &message[s.start..s.end]).filter(|s| s.contains('?')).any(|q| {
        Normalized::new(q)
            .find_any(&[
                "pourront etre la",
                "pourra etre la",
                "pourrait etre la",
                "pourraient etre la",
                "seront presents",
                "sera present",
                "sera presente",
                "seront la",
                "sera la",
                "soient la",
                "soit la",
                "soient presents",
                "pourra venir",
                "pourront venir",
                "proposer de venir",
                "se joindre",
                "se joigne",
                "se joignent",
                "participer au rendez vous",
                "participer a la reunion",
            ])
            .is_some()
    })
}

/// Phrases that ask how someone is: a pleasantry, answered as one.
const HOW_ARE_YOU: &[&str] =
    &["comment allez vous", "vous allez bien", "comment ca va", "ca va bien", "ca va", "comment vous portez vous"];

/// Whether a question asks how the prospect is ("Comment allez-vous ?", "Vous allez
/// bien ?"), and nothing else.
fn is_how_are_you(question: &str) -> bool {
    let t = Normalized::new(question);
    t.word_count() <= 6 && HOW_ARE_YOU.iter().any(|p| t.as_str().ends_with(p))
}

/// Whether the only questions of a turn ask how the prospect is.
pub(super) fn asks_only_how_they_are<S: AsRef<str>>(sentences: &[S]) -> bool {
    let mut questions = sentences.iter().map(AsRef::as_ref).filter(|s| s.contains('?')).peekable();
    questions.peek().is_some() && questions.all(is_how_are_you)
}

/// Whether one of the questions of a message asks how the prospect is.
pub(super) fn asks_how_they_are(message: &str) -> bool {
    crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .any(|q| q.contains('?') && is_how_are_you(q))
}

/// "Vous lui en parlez, ou je l'appelle ?": a practical choice between the prospect and
/// the learner.
pub(super) fn either_me_or_you(message: &str) -> bool {
    Normalized::new(message)
        .find_any(&["ou je", "ou bien je", "ou c est moi", "ou vous preferez que je", "ou que je", "ou plutot que je"])
        .is_some()
}

/// Whether the learner asks for the signature itself ("on signe aujourd'hui ?", "je vous
/// laisse le bon de commande").
///
/// A signature put off until a meeting has settled something ("on se revoit jeudi 20… et
/// vous signez si la garantie vous convient") is the meeting's business: the prospect takes
/// the meeting, it signs nothing today.
pub(super) fn signing(message: &str) -> bool {
    let t = Normalized::new(message);
    t.find_any(&[
        "on signe",
        "on le signe",
        "on la signe",
        "vous signez",
        "signer aujourd",
        "signons",
        "bon de commande",
        "le stylo",
        "parapher",
        "votre signature",
        "laisse signer",
    ])
    .is_some()
        && t.find_any(&[
            "signez si",
            "signer si",
            "on signe si",
            "signerez",
            "signerons",
            "signer ensuite",
            "signez ensuite",
            // A signature as the condition of a gesture ("si on signe avant fin mars, je
            // peux vous faire un geste") asks for nothing yet.
            "si on signe",
            "si vous signez",
            "si vous signiez",
        ])
        .is_none()
}

/// Whether the step proposed is only papers sent: "je vous envoie…", and no meeting.
pub(super) fn sending_only(message: &str) -> bool {
    let t = Normalized::new(message);
    t.find_any(&["je vous envoie", "je vous fais parvenir", "je vous transmets"]).is_some()
        && t.find_any(&[
            "rendez vous",
            "rdv",
            "reunion",
            "se voir",
            "on se voit",
            "visio",
            "demo",
            "demonstration",
            "appel",
            "un point",
            "rencontre",
            "visite",
            "creneau",
            "invitation",
        ])
        .is_none()
}

/// Whether the learner asks the prospect to get them a meeting with a third person ("m'obtenir
/// trente minutes avec lui", "me le présenter").
pub(super) fn with_someone_else(message: &str) -> bool {
    Normalized::new(message)
        .find_any(&[
            "m obtenir",
            "me le presenter",
            "me la presenter",
            "me mettre en relation",
            "organiser une rencontre avec",
            "qu on presente",
            "presenter a",
            "presente tout ca a",
            "avec votre president",
            "avec votre presidente",
            "avec votre directeur",
            "avec votre directrice",
            "avec votre dg",
            "avec votre daf",
        ])
        .is_some()
}

/// Whether the step proposed is a trial ("un essai de 60 jours", "un pilote").
pub(super) fn trying(message: &str) -> bool {
    Normalized::new(message).find_any(&["un essai", "l essai", "un pilote", "le pilote", "un test"]).is_some()
}

/// Whether a question of the turn asks for the prospect's time ("Vous avez deux
/// minutes ?", "je vous dérange ?", "je tombe au bon moment ?").
pub(super) fn asks_for_time(message: &str) -> bool {
    crate::text::sentences(message).into_iter().map(|s| &message[s.start..s.end]).filter(|s| s.contains('?')).any(|s| {
        Normalized::new(s)
            .find_any(&[
                "quelques minutes",
                "deux minutes",
                "une minute",
                "une petite minute",
                "cinq minutes",
                "vous avez un instant",
                "vous avez un moment",
                "vous auriez un moment",
                "avez vous un moment",
                "auriez vous un moment",
                "un petit moment",
                "je vous derange",
                "au bon moment",
                "un bon moment",
            ])
            .is_some()
    })
}
