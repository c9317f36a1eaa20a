//! What every handler can reach.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// The vendor's key licences are verified with; `None` when not configured.
    pub licence_key: Option<byoc_core::licence::VerifyingKey>,
    /// Permits for CPU-heavy jobs (`crate::blocking`).
    pub cpu: Arc<tokio::sync::Semaphore>,
    /// Certificate checks of `POST /api/v1/prerequisites/tls` at once (`routes::prerequisites`):
    /// half the CPU permits, so they never take all of them.
    pub tls_checks: Arc<tokio::sync::Semaphore>,
    /// This process's request figures, read at `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Deployments list pages kept under their project's change count (`crate::page_cache`).
    pub pages: Arc<crate::page_cache::PageCache>,
}
