//! The licence in force: the installed one (verified again with the vendor key each time it is
//! read, so a swapped key or an edited database cannot smuggle one in) or the built-in default.

use byoc_core::api::LicenceSource;
use byoc_core::licence::{default_licence, verify, LicencePayload};
use chrono::{DateTime, Utc};

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

pub struct InForce {
    pub payload: LicencePayload,
    pub source: LicenceSource,
    pub installed_at: Option<DateTime<Utc>>,
}

/// Reads on the caller's connection: inside a write transaction, taking a second pooled
/// connection would wait on the pool while holding the writers' turn.
pub async fn in_force(
    state: &AppState,
    conn: &mut impl crate::db::Connect,
) -> Result<InForce, AppError> {
    if let (Some(row), Some(key)) = (
        db::licences::current(&mut *conn).await?,
        state.licence_key.as_ref(),
    ) {
        match verify(&row.line, key) {
            Ok(licence) => {
                return Ok(InForce {
                    payload: licence.payload,
                    source: LicenceSource::Installed,
                    installed_at: Some(row.installed_at.time()),
                })
            }
            Err(e) => {
                tracing::warn!(error = %e, "the installed licence no longer verifies; the default licence applies")
            }
        }
    }
    let first = db::settings::first_started(conn).await?;
    let first_start = DateTime::parse_from_rfc3339(&first)
        .map(|t| t.with_timezone(&Utc))
        .map_err(AppError::internal)?;
    Ok(InForce {
        payload: default_licence(first_start),
        source: LicenceSource::Default,
        installed_at: None,
    })
}
