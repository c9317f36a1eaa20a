//! How the control plane and the customer's toolkit work together (SPEC §7): the command line the
//! console shows, the bootstrap key's life, and the order of agent messages.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::deployment::Operation;
use crate::catalog::Cloud;
use crate::policy;

/// A bootstrap key is valid this long after it is issued.
pub const KEY_VALID_SECONDS: i64 = 60 * 60;
/// How often a running deployment's agent reports.
pub const HEARTBEAT_SECONDS: u32 = 15;
/// Shown in place of the key once it has been shown.
pub const KEY_PLACEHOLDER: &str = "<key>";
pub const KEY_PREFIX: &str = "byoc_boot_";

/// The policy the operation needs in the customer's cloud.
pub fn policy_operation(op: Operation) -> policy::Operation {
    match op {
        Operation::Create => policy::Operation::Create,
        Operation::Delete => policy::Operation::Delete,
        Operation::Stop | Operation::Start => policy::Operation::StopStart,
    }
}

/// `./byoc <op> --platform … --endpoint … --key …`, plus for create the domain and the TLS files
/// (which stay on the bootstrap machine: only their names appear here).
pub fn command_line(
    op: Operation,
    cloud: Cloud,
    endpoint: &str,
    key: &str,
    domain: &str,
) -> String {
    let mut cmd = format!(
        "./byoc {} --platform {} --endpoint {} --key {}",
        op.code(),
        cloud.code(),
        endpoint.trim_end_matches('/'),
        key
    );
    if op == Operation::Create {
        cmd.push_str(&format!(
            " --domain {domain} --cert ./tls/{domain}.crt --cert-key ./tls/{domain}.key"
        ));
    }
    cmd
}

/// What to run in the bootstrap environment before the command: fetch the toolkit from this
/// control plane and check its SHA-256, then, where the toolkit provisions for real, give it the
/// cloud credentials through the standard variables. The credentials stay in that shell: the
/// toolkit signs its requests to the cloud with them and sends them nowhere else.
pub fn prepare_lines(cloud: Cloud, endpoint: &str) -> Vec<String> {
    let base = endpoint.trim_end_matches('/');
    let mut lines = vec![
        format!("curl -fsSL -o byoc {base}/downloads/byoc-linux-amd64"),
        format!(
            "curl -fsSL {base}/downloads/byoc-linux-amd64.sha256 | sha256sum -c - && chmod +x byoc"
        ),
    ];
    match cloud {
        Cloud::Aws | Cloud::AwsCn => lines.extend([
            "# Credentials of the IAM user holding this operation's policy (or AWS_PROFILE):".to_owned(),
            "export AWS_ACCESS_KEY_ID=<access key ID>".to_owned(),
            "export AWS_SECRET_ACCESS_KEY=<secret access key>".to_owned(),
            "# export AWS_SESSION_TOKEN=<session token>   (temporary credentials only)".to_owned(),
        ]),
        Cloud::Aliyun => lines.extend([
            "# AccessKey of the RAM user holding this operation's policy (or an `aliyun configure` profile):".to_owned(),
            "export ALIBABA_CLOUD_ACCESS_KEY_ID=<AccessKey ID>".to_owned(),
            "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=<AccessKey secret>".to_owned(),
            "# export ALIBABA_CLOUD_SECURITY_TOKEN=<STS token>   (temporary credentials only)".to_owned(),
        ]),
        Cloud::Gcp => lines.push(format!(
            "# {cloud}: this toolkit version walks the steps with --simulate; real provisioning follows."
        )),
    }
    lines
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    Pending,
    Used,
    Expired,
}

impl KeyState {
    pub fn code(self) -> &'static str {
        match self {
            KeyState::Pending => "pending",
            KeyState::Used => "used",
            KeyState::Expired => "expired",
        }
    }
}

pub fn key_expires_at(issued_at: DateTime<Utc>) -> DateTime<Utc> {
    issued_at + Duration::seconds(KEY_VALID_SECONDS)
}

/// Whether a key issued at `issued_at` may still register at `now`: single use, one hour.
pub fn key_state(issued_at: DateTime<Utc>, used: bool, now: DateTime<Utc>) -> KeyState {
    if used {
        KeyState::Used
    } else if now >= key_expires_at(issued_at) {
        KeyState::Expired
    } else {
        KeyState::Pending
    }
}

/// Whole seconds until the key expires (0 once expired), for the console's countdown.
pub fn key_seconds_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (expires_at - now).num_seconds().max(0)
}

/// Random bytes in a key, base64url without padding: 32 bytes → 43 characters.
pub const KEY_SECRET_CHARS: usize = 43;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    #[error(
        "a bootstrap key starts with \"{KEY_PREFIX}\"; copy the whole command from the console"
    )]
    Prefix,
    #[error("this bootstrap key is cut short or has extra characters; copy the whole command from the console")]
    Shape,
}

