//! Bootstrap keys issued in this tab and not shown yet. The wizard creates a deployment and
//! opens its page, which must show the key the create answered with (the server never shows it
//! again). Kept in memory only, never in storage, and handed over once.

use byoc_core::api::BootstrapGuide;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug)]
pub struct IssuedKeys {
    waiting: StoredValue<Vec<(String, BootstrapGuide)>>,
}

impl IssuedKeys {
    pub fn provide() -> Self {
        let keys = IssuedKeys {
            waiting: StoredValue::new(Vec::new()),
        };
        provide_context(keys);
        keys
    }

    /// Keeps `guide` (holding its key) for the page of deployment `id`.
    pub fn put(&self, id: &str, guide: BootstrapGuide) {
        self.waiting.update_value(|list| {
            list.retain(|(d, _)| d != id);
            list.push((id.to_owned(), guide));
        });
    }

    /// The guide kept for deployment `id`, which is forgotten here.
    pub fn take(&self, id: &str) -> Option<BootstrapGuide> {
        let mut found = None;
        self.waiting.update_value(|list| {
            if let Some(i) = list.iter().position(|(d, _)| d == id) {
                found = Some(list.remove(i).1);
            }
        });
        found
    }
}

/// The app's keys; rendered in isolation, a fresh store.
pub fn use_issued_keys() -> IssuedKeys {
    use_context::<IssuedKeys>().unwrap_or_else(IssuedKeys::provide)
}
