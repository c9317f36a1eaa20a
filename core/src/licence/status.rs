//! Where a licence stands at a given time, and the built-in default licence.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::format::{LicencePayload, LicenceType};

/// A licence with this many days or fewer left is "expiring soon".
pub const EXPIRING_SOON_DAYS: i64 = 60;
pub const DEFAULT_MAX_SESSIONS: u64 = 25;
pub const DEFAULT_DAYS: i64 = 14;
/// The default licence's other limits: enough for the smallest deployment on any cloud (tier 1 is
/// two nodes of at most 4 vCPU).
const DEFAULT_MAX_TPS: u64 = 250;
const DEFAULT_CORE_SIZE: u32 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Valid,
    ExpiringSoon,
    Expired,
    NotYetValid,
}

impl LicencePayload {
    /// Valid from `valid_from` (inclusive) until `valid_until` (exclusive).
    pub fn status(&self, now: DateTime<Utc>) -> LicenceStatus {
        if now < self.valid_from {
            LicenceStatus::NotYetValid
        } else if now >= self.valid_until {
            LicenceStatus::Expired
        } else if self.valid_until - now <= Duration::days(EXPIRING_SOON_DAYS) {
            LicenceStatus::ExpiringSoon
        } else {
            LicenceStatus::Valid
        }
    }

    /// Whole days left until expiry (0 once expired).
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        (self.valid_until - now).num_days().max(0)
    }

    /// Whether new work (creating or starting a deployment) is allowed. Running deployments keep
    /// running whatever the status.
    pub fn allows_new_work(&self, now: DateTime<Utc>) -> bool {
        matches!(
            self.status(now),
            LicenceStatus::Valid | LicenceStatus::ExpiringSoon
        )
    }
}

/// The licence that applies when none is installed: 25 sessions for 14 days from the control
/// plane's first start.
pub fn default_licence(first_start: DateTime<Utc>) -> LicencePayload {
    LicencePayload {
        id: "default".into(),
        kind: LicenceType::Trial,
        issued_to: String::new(),
        issuer_email: String::new(),
        issued_at: first_start,
        valid_from: first_start,
        valid_until: first_start + Duration::days(DEFAULT_DAYS),
        max_sessions: DEFAULT_MAX_SESSIONS,
        max_tps: DEFAULT_MAX_TPS,
        core_size: DEFAULT_CORE_SIZE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn licence() -> LicencePayload {
        let mut p = default_licence(at("2026-01-01T00:00:00Z"));
        p.valid_until = at("2027-01-01T00:00:00Z");
        p
    }

    #[test]
    fn not_yet_valid_until_the_start_instant() {
        let l = licence();
        assert_eq!(
            l.status(at("2025-12-31T23:59:59Z")),
            LicenceStatus::NotYetValid
        );
        assert_eq!(l.status(at("2026-01-01T00:00:00Z")), LicenceStatus::Valid);
        assert!(!l.allows_new_work(at("2025-12-31T23:59:59Z")));
    }

    #[test]
    fn exactly_sixty_days_left_is_expiring_soon() {
        let l = licence();
        let sixty_before = l.valid_until - Duration::days(60);
        assert_eq!(l.status(sixty_before), LicenceStatus::ExpiringSoon);
        assert_eq!(
            l.status(sixty_before - Duration::seconds(1)),
            LicenceStatus::Valid
        );
        assert_eq!(l.days_left(sixty_before), 60);
    }

    #[test]
    fn expired_at_the_expiry_instant() {
        let l = licence();
        assert_eq!(
            l.status(at("2026-12-31T23:59:59Z")),
            LicenceStatus::ExpiringSoon
        );
        assert_eq!(l.status(at("2027-01-01T00:00:00Z")), LicenceStatus::Expired);
        assert_eq!(l.days_left(at("2027-03-01T00:00:00Z")), 0);
        assert!(!l.allows_new_work(at("2027-01-01T00:00:00Z")));
    }

    #[test]
    fn the_default_licence_gives_25_sessions_for_14_days() {
        let start = at("2026-11-24T08:00:00Z");
        let d = default_licence(start);
        assert_eq!(d.max_sessions, 25);
        assert_eq!(d.valid_until - d.valid_from, Duration::days(14));
        assert_eq!(
            d.status(start),
            LicenceStatus::ExpiringSoon,
            "14 days is within the 60-day warning"
        );
        assert_eq!(d.days_left(start), 14);
        assert_eq!(d.status(start + Duration::days(14)), LicenceStatus::Expired);
    }
}
