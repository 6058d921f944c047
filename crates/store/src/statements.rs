//! The statements of the training loop, inside the caller's transaction: a session
//! started, a turn played, a report stored. The store's methods (PostgreSQL) and the SQLite
//! writer both run them.

use sqlx::AnyConnection;

use crate::rows::{NewMessage, NewTrainingSession, TurnUpdate};
use crate::{Result, StoreError};

/// Inserts a session, its scenario and the prospect's opening line, inside the caller's
/// transaction, unless the allowance is spent (`None`; nothing written).
pub(crate) async fn insert_session(
    conn: &mut AnyConnection,
    new: &NewTrainingSession<'_>,
    opening: &NewMessage<'_>,
) -> Result<Option<i64>> {
    // Counted only for a plan with an allowance: an unlimited user's sessions are not read.
    let (since, max) = new.allowance.unwrap_or((0, i64::MAX));
    let allowed = if new.allowance.is_some() {
        "(select count(*) from training_sessions where user_id = $1 and created_at >= $11) < $12"
    } else {
        "$11 < $12"
    };
    let sql = format!(
        "insert into training_sessions
           (user_id, skill_slug, sector_slug, level, template_id, seed, status, starting_gauge, gauge, mood,
            exchanges, state_json, created_at, updated_at)
         select $1, $2, $3, $4, $5, $6, 'active', $7, $7, $8, 0, $9, $10, $10
         where {allowed}
         returning id"
    );
    let id: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(new.user_id)
        .bind(new.skill_slug)
        .bind(new.sector_slug)
        .bind(new.level)
        .bind(new.template_id)
        .bind(new.seed)
        .bind(new.gauge)
        .bind(new.mood)
        .bind(new.state_json)
        .bind(new.created_at)
        .bind(since)
        .bind(max)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((id,)) = id else { return Ok(None) };
    sqlx::query("insert into session_scenarios (session_id, scenario_json) values ($1, $2)")
        .bind(id)
        .bind(new.scenario_json)
        .execute(&mut *conn)
        .await?;
    if let Some(assignment_id) = new.assignment_id {
        sqlx::query("insert into assignment_sessions (session_id, assignment_id) values ($1, $2)")
            .bind(id)
            .bind(assignment_id)
            .execute(&mut *conn)
            .await?;
    }
    insert_messages(conn, id, &[opening]).await?;
    Ok(Some(id))
}

/// Stores a session's report (the first one stays) and, when it is the first and the
/// session is an attempt at an assignment, counts it there in the same transaction: one
/// attempt more, the best score, passed once the score reaches the pass mark. A session
/// ended before the learner's first turn is not scored and not counted; nor is one ended
/// once the item's attempts are all used (started while one was left).
///
/// With `xapi_facts` (the learner's organisation has an LRS), a scored session also gets a
/// row in the xAPI outbox, with the pass mark of its assignment if it has one.
pub(crate) async fn insert_report(
    conn: &mut AnyConnection,
    session_id: i64,
    final_score: i64,
    report_json: &str,
    xapi_facts: Option<&str>,
    now: i64,
) -> Result<()> {
    let inserted = sqlx::query(
        "insert into reports (session_id, final_score, report_json, created_at) values ($1, $2, $3, $4)
         on conflict (session_id) do nothing",
    )
    .bind(session_id)
    .bind(final_score)
    .bind(report_json)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        sqlx::query(
            "update assignments
             set attempts = attempts + 1,
                 best_score = case when best_score is null or best_score < $2 then $2 else best_score end,
                 passed_at = case
                     when passed_at is null and $2 >= (select i.pass_mark from programme_items i
                         where i.programme_id = assignments.programme_id and i.item_index = assignments.item_index)
                     then $3 else passed_at end
             where id = (select assignment_id from assignment_sessions where session_id = $1)
               and attempts < (select i.max_attempts from programme_items i
                   where i.programme_id = assignments.programme_id and i.item_index = assignments.item_index)
               and exists (select 1 from training_sessions s where s.id = $1 and s.exchanges > 0)",
        )
        .bind(session_id)
        .bind(final_score)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if let Some(facts) = xapi_facts {
            enqueue_xapi(conn, session_id, facts, now).await?;
        }
    }
    Ok(())
}

/// The session's row in the xAPI outbox, if its owner's organisation has an LRS and the
/// session was scored (the learner said something).
async fn enqueue_xapi(conn: &mut AnyConnection, session_id: i64, facts: &str, now: i64) -> Result<()> {
    sqlx::query(
        "insert into xapi_outbox (organisation_id, session_id, facts_json, pass_mark, next_attempt_at, created_at)
         select m.organisation_id, s.id, $2,
                (select i.pass_mark from assignment_sessions a
                 join assignments g on g.id = a.assignment_id
                 join programme_items i on i.programme_id = g.programme_id and i.item_index = g.item_index
                 where a.session_id = s.id),
                $3, $3
         from training_sessions s
         join memberships m on m.user_id = s.user_id
         join organisation_lrs l on l.organisation_id = m.organisation_id
         where s.id = $1 and s.exchanges > 0
         on conflict (session_id) do nothing",
    )
    .bind(session_id)
    .bind(facts)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The statements of one turn, inside the caller's transaction (see `record_turn`).
pub(crate) async fn write_turn(
    conn: &mut AnyConnection,
    update: &TurnUpdate<'_>,
    learner: &NewMessage<'_>,
    prospect: &NewMessage<'_>,
) -> Result<()> {
    let done = sqlx::query(
        "update training_sessions
         set exchanges = $1, gauge = $2, mood = $3, state_json = $4, status = $5, end_type = $6,
             updated_at = $7, ended_at = $8, last_turn_json = $9
         where id = $10 and user_id = $11 and exchanges = $12 and status = 'active'",
    )
    .bind(update.exchanges_before + 1)
    .bind(update.gauge)
    .bind(update.mood)
    .bind(update.state_json)
    .bind(if update.ended { "ended" } else { "active" })
    .bind(update.end_type)
    .bind(update.now)
    .bind(update.ended.then_some(update.now))
    .bind(update.last_turn_json)
    .bind(update.session_id)
    .bind(update.user_id)
    .bind(update.exchanges_before)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict("the session is over or was updated concurrently"));
    }
    insert_messages(conn, update.session_id, &[learner, prospect]).await?;
    Ok(())
}

/// Inserts a session's messages in one statement (one round trip to the database).
async fn insert_messages(conn: &mut AnyConnection, session_id: i64, messages: &[&NewMessage<'_>]) -> Result<()> {
    const COLUMNS: usize = 8;
    let rows: Vec<String> = (0..messages.len())
        .map(|row| {
            let places: Vec<String> = (1..=COLUMNS).map(|column| format!("${}", row * COLUMNS + column)).collect();
            format!("({})", places.join(", "))
        })
        .collect();
    let sql = format!(
        "insert into messages (session_id, seq, role, content, gauge_after, patterns_json, created_at, voice_json)
         values {}",
        rows.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for m in messages {
        query = query
            .bind(session_id)
            .bind(m.seq)
            .bind(m.role)
            .bind(m.content)
            .bind(m.gauge_after)
            .bind(m.patterns_json)
            .bind(m.created_at)
            .bind(m.voice_json);
    }
    query.execute(conn).await?;
    Ok(())
}
