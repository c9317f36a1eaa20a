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
pub enum SequenceError {
    #[error("message {got} was already received (the last was {last})")]
    Repeated { last: u64, got: u64 },
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
}
