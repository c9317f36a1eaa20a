//! Splits the console's wasm into the parts `web/src/app/parts.rs` declares, inside trunk's
//! post-build hook (before `precompress`). trunk cannot run the splitter itself
//! (trunk-rs/trunk#1022), so the hook redoes, on the split output, the two steps trunk did on the
//! whole wasm: wasm-bindgen and wasm-opt, and then the integrity hashes `index.html` names.
//!
//! What it reads: cargo's wasm before wasm-bindgen (`<target>/wasm32-unknown-unknown/<profile>/
//! byoc-web.wasm`), linked with `--emit-relocs` (`web/build.rs`) so the splitter can move
//! code. What it writes into the staging directory: the main `byoc-web-<h>.js` and `_bg.wasm` in
//! place of trunk's, the link module `byoc-web-parts-<h>.js` the main wasm imports, and each part
//! as `<part>-<hash of its bytes>.wasm`, so every name changes with its content and the control
//! plane may cache them for a year.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::Digest as _;

use crate::cmd::Cmd;
use crate::precompress::write;
use crate::profile::WASM_OPT_FEATURES;
use crate::tools;

/// What `#[wasm_split]` leaves in the main JS when parts were declared (the splitter replaces it).
const PLACEHOLDER: &str = "__wasm_split_placeholder__";
const CRATE: &str = "byoc-web";

/// Splits the console staged in `stage` by trunk for `trunk_profile` ("release" or "debug"), when
/// it was built with parts; says what it did.
pub fn run(stage: &Path, trunk_profile: &str) -> Result<String, String> {
    let Some(hash) = main_hash(stage)? else {
        return Ok("no parts declared, nothing to split".to_owned());
    };
    let main_js = stage.join(format!("{CRATE}-{hash}.js"));
    let js = read_text(&main_js)?;
    if !js.contains(PLACEHOLDER) {
        return Ok("no parts declared, nothing to split".to_owned());
    }
    let release = trunk_profile == "release";
    // index.html builds the release console with the `console` cargo profile.
    let cargo_profile = if release { "console" } else { "debug" };
    let raw = tools::target_dir()
        .join("wasm32-unknown-unknown")
        .join(cargo_profile)
        .join(format!("{CRATE}.wasm"));
    let input = std::fs::read(&raw).map_err(|e| format!("cannot read {}: {e}", raw.display()))?;

    let work = tools::target_dir().join("split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let main_wasm = work.join("main.wasm");
    let link_name = format!("./{CRATE}-parts-{hash}.js");
    let main_module = format!("./{CRATE}-{hash}.js");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = stage;
    options.main_out_path = &main_wasm;
    options.link_name = &link_name;
    options.main_module = &main_module;
    let split = wasm_split_cli_support::transform(options).map_err(|e| {
        format!(
            "splitting {} failed: {e:#} (it must be linked with --emit-relocs, as \
             web/build.rs does with the split feature)",
            raw.display()
        )
    })?;

    // wasm-bindgen on the split main wasm, as trunk ran it on the whole one; the parts are plain
    // wasm the link module instantiates with the main module's exports.
    let out = work.join("bindgen");
    let path = |p: &Path| p.to_string_lossy().into_owned();
    Cmd::new(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            // The parts call into the main wasm through exports the linker made.
            "--keep-lld-exports",
            "--out-dir",
            &path(&out),
            "--out-name",
            &format!("{CRATE}-{hash}"),
            &path(&main_wasm),
        ],
    )
    .run()?;
    let bg = format!("{CRATE}-{hash}_bg.wasm");
    copy(&out.join(format!("{CRATE}-{hash}.js")), &main_js)?;
    copy(&out.join(&bg), &stage.join(&bg))?;
    if out.join("snippets").exists() {
        return Err("wasm-bindgen wrote snippets; the split build does not copy them yet".into());
    }

    let mut parts = Vec::new();
    for part in &split.split_modules {
        if release {
            wasm_opt(part)?;
        }
        parts.push(name_by_content(part)?);
    }
    if release {
        wasm_opt(&stage.join(&bg))?;
    }
    let link = stage.join(&link_name);
    let mut link_js = read_text(&link)?;
    for (old, new) in &parts {
        let quoted = format!("\"./{old}\"");
        if !link_js.contains(&quoted) {
            return Err(format!("the link module does not load {old} as expected"));
        }
        link_js = link_js.replace(&quoted, &format!("\"./{new}\""));
    }
    write(&link, link_js.as_bytes())?;

    // trunk's index.html pins the main JS and wasm it wrote by hash (subresource integrity).
    let index = stage.join("index.html");
    let mut html = read_text(&index)?;
    for file in [format!("{CRATE}-{hash}.js"), bg] {
        let path = stage.join(&file);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        html = reintegrate(&html, &file, &bytes)?;
    }
    write(&index, html.as_bytes())?;
    Ok(format!(
        "{} parts: {}",
        parts.len(),
        parts
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// trunk's hash in the main JS's name (`byoc-web-<h>.js`), if the stage has one.
fn main_hash(stage: &Path) -> Result<Option<String>, String> {
    let entries =
        std::fs::read_dir(stage).map_err(|e| format!("cannot read {}: {e}", stage.display()))?;
    let prefix = format!("{CRATE}-");
    Ok(entries.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let hash = name.strip_prefix(&prefix)?.strip_suffix(".js")?;
        hash.bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| hash.to_owned())
    }))
}

