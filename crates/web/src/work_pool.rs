//! Bounded CPU work off the async runtime. Reading and analysing a champion's call is
//! CPU-bound (a long call took seconds); run on the runtime's threads, two of them froze
//! `/health`. Here such work runs on blocking threads, a few at a time (`workers`); a
//! request waits at most `queue_wait` for a place (then 503 `Overloaded`), and gets 503
//! with a French message past `time_limit`. A run that overstays keeps its place until it
//! ends, so no more than `workers` runs ever use the CPU at once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::Error;

pub struct WorkPool {
    places: Arc<Semaphore>,
    queue_wait: Duration,
    time_limit: Duration,
}

impl WorkPool {
    /// `workers` runs at once (0: half the cores, at least one).
    pub fn new(workers: usize, queue_wait: Duration, time_limit: Duration) -> Self {
        let workers = if workers == 0 {
            (std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get) / 2).max(1)
        } else {
            workers
        };
        WorkPool { places: Arc::new(Semaphore::new(workers)), queue_wait, time_limit }
    }

    /// Runs `work` on a blocking thread once a place is free.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
        let place = tokio::time::timeout(self.queue_wait, Arc::clone(&self.places).acquire_owned())
            .await
            .map_err(|_| Error::Overloaded)?
            .map_err(Error::internal)?;
        let task = tokio::task::spawn_blocking(move || {
            let _place = place;
            work()
        });
        match tokio::time::timeout(self.time_limit, task).await {
            Ok(done) => done.map_err(Error::internal),
            Err(_) => {
                tracing::warn!(limit_s = self.time_limit.as_secs_f64(), "champion work over its time limit");
                Err(Error::Unavailable(
                    "Le traitement de l’appel a pris trop de temps. Réessayez plus tard ou envoyez un appel plus court."
                        .into(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_past_its_time_limit_or_its_wait_is_refused_with_503() {
        let pool = Arc::new(WorkPool::new(1, Duration::from_millis(50), Duration::from_millis(50)));
        assert_eq!(pool.run(|| 2 + 2).await.expect("run"), 4);

        let gate = Arc::new(std::sync::Barrier::new(2));
        let held = Arc::clone(&gate);
        let slow = pool.run(move || held.wait()).await;
        assert!(matches!(slow, Err(Error::Unavailable(_))), "over the time limit");
        // The slow run still holds the only place: the next one waits, then is refused.
        assert!(matches!(pool.run(|| ()).await, Err(Error::Overloaded)));
        gate.wait();
        while pool.places.available_permits() == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(|| 5).await.expect("a place again"), 5);
    }
}
