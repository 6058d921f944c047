//! Stage directions in a line (`(soupir et agacée)`, `*prend des notes*`): what each one
//! is (a sound, an emotion, an action), and the line without them for a voice to read.

use serde::{Deserialize, Serialize};

use super::emotion::Emotion;
use crate::text::Normalized;

/// What a stage direction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationKind {
    /// A non-verbal sound played before the speech.
    Sound,
    /// How the line is said.
    Emotion,
    /// Something the prospect does, shown as a hint ("prend des notes").
    Action,
}

/// One stage direction found in a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub kind: AnnotationKind,
    /// The words as written, e.g. "agacée".
    pub raw: String,
    /// The sound file id (`sigh_annoyed`), the emotion (`annoyed`) or the action text.
    pub value: String,
}

/// Sounds of the library, by the words that call for them (normalised, feminine, plural
/// and conjugated forms included). More specific forms first.
const SOUNDS: &[(&[&str], &str)] = &[
    (
        &[
            "soupir agace",
            "soupire agace",
            "soupir agacee",
            "soupire d agacement",
            "soupir exaspere",
            "souffle d agacement",
        ],
        "sigh_annoyed",
    ),
    (
        &[
            "long soupir",
            "grand soupir",
            "gros soupir",
            "soupir profond",
            "profond soupir",
            "soupir lourd",
            "longs soupirs",
        ],
        "sigh_heavy",
    ),
    (&["soupir", "soupirs", "soupire", "soupirent", "soupirant", "petit soupir", "souffle", "soufle"], "sigh_light"),
    (
        &[
            "hmm sceptique",
            "hmm dubitatif",
            "hum dubitatif",
            "mouais",
            "hmm doute",
            "hmm pas convaincu",
            "hmm pas convaincue",
        ],
        "hmm_doubtful",
    ),
    (
        &["hmm", "hmmm", "hum", "humm", "mmh", "mmm", "hm", "reflechit", "reflechissant", "pensif", "pensive"],
        "hmm_thinking",
    ),
    (
        &[
            "rire",
            "rires",
            "rit",
            "rient",
            "riant",
            "petit rire",
            "rire poli",
            "rire gene",
            "rigole",
            "rigolant",
            "ricane",
            "ricanement",
            "eclat de rire",
        ],
        "laugh_polite",
    ),
    (
        &[
            "se racle la gorge",
            "racle la gorge",
            "raclement de gorge",
            "tousse",
            "toussote",
            "toussotant",
            "s eclaircit la voix",
        ],
        "throat_clear",
    ),
    (
        &[
            "le telephone sonne",
            "telephone sonne",
            "sonnerie",
            "son telephone sonne",
            "son portable sonne",
            "le portable sonne",
        ],
        "phone_ring_distant",
    ),
    (
        &["vibreur", "notification", "son telephone vibre", "le telephone vibre", "telephone vibre"],
        "phone_notification",
    ),
    (
        &["tape au clavier", "tapote sur son clavier", "tape sur son clavier", "bruit de clavier", "pianote"],
        "keyboard_typing",
    ),
    (&["la porte se ferme", "ferme la porte", "porte qui claque", "claque la porte", "la porte claque"], "door_close"),
    (
        &[
            "feuillette",
            "froissement de papier",
            "range ses papiers",
            "bruit de papiers",
            "tourne les pages",
            "brasse des papiers",
        ],
        "paper_shuffle",
    ),
];

