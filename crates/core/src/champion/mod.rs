//! Champion (SPEC 7): reading a real call of one of the company's best salespeople and
//! analysing what they do, with the same pattern ids as the engine.
//!
//! Pure: the web layer stores files and calls the transcription service; here we tell a
//! recording from a transcript by its bytes, read transcripts (speaker-labelled text,
//! WebVTT, SRT, JSON) and analyse the call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::{self, Detection, PatternId, TurnContext};
use crate::engine::Quality;
use crate::text::{Normalized, normalize};

/// One speaker's turn in a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallTurn {
    pub speaker: String,
    pub text: String,
    /// Seconds from the start, when the format gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f32>,
}

/// What an uploaded file is, judged by its bytes (not its name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    /// A text transcript (UTF-8).
    Transcript(String),
    /// Audio or video, with its MIME type, for the transcription service.
    Recording(&'static str),
    /// Neither.
    Unsupported,
}

/// Tells a recording from a transcript by its first bytes.
pub fn sniff(bytes: &[u8]) -> Upload {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WAVE" {
        return Upload::Recording("audio/wav");
    }
    if starts(b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        return Upload::Recording("audio/mpeg");
    }
    if starts(b"OggS") {
        return Upload::Recording("audio/ogg");
    }
    if starts(b"fLaC") {
        return Upload::Recording("audio/flac");
    }
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Upload::Recording("video/webm");
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Upload::Recording("video/mp4");
    }
    let text = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(s) if !s.contains('\0') && s.chars().filter(|c| c.is_control() && !c.is_whitespace()).count() == 0 => {
            Upload::Transcript(s.to_owned())
        }
        _ => Upload::Unsupported,
    }
}

/// A transcript that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CallError {
    /// 1-based line, 0 for the whole file.
    pub line: usize,
    pub message: String,
}

fn fail(line: usize, message: &str) -> CallError {
    CallError { line, message: message.to_owned() }
}

/// Reads a transcript in any of the supported formats.
pub fn parse_call(text: &str) -> Result<Vec<CallTurn>, CallError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(fail(0, "Le fichier est vide."));
    }
    let turns = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        parse_json(trimmed)?
    } else if trimmed.starts_with("WEBVTT") {
        parse_cues(trimmed, true)
    } else if trimmed.lines().next().is_some_and(|l| l.trim().chars().all(|c| c.is_ascii_digit()))
        && trimmed.lines().nth(1).is_some_and(|l| l.contains("-->"))
    {
        parse_cues(trimmed, false)
    } else {
        parse_labelled(trimmed)
    };
    let turns = merge_consecutive(turns);
    let speakers: std::collections::BTreeSet<&str> = turns.iter().map(|t| t.speaker.as_str()).collect();
    if turns.is_empty() || speakers.len() < 2 {
        return Err(fail(
            0,
            "Aucun échange entre deux interlocuteurs n’a été reconnu : chaque réplique doit commencer par le nom ou le rôle de celui qui parle (« Vendeur : … », « Client : … »).",
        ));
    }
    Ok(turns)
}

#[derive(Deserialize)]
struct JsonTurn {
    #[serde(alias = "role", alias = "name")]
    speaker: String,
    #[serde(alias = "content", alias = "message")]
    text: String,
    #[serde(default)]
    start: Option<f32>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonCall {
    Turns(Vec<JsonTurn>),
    Segments { segments: Vec<JsonTurn> },
    Messages { messages: Vec<JsonTurn> },
}

fn parse_json(text: &str) -> Result<Vec<CallTurn>, CallError> {
    let call: JsonCall = serde_json::from_str(text).map_err(|e| {
        fail(
            e.line(),
            "JSON illisible : attendu une liste de répliques [{\"speaker\", \"text\"}] ou {\"segments\": [...]}.",
        )
    })?;
    let turns = match call {
        JsonCall::Turns(t) | JsonCall::Segments { segments: t } | JsonCall::Messages { messages: t } => t,
    };
    let mut out: Vec<CallTurn> = Vec::new();
    for t in turns {
        let (speaker, text) = (t.speaker.trim(), t.text.trim());
        if text.is_empty() {
            continue;
        }
        if speaker.is_empty() {
            // Like an unlabelled line in the other formats: the previous speaker goes on (and
            // an empty name is never a speaker of its own).
            if let Some(last) = out.last_mut() {
                last.text.push(' ');
                last.text.push_str(text);
            }
            continue;
        }
        out.push(CallTurn { speaker: speaker.to_owned(), text: text.to_owned(), start: t.start });
    }
    Ok(out)
}

/// WebVTT or SRT cues; the speaker comes from a `<v Name>` tag or a `Name:` prefix.
fn parse_cues(text: &str, vtt: bool) -> Vec<CallTurn> {
    let mut turns = Vec::new();
    let mut start = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || (vtt && (line.starts_with("WEBVTT") || line.starts_with("NOTE"))) {
            continue;
        }
        if line.contains("-->") {
            start = line.split("-->").next().and_then(timestamp);
            continue;
        }
        if !vtt && line.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let (speaker, body) = if let Some(rest) = line.strip_prefix("<v ") {
            match rest.split_once('>') {
                Some((name, body)) => (Some(name.trim().to_owned()), body.replace("</v>", "")),
                None => (None, line.to_owned()),
            }
        } else if let Some((label, body)) = labelled(line) {
            (Some(label), body.to_owned())
        } else {
            (None, line.to_owned())
        };
        match (speaker, turns.last_mut()) {
            (Some(speaker), _) => turns.push(CallTurn { speaker, text: body.trim().to_owned(), start }),
            (None, Some(last)) => {
                let last: &mut CallTurn = last;
                last.text.push(' ');
                last.text.push_str(body.trim());
            }
            (None, None) => {}
        }
    }
    turns
}

