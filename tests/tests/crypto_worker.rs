//! The crypto worker as built and served (`/crypto-loader.js`, trunk's `byoc-crypto` wasm) answers
//! exactly what `core` answers natively: the committed TLS fixture's report, byte for byte as
//! JSON (the same fixture `web/tests/tls_inspect.rs` checks for core in wasm), the public bundle,
//! and the chain's verdict as the server checks a deployment request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use byoc_core::lifecycle::spec::check_certificate;
use byoc_core::tls::{public_bundle, TlsReport};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use support::Harness;

const CHAIN: &str = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");
const KEY: &str = include_str!("../../core/tests/fixtures/tls/browser/key.pem");
const CASE: &str = include_str!("../../core/tests/fixtures/tls/browser/case.json");
const REPORT: &str = include_str!("../../core/tests/fixtures/tls/browser/report.json");

/// Starts the worker from the page, sends one request once it is ready, and hands back its reply
/// (or what went wrong).
const ASK_WORKER: &str = r#"
    const request = arguments[0];
    const done = arguments[arguments.length - 1];
    const worker = new Worker('/crypto-loader.js');
    worker.onmessage = (e) => {
        const reply = JSON.parse(e.data);
        if (reply === 'Ready') { worker.postMessage(request); return; }
        worker.terminate();
        done(reply);
    };
    worker.onerror = (e) => done({ error: String(e.message || e.type) });
"#;

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn the_worker_answers_what_core_answers_natively() {
    let case: Value = serde_json::from_str(CASE).unwrap();
    let domain = case["domain"].as_str().unwrap();
    let now: DateTime<Utc> = case["now"].as_str().unwrap().parse().unwrap();

    let h = Harness::start().await;
    h.open("/sign-in").await;
    let request = json!({
        "id": 7,
        "job": { "Tls": { "bundle": CHAIN, "key": KEY, "domain": domain, "at": now } }
    });
    let reply = h
        .browser
        .execute_async(ASK_WORKER, vec![Value::String(request.to_string())])
        .await
        .unwrap();
    let done = &reply["Done"];
    assert_eq!(done["id"], 7, "{reply}");
    let answer = &done["answer"]["Tls"];

    // The report: every check, every message in both languages, the fingerprint.
    let expected: Value = serde_json::from_str(REPORT).unwrap();
    assert_eq!(answer["report"], expected);
    let typed: TlsReport = serde_json::from_value(answer["report"].clone()).unwrap();
    assert!(typed.passed());

    // What may be stored: the public certificates only, as core extracts them.
    let bundle = answer["bundle"].as_str().unwrap();
    assert_eq!(bundle, public_bundle(CHAIN).unwrap());
    assert!(!bundle.contains("PRIVATE KEY"));

    // The chain as the server re-checks a deployment request.
    let chain = &answer["chain"];
    assert_eq!(chain["pem"], bundle);
    assert_eq!(chain["domain"], domain);
    let native = check_certificate(bundle, domain, now);
    assert_eq!(chain["result"], serde_json::to_value(&native).unwrap());
    assert!(native.is_ok());
    h.stop().await;
}
