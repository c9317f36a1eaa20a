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
    /// Check that this machine can bootstrap a deployment: Ubuntu 20.04 LTS AMD64, at least
    /// 1 GiB of memory, outbound HTTPS to the control plane. Exits non-zero if any check fails.
    Preflight {
        /// The control plane's address, e.g. https://console.example.com.
        #[arg(long, env = "BYOC_ENDPOINT")]
        endpoint: Option<String>,
        /// The TLS certificate file (with its chain) copied to this machine.
        #[arg(long)]
        cert: Option<std::path::PathBuf>,
        /// The TLS private key file copied to this machine.
        #[arg(long)]
        cert_key: Option<std::path::PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a TLS certificate file and its private key against the domain, as the console
    /// does (SPEC §5): chain order and signatures, CA-signed, RSA key, validity (more than 30
    /// days left), domain match, unencrypted PKCS#1/PKCS#8 key that matches. Exits non-zero
    /// if any check fails. Nothing is sent anywhere.
    CheckTls {
        /// The domain clients connect to, e.g. mqtt.example.com.
        #[arg(long)]
        domain: String,
        /// The certificate file (PEM): server certificate, then the chain; it may also hold the
        /// private key.
        #[arg(long)]
        cert: std::path::PathBuf,
        /// The private key file (PEM), when it is not in the certificate file.
        #[arg(long)]
        key: Option<std::path::PathBuf>,
        /// Print the report as JSON (messages in both languages).
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from_tag(&cli.lang);
    let mut out = std::io::stdout().lock();
    // Ok(false): the command ran and found problems (e.g. a failed preflight check).
    let result = match cli.command {
        Command::Regions { platform } => {
            byoc_agent::print_regions(&mut out, &platform, lang).map(|()| true)
        }
        Command::Preflight {
            endpoint,
            cert,
            cert_key,
            json,
        } => {
            let tls = byoc_agent::preflight::TlsPaths {
                cert,
                key: cert_key,
            };
            byoc_agent::preflight::run(&mut out, endpoint.as_deref(), &tls, json)
        }
        Command::CheckTls {
            domain,
            cert,
            key,
            json,
        } => {
            let args = byoc_agent::check_tls::CheckTlsArgs {
                domain,
                cert,
                key,
                json,
                lang,
            };
            // The toolkit is the I/O edge: the clock is read here and handed to core.
            byoc_agent::check_tls::run(&mut out, &args, chrono::Utc::now())
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
