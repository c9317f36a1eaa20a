//! Time to inspect the committed 3-certificate RSA-2048 chain plus key in the browser (issue 5,
//! item 6): the figure `cargo xtask bench` prints. Built only with `--features bench`.
#![cfg(all(target_arch = "wasm32", feature = "bench"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::tls::{inspect, TlsInput};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CHAIN: &str = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");
const KEY: &str = include_str!("../../core/tests/fixtures/tls/browser/key.pem");

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
fn bench_tls_inspect_in_the_browser() {
    let at = "2030-01-01T00:00:00Z".parse().unwrap();
    let input = TlsInput {
        bundle_pem: CHAIN,
        key_pem: Some(KEY),
        domain: "mqtt.example.com",
    };
    assert!(inspect(&input, at).passed());
    // Date.now() ticks in whole milliseconds in Chromium: time batches and divide.
    const BATCH: u32 = 20;
    let mut samples = Vec::new();
    for _ in 0..21 {
        let start = now_ms();
        for _ in 0..BATCH {
            std::hint::black_box(inspect(std::hint::black_box(&input), at));
        }
        samples.push((now_ms() - start) / f64::from(BATCH));
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    console_log!(
        "BENCH tls_inspect_rsa2048_chain3_with_key (wasm, Chromium): median {:.2} ms, min {:.2} ms, max {:.2} ms over {} batches of {BATCH}",
        samples[samples.len() / 2],
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}