/// Renames `part` to `<stem>-<16 hex digits of its SHA-256>.wasm`; returns (old, new) names.
fn name_by_content(part: &Path) -> Result<(String, String), String> {
    let bytes = std::fs::read(part).map_err(|e| format!("cannot read {}: {e}", part.display()))?;
    let digest = sha2::Sha256::digest(&bytes);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let stem = part.file_stem().unwrap_or_default().to_string_lossy();
    let old = format!("{stem}.wasm");
    let new = format!("{}-{hex}.wasm", stem.replace('_', "-"));
    let renamed: PathBuf = part.with_file_name(&new);
    std::fs::rename(part, &renamed)
        .map_err(|e| format!("cannot rename {}: {e}", part.display()))?;
    Ok((old, new))
}

/// Replaces the `integrity` trunk gave `file` in `html` with the hash of its new `bytes`.
pub fn reintegrate(html: &str, file: &str, bytes: &[u8]) -> Result<String, String> {
    let at = html
        .find(&format!("href=\"/{file}\""))
        .ok_or_else(|| format!("index.html does not name {file}"))?;
    let tag_end = html[at..].find('>').map_or(html.len(), |i| at + i);
    let key = "integrity=\"";
    let Some(start) = html[at..tag_end].find(key).map(|i| at + i + key.len()) else {
        return Ok(html.to_owned());
    };
    let end = html[start..]
        .find('"')
        .map(|i| start + i)
        .ok_or("index.html has an unterminated integrity attribute")?;
    let sri = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    );
    Ok(format!("{}{sri}{}", &html[..start], &html[end..]))
}

fn wasm_opt(file: &Path) -> Result<(), String> {
    let path = file.to_string_lossy().into_owned();
    let mut args = vec!["-Oz", &path, "-o", &path];
    args.extend(WASM_OPT_FEATURES);
    Cmd::new("wasm-opt", &args).run()
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::reintegrate;

    #[test]
    fn replaces_only_the_named_files_integrity() {
        let html = r#"<link rel="modulepreload" href="/a-01.js" integrity="sha384-OLD"><link rel="preload" href="/a-01_bg.wasm" integrity="sha384-KEEP">"#;
        let out = reintegrate(html, "a-01.js", b"abc").unwrap();
        // sha384("abc"), base64.
        assert!(out.contains(r#"href="/a-01.js" integrity="sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn""#), "{out}");
        assert!(out.contains("sha384-KEEP"));
        assert!(reintegrate(html, "b.js", b"").is_err());
    }
}
