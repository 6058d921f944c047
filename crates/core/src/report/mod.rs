//! The session report (seed phase 3, SPEC 5.7-5.8): score, strengths and weaknesses with
//! the learner's own words, objections, tips and the full transcript.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::analysis::{Detection, PatternId};
use crate::catalog::Objective;
use crate::engine::{CONVERSION_GAUGE, Quality, Scenario, SessionState};
use crate::level::Level;
use crate::text::Normalized;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Prospect,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Prospect => "prospect",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(Role::User),
            "prospect" => Some(Role::Prospect),
            _ => None,
        }
    }
}

/// One stored message, as the report needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptMessage {
    pub role: Role,
    pub content: String,
    pub gauge_after: u8,
    pub patterns: Vec<Detection>,
    /// RFC 3339.
    pub timestamp: String,
    /// How a spoken learner turn was said (voice mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceTiming>,
}

impl TranscriptMessage {
    /// A message without a timestamp or voice timing (replays, transcripts, the terminal).
    pub fn new(role: Role, content: &str, gauge_after: u8, patterns: Vec<Detection>) -> Self {
        TranscriptMessage {
            role,
            content: content.to_owned(),
            gauge_after,
            patterns,
            timestamp: String::new(),
            voice: None,
        }
    }
}

/// How the learner said a turn in voice mode, as the page measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VoiceTiming {
    /// From the first to the last word.
    pub speaking_ms: u32,
    /// Silence between the end of the prospect's line and the first word (none when the
    /// learner spoke over it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_ms: Option<u32>,
    /// Whether the learner started while the prospect was still speaking.
    #[serde(default)]
    pub interrupted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SessionReport {
    pub session_id: i64,
    pub skill_name: String,
    pub sector_name: String,
    pub level: Level,
    pub duration_seconds: i64,
    pub completed_at: String,
    #[schemars(range(max = 100))]
    pub final_score: u8,
    #[schemars(range(max = 100))]
    pub final_gauge: u8,
    #[schemars(range(max = 100))]
    pub starting_gauge: u8,
    pub gauge_progression: i32,
    pub converted: bool,
    pub positive_patterns: Vec<PatternSummary>,
    pub negative_patterns: Vec<PatternSummary>,
    pub objections_handled: Vec<ObjectionReview>,
    pub hidden_objections: Vec<HiddenObjectionReview>,
    pub events_triggered: Vec<EventReview>,
    pub conversion_blockers: Vec<String>,
    pub personalized_tips: Vec<String>,
    pub messages: Vec<ReportMessage>,
    // Beyond the seed.
    pub objectives: Vec<ObjectiveReview>,
    pub score_breakdown: ScoreBreakdown,
    pub delivery: Delivery,
    pub end_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatternSummary {
    pub pattern: String,
    pub label: String,
    pub count: u32,
    pub examples: Vec<String>,
    /// Present for negative patterns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectionReview {
    pub objection: String,
    pub response: String,
    pub quality: Quality,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HiddenObjectionReview {
    pub expressed: String,
    pub hidden: String,
    pub discovered: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_tip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventReview {
    #[serde(rename = "type")]
    pub kind: String,
    /// The French name of the event.
    pub label: String,
    pub handled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_response: Option<String>,
}

/// One of the scenario's objectives: met or not, and the learner's line that met it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectiveReview {
    pub objective: String,
    pub met: bool,
    /// The learner's message with which the last condition was met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_by: Option<String>,
    /// What was still missing, in French, when it was not met (so that a technique found
    /// elsewhere in the report never reads as a contradiction).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReportMessage {
    pub role: Role,
    pub content: String,
    #[schemars(range(max = 100))]
    pub gauge_after: u8,
    pub patterns_detected: Vec<String>,
    pub timestamp: String,
}

/// How the score was made (issue 13): outcomes first (objectives, facts uncovered, hidden
/// objections, a next step), then the techniques (with diminishing returns) and where the
/// gauge ended, less the faults a trainer penalises. `criteria` explains each part with
/// the learner's own sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScoreBreakdown {
    /// Up to 25: the scenario's objectives met.
    pub objectives: i32,
    /// Up to 15: where the gauge ended.
    pub final_gauge: i32,
    /// No longer counted (kept for older readers): the gauge's movement is in `criteria`.
    pub progression: i32,
    /// Up to 15: the good techniques used, each counted at most twice.
    pub techniques: i32,
    /// Up to 15: objections surfaced and treated.
    pub hidden_objections: i32,
    /// 15 when the prospect agreed to a next step.
    pub conversion: i32,
    /// Down to -40: the faults.
    pub penalties: i32,
    /// Up to 15: what the learner got the prospect to tell.
    #[serde(default)]
    pub facts: i32,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[schemars(range(max = 100))]
    pub total: u8,
}

/// One part of the score, with why it got its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Criterion {
    /// `objectives`, `facts`, `objections`, `next_step`, `techniques`, `gauge`, `penalties`.
    pub id: String,
    /// The French name shown in the report.
    pub label: String,
    pub points: i32,
    /// The most it can earn (0 for the penalties).
    pub max: i32,
    /// Whether it applies to this conversation (a transcript has no scripted facts).
    pub applies: bool,
    /// Why, in a sentence.
    pub why: String,
    /// The learner's sentences that earned or cost the points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Delivery {
    /// Share of the words said by the learner (top reps: about 43 %).
    pub talk_ratio: f64,
    pub longest_monologue_words: u32,
    pub questions_asked: u32,
    pub filler_words: u32,
    /// Voice mode (SPEC 5.5): the learner's speaking rate over their spoken turns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words_per_minute: Option<u32>,
    /// Voice mode: the average silence before answering an objection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_after_objection_ms: Option<u32>,
    /// Voice mode: the turns the learner started over the prospect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruptions: Option<u32>,
}

