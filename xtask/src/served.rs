//! What a browser downloads from a built console as the control plane serves it: the `.br` the
//! build wrote beside a file when there is one (every browser sends `br` over HTTPS), else the
//! file itself. A first visit to `/` fetches `index.html`, what it names (scripts, wasm, styles),
//! what those scripts import and `config.json`; anything else in `dist/` is loaded later, if at
//! all (the console's parts, the crypto worker).

use std::path::Path;

use crate::precompress::{COMPRESSIBLE, EDITED_AFTER_BUILD};

#[derive(Debug, PartialEq, Eq)]
pub struct Asset {
    pub name: String,
    pub raw: u64,
    /// Bytes on the wire (the body; headers are left out).
    pub served: u64,
    pub brotli: bool,
}

#[derive(Debug, Default)]
pub struct Served {
    pub first_visit: Vec<Asset>,
    pub later: Vec<Asset>,
    /// Compressible files the build wrote no `.br` for (config.json aside).
    pub uncompressed: Vec<String>,
}

impl Served {
    pub fn first_visit_bytes(&self) -> u64 {
        self.first_visit.iter().map(|a| a.served).sum()
    }

    pub fn whole_bytes(&self) -> u64 {
        self.first_visit_bytes() + self.later.iter().map(|a| a.served).sum::<u64>()
    }
}

/// Ceilings a release build of the console may not pass, in bytes as served (brotli), so the
/// console cannot grow unnoticed: the sizes of 2026-12-07 and about 3%. Since the areas became
/// parts fetched on their first visit (web/src/app/parts.rs), a first visit transfers 240.9 kB
/// (556.4 kB before) and all parts 899.9 kB (789.7 kB before: pieces compress worse apart than
/// in one wasm) — raised on purpose, for a first visit less than half as large. The issue's
/// target for all parts (700 kB) is not met. Lower these as the console shrinks; raise them only
/// on purpose, saying why.
pub const FIRST_VISIT_CEILING: u64 = 248_000;
pub const WHOLE_CEILING: u64 = 927_000;

/// Whether a built console keeps within the ceilings and compresses every asset it can.
pub fn within_budget(served: &Served) -> Result<String, String> {
    let (first, whole) = (served.first_visit_bytes(), served.whole_bytes());
    let mut over = Vec::new();
    if first > FIRST_VISIT_CEILING {
        over.push(format!(
            "a first visit to / transfers {first} bytes, over its ceiling of {FIRST_VISIT_CEILING}"
        ));
    }
    if whole > WHOLE_CEILING {
        over.push(format!(
            "all parts transfer {whole} bytes, over their ceiling of {WHOLE_CEILING}"
        ));
    }
    if !served.uncompressed.is_empty() {
        over.push(format!(
            "no .br written for {}",
            served.uncompressed.join(", ")
        ));
    }
    if over.is_empty() {
        Ok(format!(
            "first visit {first} of {FIRST_VISIT_CEILING} bytes, all parts {whole} of {WHOLE_CEILING}"
        ))
    } else {
        Err(format!(
            "the console grew: {} (xtask/src/served.rs says how the ceilings are kept)",
            over.join("; ")
        ))
    }
}

pub fn measure(dist: &Path) -> Result<Served, String> {
    let index = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("cannot read {}/index.html: {e}", dist.display()))?;
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
        .collect();
    names.sort();
    let mut served = Served::default();
    for name in names {
        let size = |n: &str| std::fs::metadata(dist.join(n)).map(|m| m.len()).ok();
        let raw = size(&name).unwrap_or(0);
        let br = size(&format!("{name}.br"));
        let compressible = name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext));
        if br.is_none() && compressible && name != EDITED_AFTER_BUILD {
            served.uncompressed.push(name.clone());
        }
        let asset = Asset {
            served: br.unwrap_or(raw),
            brotli: br.is_some(),
            raw,
            name,
        };
        let fetched_first = asset.name == "index.html"
            || asset.name == EDITED_AFTER_BUILD
            || index.contains(&format!("/{}", asset.name));
        if fetched_first {
            served.first_visit.push(asset);
        } else {
            served.later.push(asset);
        }
    }
    // A script fetched first fetches what it imports statically (the main JS imports the link
    // module of the console's parts); the parts themselves are fetched on demand.
    loop {
        let imported: Vec<usize> = served
            .later
            .iter()
            .enumerate()
            .filter(|(_, later)| {
                served.first_visit.iter().any(|first| {
                    first.name.ends_with(".js")
                        && std::fs::read_to_string(dist.join(&first.name))
                            .is_ok_and(|js| js.contains(&format!("from \"./{}\"", later.name)))
                })
            })
            .map(|(i, _)| i)
            .collect();
        if imported.is_empty() {
            break;
        }
        for i in imported.into_iter().rev() {
            let asset = served.later.remove(i);
            served.first_visit.push(asset);
        }
    }
    served.first_visit.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(served)
}

