//! Stage directions in the prospect's lines and what the voice does with them (seed phase
//! 7, "services/voice_effects"; SPEC 6.1-6.2).
//!
//! A line like `(soupir et agacée) La société c'est TechStar, pas Textar.` carries a sound
//! to play before the speech (a sigh), an emotion for the voice (annoyed) and nothing that
//! a voice should ever read aloud. `prepare_tts_response` splits a line into those parts:
//! `annotations` reads the directions, `emotion` names the emotions, `settings` turns an
//! emotion and the gauge into a provider's settings, `config` holds the per-template voice
//! defaults. Pure functions: no audio here (see the `voice` crate).

use serde::{Deserialize, Serialize};

mod annotations;
mod config;
mod emotion;
mod settings;

pub use annotations::{
    Annotation, AnnotationKind, clean_text_for_tts, extract_actions, extract_primary_emotion, extract_sounds,
    parse_annotations,
};
pub use config::{VoiceConfig, get_default_voice_config};
pub use emotion::Emotion;
pub use settings::{Prosody, TtsSettings, get_tts_settings};

use crate::mood::Mood;

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
