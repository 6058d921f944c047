//! Optional LLM providers for Réplique: OpenAI-compatible chat completions (OpenAI,
//! Mistral, a local llama.cpp, Ollama or vLLM server) and Anthropic messages, with
//! streaming (SSE) for both. Configured by environment variables; without them there is no
//! LLM and Réplique stays scripted. Keys are never logged.

use std::ops::ControlFlow;
use std::time::Duration;

use serde::Serialize;

mod generate;

pub use generate::{Generation, GenerationError, generate_scenario};

/// What a streaming caller does with each piece of the reply: continue, or stop it.
pub type OnText<'a> = dyn FnMut(&str) -> ControlFlow<()> + Send + 'a;

/// Which API speaks (`REPLIQUE_LLM_PROVIDER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    OpenAi,
    Anthropic,
}

/// The LLM settings (contract): `REPLIQUE_LLM_PROVIDER=openai|anthropic` (unset: no LLM),
/// `REPLIQUE_LLM_BASE_URL`, `REPLIQUE_LLM_API_KEY`, `REPLIQUE_LLM_MODEL`,
/// `REPLIQUE_LLM_TIMEOUT_MS`.
#[derive(Clone)]
pub struct LlmConfig {
    pub provider: Provider,
    pub base_url: String,
    pub api_key: Option<String>,
    pub model: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown REPLIQUE_LLM_PROVIDER {0:?}: expected openai or anthropic")]
    UnknownProvider(String),
    #[error("REPLIQUE_LLM_TIMEOUT_MS must be a number of milliseconds")]
    BadTimeout,
    #[error("{0} must be a whole number")]
    BadLimit(&'static str),
}

impl LlmConfig {
    /// From the environment; `Ok(None)` when no provider is set.
    pub fn from_env() -> Result<Option<Self>, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let Some(name) = var("REPLIQUE_LLM_PROVIDER") else { return Ok(None) };
        let provider = match name.trim().to_ascii_lowercase().as_str() {
            "openai" => Provider::OpenAi,
            "anthropic" => Provider::Anthropic,
            other => return Err(ConfigError::UnknownProvider(other.to_owned())),
        };
        let timeout = match var("REPLIQUE_LLM_TIMEOUT_MS") {
            Some(ms) => Duration::from_millis(ms.trim().parse().map_err(|_| ConfigError::BadTimeout)?),
            None => Duration::from_millis(8000),
        };
        let (base_url, model) = match provider {
            Provider::OpenAi => ("https://api.openai.com/v1", "gpt-4o-mini"),
            Provider::Anthropic => ("https://api.anthropic.com", "claude-3-5-haiku-latest"),
        };
        Ok(Some(LlmConfig {
            provider,
            base_url: var("REPLIQUE_LLM_BASE_URL").unwrap_or_else(|| base_url.to_owned()),
            api_key: var("REPLIQUE_LLM_API_KEY"),
            model: var("REPLIQUE_LLM_MODEL").unwrap_or_else(|| model.to_owned()),
            timeout,
        }))
    }
}

/// Cost control (SPEC 5.4): how much of the model one user may spend. Env vars
/// `REPLIQUE_LLM_CALLS_PER_DAY`, `REPLIQUE_LLM_SESSION_TOKENS`,
/// `REPLIQUE_LLM_SCENARIOS_PER_DAY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Calls to the model per user and UTC day, prospect lines and scenarios together.
    /// Beyond it the prospect speaks its scripted lines and generation answers 429.
    pub calls_per_day: u64,
    /// Tokens (prompt and reply) the prospect's lines may use in one session; beyond it
    /// the rest of the session is scripted.
    pub session_tokens: u64,
    /// Scenario generation attempts per user and UTC day; beyond it, 429.
    pub scenarios_per_day: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { calls_per_day: 300, session_tokens: 60_000, scenarios_per_day: 5 }
    }
}

impl Limits {
    /// The defaults, overridden by the env vars that are set.
    pub fn from_env() -> Result<Self, ConfigError> {
        let read = |name: &'static str, default: u64| -> Result<u64, ConfigError> {
            match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
                Some(v) => v.trim().parse().map_err(|_| ConfigError::BadLimit(name)),
                None => Ok(default),
            }
        };
        let d = Limits::default();
        Ok(Limits {
            calls_per_day: read("REPLIQUE_LLM_CALLS_PER_DAY", d.calls_per_day)?,
            session_tokens: read("REPLIQUE_LLM_SESSION_TOKENS", d.session_tokens)?,
            scenarios_per_day: read("REPLIQUE_LLM_SCENARIOS_PER_DAY", d.scenarios_per_day)?,
        })
    }
}

