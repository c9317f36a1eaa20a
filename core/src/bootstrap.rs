//! The bootstrap environment (seed "准备启动环境", SPEC §3): the machine where the customer runs
//! `byoc`. The requirements are data here, and so is the judgement of `byoc preflight`; the
//! toolkit only gathers the facts (it reads files and opens a connection, which core never does).

use serde::{Deserialize, Serialize};

use crate::lang::Name;

pub const REQUIRED_OS_ID: &str = "ubuntu";
pub const REQUIRED_OS_VERSION: &str = "20.04";
pub const REQUIRED_ARCH: &str = "x86_64";
/// The documented minimum: 1 GiB.
pub const MIN_MEMORY_MIB: u64 = 1024;
/// The `MemTotal` a machine with [`MIN_MEMORY_MIB`] installed reports, at the least.
///
/// `MemTotal` is what remains after firmware and the kernel have taken their share, typically 2–8 %
/// of the installed memory, so a 1 GiB VM reports roughly 950–1000 MiB. Demanding a full 1024 MiB
/// would fail exactly the machine the documentation recommends; 900 MiB still refuses any
/// smaller machine size the clouds sell (512 MiB and below).
pub const MIN_MEM_TOTAL_KIB: u64 = 900 * 1024;

/// What the toolkit found out about the machine. `None` means it could not find out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineFacts {
    /// The raw text of `/etc/os-release`.
    pub os_release: Option<String>,
    /// The CPU architecture, e.g. `std::env::consts::ARCH` or `uname -m`.
    pub arch: Option<String>,
    /// `MemTotal` from `/proc/meminfo`, in KiB.
    pub mem_total_kib: Option<u64>,
    /// Whether an HTTPS request to the control plane succeeded; `None` when it was not tried.
    pub control_plane_https: Option<Result<(), String>>,
    /// Whether the TLS certificate and key files were found and read as PEM; `None` when no
    /// paths were given. (Whether the certificate is *right* is `byoc check-tls`'s job.)
    #[serde(default)]
    pub tls_files: Option<Result<(), String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
}

/// One line of `byoc preflight`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PreflightCheck {
    /// `os`, `arch`, `memory`, `https` or `tls_files`.
    pub code: &'static str,
    pub status: CheckStatus,
    pub message: String,
    /// What to do about a failure; `None` when the check passed.
    pub fix: Option<String>,
}

const FIX_MACHINE: &str = "use an Ubuntu 20.04 LTS AMD64 machine";
const FIX_MEMORY: &str = "give the machine at least 1 GiB of memory";

/// Judges the facts, one check per requirement, in the order `os`, `arch`, `memory`, `https`,
/// `tls_files`.
/// The fix for a failed `https` check names the control plane only generically; use
/// [`evaluate_with_endpoint`] when its address is known.
pub fn evaluate(facts: &MachineFacts) -> Vec<PreflightCheck> {
    evaluate_with_endpoint(facts, None)
}

/// [`evaluate`], with the control plane's address in the `https` check's fix.
pub fn evaluate_with_endpoint(
    facts: &MachineFacts,
    control_plane: Option<&str>,
) -> Vec<PreflightCheck> {
    vec![
        check_os(facts.os_release.as_deref()),
        check_arch(facts.arch.as_deref()),
        check_memory(facts.mem_total_kib),
        check_https(facts.control_plane_https.as_ref(), control_plane),
        check_tls_files(facts.tls_files.as_ref()),
    ]
}

/// Whether every check passed, i.e. whether `byoc` may go on.
pub fn all_passed(checks: &[PreflightCheck]) -> bool {
    checks.iter().all(|c| c.status == CheckStatus::Pass)
}

fn pass(code: &'static str, message: String) -> PreflightCheck {
    PreflightCheck {
        code,
        status: CheckStatus::Pass,
        message,
        fix: None,
    }
}