/// Whether `key` looks like a key the control plane issues, so a mangled paste is caught on the
/// bootstrap machine before anything is sent.
pub fn check_key_format(key: &str) -> Result<(), KeyFormatError> {
    let secret = key
        .trim()
        .strip_prefix(KEY_PREFIX)
        .ok_or(KeyFormatError::Prefix)?;
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if secret.chars().count() == KEY_SECRET_CHARS && secret.chars().all(base64url) {
        Ok(())
    } else {
        Err(KeyFormatError::Shape)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("--endpoint {0} is not an address like https://console.example.com")]
    NotAnAddress(String),
    #[error("--endpoint {endpoint} is plain http:// to {host}, which would send the bootstrap key and the agent token unencrypted across the network; use the https:// address of the control plane, or pass --insecure if you accept that (plain http:// to this machine's loopback address needs no flag)")]
    Insecure { endpoint: String, host: String },
}

impl EndpointError {
    pub fn code(&self) -> &'static str {
        match self {
            EndpointError::NotAnAddress(_) => "endpoint_invalid",
            EndpointError::Insecure { .. } => "endpoint_insecure",
        }
    }
}

/// The host of an `http(s)://` address: after any `user@`, without the port, IPv6 brackets kept
/// off. Empty when there is none.
fn endpoint_host(authority: &str) -> &str {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or("", |(h, _)| h),
        None => host_port.split(':').next().unwrap_or(""),
    }
}

/// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1. Traffic to it never leaves
/// the machine, so plain http is safe there.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the toolkit may talk to the control plane at `endpoint`: https anywhere; plain http
/// only to a loopback address, or anywhere when the user said `--insecure` (the key and the agent
/// token would otherwise cross the network in clear text without anyone having chosen that).
pub fn check_endpoint(endpoint: &str, insecure: bool) -> Result<(), EndpointError> {
    let endpoint = endpoint.trim();
    let not_an_address = || EndpointError::NotAnAddress(endpoint.to_owned());
    let lower = endpoint.to_ascii_lowercase();
    let (secure, rest) = match (
        lower.strip_prefix("https://"),
        lower.strip_prefix("http://"),
    ) {
        (Some(_), _) => (true, &endpoint["https://".len()..]),
        (None, Some(_)) => (false, &endpoint["http://".len()..]),
        (None, None) => return Err(not_an_address()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = endpoint_host(authority);
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return Err(not_an_address());
    }
    if secure || insecure || is_loopback(host) {
        Ok(())
    } else {
        Err(EndpointError::Insecure {
            endpoint: endpoint.to_owned(),
            host: host.to_owned(),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SequenceError {
    #[error("message {got} was already received (the last was {last})")]
    Repeated { last: u64, got: u64 },
}

impl SequenceError {
    /// The error in `lang`, a clause like the English `Display`.
    pub fn message(&self, lang: crate::lang::Lang) -> String {
        match (self, lang) {
            (_, crate::lang::Lang::En) => self.to_string(),
            (SequenceError::Repeated { last, got }, crate::lang::Lang::ZhCn) => {
                format!("消息 {got} 已经收到过（最后一条是 {last}）")
            }
        }
    }
}

/// Agent messages carry a sequence number that grows with every message of one registration:
/// a repeated or older one (a retry after a lost answer, or a message overtaken by a later one)
/// changes nothing.
pub fn check_sequence(last: u64, got: u64) -> Result<(), SequenceError> {
    if got > last {
        Ok(())
    } else {
        Err(SequenceError::Repeated { last, got })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn create_commands_name_the_tls_files_and_others_do_not() {
        assert_eq!(
            command_line(Operation::Create, Cloud::Aws, "https://c.example.com/", "K", "mqtt.example.com"),
            "./byoc create --platform aws --endpoint https://c.example.com --key K --domain mqtt.example.com --cert ./tls/mqtt.example.com.crt --cert-key ./tls/mqtt.example.com.key"
        );
        assert_eq!(
            command_line(
                Operation::Stop,
                Cloud::AwsCn,
                "http://127.0.0.1:8080",
                "K",
                "d.example.com"
            ),
            "./byoc stop --platform aws-cn --endpoint http://127.0.0.1:8080 --key K"
        );
    }

    #[test]
    fn a_key_is_single_use_and_valid_for_one_hour() {
        let issued = at("2026-06-01T10:00:00Z");
        assert_eq!(
            key_state(issued, false, at("2026-06-01T10:59:59Z")),
            KeyState::Pending
        );
        assert_eq!(
            key_state(issued, false, at("2026-06-01T11:00:00Z")),
            KeyState::Expired
        );
        assert_eq!(
            key_state(issued, true, at("2026-06-01T10:00:01Z")),
            KeyState::Used
        );
        assert_eq!(
            key_seconds_left(key_expires_at(issued), at("2026-06-01T10:30:00Z")),
            1800
        );
        assert_eq!(
            key_seconds_left(key_expires_at(issued), at("2026-06-01T12:00:00Z")),
            0
        );
    }

    #[test]
    fn key_format_catches_mangled_pastes() {
        let good = format!("{KEY_PREFIX}{}", "a".repeat(KEY_SECRET_CHARS));
        assert_eq!(check_key_format(&good), Ok(()));
        assert_eq!(check_key_format("abc"), Err(KeyFormatError::Prefix));
        assert_eq!(
            check_key_format(&good[..good.len() - 1]),
            Err(KeyFormatError::Shape)
        );
        assert_eq!(
            check_key_format(&format!("{good}!")),
            Err(KeyFormatError::Shape)
        );
        assert_eq!(
            check_key_format(&good.replace('a', "+")),
            Err(KeyFormatError::Shape)
        );
    }

    #[test]
    fn https_endpoints_are_accepted_anywhere() {
        for e in [
            "https://console.example.com",
            "HTTPS://console.example.com/",
            "https://10.0.0.5:8443/base",
            "https://[2001:db8::1]:443",
        ] {
            assert_eq!(check_endpoint(e, false), Ok(()), "{e}");
        }
    }

    #[test]
    fn plain_http_is_accepted_only_to_loopback_unless_insecure() {
        for e in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://localhost:8080/",
            "http://LOCALHOST",
            "http://[::1]:8080",
            "http://user@127.0.0.1:8080",
        ] {
            assert_eq!(check_endpoint(e, false), Ok(()), "{e}");
        }
        for (e, host) in [
            ("http://console.example.com", "console.example.com"),
            ("http://10.0.0.5:8080", "10.0.0.5"),
            ("http://[2001:db8::1]:80", "2001:db8::1"),
            ("http://128.0.0.1", "128.0.0.1"),
            // A userinfo that looks like loopback does not make the host loopback.
            ("http://127.0.0.1@evil.example.com", "evil.example.com"),
            (
                "http://localhost.evil.example.com",
                "localhost.evil.example.com",
            ),
        ] {
            let err = check_endpoint(e, false).unwrap_err();
            assert_eq!(
                err,
                EndpointError::Insecure {
                    endpoint: e.to_owned(),
                    host: host.to_owned()
                }
            );
            assert_eq!(err.code(), "endpoint_insecure");
            assert!(err.to_string().contains("--insecure"), "{err}");
            assert_eq!(check_endpoint(e, true), Ok(()), "{e} with --insecure");
        }
    }

    #[test]
    fn an_endpoint_must_be_an_http_address_with_a_host() {
        for e in [
            "console.example.com",
            "ftp://x",
            "http://",
            "https:///path",
            "http://:80",
            "",
        ] {
            let err = check_endpoint(e, true).unwrap_err();
            assert_eq!(err.code(), "endpoint_invalid", "{e}");
            assert!(err.to_string().starts_with("--endpoint"), "{err}");
        }
    }

    #[test]
    fn repeated_or_older_messages_are_refused() {
        assert!(check_sequence(0, 1).is_ok());
        assert!(check_sequence(4, 9).is_ok());
        assert_eq!(
            check_sequence(4, 4),
            Err(SequenceError::Repeated { last: 4, got: 4 })
        );
        assert!(check_sequence(4, 3).is_err());
    }

    #[test]
    fn each_operation_needs_its_policy() {
        assert_eq!(policy_operation(Operation::Start).code(), "stop-start");
        assert_eq!(policy_operation(Operation::Stop).code(), "stop-start");
        assert_eq!(policy_operation(Operation::Delete).code(), "delete");
    }

    #[test]
    fn preparation_fetches_and_checks_the_toolkit_and_names_the_credential_variables() {
        let aws = prepare_lines(Cloud::AwsCn, "https://c.example.com/");
        assert_eq!(
            aws[0],
            "curl -fsSL -o byoc https://c.example.com/downloads/byoc-linux-amd64"
        );
        assert!(aws[1].ends_with("| sha256sum -c - && chmod +x byoc"));
        assert!(aws
            .iter()
            .any(|l| l.starts_with("export AWS_ACCESS_KEY_ID=")));
        assert!(aws
            .iter()
            .any(|l| l.starts_with("export AWS_SECRET_ACCESS_KEY=")));
        let aliyun = prepare_lines(Cloud::Aliyun, "https://c.example.com");
        assert!(aliyun
            .iter()
            .any(|l| l.starts_with("export ALIBABA_CLOUD_ACCESS_KEY_ID=")));
        assert!(!aliyun.iter().any(|l| l.contains("--simulate")));
        let gcp = prepare_lines(Cloud::Gcp, "https://c.example.com");
        assert!(!gcp.iter().any(|l| l.contains("AWS_")));
        assert!(gcp.last().unwrap().contains("--simulate"));
    }
}
