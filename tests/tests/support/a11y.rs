//! Accessibility checks for end-to-end tests: axe-core injected into the page and run against
//! WCAG 2.1 A and AA, the two themes and languages the console offers, sideways scrolling at a
//! phone's width, the contrast of a given element and where keyboard focus is.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use serde_json::Value;

use super::Harness;

/// The tags axe runs: WCAG 2.0 and 2.1, levels A and AA.
pub const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// A phone's width in CSS pixels (issue 19: nothing may scroll sideways at 360 px).
pub const PHONE_WIDTH: u32 = 360;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
}

/// The four ways the console can look: each theme in each language.
pub const LOOKS: [(Theme, Lang); 4] = [
    (Theme::Light, Lang::En),
    (Theme::Dark, Lang::En),
    (Theme::Light, Lang::ZhCn),
    (Theme::Dark, Lang::ZhCn),
];

impl Theme {
    /// The value the console keeps in `localStorage` (`web/src/theme.rs`).
    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

impl Lang {
    /// The tag the console keeps in `localStorage` (`core::lang`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

/// axe-core's `axe.min.js`, from `BYOC_AXE_JS` (`cargo xtask test e2e` installs it from npm).
pub fn axe_source() -> String {
    let path = std::env::var_os("BYOC_AXE_JS").unwrap_or_else(|| {
        panic!(
            "BYOC_AXE_JS is not set: it names axe-core's axe.min.js, which `cargo xtask test e2e` \
             installs from npm (~/.cache/byoc/axe-core-<version>/node_modules/axe-core/axe.min.js)"
        )
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "BYOC_AXE_JS={}: cannot read axe-core: {e}",
            std::path::Path::new(&path).display()
        )
    })
}

/// Chooses the theme and language the way the console remembers them, for the next page load.
pub async fn choose_look(h: &Harness, theme: Theme, lang: Lang) {
    h.browser
        .execute(
            "localStorage.setItem('byoc.theme', arguments[0]);
             localStorage.setItem('byoc.lang', arguments[1]);",
            vec![theme.key().into(), lang.tag().into()],
        )
        .await
        .unwrap();
}

/// Waits until the console shows `theme` and `lang` on `<html>` and nothing is loading any more.
pub async fn settle(h: &Harness, theme: Theme, lang: Lang) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state = h
            .browser
            .execute(
                "return [document.documentElement.getAttribute('data-theme'),
                         document.documentElement.lang,
                         document.querySelectorAll('.bc-loading').length];",
                vec![],
            )
            .await
            .unwrap();
        if state[0] == theme.key() && state[1] == lang.tag() && state[2] == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the page never settled in {theme:?}/{lang:?}: {state}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One axe violation as a person reads it: the rule, how bad, the help and each offending node.
fn describe(violation: &Value) -> String {
    let mut out = format!(
        "  {} ({}): {}\n    {}\n",
        violation["id"].as_str().unwrap_or("?"),
        violation["impact"].as_str().unwrap_or("?"),
        violation["help"].as_str().unwrap_or("?"),
        violation["helpUrl"].as_str().unwrap_or(""),
    );
    for node in violation["nodes"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "    - {}\n      {}\n",
            node["target"],
            node["summary"]
                .as_str()
                .unwrap_or("")
                .replace('\n', "\n      ")
        ));
    }
    out
}

/// Runs axe (WCAG 2.1 A and AA) over the current page and answers the violations, described;
/// empty when there are none. `axe` is the source from [`axe_source`], injected when missing.
pub async fn axe_violations(h: &Harness, axe: &str) -> Vec<String> {
    let present = h
        .browser
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .unwrap();
    if present != Value::Bool(true) {
        // WebDriver's scripts are not subject to the page's Content-Security-Policy, so axe is
        // evaluated here rather than added as a <script> the policy would refuse.
        h.browser
            .execute(&format!("{axe}\n;return true;"), vec![])
            .await
            .unwrap();
    }
    let script = r#"
        const [tags, done] = arguments;
        axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
            .then(r => done(r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({ target: n.target, summary: n.failureSummary })),
            }))), e => done({ error: String(e) }));
    "#;
    let result = h
        .browser
        .execute_async(script, vec![serde_json::json!(WCAG_TAGS)])
        .await
        .unwrap();
    if let Some(error) = result.get("error") {
        panic!("axe failed: {error}");
    }
    result
        .as_array()
        .expect("axe answers a list")
        .iter()
        .map(describe)
        .collect()
}

/// The document's width and the viewport's, in CSS pixels: the page scrolls sideways when the
/// first is larger.
pub async fn widths(h: &Harness) -> (u64, u64) {
    let w = h
        .browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    (w[0].as_u64().unwrap(), w[1].as_u64().unwrap())
}

/// The elements reaching past the viewport's right edge, innermost first (at most five), to say
/// what makes a page too wide.
pub async fn overflowing(h: &Harness) -> Vec<String> {
    let script = r#"
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > window.innerWidth + 0.5 && r.width > 0
                && ![...el.children].some(c => c.getBoundingClientRect().right >= r.right)) {
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                    + ' right=' + Math.round(r.right));
            }
        }
        return out.slice(0, 5);
    "#;
    let found = h.browser.execute(script, vec![]).await.unwrap();
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or("?").to_owned())
        .collect()
}

