//! Whether the prospect answers what was asked (issue 13), measured on labelled cases
//! (`corpus/answers/`): a seller's turn in a scenario, the facts already told, and the
//! facts a trainer accepts as an answer, or none when the scenario holds nothing on it.
//!
//! Each case is played as the second exchange of a fresh session (past any gatekeeper,
//! no objection on the table), so that only the choice of the answer is measured.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Agreement, Counts, Evaluation, Miss};
use crate::catalog::Catalog;
use crate::engine::{self, Move, Scenario};
use crate::level::Level;

/// A seller's turn and the facts that answer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerCase {
    pub id: String,
    pub template: String,
    /// Facts the prospect has already told.
    #[serde(default)]
    pub told: Vec<usize>,
    pub line: String,
    /// The facts a trainer accepts as an answer (told again or new); empty when the
    /// scenario holds nothing on what was asked.
    pub answers: Vec<usize>,
    /// The discovery item asked about, if any (for reading the misses).
    #[serde(default)]
    pub item: Option<String>,
}

/// A second reader's answer to a case, given without the author's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerCheck {
    pub id: String,
    pub answers: Vec<usize>,
}

/// Keeps the cases both readers agree on: both say nothing answers, or both name facts
/// that answer, and then only the facts both name count. The others are disputed.
pub fn agreed_answer_cases(cases: Vec<AnswerCase>, checks: &[AnswerCheck]) -> (Vec<AnswerCase>, Agreement) {
    let by_id: HashMap<&str, &AnswerCheck> = checks.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut agreement = Agreement::default();
    let mut kept = Vec::new();
    for mut case in cases {
        let Some(check) = by_id.get(case.id.as_str()) else {
            agreement.unchecked += 1;
            continue;
        };
        let both: Vec<usize> = case.answers.iter().copied().filter(|a| check.answers.contains(a)).collect();
        let agreed = (case.answers.is_empty() && check.answers.is_empty()) || !both.is_empty();
        if agreed {
            agreement.agreed += 1;
            case.answers = both;
            kept.push(case);
        } else {
            agreement.disputed += 1;
        }
    }
    (kept, agreement)
}

/// What the prospect did with a case's turn: the move and the fact told or recalled.
pub fn play_case(scenario: &Scenario, case: &AnswerCase) -> (Move, Option<usize>, String) {
    let (mut state, _) = engine::open(scenario);
    for o in &mut state.objections {
        o.raised_at = None;
    }
    state.pending_objection = None;
    state.objection_on_table = false;
    state.last_objection_at = None;
    state.reached_decision_maker_at = scenario.gatekeeper.as_ref().map(|_| 0);
    state.exchanges = 1;
    // The case is played in a call that got there: what the prospect could only learn from
    // the learner (`after`: the error owned up to) has been said in the first exchange.
    let said_before: Vec<&str> = scenario
        .facts
        .iter()
        .flat_map(|f| &f.after)
        .chain(scenario.hidden_objections.iter().flat_map(|o| &o.after))
        .map(String::as_str)
        .collect();
    if !said_before.is_empty() {
        state.learner_lines.push(said_before.join(", "));
    }
    for &i in case.told.iter().filter(|i| **i < scenario.facts.len()) {
        state.facts_revealed.push(i);
        state.facts_revealed_at.push(1);
        state.used_lines.push(scenario.facts[i].line.clone());
    }
    let item = engine::read_learner_turn(scenario, &mut state.clone(), &case.line).0.discovery_item;
    let turn = engine::play_turn(scenario, &mut state, &case.line);
    let said = format!("[{}] {}", item.as_deref().unwrap_or("-"), turn.prospect_text);
    (turn.prospect_move, state.last_fact, said)
}

/// Plays every case. `answered` counts the cases with an answer in the scenario (right
/// fact: tp, anything else: fn); `nothing_on_it` the others (no fact told: tn, a fact
/// told anyway: fp). Unknown templates or fact indices are errors.
pub fn eval_answers(catalog: &Catalog, cases: &[AnswerCase]) -> Result<Evaluation, String> {
    let mut scenarios: HashMap<&str, Scenario> = HashMap::new();
    let mut out = Evaluation { cases: cases.len(), ..Evaluation::default() };
    for case in cases {
        if !scenarios.contains_key(case.template.as_str()) {
            let skill = catalog
                .template(&case.template)
                .map(|t| t.skill_slug.clone())
                .ok_or_else(|| format!("{}: unknown template {:?}", case.id, case.template))?;
            let scenario = engine::scenario(catalog, &skill, "generic", Level::Medium, Some(&case.template), 0)
                .map_err(|e| format!("{}: {e}", case.id))?;
            scenarios.insert(&case.template, scenario);
        }
        let Some(scenario) = scenarios.get(case.template.as_str()) else { continue };
        if let Some(bad) = case.answers.iter().chain(&case.told).find(|i| **i >= scenario.facts.len()) {
            return Err(format!("{}: no fact {bad} in {}", case.id, case.template));
        }
        let (mv, fact, said) = play_case(scenario, case);
        let expected = !case.answers.is_empty();
        let right = match fact {
            Some(f) => case.answers.contains(&f),
            None => !expected,
        };
        let label = if expected { "answered" } else { "nothing_on_it" };
        let counts: &mut Counts = out.labels.entry(label.to_owned()).or_default();
        match (expected, right) {
            (true, true) => counts.tp += 1,
            (true, false) => counts.fn_ += 1,
            (false, true) => counts.tn += 1,
            (false, false) => counts.fp += 1,
        }
        if !right {
            let got = match fact {
                Some(f) => format!("{mv:?} fact {f}"),
                None => format!("{mv:?}"),
            };
            out.misses.push(Miss {
                id: case.id.clone(),
                label: label.to_owned(),
                kind: format!("expected {:?}, got {got}", case.answers),
                text: format!("{} → {said}", case.line),
            });
        }
    }
    for counts in out.labels.values() {
        out.overall.add(*counts);
    }
    Ok(out)
}
