//! `cargo xtask run | test | bench`: the project's two commands (and its benchmarks). Each
//! installs what is missing first and skips what is already there, so a fresh Debian machine with
//! only Rust gets going and a second run starts in seconds.

mod bench;
mod cmd;
mod demo;
mod postgres;
mod precompress;
mod profile;
mod served;
mod split;
mod tools;

use std::process::ExitCode;
use std::time::Instant;

use cmd::{Cmd, Summary};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run [--demo] [-- SERVER-ARGS]
                         build the console and start the control plane at http://127.0.0.1:8080;
                         --demo also creates demo deployments and runs simulated toolkits for them
  test [TIER...]         every check, or only the named tiers: fmt, lint, core, server, postgres
                         (the server's tests and Schemathesis again on a local PostgreSQL over
                         TLS), schema (Schemathesis),
                         console (Chromium), e2e (release build, browser, toolkit, hostile input);
                         each test tier fails if it ran no test
  bench [SECTION...]     figures: size (bytes as served), first-visit (throttled Chromium), tls,
                         list, api; profile (named only: twiggy on a build that keeps names)
  precompress [DIR]      write .br and .gz beside each asset of a built console (trunk's
                         post-build hook runs it; DIR defaults to trunk's staging dir, else dist/)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("precompress") => precompress::run(&args[1..]),
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

/// The test tiers, in the order `cargo xtask test` runs them. A tier that runs tests fails when it
/// ran none, so a filter or a moved file cannot turn a tier silently green.
const TIERS: [&str; 8] = [
    "fmt", "lint", "core", "server", "postgres", "schema", "console", "e2e",
];

/// `cargo xtask test [TIER…]`: the named tiers, or all of them, stopping at the first failure.
fn test(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let chosen: Vec<&str> = if args.is_empty() {
        TIERS.to_vec()
    } else {
        let unknown: Vec<&String> = args
            .iter()
            .filter(|a| !TIERS.contains(&a.as_str()))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "unknown test tier(s) {unknown:?}; the tiers are: {}",
                TIERS.join(", ")
            ));
        }
        TIERS
            .iter()
            .copied()
            .filter(|t| args.iter().any(|a| a == t))
            .collect()
    };
    let needs_wasm = chosen
        .iter()
        .any(|t| matches!(*t, "lint" | "console" | "e2e"));
    if needs_wasm {
        tools::ensure_build_tools()?;
        tools::ensure_browser()?;
    }
    if chosen.contains(&"fmt") {
        tools::ensure_leptosfmt()?;
    }
    let mut summary = Summary::default();
    for tier in chosen {
        run_tier(tier, &mut summary)?;
    }
    summary.print(started.elapsed());
    Ok(())
}

/// Schemathesis as owner and viewer against the server binary: on a fresh SQLite file, or on
/// `database` (the server reads `BYOC_DATABASE_URL`).
fn schemathesis(summary: &mut Summary, name: &str, database: Option<&str>) -> Result<(), String> {
    let st = tools::ensure_schemathesis()?;
    summary.check(
        &format!("{name}: server binary"),
        Cmd::new(
            "cargo",
            &["build", "-p", "byoc-server", "--bin", "byoc-server"],
        ),
    )?;
    let server = tools::target_dir().join("debug/byoc-server");
    let mut run = Cmd::new(
        "python3",
        &[
            &tools::root()
                .join("tests/schemathesis/run.py")
                .to_string_lossy(),
            "--server",
            &server.to_string_lossy(),
            "--st",
            &st.to_string_lossy(),
            "--examples",
            "10",
            "--max-time",
            "90",
        ],
    );
    if let Some(url) = database {
        run = run.env("BYOC_DATABASE_URL", url);
    }
    summary.step_matching(
        &format!("{name} (schemathesis as owner and viewer)"),
        run,
        "schemathesis:",
    )
}

fn run_tier(tier: &str, summary: &mut Summary) -> Result<(), String> {
    let wasm = "wasm32-unknown-unknown";
    let dist = tools::root().join("dist");
    let clippy = |target: &[&'static str]| {
        let mut args = vec!["clippy"];
        args.extend_from_slice(target);
        args.extend_from_slice(&["--all-targets", "--", "-D", "warnings"]);
        Cmd::new("cargo", &args)
    };
    match tier {
        "fmt" => {
            summary.check("fmt", Cmd::new("cargo", &["fmt", "--all", "--", "--check"]))?;
            // The console's `view!` bodies, which rustfmt leaves alone (leptosfmt.toml).
            summary.check(
                "fmt (leptosfmt, view! bodies)",
                Cmd::new(
                    "leptosfmt",
                    &[
                        "--quiet",
                        "--check",
                        "-c",
                        "leptosfmt.toml",
                        "web/src",
                        "web/tests",
                    ],
                ),
            )
        }
        "lint" => {
            summary.check(
                "lint (clippy, host)",
                clippy(&["--workspace", "--exclude", "byoc-web"]),
            )?;
            // With `split`, as trunk builds it: the parts' code as it ships.
            summary.check(
                "lint (clippy, console wasm32)",
                clippy(&["-p", "byoc-web", "--target", wasm, "--features", "split"]),
            )
        }
        // Core's rules, with the fuzz corpus replayed as ordinary tests.
        "core" => summary.step("core", Cmd::new("cargo", &["test", "-p", "byoc-core"])),
        "server" => summary.step(
            "server (API on SQLite, toolkit, tools)",
            Cmd::new(
                "cargo",
                &[
                    "test",
                    "-p",
                    "byoc-server",
                    "-p",
                    "byoc-agent",
                    "-p",
                    "xtask",
                ],
            ),
        ),
        // The server's API tests again, each on a fresh schema of a local PostgreSQL server
        // (started here, stopped and removed after).
        // Then Schemathesis against the server binary on a database of its own there, since
        // PostgreSQL refuses what SQLite takes (a NUL in text, an integer past its column).
        "postgres" => {
            let pg = postgres::start()?;
            summary.step(
                "server (API on PostgreSQL)",
                Cmd::new("cargo", &["test", "-p", "byoc-server"]).env(postgres::ENV, &pg.url),
            )?;
            let url = pg.fresh_database("byoc_schemathesis")?;
            schemathesis(summary, "schema on PostgreSQL", Some(&url))
        }
        "schema" => schemathesis(summary, "schema", None),
        "console" => summary.step(
            "console (components in headless Chromium)",
            Cmd::new("cargo", &["test", "-p", "byoc-web", "--target", wasm])
                .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        ),
        "e2e" => {
            tools::ensure_cloud_init()?;
            let axe = tools::ensure_axe_core()?;
            summary.check(
                "e2e: release console build",
                Cmd::new("trunk", &["build", "--release", "--offline"]),
            )?;
            summary.check_here("e2e: console size within its ceilings", || {
                served::within_budget(&served::measure(&dist)?)
            })?;
            summary.step(
                "e2e (browser, toolkit, hostile input on a socket)",
                // The browser tests are #[ignore]d for a bare `cargo test`, which has no built
                // console.
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
                .env("BYOC_AXE_JS", axe.as_os_str())
                .env("CHROMEDRIVER", tools::CHROMEDRIVER),
            )
        }
        other => Err(format!("unknown test tier {other}")),
    }
}