/// One message of the conversation given to the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    /// `user` or `assistant`.
    pub role: &'static str,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    #[error("the model did not answer in time")]
    Timeout,
    #[error("the provider refused: HTTP {0}")]
    Status(u16),
    #[error("the provider is rate limiting (HTTP 429)")]
    RateLimited,
    #[error("unreadable answer from the provider")]
    Malformed,
    #[error("the reply stream ended before its end marker")]
    Truncated,
    #[error("the provider cannot be reached")]
    Unreachable,
}

impl LlmError {
    /// Whether the provider took the call, and so bills it: it timed out while working on
    /// it, or answered something unusable. A refusal (an HTTP error, a rate limit) or an
    /// unreachable provider cost nothing: such calls do not count against an allowance.
    pub fn billed(&self) -> bool {
        matches!(self, LlmError::Timeout | LlmError::Malformed | LlmError::Truncated)
    }
}

/// A configured provider.
#[derive(Debug, Clone)]
pub struct Llm {
    config: LlmConfig,
    client: reqwest::Client,
}

/// Usage of one call, for cost control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl Usage {
    /// What a call likely cost when the provider does not say.
    pub fn estimate(system: &str, messages: &[ChatMessage], reply: &str) -> Usage {
        let prompt = system.chars().count() + messages.iter().map(|m| m.content.chars().count()).sum::<usize>();
        Usage { input_tokens: estimate_tokens(prompt), output_tokens: estimate_tokens(reply.chars().count()) }
    }
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
    }
}

/// A token count in a provider's answer (0 when it does not say).
fn tokens(body: &serde_json::Value, pointer: &str) -> u64 {
    body.pointer(pointer).and_then(serde_json::Value::as_u64).unwrap_or(0)
}

/// Tokens a text is likely to cost when the provider does not say (streams often don't):
/// about four characters a token for French with the common tokenizers.
fn estimate_tokens(chars: usize) -> u64 {
    u64::try_from(chars.div_ceil(4)).unwrap_or(u64::MAX)
}

impl Llm {
    pub fn new(config: LlmConfig) -> Self {
        let client = reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).build().unwrap_or_default();
        Llm { config, client }
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// The model's whole reply.
    pub async fn complete(
        &self,
        system: &str,
        messages: &[ChatMessage],
        max_tokens: u32,
    ) -> Result<(String, Usage), LlmError> {
        tokio::time::timeout(
            self.config.timeout,
            self.call(system, messages, max_tokens, false, &mut |_| ControlFlow::Continue(())),
        )
        .await
        .map_err(|_| LlmError::Timeout)?
    }

    /// The model's whole reply, with a longer wait (a generated scenario is long).
    pub async fn complete_within(
        &self,
        timeout: Duration,
        system: &str,
        messages: &[ChatMessage],
        max_tokens: u32,
    ) -> Result<(String, Usage), LlmError> {
        tokio::time::timeout(
            timeout,
            self.call(system, messages, max_tokens, false, &mut |_| ControlFlow::Continue(())),
        )
        .await
        .map_err(|_| LlmError::Timeout)?
    }

    /// The reply as it streams: `on_text` gets each piece as it arrives and may stop the
    /// stream (`ControlFlow::Break`: the reply is cut there); the text received is returned.
    pub async fn stream(
        &self,
        system: &str,
        messages: &[ChatMessage],
        max_tokens: u32,
        on_text: &mut OnText<'_>,
    ) -> Result<(String, Usage), LlmError> {
        tokio::time::timeout(self.config.timeout, self.call(system, messages, max_tokens, true, on_text))
            .await
            .map_err(|_| LlmError::Timeout)?
    }