/// Emotions by the words that express them.
const EMOTIONS: &[(&[&str], Emotion)] = &[
    (
        &[
            "en colere",
            "furieux",
            "furieuse",
            "furieux",
            "enerve",
            "enervee",
            "enerves",
            "excede",
            "excedee",
            "hors de lui",
            "hors d elle",
            "agressif",
            "agressive",
            "crie",
            "criant",
            "hausse le ton",
        ],
        Emotion::Angry,
    ),
    (
        &[
            "agace",
            "agacee",
            "agaces",
            "agacees",
            "irrite",
            "irritee",
            "exaspere",
            "exasperee",
            "contrarie",
            "contrariee",
            "sec",
            "seche",
        ],
        Emotion::Annoyed,
    ),
    (
        &["froid", "froide", "froids", "froidement", "glacial", "glaciale", "distant", "distante", "sur la reserve"],
        Emotion::Cold,
    ),
    (
        &[
            "sceptique",
            "sceptiques",
            "dubitatif",
            "dubitative",
            "mefiant",
            "mefiante",
            "perplexe",
            "pas convaincu",
            "pas convaincue",
            "hesitant",
            "hesitante",
        ],
        Emotion::Skeptical,
    ),
    (
        &[
            "impatient",
            "impatiente",
            "presse",
            "pressee",
            "press",
            "regarde sa montre",
            "s impatiente",
            "agite",
            "agitee",
        ],
        Emotion::Impatient,
    ),
    (
        &["ennuye", "ennuyee", "blase", "blasee", "las", "lasse", "lassé", "desinteresse", "desinteressee", "baille"],
        Emotion::Bored,
    ),
    (&["neutre", "calme", "pose", "posee", "professionnel", "professionnelle"], Emotion::Neutral),
    (
        &[
            "interesse",
            "interessee",
            "interesses",
            "curieux",
            "curieuse",
            "attentif",
            "attentive",
            "intrigue",
            "intriguee",
        ],
        Emotion::Interested,
    ),
    (
        &["amuse", "amusee", "amuses", "sourit", "souriant", "souriante", "avec le sourire", "taquin", "taquine"],
        Emotion::Amused,
    ),
    (
        &[
            "aimable",
            "chaleureux",
            "chaleureuse",
            "cordial",
            "cordiale",
            "sympathique",
            "detendu",
            "detendue",
            "bienveillant",
            "bienveillante",
        ],
        Emotion::Friendly,
    ),
    (
        &[
            "enthousiaste",
            "enthousiastes",
            "ravi",
            "ravie",
            "emballe",
            "emballee",
            "conquis",
            "conquise",
            "enjoue",
            "enjouee",
            "s anime",
            "s animant",
        ],
        Emotion::Enthusiastic,
    ),
];

/// The stage directions of a line: every `(...)` group and every `*...*` group, each split
/// on "et", "puis" and commas ("(soupir et agacée)" is a sound and an emotion).
pub fn parse_annotations(text: &str) -> Vec<Annotation> {
    let mut found = Vec::new();
    for group in groups(text) {
        for part in split_group(group) {
            found.push(classify(part));
        }
    }
    found
}

/// The text of each stage direction: `(...)` (outermost) and `*...*`.
fn groups(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut star: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '(' if star.is_none() => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(&text[start..i]);
                }
            }
            '*' if depth == 0 => match star.take() {
                Some(from) => out.push(&text[from..i]),
                None => star = Some(i + 1),
            },
            _ => {}
        }
    }
    out
}

/// The parts of one direction, as written: split on commas, semicolons, "et" and "puis".
fn split_group(group: &str) -> Vec<String> {
    group
        .split([',', ';'])
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" puis "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn classify(part: String) -> Annotation {
    let text = Normalized::new(&part);
    for (words, sound) in SOUNDS {
        if text.find_any(words).is_some() {
            return Annotation { kind: AnnotationKind::Sound, raw: part, value: (*sound).to_owned() };
        }
    }
    for (words, emotion) in EMOTIONS {
        if text.find_any(words).is_some() {
            return Annotation { kind: AnnotationKind::Emotion, raw: part, value: emotion.as_str().to_owned() };
        }
    }
    // Known gestures and anything else: shown, never spoken.
    Annotation { kind: AnnotationKind::Action, value: part.clone(), raw: part }
}

/// The line without any stage direction, ready for a voice: `(...)` and `*...*` removed,
/// spaces tidied. No annotation word ever reaches the TTS.
pub fn clean_text_for_tts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut in_star = false;
    for c in text.chars() {
        match c {
            '(' if !in_star => depth += 1,
            // A stray ")" is dropped too: no bracket ever reaches the voice.
            ')' => depth = depth.saturating_sub(1),
            '*' if depth == 0 => in_star = !in_star,
            // An unclosed "(" swallows the rest: better silence than reading a direction.
            _ if depth > 0 || in_star => {}
            _ => out.push(c),
        }
    }
    tidy(&out)
}

/// Collapses spaces and removes spaces left before punctuation or at the edges.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let glued = word.starts_with(['.', ',', '…']) && !out.is_empty();
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.trim_start_matches(['.', ',', ';', ':', '…', ' ']).trim().to_owned()
}

/// The emotion the line's directions name first, if any.
pub fn extract_primary_emotion(text: &str) -> Option<Emotion> {
    parse_annotations(text)
        .into_iter()
        .find(|a| a.kind == AnnotationKind::Emotion)
        .and_then(|a| Emotion::parse(&a.value))
}

/// The library sounds to play before the speech, in order, without repeats.
pub fn extract_sounds(text: &str) -> Vec<String> {
    let mut sounds: Vec<String> = Vec::new();
    for a in parse_annotations(text) {
        if a.kind == AnnotationKind::Sound && !sounds.contains(&a.value) {
            sounds.push(a.value);
        }
    }
    sounds
}

/// The visual actions, as short hints.
pub fn extract_actions(text: &str) -> Vec<String> {
    parse_annotations(text).into_iter().filter(|a| a.kind == AnnotationKind::Action).map(|a| a.raw).collect()
}
