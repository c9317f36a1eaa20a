//! `byoc preflight`: reads the facts of this machine (the only I/O), lets `core::bootstrap` judge
//! them, and prints one line per check with its fix.

use std::io::Write;
use std::time::Duration;

use byoc_core::bootstrap::{
    evaluate_with_endpoint, parse_meminfo_total_kib, CheckStatus, MachineFacts, PreflightCheck,
};

use crate::ToolError;

/// The files `byoc preflight` is told about.
#[derive(Debug, Default, Clone)]
pub struct TlsPaths {
    pub cert: Option<std::path::PathBuf>,
    pub key: Option<std::path::PathBuf>,
}

/// Largest certificate or key file accepted; real ones are a few KiB.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// Both files given, readable, reasonably small and PEM. `None` when neither was given.
pub fn check_tls_files(paths: &TlsPaths) -> Option<Result<(), String>> {
    if paths.cert.is_none() && paths.key.is_none() {
        return None;
    }
    let one = |flag: &str, path: &Option<std::path::PathBuf>| -> Result<(), String> {
        let path = path
            .as_ref()
            .ok_or_else(|| format!("{flag} was not given"))?;
        let shown = path.display();
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if meta.len() > MAX_PEM_BYTES {
            return Err(format!(
                "{shown} is larger than 1 MiB; it is not a certificate or key file"
            ));
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if !text.contains("-----BEGIN ") {
            return Err(format!("{shown} is not a PEM file (no -----BEGIN line)"));
        }
        Ok(())
    };
    Some(one("--cert", &paths.cert).and_then(|()| one("--cert-key", &paths.key)))
}

/// Reads this machine's facts. `endpoint` is the control plane; without one the HTTPS check is
/// reported as not done (and fails, since the toolkit cannot work without it).
pub fn gather_facts(endpoint: Option<&str>, tls: &TlsPaths) -> MachineFacts {
    MachineFacts {
        os_release: std::fs::read_to_string("/etc/os-release").ok(),
        arch: Some(std::env::consts::ARCH.to_owned()),
        mem_total_kib: std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|t| parse_meminfo_total_kib(&t)),
        control_plane_https: endpoint.map(check_https),
        tls_files: check_tls_files(tls),
    }
}

/// Outbound HTTPS to the control plane: an `https://` endpoint whose `/healthz` answers 200.
pub fn check_https(endpoint: &str) -> Result<(), String> {
    let endpoint = endpoint.trim().trim_end_matches('/');
    if !endpoint.starts_with("https://") {
        return Err(format!(
            "the endpoint {endpoint} is not an https:// address"
        ));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    match agent.get(&format!("{endpoint}/healthz")).call() {
        Ok(resp) if resp.status().is_success() => Ok(()),
        Ok(resp) => Err(format!(
            "{endpoint}/healthz answered HTTP {}",
            resp.status().as_u16()
        )),
        Err(e) => Err(format!("cannot reach {endpoint}: {e}")),
    }
}

/// Prints the report; returns whether every check passed.
pub fn print_report(
    out: &mut impl Write,
    checks: &[PreflightCheck],
    json: bool,
) -> Result<bool, ToolError> {
    let ok = checks.iter().all(|c| c.status == CheckStatus::Pass);
    if json {
        serde_json::to_writer_pretty(&mut *out, checks).map_err(|e| ToolError::Io(e.into()))?;
        writeln!(out)?;
        return Ok(ok);
    }
    for check in checks {
        let mark = match check.status {
            CheckStatus::Pass => "PASS",
            CheckStatus::Fail => "FAIL",
        };
        writeln!(out, "[{mark}] {:<7} {}", check.code, check.message)?;
        if let (CheckStatus::Fail, Some(fix)) = (check.status, &check.fix) {
            writeln!(out, "        fix: {fix}")?;
        }
    }
    let failed = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count();
    if ok {
        writeln!(out, "\nThis machine is ready to bootstrap a deployment.")?;
    } else {
        writeln!(
            out,
            "\n{failed} of {} checks failed; fix them and run `byoc preflight` again.",
            checks.len()
        )?;
    }
    Ok(ok)
}

/// `byoc preflight`: gather, judge, print.
pub fn run(
    out: &mut impl Write,
    endpoint: Option<&str>,
    tls: &TlsPaths,
    json: bool,
) -> Result<bool, ToolError> {
    let facts = gather_facts(endpoint, tls);
    print_report(out, &evaluate_with_endpoint(&facts, endpoint), json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of_a_good_machine() -> MachineFacts {
        MachineFacts {
            os_release: Some("NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"20.04\"\n".into()),
            arch: Some("x86_64".into()),
            mem_total_kib: Some(2 * 1024 * 1024),
            control_plane_https: Some(Ok(())),
            tls_files: Some(Ok(())),
        }
    }

    #[test]
    fn a_good_machine_passes_every_check_and_says_so() {
        let mut out = Vec::new();
        let ok = print_report(
            &mut out,
            &evaluate_with_endpoint(&facts_of_a_good_machine(), None),
            false,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(ok, "{text}");
        assert_eq!(text.matches("[PASS]").count(), 5, "{text}");
        assert!(text.contains("ready to bootstrap"));
    }

    #[test]
    fn each_failure_prints_its_fix_and_fails_the_run() {
        let facts = MachineFacts {
            mem_total_kib: Some(512 * 1024),
            ..facts_of_a_good_machine()
        };
        let mut out = Vec::new();
        let ok = print_report(&mut out, &evaluate_with_endpoint(&facts, None), false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!ok);
        assert!(text.contains("[FAIL] memory"), "{text}");
        assert!(text.contains("fix:"), "{text}");
        assert!(text.contains("1 of 5 checks failed"), "{text}");
    }

    #[test]
    fn json_report_lists_every_check() {
        let mut out = Vec::new();
        print_report(
            &mut out,
            &evaluate_with_endpoint(&facts_of_a_good_machine(), None),
            true,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 5);
    }

    #[test]
    fn tls_files_are_checked_for_presence_and_pem() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        std::fs::write(
            &cert,
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        std::fs::write(&key, "not pem").unwrap();
        assert_eq!(check_tls_files(&TlsPaths::default()), None);
        let both = TlsPaths {
            cert: Some(cert.clone()),
            key: Some(key.clone()),
        };
        let err = check_tls_files(&both).unwrap().unwrap_err();
        assert!(err.contains("key.pem is not a PEM file"), "{err}");
        std::fs::write(
            &key,
            "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        assert_eq!(check_tls_files(&both), Some(Ok(())));
        let no_key = TlsPaths {
            cert: Some(cert),
            key: None,
        };
        assert_eq!(
            check_tls_files(&no_key),
            Some(Err("--cert-key was not given".into()))
        );
        let missing = TlsPaths {
            cert: Some(dir.path().join("nope.pem")),
            key: Some(key),
        };
        assert!(check_tls_files(&missing)
            .unwrap()
            .unwrap_err()
            .starts_with("cannot read"));
    }

    #[test]
    fn a_plain_http_endpoint_is_not_accepted_as_https() {
        let err = check_https("http://127.0.0.1:9").unwrap_err();
        assert!(err.contains("not an https:// address"), "{err}");
    }

    #[test]
    fn an_unreachable_endpoint_fails_with_the_reason() {
        // Port 9 (discard) on loopback is closed here: the connection is refused at once.
        let err = check_https("https://127.0.0.1:9").unwrap_err();
        assert!(err.contains("cannot reach https://127.0.0.1:9"), "{err}");
    }
}