    async fn call(
        &self,
        system: &str,
        messages: &[ChatMessage],
        max_tokens: u32,
        streaming: bool,
        on_text: &mut OnText<'_>,
    ) -> Result<(String, Usage), LlmError> {
        let base = self.config.base_url.trim_end_matches('/');
        let request = match self.config.provider {
            Provider::OpenAi => {
                let mut all = vec![serde_json::json!({"role": "system", "content": system})];
                all.extend(messages.iter().map(|m| serde_json::json!({"role": m.role, "content": m.content})));
                let mut r = self.client.post(format!("{base}/chat/completions")).json(&serde_json::json!({
                    "model": self.config.model,
                    "messages": all,
                    "max_tokens": max_tokens,
                    "temperature": 0.7,
                    "stream": streaming,
                }));
                if let Some(key) = &self.config.api_key {
                    r = r.bearer_auth(key);
                }
                r
            }
            Provider::Anthropic => {
                let mut r =
                    self.client.post(format!("{base}/v1/messages")).header("anthropic-version", "2023-06-01").json(
                        &serde_json::json!({
                            "model": self.config.model,
                            "system": system,
                            "messages": messages,
                            "max_tokens": max_tokens,
                            "stream": streaming,
                        }),
                    );
                if let Some(key) = &self.config.api_key {
                    r = r.header("x-api-key", key);
                }
                r
            }
        };
        let response =
            request.send().await.map_err(|e| if e.is_timeout() { LlmError::Timeout } else { LlmError::Unreachable })?;
        let status = response.status().as_u16();
        if status == 429 {
            return Err(LlmError::RateLimited);
        }
        if !(200..300).contains(&status) {
            return Err(LlmError::Status(status));
        }
        let (text, mut usage) =
            if streaming { self.read_stream(response, on_text).await? } else { self.read_whole(response).await? };
        let estimate = Usage::estimate(system, messages, &text);
        if usage.input_tokens == 0 {
            usage.input_tokens = estimate.input_tokens;
        }
        if usage.output_tokens == 0 {
            usage.output_tokens = estimate.output_tokens;
        }
        Ok((text, usage))
    }

    async fn read_whole(&self, response: reqwest::Response) -> Result<(String, Usage), LlmError> {
        let body: serde_json::Value = response.json().await.map_err(|_| LlmError::Malformed)?;
        let (text, usage) = match self.config.provider {
            Provider::OpenAi => (
                body.pointer("/choices/0/message/content").and_then(|v| v.as_str()),
                Usage {
                    input_tokens: tokens(&body, "/usage/prompt_tokens"),
                    output_tokens: tokens(&body, "/usage/completion_tokens"),
                },
            ),
            Provider::Anthropic => (
                body.pointer("/content/0/text").and_then(|v| v.as_str()),
                Usage {
                    input_tokens: tokens(&body, "/usage/input_tokens"),
                    output_tokens: tokens(&body, "/usage/output_tokens"),
                },
            ),
        };
        text.map(|t| (t.to_owned(), usage)).ok_or(LlmError::Malformed)
    }

    /// Server-sent events: OpenAI `data: {choices[0].delta.content}` … `data: [DONE]`;
    /// Anthropic `content_block_delta` events with `delta.text`, then `message_stop`.
    async fn read_stream(
        &self,
        mut response: reqwest::Response,
        on_text: &mut OnText<'_>,
    ) -> Result<(String, Usage), LlmError> {
        // Bytes until a whole line is in: a character may be split between two chunks.
        let mut buffer: Vec<u8> = Vec::new();
        let mut text = String::new();
        let mut usage = Usage::default();
        let mut done = false;
        while let Some(chunk) = response.chunk().await.map_err(|_| LlmError::Malformed)? {
            buffer.extend_from_slice(&chunk);
            while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line = String::from_utf8_lossy(&buffer[..end]).trim_end_matches('\r').to_owned();
                buffer.drain(..=end);
                let Some(data) = line.strip_prefix("data:").map(str::trim) else { continue };
                if data == "[DONE]" {
                    done = true;
                    continue;
                }
                let event: serde_json::Value = serde_json::from_str(data).map_err(|_| LlmError::Malformed)?;
                let piece = match self.config.provider {
                    Provider::OpenAi => event.pointer("/choices/0/delta/content").and_then(|v| v.as_str()),
                    Provider::Anthropic => match event.get("type").and_then(|t| t.as_str()) {
                        Some("content_block_delta") => event.pointer("/delta/text").and_then(|v| v.as_str()),
                        Some("message_stop") => {
                            done = true;
                            None
                        }
                        Some("message_start") => {
                            usage.input_tokens = tokens(&event, "/message/usage/input_tokens");
                            None
                        }
                        Some("message_delta") => {
                            usage.output_tokens = tokens(&event, "/usage/output_tokens");
                            None
                        }
                        Some("error") => return Err(LlmError::Malformed),
                        _ => None,
                    },
                };
                if let Some(piece) = piece {
                    text.push_str(piece);
                    if on_text(piece).is_break() {
                        // Dropping the response closes the connection: the model stops.
                        return Ok((text, usage));
                    }
                }
            }
        }
        // A stream cut before its end marker may have stopped mid-sentence.
        if !done {
            return Err(LlmError::Truncated);
        }
        Ok((text, usage))
    }
}
