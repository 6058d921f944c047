//! Evaluation of the analysis against the labelled corpus (`corpus/`, issue 12): pattern
//! cases (a seller's line in its context, the patterns it shows and the look-alikes it
//! does not), end-of-conversation cases (a line, and whether it says goodbye) and answer
//! cases (a question, and the facts that answer it: `answers`).
//!
//! Pure: the caller reads the files; this parses, runs the analysis and counts.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

mod answers;
pub use answers::{AnswerCase, AnswerCheck, agreed_answer_cases, eval_answers, play_case};

use crate::analysis::{self, PatternId, TurnContext};
use crate::catalog::Catalog;
use crate::end;
use crate::engine::{self, Scenario};
use crate::level::Level;

/// What a corpus file holds one of per line (a case or a second reading).
pub use serde::de::DeserializeOwned as Record;

/// A seller's line in its context, with its labels (see `corpus/GUIDE.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternCase {
    pub id: String,
    pub skill: String,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub prospect: String,
    #[serde(default)]
    pub objection_live: bool,
    #[serde(default)]
    pub history: Vec<String>,
    #[serde(default)]
    pub discovery_done: bool,
    #[serde(default)]
    pub price_on_table: bool,
    #[serde(default)]
    pub closed_streak: u32,
    #[serde(default)]
    pub turns_without_question: u32,
    pub text: String,
    #[serde(default)]
    pub expect: Vec<String>,
    #[serde(default)]
    pub reject: Vec<String>,
    #[serde(default)]
    pub item: Option<String>,
}

/// A line, and whether it says goodbye.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndCase {
    pub id: String,
    pub speaker: Speaker,
    pub text: String,
    pub goodbye: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Learner,
    Prospect,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}:{line}: {message}")]
pub struct CorpusError {
    pub source_name: String,
    pub line: usize,
    pub message: String,
}

/// Parses JSON Lines (blank lines skipped); `source_name` names the file in errors.
pub fn parse_lines<T: for<'de> Deserialize<'de>>(source_name: &str, text: &str) -> Result<Vec<T>, CorpusError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| CorpusError {
                source_name: source_name.to_owned(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// True and false positives and negatives of one label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub tp: u32,
    pub fn_: u32,
    pub fp: u32,
    pub tn: u32,
}

impl Counts {
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// The share of look-alikes wrongly tagged.
    pub fn false_alarms(&self) -> f64 {
        if self.fp + self.tn == 0 { 0.0 } else { f64::from(self.fp) / f64::from(self.fp + self.tn) }
    }
    pub fn agreement(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
    pub(crate) fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fn_ += other.fn_;
        self.fp += other.fp;
        self.tn += other.tn;
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 1.0 } else { f64::from(a) / f64::from(b) }
}

/// One wrong answer, to read when tuning (on the dev split only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Miss {
    pub id: String,
    pub label: String,
    /// `missed` (expected, not found) or `false_alarm` (rejected, found); for answer
    /// cases, what was expected and what the prospect did.
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub cases: usize,
    pub overall: Counts,
    pub labels: BTreeMap<String, Counts>,
    /// Discovery questions whose COMPIR/BEBEDC item was right, out of those labelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_right: Option<(u32, u32)>,
    pub misses: Vec<Miss>,
}

/// Runs the analysis on every pattern case. Unknown templates or skills are errors.
pub fn eval_patterns(catalog: &Catalog, cases: &[PatternCase]) -> Result<Evaluation, String> {
    let mut scenarios: HashMap<String, Scenario> = HashMap::new();
    let mut out = Evaluation { cases: cases.len(), ..Evaluation::default() };
    let (mut items_ok, mut items_all) = (0, 0);
    for case in cases {
        for label in case.expect.iter().chain(&case.reject) {
            PatternId::parse(label).ok_or_else(|| format!("{}: unknown pattern {label:?}", case.id))?;
        }
        let key = case.template.clone().unwrap_or_else(|| case.skill.clone());
        if !scenarios.contains_key(&key) {
            scenarios.insert(key.clone(), case_scenario(catalog, case)?);
        }
        let Some(scenario) = scenarios.get(&key) else { continue };
        let (_, found) = read_case(scenario, case);
        let has = |label: &str| found.iter().any(|d| d.pattern.as_str() == label);
        let mut tally = |label: &str, expected: bool| {
            let hit = has(label);
            let counts = out.labels.entry(label.to_owned()).or_default();
            match (expected, hit) {
                (true, true) => counts.tp += 1,
                (true, false) => counts.fn_ += 1,
                (false, true) => counts.fp += 1,
                (false, false) => counts.tn += 1,
            }
            if expected != hit {
                out.misses.push(Miss {
                    id: case.id.clone(),
                    label: label.to_owned(),
                    kind: if expected { "missed" } else { "false_alarm" }.to_owned(),
                    text: case.text.clone(),
                });
            }
        };
        case.expect.iter().for_each(|l| tally(l, true));
        case.reject.iter().for_each(|l| tally(l, false));
        let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion);
        if let (Some(item), Some(d)) = (&case.item, discovery) {
            items_all += 1;
            if d.detail.as_deref() == Some(item.as_str()) {
                items_ok += 1;
            }
        }
    }
    for counts in out.labels.values() {
        out.overall.add(*counts);
    }
    out.items_right = (items_all > 0).then_some((items_ok, items_all));
    Ok(out)
}

/// The scenario a case is played in (its template, in the generic sector at medium level).
pub fn case_scenario(catalog: &Catalog, case: &PatternCase) -> Result<Scenario, String> {
    engine::scenario(catalog, &case.skill, "generic", Level::Medium, case.template.as_deref(), 0)
        .map_err(|e| format!("{}: {e}", case.id))
}

