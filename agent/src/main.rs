//! `byoc`: the bootstrap toolkit.

use std::process::ExitCode;

use byoc_core::lang::Lang;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "byoc",
    version,
    about = "BYOC bootstrap toolkit: prepares and reports a deployment in your own cloud"
)]
struct Cli {
    /// Output language: en or zh-CN.
    #[arg(long, global = true, env = "BYOC_LANG", default_value = "en")]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the regions a platform offers.
    Regions {
        /// aliyun, aws-cn, aws or gcp.
        #[arg(long)]
        platform: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from_tag(&cli.lang);
    let result = match cli.command {
        Command::Regions { platform } => {
            byoc_agent::print_regions(&mut std::io::stdout().lock(), &platform, lang)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
