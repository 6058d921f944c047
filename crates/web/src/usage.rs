//! Cost control of the optional LLM (SPEC 5.4): every call is recorded with its tokens, a
//! user has a daily allowance of calls and of scenario generations, and a session a token
//! budget for the prospect's lines. Past a limit the prospect speaks its scripted lines
//! (the conversation goes on, offline-style) and generation answers 429.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use replique_llm::Usage;
use replique_store::{LlmReservation, UsageTotals};
use schemars::JsonSchema;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::{AppState, Error, now};

/// `GET /api/llm/usage`.
pub fn api_router() -> Router<AppState> {
    Router::new().route("/llm/usage", get(show))
}

/// What a call was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Realiser,
    Generation,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Realiser => "realiser",
            Purpose::Generation => "generation",
        }
    }
}

/// What became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The model's text was used.
    Used,
    /// The guards refused it; the scripted line (or the closest template) stood.
    Refused,
    /// No usable answer (timeout, provider error).
    Failed,
}

/// Which allowance a call would exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    DailyCalls,
    SessionTokens,
    DailyGenerations,
}

impl Limit {
    /// What the learner is told when the prospect goes on without the model.
    pub fn message(self) -> &'static str {
        match self {
            Limit::DailyCalls | Limit::DailyGenerations => {
                "Limite quotidienne d’appels au modèle atteinte\u{a0}: le prospect continue avec ses répliques préparées (remise à zéro chaque jour à minuit UTC)."
            }
            Limit::SessionTokens => {
                "Budget de cette conversation atteint\u{a0}: le prospect continue avec ses répliques préparées."
            }
        }
    }
}

/// The start of the current UTC day, Unix seconds.
pub fn day_start() -> i64 {
    let now = now();
    now - now.rem_euclid(86_400)
}

/// What `user_id` spent today.
pub async fn today(state: &AppState, user_id: i64) -> Result<UsageTotals, Error> {
    Ok(state.store.llm_usage_since(user_id, day_start()).await?)
}

/// A call recorded before it is made; [`Reservation::settle`] says what it cost. A
/// request cancelled mid-call leaves it counted as one call.
#[must_use]
pub struct Reservation {
    id: i64,
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Reserves a call to the model for `user_id` (and the session whose line it is), within
/// their allowances; the limit reached otherwise.
pub async fn reserve(
    state: &AppState,
    user_id: i64,
    session_id: Option<i64>,
    purpose: Purpose,
) -> Result<Result<Reservation, Limit>, Error> {
    let limits = state.config.llm_limits;
    let reservation = LlmReservation {
        user_id,
        session_id,
        purpose: purpose.as_str(),
        now: now(),
        day_start: day_start(),
        max_calls_per_day: as_i64(limits.calls_per_day),
        max_generations_per_day: as_i64(limits.scenarios_per_day),
        max_session_tokens: as_i64(limits.session_tokens),
    };
    if let Some(id) = state.store.reserve_llm_call(&reservation).await? {
        return Ok(Ok(Reservation { id }));
    }
    // Which one: say the most specific.
    let spent = today(state, user_id).await?;
    let limit = if purpose == Purpose::Generation && spent.generations >= reservation.max_generations_per_day {
        Limit::DailyGenerations
    } else if spent.calls >= reservation.max_calls_per_day {
        Limit::DailyCalls
    } else {
        Limit::SessionTokens
    };
    Ok(Err(limit))
}

impl Reservation {
    /// Records what the call cost. A failure to record is logged, never the user's problem.
    pub async fn settle(self, state: &AppState, outcome: Outcome, calls: u32, usage: Usage) {
        let outcome = match outcome {
            Outcome::Used => "used",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        };
        state.metrics.llm_call(outcome);
        let recorded = state
            .store
            .settle_llm_call(
                self.id,
                outcome,
                i64::from(calls),
                as_i64(usage.input_tokens),
                as_i64(usage.output_tokens),
            )
            .await;
        if let Err(e) = recorded {
            tracing::warn!(error = %e, "LLM usage not recorded");
        }
    }
}

/// What the user spent of the LLM today, and the limits.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Usage")]
pub struct UsageView {
    /// Whether an LLM provider is configured at all.
    llm: bool,
    /// What the user spent since 00:00 UTC.
    today: Totals,
    limits: LimitsView,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "UsageToday")]
pub struct Totals {
    calls: i64,
    input_tokens: i64,
    output_tokens: i64,
    scenario_generations: i64,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "UsageLimits")]
pub struct LimitsView {
    /// Model calls per user and UTC day (prospect lines and generations).
    calls_per_day: u64,
    /// Tokens the prospect's lines may use in one session.
    session_tokens: u64,
    /// Scenario generation attempts per user and UTC day.
    scenarios_per_day: u64,
}

async fn show(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<Json<UsageView>, Error> {
    let t = today(&state, user.user.id).await?;
    let l = state.config.llm_limits;
    Ok(Json(UsageView {
        llm: state.llm.is_some(),
        today: Totals {
            calls: t.calls,
            input_tokens: t.input_tokens,
            output_tokens: t.output_tokens,
            scenario_generations: t.generations,
        },
        limits: LimitsView {
            calls_per_day: l.calls_per_day,
            session_tokens: l.session_tokens,
            scenarios_per_day: l.scenarios_per_day,
        },
    }))
}
