//! The pure pieces behind sign-in and forms: where sign-in may send the user back to, catalog
//! placeholders, and idempotency keys that survive a retry but not a new submission.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::api::CreateProjectRequest;
use byoc_web::api::idempotency::{new_key, SubmissionKey};
use byoc_web::i18n::fill;
use byoc_web::routes::{safe_return_path, Route};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn sign_in_returns_only_to_local_pages() {
    assert_eq!(safe_return_path(Some("/access")), Some("/access"));
    assert_eq!(
        safe_return_path(Some("/audit?actor=admin")),
        Some("/audit?actor=admin")
    );
    for bad in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "access",
        "/sign-in",
        "/sign-in?next=/x",
        "/a\nb",
    ] {
        assert_eq!(safe_return_path(Some(bad)), None, "{bad:?}");
    }
    assert_eq!(safe_return_path(None), None);
    assert_eq!(
        Route::sign_in_then("/audit?actor=a b"),
        "/sign-in?next=%2Faudit%3Factor%3Da%20b"
    );
    assert_eq!(Route::sign_in_then("//evil.example"), "/sign-in");
}

#[wasm_bindgen_test]
fn placeholders_are_filled_by_name() {
    assert_eq!(
        fill(
            "{name} is now {role}.",
            &[("role", "Owner"), ("name", "alice")]
        ),
        "alice is now Owner."
    );
}

#[wasm_bindgen_test]
fn a_retried_submission_reuses_its_key_and_a_new_one_does_not() {
    let key = SubmissionKey::<CreateProjectRequest>::new();
    let request = CreateProjectRequest {
        name: "payments".into(),
        description: None,
    };
    let first = key.for_request(&request);
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "4", "a version-4 UUID: {first}");
    assert_eq!(key.for_request(&request), first, "a retry reuses the key");

    let changed = CreateProjectRequest {
        name: "payments-eu".into(),
        description: None,
    };
    let second = key.for_request(&changed);
    assert_ne!(second, first, "different data is a different submission");
    key.done();
    assert_ne!(
        key.for_request(&changed),
        second,
        "after success, a new key"
    );
    assert_ne!(new_key(), new_key());
}
