//! Repeated turn requests (issue 19). A client that lost a turn's answer (its instance died
//! mid-turn, the connection broke) cannot know whether the turn was stored: it sends it
//! again, with the number it gave it the first time (`exchange`, 1 for the learner's first
//! turn). The number is the store's own optimistic check (`TurnUpdate::exchanges_before`)
//! made visible: a turn is played only as the session's next exchange, so a repeat can
//! never be stored twice. A repeat of the last stored turn, in the same words, gets the
//! answer stored with it; any other number is refused (409).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::TurnResponse;
use crate::auth::SessionUser;
use crate::{AppState, Error};

/// Refusal of a turn whose number does not follow the stored ones.
const OUT_OF_STEP: &str = "Ce tour ne suit pas le dernier enregistré : rechargez la conversation.";

/// What is stored with a turn (`training_sessions.last_turn_json`).
#[derive(Serialize, Deserialize)]
struct Kept<'a> {
    /// The learner's message, as checked.
    message: Cow<'a, str>,
    /// The answer, as sent.
    turn: serde_json::Value,
}

/// The JSON stored with a turn: its message and its answer.
pub(super) fn kept(message: &str, turn: &TurnResponse) -> Result<String, Error> {
    // Through its text, as sent: a value made straight from the struct would keep the
    // settings' f32 as their f64 widening (0.800000011920929, not 0.8).
    let turn = serde_json::to_string(turn).and_then(|t| serde_json::from_str(&t)).map_err(Error::internal)?;
    serde_json::to_string(&Kept { message: Cow::Borrowed(message), turn }).map_err(Error::internal)
}

/// The stored answer to turn `exchange` of session `id`, when it is the last stored turn
/// and was said in the same words; else a 409 (the client should reload the conversation).
pub(super) async fn stored_answer(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    exchange: u32,
    message: &str,
) -> Result<serde_json::Value, Error> {
    let (exchanges, json) = state.store.last_turn(id, user.user.id).await?.ok_or(Error::NotFound)?;
    let kept = json.filter(|_| exchanges == i64::from(exchange)).and_then(|j| serde_json::from_str::<Kept>(&j).ok());
    match kept {
        Some(Kept { message: said, mut turn }) if said == message => {
            // Its sentences were streamed to a socket that is gone: the audio is fetched whole.
            if let Some(prospect) = turn.get_mut("prospect").and_then(serde_json::Value::as_object_mut) {
                prospect.insert("streamed_parts".into(), 0.into());
            }
            tracing::info!(session_id = id, exchange, "a repeated turn is answered from the store");
            Ok(turn)
        }
        _ => Err(Error::Conflict(OUT_OF_STEP.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_kept_reads_back_with_its_message() {
        let json = serde_json::to_string(&Kept {
            message: Cow::Borrowed("Bonjour « vous »"),
            turn: serde_json::json!({"exchange": 1}),
        })
        .expect("json");
        let kept: Kept = serde_json::from_str(&json).expect("read back");
        assert_eq!((kept.message.as_ref(), kept.turn["exchange"].as_u64()), ("Bonjour « vous »", Some(1)));
    }
}
