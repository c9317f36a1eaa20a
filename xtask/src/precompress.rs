//! `cargo xtask precompress [DIR]`: writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip
//! -9) beside each asset of a built console, so the control plane (tower-http's precompressed
//! files), a CDN or any static server sends them without compressing per request. trunk runs it as
//! its post-build hook (Trunk.toml) on the staging directory before that becomes `dist/`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Text and wasm: what compresses. Images and fonts the console might gain are compressed already.
pub const COMPRESSIBLE: [&str; 9] = [
    "wasm", "js", "mjs", "css", "html", "svg", "json", "txt", "map",
];

/// Edited after the build to name the control plane (README): a `.br` beside it would go stale
/// and be served instead of the edit. It is a few dozen bytes anyway.
pub const EDITED_AFTER_BUILD: &str = "config.json";

/// The hook's entry: the directory is the argument, else trunk's staging directory, else `dist/`.
/// Debug builds (`trunk serve`) are not compressed: the dev server sends files as they are, and
/// brotli on an unoptimised wasm would only slow each reload. Inside trunk's hook, the console's
/// wasm is first split into its parts (`split`), debug builds included.
pub fn run(args: &[String]) -> Result<(), String> {
    let profile = std::env::var("TRUNK_PROFILE").ok();
    let dir = args
        .first()
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from))
        .unwrap_or_else(|| crate::tools::root().join("dist"));
    if let Some(profile) = &profile {
        let said = crate::split::run(&dir, profile)?;
        eprintln!("xtask split: {said}");
    }
    if profile.as_deref() == Some("debug") {
        eprintln!("xtask precompress: debug build, skipped");
        return Ok(());
    }
    let written = precompress(&dir)?;
    eprintln!(
        "xtask precompress: {} files in {} (.br and .gz beside each)",
        written.len(),
        dir.display()
    );
    Ok(())
}

/// Compresses every compressible file directly in `dir` (trunk writes no subdirectories) and
/// returns their names. Idempotent: a rerun rewrites the variants, never compresses a variant.
pub fn precompress(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut written = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == EDITED_AFTER_BUILD {
            for variant in ["br", "gz"] {
                let _ = std::fs::remove_file(dir.join(format!("{name}.{variant}")));
            }
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        write(&dir.join(format!("{name}.br")), &brotli(&bytes)?)?;
        write(&dir.join(format!("{name}.gz")), &gzip(&bytes)?)?;
        written.push(name);
    }
    Ok(written)
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).map_err(|e| e.to_string())?;
    Ok(br)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Read;

    use super::precompress;

    #[test]
    fn writes_variants_that_decompress_to_the_original_and_skips_config_json() {
        let dir = tempfile::tempdir().unwrap();
        let wasm: Vec<u8> = (0..20_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm"), &wasm).unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>".repeat(50)).unwrap();
        std::fs::write(dir.path().join("config.json"), r#"{"api_base":""}"#).unwrap();
        // A stale variant from an earlier build would be served instead of the edited file.
        std::fs::write(dir.path().join("config.json.br"), "stale").unwrap();
        std::fs::write(dir.path().join("logo.png"), [0x89, b'P', b'N', b'G']).unwrap();

        let written = precompress(dir.path()).unwrap();
        assert_eq!(written, ["app-0123456789abcdef_bg.wasm", "index.html"]);

        let br = std::fs::read(dir.path().join("app-0123456789abcdef_bg.wasm.br")).unwrap();
        let mut unbr = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut unbr)
            .unwrap();
        assert_eq!(unbr, wasm);
        assert!(br.len() < wasm.len() / 4);
        let gz = std::fs::read(dir.path().join("index.html.gz")).unwrap();
        let mut ungz = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut ungz)
            .unwrap();
        assert_eq!(ungz, "<!doctype html>".repeat(50));
        for absent in ["config.json.br", "config.json.gz", "logo.png.br"] {
            assert!(!dir.path().join(absent).exists(), "{absent}");
        }

        // Again, as when trunk's hook meets an existing directory: no `.br.br`.
        assert_eq!(precompress(dir.path()).unwrap().len(), 2);
        assert!(!dir.path().join("index.html.br.br").exists());
    }
}
