//! `byoc check-tls`: reads the certificate and key files (the only I/O), lets `core::tls` judge
//! them exactly as the console does, and prints one line per check, then the summary.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use byoc_core::lang::Lang;
use byoc_core::tls::{inspect, Outcome, TlsInput, TlsReport, MAX_INPUT_BYTES};
use chrono::{DateTime, Utc};

use crate::ToolError;

/// What `byoc check-tls` was asked to check.
#[derive(Debug, Clone)]
pub struct CheckTlsArgs {
    pub domain: String,
    /// Server certificate and chain (PEM); may also hold the key.
    pub cert: PathBuf,
    /// The private key (PEM), when it is a separate file.
    pub key: Option<PathBuf>,
    pub json: bool,
    pub lang: Lang,
}

/// Reads a PEM file leniently (non-UTF-8 bytes become U+FFFD, so core can say it is not
/// PEM). Files over the 1 MiB limit are refused before reading them into memory.
pub fn read_pem_file(path: &Path) -> Result<String, ToolError> {
    let read_error = |source| ToolError::ReadFile {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > MAX_INPUT_BYTES as u64 {
        return Err(ToolError::FileTooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let mut bytes = Vec::new();
    // `take` keeps a file that grows while being read within the limit too.
    file.take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `byoc check-tls`: read, inspect at `now`, print. Returns whether no check failed.
pub fn run(
    out: &mut impl Write,
    args: &CheckTlsArgs,
    now: DateTime<Utc>,
) -> Result<bool, ToolError> {
    let bundle = read_pem_file(&args.cert)?;
    let key = args.key.as_deref().map(read_pem_file).transpose()?;
    let report = inspect(
        &TlsInput {
            bundle_pem: &bundle,
            key_pem: key.as_deref(),
            domain: &args.domain,
        },
        now,
    );
    print_report(out, &report, args.json, args.lang)?;
    Ok(report.passed())
}

/// Prints the report as text in `lang`, or as JSON (both languages, for scripts).
pub fn print_report(
    out: &mut impl Write,
    report: &TlsReport,
    json: bool,
    lang: Lang,
) -> Result<(), ToolError> {
    if json {
        serde_json::to_writer_pretty(&mut *out, report).map_err(|e| ToolError::Io(e.into()))?;
        writeln!(out)?;
        return Ok(());
    }
    for check in &report.checks {
        let mark = match check.outcome {
            Outcome::Pass => "PASS",
            Outcome::Warn => "WARN",
            Outcome::Fail => "FAIL",
        };
        writeln!(out, "[{mark}] {:<24} {}", check.code, check.message(lang))?;
    }
    if let Some(summary) = &report.summary {
        let l = Labels::of(lang);
        let valid = format!(
            "{} – {} {}",
            summary.not_before.format("%Y-%m-%d %H:%M UTC"),
            summary.not_after.format("%Y-%m-%d %H:%M UTC"),
            (l.days_left)(summary.days_left)
        );
        let key = format!("{} {}", summary.key_type, (l.bits)(summary.key_bits));
        writeln!(out)?;
        for (label, value) in [
            (l.subject, summary.subject.as_str()),
            (l.sans, &summary.sans.join(", ")),
            (l.issuer, &summary.issuer),
            (l.valid, &valid),
            (l.key, &key),
            (l.fingerprint, &summary.sha256_fingerprint),
            (l.chain, &(l.certificates)(summary.chain_length)),
        ] {
            writeln!(out, "{}{value}", padded(label, l.width))?;
        }
    }
    if let Some(bundle) = &report.ordered_bundle {
        writeln!(out, "\n{}", Labels::of(lang).ordered)?;
        write!(out, "{bundle}")?;
    }
    writeln!(out, "\n{}", verdict(report, lang))?;
    Ok(())
}

fn verdict(report: &TlsReport, lang: Lang) -> String {
    let (failed, warned, total) = (
        report.count(Outcome::Fail),
        report.count(Outcome::Warn),
        report.checks.len(),
    );
    match (lang, failed, warned) {
        (Lang::En, 0, 0) => "All checks passed.".to_owned(),
        (Lang::En, 0, w) => format!("All checks passed ({w} with a warning)."),
        (Lang::En, f, _) => {
            format!("{f} of {total} checks failed; fix them and run `byoc check-tls` again.")
        }
        (Lang::ZhCn, 0, 0) => "所有检查均已通过。".to_owned(),
        (Lang::ZhCn, 0, w) => format!("所有检查均已通过（{w} 项有警告）。"),
        (Lang::ZhCn, f, _) => {
            format!("{total} 项检查中有 {f} 项未通过；请修正后重新运行 `byoc check-tls`。")
        }
    }
}

/// `label` followed by spaces up to `columns` terminal columns (CJK characters take two).
fn padded(label: &str, columns: usize) -> String {
    let width: usize = label
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum();
    format!("{label}{}", " ".repeat(columns.saturating_sub(width)))
}

/// The summary's words in one language.
struct Labels {
    width: usize,
    subject: &'static str,
    sans: &'static str,
    issuer: &'static str,
    valid: &'static str,
    key: &'static str,
    fingerprint: &'static str,
    chain: &'static str,
    ordered: &'static str,
    days_left: fn(i64) -> String,
    bits: fn(u32) -> String,
    certificates: fn(usize) -> String,
}

impl Labels {
    fn of(lang: Lang) -> Labels {
        match lang {
            Lang::En => Labels {
                width: 14,
                subject: "Subject:",
                sans: "Names (SAN):",
                issuer: "Issuer:",
                valid: "Valid:",
                key: "Key:",
                fingerprint: "SHA-256:",
                chain: "Chain:",
                ordered: "The corrected certificate file (save it and use it instead):",
                days_left: |d| format!("({d} days left)"),
                bits: |b| format!("{b} bits"),
                certificates: |n| match n {
                    1 => "1 certificate".to_owned(),
                    n => format!("{n} certificates"),
                },
            },
            Lang::ZhCn => Labels {
                width: 16,
                subject: "主题：",
                sans: "域名（SAN）：",
                issuer: "签发者：",
                valid: "有效期：",
                key: "密钥：",
                fingerprint: "SHA-256：",
                chain: "证书链：",
                ordered: "更正后的证书文件（请保存并改用此文件）：",
                days_left: |d| format!("（剩余 {d} 天）"),
                bits: |b| format!("{b} 位"),
                certificates: |n| format!("{n} 个证书"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAIN: &str = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");
    const KEY: &str = include_str!("../../core/tests/fixtures/tls/browser/key.pem");

    /// The committed fixture's pinned `now` (core/tests/fixtures/tls/browser/case.json).
    fn now() -> DateTime<Utc> {
        "2030-01-01T00:00:00Z".parse().unwrap()
    }

    struct Files {
        dir: tempfile::TempDir,
    }

    impl Files {
        fn new() -> Files {
            Files {
                dir: tempfile::tempdir().unwrap(),
            }
        }

        fn write(&self, name: &str, content: &[u8]) -> PathBuf {
            let path = self.dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            path
        }
    }

    fn args(cert: PathBuf, key: Option<PathBuf>) -> CheckTlsArgs {
        CheckTlsArgs {
            domain: "mqtt.example.com".into(),
            cert,
            key,
            json: false,
            lang: Lang::En,
        }
    }

    fn output(args: &CheckTlsArgs) -> (bool, String) {
        let mut out = Vec::new();
        let ok = run(&mut out, args, now()).unwrap();
        (ok, String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_valid_chain_and_key_pass_with_one_line_per_check_and_a_summary() {
        let files = Files::new();
        let a = args(
            files.write("cert.pem", CHAIN.as_bytes()),
            Some(files.write("key.pem", KEY.as_bytes())),
        );
        let (ok, text) = output(&a);
        assert!(ok, "{text}");
        assert_eq!(text.matches("[PASS] ").count(), 13, "{text}");
        assert!(text.starts_with(
            "[PASS] pem_parse                Read 3 certificates and 1 private key.\n"
        ));
        assert!(
            text.contains("\nSubject:      CN=mqtt.example.com\n"),
            "{text}"
        );
        assert!(text.contains("\nKey:          RSA 2048 bits\n"), "{text}");
        assert!(text.contains("\nChain:        3 certificates\n"), "{text}");
        assert!(text.contains("(365 days left)"), "{text}");
        assert!(text.ends_with("\nAll checks passed.\n"), "{text}");
    }

    #[test]
    fn a_missing_key_fails_the_run() {
        let files = Files::new();
        let (ok, text) = output(&args(files.write("cert.pem", CHAIN.as_bytes()), None));
        assert!(!ok);
        assert!(text.contains("[FAIL] private_key_present"), "{text}");
        assert!(text.contains("1 of 10 checks failed"), "{text}");
    }

    #[test]
    fn an_out_of_order_file_warns_and_prints_the_corrected_bundle() {
        let blocks: Vec<&str> = CHAIN
            .split_inclusive("-----END CERTIFICATE-----\n")
            .collect();
        let shuffled = format!("{}{}{}", blocks[2], blocks[0], blocks[1]);
        let files = Files::new();
        let a = args(
            files.write("cert.pem", shuffled.as_bytes()),
            Some(files.write("key.pem", KEY.as_bytes())),
        );
        let (ok, text) = output(&a);
        assert!(ok, "a warning is not a failure: {text}");
        assert!(text.contains("[WARN] chain_order"), "{text}");
        assert!(text.contains("The corrected certificate file"), "{text}");
        assert!(
            text.contains(blocks[0]),
            "the server certificate is printed"
        );
        assert!(
            text.ends_with("All checks passed (1 with a warning).\n"),
            "{text}"
        );
    }

    #[test]
    fn json_output_is_the_core_report() {
        let files = Files::new();
        let mut a = args(
            files.write("all.pem", format!("{CHAIN}{KEY}").as_bytes()),
            None,
        );
        a.json = true;
        let (ok, text) = output(&a);
        assert!(ok);
        let report: TlsReport = serde_json::from_str(&text).unwrap();
        assert_eq!(report.checks.len(), 13);
        assert_eq!(report.summary.unwrap().chain_length, 3);
    }

    #[test]
    fn chinese_output_translates_messages_and_labels() {
        let files = Files::new();
        let mut a = args(files.write("cert.pem", CHAIN.as_bytes()), None);
        a.lang = Lang::ZhCn;
        let (ok, text) = output(&a);
        assert!(!ok);
        assert!(
            text.contains("[FAIL] private_key_present      未提供私钥"),
            "{text}"
        );
        assert!(text.contains("\n密钥：          RSA 2048 位\n"), "{text}");
        assert!(text.contains("\nSHA-256：       "), "{text}");
        assert!(text.contains("10 项检查中有 1 项未通过"), "{text}");
    }

    #[test]
    fn a_binary_file_is_reported_not_crashed_on() {
        let files = Files::new();
        let a = args(
            files.write("cert.der", &[0x30, 0x82, 0xff, 0xfe, 0x00]),
            None,
        );
        let (ok, text) = output(&a);
        assert!(!ok);
        assert!(text.contains("[FAIL] pem_parse"), "{text}");
        assert!(text.contains("openssl x509 -inform der"), "{text}");
    }

    #[test]
    fn unreadable_files_are_clear_errors() {
        let files = Files::new();
        let missing = files.dir.path().join("nope.pem");
        let err = run(&mut Vec::new(), &args(missing.clone(), None), now()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot read {}: No such file or directory (os error 2)",
                missing.display()
            )
        );

        let cert = files.write("cert.pem", CHAIN.as_bytes());
        let dir = files.dir.path().to_path_buf();
        let err = run(&mut Vec::new(), &args(cert, Some(dir.clone())), now()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("cannot read {}:", dir.display())),
            "{err}"
        );

        let big = files.write("big.pem", &vec![b'A'; MAX_INPUT_BYTES + 1]);
        let err = run(&mut Vec::new(), &args(big.clone(), None), now()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{} is 1048577 bytes; certificate and key files are a few KiB (the limit is 1 MiB)",
                big.display()
            )
        );
    }
}
