//! The BYOC console: a client-side Leptos app. Rules come from `byoc-core`, so what the console
//! checks instantly is exactly what the control plane enforces.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod crypto;
pub mod i18n;
pub mod pages;
pub mod poll;
pub mod routes;
pub mod session;
pub mod theme;

pub use app::App;
