//! One file per resource. Each exposes `routes() -> Router<AppState>` mounted by `app()`.

pub mod catalog;
pub mod health;
pub mod prerequisites;
