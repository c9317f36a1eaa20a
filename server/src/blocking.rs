//! CPU-heavy work (argon2 password hashing, certificate chain and licence signature checks) runs
//! on tokio's blocking pool, never on the few async workers that serve every other request, and
//! at most one job per core at a time: a burst of sign-ins or chain checks then queues instead
//! of stalling the server or multiplying threads.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::AppError;
use crate::state::AppState;

/// The permits CPU-heavy jobs share: one per core.
pub fn permits() -> Arc<Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    Arc::new(Semaphore::new(cores))
}

/// Runs `job` on the blocking pool once a permit is free and returns its result; errors it words
/// are in the request's language.
pub async fn run<T, F>(state: &AppState, job: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let _permit = state
        .cpu
        .acquire()
        .await
        .map_err(|e| AppError::internal(format!("the CPU queue is closed: {e}")))?;
    tokio::task::spawn_blocking(crate::lang::carry(job))
        .await
        .map_err(|e| AppError::internal(format!("a background job failed: {e}")))
}
