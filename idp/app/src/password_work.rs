//! Argon2 work (hashing and checking passwords), a bounded number at once,
//! on threads of its own.
//!
//! Each argon2id run holds 19 MiB for about 20 ms of one core. Unbounded,
//! 32 sign-ins at once took the process to 3 GB (ops/bench/report.md)
//! without finishing any sooner: past one run per core they only queue for
//! the CPU. A run waits for a permit at most `max_wait`; past that the
//! request is answered 503 rather than left hanging.
//!
//! Runs for a sign-in that is already suspect (its account or its client
//! address failed recently: credential stuffing, a guesser) go through a
//! narrower gate first, `concurrency - 1` permits (at least one): they can
//! never take every permit, and no more than that many of them queue for
//! one, so a clean sign-in waits behind at most that many suspect runs
//! instead of behind the whole flood. Measured by the resilience test
//! (idp/server/tests/it/resilience/stuffing.rs).
//!
//! The runs go to `concurrency` dedicated threads rather than Tokio's
//! blocking pool: once a 19 MiB block has been freed, glibc serves the next
//! ones from the running thread's malloc arena and keeps them there, so runs
//! spread over many pool threads kept 19 MiB per arena (280 MB with two
//! runs at a time); a fixed set of threads keeps about one block each.
//!
//! Each thread keeps its block itself (`password::Memory`, handed to the
//! work) and never frees it: freeing it raised glibc's mmap threshold for
//! the whole process, and the malloc arenas of every thread then held on
//! to freed memory (peak RSS 115 MB in the bench's password code flow,
//! about 56 MB with the block kept; see `trame_core::password::Memory`).

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};
use trame_core::password::Memory;

/// How long a request waits for a permit by default: enough for a burst
/// of sign-ins to drain, short of a load balancer's or a person's patience.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// No permit came within the wait: the node is overloaded.
    #[error("too many password checks in progress")]
    Busy,
    /// The work panicked (a bug).
    #[error("the password work failed")]
    Crashed,
}

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

/// Which queue a run waits in (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Clean,
    Suspect,
}

pub struct PasswordWork {
    permits: Arc<Semaphore>,
    /// Taken by suspect runs before `permits`.
    suspect_permits: Arc<Semaphore>,
    max_wait: Duration,
    /// To the worker threads; they end when this is dropped.
    jobs: mpsc::Sender<Job>,
}

impl PasswordWork {
    /// `concurrency` runs at once (0 is taken as 1), on as many threads.
    pub fn new(concurrency: usize, max_wait: Duration) -> Self {
        let concurrency = concurrency.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..concurrency {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("trame-argon2-{i}")).spawn(move || {
                // Allocated at the first run, kept until the thread ends.
                let mut memory = Memory::default();
                loop {
                    // The lock is held only while waiting for the next job.
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => job(&mut memory),
                        Err(_) => return,
                    }
                }
            });
            if let Err(e) = spawned {
                // Fewer threads: runs wait a little longer, nothing breaks.
                tracing::error!(error = %e, "cannot start a password worker thread");
            }
        }
        Self { permits: Arc::new(Semaphore::new(concurrency)), suspect_permits: Arc::new(Semaphore::new((concurrency - 1).max(1))), max_wait, jobs }
    }

    /// One run per available core.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, usize::from), DEFAULT_MAX_WAIT)
    }

    /// Runs `work` on a worker thread once a permit is free, with that
    /// thread's argon2 memory. The permit goes with the work, so a request
    /// given up half-way (the browser went away) still counts until its
    /// argon2 run ends.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce(&mut Memory) -> T + Send + 'static) -> Result<T, WorkError> {
        self.run_in(Lane::Clean, work).await
    }

    /// `run`, in the given lane; `max_wait` bounds both waits together.
    pub async fn run_in<T: Send + 'static>(&self, lane: Lane, work: impl FnOnce(&mut Memory) -> T + Send + 'static) -> Result<T, WorkError> {
        let permits = async {
            let gate = match lane {
                Lane::Clean => None,
                Lane::Suspect => Some(self.suspect_permits.clone().acquire_owned().await?),
            };
            Ok::<_, tokio::sync::AcquireError>((gate, self.permits.clone().acquire_owned().await?))
        };
        let permit = tokio::time::timeout(self.max_wait, permits).await.map_err(|_| WorkError::Busy)?.map_err(|_| WorkError::Busy)?;
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move |memory: &mut Memory| {
            // A panic stays in its job: the thread serves the next one.
            let out = std::panic::catch_unwind(AssertUnwindSafe(|| work(memory)));
            drop(permit);
            let _ = done.send(out);
        });
        self.jobs.send(job).map_err(|_| WorkError::Crashed)?;
        match result.await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(_)) | Err(_) => Err(WorkError::Crashed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_a_permit_then_gives_up() {
        let work = Arc::new(PasswordWork::new(1, Duration::from_millis(50)));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let first = {
            let work = work.clone();
            tokio::spawn(async move { work.run(move |_| held.recv()).await })
        };
        while work.run(|_| ()).await.is_ok() {
            tokio::task::yield_now().await;
        }
        assert!(matches!(work.run(|_| 1).await, Err(WorkError::Busy)), "no permit within the wait");
        release.send(()).unwrap();
        first.await.unwrap().unwrap().unwrap();
        assert_eq!(work.run(|_| 2).await.unwrap(), 2, "a permit again once the work is done");
    }

    #[tokio::test]
    async fn suspect_runs_never_take_every_permit() {
        let work = Arc::new(PasswordWork::new(2, Duration::from_millis(50)));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let suspect = {
            let work = work.clone();
            tokio::spawn(async move { work.run_in(Lane::Suspect, move |_| held.recv()).await })
        };
        // Wait until the first suspect run holds its permits.
        while work.suspect_permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(work.run_in(Lane::Suspect, |_| 1).await, Err(WorkError::Busy)), "a second suspect run waits");
        assert_eq!(work.run_in(Lane::Clean, |_| 2).await.unwrap(), 2, "a clean run still finds a permit");
        release.send(()).unwrap();
        suspect.await.unwrap().unwrap().unwrap();
        assert_eq!(work.run_in(Lane::Suspect, |_| 3).await.unwrap(), 3);
    }

    #[tokio::test]
    async fn a_panic_is_an_error_and_the_thread_goes_on() {
        let work = PasswordWork::new(1, Duration::from_secs(5));
        assert!(matches!(work.run(|_| panic!("bug")).await, Err(WorkError::Crashed)));
        assert_eq!(work.run(|_| 3).await.unwrap(), 3);
    }
}
