//! Stage directions in the prospect's lines and what the voice does with them (seed phase
//! 7, "services/voice_effects"; SPEC 6.1-6.2).
//!
//! A line like `(soupir et agacée) La société c'est TechStar, pas Textar.` carries a sound
//! to play before the speech (a sigh), an emotion for the voice (annoyed) and nothing that
//! a voice should ever read aloud. `prepare_tts_response` splits a line into those parts.
//! Pure functions: no audio here (see the `voice` crate).

use serde::{Deserialize, Serialize};

mod config;

pub use config::{VoiceConfig, get_default_voice_config};

use crate::mood::Mood;
use crate::text::Normalized;

/// The 11 emotions a voice can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Emotion {
    Angry,
    Annoyed,
    Cold,
    Skeptical,
    Impatient,
    Bored,
    Neutral,
    Interested,
    Amused,
    Friendly,
    Enthusiastic,
}

impl Emotion {
    pub const ALL: [Emotion; 11] = [
        Emotion::Angry,
        Emotion::Annoyed,
        Emotion::Cold,
        Emotion::Skeptical,
        Emotion::Impatient,
        Emotion::Bored,
        Emotion::Neutral,
        Emotion::Interested,
        Emotion::Amused,
        Emotion::Friendly,
        Emotion::Enthusiastic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Emotion::Angry => "angry",
            Emotion::Annoyed => "annoyed",
            Emotion::Cold => "cold",
            Emotion::Skeptical => "skeptical",
            Emotion::Impatient => "impatient",
            Emotion::Bored => "bored",
            Emotion::Neutral => "neutral",
            Emotion::Interested => "interested",
            Emotion::Amused => "amused",
            Emotion::Friendly => "friendly",
            Emotion::Enthusiastic => "enthusiastic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The emotion a mood speaks with when the line names none.
    pub fn of_mood(mood: Mood) -> Self {
        match mood {
            Mood::Hostile => Emotion::Annoyed,
            Mood::Skeptical => Emotion::Skeptical,
            Mood::Neutral => Emotion::Neutral,
            Mood::Interested => Emotion::Interested,
            Mood::ReadyToBuy => Emotion::Enthusiastic,
        }
    }

    /// ElevenLabs-style settings: (stability, similarity_boost, style). The seed gives
    /// angry, annoyed, cold and neutral; the others sit between them.
    fn base_settings(self) -> (f32, f32, f32) {
        match self {
            Emotion::Angry => (0.3, 0.8, 0.7),
            Emotion::Annoyed => (0.4, 0.75, 0.5),
            Emotion::Cold => (0.7, 0.6, 0.3),
            Emotion::Skeptical => (0.55, 0.7, 0.35),
            Emotion::Impatient => (0.35, 0.75, 0.45),
            Emotion::Bored => (0.75, 0.65, 0.15),
            Emotion::Neutral => (0.5, 0.75, 0.0),
            Emotion::Interested => (0.45, 0.8, 0.3),
            Emotion::Amused => (0.4, 0.8, 0.45),
            Emotion::Friendly => (0.45, 0.85, 0.35),
            Emotion::Enthusiastic => (0.3, 0.85, 0.6),
        }
    }

    /// How the offline voice (espeak-ng) renders it: words per minute, pitch (0-99),
    /// amplitude (0-200), pause between words (units of 10 ms).
    fn base_prosody(self) -> Prosody {
        let (rate, pitch, volume, word_gap) = match self {
            Emotion::Angry => (195, 38, 170, 0),
            Emotion::Annoyed => (185, 42, 150, 0),
            Emotion::Cold => (150, 35, 95, 2),
            Emotion::Skeptical => (145, 48, 105, 4),
            Emotion::Impatient => (210, 52, 135, 0),
            Emotion::Bored => (130, 32, 80, 5),
            Emotion::Neutral => (165, 50, 110, 1),
            Emotion::Interested => (172, 58, 120, 1),
            Emotion::Amused => (178, 66, 125, 1),
            Emotion::Friendly => (168, 62, 120, 1),
            Emotion::Enthusiastic => (190, 72, 150, 0),
        };
        Prosody { rate, pitch, volume, word_gap }
    }
}

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

/// Settings for a speech provider. `stability`, `similarity_boost` and `style` map to
/// ElevenLabs directly; `prosody` drives the offline voice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TtsSettings {
    pub stability: f32,
    pub similarity_boost: f32,
    pub style: f32,
    pub prosody: Prosody,
}

