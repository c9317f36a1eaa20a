//! Lifecycles as pure state machines: `apply(state, event) -> Result<state, TransitionError>`,
//! table-tested natively and used unchanged by the server and the console (SPEC §6–§7).

pub mod agent_token;
pub mod broker_stats;
pub mod deployment;
pub mod names;
pub mod peering;
pub mod privatelink;
pub mod spec;
pub mod toolkit;

/// The actions a refusal names, e.g. "stop, delete" ("nothing" when none), for every lifecycle's
/// error messages.
pub(crate) fn list_actions<A: Copy>(actions: &[A], code: fn(A) -> &'static str) -> String {
    if actions.is_empty() {
        "nothing".to_owned()
    } else {
        actions
            .iter()
            .map(|a| code(*a))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
