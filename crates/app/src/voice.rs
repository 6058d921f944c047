//! `replique tts` and `replique voice prepare`.

use std::path::Path;

use anyhow::{Context, Result};
use replique_core::engine::Mood;
use replique_core::voice::{Emotion, get_tts_settings, prepare_tts_response};
use replique_voice::{Library, Tts, TtsConfig, VoiceSpec, mix};

fn parse_mood(mood: &str) -> Result<Mood> {
    serde_json::from_value(serde_json::Value::String(mood.to_owned())).with_context(|| {
        format!("unknown mood {mood:?}: expected hostile, skeptical, neutral, interested or ready_to_buy")
    })
}

/// Prints `prepare_tts_response` as JSON.
pub fn prepare(text: &str, mood: &str, gauge: u8) -> Result<()> {
    let prepared = prepare_tts_response(text, parse_mood(mood)?, gauge.min(100));
    say!("{}", serde_json::to_string_pretty(&prepared)?);
    Ok(())
}

/// Speaks a line into a WAV file: its sounds first, then the speech.
pub async fn tts(text: &str, emotion: Option<&str>, mood: &str, gauge: u8, gender: &str, output: &Path) -> Result<()> {
    let mood = parse_mood(mood)?;
    let gauge = gauge.min(100);
    let mut prepared = prepare_tts_response(text, mood, gauge);
    if let Some(e) = emotion {
        let emotion = Emotion::parse(e).with_context(|| format!("unknown emotion {e:?}"))?;
        prepared.detected_emotion = emotion;
        prepared.tts_settings = get_tts_settings(mood, Some(emotion), gauge);
    }
    let tts = Tts::new(&TtsConfig::from_env()).await;
    let voice = VoiceSpec { gender: gender.to_owned(), voice_id: None };
    let speech = tts.speak(&prepared.text_for_tts, &prepared.tts_settings, &voice).await?;
    let library = Library::build(&Default::default());
    let before: Vec<&replique_voice::Audio> = prepared.sounds_before.iter().filter_map(|id| library.get(id)).collect();
    let audio = mix::assemble(&before, &speech, None);
    std::fs::write(output, audio.to_wav()).with_context(|| format!("cannot write {}", output.display()))?;
    say!(
        "{} : {:.1} s, émotion {}, sons {}",
        output.display(),
        audio.duration_seconds(),
        prepared.detected_emotion.as_str(),
        if prepared.sounds_before.is_empty() { "aucun".to_owned() } else { prepared.sounds_before.join(", ") }
    );
    Ok(())
}
