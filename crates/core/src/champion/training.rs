//! Training on a champion's call: the moments the learner replays (`scenario_of`) and the
//! comparison of their answers with the champion's (`compare`), judged by the same
//! analysis as the sessions.

use serde::{Deserialize, Serialize};

use super::transcript::CallTurn;
use crate::analysis::{self, TurnContext};

/// One moment of the call the learner replays: what the client had just said (nothing at
/// the opening) and how the champion answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallMove {
    pub client_line: Option<String>,
    pub champion_answer: String,
}

/// A training scenario built from a champion's call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChampionScenario {
    pub champion: String,
    /// The client's role or name, as the call labels it.
    pub client: String,
    /// The client's objections, in the order they came.
    pub objections: Vec<String>,
    pub moves: Vec<CallMove>,
}

/// The moments of the call, one per champion turn.
pub fn scenario_of(turns: &[CallTurn], champion: &str) -> ChampionScenario {
    let mut moves = Vec::new();
    let mut last_client: Option<String> = None;
    for t in turns {
        if t.speaker == champion {
            moves.push(CallMove { client_line: last_client.take(), champion_answer: t.text.clone() });
        } else {
            last_client = Some(match last_client.take() {
                Some(before) => format!("{before} {}", t.text),
                None => t.text.clone(),
            });
        }
    }
    let client = turns.iter().find(|t| t.speaker != champion).map_or_else(String::new, |t| t.speaker.clone());
    let objections = turns
        .iter()
        .filter(|t| t.speaker != champion && analysis::is_objection(&t.text))
        .map(|t| t.text.clone())
        .collect();
    ChampionScenario { champion: champion.to_owned(), client, objections, moves }
}

/// One point of the comparison between the learner and the champion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComparisonPoint {
    pub client_line: Option<String>,
    pub learner: AnsweredWith,
    pub champion: AnsweredWith,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnsweredWith {
    pub text: String,
    pub patterns: Vec<String>,
}

/// The patterns of an answer to `client_line` (same analysis as the sessions).
pub fn answer_patterns(client_line: Option<&str>, answer: &str) -> Vec<String> {
    let no_names: [String; 0] = [];
    let ctx = TurnContext {
        previous_prospect_line: client_line.unwrap_or_default(),
        previous_was_objection: client_line.is_some_and(analysis::is_objection),
        live_objection: "",
        competitors: &no_names,
        proof_names: &no_names,
        ..TurnContext::default()
    };
    analysis::analyse_turn(&ctx, answer).iter().map(|d| d.pattern.as_str().to_owned()).collect()
}

/// Point by point: each answered move, the learner's answer and the champion's.
pub fn compare(scenario: &ChampionScenario, answers: &[AnsweredWith]) -> Vec<ComparisonPoint> {
    scenario
        .moves
        .iter()
        .zip(answers)
        .map(|(m, learner)| ComparisonPoint {
            client_line: m.client_line.clone(),
            learner: learner.clone(),
            champion: AnsweredWith {
                text: m.champion_answer.clone(),
                patterns: answer_patterns(m.client_line.as_deref(), &m.champion_answer),
            },
        })
        .collect()
}
