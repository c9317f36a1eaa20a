//! A first visit to the console in headless Chromium throttled through the DevTools protocol
//! (ChromeDriver's `goog/cdp/execute`): 10 Mbit/s both ways, 40 ms round trip, CPU 4x slower, cache
//! and cookies cleared before each visit. Prints the time from navigation to a usable sign-in form
//! (username field and enabled submit button in place), the bytes the page transferred by then,
//! and, after signing in, the time until the deployments list shows its rows; then the same list
//! on a repeat visit with the cache warm. Figures for `cargo xtask bench`, never pass/fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

const ROUNDS: usize = 5;
const DEPLOYMENTS: usize = 50;

/// 10 Mbit/s in bytes per second, as `Network.emulateNetworkConditions` takes it.
const THROUGHPUT: u64 = 10_000_000 / 8;
const LATENCY_MS: u64 = 40;
const CPU_SLOWDOWN: u64 = 4;

/// Runs in every new document before its own scripts: notes `performance.now()` (milliseconds
/// since navigation started) the first time the sign-in form is usable and the first time a
/// deployment row is on screen, and the bytes transferred by then (Resource Timing).
const OBSERVER: &str = r#"
    window.__bench = {};
    const transferred = () => {
        const nav = performance.getEntriesByType('navigation')[0];
        return (nav ? nav.transferSize : 0) + performance.getEntriesByType('resource')
            .reduce((sum, r) => sum + r.transferSize, 0);
    };
    const note = (key, ok) => {
        if (window.__bench[key] === undefined && ok()) {
            window.__bench[key] = performance.now();
            window.__bench[key + 'Bytes'] = transferred();
        }
    };
    new MutationObserver(() => {
        note('signIn', () => document.querySelector('#sign-in-username') &&
            document.querySelector('[data-testid=sign-in-submit]:not([disabled])'));
        note('rows', () => document.querySelector('[data-testid^=deployment-row-]'));
    }).observe(document, { childList: true, subtree: true, attributes: true });
"#;

/// Resolves with `window.__bench[key]` once it is set (the observer above sets it).
const WAIT_FOR: &str = r#"
    const [key, done] = arguments;
    const check = () => window.__bench && window.__bench[key] !== undefined
        ? done(window.__bench) : setTimeout(check, 10);
    check();
"#;

/// Submits the sign-in form and resolves with the milliseconds until a deployment row shows.
const SIGN_IN: &str = r#"
    const [user, password, done] = arguments;
    const set = (id, value) => {
        const input = document.getElementById(id);
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    set('sign-in-username', user);
    set('sign-in-password', password);
    const started = performance.now();
    document.querySelector('[data-testid=sign-in-submit]').click();
    const check = () => document.querySelector('[data-testid^=deployment-row-]')
        ? requestAnimationFrame(() => done(performance.now() - started))
        : setTimeout(check, 10);
    check();
"#;

/// One DevTools protocol command through ChromeDriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn cdp(h: &Harness, cmd: &'static str, params: Value) -> Value {
    h.browser
        .issue_cmd(Cdp { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

async fn wait_for(h: &Harness, key: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match h.browser.execute_async(WAIT_FOR, vec![key.into()]).await {
            Ok(v) => return v,
            // The script timed out (ChromeDriver's default is 30 s); a throttled load can be slow.
            Err(_) if Instant::now() < deadline => {}
            Err(e) => panic!("{key} never happened: {e}"),
        }
    }
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

#[tokio::main]
async fn main() {
    let h = Harness::start().await;
    let state = byoc_server::prepare(byoc_server::config::Config::for_tests(h.data_path()))
        .await
        .unwrap();
    let project = byoc_server::demo::bulk(&state, "bench", DEPLOYMENTS)
        .await
        .unwrap();
    let list = format!("/deployments?project={project}");

    cdp(&h, "Network.enable", json!({})).await;
    cdp(
        &h,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": LATENCY_MS,
            "downloadThroughput": THROUGHPUT,
            "uploadThroughput": THROUGHPUT,
        }),
    )
    .await;
    cdp(
        &h,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": CPU_SLOWDOWN }),
    )
    .await;
    // Chromium offers brotli only over HTTPS; this harness is plain HTTP on loopback, so ask for
    // it as a browser on the real (HTTPS) console would.
    cdp(
        &h,
        "Network.setExtraHTTPHeaders",
        json!({ "headers": { "Accept-Encoding": "br, gzip" } }),
    )
    .await;
    cdp(
        &h,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": OBSERVER }),
    )
    .await;

    let (mut usable, mut bytes, mut signed_in) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        // A first visit: nothing cached, no session.
        cdp(&h, "Network.clearBrowserCache", json!({})).await;
        cdp(&h, "Network.clearBrowserCookies", json!({})).await;
        cdp(
            &h,
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": true }),
        )
        .await;
        h.open(&list).await;
        let seen = wait_for(&h, "signIn").await;
        usable.push(seen["signIn"].as_f64().unwrap());
        bytes.push(seen["signInBytes"].as_f64().unwrap());
        let took = h
            .browser
            .execute_async(SIGN_IN, vec![ADMIN.into(), ADMIN_PASSWORD.into()])
            .await
            .unwrap();
        signed_in.push(took.as_f64().unwrap());
    }

    // A repeat visit, signed in: the hashed assets come from the cache without asking.
    cdp(
        &h,
        "Network.setCacheDisabled",
        json!({ "cacheDisabled": false }),
    )
    .await;
    h.open(&list).await;
    wait_for(&h, "rows").await;
    let mut warm = Vec::new();
    let mut warm_bytes = Vec::new();
    for _ in 0..ROUNDS {
        h.open(&list).await;
        let seen = wait_for(&h, "rows").await;
        warm.push(seen["rows"].as_f64().unwrap());
        warm_bytes.push(seen["rowsBytes"].as_f64().unwrap());
    }

    let profile = format!(
        "{} Mbit/s, {LATENCY_MS} ms RTT, CPU {CPU_SLOWDOWN}x slower, {ROUNDS} visits",
        THROUGHPUT * 8 / 1_000_000
    );
    let (m, lo, hi) = median(usable);
    println!("BENCH first visit: sign-in form usable {m:.0} ms after navigation (min {lo:.0}, max {hi:.0}; {profile}, cache and cookies cleared)");
    let (m, _, _) = median(bytes);
    println!("BENCH first visit: {:.1} kB transferred by then as served (Resource Timing, headers included)", m / 1000.0);
    let (m, lo, hi) = median(signed_in);
    println!("BENCH first visit: deployments list ({DEPLOYMENTS} rows) shown {m:.0} ms after submitting the sign-in form (min {lo:.0}, max {hi:.0})");
    let (m, lo, hi) = median(warm);
    let (b, _, _) = median(warm_bytes);
    println!("BENCH repeat visit, signed in, cache warm: deployments list shown {m:.0} ms after navigation (min {lo:.0}, max {hi:.0}), {:.1} kB transferred", b / 1000.0);
    h.stop().await;
}
