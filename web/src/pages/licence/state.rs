//! The licence in force, fetched once for the whole console: the header's banner and the Licence
//! page read the same answer, and installing a licence refreshes both.

use byoc_core::api::LicenceView;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::session::use_session;

#[derive(Clone, Copy)]
pub struct LicenceState {
    /// `Ok(None)` while nobody is signed in (the API would refuse).
    pub current: LocalResource<Result<Option<LicenceView>, ApiError>>,
}

impl LicenceState {
    /// Provides the shared state; it follows the session (fetched on sign-in, dropped on
    /// sign-out).
    pub fn provide() -> Self {
        let session = use_session();
        // A memo, so refreshing the user's details (same session) does not fetch again.
        let signed_in = Memo::new(move |_| session.is_signed_in());
        let current = LocalResource::new(move || {
            let signed_in = signed_in.get();
            async move {
                if signed_in {
                    api::licence::get().await.map(Some)
                } else {
                    Ok(None)
                }
            }
        });
        let state = LicenceState { current };
        provide_context(state);
        state
    }

    /// The licence in force, if known (reactive).
    pub fn view(&self) -> Option<LicenceView> {
        self.current.get().and_then(Result::ok).flatten()
    }
}

/// The app's licence state; rendered in isolation, a fresh one.
pub fn use_licence() -> LicenceState {
    use_context::<LicenceState>().unwrap_or_else(LicenceState::provide)
}
