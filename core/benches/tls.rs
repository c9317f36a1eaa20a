//! Time to inspect the committed 3-certificate RSA-2048 chain plus its PKCS#8 key (issue 5
//! item 6, native side): three RSA signature checks, key matching, name and date rules.
//! `cargo bench -p byoc-core --bench tls`; criterion prints the median.

use std::hint::black_box;

use byoc_core::tls::{inspect, TlsInput};
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

const CHAIN: &str = include_str!("../tests/fixtures/tls/browser/chain.pem");
const KEY: &str = include_str!("../tests/fixtures/tls/browser/key.pem");

fn inspect_rsa_2048_chain(c: &mut Criterion) {
    // The pinned `now` of the committed fixture (case.json): the report is all passes.
    let now = Utc
        .with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let input = TlsInput {
        bundle_pem: CHAIN,
        key_pem: Some(KEY),
        domain: "mqtt.example.com",
    };
    assert!(inspect(&input, now).passed(), "the fixture must pass");
    c.bench_function("tls_inspect_rsa2048_chain3_with_key", |b| {
        b.iter(|| inspect(black_box(&input), black_box(now)))
    });
}

criterion_group!(benches, inspect_rsa_2048_chain);
criterion_main!(benches);
