//! Delivery metrics (SPEC 5.5): talk ratio, questions, fillers, and in voice mode the
//! speaking rate, the pause before answering an objection and interruptions.

use super::*;

/// Speaking time under which a speaking rate means nothing.
const MIN_SPOKEN_MS: u64 = 3000;
/// Faster than anybody speaks (a fast speaker says about 250 words a minute).
const MAX_WORDS_PER_MINUTE: u64 = 400;

/// The voice-mode figures: speaking rate, pause before answering an objection (learner
/// turn `n` answers the prospect's reply `n - 1`; `objection_replies` are those that first
/// raised an objection), interruptions.
pub(super) fn voice_delivery(
    messages: &[TranscriptMessage],
    objection_replies: &[u32],
) -> (Option<u32>, Option<u32>, Option<u32>) {
    let spoken: Vec<(u32, &TranscriptMessage, VoiceTiming)> = messages
        .iter()
        .filter(|m| m.role == Role::User)
        .zip(1u32..)
        .filter_map(|(m, exchange)| m.voice.map(|v| (exchange, m, v)))
        .collect();
    if spoken.is_empty() {
        return (None, None, None);
    }
    // Turns faster than anybody speaks are measurement errors (or forged): left out.
    let (words, ms) = spoken
        .iter()
        .map(|(_, m, v)| {
            (u64::try_from(Normalized::new(&m.content).word_count()).unwrap_or(0), u64::from(v.speaking_ms))
        })
        .filter(|(words, ms)| words * 60_000 <= MAX_WORDS_PER_MINUTE * ms)
        .fold((0, 0), |(w, t), (words, ms)| (w + words, t + ms));
    let rate = (ms >= MIN_SPOKEN_MS).then(|| u32::try_from(words * 60_000 / ms).unwrap_or(u32::MAX));
    let pauses: Vec<u64> = spoken
        .iter()
        .filter(|(exchange, _, _)| objection_replies.contains(&(exchange - 1)))
        .filter_map(|(_, _, v)| v.pause_ms.map(u64::from))
        .collect();
    let pause = (!pauses.is_empty())
        .then(|| u32::try_from(pauses.iter().sum::<u64>() / pauses.len() as u64).unwrap_or(u32::MAX));
    let interruptions = u32::try_from(spoken.iter().filter(|(_, _, v)| v.interrupted).count()).unwrap_or(u32::MAX);
    (rate, pause, Some(interruptions))
}

/// Coaching on how the learner spoke, in voice mode.
pub(super) fn voice_tips(delivery: &Delivery) -> Vec<String> {
    let mut tips = Vec::new();
    match delivery.words_per_minute {
        Some(n) if n > 180 => tips.push(format!(
            "Vous parlez vite ({n} mots par minute) : ralentissez vers 130 à 160, le prospect doit pouvoir suivre."
        )),
        Some(n) if n < 110 => tips.push(format!(
            "Votre débit est lent ({n} mots par minute) : des phrases plus courtes et plus directes garderont l’attention du prospect."
        )),
        _ => {}
    }
    if delivery.pause_after_objection_ms.is_some_and(|ms| ms < 500) {
        tips.push(
            "Vous répondez aux objections sans marquer de pause : prenez une à deux secondes, le prospect sentira que vous l’avez écouté."
                .into(),
        );
    }
    if let Some(n) = delivery.interruptions.filter(|n| *n >= 2) {
        tips.push(format!(
            "Vous avez coupé la parole au prospect {n} fois : laissez-le finir, ses derniers mots sont souvent les plus utiles."
        ));
    }
    tips
}

pub(super) fn delivery(messages: &[TranscriptMessage], objection_replies: &[u32]) -> Delivery {
    let (words_per_minute, pause_after_objection_ms, interruptions) = voice_delivery(messages, objection_replies);
    let words = |role: Role| -> Vec<u32> {
        messages
            .iter()
            .filter(|m| m.role == role)
            .map(|m| u32::try_from(Normalized::new(&m.content).word_count()).unwrap_or(u32::MAX))
            .collect()
    };
    let learner = words(Role::User);
    let prospect = words(Role::Prospect);
    let learner_total: u32 = learner.iter().sum();
    let all = learner_total + prospect.iter().sum::<u32>();
    let learner_messages = messages.iter().filter(|m| m.role == Role::User);
    Delivery {
        talk_ratio: if all == 0 { 0.0 } else { f64::from(learner_total) / f64::from(all) },
        longest_monologue_words: learner.iter().copied().max().unwrap_or(0),
        questions_asked: u32::try_from(learner_messages.clone().map(|m| m.content.matches('?').count()).sum::<usize>())
            .unwrap_or(u32::MAX),
        filler_words: u32::try_from(
            learner_messages
                .map(|m| {
                    Normalized::new(&m.content)
                        .count_any(&["euh", "du coup", "en fait", "voila", "genre", "bah", "ben"])
                })
                .sum::<usize>(),
        )
        .unwrap_or(u32::MAX),
        words_per_minute,
        pause_after_objection_ms,
        interruptions,
    }
}
