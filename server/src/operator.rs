//! Operator commands on the control plane's own database, for when the console cannot help: an
//! owner who lost the password, or who waits out sign-in throttling after an attack.
//! `byoc-server users reset-password NAME` and `byoc-server users unlock NAME` work while the
//! server runs (SQLite queues another process's write behind the busy timeout) and are audited as
//! the system.

use std::io::BufRead;
use std::path::PathBuf;

use byoc_core::access::validate_password;
use clap::{Args, Subcommand};

use crate::auth::{password, secrets};
use crate::config::Config;
use crate::db::{self, Db};

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Give a user a new password and end every session and API token of theirs. Prints a random
    /// password once, or takes one line from standard input with --password-stdin.
    ResetPassword {
        /// The username.
        name: String,
        /// Read the new password from standard input (one line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Forget the sign-in attempts counted against a user, so that signing in as them needs no
    /// wait.
    Unlock {
        /// The username.
        name: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Where the database is, as for the server; either flag may also come before `users`.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Directory holding the server's database.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Database URL; defaults to `byoc.db` in the data directory.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("there is no database at {0}; pass the server's --data-dir (or --database-url)")]
    NoDatabase(String),
    #[error("there is no user named {0}")]
    NoSuchUser(String),
    #[error("the new password is not acceptable: {0}")]
    Password(String),
    #[error("cannot read the new password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for OperatorError {
    fn from(e: sqlx::Error) -> Self {
        OperatorError::Internal(format!("database error: {e}"))
    }
}

/// Runs a command against the database `config` (with the command's own flags) names, and
/// returns what to print.
pub async fn run(command: UsersCommand, mut config: Config) -> Result<String, OperatorError> {
    let (name, database) = match &command {
        UsersCommand::ResetPassword { name, database, .. }
        | UsersCommand::Unlock { name, database } => (name.clone(), database),
    };
    if let Some(dir) = &database.data_dir {
        config.data_dir = dir.clone();
    }
    if let Some(url) = &database.database_url {
        config.database_url = Some(url.clone());
    }
    let db = open(&config).await?;
    match command {
        UsersCommand::ResetPassword { password_stdin, .. } => {
            let chosen = if password_stdin {
                Some(read_line()?)
            } else {
                None
            };
            let generated = chosen.is_none();
            let password = reset_password(&db, &name, chosen).await?;
            Ok(if generated {
                // Printed, never logged or stored: only its argon2id hash is kept.
                format!(
                    "The password of {name} is now\n\n    {password}\n\nIt is shown only this \
                     once. Every session and API token of {name} has ended."
                )
            } else {
                format!("The password of {name} is changed. Every session and API token of {name} has ended.")
            })
        }
        UsersCommand::Unlock { .. } => {
            let dropped = unlock(&db, &name).await?;
            Ok(format!(
                "Signing in as {name} needs no wait now ({dropped} attempt count(s) forgotten)."
            ))
        }
    }
}

/// The database of an existing control plane; never a new empty one made by a mistyped path.
async fn open(config: &Config) -> Result<Db, OperatorError> {
    if config.database_url.is_none() {
        let file = config.data_dir.join("byoc.db");
        if !file.is_file() {
            return Err(OperatorError::NoDatabase(file.display().to_string()));
        }
    }
    db::connect(&config.database_url())
        .await
        .map_err(|e| OperatorError::Internal(e.to_string()))
}

fn read_line() -> Result<String, OperatorError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(OperatorError::Stdin)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

/// Sets a user's password (`chosen`, or a random one), ends every session and API token of theirs
/// and forgets the sign-in attempts counted against them; returns the password in force.
pub async fn reset_password(
    db: &Db,
    name: &str,
    chosen: Option<String>,
) -> Result<String, OperatorError> {
    let password = match chosen {
        Some(p) => {
            validate_password(&p, name).map_err(|e| OperatorError::Password(e.to_string()))?;
            p
        }
        None => secrets::new_password().map_err(|e| OperatorError::Internal(e.to_string()))?,
    };
    let hash = password::hash(&password).map_err(OperatorError::Internal)?;
    let now = db::now();
    let mut tx = db::write(db).await?;
    let user = db::users::by_username(&mut tx, &name.trim().to_lowercase())
        .await?
        .ok_or_else(|| OperatorError::NoSuchUser(name.to_owned()))?;
    db::users::update(&mut tx, &user.id, None, Some(&hash), &now).await?;
    db::sessions::delete_for_user(&mut tx, &user.id, None).await?;
    let revoked = db::tokens::revoke_for_user(&mut tx, &user.id, &now).await?;
    db::throttle::unlock(&mut tx, name).await?;
    let detail = format!(
        "password reset from the command line (sessions ended, {revoked} API token(s) revoked)"
    );
    db::audit::record(&mut tx, &system("user.update", &user.id, detail), &now).await?;
    tx.commit().await?;
    Ok(password)
}

/// Forgets the sign-in attempts counted against a user; returns how many counts were dropped.
pub async fn unlock(db: &Db, name: &str) -> Result<u64, OperatorError> {
    let now = db::now();
    let mut tx = db::write(db).await?;
    let user = db::users::by_username(&mut tx, &name.trim().to_lowercase())
        .await?
        .ok_or_else(|| OperatorError::NoSuchUser(name.to_owned()))?;
    let dropped = db::throttle::unlock(&mut tx, name).await?;
    let detail = format!("sign-in attempts forgotten from the command line ({dropped})");
    db::audit::record(&mut tx, &system("user.unlock", &user.id, detail), &now).await?;
    tx.commit().await?;
    Ok(dropped)
}

fn system<'a>(action: &'a str, user_id: &'a str, detail: String) -> db::audit::Record<'a> {
    db::audit::Record {
        actor_kind: "system",
        actor_id: None,
        actor_name: "system",
        action,
        target_kind: "user",
        target_id: Some(user_id),
        project_id: None,
        outcome: db::audit::Outcome::Success,
        request_id: "-",
        source: "command line",
        detail,
    }
}
