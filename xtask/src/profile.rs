//! `cargo xtask bench profile`: where the console's wasm bytes go, by twiggy (crates.io) on a
//! build that keeps function names: the largest functions and the total per crate. The shipped
//! build strips names, so this builds the same release code with `strip = false` into its own
//! target directory (the shipped build's artifacts stay as they are), then runs wasm-bindgen and
//! wasm-opt as trunk does, with `-g` to keep the names.

use std::collections::HashMap;
use std::path::Path;

use crate::cmd::Cmd;
use crate::tools;

const TWIGGY_VERSION: &str = "0.8.0";

/// The wasm features Debian's binaryen must be told about (as in index.html).
pub const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn run() -> Result<(), String> {
    if Cmd::new("twiggy", &["--version"]).output().is_none() {
        eprintln!("xtask: installing twiggy {TWIGGY_VERSION} (a few minutes, once)");
        Cmd::new(
            "cargo",
            &["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"],
        )
        .run()?;
    }
    let target = tools::target_dir().join("names");
    Cmd::new(
        "cargo",
        &[
            "build",
            "--profile",
            "console",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "byoc-web",
            "--bin",
            "byoc-web",
            "--config",
            "profile.console.strip=false",
        ],
    )
    .env("CARGO_TARGET_DIR", target.as_os_str())
    .run()?;
    let wasm = target.join("wasm32-unknown-unknown/console/byoc-web.wasm");
    let out = target.join("bindgen");
    let path = |p: &Path| p.to_string_lossy().into_owned();
    Cmd::new(
        "wasm-bindgen",
        &["--target", "web", "--out-dir", &path(&out), &path(&wasm)],
    )
    .run()?;
    let opt = out.join("byoc-web.opt.wasm");
    let mut args = vec![
        "-Oz".to_owned(),
        "-g".to_owned(),
        path(&out.join("byoc-web_bg.wasm")),
        "-o".to_owned(),
        path(&opt),
    ];
    args.extend(WASM_OPT_FEATURES.iter().map(|f| (*f).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Cmd::new("wasm-opt", &args).run()?;

    println!("\nLargest functions and data (twiggy top, names kept):");
    let top = Cmd::new("twiggy", &["top", "-n", "25", &path(&opt)])
        .output()
        .ok_or("twiggy top failed")?;
    println!("{top}");
    let csv = Cmd::new("twiggy", &["top", "-f", "csv", &path(&opt)])
        .output()
        .ok_or("twiggy top -f csv failed")?;
    let crates = by_crate(&csv);
    let total: u64 = crates.iter().map(|(_, b)| b).sum();
    println!("By crate (generic code counts where it was instantiated from, roughly):");
    for (name, bytes) in crates.iter().take(20) {
        println!(
            "BENCH wasm by crate: {name:<24} {bytes:>9} bytes {:>5.1}%",
            100.0 * *bytes as f64 / total as f64
        );
    }
    println!("BENCH wasm by crate: total {total} bytes without the name sections");
    Ok(())
}

/// Bytes per crate from twiggy's csv (`Name,ShallowSize,…`), largest first. A function belongs to
/// the first path segment of its name, or of the `Self` type in `<T as Trait>::f`; the standard
/// library's three crates count as one; data segments as `(data)`; names sections are left out.
pub fn by_crate(csv: &str) -> Vec<(String, u64)> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    for line in csv.lines().skip(1) {
        // The name is quoted and may hold commas; the sizes follow the last quote.
        let (name, rest) = match line.strip_prefix('"') {
            Some(quoted) => match quoted.rsplit_once("\",") {
                Some((n, r)) => (n.replace("\"\"", "\""), r),
                None => continue,
            },
            None => match line.split_once(',') {
                Some((n, r)) => (n.to_owned(), r),
                None => continue,
            },
        };
        let Some(bytes) = rest.split(',').next().and_then(|s| s.parse::<u64>().ok()) else {
            continue;
        };
        if name.contains("subsection") {
            continue;
        }
        *totals.entry(crate_of(&name)).or_default() += bytes;
    }
    let mut sorted: Vec<(String, u64)> = totals.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted
}

fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "(data)".to_owned();
    }
    if name.starts_with("import ") {
        return "(imports)".to_owned();
    }
    // wasm-opt's merged functions: `byn$mgfn-shared$tachys::…`.
    let name = name.rsplit('$').next().unwrap_or(name);
    // `<T as tachys::view::IntoAny>::f`: a type parameter says nothing; the trait's crate does.
    let name = match name.split_once(" as ") {
        Some((ty, tr))
            if ty
                .trim_start_matches('<')
                .chars()
                .all(|c| c.is_ascii_uppercase()) =>
        {
            tr
        }
        _ => name,
    };
    let path = name
        .trim_start_matches('<')
        .trim_start_matches('&')
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ");
    let first = path
        .split("::")
        .next()
        .unwrap_or(path)
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default();
    match first {
        "core" | "alloc" | "std" => "std".to_owned(),
        "" => "(other)".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::by_crate;

    #[test]
    fn groups_twiggys_rows_by_crate() {
        let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
            \"\"\"function names\"\" subsection\",900,50.0,,\n\
            \"data segment \"\".rodata\"\"\",40,1.0,,\n\
            tachys::view::build::h1,30,1.0,,\n\
            \"<tachys::html::A as tachys::view::Render>::build::h2\",20,1.0,,\n\
            \"<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::f::h3\",15,1.0,,\n\
            \"<T as tachys::view::any_view::IntoAny>::into_any::h6\",7,1.0,,\n\
            byn$mgfn-shared$serde_json::de::f::h7,8,1.0,,\n\
            core::fmt::write::h4,5,1.0,,\n\
            alloc::vec::Vec::push::h5,6,1.0,,\n";
        assert_eq!(
            by_crate(csv),
            [
                ("tachys".to_owned(), 57),
                ("(data)".to_owned(), 40),
                ("serde_json".to_owned(), 23),
                ("std".to_owned(), 11),
            ]
        );
    }
}
