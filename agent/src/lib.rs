//! The `byoc` bootstrap toolkit. Commands print through a writer so tests read exactly what a
//! user would see. Provisioning commands (`preflight`, `check-tls`, `create`, …) arrive with their
//! issues; each checks its input with `byoc-core`, the same rules the console uses.

pub mod check_tls;
pub mod cloud;
pub mod node_agent;
pub mod operate;
pub mod preflight;

use std::io::Write;

use byoc_core::catalog::{CatalogError, Cloud};
use byoc_core::lang::Lang;

#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot read {}: {source}", path.display())]
    ReadFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} is {size} bytes; certificate and key files are a few KiB (the limit is 1 MiB)",
        path.display()
    )]
    FileTooLarge { path: std::path::PathBuf, size: u64 },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Protocol(#[from] operate::client::ProtocolError),
}

/// `byoc regions --platform P`: the regions a platform offers, one per line (code, name).
pub fn print_regions(out: &mut impl Write, platform: &str, lang: Lang) -> Result<(), ToolError> {
    let cloud: Cloud = platform.parse()?;
    writeln!(out, "{:<18} NAME", "REGION")?;
    for r in cloud.regions() {
        writeln!(out, "{:<18} {}", r.code, r.name.get(lang))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_platforms_regions_in_the_chosen_language() {
        let mut out = Vec::new();
        print_regions(&mut out, "aws-cn", Lang::ZhCn).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("cn-northwest-1"));
        assert!(text.contains("中国（宁夏）"));
    }

    #[test]
    fn unknown_platform_names_the_valid_ones() {
        let err = print_regions(&mut Vec::new(), "azure", Lang::En).unwrap_err();
        assert!(
            err.to_string().contains("aliyun, aws-cn, aws, gcp"),
            "{err}"
        );
    }
}
