//! Deployment names and tags (SPEC §7). The name prefixes every cloud resource, so it must be
//! valid wherever clouds accept names: lowercase letters, digits and hyphens, starting with a
//! letter, 3–24 characters.

use serde::Serialize;

use crate::lang::Lang;

pub const MAX_TAGS: usize = 10;
/// Reserved: the toolkit's policies limit destructive actions to resources carrying it.
pub const RESERVED_TAG_KEY: &str = "used-by";

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentName(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("a deployment name is 3 to 24 characters")]
    Length,
    #[error("a deployment name starts with a lowercase letter")]
    Start,
    #[error("a deployment name has only lowercase letters, digits and hyphens (found \"{0}\")")]
    Character(char),
    #[error("a deployment name does not end with a hyphen")]
    TrailingHyphen,
}

impl NameError {
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Length => "name_length",
            NameError::Start => "name_start",
            NameError::Character(_) => "name_character",
            NameError::TrailingHyphen => "name_trailing_hyphen",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => match self {
                NameError::Length => "部署名称为 3 到 24 个字符".into(),
                NameError::Start => "部署名称须以小写字母开头".into(),
                NameError::Character(c) => {
                    format!("部署名称只能包含小写字母、数字和连字符（发现“{c}”）")
                }
                NameError::TrailingHyphen => "部署名称不能以连字符结尾".into(),
            },
        }
    }
}

impl DeploymentName {
    pub fn parse(s: &str) -> Result<DeploymentName, NameError> {
        let len = s.chars().count();
        if !(3..=24).contains(&len) {
            return Err(NameError::Length);
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(NameError::Start);
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(NameError::Character(c));
        }
        // Resource names built from it (e.g. "<name>-lb") must not get a double hyphen.
        if s.ends_with('-') {
            return Err(NameError::TrailingHyphen);
        }
        Ok(DeploymentName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        for ok in ["abc", "mqtt-prod-1", "a23", &format!("a{}", "b".repeat(23))] {
            assert!(DeploymentName::parse(ok).is_ok(), "{ok}");
        }
        let cases = [
            ("ab", "name_length"),
            (&*format!("a{}", "b".repeat(24)), "name_length"),
            ("1abc", "name_start"),
            ("-abc", "name_start"),
            ("Abc", "name_start"),
            ("ab_c", "name_character"),
            ("abC", "name_character"),
            ("ab c", "name_character"),
            ("abc-", "name_trailing_hyphen"),
        ];
        for (bad, code) in cases {
            assert_eq!(
                DeploymentName::parse(bad).unwrap_err().code(),
                code,
                "{bad}"
            );
        }
        assert!(!NameError::Character('_').message(Lang::ZhCn).is_ascii());
    }
}