/// The reading and the patterns of one case, in its context.
pub fn read_case(scenario: &Scenario, case: &PatternCase) -> (analysis::TurnReading, Vec<analysis::Detection>) {
    let competitors = engine::competitors(scenario);
    let proof = engine::proof_names(scenario);
    let ctx = TurnContext {
        prospect_name: &scenario.prospect.name,
        company: &scenario.prospect.company,
        previous_prospect_line: &case.prospect,
        previous_was_objection: case.objection_live,
        live_objection: "",
        closed_question_streak: case.closed_streak,
        turns_without_question: case.turns_without_question,
        discovery_questions: u32::from(case.discovery_done),
        competitors: &competitors,
        proof_names: &proof,
        earlier_learner_lines: &case.history,
        earlier_prospect_lines: &[],
        price_on_table: case.price_on_table,
        topics: case.template.as_ref().map(|_| scenario.topics()),
        skill: &case.skill,
        feminine: case.template.as_ref().map(|_| engine::is_feminine(scenario)),
    };
    analysis::read_and_judge(&ctx, &case.text)
}

/// Runs end-of-conversation detection on every case: the learner's lines through
/// `user_said_bye`, the prospect's through `prospect_said_bye` (no template triggers).
pub fn eval_end(cases: &[EndCase]) -> Evaluation {
    let mut out = Evaluation { cases: cases.len(), ..Evaluation::default() };
    for case in cases {
        let said = match case.speaker {
            Speaker::Learner => end::user_said_bye(&case.text, &[]),
            Speaker::Prospect => end::prospect_said_bye(&case.text, &[]),
        };
        let label = match case.speaker {
            Speaker::Learner => "learner_goodbye",
            Speaker::Prospect => "prospect_goodbye",
        };
        let counts = out.labels.entry(label.to_owned()).or_default();
        match (case.goodbye, said) {
            (true, true) => counts.tp += 1,
            (true, false) => counts.fn_ += 1,
            (false, true) => counts.fp += 1,
            (false, false) => counts.tn += 1,
        }
        if case.goodbye != said {
            out.misses.push(Miss {
                id: case.id.clone(),
                label: label.to_owned(),
                kind: if case.goodbye { "missed" } else { "false_alarm" }.to_owned(),
                text: case.text.clone(),
            });
        }
    }
    for counts in out.labels.values() {
        out.overall.add(*counts);
    }
    out
}

/// The floors CI holds the held-out split to (`corpus/thresholds.json`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Floors {
    pub patterns_recall: f64,
    pub patterns_precision: f64,
    pub patterns_false_alarms_max: f64,
    pub end_agreement: f64,
    /// Share of held-out answer cases where the prospect answers what was asked.
    #[serde(default)]
    pub answers_agreement: f64,
}

/// A second reader's answer on a case's judged labels, given without the author's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    /// The judged labels the second reader sees in the line.
    pub present: Vec<String>,
    /// The judged labels the second reader does not see in it.
    #[serde(default)]
    pub absent: Vec<String>,
}

/// What the merge of the two readings kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Labels both readers gave the same answer.
    pub agreed: u32,
    /// Labels the readers disagreed on: left out.
    pub disputed: u32,
    /// Labels with no second reading: left out.
    pub unchecked: u32,
}

/// Keeps, in each case, only the labels the second reader agreed with; drops the cases
/// left with no label.
pub fn agreed_cases(cases: Vec<PatternCase>, checks: &[Check]) -> (Vec<PatternCase>, Agreement) {
    let by_id: HashMap<&str, &Check> = checks.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut agreement = Agreement::default();
    let kept = cases
        .into_iter()
        .filter_map(|mut case| {
            let Some(check) = by_id.get(case.id.as_str()) else {
                agreement.unchecked += u32::try_from(case.expect.len() + case.reject.len()).unwrap_or(u32::MAX);
                return None;
            };
            let mut keep = |label: &String, expected: bool| {
                let agreed = if expected { check.present.contains(label) } else { !check.present.contains(label) };
                if agreed {
                    agreement.agreed += 1
                } else {
                    agreement.disputed += 1
                }
                agreed
            };
            case.expect.retain(|l| keep(l, true));
            case.reject.retain(|l| keep(l, false));
            (!case.expect.is_empty() || !case.reject.is_empty()).then_some(case)
        })
        .collect();
    (kept, agreement)
}

/// Keeps the end cases the second reader labelled the same way.
pub fn agreed_end_cases(cases: Vec<EndCase>, checks: &[EndCheck]) -> (Vec<EndCase>, Agreement) {
    let by_id: HashMap<&str, bool> = checks.iter().map(|c| (c.id.as_str(), c.goodbye)).collect();
    let mut agreement = Agreement::default();
    let kept = cases
        .into_iter()
        .filter(|case| match by_id.get(case.id.as_str()) {
            Some(g) if *g == case.goodbye => {
                agreement.agreed += 1;
                true
            }
            Some(_) => {
                agreement.disputed += 1;
                false
            }
            None => {
                agreement.unchecked += 1;
                false
            }
        })
        .collect();
    (kept, agreement)
}

/// A second reader's answer on an end case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndCheck {
    pub id: String,
    pub goodbye: bool,
}

/// What was measured on one split, with what the two readings kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitResult {
    pub split: String,
    pub agreement: Agreement,
    #[serde(flatten)]
    pub evaluation: Evaluation,
}
