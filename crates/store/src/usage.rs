//! What the optional LLM cost: one row per call to the prospect's realiser, one per
//! scenario generation attempt, with the tokens the provider reported (or an estimate).

use sqlx::FromRow;

use crate::{Result, Store};

/// Totals over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromRow)]
pub struct UsageTotals {
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    /// Scenario generation attempts.
    pub generations: i64,
}

/// A call about to be made, and the allowances it must fit in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmReservation<'a> {
    pub user_id: i64,
    pub session_id: Option<i64>,
    /// `realiser` or `generation`.
    pub purpose: &'a str,
    pub now: i64,
    /// Where the user's day starts (Unix seconds).
    pub day_start: i64,
    pub max_calls_per_day: i64,
    pub max_generations_per_day: i64,
    pub max_session_tokens: i64,
}

impl Store {
    /// Records a call before it is made (`pending`, one call, no tokens yet) if the user is
    /// within their allowances, under a lock on the user's row, so that neither parallel
    /// requests (on either database) nor a request cancelled mid-call get past them. The row's id, or `None` when a limit is
    /// reached. [`Store::settle_llm_call`] fills it in afterwards.
    pub async fn reserve_llm_call(&self, r: &LlmReservation<'_>) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        crate::lock_user(&mut tx, r.user_id).await?;
        let id: Option<(i64,)> = sqlx::query_as(
            "insert into llm_usage (user_id, session_id, purpose, outcome, calls, input_tokens, output_tokens, created_at)
             select $1, $2, $3, 'pending', 1, 0, 0, $4
             where (select coalesce(sum(calls), 0) from llm_usage where user_id = $1 and created_at >= $5) < $6
               and (select count(*) from llm_usage
                    where user_id = $1 and purpose = 'generation' and $3 = 'generation' and created_at >= $5) < $7
               and (select coalesce(sum(input_tokens + output_tokens), 0) from llm_usage where session_id = $2) < $8
             returning id",
        )
        .bind(r.user_id)
        .bind(r.session_id)
        .bind(r.purpose)
        .bind(r.now)
        .bind(r.day_start)
        .bind(r.max_calls_per_day)
        .bind(r.max_generations_per_day)
        .bind(r.max_session_tokens)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id.map(|(id,)| id))
    }

    /// What a reserved call turned out to be: `used`, `refused` or `failed`, how many calls
    /// (a generation may take two) and the tokens.
    pub async fn settle_llm_call(
        &self,
        id: i64,
        outcome: &str,
        calls: i64,
        input_tokens: i64,
        output_tokens: i64,
    ) -> Result<()> {
        sqlx::query(
            "update llm_usage set outcome = $2, calls = $3, input_tokens = $4, output_tokens = $5 where id = $1",
        )
        .bind(id)
        .bind(outcome)
        .bind(calls)
        .bind(input_tokens)
        .bind(output_tokens)
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
}
