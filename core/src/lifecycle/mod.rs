//! Lifecycles as pure state machines: `apply(state, event) -> Result<state, TransitionError>`,
//! table-tested natively and used unchanged by the server and the console (SPEC §6–§7).

pub mod deployment;
pub mod names;
pub mod peering;
pub mod privatelink;
pub mod spec;
pub mod toolkit;