/// espeak-ng parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Prosody {
    /// Words per minute (espeak-ng `-s`).
    pub rate: u32,
    /// 0-99 (`-p`).
    pub pitch: u32,
    /// 0-200 (`-a`).
    pub volume: u32,
    /// Extra pause between words, in units of 10 ms (`-g`).
    pub word_gap: u32,
}

/// The voice for an emotion, adjusted by the gauge: a colder prospect (low gauge) speaks
/// more steadily and lower, a warmer one (high gauge) more expressively and higher.
pub fn get_tts_settings(mood: Mood, emotion: Option<Emotion>, gauge: u8) -> TtsSettings {
    let emotion = emotion.unwrap_or_else(|| Emotion::of_mood(mood));
    let (stability, similarity_boost, style) = emotion.base_settings();
    // -1.0 at gauge 0, +1.0 at gauge 100.
    let warmth = (f32::from(gauge.min(100)) - 50.0) / 50.0;
    let mut prosody = emotion.base_prosody();
    prosody.pitch = shift(prosody.pitch, warmth * 6.0, 0, 99);
    prosody.rate = shift(prosody.rate, warmth * 8.0, 80, 320);
    TtsSettings {
        stability: round2((stability - warmth * 0.1).clamp(0.0, 1.0)),
        similarity_boost: round2(similarity_boost),
        style: round2((style + warmth.max(0.0) * 0.1).clamp(0.0, 1.0)),
        prosody,
    }
}

fn shift(value: u32, by: f32, min: u32, max: u32) -> u32 {
    let v = f64::from(value) + f64::from(by);
    // Rounded and clamped: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let v = v.round().clamp(f64::from(min), f64::from(max)) as u32;
    v
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// Everything a voice needs for one prospect line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TtsResponse {
    pub text_for_tts: String,
    pub sounds_before: Vec<String>,
    pub visual_actions: Vec<String>,
    pub detected_emotion: Emotion,
    pub tts_settings: TtsSettings,
}