fn fail(code: &'static str, message: String, fix: &str) -> PreflightCheck {
    PreflightCheck {
        code,
        status: CheckStatus::Fail,
        message,
        fix: Some(fix.to_owned()),
    }
}

fn check_os(os_release: Option<&str>) -> PreflightCheck {
    let Some(text) = os_release else {
        return fail(
            "os",
            "could not read /etc/os-release, so the operating system is unknown".to_owned(),
            FIX_MACHINE,
        );
    };
    match parse_os_release(text) {
        (Some(id), Some(version))
            if id.eq_ignore_ascii_case(REQUIRED_OS_ID) && version == REQUIRED_OS_VERSION =>
        {
            pass("os", format!("the operating system is Ubuntu {version}"))
        }
        (None, _) => fail(
            "os",
            "/etc/os-release does not name the operating system (no ID)".to_owned(),
            FIX_MACHINE,
        ),
        (Some(id), version) => fail(
            "os",
            format!(
                "the operating system is {id} {}; Ubuntu {REQUIRED_OS_VERSION} LTS is required",
                version.as_deref().unwrap_or("(version unknown)")
            ),
            FIX_MACHINE,
        ),
    }
}

fn check_arch(arch: Option<&str>) -> PreflightCheck {
    let Some(arch) = arch.map(str::trim) else {
        return fail(
            "arch",
            "could not determine the machine's CPU architecture".to_owned(),
            FIX_MACHINE,
        );
    };
    // `uname -m` and Rust say x86_64; Debian and Ubuntu call the same thing amd64.
    if arch.eq_ignore_ascii_case(REQUIRED_ARCH) || arch.eq_ignore_ascii_case("amd64") {
        pass("arch", "the CPU architecture is x86_64 (AMD64)".to_owned())
    } else {
        fail(
            "arch",
            format!("the CPU architecture is {arch}; x86_64 (AMD64) is required"),
            FIX_MACHINE,
        )
    }
}

fn check_memory(mem_total_kib: Option<u64>) -> PreflightCheck {
    let Some(kib) = mem_total_kib else {
        return fail(
            "memory",
            "could not read the machine's memory size from /proc/meminfo".to_owned(),
            FIX_MEMORY,
        );
    };
    let mib = kib / 1024;
    if kib >= MIN_MEM_TOTAL_KIB {
        pass(
            "memory",
            format!("the machine has {mib} MiB of memory (at least 1 GiB is required)"),
        )
    } else {
        fail(
            "memory",
            format!("the machine has only {mib} MiB of memory; at least 1 GiB is required"),
            FIX_MEMORY,
        )
    }
}

fn check_https(result: Option<&Result<(), String>>, control_plane: Option<&str>) -> PreflightCheck {
    let target = control_plane.unwrap_or("the control plane");
    let fix = format!("allow outbound HTTPS to {target}");
    match result {
        None => fail(
            "https",
            format!("the HTTPS connection to {target} was not checked"),
            &fix,
        ),
        Some(Ok(())) => pass("https", format!("{target} is reachable over HTTPS")),
        Some(Err(reason)) => fail(
            "https",
            format!("could not reach {target} over HTTPS: {reason}"),
            &fix,
        ),
    }
}

fn check_tls_files(result: Option<&Result<(), String>>) -> PreflightCheck {
    const FIX: &str = "copy the certificate (with its chain) and the private key to this machine \
                       and pass their paths with --cert and --cert-key";
    match result {
        None => fail(
            "tls_files",
            "no TLS certificate and key files were given".to_owned(),
            FIX,
        ),
        Some(Ok(())) => pass(
            "tls_files",
            "the TLS certificate and key files are present and readable".to_owned(),
        ),
        Some(Err(reason)) => fail("tls_files", reason.clone(), FIX),
    }
}

