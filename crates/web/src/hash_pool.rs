//! A bounded pool for password hashing. Argon2id takes 19 MiB and tens of milliseconds a
//! run; under a login flood, one blocking thread per attempt ended in gigabytes of memory
//! and a frozen runtime. Here a fixed set of threads (one per core but one) does every run, at most
//! `queue` more runs wait their turn, and anything past that is refused at once with
//! `Error::Overloaded` (503 and `Retry-After`), without spawning anything.
//!
//! Fixed threads also bound the memory: the allocator keeps a hash's 19 MiB per thread for
//! the next one, so a thread per try kept that much per thread ever used.
//!
//! A request is admitted (`admit`) before any other work, so that a refused one costs
//! neither a rate-limit write nor a database round trip.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::Error;

type Job = Box<dyn FnOnce() + Send>;

pub struct HashPool {
    jobs: SyncSender<Job>,
    /// Runs allowed in the building, running or waiting.
    admitted: Arc<Semaphore>,
}

/// A place in the pool, held from admission to the end of the run.
pub struct Admission {
    jobs: SyncSender<Job>,
    _permit: OwnedSemaphorePermit,
}

impl HashPool {
    /// A pool of `workers` threads with `queue` places to wait.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        let (jobs, receiver) = sync_channel::<Job>(workers + queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..workers {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new().name(format!("replique-hash-{i}")).spawn(move || work(&receiver));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        HashPool { jobs, admitted: Arc::new(Semaphore::new(workers + queue)) }
    }

    /// `workers` threads (0: one per core but one, at least one, so that a login flood
    /// always leaves a core to the requests) and a queue of four runs per thread.
    pub fn with_workers(workers: usize) -> Self {
        let workers = if workers == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).saturating_sub(1).max(1)
        } else {
            workers
        };
        Self::new(workers, 4 * workers)
    }

    /// A place for one run; `Overloaded` at once when every place is taken.
    pub fn admit(&self) -> Result<Admission, Error> {
        let permit = Arc::clone(&self.admitted).try_acquire_owned().map_err(|_| Error::Overloaded)?;
        Ok(Admission { jobs: self.jobs.clone(), _permit: permit })
    }
}

impl Admission {
    /// Runs `work` on one of the pool's threads and waits for its result.
    pub async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
        });
        // Admission bounds the jobs to the channel's capacity: `Full` cannot happen.
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => Error::Overloaded,
            TrySendError::Disconnected(_) => Error::internal("no password hashing thread"),
        })?;
        rx.await.map_err(|_| Error::internal("a password hashing run failed"))
    }
}

/// A hashing thread: runs jobs until the pool is dropped. A panicking job is caught (its
/// caller gets an internal error) and the thread goes on.
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
            tracing::error!("a password hashing run panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_go_to_the_pool_threads_and_past_the_queue_are_refused() {
        let pool = HashPool::new(1, 1);
        let name = pool.admit().expect("place").run(|| std::thread::current().name().map(str::to_owned)).await;
        assert_eq!(name.expect("run").as_deref(), Some("replique-hash-0"));

        let (first, second) = (pool.admit().expect("running"), pool.admit().expect("waiting"));
        assert!(matches!(pool.admit(), Err(Error::Overloaded)), "one thread and one place in the queue");
        drop(first);
        let third = pool.admit().expect("a place again");
        assert_eq!(third.run(|| 3).await.expect("run"), 3);
        assert_eq!(second.run(|| 2).await.expect("run"), 2);
    }

    #[tokio::test]
    async fn a_panicking_run_leaves_the_thread_working() {
        let pool = HashPool::new(1, 0);
        let failed = pool.admit().expect("place").run(|| -> u8 { panic!("boom") }).await;
        assert!(matches!(failed, Err(Error::Internal(_))));
        assert_eq!(pool.admit().expect("place").run(|| 7).await.expect("run"), 7);
    }
}
