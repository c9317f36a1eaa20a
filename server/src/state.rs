//! What every handler can reach.

use std::sync::Arc;

use sqlx::SqlitePool;

use crate::config::Config;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<Config>,
}
