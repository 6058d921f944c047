//! Text to speech: espeak-ng offline (the default), ElevenLabs, or an OpenAI-compatible
//! speech API, chosen by environment variables. Audio is cached by a hash of the text, the
//! voice and the settings.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use replique_core::voice::TtsSettings;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::audio::{Audio, SAMPLE_RATE};

/// Which provider speaks (`REPLIQUE_TTS_PROVIDER`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TtsProvider {
    Espeak { binary: PathBuf },
    ElevenLabs { base_url: String, api_key: String, voice: String },
    OpenAi { base_url: String, api_key: String, voice: String, model: String },
    None,
}

/// The voice settings from the environment (contract): `REPLIQUE_TTS_PROVIDER=espeak|
/// elevenlabs|openai|none` (default espeak), `REPLIQUE_TTS_BASE_URL`, `REPLIQUE_TTS_API_KEY`,
/// `REPLIQUE_TTS_VOICE`, `REPLIQUE_TTS_MODEL`.
#[derive(Clone, Default)]
pub struct TtsConfig {
    pub provider: Option<String>,
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub voice: Option<String>,
    pub model: Option<String>,
}

impl std::fmt::Debug for TtsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never printed.
        f.debug_struct("TtsConfig")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("voice", &self.voice)
            .field("model", &self.model)
            .finish()
    }
}

impl TtsConfig {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        TtsConfig {
            provider: var("REPLIQUE_TTS_PROVIDER"),
            base_url: var("REPLIQUE_TTS_BASE_URL"),
            api_key: var("REPLIQUE_TTS_API_KEY"),
            voice: var("REPLIQUE_TTS_VOICE"),
            model: var("REPLIQUE_TTS_MODEL"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    #[error("voice disabled: {0}")]
    Unavailable(String),
    #[error("the voice engine failed: {0}")]
    Engine(String),
    #[error("the speech provider failed: {0}")]
    Provider(String),
    #[error("invalid audio from the voice: {0}")]
    Audio(#[from] crate::audio::WavError),
}

/// Who speaks: the persona's gender for the offline voice, a provider voice id otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceSpec {
    pub gender: String,
    pub voice_id: Option<String>,
}

impl Default for VoiceSpec {
    fn default() -> Self {
        VoiceSpec { gender: "female".into(), voice_id: None }
    }
}

/// A speech provider with its cache.
pub struct Tts {
    provider: TtsProvider,
    /// Why voice is off, when it is.
    unavailable: Option<String>,
    client: reqwest::Client,
    cache: Mutex<HashMap<String, Arc<Audio>>>,
}

const CACHE_ENTRIES: usize = 512;

impl Tts {
    /// Builds the provider the configuration names; espeak-ng is checked for presence.
    pub async fn new(config: &TtsConfig) -> Self {
        let provider_name = config.provider.as_deref().unwrap_or("espeak").to_ascii_lowercase();
        let key = || config.api_key.clone().unwrap_or_default();
        let (provider, unavailable) = match provider_name.as_str() {
            "none" => (TtsProvider::None, Some("le mode vocal est désactivé (REPLIQUE_TTS_PROVIDER=none)".to_owned())),
            "elevenlabs" => (
                TtsProvider::ElevenLabs {
                    base_url: config.base_url.clone().unwrap_or_else(|| "https://api.elevenlabs.io".into()),
                    api_key: key(),
                    voice: config.voice.clone().unwrap_or_else(|| "21m00Tcm4TlvDq8ikWAM".into()),
                },
                config.api_key.is_none().then(|| "REPLIQUE_TTS_API_KEY manque pour ElevenLabs".to_owned()),
            ),
            "openai" => (
                TtsProvider::OpenAi {
                    base_url: config.base_url.clone().unwrap_or_else(|| "https://api.openai.com/v1".into()),
                    api_key: key(),
                    voice: config.voice.clone().unwrap_or_else(|| "alloy".into()),
                    model: config.model.clone().unwrap_or_else(|| "gpt-4o-mini-tts".into()),
                },
                None,
            ),
            "espeak" | "espeak-ng" => {
                let binary = PathBuf::from(config.base_url.clone().unwrap_or_else(|| "espeak-ng".into()));
                let ok = tokio::process::Command::new(&binary)
                    .arg("--version")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .await
                    .is_ok_and(|s| s.success());
                let why = (!ok).then(|| {
                    "espeak-ng n’est pas installé sur le serveur : le mode vocal est désactivé (apt-get install espeak-ng)".to_owned()
                });
                (TtsProvider::Espeak { binary }, why)
            }
            other => (
                TtsProvider::None,
                Some(format!("fournisseur de voix inconnu : {other} (espeak, elevenlabs, openai ou none)")),
            ),
        };
        if let Some(why) = &unavailable {
            tracing::warn!(reason = %why, "voice is off");
        }
        let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap_or_default();
        Tts { provider, unavailable, client, cache: Mutex::new(HashMap::new()) }
    }

