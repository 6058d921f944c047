//! What a speech provider is told for an emotion at a given gauge: ElevenLabs-style
//! settings and the offline voice's prosody (espeak-ng).

use serde::{Deserialize, Serialize};

use super::emotion::Emotion;
use crate::mood::Mood;

impl Emotion {
    /// ElevenLabs-style settings: (stability, similarity_boost, style). The seed gives
    /// angry, annoyed, cold and neutral; the others sit between them.
    pub(super) fn base_settings(self) -> (f32, f32, f32) {
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
    pub(super) fn base_prosody(self) -> Prosody {
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
