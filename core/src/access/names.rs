//! What valid account data looks like. Parse, don't validate: the rest of the code takes these
//! types and never sees raw input.

use serde::Serialize;

use crate::lang::Lang;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("a username is 3 to 32 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter")]
    Username,
    #[error("a password is 12 to 128 characters")]
    PasswordLength,
    #[error("the password must not contain the username")]
    PasswordContainsUsername,
    #[error(
        "a project name is 1 to 64 characters, without control characters or surrounding spaces"
    )]
    ProjectName,
    #[error("a project description is at most 500 characters")]
    ProjectDescription,
    #[error(
        "a project description is plain text, without control or invisible formatting characters"
    )]
    ProjectDescriptionText,
    #[error("a token name is 1 to 64 characters, without control characters")]
    TokenName,
    #[error("a token expires after 1 to 365 days")]
    TokenExpiry,
    #[error("unknown organisation role \"{0}\"; expected owner or member")]
    UnknownOrgRole(String),
    #[error("unknown project role \"{0}\"; expected admin, editor or viewer")]
    UnknownProjectRole(String),
}

impl ValidationError {
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::Username => "invalid_username",
            ValidationError::PasswordLength => "password_length",
            ValidationError::PasswordContainsUsername => "password_contains_username",
            ValidationError::ProjectName => "invalid_project_name",
            ValidationError::ProjectDescription => "description_too_long",
            ValidationError::ProjectDescriptionText => "description_invalid",
            ValidationError::TokenName => "invalid_token_name",
            ValidationError::TokenExpiry => "invalid_token_expiry",
            ValidationError::UnknownOrgRole(_) => "unknown_org_role",
            ValidationError::UnknownProjectRole(_) => "unknown_project_role",
        }
    }

    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            ValidationError::Username => "username",
            ValidationError::PasswordLength | ValidationError::PasswordContainsUsername => {
                "password"
            }
            ValidationError::ProjectName => "name",
            ValidationError::ProjectDescription | ValidationError::ProjectDescriptionText => {
                "description"
            }
            ValidationError::TokenName => "name",
            ValidationError::TokenExpiry => "expires_in_days",
            ValidationError::UnknownOrgRole(_) => "org_role",
            ValidationError::UnknownProjectRole(_) => "role",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => match self {
                ValidationError::Username => {
                    "用户名为 3 到 32 个字符：小写字母、数字、“.”、“_”或“-”，并以字母开头"
                        .to_owned()
                }
                ValidationError::PasswordLength => "密码长度须为 12 到 128 个字符".to_owned(),
                ValidationError::PasswordContainsUsername => "密码不能包含用户名".to_owned(),
                ValidationError::ProjectName => {
                    "项目名称为 1 到 64 个字符，不能包含控制字符或首尾空格".to_owned()
                }
                ValidationError::ProjectDescription => "项目描述最多 500 个字符".to_owned(),
                ValidationError::ProjectDescriptionText => {
                    "项目描述须为纯文本，不能包含控制字符或不可见的格式字符".to_owned()
                }
                ValidationError::TokenName => {
                    "令牌名称为 1 到 64 个字符，不能包含控制字符".to_owned()
                }
                ValidationError::TokenExpiry => "令牌有效期须为 1 到 365 天".to_owned(),
                ValidationError::UnknownOrgRole(r) => {
                    format!("未知的组织角色“{r}”，应为 owner 或 member")
                }
                ValidationError::UnknownProjectRole(r) => {
                    format!("未知的项目角色“{r}”，应为 admin、editor 或 viewer")
                }
            },
        }
    }
}