/// Reads `ID` and `VERSION_ID` from os-release text (os-release(5): shell-style `KEY=value`
/// lines, values optionally quoted; comments and blank lines ignored; the last assignment wins).
pub fn parse_os_release(text: &str) -> (Option<String>, Option<String>) {
    let mut id = None;
    let mut version = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let slot = match key.trim() {
            "ID" => &mut id,
            "VERSION_ID" => &mut version,
            _ => continue,
        };
        let value = unquote(value.trim());
        *slot = if value.is_empty() { None } else { Some(value) };
    }
    (id, version)
}

fn unquote(value: &str) -> String {
    if let Some(inner) = value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        // Inside double quotes the shell keeps a backslash unless it escapes one of these.
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some(&next)) if matches!(next, '"' | '\\' | '$' | '`') => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push(c),
            }
        }
        out
    } else if let Some(inner) = value
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        inner.to_owned()
    } else {
        value.to_owned()
    }
}

/// Reads `MemTotal` (in KiB) from `/proc/meminfo` text.
pub fn parse_meminfo_total_kib(text: &str) -> Option<u64> {
    let line = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("MemTotal:"))?;
    let mut parts = line.split_whitespace();
    let value = parts.next()?.parse().ok()?;
    // The kernel always writes "kB" (meaning KiB); anything else is not a meminfo we understand.
    match parts.next() {
        None | Some("kB") => Some(value),
        Some(_) => None,
    }
}

