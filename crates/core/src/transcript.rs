//! Analysing a conversation whose prospect lines are given (a recorded call, a transcript
//! pasted by a manager): the engine analyses and scores, it does not play the prospect.
//! Used by `replique analyze`, and by the report of such a conversation.

use serde::{Deserialize, Serialize};

use crate::analysis::PatternId;
use crate::end::{self, EndType};
use crate::engine::{self, Quality, Scenario, SessionState};
use crate::report::{Role, TranscriptMessage};
use crate::text::Normalized;

/// One learner message and the prospect's answer, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenExchange {
    pub user: String,
    pub prospect: String,
}

/// What the analysis found in one exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeAnalysis {
    /// 1-based.
    pub index: u32,
    pub user: String,
    pub prospect: String,
    pub patterns: Vec<String>,
    pub gauge_after: u8,
    pub end: EndCheck,
    /// How the learner's line was read: its sentences, acts, targets, relevance, novelty.
    pub reading: crate::analysis::TurnReading,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndCheck {
    pub is_ended: bool,
    pub end_type: Option<EndType>,
}

/// The analysed conversation: the final state (for the report), each exchange, and the
/// messages with their patterns.
#[derive(Debug, Clone)]
pub struct TranscriptAnalysis {
    pub state: SessionState,
    pub exchanges: Vec<ExchangeAnalysis>,
    pub messages: Vec<TranscriptMessage>,
}

/// How prospects accept a next step or a deal.
const ACCEPTANCE_CUES: &[&str] = &[
    "d accord",
    "ca me va",
    "ok pour",
    "allons y",
    "c est note",
    "je signe",
    "banco",
    "entendu",
    "ca marche",
    "va pour",
    "je suis partant",
    "je suis partante",
    "on fait comme ca",
    "tres bien",
];

/// Analyses a recorded conversation. `opening` is the prospect's first line, if the
/// recording starts with it.
pub fn analyse_transcript(
    scenario: &Scenario,
    opening: Option<&str>,
    exchanges: &[GivenExchange],
    min_exchanges: u32,
) -> TranscriptAnalysis {
    let (mut state, _) = engine::open(scenario);
    state.last_prospect_line = opening.unwrap_or_default().to_owned();
    // What the prospect said, for the reading (reformulations restate it).
    state.used_lines = opening.map(str::to_owned).into_iter().collect();
    state.objection_on_table = opening.is_some_and(crate::analysis::is_objection);
    let mut messages = Vec::new();
    if let Some(line) = opening {
        messages.push(TranscriptMessage::new(Role::Prospect, line, state.gauge, Vec::new()));
    }
    let mut analysed = Vec::new();
    for (i, exchange) in exchanges.iter().enumerate() {
        let index = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (reading, patterns) = engine::read_learner_turn(scenario, &mut state, &exchange.user);
        let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
        if state.objection_on_table {
            let quality =
                if has(PatternId::ObjectionDig) || has(PatternId::ObjectionNeutralize) || has(PatternId::ObjectionZoom)
                {
                    Quality::Good
                } else if has(PatternId::ObjectionIgnored) {
                    Quality::Poor
                } else {
                    Quality::Average
                };
            state.observed_objections.push(engine::ObservedObjection {
                surface: state.last_prospect_line.clone(),
                response: exchange.user.trim().to_owned(),
                quality,
            });
        }
        let delta = engine::gauge_delta_for(scenario, &patterns, Normalized::new(&exchange.user).word_count());
        let attempted = has(PatternId::ClosingAttempt) || has(PatternId::NextStepProposal);
        if attempted
            && Normalized::new(&exchange.prospect).find_any(ACCEPTANCE_CUES).is_some()
            && state.converted_at.is_none()
        {
            state.converted = true;
            state.converted_at = Some(index);
        }
        state.gauge = engine::clamp_gauge(i32::from(state.gauge) + delta);
        let (is_ended, end_type) =
            end::detect_conversation_end(&exchange.user, &exchange.prospect, index, min_exchanges);
        if is_ended && state.ended.is_none() {
            state.ended = end_type;
        }
        state.exchanges = index;
        state.last_prospect_line = exchange.prospect.clone();
        state.used_lines.push(exchange.prospect.clone());
        state.objection_on_table = crate::analysis::is_objection(&exchange.prospect);
        messages.push(TranscriptMessage::new(Role::User, &exchange.user, state.gauge, patterns.clone()));
        messages.push(TranscriptMessage::new(Role::Prospect, &exchange.prospect, state.gauge, Vec::new()));
        analysed.push(ExchangeAnalysis {
            index,
            user: exchange.user.clone(),
            prospect: exchange.prospect.clone(),
            patterns: patterns.iter().map(|d| d.pattern.as_str().to_owned()).collect(),
            gauge_after: state.gauge,
            end: EndCheck { is_ended, end_type },
            reading,
        });
    }
    TranscriptAnalysis { state, exchanges: analysed, messages }
}

