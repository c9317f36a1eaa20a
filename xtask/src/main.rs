//! `cargo xtask run | test | bench`: the project's two commands (and its benchmarks). Each
//! installs what is missing first and skips what is already there, so a fresh Debian machine with
//! only Rust gets going and a second run starts in seconds.

mod bench;
mod cmd;
mod demo;
mod tools;

use std::process::ExitCode;
use std::time::Instant;

use cmd::{Cmd, Summary};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run [--demo] [-- SERVER-ARGS]
                         build the console and start the control plane at http://127.0.0.1:8080;
                         --demo also creates demo deployments and runs simulated toolkits for them
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
    let demo = extra.iter().any(|a| a == "--demo");
    let mut extra: Vec<&str> = extra
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--demo")
        .skip_while(|a| *a == "--")
        .collect();
    if demo {
        extra.push("--demo");
    }
    let mut cmd = Cmd::new("cargo", &server_args(&extra))
        .env("BYOC_CONSOLE_DIR", tools::root().join("dist").as_os_str());
    if let Some(key) = dev_licence_key(&extra)? {
        cmd = cmd.env("BYOC_LICENCE_PUBLIC_KEY", key.as_os_str());
    }
    if !demo {
        return cmd.run();
    }
    // The server writes the demo's toolkit commands before it listens; the simulated toolkits
    // run beside it and are ended with it.
    let data = data_dir();
    let _ = std::fs::remove_file(data.join("demo-agents.txt"));
    let mut server = cmd.spawn_in(&tools::root())?;
    let agents = demo::start_agents(&data, &mut server);
    if let Err(e) = &agents {
        eprintln!("xtask: {e}");
    }
    let status = server.wait().map_err(|e| e.to_string());
    for mut agent in agents.unwrap_or_default() {
        let _ = agent.kill();
        let _ = agent.wait();
    }
    match status? {
        s if s.success() => Ok(()),
        s => Err(format!("the control plane stopped ({s})")),
    }
}

fn server_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", "--quiet", "--package", "byoc-server", "--"];
    args.extend_from_slice(extra);
    args
}

/// Without a configured vendor key, a development key pair in the data directory, so licences can
/// be issued and installed locally. Says so, since licences signed with it are worthless elsewhere.
fn dev_licence_key(extra: &[&str]) -> Result<Option<std::path::PathBuf>, String> {
    if std::env::var_os("BYOC_LICENCE_PUBLIC_KEY").is_some()
        || extra.iter().any(|a| a.starts_with("--licence-public-key"))
    {
        return Ok(None);
    }
    let dir = data_dir().join("dev-licence");
    let public = dir.join("licence-public-key.pem");
    if !public.exists() {
        let out = dir.to_string_lossy().into_owned();
        Cmd::new("cargo", &server_args(&["licence", "keygen", "--out", &out])).run()?;
    }
    let signing = dir.join("licence-signing-key.pem");
    eprintln!(
        "xtask: no BYOC_LICENCE_PUBLIC_KEY set; using the development key pair in {}.\n       Issue a test licence with: cargo run -q -p byoc-server -- licence issue --key {} \\\n         --id LIC-DEV-1 --type trial --to \"Dev\" --email dev@example.com --sessions 10000 --tps 5000 --cores 32 --from 2026-01-01 --until 2027-01-01",
        dir.display(),
        signing.display()
    );
    Ok(Some(public))
}

/// The server's data directory as `cargo xtask run` starts it (flags are not parsed: use the
/// variable to move it).
fn data_dir() -> std::path::PathBuf {
    std::env::var_os("BYOC_DATA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tools::root().join("data"))
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
    let st = tools::ensure_schemathesis()?;
    summary.step(
        "server binary",
        Cmd::new("cargo", &["build", "-p", "byoc-server", "--bin", "byoc-server"]),
    )?;
    let server = tools::target_dir().join("debug/byoc-server");
    summary.step_matching(
        "API schema (schemathesis, owner and viewer)",
        Cmd::new(
            "python3",
            &[
                &tools::root().join("tests/schemathesis/run.py").to_string_lossy(),
                "--server",
                &server.to_string_lossy(),
                "--st",
                &st.to_string_lossy(),
                "--examples",
                "10",
                "--max-time",
                "90",
            ],
        ),
        "schemathesis:",
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
                "--include-ignored",
                "--test-threads=1",
            ],
        )
        .env("BYOC_E2E_CONSOLE_DIR", dist.as_os_str())
        .env("CHROMEDRIVER", tools::CHROMEDRIVER),
    )?;
    summary.print(started.elapsed());
    Ok(())
}
