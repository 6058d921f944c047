//! Reading a call: telling a recording from a transcript by its bytes (`sniff`), reading
//! transcripts (speaker-labelled text, WebVTT, SRT, JSON) into turns (`parse_call`) and
//! finding which speaker is the champion (`infer_champion`). Shared by the analysis and the
//! training; nothing here judges what is said.

use serde::{Deserialize, Serialize};

use crate::text::normalize;

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
pub(super) const CLIENT_LABELS: &[&str] = &["client", "cliente", "prospect", "acheteur", "acheteuse", "interlocuteur"];

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
