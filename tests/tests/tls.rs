//! The TLS checker on the Prerequisites page in a real browser: certificate and key files
//! uploaded through the file inputs, a failure (wrong domain), then the pass state — while every
//! request the page makes is recorded, to prove none carries the private key. Then an
//! out-of-order chain and the download of the corrected bundle.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use support::certs::{chain, write, DOMAIN, LEAF_KEY};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

/// The base64 lines of the key's PEM body: what a leaked key would contain, whatever its framing.
fn key_lines() -> Vec<&'static str> {
    LEAF_KEY
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("-----"))
        .collect()
}

/// Records every request the page makes from now on: URL, method and body of `fetch` (also a
/// `Request` object's body), `XMLHttpRequest`, `sendBeacon` and WebSocket, plus the URL of every
/// resource the browser loads (Resource Timing catches what the wrappers could miss).
const RECORD_REQUESTS: &str = r#"
    const log = window.__byocRequests = [];
    window.__byocSince = performance.now();
    const text = (body) => {
        if (body == null) return Promise.resolve('');
        if (typeof body === 'string') return Promise.resolve(body);
        if (body instanceof Blob) return body.text();
        if (body instanceof URLSearchParams) return Promise.resolve(body.toString());
        if (body instanceof FormData) {
            return Promise.all([...body.entries()].map(([k, v]) =>
                (v instanceof Blob ? v.text() : Promise.resolve(String(v))).then(t => k + '=' + t)))
                .then(parts => parts.join('&'));
        }
        if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
            return Promise.resolve(new TextDecoder().decode(body));
        }
        return Promise.resolve(String(body));
    };
    const record = (kind, url, method, body) => {
        const entry = { kind, url: String(url), method: String(method || 'GET').toUpperCase(), body: '' };
        log.push(entry);
        text(body).then(t => { entry.body += t; }, () => { entry.body += '<unreadable>'; });
    };
    const fetch = window.fetch;
    window.fetch = function (input, init) {
        if (input instanceof Request) {
            record('fetch', input.url, (init && init.method) || input.method, init && init.body);
            input.clone().text().then(t => log.push({ kind: 'fetch-request-body', url: input.url, method: input.method, body: t }));
        } else {
            record('fetch', input, init && init.method, init && init.body);
        }
        return fetch.apply(this, arguments);
    };
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url) {
        this.__byoc = { method, url };
        return open.apply(this, arguments);
    };
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
        const r = this.__byoc || {};
        record('xhr', r.url, r.method, body);
        return send.apply(this, arguments);
    };
    const beacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => { record('beacon', url, 'POST', data); return beacon(url, data); };
    const Socket = window.WebSocket;
    window.WebSocket = function (url, protocols) { record('websocket', url, 'GET', null); return new Socket(url, protocols); };
"#;

/// What was recorded: `[{kind, url, method, body}]` plus the resources loaded since.
const RECORDED: &str = r#"
    const done = arguments[arguments.length - 1];
    // Bodies are read asynchronously: give them a moment.
    setTimeout(() => done({
        requests: window.__byocRequests,
        resources: performance.getEntriesByType('resource')
            .filter(e => e.startTime >= window.__byocSince)
            .map(e => e.name),
    }), 300);
"#;

