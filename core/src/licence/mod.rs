//! Licences (SPEC §4): the signed licence file, its status at a given time, usage against live
//! deployments, and the capacity a new deployment must fit. Verification runs in the browser
//! (before upload) and on the server (before installing) with this same code.

mod format;
mod install;
mod keys;
mod status;
mod usage;

pub use format::{issue, verify, Licence, LicenceError, LicencePayload, LicenceType, PREFIX};
pub use install::{installable, InstallRefusal};
pub use keys::{
    parse_public_key_pem, parse_signing_key_pem, public_key_pem, signing_key_pem, KeyError,
};
pub use status::{
    default_licence, LicenceStatus, DEFAULT_DAYS, DEFAULT_MAX_SESSIONS, EXPIRING_SOON_DAYS,
};
pub use usage::{check_capacity, CapacityError, DeploymentUse, Usage, UsageLine, WARN_PERCENT};

/// Re-exported so callers need not depend on the signature crate themselves.
pub use ed25519_dalek::{SigningKey, VerifyingKey};
