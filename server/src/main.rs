//! `byoc-server`: runs the control plane; `byoc-server licence …` is the vendor's licence tooling,
//! `byoc-server users …` the operator's (reset a password, unlock a user).

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use byoc_server::config::{Config, LogFormat};
use byoc_server::operator::UsersCommand;
use byoc_server::vendor::LicenceCommand;

#[derive(Debug, Parser)]
#[command(name = "byoc-server", version, about = "BYOC Console control plane")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Vendor tooling: create signing keys and issue licences.
    #[command(subcommand)]
    Licence(LicenceCommand),
    /// Operator tooling on this control plane's database: reset a password, unlock a user.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Licence(command)) => return report(byoc_server::vendor::run(command)),
        Some(Command::Users(command)) => {
            return report(byoc_server::operator::run(command, cli.config).await)
        }
        None => {}
    }
    init_logging(cli.config.log_format);
    match byoc_server::serve(cli.config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "cannot run the control plane");
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Prints a tool's outcome and turns it into the exit status.
fn report<E: std::fmt::Display>(outcome: Result<String, E>) -> std::process::ExitCode {
    match outcome {
        Ok(out) => {
            println!("{out}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("BYOC_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
