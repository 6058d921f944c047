//! The seed's `voice_config` (SPEC 6.4): how the prospect sounds, which non-verbal sounds
//! play when, silence reactions, ambiance and turn-taking. Typed defaults that a template
//! may override field by field; the engine uses it to colour lines and the browser to
//! pace the conversation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceConfig {
    pub prospect_voice_profile: VoiceProfile,
    /// By mood: hostile, skeptical, neutral, interested, ready_to_buy.
    pub emotional_voice_mapping: BTreeMap<String, MoodVoice>,
    pub non_verbal_sounds: BTreeMap<String, SoundTrigger>,
    pub verbal_tics: VerbalTics,
    pub interruption_patterns: BTreeMap<String, InterruptionPattern>,
    /// `after_user_silence_3s`, `after_user_silence_5s`.
    pub silence_reactions: BTreeMap<String, SilenceReaction>,
    pub background_ambiance: Ambiance,
    pub emotional_transitions: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    pub turn_taking_rules: TurnTaking,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceProfile {
    pub gender: String,
    pub age_range: String,
    pub accent: String,
    pub base_tone: String,
    pub speaking_pace: String,
    /// A provider's voice id (ElevenLabs, OpenAI); the offline voice uses `gender`.
    pub voice_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoodVoice {
    pub tone: String,
    pub pace: String,
    pub volume: String,
    pub pitch: String,
    pub pauses: String,
    pub tts_style: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sighs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interruption_probability: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hmm_probability: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub laughs_probability: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SoundTrigger {
    /// Library sound ids (`sigh_light`...).
    pub files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_gauge_below: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_gauge_above: Option<u8>,
    /// before_objection, before_important_statement, distraction_event, interruption_event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerbalTics {
    pub fillers: Vec<String>,
    pub thinking_sounds: Vec<String>,
    pub agreement_sounds: Vec<String>,
    pub doubt_sounds: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct InterruptionPattern {
    pub probability: f32,
    pub triggers: Vec<String>,
    pub phrases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SilenceReaction {
    pub sounds: Vec<String>,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ambiance {
    pub environment: String,
    pub base_sounds: Vec<String>,
    pub random_events: Vec<AmbianceEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AmbianceEvent {
    pub sound: String,
    pub probability_per_minute: f32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TurnTaking {
    pub max_user_speech_seconds: u32,
    pub warning_at_30s: SpeechWarning,
    pub interrupt_at_45s: SpeechInterrupt,
    /// Min and max delay before the prospect answers, in milliseconds.
    pub natural_response_delay_ms: [u32; 2],
    pub thinking_delay_for_complex_question_ms: [u32; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpeechWarning {
    pub sound: String,
    pub visual: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpeechInterrupt {
    pub phrase: String,
    pub tone: String,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn mood_voice(tone: &str, pace: &str, volume: &str, pitch: &str, pauses: &str, tts_style: &str) -> MoodVoice {
    MoodVoice {
        tone: tone.into(),
        pace: pace.into(),
        volume: volume.into(),
        pitch: pitch.into(),
        pauses: pauses.into(),
        tts_style: tts_style.into(),
        sighs: None,
        interruption_probability: None,
        hmm_probability: None,
        laughs_probability: None,
    }
}

impl Default for VoiceProfile {
    fn default() -> Self {
        VoiceProfile {
            gender: "female".into(),
            age_range: "40-50".into(),
            accent: "parisien".into(),
            base_tone: "professional".into(),
            speaking_pace: "medium".into(),
            voice_id: String::new(),
        }
    }
}

impl Default for MoodVoice {
    fn default() -> Self {
        mood_voice("professional", "medium", "normal", "stable", "normal", "neutral")
    }
}

impl Default for VerbalTics {
    fn default() -> Self {
        VerbalTics {
            fillers: strings(&["euh", "donc", "voilà", "bon"]),
            thinking_sounds: strings(&["hmm", "ah"]),
            agreement_sounds: strings(&["mm-hmm", "d'accord", "ok"]),
            doubt_sounds: strings(&["mouais", "bof", "pfff"]),
        }
    }
}

impl Default for Ambiance {
    fn default() -> Self {
        Ambiance {
            environment: "office".into(),
            base_sounds: strings(&["office_quiet"]),
            random_events: vec![
                AmbianceEvent { sound: "phone_ring_distant".into(), probability_per_minute: 0.1 },
                AmbianceEvent { sound: "door_close".into(), probability_per_minute: 0.05 },
            ],
        }
    }
}

impl Default for TurnTaking {
    fn default() -> Self {
        TurnTaking {
            max_user_speech_seconds: 45,
            warning_at_30s: SpeechWarning::default(),
            interrupt_at_45s: SpeechInterrupt::default(),
            natural_response_delay_ms: [800, 2000],
            thinking_delay_for_complex_question_ms: [2000, 4000],
        }
    }
}

impl Default for SpeechWarning {
    fn default() -> Self {
        SpeechWarning { sound: "paper_shuffle".into(), visual: "*le prospect commence à s'agiter*".into() }
    }
}

impl Default for SpeechInterrupt {
    fn default() -> Self {
        SpeechInterrupt { phrase: "D'accord, d'accord, j'ai compris l'idée...".into(), tone: "impatient".into() }
    }
}

impl Default for VoiceConfig {
    fn default() -> Self {
        get_default_voice_config()
    }
}

/// The seed's complete `voice_config`, as the defaults of every template.
pub fn get_default_voice_config() -> VoiceConfig {
    let mut moods = BTreeMap::new();
    moods.insert(
        "hostile".into(),
        MoodVoice {
            sighs: Some(true),
            interruption_probability: Some(0.8),
            ..mood_voice("cold", "fast", "loud", "low", "short", "angry")
        },
    );
    moods.insert(
        "skeptical".into(),
        MoodVoice {
            hmm_probability: Some(0.5),
            ..mood_voice("doubtful", "slow", "normal", "rising_at_end", "long_before_response", "unfriendly")
        },
    );
    moods.insert("neutral".into(), mood_voice("professional", "medium", "normal", "stable", "normal", "neutral"));
    moods.insert(
        "interested".into(),
        MoodVoice {
            laughs_probability: Some(0.2),
            ..mood_voice("warm", "engaged", "slightly_higher", "varied", "short", "friendly")
        },
    );
    moods.insert("ready_to_buy".into(), mood_voice("enthusiastic", "fast", "higher", "high", "minimal", "excited"));

    let mut sounds = BTreeMap::new();
    let trigger = |files: &[&str]| SoundTrigger { files: strings(files), ..SoundTrigger::default() };
    sounds.insert(
        "sigh".into(),
        SoundTrigger { trigger_gauge_below: Some(40), ..trigger(&["sigh_light", "sigh_heavy", "sigh_annoyed"]) },
    );
    sounds.insert(
        "hmm".into(),
        SoundTrigger { trigger: Some("before_objection".into()), ..trigger(&["hmm_thinking", "hmm_doubtful"]) },
    );
    sounds.insert("laugh".into(), SoundTrigger { trigger_gauge_above: Some(70), ..trigger(&["laugh_polite"]) });
    sounds.insert(
        "throat_clear".into(),
        SoundTrigger { trigger: Some("before_important_statement".into()), ..trigger(&["throat_clear"]) },
    );
    sounds.insert(
        "typing".into(),
        SoundTrigger { trigger: Some("distraction_event".into()), ..trigger(&["keyboard_typing"]) },
    );
    sounds.insert(
        "phone_buzz".into(),
        SoundTrigger { trigger: Some("interruption_event".into()), ..trigger(&["phone_notification"]) },
    );

    let mut interruptions = BTreeMap::new();
    interruptions.insert(
        "when_gauge_below_30".into(),
        InterruptionPattern {
            probability: 0.7,
            triggers: strings(&["pitch", "long_sentence", "product_name"]),
            phrases: strings(&[
                "Attendez, attendez...",
                "Oui mais...",
                "Non mais écoutez...",
                "Je vous arrête tout de suite",
            ]),
            style: None,
        },
    );
    interruptions.insert(
        "when_gauge_above_70".into(),
        InterruptionPattern {
            probability: 0.1,
            style: Some("eager_to_continue".into()),
            ..InterruptionPattern::default()
        },
    );

    let mut silences = BTreeMap::new();
    silences.insert(
        "after_user_silence_3s".into(),
        SilenceReaction {
            sounds: strings(&["throat_clear"]),
            phrases: strings(&["Vous êtes toujours là ?", "Allô ?"]),
        },
    );
    silences.insert(
        "after_user_silence_5s".into(),
        SilenceReaction {
            sounds: strings(&["sigh_annoyed"]),
            phrases: strings(&["Bon, je n'ai pas que ça à faire...", "Vous réfléchissez ?"]),
        },
    );

    let transition =
        |pairs: &[(&str, serde_json::Value)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    let mut transitions = BTreeMap::new();
    transitions.insert(
        "gauge_drop_sudden".into(),
        transition(&[
            ("sound_before", "sigh_heavy".into()),
            ("voice_change", "colder".into()),
            ("pace_change", "slower".into()),
        ]),
    );
    transitions.insert(
        "gauge_rise_10_points".into(),
        transition(&[
            ("voice_change", "warmer".into()),
            ("remove_doubt_sounds", true.into()),
            ("pace_change", "more_engaged".into()),
        ]),
    );
    transitions.insert(
        "objection_moment".into(),
        transition(&[
            ("sound_before", "hmm_doubtful".into()),
            ("voice_change", "firmer".into()),
            ("pace", "deliberate".into()),
        ]),
    );

    VoiceConfig {
        prospect_voice_profile: VoiceProfile::default(),
        emotional_voice_mapping: moods,
        non_verbal_sounds: sounds,
        verbal_tics: VerbalTics::default(),
        interruption_patterns: interruptions,
        silence_reactions: silences,
        background_ambiance: Ambiance::default(),
        emotional_transitions: transitions,
        turn_taking_rules: TurnTaking::default(),
    }
}

impl VoiceConfig {
    /// The defaults with a template's `voice_config` laid over them, key by key.
    pub fn for_template(overrides: Option<&serde_json::Value>) -> Result<Self, serde_json::Error> {
        let mut merged = serde_json::to_value(get_default_voice_config())?;
        if let Some(over) = overrides {
            merge(&mut merged, over);
        }
        serde_json::from_value(merged)
    }
}

fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(serde_json::Value::Null), v);
            }
        }
        (b, o) => *b = o.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_carry_the_seed_values() {
        let c = get_default_voice_config();
        assert_eq!(c.non_verbal_sounds["sigh"].trigger_gauge_below, Some(40));
        assert_eq!(c.non_verbal_sounds["laugh"].trigger_gauge_above, Some(70));
        assert_eq!(c.non_verbal_sounds["hmm"].trigger.as_deref(), Some("before_objection"));
        assert_eq!(c.interruption_patterns["when_gauge_below_30"].probability, 0.7);
        assert_eq!(c.silence_reactions["after_user_silence_3s"].phrases[0], "Vous êtes toujours là ?");
        assert_eq!(c.turn_taking_rules.interrupt_at_45s.phrase, "D'accord, d'accord, j'ai compris l'idée...");
        assert_eq!(c.turn_taking_rules.natural_response_delay_ms, [800, 2000]);
        assert_eq!(c.emotional_voice_mapping.len(), 5);
    }

    #[test]
    fn a_template_overrides_field_by_field() {
        let over = serde_json::json!({
            "prospect_voice_profile": {"gender": "male"},
            "turn_taking_rules": {"natural_response_delay_ms": [0, 0]}
        });
        let c = VoiceConfig::for_template(Some(&over)).expect("config");
        assert_eq!(c.prospect_voice_profile.gender, "male");
        assert_eq!(c.prospect_voice_profile.accent, "parisien", "untouched fields keep their default");
        assert_eq!(c.turn_taking_rules.natural_response_delay_ms, [0, 0]);
        assert_eq!(c.turn_taking_rules.max_user_speech_seconds, 45);
    }
}
