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

    /// The language an `Accept-Language` header asks for (RFC 9110 §12.5.4): a comma-separated
    /// list of language ranges, each with an optional `;q=` weight (1 when absent, 0 meaning "not
    /// acceptable"), matched case-insensitively. The supported language with the highest weight
    /// wins, the one named first on a tie. `zh`, `zh-CN` and `zh-Hans…` name Chinese (not
    /// `zh-TW` or `zh-Hant`, which are not what we wrote), `en…` English, and `*` any language
    /// no other range names. Nothing acceptable, or a header that cannot be read, means English.
    pub fn from_accept_language(header: &str) -> Lang {
        // Per language: (how many subtags the deciding range spells out, weight, position).
        // The most specific range naming a language decides its weight (RFC 4647 §3.3.1).
        let mut named: [Option<(usize, u16, usize)>; 2] = [None; 2];
        let mut any: Option<(u16, usize)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts.try_fold(1000, |weight, param| match param.split_once('=') {
                Some((k, v)) if k.trim().eq_ignore_ascii_case("q") => quality(v.trim()),
                _ => Some(weight),
            });
            let Some(weight) = weight else { continue };
            if range == "*" {
                any = any.or(Some((weight, position)));
                continue;
            }
            let Some(lang) = Lang::named_by(&range) else {
                continue;
            };
            let specificity = range.split('-').count();
            let slot = &mut named[lang as usize];
            match slot {
                Some((s, ..)) if *s >= specificity => {}
                _ => *slot = Some((specificity, weight, position)),
            }
        }
        let mut chosen: Option<(Lang, u16, usize)> = None;
        for lang in Lang::ALL {
            let (weight, position) = match (named[lang as usize], any) {
                (Some((_, w, p)), _) | (None, Some((w, p))) => (w, p),
                (None, None) => continue,
            };
            let better = match chosen {
                None => true,
                Some((_, w, p)) => weight > w || (weight == w && position < p),
            };
            if weight > 0 && better {
                chosen = Some((lang, weight, position));
            }
        }
        chosen.map_or(Lang::En, |(lang, ..)| lang)
    }

    /// The supported language a (lower-case) language range names, if any.
    fn named_by(range: &str) -> Option<Lang> {
        let mut subtags = range.split('-');
        match (subtags.next(), subtags.next()) {
            (Some("en"), _) => Some(Lang::En),
            (Some("zh"), None | Some("cn" | "hans")) => Some(Lang::ZhCn),
            _ => None,
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

/// A weight (`qvalue`, RFC 9110 §12.4.2: `0` to `1` with at most three decimals) in thousandths.
fn quality(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{frac:0<3}").parse::<u16>().ok()?;
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
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

    fn accept(header: &str) -> Lang {
        Lang::from_accept_language(header)
    }

    #[test]
    fn accept_language_names_chinese_in_its_simplified_forms() {
        for header in [
            "zh",
            "zh-CN",
            "zh-cn",
            "ZH-CN",
            "zh-Hans",
            "zh-Hans-CN",
            " zh-CN ; q=1 ",
        ] {
            assert_eq!(accept(header), Lang::ZhCn, "{header}");
        }
    }

    #[test]
    fn accept_language_names_english_in_any_region() {
        for header in ["en", "en-US", "EN-gb", "en-US,en;q=0.9"] {
            assert_eq!(accept(header), Lang::En, "{header}");
        }
    }

    #[test]
    fn accept_language_takes_the_highest_weight() {
        assert_eq!(accept("en;q=0.5, zh-CN;q=0.8"), Lang::ZhCn);
        assert_eq!(accept("zh-CN;q=0.5, en;q=0.8"), Lang::En);
        assert_eq!(accept("de, zh;q=0.3, en;q=0.2"), Lang::ZhCn);
        assert_eq!(
            accept("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
            Lang::En
        );
    }

    #[test]
    fn accept_language_prefers_the_first_on_a_tie() {
        assert_eq!(accept("zh-CN, en"), Lang::ZhCn);
        assert_eq!(accept("en, zh-CN"), Lang::En);
        assert_eq!(accept("zh;q=0.7, en;q=0.7"), Lang::ZhCn);
    }

    #[test]
    fn accept_language_zero_weight_means_not_acceptable() {
        assert_eq!(accept("zh;q=0, en"), Lang::En);
        assert_eq!(accept("zh-CN;q=0"), Lang::En);
        assert_eq!(accept("en;q=0, zh;q=0.1"), Lang::ZhCn);
        assert_eq!(accept("*, en;q=0"), Lang::ZhCn);
        assert_eq!(
            accept("zh, zh-CN;q=0"),
            Lang::En,
            "the more specific range decides"
        );
    }

    #[test]
    fn accept_language_star_stands_for_every_language_not_named() {
        assert_eq!(accept("*"), Lang::En);
        assert_eq!(accept("de, *;q=0.5"), Lang::En);
        assert_eq!(accept("en;q=0.1, *;q=0.5"), Lang::ZhCn);
    }

    #[test]
    fn accept_language_without_a_supported_language_is_english() {
        for header in [
            "",
            "de",
            "fr-FR, de;q=0.9",
            "zh-TW",
            "zh-Hant",
            "*;q=0",
            ",,;",
            "zh;q=2",
            "zh;q=0.1234",
            "zh;q=abc",
        ] {
            assert_eq!(accept(header), Lang::En, "{header}");
        }
    }

    #[test]
    fn accept_language_skips_unreadable_ranges_only() {
        assert_eq!(accept("en;q=x, zh-CN;q=0.5"), Lang::ZhCn);
        assert_eq!(accept("zh-CN;level=1;q=0.9, en;q=0.8"), Lang::ZhCn);
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
