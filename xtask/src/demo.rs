//! `cargo xtask run --demo`: the control plane creates a demo project and deployments through its
//! own API and writes their toolkit commands; this starts a simulated `byoc` for each, so a new
//! user sees deployments move through their states (one succeeds and keeps reporting, one fails
//! at a phase). The TLS files the create commands name are made here for the demo domains from
//! the committed test keys: they are test certificates, worthless anywhere else.

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, KeyPair,
    KeyUsagePurpose,
};

use crate::cmd::Cmd;
use crate::tools;

const FIXTURES: &str = "core/tests/fixtures/tls/keys";
/// Simulated steps run this much faster than real time.
const SPEED: &str = "6";

fn read(name: &str) -> Result<String, String> {
    let path = tools::root().join(FIXTURES).join(name);
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn ca(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

/// `tls/<domain>.crt` (leaf, intermediate, root) and `tls/<domain>.key` under `dir`.
fn write_tls(dir: &Path, domain: &str) -> Result<(), String> {
    let e = |e: rcgen::Error| format!("cannot make the demo certificate: {e}");
    let key =
        |name: &str| -> Result<KeyPair, String> { KeyPair::from_pem(&read(name)?).map_err(e) };
    let root = CertifiedIssuer::self_signed(ca("BYOC Demo Root CA"), key("root-rsa2048.key.pem")?)
        .map_err(e)?;
    let intermediate = CertifiedIssuer::signed_by(
        ca("BYOC Demo Intermediate CA"),
        key("intermediate-rsa2048.key.pem")?,
        &root,
    )
    .map_err(e)?;
    let mut leaf = CertificateParams::new(vec![domain.to_owned()]).map_err(e)?;
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name.push(DnType::CommonName, domain);
    let leaf = leaf
        .signed_by(&key("leaf-rsa2048.key.pem")?, &intermediate)
        .map_err(e)?;
    let tls = dir.join("tls");
    std::fs::create_dir_all(&tls).map_err(|e| e.to_string())?;
    let bundle = format!("{}{}{}", leaf.pem(), intermediate.pem(), root.pem());
    std::fs::write(tls.join(format!("{domain}.crt")), bundle).map_err(|e| e.to_string())?;
    std::fs::write(
        tls.join(format!("{domain}.key")),
        read("leaf-rsa2048.key.pem")?,
    )
    .map_err(|e| e.to_string())
}

/// The value after `--domain` in a toolkit command line.
fn domain_of(words: &[&str]) -> Option<String> {
    words
        .iter()
        .position(|w| *w == "--domain")
        .and_then(|i| words.get(i + 1))
        .map(|d| (*d).to_owned())
}

/// Waits for the control plane to write the commands file, then starts one simulated toolkit per
/// line. Returns the toolkit processes, which end by themselves when their deployment stops.
pub fn start_agents(data_dir: &Path, server: &mut Child) -> Result<Vec<Child>, String> {
    let file = data_dir.join("demo-agents.txt");
    let deadline = Instant::now() + Duration::from_secs(600);
    let text = loop {
        if let Ok(text) = std::fs::read_to_string(&file) {
            break text;
        }
        if let Ok(Some(status)) = server.try_wait() {
            return Err(format!(
                "the control plane stopped ({status}) before preparing the demo"
            ));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the control plane did not write {}",
                file.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        eprintln!(
            "xtask: the demo project already exists; its deployments keep the states they reached."
        );
        return Ok(Vec::new());
    }
    Cmd::new(
        "cargo",
        &["build", "--quiet", "-p", "byoc-agent", "--bin", "byoc"],
    )
    .run()?;
    let byoc: PathBuf = tools::root().join("target/debug/byoc");
    let work = data_dir.join("demo");
    let mut agents = Vec::new();
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(domain) = domain_of(&words) {
            write_tls(&work, &domain)?;
        }
        let mut args: Vec<&str> = words.iter().skip(1).copied().collect();
        args.extend(["--simulate", "--speed", SPEED]);
        let program = byoc.to_string_lossy().into_owned();
        agents.push(Cmd::new(&program, &args).spawn_in(&work)?);
    }
    Ok(agents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_domain_of_a_create_command() {
        let words: Vec<&str> =
            "./byoc create --platform aws --key K --domain d.example.com --cert x"
                .split_whitespace()
                .collect();
        assert_eq!(domain_of(&words).as_deref(), Some("d.example.com"));
        assert_eq!(domain_of(&["./byoc", "stop"]), None);
    }
}