    /// Forgets every cached line (benchmarks measure the voice itself).
    pub fn clear_cache(&self) {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// Why the voice is off, if it is.
    pub fn unavailable(&self) -> Option<&str> {
        self.unavailable.as_deref()
    }

    pub fn provider(&self) -> &TtsProvider {
        &self.provider
    }

    /// Speaks `text` (already cleaned of stage directions).
    pub async fn speak(&self, text: &str, settings: &TtsSettings, voice: &VoiceSpec) -> Result<Arc<Audio>, TtsError> {
        if let Some(why) = &self.unavailable {
            return Err(TtsError::Unavailable(why.clone()));
        }
        let key = self.cache_key(text, settings, voice);
        if let Some(hit) = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key) {
            return Ok(Arc::clone(hit));
        }
        let audio = Arc::new(if text.trim().is_empty() {
            Audio::silence(SAMPLE_RATE, 0.05)
        } else {
            match &self.provider {
                TtsProvider::Espeak { binary } => espeak(binary, text, settings, voice).await?,
                TtsProvider::ElevenLabs { base_url, api_key, voice: default_voice } => {
                    self.elevenlabs(
                        base_url,
                        api_key,
                        voice.voice_id.as_deref().unwrap_or(default_voice),
                        text,
                        settings,
                    )
                    .await?
                }
                TtsProvider::OpenAi { base_url, api_key, voice: default_voice, model } => {
                    self.openai(
                        base_url,
                        api_key,
                        voice.voice_id.as_deref().unwrap_or(default_voice),
                        model,
                        text,
                        settings,
                    )
                    .await?
                }
                TtsProvider::None => return Err(TtsError::Unavailable("aucun fournisseur de voix".into())),
            }
        });
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&audio));
        Ok(audio)
    }

    fn cache_key(&self, text: &str, settings: &TtsSettings, voice: &VoiceSpec) -> String {
        let provider = match &self.provider {
            TtsProvider::Espeak { .. } => "espeak".to_owned(),
            TtsProvider::ElevenLabs { voice, .. } => format!("elevenlabs:{voice}"),
            TtsProvider::OpenAi { voice, model, .. } => format!("openai:{model}:{voice}"),
            TtsProvider::None => "none".to_owned(),
        };
        let mut hash = Sha256::new();
        hash.update(provider.as_bytes());
        hash.update(format!("|{voice:?}|{settings:?}|").as_bytes());
        hash.update(text.as_bytes());
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    async fn elevenlabs(
        &self,
        base: &str,
        key: &str,
        voice: &str,
        text: &str,
        s: &TtsSettings,
    ) -> Result<Audio, TtsError> {
        let url = format!("{}/v1/text-to-speech/{voice}?output_format=pcm_22050", base.trim_end_matches('/'));
        let body = serde_json::json!({
            "text": text,
            "model_id": "eleven_multilingual_v2",
            "voice_settings": {"stability": s.stability, "similarity_boost": s.similarity_boost, "style": s.style},
        });
        let response =
            self.client.post(url).header("xi-api-key", key).json(&body).send().await.map_err(provider_error)?;
        let bytes = checked(response).await?;
        // Raw 16-bit little-endian PCM at 22 050 Hz.
        let samples = bytes.chunks_exact(2).map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) / 32768.0).collect();
        Ok(Audio { sample_rate: SAMPLE_RATE, samples })
    }

    async fn openai(
        &self,
        base: &str,
        key: &str,
        voice: &str,
        model: &str,
        text: &str,
        s: &TtsSettings,
    ) -> Result<Audio, TtsError> {
        let url = format!("{}/audio/speech", base.trim_end_matches('/'));
        let speed = (s.prosody.rate as f32 / 165.0).clamp(0.5, 2.0);
        let body = serde_json::json!({"model": model, "input": text, "voice": voice, "response_format": "wav", "speed": speed});
        let response = self.client.post(url).bearer_auth(key).json(&body).send().await.map_err(provider_error)?;
        let bytes = checked(response).await?;
        Ok(Audio::from_wav(&bytes)?)
    }
}

fn provider_error(e: reqwest::Error) -> TtsError {
    // Never include the request (it may carry the key): the error kind and URL host only.
    TtsError::Provider(if e.is_timeout() { "délai dépassé".into() } else { "requête impossible".into() })
}

async fn checked(response: reqwest::Response) -> Result<Vec<u8>, TtsError> {
    let status = response.status();
    if !status.is_success() {
        return Err(TtsError::Provider(format!("HTTP {status}")));
    }
    Ok(response.bytes().await.map_err(provider_error)?.to_vec())
}

/// The offline voice: espeak-ng with the emotion's prosody, reading from stdin.
async fn espeak(binary: &PathBuf, text: &str, settings: &TtsSettings, voice: &VoiceSpec) -> Result<Audio, TtsError> {
    let p = settings.prosody;
    let variant = if voice.gender.eq_ignore_ascii_case("male") { "fr" } else { "fr+f3" };
    let mut child = tokio::process::Command::new(binary)
        .args(["-v", variant, "-s", &p.rate.to_string(), "-p", &p.pitch.to_string(), "-a", &p.volume.to_string()])
        .args(["-g", &p.word_gap.to_string(), "--stdout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| TtsError::Engine(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).await.map_err(|e| TtsError::Engine(e.to_string()))?;
    }
    let output = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .map_err(|_| TtsError::Engine("timeout".into()))?
        .map_err(|e| TtsError::Engine(e.to_string()))?;
    if !output.status.success() {
        return Err(TtsError::Engine(format!("espeak-ng exited with {}", output.status)));
    }
    Ok(Audio::from_wav(&output.stdout)?)
}
