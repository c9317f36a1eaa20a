//! `cargo xtask bench`: figures, never pass/fail: the console's transfer size, TLS inspection
//! natively and in Chromium, the deployments list in Chromium and the API under load.

use std::path::Path;

use crate::cmd::Cmd;
use crate::tools;

pub fn bench() -> Result<(), String> {
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    crate::build_console()?;
    bundle_size(&tools::root().join("dist"))?;
    tls_native()?;
    tls_in_browser()?;
    list_in_browser()?;
    api_load()
}

/// The Deployments list with 10,000 deployments in headless Chromium: first rows and a search.
fn list_in_browser() -> Result<(), String> {
    println!("\nDeployments list in headless Chromium (release console):");
    let dist = tools::root().join("dist");
    let lines = Cmd::new(
        "cargo",
        &["bench", "-p", "byoc-e2e", "--bench", "deployments_list"],
    )
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .env("BYOC_E2E_CONSOLE_DIR", dist.as_os_str())
    .run_collecting_matching("BENCH ")?;
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Requests per second and latency of the deployments API over loopback on SQLite.
fn api_load() -> Result<(), String> {
    println!("\nDeployments API under load (10,000 deployments, release build):");
    let lines = Cmd::new(
        "cargo",
        &["bench", "-p", "byoc-server", "--bench", "api_load"],
    )
    .run_collecting_matching("BENCH ")?;
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// criterion's figures for the TLS inspection (it prints the median as the middle "time" value).
fn tls_native() -> Result<(), String> {
    println!("\nTLS inspection, native (criterion):");
    Cmd::new(
        "cargo",
        &[
            "bench",
            "-p",
            "byoc-core",
            "--bench",
            "tls",
            "--",
            "--noplot",
        ],
    )
    .run()
}

/// The same inspection in headless Chromium, optimised as the console ships it.
fn tls_in_browser() -> Result<(), String> {
    println!("\nTLS inspection, wasm in headless Chromium (release build):");
    let lines = Cmd::new(
        "cargo",
        &[
            "test",
            "--release",
            "-p",
            "byoc-web",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "bench",
            "--test",
            "bench_tls",
            "--",
            "--nocapture",
        ],
    )
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .run_collecting_matching("BENCH ")?;
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Prints the size of what a browser downloads: wasm, js and css, raw, gzip -9 and brotli q11.
fn bundle_size(dist: &Path) -> Result<(), String> {
    let mut rows = Vec::new();
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some(k @ ("wasm" | "js" | "css")) => k.to_owned(),
            _ => continue,
        };
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        rows.push((
            kind,
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sizes(&bytes)?,
        ));
    }
    rows.sort();
    println!("\nconsole bundle ({}):", dist.display());
    println!(
        "{:<6} {:<44} {:>11} {:>11} {:>11}",
        "kind", "file", "raw", "gzip", "brotli"
    );
    let mut total = [0usize; 3];
    for (kind, name, s) in &rows {
        println!(
            "{kind:<6} {name:<44} {:>11} {:>11} {:>11}",
            kib(s[0]),
            kib(s[1]),
            kib(s[2])
        );
        for i in 0..3 {
            total[i] += s[i];
        }
    }
    println!(
        "{:<6} {:<44} {:>11} {:>11} {:>11}",
        "total",
        "",
        kib(total[0]),
        kib(total[1]),
        kib(total[2])
    );
    Ok(())
}

fn sizes(bytes: &[u8]) -> Result<[usize; 3], String> {
    let gz = crate::precompress::gzip(bytes)?;
    let br = crate::precompress::brotli(bytes)?;
    Ok([bytes.len(), gz.len(), br.len()])
}

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}
