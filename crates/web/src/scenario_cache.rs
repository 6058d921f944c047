//! The scenarios of the sessions being played, parsed once. A session's scenario never
//! changes after its start (it is stored once, `Store::training_session_scenario`), so a
//! turn takes it from here instead of reading and parsing 20 KB of JSON and building its
//! topics again. Safe with several instances over one database for the same reason.
//! Bounded: past its capacity the least recently used scenario goes (it is read again from
//! the database when its session comes back).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use replique_core::engine::Scenario;

/// Parsed scenarios by session id.
pub struct ScenarioCache {
    capacity: usize,
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_session: HashMap<i64, (Arc<Scenario>, u64)>,
    /// Incremented at each use: the entry with the smallest mark was used longest ago.
    clock: u64,
}

impl ScenarioCache {
    pub fn new(capacity: usize) -> Self {
        ScenarioCache { capacity: capacity.max(1), inner: Mutex::new(Entries::default()) }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // Nothing here can be left half-done by a panic: a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The scenario of `session_id`, if it is here.
    pub fn get(&self, session_id: i64) -> Option<Arc<Scenario>> {
        let mut entries = self.entries();
        entries.clock += 1;
        let now = entries.clock;
        entries.by_session.get_mut(&session_id).map(|(scenario, used)| {
            *used = now;
            Arc::clone(scenario)
        })
    }

    /// Keeps the scenario of `session_id`, making room if needed.
    pub fn insert(&self, session_id: i64, scenario: Arc<Scenario>) {
        let mut entries = self.entries();
        entries.clock += 1;
        let now = entries.clock;
        if entries.by_session.len() >= self.capacity && !entries.by_session.contains_key(&session_id) {
            let oldest = entries.by_session.iter().min_by_key(|(_, (_, used))| *used).map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                entries.by_session.remove(&oldest);
            }
        }
        entries.by_session.insert(session_id, (scenario, now));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries().by_session.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Arc<Scenario> {
        let catalog = replique_core::Catalog::embedded().expect("catalogue");
        let s =
            replique_core::engine::scenario(&catalog, "ecoute_active", "generic", replique_core::Level::Easy, None, 1)
                .expect("scenario");
        Arc::new(s)
    }

    #[test]
    fn the_least_recently_used_scenario_goes_first() {
        let cache = ScenarioCache::new(2);
        let s = scenario();
        cache.insert(1, Arc::clone(&s));
        cache.insert(2, Arc::clone(&s));
        assert!(cache.get(1).is_some(), "1 is now the most recent");
        cache.insert(3, Arc::clone(&s));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(2).is_none(), "2 was used longest ago");
        assert!(cache.get(1).is_some() && cache.get(3).is_some());
        cache.insert(3, s);
        assert_eq!(cache.len(), 2, "a second insert replaces");
    }
}