/// The seed's `prepare_tts_response`: clean text, sounds to play first, actions to show,
/// the emotion (named in the line, or the mood's) and the voice settings.
pub fn prepare_tts_response(text: &str, mood: Mood, gauge: u8) -> TtsResponse {
    let named = extract_primary_emotion(text);
    let detected_emotion = named.unwrap_or_else(|| Emotion::of_mood(mood));
    TtsResponse {
        text_for_tts: clean_text_for_tts(text),
        sounds_before: extract_sounds(text),
        visual_actions: extract_actions(text),
        detected_emotion,
        tts_settings: get_tts_settings(mood, Some(detected_emotion), gauge),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn cleaning_never_panics_and_leaves_no_direction(text in "\\PC{0,300}") {
            let clean = clean_text_for_tts(&text);
            prop_assert!(!clean.contains(['(', ')', '*']), "{clean:?}");
            let _ = prepare_tts_response(&text, Mood::Neutral, 50);
        }
    }

    #[test]
    fn the_seed_example() {
        let line = "(soupir et agacée) La société c'est TechStar, pas Textar.";
        let r = prepare_tts_response(line, Mood::Skeptical, 35);
        assert_eq!(r.text_for_tts, "La société c'est TechStar, pas Textar.");
        assert_eq!(r.sounds_before, vec!["sigh_light"]);
        assert_eq!(r.detected_emotion, Emotion::Annoyed);
        assert!(r.visual_actions.is_empty());
    }

    #[test]
    fn many_forms_anywhere_in_the_line() {
        // (line, sounds, emotion, actions)
        type Case<'a> = (&'a str, &'a [&'a str], Option<Emotion>, &'a [&'a str]);
        let cases: &[Case<'_>] = &[
            ("(long soupir) Bon.", &["sigh_heavy"], None, &[]),
            ("Écoutez… (soupire, agacé) non.", &["sigh_light"], Some(Emotion::Annoyed), &[]),
            ("(soupir agacé) Encore ?", &["sigh_annoyed"], None, &[]),
            ("(lève les yeux au ciel) Bien sûr.", &[], None, &["lève les yeux au ciel"]),
            ("(hmm) C'est cher.", &["hmm_thinking"], None, &[]),
            ("(rires) Vous êtes drôle. (amusée)", &["laugh_polite"], Some(Emotion::Amused), &[]),
            ("*prend des notes* Continuez.", &[], None, &["prend des notes"]),
            ("Oui. *fronce les sourcils et croise les bras*", &[], None, &["fronce les sourcils", "croise les bras"]),
            ("(se racle la gorge) Alors.", &["throat_clear"], None, &[]),
            ("(le téléphone sonne) Pardon.", &["phone_ring_distant"], None, &[]),
            ("(furieuse) C'est inadmissible !", &[], Some(Emotion::Angry), &[]),
            ("(sceptiques) Ah oui ?", &[], Some(Emotion::Skeptical), &[]),
            ("(enthousiaste puis rit) Génial !", &["laugh_polite"], Some(Emotion::Enthusiastic), &[]),
            ("(froidement) Je vous écoute.", &[], Some(Emotion::Cold), &[]),
        ];
        for (line, sounds, emotion, actions) in cases {
            assert_eq!(extract_sounds(line), sounds.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(), "{line}");
            assert_eq!(extract_primary_emotion(line), *emotion, "{line}");
            assert_eq!(extract_actions(line), actions.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(), "{line}");
            let clean = clean_text_for_tts(line);
            assert!(!clean.contains('(') && !clean.contains('*'), "{line} -> {clean}");
        }
    }

    #[test]
    fn cleaning_tidies_spaces_and_punctuation() {
        assert_eq!(clean_text_for_tts("Bon (soupir) , on y va ."), "Bon, on y va.");
        assert_eq!(clean_text_for_tts("(hmm)"), "");
        assert_eq!(clean_text_for_tts("Attendez (il (vraiment) hésite) voilà"), "Attendez voilà");
        assert_eq!(clean_text_for_tts("Non (jamais"), "Non");
    }

    #[test]
    fn eleven_emotions_with_the_seed_values_and_gauge_adjustment() {
        assert_eq!(Emotion::ALL.len(), 11);
        let neutral = get_tts_settings(Mood::Neutral, Some(Emotion::Neutral), 50);
        assert_eq!((neutral.stability, neutral.similarity_boost, neutral.style), (0.5, 0.75, 0.0));
        let angry = get_tts_settings(Mood::Hostile, Some(Emotion::Angry), 50);
        assert_eq!((angry.stability, angry.similarity_boost, angry.style), (0.3, 0.8, 0.7));
        let cold = get_tts_settings(Mood::Neutral, Some(Emotion::Cold), 50);
        assert_eq!((cold.stability, cold.similarity_boost, cold.style), (0.7, 0.6, 0.3));
        let warm = get_tts_settings(Mood::Interested, Some(Emotion::Interested), 90);
        let chilly = get_tts_settings(Mood::Interested, Some(Emotion::Interested), 10);
        assert!(warm.prosody.pitch > chilly.prosody.pitch);
        assert!(warm.stability < chilly.stability);
        // Every emotion sounds different from neutral offline.
        for e in Emotion::ALL.into_iter().filter(|e| *e != Emotion::Neutral) {
            assert_ne!(e.base_prosody(), Emotion::Neutral.base_prosody(), "{e:?}");
        }
    }

    #[test]
    fn the_mood_speaks_when_the_line_names_no_emotion() {
        assert_eq!(prepare_tts_response("Bonjour.", Mood::Hostile, 10).detected_emotion, Emotion::Annoyed);
        assert_eq!(prepare_tts_response("Bonjour.", Mood::ReadyToBuy, 90).detected_emotion, Emotion::Enthusiastic);
    }
}