/// What the report is made from.
pub struct ReportInput<'a> {
    pub session_id: i64,
    pub scenario: &'a Scenario,
    pub state: &'a SessionState,
    pub messages: &'a [TranscriptMessage],
    pub duration_seconds: i64,
    pub completed_at: String,
}

/// Whether a step agreed shows `pattern`: asking for a step, whichever way (a proposal or
/// a closing), is shown by the prospect's agreement to one.
fn step_agreed_shows(state: &SessionState, pattern: PatternId) -> bool {
    state.converted && matches!(pattern, PatternId::NextStepProposal | PatternId::ClosingAttempt)
}

pub fn build_report(input: &ReportInput<'_>) -> SessionReport {
    let ReportInput { scenario, state, messages, .. } = input;
    let learner: Vec<&TranscriptMessage> = messages.iter().filter(|m| m.role == Role::User).collect();

    let mut by_pattern: BTreeMap<PatternId, (u32, Vec<String>)> = BTreeMap::new();
    // A technique said again in the same words counts once: « Empathie ×7 » for a « je
    // comprends » tic would praise a habit. Faults count every time.
    let mut praised: BTreeSet<(PatternId, String)> = BTreeSet::new();
    for m in &learner {
        for d in &m.patterns {
            let entry = by_pattern.entry(d.pattern).or_default();
            if !d.pattern.is_positive() || praised.insert((d.pattern, crate::text::normalize(&d.evidence))) {
                entry.0 += 1;
            }
            if entry.1.len() < 3 && !entry.1.contains(&d.evidence) {
                entry.1.push(d.evidence.clone());
            }
        }
    }
    let summary = |(p, (count, examples)): (&PatternId, &(u32, Vec<String>))| PatternSummary {
        pattern: p.as_str().to_owned(),
        label: p.label().to_owned(),
        count: *count,
        examples: examples.clone(),
        advice: (!p.is_positive()).then(|| p.advice().to_owned()),
    };
    let mut positive_patterns: Vec<PatternSummary> =
        by_pattern.iter().filter(|(p, _)| p.is_positive()).map(summary).collect();
    let mut negative_patterns: Vec<PatternSummary> =
        by_pattern.iter().filter(|(p, _)| !p.is_positive()).map(summary).collect();
    positive_patterns.sort_by_key(|p| std::cmp::Reverse(p.count));
    negative_patterns.sort_by_key(|p| std::cmp::Reverse(p.count));

    let mut objections_handled: Vec<ObjectionReview> = scenario
        .hidden_objections
        .iter()
        .zip(&state.objections)
        .filter(|(_, s)| s.raised_at.is_some())
        .map(|(o, s)| {
            let quality = s.quality.unwrap_or(Quality::Poor);
            ObjectionReview {
                objection: o.surface.clone(),
                response: s.response.clone().unwrap_or_else(|| "(pas de réponse)".into()),
                quality,
                advice: objection_advice(quality),
            }
        })
        .collect();
    objections_handled.extend(state.observed_objections.iter().map(|o| ObjectionReview {
        objection: o.surface.clone(),
        response: o.response.clone(),
        quality: o.quality,
        advice: objection_advice(o.quality),
    }));
    let hidden_objections: Vec<HiddenObjectionReview> = scenario
        .hidden_objections
        .iter()
        .zip(&state.objections)
        .filter(|(_, s)| s.raised_at.is_some())
        .map(|(o, s)| HiddenObjectionReview {
            expressed: o.surface.clone(),
            hidden: o.hidden.clone(),
            discovered: s.hidden_revealed,
            discovery_tip: (!s.hidden_revealed).then(|| o.discovery_tip.clone()),
        })
        .collect();

    let objection_replies: Vec<u32> = state.objections.iter().filter_map(|o| o.raised_at).collect();
    let delivery = delivery(messages, &objection_replies);
    let objectives: Vec<ObjectiveReview> =
        scenario.scenario_flow.objectives.iter().map(|o| review_objective(o, input, &learner)).collect();
    let breakdown = score(input, &by_pattern, &objectives);

    let mut conversion_blockers = Vec::new();
    if !state.converted {
        if state.gauge < CONVERSION_GAUGE {
            conversion_blockers.push(format!(
                "L’intérêt du prospect est resté à {} sur 100 : il faut dépasser {CONVERSION_GAUGE} pour qu’il accepte de s’engager.",
                state.gauge
            ));
        }
        if !by_pattern.contains_key(&PatternId::ClosingAttempt)
            && !by_pattern.contains_key(&PatternId::NextStepProposal)
        {
            conversion_blockers.push("Vous n’avez proposé ni étape suivante datée ni décision.".into());
        }
        for h in hidden_objections.iter().filter(|h| !h.discovered) {
            conversion_blockers.push(format!("Objection cachée non découverte : {}", h.hidden));
        }
    }

    let personalized_tips =
        advice::tips(input, &negative_patterns, &by_pattern, &objectives, &hidden_objections, &delivery);

    SessionReport {
        session_id: input.session_id,
        skill_name: scenario.skill_title.clone(),
        sector_name: scenario.sector_name.clone(),
        level: scenario.level,
        duration_seconds: input.duration_seconds.max(0),
        completed_at: input.completed_at.clone(),
        final_score: breakdown.total,
        final_gauge: state.gauge,
        starting_gauge: state.starting_gauge,
        gauge_progression: i32::from(state.gauge) - i32::from(state.starting_gauge),
        converted: state.converted,
        positive_patterns,
        negative_patterns,
        objections_handled,
        hidden_objections,
        events_triggered: scenario
            .events
            .iter()
            .zip(&state.events)
            .filter(|(_, s)| s.triggered_at.is_some())
            .map(|(e, s)| EventReview {
                kind: e.kind.as_str().to_owned(),
                label: e.kind.label().to_owned(),
                handled: s.handled,
                user_response: s.response.clone(),
            })
            .collect(),
        conversion_blockers,
        personalized_tips,
        messages: messages
            .iter()
            .map(|m| ReportMessage {
                role: m.role,
                content: m.content.clone(),
                gauge_after: m.gauge_after,
                patterns_detected: m.patterns.iter().map(|d| d.pattern.as_str().to_owned()).collect(),
                timestamp: m.timestamp.clone(),
            })
            .collect(),
        objectives,
        score_breakdown: breakdown,
        delivery,
        end_type: state.ended.map(|e| e.as_str().to_owned()),
    }
}

pub(crate) fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

mod advice;
mod delivery;
mod score;

use advice::{objection_advice, review_objective};
use delivery::{delivery, voice_tips};
use score::score;

#[cfg(test)]
mod tests;
