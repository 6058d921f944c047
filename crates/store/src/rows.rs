//! Rows read from and written to the database.

use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    /// `free`, `trial`, `premium` or `enterprise`.
    pub plan: String,
    /// End of the trial, for `trial` accounts (Unix seconds).
    pub trial_ends_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub plan: &'a str,
    pub trial_ends_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TrainingSessionRow {
    pub id: i64,
    pub user_id: i64,
    pub skill_slug: String,
    pub sector_slug: String,
    pub level: String,
    pub template_id: String,
    /// The session seed, stored as the bits of a u64.
    pub seed: i64,
    /// `active` or `ended`.
    pub status: String,
    pub end_type: Option<String>,
    pub starting_gauge: i64,
    pub gauge: i64,
    pub mood: String,
    pub exchanges: i64,
    /// The engine's state; the scenario is apart (`Store::training_session_scenario`).
    pub state_json: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
}

impl TrainingSessionRow {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionSummary {
    pub id: i64,
    pub skill_slug: String,
    pub sector_slug: String,
    pub level: String,
    pub status: String,
    pub gauge: i64,
    pub exchanges: i64,
    pub created_at: i64,
    pub final_score: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewTrainingSession<'a> {
    pub user_id: i64,
    pub skill_slug: &'a str,
    pub sector_slug: &'a str,
    pub level: &'a str,
    pub template_id: &'a str,
    pub seed: i64,
    pub gauge: i64,
    pub mood: &'a str,
    pub scenario_json: &'a str,
    pub state_json: &'a str,
    pub created_at: i64,
    /// The plan's allowance: at most `.1` sessions started since `.0` (Unix seconds),
    /// checked in the insert itself; `None`: unlimited.
    pub allowance: Option<(i64, i64)>,
    /// The programme assignment this session is an attempt at, if any.
    pub assignment_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MessageRow {
    pub seq: i64,
    /// `user` or `prospect`.
    pub role: String,
    pub content: String,
    pub gauge_after: i64,
    pub patterns_json: String,
    pub created_at: i64,
    /// How a spoken learner turn was said (JSON), if it was spoken.
    pub voice_json: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub seq: i64,
    pub role: &'a str,
    pub content: &'a str,
    pub gauge_after: i64,
    pub patterns_json: &'a str,
    pub created_at: i64,
    pub voice_json: Option<&'a str>,
}

/// The session-level part of a stored exchange.
#[derive(Debug, Clone)]
pub struct TurnUpdate<'a> {
    pub session_id: i64,
    pub user_id: i64,
    /// Exchanges stored before this one (optimistic concurrency check).
    pub exchanges_before: i64,
    pub gauge: i64,
    pub mood: &'a str,
    pub state_json: &'a str,
    pub ended: bool,
    pub end_type: Option<&'a str>,
    pub now: i64,
    /// The answer to this turn, kept for a repeated request (`Store::last_turn`).
    pub last_turn_json: &'a str,
}
