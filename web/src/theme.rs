//! Light and dark themes. The palette lives in `styles/tokens.css`; this only chooses which set of
//! tokens applies, through `data-theme` on `<html>`, and remembers the choice.

use leptos::prelude::*;

use crate::i18n::Msg;

const STORAGE_KEY: &str = "byoc.theme";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the operating system (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_key(key: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|t| t.key() == key)
            .unwrap_or_default()
    }

    pub fn label(self) -> Msg {
        match self {
            Theme::System => Msg::ThemeSystem,
            Theme::Light => Msg::ThemeLight,
            Theme::Dark => Msg::ThemeDark,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ThemeState {
    pub theme: RwSignal<Theme>,
}

impl ThemeState {
    pub fn from_browser() -> Self {
        let theme = crate::browser::storage_get(STORAGE_KEY)
            .map(|k| Theme::from_key(&k))
            .unwrap_or_default();
        apply(theme);
        ThemeState {
            theme: RwSignal::new(theme),
        }
    }

    pub fn set(&self, theme: Theme) {
        self.theme.set(theme);
        crate::browser::storage_set(STORAGE_KEY, theme.key());
        apply(theme);
    }
}

fn apply(theme: Theme) {
    let value = match theme {
        Theme::System => None,
        other => Some(other.key()),
    };
    crate::browser::set_root_attribute("data-theme", value);
}
