//! The licence on the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::licence::{LicencePayload, LicenceStatus, Usage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LicenceSource {
    /// No licence installed: the built-in default applies.
    Default,
    Installed,
}

/// `GET /api/v1/licence`: the licence in force, where it stands and how much of it is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceView {
    pub source: LicenceSource,
    pub licence: LicencePayload,
    pub status: LicenceStatus,
    pub days_left: i64,
    pub usage: Usage,
    #[serde(serialize_with = "crate::api::time::micros_opt")]
    pub installed_at: Option<DateTime<Utc>>,
    /// Whether the control plane has the vendor's public key, without which nothing can be
    /// installed.
    pub public_key_configured: bool,
    /// Changes with every installation (0 before the first); also the answer's `ETag`. Installing
    /// another licence sends it as `If-Match`, so two owners never replace each other's unseen.
    pub version: i64,
}

/// `PUT /api/v1/licence` as JSON (a plain-text body holding the line is accepted too).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstallLicenceRequest {
    pub licence: String,
}

/// One entry of `GET /api/v1/licence/history`, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceRecord {
    pub licence: LicencePayload,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub installed_at: DateTime<Utc>,
    pub installed_by: String,
    /// When a newer licence replaced it; `None` for the one in force.
    #[serde(serialize_with = "crate::api::time::micros_opt")]
    pub replaced_at: Option<DateTime<Utc>>,
}