/// Makes the viewport `width` CSS pixels wide (headless Chromium's window is all viewport) and
/// checks it is.
pub async fn set_width(h: &Harness, width: u32) {
    h.browser.set_window_size(width, 800).await.unwrap();
    let (_, inner) = widths(h).await;
    assert_eq!(
        inner,
        u64::from(width),
        "the viewport is {inner} px wide, not {width}"
    );
}

/// The contrast ratio of `css`'s text on its background (both from computed style; the
/// background is the first non-transparent one up the tree), as WCAG computes it.
pub async fn contrast(h: &Harness, css: &str) -> f64 {
    let script = r#"
        const el = document.querySelector(arguments[0]);
        if (!el) return null;
        const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
        let bg = null;
        for (let e = el; e && !bg; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) bg = c;
        }
        bg = bg || [255, 255, 255, 1];
        const fg = parse(getComputedStyle(el).color);
        const lum = ([r, g, b]) => {
            const ch = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
        };
        const [a, b] = [lum(fg), lum(bg)];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    "#;
    let ratio = h.browser.execute(script, vec![css.into()]).await.unwrap();
    ratio
        .as_f64()
        .unwrap_or_else(|| panic!("no `{css}` to measure: {ratio}"))
}

/// What has keyboard focus: a short description (tag, id, test id, text) and whether the focus
/// is shown (an outline or a box shadow, from computed style).
pub async fn focused(h: &Harness) -> (String, bool) {
    let script = r#"
        const el = document.activeElement;
        if (!el || el === document.body) return ['body', false];
        const ring = e => {
            const s = getComputedStyle(e);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
        };
        // A visually hidden radio shows its focus on the card around it.
        const hidden = parseFloat(getComputedStyle(el).opacity) === 0;
        const card = hidden ? el.closest('.bc-choice') : el;
        const shown = el.matches(':focus-visible') && !!card && ring(card);
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '')
            + ' ' + JSON.stringify((el.innerText || el.value || '').slice(0, 40));
        return [name, !!shown];
    "#;
    let answer = h.browser.execute(script, vec![]).await.unwrap();
    (
        answer[0].as_str().unwrap_or("?").to_owned(),
        answer[1].as_bool().unwrap_or(false),
    )
}

/// WebDriver's key codes for the keys the keyboard walks use.
pub const TAB: char = '\u{e004}';
pub const ENTER: char = '\u{e007}';
pub const SHIFT: char = '\u{e008}';
pub const ESCAPE: char = '\u{e00c}';
pub const SPACE: char = '\u{e00d}';
pub const ARROW_LEFT: char = '\u{e012}';
pub const ARROW_UP: char = '\u{e013}';
pub const ARROW_RIGHT: char = '\u{e014}';
pub const ARROW_DOWN: char = '\u{e015}';

/// Presses `chord` (e.g. `[SHIFT, TAB]`) on whatever has focus, as a keyboard does: each key
/// down in order, then up in reverse.
pub async fn press(h: &Harness, chord: &[char]) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".to_owned());
    for key in chord {
        actions = actions.then(KeyAction::Down { value: *key });
    }
    for key in chord.iter().rev() {
        actions = actions.then(KeyAction::Up { value: *key });
    }
    h.browser.perform_actions(actions).await.unwrap();
}

/// Whether what has focus matches `css`.
pub async fn focus_matches(h: &Harness, css: &str) -> bool {
    h.browser
        .execute(
            "const el = document.activeElement; return !!el && el.matches(arguments[0]);",
            vec![css.into()],
        )
        .await
        .unwrap()
        == Value::Bool(true)
}

/// Presses Tab (Shift+Tab when `backwards`) until `css` has focus, checking at every stop that
/// the focus can be seen; fails after 60 presses, listing the stops.
pub async fn tab_to(h: &Harness, css: &str, backwards: bool) {
    let chord: &[char] = if backwards { &[SHIFT, TAB] } else { &[TAB] };
    let mut stops = Vec::new();
    for _ in 0..60 {
        press(h, chord).await;
        let (name, shown) = focused(h).await;
        assert!(
            shown || name == "body",
            "focus on {name} is not visible (stops so far: {stops:?})"
        );
        stops.push(name);
        if focus_matches(h, css).await {
            return;
        }
    }
    panic!("Tab never reached `{css}`; stops: {stops:?}");
}

/// Types `text` into whatever has focus, key by key; `replace` first selects what is there
/// (Ctrl+A), so the typing replaces it.
pub async fn type_keys(h: &Harness, text: &str, replace: bool) {
    let element = h.browser.active_element().await.unwrap();
    if replace {
        element.send_keys("\u{e009}a\u{e000}").await.unwrap();
    }
    element.send_keys(text).await.unwrap();
}

/// Waits until focus is on `css` (it moves after a render, which takes a moment).
pub async fn wait_for_focus(h: &Harness, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !focus_matches(h, css).await {
        let (name, _) = focused(h).await;
        assert!(
            Instant::now() < deadline,
            "focus never came to `{css}`; it is on {name}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
