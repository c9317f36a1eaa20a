//! Finding and installing the build and test tools (TOOLCHAIN.md). Everything comes from crates.io,
//! Debian's packages, PyPI or npm; nothing downloads a prebuilt binary, so it works on closed
//! networks that mirror those registries.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::cmd::Cmd;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Where cargo puts build output (`CARGO_TARGET_DIR`, or `target/` in the workspace).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn cargo_bin() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

/// `PATH` with cargo's bin directory first, so tools installed by `cargo install` are found even
/// when the caller's `PATH` lacks it.
pub fn path_with_cargo_bin() -> OsString {
    let mut paths = vec![cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

fn version_of(program: &str) -> Option<String> {
    Cmd::new(program, &["--version"]).output()
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}

fn is_root() -> bool {
    Cmd::new("id", &["-u"])
        .output()
        .is_some_and(|o| o.trim() == "0")
}

fn has_apt() -> bool {
    Path::new("/usr/bin/apt-get").exists()
}

/// Installs Debian packages when we may (root on Debian); otherwise says exactly what to install.
fn apt_install(packages: &[&str], why: &str) -> Result<(), String> {
    if !(is_root() && has_apt()) {
        return Err(format!(
            "{why} is missing. Install it with: sudo apt-get install -y {} (Debian/Ubuntu), then run again.",
            packages.join(" ")
        ));
    }
    eprintln!("xtask: installing {} ({why})", packages.join(" "));
    Cmd::new("apt-get", &["update", "-qq"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    Cmd::new("apt-get", &args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()
}

/// The leptosfmt version that formats and checks the console's `view!` bodies.
pub const LEPTOSFMT_VERSION: &str = "0.1.33";

/// leptosfmt, installed from crates.io once (about two minutes here).
pub fn ensure_leptosfmt() -> Result<(), String> {
    if !version_of("leptosfmt").is_some_and(|v| v.contains(LEPTOSFMT_VERSION)) {
        eprintln!("xtask: installing leptosfmt {LEPTOSFMT_VERSION} (about two minutes, once)");
        Cmd::new(
            "cargo",
            &[
                "install",
                "leptosfmt",
                "--version",
                LEPTOSFMT_VERSION,
                "--locked",
            ],
        )
        .run()?;
    }
    Ok(())
}

/// The wasm32 target, trunk, the wasm-bindgen CLI matching Cargo.lock, and binaryen's wasm-opt.
pub fn ensure_build_tools() -> Result<(), String> {
    let targets = Cmd::new("rustup", &["target", "list", "--installed"])
        .output()
        .unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == WASM_TARGET) {
        Cmd::new("rustup", &["target", "add", WASM_TARGET]).run()?;
    }

    if !version_of("trunk").is_some_and(|v| v.contains(TRUNK_VERSION)) {
        eprintln!("xtask: installing trunk {TRUNK_VERSION} (several minutes, once)");
        Cmd::new(
            "cargo",
            &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
        )
        .run()?;
    }

    let wb = locked_wasm_bindgen()?;
    let installed = version_of("wasm-bindgen");
    if installed
        .as_deref()
        .and_then(|v| v.split_whitespace().nth(1))
        != Some(wb.as_str())
    {
        eprintln!("xtask: installing wasm-bindgen-cli {wb} (a few minutes, once)");
        // No --locked: the CLI's own lock file names a version the index does not serve.
        Cmd::new(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &wb, "--force"],
        )
        .run()?;
    }

    if version_of("wasm-opt").is_none() {
        apt_install(&["binaryen"], "binaryen (wasm-opt)")?;
    }
    Ok(())
}

/// The Schemathesis version the API schema check runs (PyPI).
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Schemathesis in its own virtual environment under `~/.cache/byoc`, installed from PyPI when
/// missing (Debian's python3-venv first if `venv` is missing); returns the `st` command's path.
pub fn ensure_schemathesis() -> Result<PathBuf, String> {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let venv = home
        .join(".cache/byoc")
        .join(format!("schemathesis-{SCHEMATHESIS_VERSION}"));
    let st = venv.join("bin/st");
    if st.exists() {
        return Ok(st);
    }
    let venv_arg = venv.to_string_lossy().into_owned();
    if Cmd::new("python3", &["-m", "venv", &venv_arg])
        .run()
        .is_err()
    {
        apt_install(&["python3-venv", "python3-pip"], "Python's venv module")?;
        Cmd::new("python3", &["-m", "venv", &venv_arg]).run()?;
    }
    eprintln!("xtask: installing schemathesis {SCHEMATHESIS_VERSION} from PyPI (once)");
    let pip = venv.join("bin/pip").to_string_lossy().into_owned();
    Cmd::new(
        &pip,
        &[
            "install",
            "-q",
            &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
        ],
    )
    .run()?;
    Ok(st)
}

/// The axe-core version the end-to-end accessibility checks inject into every page (npm).
pub const AXE_CORE_VERSION: &str = "4.14.1";

/// axe-core under `~/.cache/byoc`, installed from npm when missing (Debian's npm first if `npm` is
/// missing); returns the path of `axe.min.js`, which the e2e tier passes on as `BYOC_AXE_JS`.
pub fn ensure_axe_core() -> Result<PathBuf, String> {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let prefix = home
        .join(".cache/byoc")
        .join(format!("axe-core-{AXE_CORE_VERSION}"));
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    if script.exists() {
        return Ok(script);
    }
    if version_of("npm").is_none() {
        apt_install(&["npm"], "npm (installs axe-core)")?;
    }
    eprintln!("xtask: installing axe-core {AXE_CORE_VERSION} from npm (once)");
    let prefix_arg = prefix.to_string_lossy().into_owned();
    Cmd::new(
        "npm",
        &[
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            &prefix_arg,
            &format!("axe-core@{AXE_CORE_VERSION}"),
        ],
    )
    .run()?;
    if script.exists() {
        Ok(script)
    } else {
        Err(format!(
            "npm installed axe-core {AXE_CORE_VERSION} but {} is missing",
            script.display()
        ))
    }
}

/// Debian's cloud-init, whose `cloud-init schema` checks the user data the toolkit writes.
pub fn ensure_cloud_init() -> Result<(), String> {
    if Cmd::new("cloud-init", &["--version"]).output().is_none() {
        apt_install(
            &["cloud-init"],
            "cloud-init (checks the nodes' boot configuration)",
        )?;
    }
    Ok(())
}

/// Chromium and ChromeDriver from Debian, for the console and end-to-end tests.
pub fn ensure_browser() -> Result<(), String> {
    if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
        apt_install(
            &["chromium", "chromium-driver"],
            "Chromium with ChromeDriver",
        )?;
    }
    Ok(())
}
