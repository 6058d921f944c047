//! What a turn answers, over HTTP and the live session alike: the prospect's line with its
//! voice rendering, the new state, the patterns found in the learner's message. Built by
//! `training`, written as JSON (and described in the OpenAPI document) as they are.

use replique_core::analysis::{Detection, PatternId};
use replique_core::end::EndType;
use replique_core::engine::{self, Mood};
use schemars::JsonSchema;
use serde::Serialize;

use crate::usage::Limit;

/// The prospect's line of a turn, with its voice rendering.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProspectLine {
    /// The line as shown.
    pub text: String,
    #[serde(rename = "move")]
    pub prospect_move: engine::Move,
    /// Who worded the line: `llm` or `scripted` (the engine decided it either way).
    pub source: Source,
    /// Sentences of the line already sent as audio over the live session while the model
    /// was writing; always 0 over HTTP (0: play `audio_url`).
    pub streamed_parts: usize,
    /// Who says it: the gatekeeper, then (once through) the decision-maker (issue 13).
    pub speaker: String,
    /// How the voice says it: clean text, sounds before, actions, emotion, settings, audio.
    #[serde(flatten)]
    pub voice: crate::voice_view::VoiceView,
}

/// Result of one learner turn.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TurnResponse {
    pub prospect: ProspectLine,
    #[schemars(range(max = 100))]
    pub gauge: u8,
    /// Change of the gauge this turn.
    pub gauge_delta: i32,
    pub mood: Mood,
    /// Patterns detected in the learner's message.
    pub patterns: Vec<PatternView>,
    /// Number of this exchange.
    pub exchange: u32,
    pub session_ended: bool,
    /// Set when an ending is under way or done (may be `prospect_ending` while
    /// `session_ended` is false).
    pub end_type: Option<EndType>,
    /// `/training/report/{id}` once the session has ended, else null.
    pub redirect_url: Option<String>,
    /// Set when a cost limit kept the model from wording this line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm_limit: Option<LimitView>,
}

/// Who worded a prospect line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Llm,
    Scripted,
}

/// Why the model did not word this line (a cost limit was reached); the turn still
/// succeeds.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "LlmLimit")]
pub struct LimitView {
    pub reason: Limit,
    /// French message: the prospect continues with scripted lines.
    pub detail: &'static str,
}

/// A conversation pattern detected in a learner's message.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Pattern")]
pub struct PatternView {
    #[schemars(with = "PatternId")]
    pub pattern: &'static str,
    /// French label.
    pub label: &'static str,
    pub positive: bool,
    /// The learner's words that triggered it.
    pub evidence: String,
    /// Extra information, e.g. the discovery-grid item of a question; omitted when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl From<&Detection> for PatternView {
    fn from(d: &Detection) -> Self {
        PatternView {
            pattern: d.pattern.as_str(),
            label: d.pattern.label(),
            positive: d.pattern.is_positive(),
            evidence: d.evidence.clone(),
            detail: d.detail.clone(),
        }
    }
}
