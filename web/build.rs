//! With the `split` feature, the console's own wasm (the `byoc-web` binary, not the crypto worker
//! or the tests) is linked with `--emit-relocs`: the splitter in trunk's post-build hook (`cargo
//! xtask precompress`) needs the linker's relocations to move each area's code into its own part
//! (src/app/parts.rs). Its output carries none of them; the worker, which is not split, would ship
//! them (its wasm grew threefold), so it is not linked so.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f.contains("wasm"));
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bin=byoc-web=--emit-relocs");
    }
}
