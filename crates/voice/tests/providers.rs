//! The speech providers: espeak-ng renders each emotion audibly differently; the cloud
//! providers are called with their real wire formats (checked against a local server).

use std::sync::{Arc, Mutex};

use replique_core::engine::Mood;
use replique_core::voice::{Emotion, get_tts_settings};
use replique_voice::audio::{Audio, SAMPLE_RATE};
use replique_voice::{Stt, Tts, TtsConfig, VoiceSpec};

fn voice_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true") || std::env::var("REPLIQUE_REQUIRE_VOICE").is_ok_and(|v| v == "1")
}

/// Zero crossings per second: a rough pitch measure.
fn crossings(audio: &Audio) -> f32 {
    let n = audio.samples.windows(2).filter(|w| (w[0] >= 0.0) != (w[1] >= 0.0)).count();
    n as f32 / audio.duration_seconds().max(0.001)
}

#[tokio::test]
async fn espeak_renders_each_emotion_differently_from_neutral() {
    let tts = Tts::new(&TtsConfig::default()).await;
    if let Some(why) = tts.unavailable() {
        assert!(!voice_required(), "espeak-ng is required here: {why}");
        eprintln!("skipped: {why}");
        return;
    }
    let text = "Écoutez, je ne suis pas certain que ce soit la priorité cette année.";
    let voice = VoiceSpec::default();
    let neutral =
        tts.speak(text, &get_tts_settings(Mood::Neutral, Some(Emotion::Neutral), 50), &voice).await.expect("neutral");
    assert!(neutral.duration_seconds() > 1.0 && neutral.rms() > 0.01, "real speech");
    for emotion in Emotion::ALL.into_iter().filter(|e| *e != Emotion::Neutral) {
        let audio = tts.speak(text, &get_tts_settings(Mood::Neutral, Some(emotion), 50), &voice).await.expect("speech");
        let duration = (audio.duration_seconds() / neutral.duration_seconds() - 1.0).abs();
        let level = (audio.rms() / neutral.rms() - 1.0).abs();
        let pitch = (crossings(&audio) / crossings(&neutral) - 1.0).abs();
        assert!(
            duration > 0.03 || level > 0.05 || pitch > 0.03,
            "{emotion:?} sounds like neutral (duration {duration:.3}, level {level:.3}, pitch {pitch:.3})"
        );
    }
    // The cache answers the second time with the same audio.
    let again =
        tts.speak(text, &get_tts_settings(Mood::Neutral, Some(Emotion::Neutral), 50), &voice).await.expect("cached");
    assert!(Arc::ptr_eq(&neutral, &again));
}

/// A local server that records requests and answers with `body`.
async fn fake(
    path: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    use axum::routing::post;
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let log = Arc::clone(&seen);
    let app = axum::Router::new().route(
        path,
        post(move |headers: axum::http::HeaderMap, raw: axum::body::Bytes| {
            let log = Arc::clone(&log);
            let body = body.clone();
            async move {
                let auth = headers
                    .get("authorization")
                    .or_else(|| headers.get("xi-api-key"))
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                log.lock().expect("log").push((auth, String::from_utf8_lossy(&raw).into_owned()));
                ([(axum::http::header::CONTENT_TYPE, content_type)], body)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn openai_compatible_speech_and_elevenlabs_wire_formats() {
    let wav = Audio { sample_rate: 24_000, samples: vec![0.25; 2400] }.to_wav();
    let (base, seen) = fake("/v1/audio/speech", "audio/wav", wav).await;
    let config = TtsConfig {
        provider: Some("openai".into()),
        base_url: Some(format!("{base}/v1")),
        api_key: Some("sk-test".into()),
        voice: Some("alloy".into()),
        model: None,
    };
    let tts = Tts::new(&config).await;
    let audio =
        tts.speak("Bonjour.", &get_tts_settings(Mood::Neutral, None, 50), &VoiceSpec::default()).await.expect("openai");
    assert_eq!(audio.sample_rate, 24_000);
    let (auth, body) = seen.lock().expect("log")[0].clone();
    assert_eq!(auth, "Bearer sk-test");
    let body: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        (body["input"].as_str(), body["voice"].as_str(), body["response_format"].as_str()),
        (Some("Bonjour."), Some("alloy"), Some("wav"))
    );

    let pcm: Vec<u8> = [1000i16, -1000, 2000].iter().flat_map(|s| s.to_le_bytes()).collect();
    let (base, seen) = fake("/v1/text-to-speech/voix", "audio/pcm", pcm).await;
    let config = TtsConfig {
        provider: Some("elevenlabs".into()),
        base_url: Some(base),
        api_key: Some("xi-test".into()),
        voice: Some("voix".into()),
        model: None,
    };
    let tts = Tts::new(&config).await;
    let settings = get_tts_settings(Mood::Hostile, Some(Emotion::Angry), 50);
    let audio = tts.speak("Non.", &settings, &VoiceSpec::default()).await.expect("elevenlabs");
    assert_eq!((audio.sample_rate, audio.samples.len()), (SAMPLE_RATE, 3));
    let (auth, body) = seen.lock().expect("log")[0].clone();
    assert_eq!(auth, "xi-test");
    let body: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["voice_settings"]["stability"].as_f64().map(|v| (v * 100.0).round()), Some(30.0));
    assert_eq!(body["voice_settings"]["style"].as_f64().map(|v| (v * 100.0).round()), Some(70.0));
}

#[tokio::test]
async fn an_openai_compatible_transcription() {
    let (base, seen) =
        fake("/v1/audio/transcriptions", "application/json", br#"{"text": " Bonjour, je vous appelle. "}"#.to_vec())
            .await;
    let stt = Stt::new(format!("{base}/v1"), Some("sk-stt".into()), None);
    let text = stt.transcribe(vec![1, 2, 3], "tour.webm", "audio/webm").await.expect("transcription");
    assert_eq!(text, "Bonjour, je vous appelle.");
    let (auth, body) = seen.lock().expect("log")[0].clone();
    assert_eq!(auth, "Bearer sk-stt");
    assert!(body.contains("name=\"model\"") && body.contains("whisper-1") && body.contains("name=\"file\""));
}

#[tokio::test]
async fn a_missing_or_unknown_provider_says_why_voice_is_off() {
    let tts = Tts::new(&TtsConfig {
        provider: Some("espeak".into()),
        base_url: Some("/nonexistent/espeak-ng".into()),
        ..TtsConfig::default()
    })
    .await;
    assert!(tts.unavailable().is_some_and(|w| w.contains("espeak-ng")));
    let tts = Tts::new(&TtsConfig { provider: Some("kazoo".into()), ..TtsConfig::default() }).await;
    assert!(tts.unavailable().is_some_and(|w| w.contains("kazoo")));
}