async fn recorded(h: &Harness) -> (Vec<serde_json::Value>, Vec<String>) {
    let value = h.browser.execute_async(RECORDED, vec![]).await.unwrap();
    let requests = value["requests"].as_array().cloned().unwrap_or_default();
    let resources = value["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    (requests, resources)
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn uploaded_files_fail_on_a_wrong_domain_then_pass_and_no_request_carries_the_key() {
    let [leaf, intermediate, root] = chain();
    let files = tempfile::tempdir().unwrap();
    let cert_path = write(
        &files,
        "fullchain.pem",
        &format!("{leaf}{intermediate}{root}"),
    );
    let key_path = write(&files, "privkey.pem", LEAF_KEY);

    let h = Harness::start().await;
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_text("[data-testid=tls-key-note]", "never uploaded")
        .await;
    h.browser.execute(RECORD_REQUESTS, vec![]).await.unwrap();

    // ChromeDriver sets a file input from a path sent as keys.
    h.wait_for("[data-testid=tls-cert-file]")
        .await
        .send_keys(&cert_path)
        .await
        .unwrap();
    h.wait_for("[data-testid=tls-key-file]")
        .await
        .send_keys(&key_path)
        .await
        .unwrap();
    h.wait_for_text("[data-testid=tls-cert-loaded]", "fullchain.pem")
        .await;
    h.wait_for_text("[data-testid=tls-key-loaded]", "privkey.pem")
        .await;
    h.type_into("#tls-domain", "broker.example.org").await;
    h.wait_for("[data-testid=tls-verdict][data-outcome=fail]")
        .await;
    h.wait_for_text(
        "[data-testid=tls-check-domain_match][data-outcome=fail]",
        "broker.example.org",
    )
    .await;
    assert_eq!(
        h.count("[data-testid=tls-report] tbody tr[data-outcome=fail]")
            .await,
        1
    );

    h.type_into("#tls-domain", DOMAIN).await;
    h.wait_for("[data-testid=tls-verdict][data-outcome=pass]")
        .await;
    assert_eq!(
        h.count("[data-testid=tls-report] tbody tr[data-outcome=pass]")
            .await,
        13
    );
    h.wait_for_text("[data-testid=tls-subject]", "CN=mqtt.example.com")
        .await;
    h.wait_for_text("[data-testid=tls-chain-length]", "3").await;
    // Valid until midnight 365 days from today: 364 whole days from now.
    h.wait_for_text("[data-testid=tls-days-left]", "364").await;

    // Nothing the page sent while checking holds the key, and it sent nothing but reads from its
    // own origin (the checker itself makes no request at all).
    let (requests, resources) = recorded(&h).await;
    let lines = key_lines();
    assert!(lines.len() > 20, "the key's base64 lines");
    for request in &requests {
        let text = request.to_string();
        assert!(!text.contains("PRIVATE KEY"), "{text}");
        for line in &lines {
            assert!(!text.contains(line), "a request carried the key: {text}");
        }
        assert_eq!(request["method"], "GET", "only reads: {text}");
        let url = request["url"].as_str().unwrap();
        assert!(url.starts_with(&h.base) || url.starts_with('/'), "{text}");
    }
    for url in &resources {
        assert!(
            url.starts_with(&h.base),
            "a request left the console's origin: {url}"
        );
    }
    eprintln!("requests while checking: {requests:?}; resources: {resources:?}");

    // The recorder does see the console's own requests: opening the Licence page reads the API.
    h.click("a.bc-nav__link[href='/licence']").await;
    h.wait_for("[data-testid=licence-details]").await;
    // (This control plane has no vendor key: the owner is told, instead of a form that cannot work.)
    h.wait_for("[data-testid=licence-no-key]").await;
    let (requests, resources) = recorded(&h).await;
    let history = |u: &str| u.ends_with("/api/v1/licence/history");
    assert!(
        requests.iter().any(|r| history(r["url"].as_str().unwrap())),
        "{requests:?}"
    );
    assert!(resources.iter().any(|u| history(u)), "{resources:?}");
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn an_out_of_order_chain_warns_and_offers_the_corrected_bundle() {
    let [leaf, intermediate, root] = chain();
    let files = tempfile::tempdir().unwrap();
    // Root first, then the server certificate, then the intermediate, and the key in the same file.
    let combined = write(
        &files,
        "combined.pem",
        &format!("{root}{leaf}{intermediate}{LEAF_KEY}"),
    );

    let h = Harness::start().await;
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for("[data-testid=tls-cert-file]")
        .await
        .send_keys(&combined)
        .await
        .unwrap();
    h.type_into("#tls-domain", DOMAIN).await;
    h.wait_for("[data-testid=tls-verdict][data-outcome=warn]")
        .await;
    h.wait_for("[data-testid=tls-check-chain_order][data-outcome=warn]")
        .await;
    h.click("[data-testid=tls-download-ordered]").await;
    let downloaded = h.wait_for_download("fullchain.pem").await;
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(
        squash(&downloaded),
        squash(&format!("{leaf}{intermediate}{root}"))
    );
    assert!(!downloaded.contains("PRIVATE KEY"));
    h.stop().await;
}
