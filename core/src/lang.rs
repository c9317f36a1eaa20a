//! The two languages every user-facing string exists in. Rules name things in both, so the
//! console and the toolkit never translate a cloud or region name on their own.

use serde::{Deserialize, Serialize};

/// A supported language, identified by its BCP 47 tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag, as used in `<html lang>` and stored preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Reads a tag leniently (`zh`, `zh-cn`, `zh-Hans-CN` are all Chinese), so a browser's
    /// `navigator.language` maps onto what we support; anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The language's name written in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }
}

/// A name given in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Name {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Name {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhCn => self.zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_tags_in_any_form_select_chinese() {
        for tag in ["zh", "zh-CN", "zh-cn", "zh-Hans-CN", " ZH "] {
            assert_eq!(Lang::from_tag(tag), Lang::ZhCn, "{tag}");
        }
    }

    #[test]
    fn other_tags_fall_back_to_english() {
        for tag in ["en", "en-US", "de", "", "x"] {
            assert_eq!(Lang::from_tag(tag), Lang::En, "{tag}");
        }
    }

    #[test]
    fn tag_round_trips() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), lang);
        }
    }

    #[test]
    fn name_picks_the_language() {
        let n = Name {
            en: "Beijing",
            zh: "北京",
        };
        assert_eq!(n.get(Lang::En), "Beijing");
        assert_eq!(n.get(Lang::ZhCn), "北京");
    }
}
