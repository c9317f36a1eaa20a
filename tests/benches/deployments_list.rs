//! The Deployments list with 10,000 deployments in headless Chromium (issue 7, item 6): time from
//! navigation to the first rows on screen, and from typing a search to the narrowed list. Prints
//! figures (`cargo xtask bench`); never a pass/fail on time. Needs the built console.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

use support::{Harness, ADMIN, ADMIN_PASSWORD};

const DEPLOYMENTS: usize = 10_000;
const ROUNDS: usize = 7;

/// Resolves with `performance.now()` once a row is on screen (after the next frame).
const FIRST_ROWS: &str = r#"
    const done = arguments[arguments.length - 1];
    const check = () => document.querySelector('[data-testid^=deployment-row-]')
        ? requestAnimationFrame(() => done(performance.now()))
        : setTimeout(check, 5);
    check();
"#;

/// Types `needle` into the search box and resolves with the milliseconds until the list shows
/// only rows whose name contains it.
const FILTER: &str = r#"
    const [needle, done] = arguments;
    const input = document.querySelector('[data-testid=deployments-search]');
    const started = performance.now();
    input.value = needle;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const check = () => {
        const rows = [...document.querySelectorAll('[data-testid^=deployment-row-]')];
        rows.length > 0 && rows.every(r => r.dataset.testid.includes(needle))
            ? requestAnimationFrame(() => done(performance.now() - started))
            : setTimeout(check, 5);
    };
    check();
"#;

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
    h.open("/").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let path = format!("/deployments?project={project}");
    let mut first = Vec::new();
    let mut filter = Vec::new();
    for round in 0..ROUNDS {
        h.open(&path).await;
        let at = h.browser.execute_async(FIRST_ROWS, vec![]).await.unwrap();
        first.push(at.as_f64().unwrap());
        let needle = format!("bench-0{round}1");
        let took = h
            .browser
            .execute_async(FILTER, vec![needle.into()])
            .await
            .unwrap();
        filter.push(took.as_f64().unwrap());
    }
    let (m, lo, hi) = median(first);
    println!("BENCH deployments list, {DEPLOYMENTS} deployments: first rows {m:.0} ms after navigation (min {lo:.0}, max {hi:.0}, {ROUNDS} loads, release console, headless Chromium)");
    let (m, lo, hi) = median(filter);
    println!("BENCH deployments list, {DEPLOYMENTS} deployments: search applied in {m:.0} ms after typing, of which 300 ms is the search box's deliberate pause (min {lo:.0}, max {hi:.0}, {ROUNDS} searches)");
    h.stop().await;
}
