//! Free text that people and programs send (agent messages and reasons, outputs, versions,
//! descriptions): bounded in length, and free of characters that would hide or rewrite what
//! others are shown later — control characters (a forged line in a log or an audit detail),
//! bidirectional overrides (text that reads differently than it is stored) and invisible
//! formatting. Every free-text field of a request is checked by a rule of core before anything is
//! stored; this is the rule for the fields without a more specific one.

/// Longest free text an agent may send in one field (progress messages, failure reasons,
/// outputs, its version).
pub const MAX_AGENT_TEXT: usize = 1000;

/// Whether `text` holds the NUL character (U+0000). No field of any request has a use for it,
/// and PostgreSQL's text refuses it outright, so the server refuses every request that carries
/// one — in its path, its query or anywhere in its body — before a handler reads it.
pub fn holds_nul(text: &str) -> bool {
    text.contains('\0')
}

/// Whether any string of `value` — every string value and every object key, at any depth —
/// answers `test`.
pub fn any_json_string(value: &serde_json::Value, test: impl Fn(&str) -> bool) -> bool {
    use serde_json::Value;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                if test(s) {
                    return true;
                }
            }
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                for (key, item) in map {
                    if test(key) {
                        return true;
                    }
                    stack.push(item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    false
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("holds control or invisible formatting characters (U+{code:04X})")]
    Character { code: u32 },
}

impl TextError {
    pub fn code(&self) -> &'static str {
        match self {
            TextError::TooLong { .. } => "text_too_long",
            TextError::Character { .. } => "text_invalid_character",
        }
    }

    /// The message for `field`, in English and in Chinese.
    pub fn sentence(&self, field: &str) -> (String, String) {
        match self {
            TextError::TooLong { max } => (
                format!("{field} is at most {max} characters of plain text"),
                format!("{field} 最多 {max} 个字符的纯文本"),
            ),
            TextError::Character { code } => (
                format!(
                    "{field} must be plain text: it holds a control or invisible formatting \
                     character (U+{code:04X})"
                ),
                format!("{field} 须为纯文本：其中含有控制字符或不可见的格式字符（U+{code:04X}）"),
            ),
        }
    }
}

/// The agent's free-text rule, which the server applies to every text field an agent sends:
/// at most [`MAX_AGENT_TEXT`] characters, line breaks allowed, nothing else invisible.
pub fn check_agent_text(value: &str) -> Result<(), TextError> {
    check_plain_text(value, MAX_AGENT_TEXT, true)
}

/// Makes any text pass [`check_agent_text`]: characters it refuses become spaces and a longer
/// text is cut with `…`. The toolkit sends a cloud's error message through this, so a long or
/// odd answer from a cloud still reaches the console instead of being refused.
pub fn agent_text(value: &str) -> String {
    let plain: String = value
        .chars()
        .map(|c| if is_plain_char(c, true) { c } else { ' ' })
        .collect();
    if plain.chars().count() <= MAX_AGENT_TEXT {
        return plain;
    }
    let mut cut: String = plain.chars().take(MAX_AGENT_TEXT - 1).collect();
    cut.push('…');
    cut
}

/// Whether a character may appear in stored text. Line breaks and tabs only where `multiline`.
pub fn is_plain_char(c: char, multiline: bool) -> bool {
    if matches!(c, '\n' | '\t') {
        return multiline;
    }
    !(c.is_control() || is_format_trick(c))
}

/// Bidirectional embeddings, overrides and isolates, zero-width and other invisible formatting
/// characters, and line/paragraph separators.
fn is_format_trick(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// Checks free text: at most `max_chars` characters (not bytes), every one plain
/// ([`is_plain_char`]).
pub fn check_plain_text(value: &str, max_chars: usize, multiline: bool) -> Result<(), TextError> {
    // Counting stops early: a megabyte of text costs no more than the limit.
    if value.chars().nth(max_chars).is_some() {
        return Err(TextError::TooLong { max: max_chars });
    }
    match value.chars().find(|c| !is_plain_char(*c, multiline)) {
        Some(c) => Err(TextError::Character { code: u32::from(c) }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_in_any_string_or_key_at_any_depth() {
        assert!(holds_nul("a\0b"));
        assert!(!holds_nul("a\\0b"));
        let found = |v: serde_json::Value| any_json_string(&v, holds_nul);
        assert!(found(serde_json::json!({"a": [1, {"b": "x\u{0}"}]})));
        assert!(found(serde_json::json!({"k\u{0}": true})));
        assert!(found(serde_json::json!(["\u{0}"])));
        assert!(!found(
            serde_json::json!({"a": ["\\u0000", 0, null, "\u{1}"]})
        ));
    }

    #[test]
    fn plain_text_within_the_limit_passes() {
        assert_eq!(check_plain_text("", 10, false), Ok(()));
        assert_eq!(check_plain_text("Payments 生产", 11, false), Ok(()));
        assert_eq!(check_plain_text("line one\nline\ttwo", 100, true), Ok(()));
        assert_eq!(
            check_plain_text(&"密".repeat(1000), MAX_AGENT_TEXT, false),
            Ok(()),
            "characters, not bytes"
        );
    }

    #[test]
    fn long_text_is_refused_without_counting_all_of_it() {
        let err = check_plain_text(&"x".repeat(1001), 1000, false).unwrap_err();
        assert_eq!(err, TextError::TooLong { max: 1000 });
        assert_eq!(err.code(), "text_too_long");
        assert!(check_plain_text(&"x".repeat(2_000_000), 1000, true).is_err());
        assert_eq!(
            err.sentence("message").0,
            "message is at most 1000 characters of plain text"
        );
    }

    #[test]
    fn control_bidi_and_invisible_characters_are_refused() {
        for bad in [
            "a\u{0}b",
            "a\u{1b}[31mred",
            "a\rb",
            "a\u{7f}",
            "a\u{85}",
            "evil\u{202e}txt.exe",
            "a\u{2066}b",
            "zero\u{200b}width",
            "a\u{feff}",
            "a\u{2028}b",
        ] {
            let err = check_plain_text(bad, 100, true).unwrap_err();
            assert_eq!(err.code(), "text_invalid_character", "{bad:?}");
        }
        assert_eq!(
            check_plain_text("a\nb", 100, false),
            Err(TextError::Character { code: 0x0a })
        );
        let (en, zh) = TextError::Character { code: 0x202e }.sentence("reason");
        assert!(en.contains("U+202E"));
        assert!(!zh.is_ascii());
    }

    #[test]
    fn any_text_is_made_fit_for_the_agent_rule() {
        let long = "x".repeat(MAX_AGENT_TEXT + 50);
        let fitted = agent_text(&long);
        assert_eq!(fitted.chars().count(), MAX_AGENT_TEXT);
        assert!(fitted.ends_with('…'));
        assert!(check_agent_text(&fitted).is_ok());
        let odd = "refused\u{202e}ecnalab\u{7}\nsecond line";
        let fitted = agent_text(odd);
        assert_eq!(fitted, "refused ecnalab \nsecond line");
        assert!(check_agent_text(&fitted).is_ok());
        assert!(check_agent_text(odd).is_err());
        assert_eq!(agent_text("plain"), "plain");
    }
}
