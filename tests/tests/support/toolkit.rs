//! The real `byoc` binary for end-to-end tests: built once, run with exactly the command line the
//! console shows, in a directory holding the TLS files that command names.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use super::certs::{chain, DOMAIN, LEAF_KEY};

/// Builds the `byoc` binary (before any timing matters) and returns its path.
pub fn toolkit_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "byoc-agent", "--bin", "byoc"])
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(status.success(), "cannot build the toolkit");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("debug/byoc")
}

/// A directory removed when the test passes and kept when it fails (the test thread is
/// panicking), so the toolkit's logs and state can be read then. Kept always, every run would
/// leave its logs, keys and state files in the temporary directory.
pub struct KeptOnFailure(Option<tempfile::TempDir>);

impl KeptOnFailure {
    pub fn path(&self) -> &Path {
        self.0.as_ref().expect("present until dropped").path()
    }
}

impl Drop for KeptOnFailure {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            if std::thread::panicking() {
                eprintln!(
                    "the test failed: toolkit logs kept in {}",
                    dir.keep().display()
                );
            }
        }
    }
}

/// A bootstrap directory with `tls/<domain>.crt` and `.key`, as the shown command expects. It is
/// kept after a failed test, so the toolkit's logs can be read.
pub fn bootstrap_dir() -> KeptOnFailure {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tls")).unwrap();
    let [leaf, intermediate, root] = chain();
    std::fs::write(
        dir.path().join(format!("tls/{DOMAIN}.crt")),
        format!("{leaf}{intermediate}{root}"),
    )
    .unwrap();
    std::fs::write(dir.path().join(format!("tls/{DOMAIN}.key")), LEAF_KEY).unwrap();
    KeptOnFailure(Some(dir))
}

/// Runs the console's command line with the real `byoc` binary, simulated, in `dir`; what it
/// prints goes to `<dir>/<operation>.log`.
pub fn run_shown_command(byoc: &Path, command: &str, dir: &Path, extra: &[&str]) -> Child {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"./byoc"), "{command}");
    let log = std::fs::File::create(dir.join(format!("{}.log", words[1]))).unwrap();
    Command::new(byoc)
        .args(&words[1..])
        .args(["--simulate", "--speed", "40"])
        .args(extra)
        .current_dir(dir)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap()
}

/// Runs the command exactly as shown, for real (no `--simulate`), with `env` (the cloud's
/// credentials and endpoint) and `extra` arguments; its output goes to `<dir>/<op>.log`.
pub fn run_shown_command_for_real(
    byoc: &Path,
    command: &str,
    dir: &Path,
    extra: &[&str],
    env: &[(String, String)],
) -> Child {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"./byoc"), "{command}");
    let log = std::fs::File::create(dir.join(format!("{}.log", words[1]))).unwrap();
    Command::new(byoc)
        .args(&words[1..])
        .args(extra)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("HOME", dir)
        .current_dir(dir)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap()
}

/// `byoc <args>` in `dir` (where a simulated agent keeps its state), to its end; panics with
/// what it printed unless it succeeds.
pub fn run_to_end(byoc: &Path, dir: &Path, args: &[&str]) -> String {
    let out = Command::new(byoc)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "byoc {args:?}: {text}");
    text
}

/// A deployment made through the API and brought to `running` by `byoc create --simulate`,
/// which then stays on as its agent (heartbeats, network reconciliation) in `dir`.
pub struct Running {
    pub id: String,
    pub dir: KeptOnFailure,
    pub agent: Child,
}

pub async fn running(
    h: &super::Harness,
    byoc: &Path,
    project: &str,
    name: &str,
    cloud: &str,
    region: &str,
) -> Running {
    use std::time::{Duration, Instant};
    let (status, change) = h
        .api_send(
            "POST",
            &format!("/api/v1/projects/{project}/deployments"),
            Some(serde_json::json!({
                "name": name, "cloud": cloud, "region": region, "vpc_cidr": "10.0.0.0/16",
                "sessions": 10, "tps": 100, "domain": DOMAIN})),
        )
        .await;
    assert_eq!(status, 201, "{change}");
    let id = change["deployment"]["id"].as_str().unwrap().to_owned();
    let command = change["bootstrap"]["key"]["command"].as_str().unwrap();
    let dir = bootstrap_dir();
    let agent = run_shown_command(byoc, command, dir.path(), &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let d = h.api_get(&format!("/api/v1/deployments/{id}")).await;
        if d["status"] == "running" {
            break;
        }
        assert!(Instant::now() < deadline, "{name} never ran: {d}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Running { id, dir, agent }
}
