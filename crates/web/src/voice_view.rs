//! What the page needs to voice a prospect line, returned with every turn: the text to
//! speak, the sounds, the settings, the audio's URL, and who speaks. A leaf: the turn, the
//! training service and the voice socket all use it.

use replique_core::engine::{Mood, Scenario, SessionState};
use replique_core::voice::{Emotion, TtsSettings, VoiceConfig, prepare_tts_response};
use replique_voice::{Library, VoiceSpec};
use schemars::JsonSchema;
use serde::Serialize;

use crate::AppState;

/// A sound of the library, by id, with its public URL.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SoundRef {
    pub id: String,
    /// Public URL of the sound, under `/static/audio/voice_effects/`.
    pub url: String,
}

/// What the voice does with one prospect line (SPEC 6.1): returned with every turn.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VoiceView {
    /// The text to speak (stage directions removed).
    pub text_for_tts: String,
    /// Non-verbal sounds to play before the speech.
    pub sounds_before: Vec<SoundRef>,
    /// Actions to show (e.g. from stage directions).
    pub visual_actions: Vec<String>,
    pub detected_emotion: Emotion,
    pub tts_settings: TtsSettings,
    /// `/api/voice/session/{id}/audio/{seq}`, the mixed audio of the line; null when the
    /// voice is off.
    pub audio_url: Option<String>,
}

impl VoiceView {
    pub fn new(state: &AppState, session_id: i64, seq: i64, text: &str, gauge: u8) -> Self {
        let prepared = prepare_tts_response(text, Mood::from_gauge(gauge), gauge);
        VoiceView {
            sounds_before: prepared
                .sounds_before
                .iter()
                .filter_map(|id| Library::url(id).map(|url| SoundRef { id: id.clone(), url }))
                .collect(),
            text_for_tts: prepared.text_for_tts,
            visual_actions: prepared.visual_actions,
            detected_emotion: prepared.detected_emotion,
            tts_settings: prepared.tts_settings,
            audio_url: state
                .voice
                .tts
                .unavailable()
                .is_none()
                .then(|| format!("/api/voice/session/{session_id}/audio/{seq}")),
        }
    }
}

/// Who speaks a line: the template's voice profile, except that a gatekeeper (a woman in
/// every cold-calling template) answers until the transfer.
pub(crate) fn voice_of(scenario: &Scenario, state: &SessionState, seq: i64) -> VoiceSpec {
    let profile =
        VoiceConfig::for_template(scenario.voice_config.as_ref()).map(|c| c.prospect_voice_profile).unwrap_or_default();
    let transfer_seq = state.reached_decision_maker_at.map(|n| 2 * i64::from(n));
    let screening = scenario.gatekeeper.is_some() && transfer_seq.is_none_or(|t| seq <= t);
    // A guest brought in by an event speaks with their own voice.
    let guest = u32::try_from(seq / 2)
        .ok()
        .and_then(|exchange| replique_core::engine::guest_speaking(scenario, state, exchange));
    let gender = match guest {
        Some(g) => g.gender.clone(),
        None if screening => "female".to_owned(),
        None => profile.gender,
    };
    VoiceSpec { gender, voice_id: (!profile.voice_id.is_empty()).then_some(profile.voice_id) }
}
