//! Speech to text through an OpenAI-compatible transcription API (a whisper server, for
//! instance), configured by `REPLIQUE_STT_BASE_URL`, `REPLIQUE_STT_API_KEY`,
//! `REPLIQUE_STT_MODEL`. Without a base URL there is no transcription (the browser's own
//! recognition and text input still work).

use std::time::Duration;

#[derive(Clone)]
pub struct Stt {
    base_url: String,
    api_key: Option<String>,
    model: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for Stt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stt").field("base_url", &self.base_url).field("model", &self.model).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error("the transcription service failed: {0}")]
    Provider(String),
}

impl Stt {
    /// From the environment, if `REPLIQUE_STT_BASE_URL` is set.
    pub fn from_env() -> Option<Self> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Some(Stt::new(var("REPLIQUE_STT_BASE_URL")?, var("REPLIQUE_STT_API_KEY"), var("REPLIQUE_STT_MODEL")))
    }

    pub fn new(base_url: String, api_key: Option<String>, model: Option<String>) -> Self {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap_or_default();
        Stt { base_url, api_key, model: model.unwrap_or_else(|| "whisper-1".into()), client }
    }

    /// The service's address (named on the privacy page as a processor).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The French text of a recording.
    pub async fn transcribe(&self, audio: Vec<u8>, file_name: &str, mime: &str) -> Result<String, SttError> {
        let part = reqwest::multipart::Part::bytes(audio)
            .file_name(file_name.to_owned())
            .mime_str(mime)
            .map_err(|_| SttError::Provider("type de fichier invalide".into()))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("model", self.model.clone())
            .text("language", "fr")
            .text("response_format", "json");
        let mut request =
            self.client.post(format!("{}/audio/transcriptions", self.base_url.trim_end_matches('/'))).multipart(form);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|e| {
            SttError::Provider(if e.is_timeout() { "délai dépassé".into() } else { "requête impossible".into() })
        })?;
        if !response.status().is_success() {
            return Err(SttError::Provider(format!("HTTP {}", response.status())));
        }
        let body: serde_json::Value =
            response.json().await.map_err(|_| SttError::Provider("réponse illisible".into()))?;
        body.get("text")
            .and_then(|t| t.as_str())
            .map(|t| t.trim().to_owned())
            .ok_or_else(|| SttError::Provider("réponse sans texte".into()))
    }
}