pub fn print(served: &Served) {
    println!(
        "{:<44} {:>10} {:>10}  encoding",
        "file (first visit to /)", "raw", "served"
    );
    let row = |a: &Asset| {
        println!(
            "{:<44} {:>10} {:>10}  {}",
            a.name,
            a.raw,
            a.served,
            if a.brotli { "br" } else { "identity" }
        );
    };
    served.first_visit.iter().for_each(row);
    if !served.later.is_empty() {
        println!("loaded later, when a page needs it:");
        served.later.iter().for_each(row);
    }
    let kb = |b: u64| b as f64 / 1000.0;
    println!(
        "BENCH console: first visit to / transfers {} bytes ({:.1} kB) as served, brotli, in {} files (target <= 350 kB, goal 250 kB)",
        served.first_visit_bytes(),
        kb(served.first_visit_bytes()),
        served.first_visit.len()
    );
    for later in &served.later {
        println!(
            "BENCH console: {} loaded later: {} bytes ({:.1} kB) as served",
            later.name,
            later.served,
            kb(later.served)
        );
    }
    println!(
        "BENCH console: all parts {} bytes ({:.1} kB) as served (target <= 700 kB); uncompressed assets: {}",
        served.whole_bytes(),
        kb(served.whole_bytes()),
        if served.uncompressed.is_empty() {
            "none".to_owned()
        } else {
            served.uncompressed.join(", ")
        }
    );
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_first_visit_is_index_html_what_it_names_and_config_json() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, len: usize| {
            std::fs::write(dir.path().join(name), vec![b'x'; len]).unwrap();
        };
        std::fs::write(
            dir.path().join("index.html"),
            "<link href=\"/app-01.css\"><script>import '/app-01.js'</script>",
        )
        .unwrap();
        write("index.html.br", 20);
        std::fs::write(
            dir.path().join("app-01.js"),
            format!("import {{ x }} from \"./parts-01.js\";{}", "x".repeat(960)),
        )
        .unwrap();
        write("app-01.js.br", 300);
        // Imported by the main script: fetched first. What it loads on demand is not.
        std::fs::write(
            dir.path().join("parts-01.js"),
            "new URL(\"./part-a-02.wasm\", import.meta.url)",
        )
        .unwrap();
        write("parts-01.js.br", 30);
        write("part-a-02.wasm", 900);
        write("part-a-02.wasm.br", 90);
        write("app-01.js.gz", 400);
        write("app-01.css", 50);
        write("config.json", 19);
        write("worker-02.js", 700);
        write("worker-02.js.br", 200);

        let served = measure(dir.path()).unwrap();
        let first: Vec<_> = served.first_visit.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            first,
            [
                "app-01.css",
                "app-01.js",
                "config.json",
                "index.html",
                "parts-01.js"
            ]
        );
        // The css has no .br: sent as it is, and named as uncompressed.
        assert_eq!(served.first_visit_bytes(), 50 + 300 + 19 + 20 + 30);
        assert_eq!(served.uncompressed, ["app-01.css"]);
        let later: Vec<_> = served.later.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(later, ["part-a-02.wasm", "worker-02.js"]);
        assert_eq!(served.whole_bytes(), 419 + 90 + 200);
    }

    fn asset(name: &str, served: u64) -> Asset {
        Asset {
            name: name.into(),
            raw: served * 3,
            served,
            brotli: true,
        }
    }

    #[test]
    fn a_console_past_either_ceiling_or_with_an_uncompressed_asset_fails_the_budget() {
        let within = Served {
            first_visit: vec![asset("app.wasm", FIRST_VISIT_CEILING)],
            later: vec![asset("worker.wasm", WHOLE_CEILING - FIRST_VISIT_CEILING)],
            uncompressed: Vec::new(),
        };
        assert!(within_budget(&within).is_ok());

        let first_over = Served {
            first_visit: vec![asset("app.wasm", FIRST_VISIT_CEILING + 1)],
            ..Served::default()
        };
        let err = within_budget(&first_over).unwrap_err();
        assert!(err.contains("first visit"), "{err}");

        let whole_over = Served {
            first_visit: vec![asset("app.wasm", 1)],
            later: vec![asset("worker.wasm", WHOLE_CEILING)],
            uncompressed: Vec::new(),
        };
        let err = within_budget(&whole_over).unwrap_err();
        assert!(err.contains("all parts"), "{err}");

        let raw = Served {
            uncompressed: vec!["app.css".into()],
            ..Served::default()
        };
        let err = within_budget(&raw).unwrap_err();
        assert!(err.contains("no .br written for app.css"), "{err}");
    }
}
