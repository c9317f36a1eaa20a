//! `cargo xtask run | test | bench`: the project's two commands (and its benchmarks). Each
//! installs what is missing first and skips what is already there, so a fresh Debian machine with
//! only Rust gets going and a second run starts in seconds.

mod bench;
mod cmd;
mod tools;

use std::process::ExitCode;
use std::time::Instant;

use cmd::{Cmd, Summary};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run [-- SERVER-ARGS]   build the console and start the control plane at http://127.0.0.1:8080
  test                   fmt, clippy, native tests, console tests in Chromium, release build, end-to-end
  bench                  print the console's transfer size (wasm, js, css: raw, gzip, brotli)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench::bench(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the console, then runs the control plane serving it (plus any extra server flags).
fn run(extra: &[String]) -> Result<(), String> {
    tools::ensure_build_tools()?;
    build_console()?;
    let extra: Vec<&str> = extra
        .iter()
        .map(String::as_str)
        .skip_while(|a| *a == "--")
        .collect();
    let mut args = vec!["run", "--quiet", "--package", "byoc-server", "--"];
    args.extend(extra);
    let console_dir = tools::root().join("dist");
    Cmd::new("cargo", &args)
        .env("BYOC_CONSOLE_DIR", console_dir.as_os_str())
        .run()
}

fn build_console() -> Result<(), String> {
    Cmd::new("trunk", &["build", "--release", "--offline"]).run()
}

/// Every check, in order, stopping at the first failure.
fn test() -> Result<(), String> {
    let started = Instant::now();
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    let mut summary = Summary::default();
    let wasm = "wasm32-unknown-unknown";
    let dist = tools::root().join("dist");

    summary.step(
        "format",
        Cmd::new("cargo", &["fmt", "--all", "--", "--check"]),
    )?;
    summary.step(
        "clippy (host)",
        Cmd::new(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--exclude",
                "byoc-web",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
    )?;
    summary.step(
        "clippy (console, wasm32)",
        Cmd::new(
            "cargo",
            &[
                "clippy",
                "-p",
                "byoc-web",
                "--target",
                wasm,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
    )?;
    summary.step(
        "native tests",
        Cmd::new(
            "cargo",
            &[
                "test",
                "--workspace",
                "--exclude",
                "byoc-web",
                "--exclude",
                "byoc-e2e",
            ],
        ),
    )?;
    summary.step(
        "console tests (headless Chromium)",
        Cmd::new("cargo", &["test", "-p", "byoc-web", "--target", wasm])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    summary.step(
        "release console build",
        Cmd::new("trunk", &["build", "--release", "--offline"]),
    )?;
    summary.step(
        "end-to-end tests",
        // The browser tests are #[ignore]d for a bare `cargo test`, which has no built console.
        Cmd::new(
            "cargo",
            &[
                "test",
                "-p",
                "byoc-e2e",
                "--",
                "--ignored",
                "--test-threads=1",
            ],
        )
        .env("BYOC_E2E_CONSOLE_DIR", dist.as_os_str())
        .env("CHROMEDRIVER", tools::CHROMEDRIVER),
    )?;
    summary.print(started.elapsed());
    Ok(())
}
