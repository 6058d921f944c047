//! What the learners were told of their turns (issue 19, scale-out): per session, the turns
//! acknowledged (answered 200, or a `turn` message over the socket) and whether one was
//! still waiting for its answer when the learner stopped; then, against the database, the
//! acknowledged turns that are missing (lost) and the stored turns nobody sent (a turn
//! stored twice). Turns are numbered (`exchange`), so a turn sent again after a lost answer
//! is never stored twice: each session must hold exactly its acknowledged turns, plus at
//! most the one in flight at the end.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use serde_json::{Value, json};

/// One learner's session, as the learner saw it.
#[derive(Default)]
pub struct Entry {
    acknowledged: AtomicU64,
    in_flight: AtomicBool,
}

impl Entry {
    /// A turn is sent (and may be stored even if its answer never comes).
    pub fn sending(&self) {
        self.in_flight.store(true, Ordering::Release);
    }

    /// Its answer came: the server says it is stored.
    pub fn acknowledged(&self) {
        self.acknowledged.fetch_add(1, Ordering::AcqRel);
        self.in_flight.store(false, Ordering::Release);
    }

    /// The turns acknowledged so far: the next turn's number is one more.
    pub fn count(&self) -> u64 {
        self.acknowledged.load(Ordering::Acquire)
    }
}

/// Every session of the run, and how the learners got through trouble.
#[derive(Default)]
pub struct Ledger {
    sessions: Mutex<Vec<(i64, Arc<Entry>)>>,
    /// Turns sent more than once (a connection error, a 502/503, a closed socket).
    pub retried_turns: AtomicU64,
    /// Voice sockets opened again after one broke.
    pub reconnects: AtomicU64,
    /// Learners who stopped on an error they could not get past.
    pub failed_sessions: AtomicU64,
}

impl Ledger {
    /// A session started: its entry.
    pub fn open(&self, id: i64) -> Arc<Entry> {
        let entry = Arc::new(Entry::default());
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.push((id, Arc::clone(&entry)));
        }
        entry
    }

    fn totals(&self) -> Summary {
        let sessions = self.sessions.lock().map(|s| s.clone()).unwrap_or_default();
        Summary {
            sessions: sessions.len(),
            acknowledged_turns: sessions.iter().map(|(_, e)| e.count()).sum(),
            retried_turns: self.retried_turns.load(Ordering::Acquire),
            voice_reconnects: self.reconnects.load(Ordering::Acquire),
            failed_sessions: self.failed_sessions.load(Ordering::Acquire),
            checked: None,
        }
    }

    /// The totals, checked against the database at `url` when given.
    pub async fn summary(&self, url: Option<&str>) -> Result<Summary> {
        let mut summary = self.totals();
        if let Some(url) = url {
            let stored = stored_turns(url).await?;
            let sessions = self.sessions.lock().map(|s| s.clone()).unwrap_or_default();
            let mut check = Check::default();
            for (id, entry) in &sessions {
                let (acknowledged, in_flight) = (entry.count(), entry.in_flight.load(Ordering::Acquire));
                let stored = stored.get(id).copied().unwrap_or(0);
                check.stored_turns += stored;
                if stored < acknowledged {
                    check.lost_turns += acknowledged - stored;
                } else if stored > acknowledged + u64::from(in_flight) {
                    check.duplicated_turns += stored - acknowledged - u64::from(in_flight);
                } else if stored > acknowledged {
                    check.in_flight_stored += 1;
                }
            }
            summary.checked = Some(check);
        }
        Ok(summary)
    }
}

/// The run's totals.
pub struct Summary {
    pub sessions: usize,
    pub acknowledged_turns: u64,
    pub retried_turns: u64,
    pub voice_reconnects: u64,
    pub failed_sessions: u64,
    /// Against the database, when it was given.
    pub checked: Option<Check>,
}

/// The sessions of the run against what the database holds.
#[derive(Default)]
pub struct Check {
    /// Learner turns stored in the run's sessions.
    pub stored_turns: u64,
    /// Acknowledged turns missing from the database.
    pub lost_turns: u64,
    /// Stored turns beyond those acknowledged and the one in flight: a turn stored twice.
    pub duplicated_turns: u64,
    /// Sessions whose last turn was stored while its answer never reached the learner
    /// (stopped at the end of the run, or gave up).
    pub in_flight_stored: u64,
}

impl Summary {
    /// For scripts (`--summary`).
    pub fn to_json(&self) -> Value {
        let checked = self.checked.as_ref().map(|c| {
            json!({
                "stored_turns": c.stored_turns,
                "lost_turns": c.lost_turns,
                "duplicated_turns": c.duplicated_turns,
                "in_flight_stored": c.in_flight_stored,
            })
        });
        json!({
            "sessions": self.sessions,
            "acknowledged_turns": self.acknowledged_turns,
            "retried_turns": self.retried_turns,
            "voice_reconnects": self.voice_reconnects,
            "failed_sessions": self.failed_sessions,
            "checked": checked,
        })
    }
}

/// The learner turns stored per session.
async fn stored_turns(url: &str) -> Result<HashMap<i64, u64>> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.context("cannot open the database to check the turns")?;
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("select session_id, count(*) from messages where role = 'user' group by session_id")
            .fetch_all(&pool)
            .await
            .context("cannot count the stored turns")?;
    pool.close().await;
    Ok(rows.into_iter().map(|(id, n)| (id, u64::try_from(n).unwrap_or(0))).collect())
}
