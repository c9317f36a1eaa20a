//! Vendor tooling: `byoc-server licence keygen` and `byoc-server licence issue`. Vendors run these;
//! tests and `cargo xtask run` use them too.

use std::path::{Path, PathBuf};

use byoc_core::licence::{
    issue, parse_signing_key_pem, public_key_pem, signing_key_pem, LicencePayload, LicenceType,
    SigningKey,
};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum LicenceCommand {
    /// Create a new vendor key pair: licence-signing-key.pem (keep secret; written 0600) and
    /// licence-public-key.pem (give it to control planes as BYOC_LICENCE_PUBLIC_KEY).
    Keygen {
        /// Directory to write the two files into (created if missing; existing keys are kept).
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a licence and print its line.
    Issue(IssueArgs),
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    /// The vendor's signing key (PEM, PKCS#8 Ed25519).
    #[arg(long)]
    key: PathBuf,
    /// Licence id, e.g. LIC-2026-000123.
    #[arg(long)]
    id: String,
    #[arg(long = "type", value_enum)]
    kind: KindArg,
    /// Customer the licence is issued to.
    #[arg(long)]
    to: String,
    /// Issuer's email address.
    #[arg(long)]
    email: String,
    #[arg(long)]
    sessions: u64,
    #[arg(long)]
    tps: u64,
    /// Licensed vCPUs across all broker nodes.
    #[arg(long)]
    cores: u32,
    /// Start of validity: RFC 3339 time or YYYY-MM-DD (midnight UTC).
    #[arg(long)]
    from: String,
    /// End of validity (exclusive): RFC 3339 time or YYYY-MM-DD (midnight UTC).
    #[arg(long)]
    until: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindArg {
    Trial,
    Formal,
}

pub fn run(command: LicenceCommand) -> Result<String, String> {
    match command {
        LicenceCommand::Keygen { out } => keygen(&out),
        LicenceCommand::Issue(args) => issue_line(&args),
    }
}

fn keygen(out: &Path) -> Result<String, String> {
    let private = out.join("licence-signing-key.pem");
    let public = out.join("licence-public-key.pem");
    if private.exists() || public.exists() {
        return Err(format!(
            "{} already holds a key pair; refusing to overwrite it",
            out.display()
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness available: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    write_private(&private, &signing_key_pem(&key))?;
    std::fs::write(&public, public_key_pem(&key.verifying_key()))
        .map_err(|e| format!("cannot write {}: {e}", public.display()))?;
    Ok(format!(
        "wrote {} (secret, mode 0600) and {}",
        private.display(),
        public.display()
    ))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn time(value: &str, flag: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("--{flag} must be an RFC 3339 time or YYYY-MM-DD, not \"{value}\""))
}

fn issue_line(a: &IssueArgs) -> Result<String, String> {
    let text = std::fs::read_to_string(&a.key)
        .map_err(|e| format!("cannot read {}: {e}", a.key.display()))?;
    let key = parse_signing_key_pem(&text).map_err(|e| format!("{}: {e}", a.key.display()))?;
    let payload = LicencePayload {
        id: a.id.clone(),
        kind: match a.kind {
            KindArg::Trial => LicenceType::Trial,
            KindArg::Formal => LicenceType::Formal,
        },
        issued_to: a.to.clone(),
        issuer_email: a.email.clone(),
        issued_at: Utc::now(),
        valid_from: time(&a.from, "from")?,
        valid_until: time(&a.until, "until")?,
        max_sessions: a.sessions,
        max_tps: a.tps,
        core_size: a.cores,
    };
    issue(&payload, &key).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keygen_writes_a_private_key_only_the_owner_can_read_and_issue_signs_with_it() {
        let dir = tempfile::tempdir().unwrap();
        keygen(dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("licence-signing-key.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(keygen(dir.path())
            .unwrap_err()
            .contains("refusing to overwrite"));
        let args = IssueArgs {
            key: dir.path().join("licence-signing-key.pem"),
            id: "LIC-1".into(),
            kind: KindArg::Formal,
            to: "Example".into(),
            email: "v@example.com".into(),
            sessions: 1000,
            tps: 100,
            cores: 8,
            from: "2026-01-01".into(),
            until: "2027-01-01T00:00:00Z".into(),
        };
        let line = issue_line(&args).unwrap();
        let public = std::fs::read_to_string(dir.path().join("licence-public-key.pem")).unwrap();
        let key = byoc_core::licence::parse_public_key_pem(&public).unwrap();
        let licence = byoc_core::licence::verify(&line, &key).unwrap();
        assert_eq!(
            licence.payload.valid_from.to_rfc3339(),
            "2026-01-01T00:00:00+00:00"
        );
        let bad = IssueArgs {
            from: "next week".into(),
            ..args
        };
        assert!(issue_line(&bad).unwrap_err().contains("--from"));
    }
}
