//! The TLS inspection in Chromium (wasm32) gives exactly the report the native build gives for
//! the committed fixture (`core/tests/fixtures/tls/browser/`), byte for byte as JSON.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::tls::{inspect, TlsInput, TlsReport};
use chrono::{DateTime, Utc};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CHAIN: &str = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");
const KEY: &str = include_str!("../../core/tests/fixtures/tls/browser/key.pem");
const CASE: &str = include_str!("../../core/tests/fixtures/tls/browser/case.json");
const REPORT: &str = include_str!("../../core/tests/fixtures/tls/browser/report.json");

#[wasm_bindgen_test]
fn inspection_in_the_browser_equals_the_native_report() {
    let case: serde_json::Value = serde_json::from_str(CASE).unwrap();
    let domain = case["domain"].as_str().unwrap();
    let now: DateTime<Utc> = case["now"].as_str().unwrap().parse().unwrap();
    let input = TlsInput {
        bundle_pem: CHAIN,
        key_pem: Some(KEY),
        domain,
    };
    let report = inspect(&input, now);

    // As JSON: every field, every message in both languages, the fingerprint.
    let expected: serde_json::Value = serde_json::from_str(REPORT).unwrap();
    assert_eq!(serde_json::to_value(&report).unwrap(), expected);
    // And as the typed value the console renders.
    let typed: TlsReport = serde_json::from_str(REPORT).unwrap();
    assert_eq!(report, typed);
    assert!(report.passed());
}
