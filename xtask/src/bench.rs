//! `cargo xtask bench [SECTION…]`: figures, never pass/fail: the console's bytes as served, its
//! first visit in throttled Chromium, TLS inspection natively and in Chromium, the deployments list
//! in Chromium and the API under load; `profile` (only when named) where the wasm bytes go.

use std::path::Path;

use crate::cmd::Cmd;
use crate::tools;

/// Sections run by a bare `cargo xtask bench`, in order. `profile` builds the console a second
/// time (with names), so it runs only when named.
const SECTIONS: [&str; 6] = ["size", "first-visit", "tls", "list", "api", "profile"];
const DEFAULT: [&str; 5] = ["size", "first-visit", "tls", "list", "api"];

pub fn bench(args: &[String]) -> Result<(), String> {
    let chosen: Vec<&str> = if args.is_empty() {
        DEFAULT.to_vec()
    } else {
        let unknown: Vec<&String> = args
            .iter()
            .filter(|a| !SECTIONS.contains(&a.as_str()))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "unknown bench section {unknown:?}; sections: {}",
                SECTIONS.join(", ")
            ));
        }
        args.iter().map(String::as_str).collect()
    };
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    // A console built elsewhere (an older commit, say) is measured as it is, without a build.
    let given = std::env::var_os("BYOC_BENCH_DIST").map(std::path::PathBuf::from);
    let dist = given.clone().unwrap_or_else(|| tools::root().join("dist"));
    let needs_console = |s: &&str| matches!(*s, "size" | "first-visit" | "list");
    if given.is_none() && chosen.iter().any(needs_console) {
        crate::build_console()?;
    }
    for section in chosen {
        match section {
            "size" => {
                bundle_size(&dist)?;
                println!("\nconsole as served ({}):", dist.display());
                crate::served::print(&crate::served::measure(&dist)?);
            }
            "first-visit" => first_visit(&dist)?,
            "tls" => {
                tls_native()?;
                tls_in_browser()?;
            }
            "list" => list_in_browser()?,
            "api" => api_load()?,
            _ => crate::profile::run()?,
        }
    }
    Ok(())
}

/// A first visit and sign-in in headless Chromium throttled through the DevTools protocol
/// (10 Mbit/s, 40 ms round trip, CPU 4x slower): time to a usable sign-in form, bytes transferred,
/// then the deployments list after signing in.
fn first_visit(dist: &Path) -> Result<(), String> {
    println!("\nFirst visit in throttled headless Chromium (release console):");
    let lines = Cmd::new(
        "cargo",
        &["bench", "-p", "byoc-e2e", "--bench", "first_visit"],
    )
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .env("BYOC_E2E_CONSOLE_DIR", dist.as_os_str())
    .run_collecting_matching("BENCH ")?;
    for line in lines {
        println!("{line}");
    }
    Ok(())
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
    println!(
        "\nDeployments API under load (10,000 and 100,000 deployments; writes; release build), on SQLite:"
    );
    let bench = || {
        Cmd::new(
            "cargo",
            &["bench", "-p", "byoc-server", "--bench", "api_load"],
        )
    };
    for line in bench().run_collecting_matching("BENCH ")? {
        println!("{line}");
    }
    println!("\nThe same on PostgreSQL (a local throwaway cluster, fsync off as in the tests):");
    let pg = crate::postgres::start()?;
    for line in bench()
        .env("BYOC_BENCH_POSTGRES", &pg.url)
        .run_collecting_matching("BENCH ")?
    {
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
            "--profile",
            "console",
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
