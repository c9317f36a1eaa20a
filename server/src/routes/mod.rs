//! One file per resource. Each exposes `routes() -> Router<AppState>` mounted by `app()`.

pub mod agent;
pub mod audit;
pub mod catalog;
pub mod deployments;
pub mod downloads;
pub mod health;
pub mod licence;
pub mod members;
pub mod network;
pub mod overview;
pub mod prerequisites;
pub mod projects;
pub mod session;
pub mod tokens;
pub mod users;
