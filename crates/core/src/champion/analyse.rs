//! Analysing a champion's call (`analyse_call`): the patterns they use, with the same ids
//! as the engine, how they answer objections (CNZ), their delivery, the phrases that are
//! theirs and the stages of the call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::transcript::{CLIENT_LABELS, CallTurn};
use crate::analysis::{self, Detection, PatternId, TurnContext};
use crate::engine::Quality;
use crate::text::{Normalized, normalize};

/// What the champion did in the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallAnalysis {
    pub champion: String,
    pub clients: Vec<String>,
    pub turns: usize,
    pub patterns: Vec<PatternUse>,
    pub delivery: CallDelivery,
    pub objections: Vec<ObjectionAnswer>,
    pub signature_phrases: Vec<Signature>,
    pub stages: Vec<Stage>,
    /// Each champion turn with its patterns (for comparisons).
    pub champion_turns: Vec<AnnotatedTurn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatternUse {
    pub pattern: String,
    pub label: String,
    pub positive: bool,
    pub count: u32,
    pub quotes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallDelivery {
    pub talk_ratio: f64,
    pub longest_monologue_words: u32,
    pub questions_asked: u32,
    pub filler_words: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectionAnswer {
    pub objection: String,
    pub answer: String,
    pub quality: Quality,
    /// Which CNZ steps the answer shows: creuser, neutraliser, zoomer.
    pub cnz: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Signature {
    pub phrase: String,
    pub count: u32,
}

/// A stage of the call on its timeline: opening, discovery, argument, objections, closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stage {
    pub stage: String,
    pub label: String,
    /// Index of the first and last turn (0-based, in the whole call).
    pub from_turn: usize,
    pub to_turn: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnnotatedTurn {
    pub index: usize,
    pub text: String,
    pub patterns: Vec<String>,
}

/// Analyses a call from the champion's side.
pub fn analyse_call(turns: &[CallTurn], champion: &str) -> CallAnalysis {
    let clients: Vec<String> = {
        let mut c: Vec<String> = turns.iter().filter(|t| t.speaker != champion).map(|t| t.speaker.clone()).collect();
        c.sort();
        c.dedup();
        c
    };
    let mut by_pattern: BTreeMap<PatternId, (u32, Vec<String>)> = BTreeMap::new();
    let mut objections = Vec::new();
    let mut champion_turns = Vec::new();
    let (mut closed_streak, mut without_question, mut discovery) = (0u32, 0u32, 0u32);
    let mut previous_client = String::new();
    let mut pending_objection: Option<String> = None;
    let mut stage_of_turn: Vec<(usize, &'static str)> = Vec::new();
    let no_names: [String; 0] = [];
    // What the champion and the client said so far (repetition, reformulation).
    let (mut said, mut heard): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (i, turn) in turns.iter().enumerate() {
        if turn.speaker != champion {
            if !previous_client.is_empty() {
                heard.push(std::mem::take(&mut previous_client));
            }
            previous_client = turn.text.clone();
            if analysis::is_objection(&turn.text) {
                pending_objection = Some(turn.text.clone());
                stage_of_turn.push((i, "objections"));
            }
            continue;
        }
        // A role label ("Client") is not a name to personalise with.
        let client_name = clients.first().map_or("", String::as_str);
        let client_name = if CLIENT_LABELS.contains(&normalize(client_name).as_str()) { "" } else { client_name };
        let ctx = TurnContext {
            prospect_name: client_name,
            company: "",
            previous_prospect_line: &previous_client,
            previous_was_objection: pending_objection.is_some(),
            live_objection: "",
            closed_question_streak: closed_streak,
            turns_without_question: without_question,
            discovery_questions: discovery,
            competitors: &no_names,
            proof_names: &no_names,
            earlier_learner_lines: &said,
            earlier_prospect_lines: &heard,
            ..TurnContext::default()
        };
        let (reading, found) = analysis::read_and_judge(&ctx, &turn.text);
        let has = |p: PatternId| found.iter().any(|d| d.pattern == p);
        let question = reading.question.is_some();
        closed_streak = if reading.question == Some(analysis::QuestionKind::Closed) { closed_streak + 1 } else { 0 };
        without_question = if question { 0 } else { without_question + 1 };
        said.push(turn.text.clone());
        if has(PatternId::DiscoveryQuestion) {
            discovery += 1;
        }
        for d in &found {
            let entry = by_pattern.entry(d.pattern).or_default();
            entry.0 += 1;
            if entry.1.len() < 3 && !entry.1.contains(&d.evidence) {
                entry.1.push(d.evidence.clone());
            }
        }
        if let Some(objection) = pending_objection.take() {
            // CNZ often spans several turns: dig, then isolate, then answer on the stakes.
            let follow_ups = follow_up_answers(turns, i, champion);
            let mut cnz = Vec::new();
            let all: Vec<&Detection> = found.iter().chain(follow_ups.iter().flat_map(|(_, d)| d.iter())).collect();
            let any = |p: PatternId| all.iter().any(|d| d.pattern == p);
            if any(PatternId::ObjectionDig) {
                cnz.push("creuser".to_owned());
            }
            if any(PatternId::ObjectionNeutralize) {
                cnz.push("neutraliser".to_owned());
            }
            if any(PatternId::ObjectionZoom) || any(PatternId::ProofUsed) || any(PatternId::BenefitArgument) {
                cnz.push("zoomer".to_owned());
            }
            let quality = match cnz.len() {
                0 if has(PatternId::ObjectionIgnored) => Quality::Poor,
                0 | 1 => Quality::Average,
                _ => Quality::Good,
            };
            let answer = std::iter::once(turn.text.as_str())
                .chain(follow_ups.iter().map(|(t, _)| t.as_str()))
                .collect::<Vec<_>>()
                .join(" / ");
            objections.push(ObjectionAnswer { objection, answer, quality, cnz });
            stage_of_turn.push((i, "objections"));
        } else {
            let stage = if has(PatternId::ClosingAttempt) || has(PatternId::NextStepProposal) {
                "closing"
            } else if has(PatternId::DiscoveryQuestion)
                || has(PatternId::GoodOpenQuestion)
                || has(PatternId::Reformulation)
            {
                "discovery"
            } else if has(PatternId::BenefitArgument) || has(PatternId::ProofUsed) {
                "argument"
            } else if i < 3 {
                "opening"
            } else {
                stage_of_turn.last().map_or("opening", |(_, s)| s)
            };
            stage_of_turn.push((i, stage));
        }
        champion_turns.push(AnnotatedTurn {
            index: i,
            text: turn.text.clone(),
            patterns: found.iter().map(|d| d.pattern.as_str().to_owned()).collect(),
        });
    }

    let mut patterns: Vec<PatternUse> = by_pattern
        .into_iter()
        .map(|(p, (count, quotes))| PatternUse {
            pattern: p.as_str().into(),
            label: p.label().into(),
            positive: p.is_positive(),
            count,
            quotes,
        })
        .collect();
    patterns.sort_by_key(|p| (!p.positive, std::cmp::Reverse(p.count)));

    CallAnalysis {
        champion: champion.to_owned(),
        clients,
        turns: turns.len(),
        patterns,
        delivery: delivery(turns, champion),
        objections,
        signature_phrases: signatures(turns, champion),
        stages: stages(&stage_of_turn),
        champion_turns,
    }
}

/// The champion's next turns after `at` that still answer the same objection: up to two,
/// while the client does not raise another one, with their patterns.
fn follow_up_answers(turns: &[CallTurn], at: usize, champion: &str) -> Vec<(String, Vec<Detection>)> {
    let no_names: [String; 0] = [];
    let mut out = Vec::new();
    let mut previous = String::new();
    for t in turns.iter().skip(at + 1) {
        if t.speaker != champion {
            if analysis::is_objection(&t.text) {
                break;
            }
            previous = t.text.clone();
            continue;
        }
        let ctx = TurnContext {
            previous_prospect_line: &previous,
            previous_was_objection: true,
            live_objection: "",
            competitors: &no_names,
            proof_names: &no_names,
            ..TurnContext::default()
        };
        let found = analysis::analyse_turn(&ctx, &t.text);
        let closing =
            found.iter().any(|d| matches!(d.pattern, PatternId::ClosingAttempt | PatternId::NextStepProposal));
        if closing {
            break;
        }
        out.push((t.text.clone(), found));
        if out.len() == 2 {
            break;
        }
    }
    out
}

fn delivery(turns: &[CallTurn], champion: &str) -> CallDelivery {
    let words = |t: &CallTurn| u32::try_from(t.text.split_whitespace().count()).unwrap_or(u32::MAX);
    let mine: Vec<u32> = turns.iter().filter(|t| t.speaker == champion).map(words).collect();
    let all: u32 = turns.iter().map(words).sum();
    let mine_total: u32 = mine.iter().sum();
    let champion_text = turns.iter().filter(|t| t.speaker == champion);
    CallDelivery {
        talk_ratio: if all == 0 { 0.0 } else { f64::from(mine_total) / f64::from(all) },
        longest_monologue_words: mine.iter().copied().max().unwrap_or(0),
        questions_asked: u32::try_from(champion_text.clone().map(|t| t.text.matches('?').count()).sum::<usize>())
            .unwrap_or(u32::MAX),
        filler_words: u32::try_from(
            champion_text
                .map(|t| {
                    Normalized::new(&t.text).count_any(&["euh", "du coup", "en fait", "voila", "genre", "bah", "ben"])
                })
                .sum::<usize>(),
        )
        .unwrap_or(u32::MAX),
    }
}

/// Words too common to make a phrase someone's own.
const STOPWORDS: &[&str] = &[
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "a", "au", "aux", "en", "je", "vous", "nous", "il",
    "elle", "on", "ce", "c", "est", "que", "qui", "pour", "pas", "ne", "n", "d", "l", "j", "s", "qu", "y", "se", "sur",
    "dans", "avec", "mais", "ou",
];

/// Phrases of three to five words the champion says more than once.
fn signatures(turns: &[CallTurn], champion: &str) -> Vec<Signature> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for t in turns.iter().filter(|t| t.speaker == champion) {
        let words: Vec<String> = normalize(&t.text).split(' ').map(str::to_owned).collect();
        let mut seen_here = std::collections::BTreeSet::new();
        for n in 3..=5 {
            for w in words.windows(n) {
                let content = w.iter().filter(|x| !STOPWORDS.contains(&x.as_str())).count();
                if content >= 2 {
                    let phrase = w.join(" ");
                    if seen_here.insert(phrase.clone()) {
                        *counts.entry(phrase).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut repeated: Vec<Signature> =
        counts.into_iter().filter(|(_, c)| *c >= 2).map(|(phrase, count)| Signature { phrase, count }).collect();
    // Keep the longest phrases: drop one contained in a kept one with the same count.
    repeated.sort_by_key(|s| (std::cmp::Reverse(s.count), std::cmp::Reverse(s.phrase.len())));
    let mut kept: Vec<Signature> = Vec::new();
    for s in repeated {
        if !kept.iter().any(|k| k.count == s.count && k.phrase.contains(&s.phrase)) {
            kept.push(s);
        }
    }
    kept.truncate(8);
    kept
}

fn stages(turn_stages: &[(usize, &'static str)]) -> Vec<Stage> {
    let mut out: Vec<Stage> = Vec::new();
    for (i, stage) in turn_stages {
        match out.last_mut() {
            Some(last) if last.stage == *stage => last.to_turn = *i,
            _ => out.push(Stage {
                stage: (*stage).to_owned(),
                label: stage_label(stage).to_owned(),
                from_turn: *i,
                to_turn: *i,
            }),
        }
    }
    out
}

fn stage_label(stage: &str) -> &'static str {
    match stage {
        "opening" => "Ouverture",
        "discovery" => "Découverte",
        "argument" => "Argumentation",
        "objections" => "Objections",
        "closing" => "Conclusion",
        _ => "Échange",
    }
}