/// A sign-in name: stable, lowercase, safe to show in logs and audit entries.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Username, ValidationError> {
        let ok_len = (3..=32).contains(&s.len());
        let mut chars = s.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if ok_len && starts_with_letter && rest_ok {
            Ok(Username(s.to_owned()))
        } else {
            Err(ValidationError::Username)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest password: hashing cost stays bounded, and no password longer can exist.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Checks what a sign-in sends before anything else happens (no lookup, no hashing, nothing
/// stored): the username, as typed, must be one that could exist — usernames are matched in
/// lower case, so it is judged in lower case — and the password no longer than any can be. The
/// rules are public, so refusing by them reveals nothing about which accounts exist.
pub fn check_sign_in(username: &str, password: &str) -> Result<(), ValidationError> {
    Username::parse(&username.trim().to_lowercase())?;
    if password.chars().nth(MAX_PASSWORD_CHARS).is_some() {
        return Err(ValidationError::PasswordLength);
    }
    Ok(())
}

/// Checks a new password: long enough to resist guessing (NIST SP 800-63B favours length over
/// composition rules), bounded so hashing cost stays bounded, and not built from the username.
pub fn validate_password(password: &str, username: &str) -> Result<(), ValidationError> {
    let len = password.chars().count();
    if !(12..=MAX_PASSWORD_CHARS).contains(&len) {
        return Err(ValidationError::PasswordLength);
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(ValidationError::PasswordContainsUsername);
    }
    Ok(())
}

fn clean_text(s: &str, max: usize) -> Option<String> {
    let len = s.chars().count();
    // One line of plain text: no control, bidirectional or invisible characters.
    let ok = (1..=max).contains(&len)
        && s.trim() == s
        && s.chars().all(|c| crate::text::is_plain_char(c, false));
    ok.then(|| s.to_owned())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectName(String);

impl ProjectName {
    pub fn parse(s: &str) -> Result<ProjectName, ValidationError> {
        clean_text(s, 64)
            .map(ProjectName)
            .ok_or(ValidationError::ProjectName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectDescription(String);

impl ProjectDescription {
    pub fn parse(s: &str) -> Result<ProjectDescription, ValidationError> {
        // Several lines are fine; control and bidirectional characters are not.
        crate::text::check_plain_text(s, 500, true).map_err(|e| match e {
            crate::text::TextError::TooLong { .. } => ValidationError::ProjectDescription,
            crate::text::TextError::Character { .. } => ValidationError::ProjectDescriptionText,
        })?;
        Ok(ProjectDescription(s.trim().to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(s: &str) -> Result<TokenName, ValidationError> {
        clean_text(s, 64)
            .map(TokenName)
            .ok_or(ValidationError::TokenName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long an API token lives: bounded, so a forgotten token does not work forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TokenExpiry(u32);

impl TokenExpiry {
    pub const DEFAULT_DAYS: u32 = 90;

    pub fn days(days: u32) -> Result<TokenExpiry, ValidationError> {
        if (1..=365).contains(&days) {
            Ok(TokenExpiry(days))
        } else {
            Err(ValidationError::TokenExpiry)
        }
    }

    pub fn in_days(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_rule() {
        for ok in ["abc", "alice", "a.b_c-d", "ops2", &"a".repeat(32)] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ab",
            "Alice",
            "1abc",
            "-abc",
            "al ice",
            "alïce",
            &"a".repeat(33),
            "a@b",
        ] {
            assert_eq!(
                Username::parse(bad),
                Err(ValidationError::Username),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_need_twelve_to_128_characters() {
        assert!(validate_password("correct horse", "alice").is_ok());
        assert_eq!(
            validate_password("short", "alice"),
            Err(ValidationError::PasswordLength)
        );
        assert!(
            validate_password(&"密".repeat(12), "alice").is_ok(),
            "counts characters, not bytes"
        );
        assert_eq!(
            validate_password(&"x".repeat(129), "alice"),
            Err(ValidationError::PasswordLength)
        );
    }

    #[test]
    fn passwords_must_not_contain_the_username() {
        let err = validate_password("my-ALICE-password", "alice").unwrap_err();
        assert_eq!(err.code(), "password_contains_username");
        assert_eq!(err.field(), "password");
    }

    #[test]
    fn project_names_are_trimmed_text_without_control_characters() {
        assert!(ProjectName::parse("Payments 生产").is_ok());
        for bad in [
            "",
            " lead",
            "trail ",
            "a\nb",
            "a\u{202e}b",
            "a\u{200b}b",
            &"x".repeat(65),
        ] {
            assert_eq!(
                ProjectName::parse(bad),
                Err(ValidationError::ProjectName),
                "{bad:?}"
            );
        }
        assert_eq!(
            ProjectDescription::parse(&"d".repeat(501))
                .unwrap_err()
                .field(),
            "description"
        );
        assert_eq!(ProjectDescription::parse("  ok  ").unwrap().as_str(), "ok");
    }

    #[test]
    fn sign_in_input_is_bounded_before_anything_else() {
        assert_eq!(check_sign_in("admin", "anything at all"), Ok(()));
        assert_eq!(
            check_sign_in(" Admin ", ""),
            Ok(()),
            "matched in lower case"
        );
        let huge = "a".repeat(1_500_000);
        assert_eq!(check_sign_in(&huge, "pw"), Err(ValidationError::Username));
        for bad in ["ab", "al ice", "a\u{0}b", "admin\u{202e}", "1admin"] {
            assert_eq!(
                check_sign_in(bad, "pw"),
                Err(ValidationError::Username),
                "{bad:?}"
            );
        }
        assert_eq!(
            check_sign_in("admin", &"p".repeat(MAX_PASSWORD_CHARS + 1)),
            Err(ValidationError::PasswordLength)
        );
        assert_eq!(
            check_sign_in("admin", &"密".repeat(MAX_PASSWORD_CHARS)),
            Ok(())
        );
    }

    #[test]
    fn project_descriptions_are_plain_text() {
        assert!(ProjectDescription::parse("line one\nline two").is_ok());
        for bad in ["a\u{0}b", "a\u{1b}[2J", "evil\u{202e}", "a\u{200b}b"] {
            assert_eq!(
                ProjectDescription::parse(bad),
                Err(ValidationError::ProjectDescriptionText),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn token_expiry_is_one_day_to_one_year() {
        assert!(TokenExpiry::days(1).is_ok());
        assert!(TokenExpiry::days(365).is_ok());
        assert_eq!(TokenExpiry::days(0), Err(ValidationError::TokenExpiry));
        assert_eq!(
            TokenExpiry::days(366).unwrap_err().field(),
            "expires_in_days"
        );
        assert!(TokenName::parse("ci deploy").is_ok());
        assert!(TokenName::parse("").is_err());
    }

    #[test]
    fn every_error_has_a_chinese_message() {
        let all = [
            ValidationError::Username,
            ValidationError::PasswordLength,
            ValidationError::PasswordContainsUsername,
            ValidationError::ProjectName,
            ValidationError::ProjectDescription,
            ValidationError::ProjectDescriptionText,
            ValidationError::TokenName,
            ValidationError::TokenExpiry,
            ValidationError::UnknownOrgRole("x".into()),
            ValidationError::UnknownProjectRole("x".into()),
        ];
        for e in all {
            assert!(!e.message(Lang::ZhCn).is_ascii(), "{e:?}");
        }
    }
}
