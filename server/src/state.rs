//! What every handler can reach.

use std::sync::Arc;

use sqlx::SqlitePool;

use crate::config::Config;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<Config>,
    /// The vendor's key licences are verified with; `None` when not configured.
    pub licence_key: Option<byoc_core::licence::VerifyingKey>,
}