/// Prepares a scenario for a conversation whose prospect lines are given: the scripted
/// facts, objections and events did not happen, and an objective keeps only what a real
/// call shows (techniques, discovery questions, an agreed next step); one left with
/// nothing to check is dropped.
pub fn keep_observable(scenario: &mut Scenario) {
    scenario.facts.clear();
    scenario.hidden_objections.clear();
    scenario.events.clear();
    for objective in &mut scenario.scenario_flow.objectives {
        let m = &mut objective.met_when;
        m.facts.clear();
        m.key_fact = false;
        m.objections_uncovered.clear();
        m.reached_decision_maker = false;
        m.gauge_at_least = None;
    }
    scenario
        .scenario_flow
        .objectives
        .retain(|o| !o.met_when.patterns.is_empty() || !o.met_when.discovery.is_empty() || o.met_when.converted);
}

/// A transcript read from a file: optional settings, an optional opening line, exchanges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedTranscript {
    pub skill: Option<String>,
    pub sector: Option<String>,
    pub level: Option<String>,
    pub min_exchanges: Option<u32>,
    pub opening: Option<String>,
    pub exchanges: Vec<GivenExchange>,
}

/// A transcript that cannot be read, with the line at fault (1-based; 0 for the whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TranscriptError {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonTranscript {
    skill: Option<String>,
    sector: Option<String>,
    level: Option<String>,
    min_exchanges: Option<u32>,
    messages: Vec<JsonMessage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonMessage {
    role: Role,
    content: String,
}

const USER_LABELS: &[&str] = &["vendeur", "vendeuse", "commercial", "commerciale", "moi", "user", "learner"];
const PROSPECT_LABELS: &[&str] = &["prospect", "client", "cliente", "interlocuteur", "interlocutrice"];

/// Reads a transcript: JSON `{"skill"?, "sector"?, "level"?, "min_exchanges"?, "messages":
/// [{"role": "user"|"prospect", "content"}]}`, or plain text with one message per line
/// prefixed `Vendeur:` / `Prospect:` (or `Commercial:`, `Client:`...). Consecutive lines of
/// the same speaker are joined; a line without a prefix continues the previous message.
pub fn parse_transcript(input: &str) -> Result<ParsedTranscript, TranscriptError> {
    let trimmed = input.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(TranscriptError { line: 0, message: "the transcript is empty".into() });
    }
    let (settings, messages): (ParsedTranscript, Vec<(usize, Role, String)>) = if trimmed.starts_with('{') {
        let parsed: JsonTranscript = serde_json::from_str(trimmed)
            .map_err(|e| TranscriptError { line: e.line(), message: format!("invalid JSON: {e}") })?;
        let messages = parsed.messages.into_iter().enumerate().map(|(i, m)| (i + 1, m.role, m.content)).collect();
        (
            ParsedTranscript {
                skill: parsed.skill,
                sector: parsed.sector,
                level: parsed.level,
                min_exchanges: parsed.min_exchanges,
                ..Default::default()
            },
            messages,
        )
    } else {
        let mut messages: Vec<(usize, Role, String)> = Vec::new();
        for (i, raw) in trimmed.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            match speaker(line) {
                Some((role, text)) => messages.push((i + 1, role, text.to_owned())),
                None => match messages.last_mut() {
                    Some(last) => {
                        last.2.push(' ');
                        last.2.push_str(line);
                    }
                    None => {
                        return Err(TranscriptError {
                            line: i + 1,
                            message: "expected a speaker: « Vendeur: ... » or « Prospect: ... »".into(),
                        });
                    }
                },
            }
        }
        (ParsedTranscript::default(), messages)
    };
    let mut out = settings;
    let mut pending_user: Option<String> = None;
    for (line, role, content) in messages {
        let content = content.trim().to_owned();
        if content.is_empty() {
            return Err(TranscriptError { line, message: "empty message".into() });
        }
        match role {
            Role::User => match &mut pending_user {
                Some(text) => {
                    text.push(' ');
                    text.push_str(&content);
                }
                None => pending_user = Some(content),
            },
            Role::Prospect => match pending_user.take() {
                Some(user) => out.exchanges.push(GivenExchange { user, prospect: content }),
                None if out.exchanges.is_empty() && out.opening.is_none() => out.opening = Some(content),
                None => match out.exchanges.last_mut() {
                    Some(last) => {
                        last.prospect.push(' ');
                        last.prospect.push_str(&content);
                    }
                    None => out.opening = out.opening.take().map(|o| format!("{o} {content}")),
                },
            },
        }
    }
    if let Some(user) = pending_user {
        out.exchanges.push(GivenExchange { user, prospect: String::new() });
    }
    if out.exchanges.is_empty() {
        return Err(TranscriptError { line: 0, message: "no message from the salesperson (Vendeur:)".into() });
    }
    Ok(out)
}

