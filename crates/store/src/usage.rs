//! What the optional LLM cost: one row per call to the prospect's realiser, one per
//! scenario generation attempt, with the tokens the provider reported (or an estimate).

use sqlx::FromRow;

use crate::{Result, Store};

/// One use of the model, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLlmUsage<'a> {
    pub user_id: i64,
    /// The training session whose line it was (none for a generation).
    pub session_id: Option<i64>,
    /// `realiser` or `generation`.
    pub purpose: &'a str,
    /// `used`, `refused` or `failed`.
    pub outcome: &'a str,
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub created_at: i64,
}

/// Totals over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromRow)]
pub struct UsageTotals {
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    /// Scenario generation attempts.
    pub generations: i64,
}

impl Store {
    pub async fn record_llm_usage(&self, u: &NewLlmUsage<'_>) -> Result<()> {
        sqlx::query(
            "insert into llm_usage (user_id, session_id, purpose, outcome, calls, input_tokens, output_tokens, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.user_id)
        .bind(u.session_id)
        .bind(u.purpose)
        .bind(u.outcome)
        .bind(u.calls)
        .bind(u.input_tokens)
        .bind(u.output_tokens)
        .bind(u.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A user's use of the model since `since` (Unix seconds).
    pub async fn llm_usage_since(&self, user_id: i64, since: i64) -> Result<UsageTotals> {
        Ok(sqlx::query_as::<_, UsageTotals>(
            // PostgreSQL sums bigints as numeric: cast back.
            "select cast(coalesce(sum(calls), 0) as bigint) as calls,
                    cast(coalesce(sum(input_tokens), 0) as bigint) as input_tokens,
                    cast(coalesce(sum(output_tokens), 0) as bigint) as output_tokens,
                    cast(coalesce(sum(case when purpose = 'generation' then 1 else 0 end), 0) as bigint) as generations
             from llm_usage where user_id = $1 and created_at >= $2",
        )
        .bind(user_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Tokens (in and out) the prospect's lines used in one session.
    pub async fn session_llm_tokens(&self, session_id: i64) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "select cast(coalesce(sum(input_tokens + output_tokens), 0) as bigint) from llm_usage where session_id = $1",
        )
        .bind(session_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}
