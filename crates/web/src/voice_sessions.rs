//! The per-instance limit on live voice sessions: a seat is taken when a voice WebSocket
//! opens and given back when it closes. Past the limit, a learner is told so in French and
//! continues in writing (see `voice::live`); nobody waits for a seat. Deactivating an
//! account (SCIM) closes its sockets on this instance at once (`close_user`). A leaf:
//! `voice` takes seats and listens for closures, `scim` closes, `assets` (`/health`) and
//! `metrics` read the counts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Voice sessions per core when the configuration leaves the limit at 0: a learner thinks
/// 5 to 20 s between turns, so a hundred of them ask a core for five to twenty lines a
/// second, which the offline voice (espeak-ng) keeps up with. Local speech models (Whisper,
/// Kokoro) need a far lower limit, set by hand.
pub const PER_CORE: usize = 100;

/// The seats of one instance.
#[derive(Clone)]
pub struct VoiceSessions(Arc<Seats>);

struct Seats {
    max: usize,
    active: AtomicUsize,
    /// Accounts whose sockets must close now (deactivated).
    closed: tokio::sync::broadcast::Sender<i64>,
}

impl VoiceSessions {
    /// `max` seats (0: [`PER_CORE`] per available core).
    pub fn new(max: usize) -> Self {
        let max = if max == 0 {
            PER_CORE * std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        } else {
            max
        };
        let (closed, _) = tokio::sync::broadcast::channel(64);
        VoiceSessions(Arc::new(Seats { max, active: AtomicUsize::new(0), closed }))
    }

    /// A seat, if one is free.
    pub fn try_enter(&self) -> Option<Seat> {
        self.0
            .active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |active| (active < self.0.max).then_some(active + 1))
            .ok()
            .map(|_| Seat(Arc::clone(&self.0)))
    }

    /// Closes every voice socket of `user_id` open on this instance.
    pub fn close_user(&self, user_id: i64) {
        // No socket listening is no error: there is nothing to close.
        let _ = self.0.closed.send(user_id);
    }

    /// The accounts whose sockets must close, from now on.
    pub fn closures(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.0.closed.subscribe()
    }

    /// Sessions open now.
    pub fn active(&self) -> usize {
        self.0.active.load(Ordering::Acquire)
    }

    /// The limit.
    pub fn max(&self) -> usize {
        self.0.max
    }
}

/// A taken seat; dropping it frees it.
pub struct Seat(Arc<Seats>);

impl Drop for Seat {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_are_taken_up_to_the_limit_and_freed_on_drop() {
        let seats = VoiceSessions::new(2);
        let first = seats.try_enter();
        let second = seats.try_enter();
        assert!(first.is_some() && second.is_some());
        assert!(seats.try_enter().is_none());
        assert_eq!((seats.active(), seats.max()), (2, 2));
        drop(first);
        assert_eq!(seats.active(), 1);
        assert!(seats.try_enter().is_some(), "a freed seat is taken again");
    }

    #[test]
    fn no_limit_set_means_a_hundred_per_core() {
        let seats = VoiceSessions::new(0);
        assert!(seats.max() >= PER_CORE && seats.max().is_multiple_of(PER_CORE));
    }
}
