//! `Idempotency-Key`s for creates: one random key per form submission, reused when the same
//! submission is retried (after a network error, say), so a retry never creates twice.

use leptos::prelude::*;

/// A random version-4 UUID. `crypto.getRandomValues` rather than `randomUUID`, which browsers
/// only offer in secure contexts, and a console on plain HTTP inside a private network still
/// needs keys.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto at all (very old browser): the key only has to be unique, not secret.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Remembers the last request a form submitted and its key.
#[derive(Debug)]
pub struct SubmissionKey<T: Send + Sync + 'static> {
    last: StoredValue<Option<(T, String)>>,
}

impl<T: Send + Sync + 'static> Clone for SubmissionKey<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for SubmissionKey<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Default for SubmissionKey<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> SubmissionKey<T> {
    pub fn new() -> Self {
        SubmissionKey {
            last: StoredValue::new(None),
        }
    }

    /// The key to send with `request`: the previous one if this is the same request again (a
    /// retry), else a fresh one.
    pub fn for_request(&self, request: &T) -> String {
        let reused = self
            .last
            .try_with_value(|last| match last {
                Some((previous, key)) if previous == request => Some(key.clone()),
                _ => None,
            })
            .flatten();
        reused.unwrap_or_else(|| {
            let key = new_key();
            self.last.set_value(Some((request.clone(), key.clone())));
            key
        })
    }

    /// Forgets the key once the create succeeded: submitting the same data again is a new
    /// create, which the server should judge on its own (a duplicate name, say).
    pub fn done(&self) {
        self.last.set_value(None);
    }
}