/// The checklist shown in the console, in both languages.
pub fn requirements() -> Vec<Name> {
    vec![
        Name {
            en: "Ubuntu 20.04 LTS on AMD64 (x86_64)",
            zh: "Ubuntu 20.04 LTS（AMD64，x86_64）",
        },
        Name {
            en: "At least 1 GiB of memory",
            zh: "内存至少 1 GiB",
        },
        Name {
            en: "Internet access, including outbound HTTPS to this control plane",
            zh: "可连接公网，且可通过 HTTPS 访问本控制台",
        },
        Name {
            en: "The TLS/SSL certificate (with its chain) and private key files copied to the machine",
            zh: "已将 TLS/SSL 证书（含证书链）和私钥文件复制到该机器",
        },
        Name {
            en: "Recommended: a virtual machine in the same cloud account, created from the Ubuntu \
                 20.04 LTS image; a local Ubuntu 20.04 LTS machine also works",
            zh: "推荐在云账号中使用 Ubuntu 20.04 LTS 镜像创建一个虚拟机实例；也可以使用本地 Ubuntu 20.04 LTS 环境",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const UBUNTU_2004: &str = r#"NAME="Ubuntu"
VERSION="20.04.6 LTS (Focal Fossa)"
ID=ubuntu
ID_LIKE=debian
PRETTY_NAME="Ubuntu 20.04.6 LTS"
VERSION_ID="20.04"
HOME_URL="https://www.ubuntu.com/"
VERSION_CODENAME=focal
UBUNTU_CODENAME=focal
"#;

    const UBUNTU_2204: &str = r#"PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
ID=ubuntu
"#;

    const DEBIAN_12: &str = r#"PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
"#;

    const MEMINFO_2G: &str = "MemTotal:        2014856 kB\nMemFree:          123456 kB\n\
                              MemAvailable:    1500000 kB\n";

    fn good() -> MachineFacts {
        MachineFacts {
            os_release: Some(UBUNTU_2004.to_owned()),
            arch: Some("x86_64".to_owned()),
            mem_total_kib: Some(2_014_856),
            control_plane_https: Some(Ok(())),
            tls_files: Some(Ok(())),
        }
    }

    fn check(facts: &MachineFacts, code: &str) -> PreflightCheck {
        evaluate(facts)
            .into_iter()
            .find(|c| c.code == code)
            .unwrap()
    }

    #[test]
    fn parses_ubuntu_os_release() {
        assert_eq!(
            parse_os_release(UBUNTU_2004),
            (Some("ubuntu".into()), Some("20.04".into()))
        );
        assert_eq!(
            parse_os_release(DEBIAN_12),
            (Some("debian".into()), Some("12".into()))
        );
    }

    #[test]
    fn os_release_handles_quotes_comments_blank_lines_and_spaces() {
        let text = "# written by hand\n\n  ID='ubuntu'  \n\t\nVERSION_ID=\"20.04\"\n# ID=debian\n";
        assert_eq!(
            parse_os_release(text),
            (Some("ubuntu".into()), Some("20.04".into()))
        );
        let escaped = "ID=\"my\\\"os\"\nVERSION_ID=\"1\\\\2\"";
        assert_eq!(
            parse_os_release(escaped),
            (Some("my\"os".into()), Some("1\\2".into()))
        );
    }

    #[test]
    fn os_release_ignores_keys_that_only_start_like_id() {
        let text = "ID_LIKE=ubuntu\nVERSION_ID_EXTRA=20.04\nVERSION=20.04\n";
        assert_eq!(parse_os_release(text), (None, None));
    }

    #[test]
    fn os_release_last_assignment_wins_and_empty_values_are_none() {
        assert_eq!(
            parse_os_release("ID=debian\nID=ubuntu\nVERSION_ID=\"\"\n"),
            (Some("ubuntu".into()), None)
        );
        assert_eq!(parse_os_release(""), (None, None));
        assert_eq!(parse_os_release("garbage line\n=\n"), (None, None));
    }

    #[test]
    fn parses_meminfo_total() {
        assert_eq!(parse_meminfo_total_kib(MEMINFO_2G), Some(2_014_856));
        assert_eq!(
            parse_meminfo_total_kib("MemFree: 1 kB\nMemTotal:1024000 kB"),
            Some(1_024_000)
        );
        assert_eq!(parse_meminfo_total_kib("MemTotal: 4096"), Some(4096));
    }

    #[test]
    fn meminfo_without_a_readable_total_is_none() {
        assert_eq!(parse_meminfo_total_kib(""), None);
        assert_eq!(parse_meminfo_total_kib("MemFree: 100 kB"), None);
        assert_eq!(parse_meminfo_total_kib("MemTotal: lots kB"), None);
        assert_eq!(parse_meminfo_total_kib("MemTotal:"), None);
        assert_eq!(parse_meminfo_total_kib("MemTotal: 2 GB"), None);
    }

    #[test]
    fn a_good_machine_passes_all_five_checks_in_order() {
        let checks = evaluate(&good());
        let codes: Vec<_> = checks.iter().map(|c| c.code).collect();
        assert_eq!(codes, ["os", "arch", "memory", "https", "tls_files"]);
        for c in &checks {
            assert_eq!(c.status, CheckStatus::Pass, "{c:?}");
            assert_eq!(c.fix, None);
        }
        assert!(all_passed(&checks));
        assert_eq!(checks[0].message, "the operating system is Ubuntu 20.04");
        assert_eq!(
            checks[2].message,
            "the machine has 1967 MiB of memory (at least 1 GiB is required)"
        );
    }

    #[test]
    fn unknown_facts_fail_saying_what_could_not_be_read() {
        let checks = evaluate(&MachineFacts::default());
        assert!(checks.iter().all(|c| c.status == CheckStatus::Fail));
        assert!(!all_passed(&checks));
        assert_eq!(
            checks[0].message,
            "could not read /etc/os-release, so the operating system is unknown"
        );
        assert_eq!(
            checks[1].message,
            "could not determine the machine's CPU architecture"
        );
        assert_eq!(
            checks[2].message,
            "could not read the machine's memory size from /proc/meminfo"
        );
        assert_eq!(
            checks[3].message,
            "the HTTPS connection to the control plane was not checked"
        );
        assert_eq!(checks[0].fix.as_deref(), Some(FIX_MACHINE));
        assert_eq!(checks[1].fix.as_deref(), Some(FIX_MACHINE));
        assert_eq!(checks[2].fix.as_deref(), Some(FIX_MEMORY));
        assert_eq!(
            checks[3].fix.as_deref(),
            Some("allow outbound HTTPS to the control plane")
        );
    }

    #[test]
    fn another_ubuntu_version_fails_naming_it() {
        let facts = MachineFacts {
            os_release: Some(UBUNTU_2204.into()),
            ..good()
        };
        let c = check(&facts, "os");
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(
            c.message,
            "the operating system is ubuntu 22.04; Ubuntu 20.04 LTS is required"
        );
        assert_eq!(
            c.fix.as_deref(),
            Some("use an Ubuntu 20.04 LTS AMD64 machine")
        );
    }

    #[test]
    fn another_distribution_fails() {
        let facts = MachineFacts {
            os_release: Some(DEBIAN_12.into()),
            ..good()
        };
        assert_eq!(check(&facts, "os").status, CheckStatus::Fail);
        // An Ubuntu derivative is not Ubuntu.
        let mint = "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\nVERSION_ID=\"20.04\"\n";
        let facts = MachineFacts {
            os_release: Some(mint.into()),
            ..good()
        };
        assert_eq!(check(&facts, "os").status, CheckStatus::Fail);
    }

    #[test]
    fn os_release_without_id_or_version_fails() {
        let facts = MachineFacts {
            os_release: Some("NAME=Something\n".into()),
            ..good()
        };
        let c = check(&facts, "os");
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(
            c.message,
            "/etc/os-release does not name the operating system (no ID)"
        );
        let facts = MachineFacts {
            os_release: Some("ID=ubuntu\n".into()),
            ..good()
        };
        let c = check(&facts, "os");
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(
            c.message,
            "the operating system is ubuntu (version unknown); Ubuntu 20.04 LTS is required"
        );
    }

    #[test]
    fn a_point_release_version_id_is_not_20_04() {
        let facts = MachineFacts {
            os_release: Some("ID=ubuntu\nVERSION_ID=20.10\n".into()),
            ..good()
        };
        assert_eq!(check(&facts, "os").status, CheckStatus::Fail);
    }

    #[test]
    fn x86_64_and_amd64_pass_the_architecture_check() {
        for arch in ["x86_64", "amd64", "AMD64", " x86_64\n"] {
            let facts = MachineFacts {
                arch: Some(arch.into()),
                ..good()
            };
            assert_eq!(check(&facts, "arch").status, CheckStatus::Pass, "{arch:?}");
        }
    }

    #[test]
    fn arm_and_32_bit_machines_fail_the_architecture_check() {
        for arch in ["aarch64", "arm64", "i686", "x86", ""] {
            let facts = MachineFacts {
                arch: Some(arch.into()),
                ..good()
            };
            let c = check(&facts, "arch");
            assert_eq!(c.status, CheckStatus::Fail, "{arch:?}");
            assert_eq!(c.fix.as_deref(), Some(FIX_MACHINE));
        }
        let facts = MachineFacts {
            arch: Some("aarch64".into()),
            ..good()
        };
        assert_eq!(
            check(&facts, "arch").message,
            "the CPU architecture is aarch64; x86_64 (AMD64) is required"
        );
    }

    #[test]
    fn a_1_gib_machine_passes_although_the_kernel_keeps_some_memory() {
        // What a 1 GiB cloud VM running Ubuntu 20.04 typically reports.
        for kib in [1_048_576, 1_004_896, 980_000, MIN_MEM_TOTAL_KIB] {
            let facts = MachineFacts {
                mem_total_kib: Some(kib),
                ..good()
            };
            assert_eq!(check(&facts, "memory").status, CheckStatus::Pass, "{kib}");
        }
    }

    #[test]
    fn less_memory_than_a_1_gib_machine_fails() {
        for kib in [MIN_MEM_TOTAL_KIB - 1, 512 * 1024, 0] {
            let facts = MachineFacts {
                mem_total_kib: Some(kib),
                ..good()
            };
            let c = check(&facts, "memory");
            assert_eq!(c.status, CheckStatus::Fail, "{kib}");
            assert_eq!(
                c.fix.as_deref(),
                Some("give the machine at least 1 GiB of memory")
            );
        }
        let facts = MachineFacts {
            mem_total_kib: Some(512 * 1024),
            ..good()
        };
        assert_eq!(
            check(&facts, "memory").message,
            "the machine has only 512 MiB of memory; at least 1 GiB is required"
        );
    }

    #[test]
    fn the_memory_allowance_stays_below_the_documented_minimum() {
        const { assert!(MIN_MEM_TOTAL_KIB < MIN_MEMORY_MIB * 1024) };
        const { assert!(MIN_MEM_TOTAL_KIB > 512 * 1024) };
    }

    #[test]
    fn unreachable_control_plane_fails_with_the_reason_and_the_url() {
        let facts = MachineFacts {
            control_plane_https: Some(Err("connection timed out".into())),
            ..good()
        };
        let checks = evaluate_with_endpoint(&facts, Some("https://console.example.com"));
        let c = &checks[3];
        assert_eq!(c.code, "https");
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(
            c.message,
            "could not reach https://console.example.com over HTTPS: connection timed out"
        );
        assert_eq!(
            c.fix.as_deref(),
            Some("allow outbound HTTPS to https://console.example.com")
        );
        assert!(!all_passed(&checks));
    }

    #[test]
    fn reachable_control_plane_passes_naming_it() {
        let checks = evaluate_with_endpoint(&good(), Some("https://console.example.com"));
        assert_eq!(checks[3].status, CheckStatus::Pass);
        assert_eq!(
            checks[3].message,
            "https://console.example.com is reachable over HTTPS"
        );
    }

    #[test]
    fn unchecked_https_fails() {
        let facts = MachineFacts {
            control_plane_https: None,
            ..good()
        };
        assert_eq!(check(&facts, "https").status, CheckStatus::Fail);
    }

    #[test]
    fn tls_files_must_be_given_and_readable() {
        assert_eq!(check(&good(), "tls_files").status, CheckStatus::Pass);
        let missing = MachineFacts {
            tls_files: None,
            ..good()
        };
        let c = check(&missing, "tls_files");
        assert_eq!(c.status, CheckStatus::Fail);
        assert!(c.fix.unwrap().contains("--cert and --cert-key"));
        let unreadable = MachineFacts {
            tls_files: Some(Err("cannot read /tmp/x.pem: not found".into())),
            ..good()
        };
        let c = check(&unreadable, "tls_files");
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(c.message, "cannot read /tmp/x.pem: not found");
    }

    #[test]
    fn facts_read_from_json_and_checks_serialise_with_lowercase_status() {
        let facts: MachineFacts = serde_json::from_str(
            r#"{"os_release":"ID=ubuntu\nVERSION_ID=20.04","arch":"amd64","mem_total_kib":2000000,
                "control_plane_https":{"Err":"refused"}}"#,
        )
        .unwrap();
        assert_eq!(facts.control_plane_https, Some(Err("refused".into())));
        let checks = evaluate(&facts);
        let json = serde_json::to_value(&checks).unwrap();
        assert_eq!(json[0]["status"], "pass");
        assert_eq!(json[3]["status"], "fail");
        assert_eq!(json[3]["code"], "https");
        assert_eq!(json[0]["fix"], serde_json::Value::Null);
    }

    #[test]
    fn requirements_cover_os_memory_https_and_tls_files_in_both_languages() {
        let reqs = requirements();
        let en: Vec<_> = reqs.iter().map(|n| n.en).collect();
        assert!(en[0].contains("Ubuntu 20.04 LTS") && en[0].contains("AMD64"));
        assert!(en[1].contains("1 GiB"));
        assert!(en[2].contains("HTTPS"));
        assert!(en[3].contains("TLS"));
        for n in &reqs {
            assert!(n.en.is_ascii() && !n.en.is_empty());
            assert!(!n.zh.is_ascii());
        }
    }
}
