//! The committed fixture set (`fixtures/tls/browser/`) that the browser test and the benchmark
//! read: a valid RSA-2048 root → intermediate → server certificate chain, its PKCS#8 key, the
//! domain and pinned `now`, and the report `inspect` gives for them. This test keeps the
//! report in step with the code; `BYOC_REGENERATE_TLS_FIXTURES=1 cargo test -p byoc-core
//! --test tls committed` rewrites `report.json` (and the rest of the set, if `chain.pem` is
//! missing: a new chain has new serial numbers and fingerprint).

use std::path::PathBuf;

use byoc_core::tls::{inspect, TlsInput, TlsReport};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::support::*;

#[derive(Debug, Serialize, Deserialize)]
struct Case {
    domain: String,
    now: DateTime<Utc>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/browser")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn regenerate() {
    if !dir().join("chain.pem").exists() {
        let case = Case {
            domain: DOMAIN.to_owned(),
            now: now(),
        };
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(dir().join("chain.pem"), Chain::valid().bundle()).unwrap();
        std::fs::write(dir().join("key.pem"), keys::LEAF).unwrap();
        let case_json = serde_json::to_string_pretty(&case).unwrap();
        std::fs::write(dir().join("case.json"), case_json + "\n").unwrap();
    }
    let report = inspect_committed();
    let report_json = serde_json::to_string_pretty(&report).unwrap();
    std::fs::write(dir().join("report.json"), report_json + "\n").unwrap();
}

fn inspect_committed() -> TlsReport {
    let case: Case = serde_json::from_str(&read("case.json")).unwrap();
    let (chain, key) = (read("chain.pem"), read("key.pem"));
    inspect(
        &TlsInput {
            bundle_pem: &chain,
            key_pem: Some(&key),
            domain: &case.domain,
        },
        case.now,
    )
}

#[test]
fn committed_browser_fixture_gives_the_committed_report() {
    if std::env::var_os("BYOC_REGENERATE_TLS_FIXTURES").is_some() {
        regenerate();
    }
    let expected: TlsReport = serde_json::from_str(&read("report.json")).unwrap();
    let report = inspect_committed();
    assert_eq!(report, expected);
    assert!(report.passed());
    assert_all_pass_except(&report, &[]);
    assert_eq!(report.summary.as_ref().map(|s| s.chain_length), Some(3));
}