fn timestamp(text: &str) -> Option<f32> {
    let parts: Vec<f32> = text.trim().replace(',', ".").split(':').filter_map(|p| p.trim().parse().ok()).collect();
    match parts.as_slice() {
        [h, m, s] => Some(h * 3600.0 + m * 60.0 + s),
        [m, s] => Some(m * 60.0 + s),
        _ => None,
    }
}

/// `Name: text` lines; lines without a label continue the previous turn.
fn parse_labelled(text: &str) -> Vec<CallTurn> {
    let mut turns: Vec<CallTurn> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match labelled(line) {
            Some((speaker, body)) => turns.push(CallTurn { speaker, text: body.trim().to_owned(), start: None }),
            None => {
                if let Some(last) = turns.last_mut() {
                    last.text.push(' ');
                    last.text.push_str(line);
                }
            }
        }
    }
    turns
}

/// A speaker label before a colon: one to four words, no sentence punctuation.
fn labelled(line: &str) -> Option<(String, &str)> {
    let (label, body) = line.split_once(':')?;
    let label = label.trim().trim_start_matches(['[', '-', '*']).trim_end_matches([']', '*']).trim();
    let words = label.split_whitespace().count();
    let plausible = (1..=4).contains(&words)
        && label.chars().count() <= 40
        && !label.contains(['.', '?', '!', ','])
        && label.chars().next().is_some_and(char::is_alphabetic)
        // "http://..." and times like "10:30" are not speakers.
        && !body.starts_with("//");
    plausible.then(|| (label.to_owned(), body))
}

fn merge_consecutive(turns: Vec<CallTurn>) -> Vec<CallTurn> {
    let mut out: Vec<CallTurn> = Vec::new();
    for t in turns.into_iter().filter(|t| !t.text.is_empty()) {
        match out.last_mut() {
            Some(last) if last.speaker == t.speaker => {
                last.text.push(' ');
                last.text.push_str(&t.text);
            }
            _ => out.push(t),
        }
    }
    out
}

const SELLER_LABELS: &[&str] =
    &["vendeur", "vendeuse", "commercial", "commerciale", "conseiller", "conseillere", "agent", "sales", "champion"];
const CLIENT_LABELS: &[&str] = &["client", "cliente", "prospect", "acheteur", "acheteuse", "interlocuteur"];

/// The champion's speaker label: a seller label if there is one, else the speaker who
/// asks the most questions.
pub fn infer_champion(turns: &[CallTurn]) -> Option<String> {
    let speakers: Vec<&str> = {
        let mut s: Vec<&str> = turns.iter().map(|t| t.speaker.as_str()).collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    if let Some(seller) = speakers.iter().find(|s| SELLER_LABELS.contains(&normalize(s).as_str())) {
        return Some((*seller).to_owned());
    }
    let not_client: Vec<&&str> = speakers.iter().filter(|s| !CLIENT_LABELS.contains(&normalize(s).as_str())).collect();
    if not_client.len() == 1 {
        return Some((*not_client[0]).to_owned());
    }
    speakers
        .iter()
        .max_by_key(|s| turns.iter().filter(|t| &t.speaker == *s).map(|t| t.text.matches('?').count()).sum::<usize>())
        .map(|s| (*s).to_owned())
}

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

#[cfg(test)]
mod tests;
