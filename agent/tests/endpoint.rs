//! The `byoc` binary refuses to send its bootstrap key in clear text across a network: a plain
//! `http://` endpoint on another machine needs `--insecure`; loopback and https need nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const KEY: &str = "byoc_boot_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// Runs `byoc stop --platform gcp` without `--simulate`: after its argument checks it says gcp
/// stays simulated and exits non-zero without contacting anyone, so the endpoint need not answer.
fn stop(endpoint: &str, extra: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_byoc"))
        .args([
            "stop",
            "--platform",
            "gcp",
            "--endpoint",
            endpoint,
            "--key",
            KEY,
        ])
        .args(extra)
        .env_remove("BYOC_ENDPOINT")
        .env_remove("BYOC_KEY")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

const CHECKS_PASSED: &str = "the arguments and the key are in order";

#[test]
fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
    let (ok, text) = stop("http://console.example.com", &[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("error: --endpoint http://console.example.com is plain http://"),
        "{text}"
    );
    assert!(text.contains("--insecure"), "{text}");
    assert!(!text.contains(CHECKS_PASSED), "{text}");
}

#[test]
fn insecure_allows_it_and_loopback_or_https_need_nothing() {
    for (endpoint, extra) in [
        ("http://console.example.com", &["--insecure"][..]),
        ("http://127.0.0.1:8080", &[][..]),
        ("http://localhost:8080", &[][..]),
        ("http://[::1]:8080", &[][..]),
        ("https://console.example.com", &[][..]),
    ] {
        let (ok, text) = stop(endpoint, extra);
        // Non-zero only because gcp is not provisioned for real without --simulate.
        assert!(!ok);
        assert!(text.contains(CHECKS_PASSED), "{endpoint} {extra:?}: {text}");
    }
}
