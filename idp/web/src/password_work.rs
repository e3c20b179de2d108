//! Argon2 work (hashing and checking passwords), a bounded number at once.
//!
//! Each argon2id run holds 19 MiB for about 20 ms of one core. Unbounded,
//! 32 sign-ins at once took the process to 3 GB (ops/bench/report.md)
//! without finishing any sooner: past one run per core they only queue for
//! the CPU. A run waits for a permit at most `max_wait`; past that the
//! request is answered 503 rather than left hanging.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

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

pub struct PasswordWork {
    permits: Arc<Semaphore>,
    max_wait: Duration,
}

impl PasswordWork {
    /// `concurrency` runs at once (0 is taken as 1).
    pub fn new(concurrency: usize, max_wait: Duration) -> Self {
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), max_wait }
    }

    /// One run per available core.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, usize::from), DEFAULT_MAX_WAIT)
    }

    /// Runs `work` on the blocking pool once a permit is free. The permit
    /// goes with the work, so a request given up half-way (the browser
    /// went away) still counts until its argon2 run ends.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, WorkError> {
        let permit = tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| WorkError::Busy)?
            .map_err(|_| WorkError::Busy)?;
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|_| WorkError::Crashed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_a_permit_then_gives_up() {
        let work = PasswordWork::new(1, Duration::from_millis(50));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let first = {
            let permits = work.permits.clone();
            let p = permits.acquire_owned().await.unwrap();
            tokio::task::spawn_blocking(move || {
                let _ = held.recv();
                drop(p);
            })
        };
        assert!(matches!(work.run(|| 1).await, Err(WorkError::Busy)), "no permit within the wait");
        release.send(()).unwrap();
        first.await.unwrap();
        assert_eq!(work.run(|| 2).await.unwrap(), 2, "a permit again once the work is done");
    }
}