/// `Vendeur: Bonjour` -> (User, "Bonjour").
fn speaker(line: &str) -> Option<(Role, &str)> {
    let (label, text) = line.split_once(':')?;
    let label = crate::text::normalize(label);
    if USER_LABELS.contains(&label.as_str()) {
        Some((Role::User, text))
    } else if PROSPECT_LABELS.contains(&label.as_str()) {
        Some((Role::Prospect, text))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::level::Level;

    fn given(pairs: &[(&str, &str)]) -> Vec<GivenExchange> {
        pairs.iter().map(|(u, p)| GivenExchange { user: (*u).into(), prospect: (*p).into() }).collect()
    }

    #[test]
    fn text_and_json_transcripts_are_read() {
        let text = "Prospect : Allô ?\nVendeur: Bonjour, comment allez-vous ?\nsuite de la phrase.\nClient: Bien.\nVendeur: Au revoir.";
        let parsed = parse_transcript(text).expect("text");
        assert_eq!(parsed.opening.as_deref(), Some("Allô ?"));
        assert_eq!(parsed.exchanges.len(), 2);
        assert_eq!(parsed.exchanges[0].user, "Bonjour, comment allez-vous ? suite de la phrase.");
        assert_eq!(parsed.exchanges[1].prospect, "");
        let json = r#"{"skill": "negociation", "messages": [{"role": "user", "content": "Bonjour"}, {"role": "prospect", "content": "Oui ?"}]}"#;
        let parsed = parse_transcript(json).expect("json");
        assert_eq!(parsed.skill.as_deref(), Some("negociation"));
        assert_eq!(parsed.exchanges, given(&[("Bonjour", "Oui ?")]));
    }

    #[test]
    fn malformed_transcripts_name_the_line() {
        assert_eq!(parse_transcript("Bonjour\nVendeur: x").unwrap_err().line, 1);
        assert_eq!(parse_transcript("").unwrap_err().line, 0);
        assert_eq!(
            parse_transcript("{\n\"messages\": [\n{\"role\": \"boss\", \"content\": \"x\"}]}").unwrap_err().line,
            3
        );
        assert!(parse_transcript("Prospect: Allô ?").is_err(), "no salesperson line");
    }

    #[test]
    fn a_recorded_call_is_analysed_exchange_by_exchange() {
        let catalog = Catalog::embedded().expect("catalogue");
        let s = engine::scenario(&catalog, "objections_cnz", "generic", Level::Expert, None, 1).expect("scenario");
        let exchanges = given(&[
            (
                "Bonjour, comment gérez-vous vos achats aujourd'hui ?",
                "Honnêtement, votre offre est trop cher pour nous.",
            ),
            ("Trop cher par rapport à quoi ?", "Par rapport à notre fournisseur actuel."),
            ("Je vous propose un rendez-vous mardi à 10h pour comparer ?", "D'accord, ça me va."),
            ("Merci pour votre temps, au revoir.", "Au revoir, bonne journée."),
        ]);
        let analysis = analyse_transcript(&s, None, &exchanges, 4);
        assert_eq!(analysis.exchanges.len(), 4);
        assert!(analysis.exchanges[1].patterns.contains(&"objection_dig".to_owned()));
        assert_eq!(analysis.state.observed_objections.len(), 1);
        assert_eq!(analysis.state.observed_objections[0].quality, Quality::Good);
        assert!(analysis.state.converted);
        let last = analysis.exchanges.last().expect("exchanges");
        assert_eq!(last.end, EndCheck { is_ended: true, end_type: Some(EndType::MutualGoodbye) });
        assert_eq!(analysis.messages.len(), 8);
    }
}
