//! Cost control of the optional LLM (SPEC 5.4): every call is recorded with its tokens, a
//! user has a daily allowance of calls and of scenario generations, and a session a token
//! budget for the prospect's lines. Past a limit the prospect speaks its scripted lines
//! (the conversation goes on, offline-style) and generation answers 429.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use replique_llm::Usage;
use replique_store::{NewLlmUsage, UsageTotals};
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

/// Why the prospect does not use the model for a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    DailyCalls,
    SessionTokens,
}

impl Limit {
    /// What the learner is told, once, when it happens.
    pub fn message(self) -> &'static str {
        match self {
            Limit::DailyCalls => {
                "Limite quotidienne d’appels au modèle atteinte : le prospect continue avec ses répliques préparées jusqu’à demain."
            }
            Limit::SessionTokens => {
                "Budget de cette conversation atteint : le prospect continue avec ses répliques préparées."
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

/// Whether the prospect's next line in `session_id` may use the model.
pub async fn realiser_limit(state: &AppState, user_id: i64, session_id: i64) -> Result<Option<Limit>, Error> {
    let limits = state.config.llm_limits;
    if u64::try_from(today(state, user_id).await?.calls).unwrap_or(0) >= limits.calls_per_day {
        return Ok(Some(Limit::DailyCalls));
    }
    if u64::try_from(state.store.session_llm_tokens(session_id).await?).unwrap_or(0) >= limits.session_tokens {
        return Ok(Some(Limit::SessionTokens));
    }
    Ok(None)
}

/// Records a use of the model. A failure to record is logged, never the user's problem.
pub async fn record(
    state: &AppState,
    user_id: i64,
    session_id: Option<i64>,
    purpose: Purpose,
    outcome: Outcome,
    calls: u32,
    usage: Usage,
) {
    let row = NewLlmUsage {
        user_id,
        session_id,
        purpose: match purpose {
            Purpose::Realiser => "realiser",
            Purpose::Generation => "generation",
        },
        outcome: match outcome {
            Outcome::Used => "used",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        },
        calls: i64::from(calls),
        input_tokens: i64::try_from(usage.input_tokens).unwrap_or(i64::MAX),
        output_tokens: i64::try_from(usage.output_tokens).unwrap_or(i64::MAX),
        created_at: now(),
    };
    if let Err(e) = state.store.record_llm_usage(&row).await {
        tracing::warn!(user_id, error = %e, "LLM usage not recorded");
    }
}

#[derive(Serialize)]
struct UsageView {
    /// Whether a provider is configured at all.
    llm: bool,
    today: Totals,
    limits: LimitsView,
}

#[derive(Serialize)]
struct Totals {
    calls: i64,
    input_tokens: i64,
    output_tokens: i64,
    scenario_generations: i64,
}

#[derive(Serialize)]
struct LimitsView {
    calls_per_day: u64,
    session_tokens: u64,
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
