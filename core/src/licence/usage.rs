//! How much of a licence live deployments use, and whether a new one fits.

use crate::api::ProblemCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::format::LicencePayload;
use super::status::LicenceStatus;
use crate::lang::Lang;

/// Usage at or above this share of a limit shows a warning.
pub const WARN_PERCENT: u64 = 70;

/// What one deployment takes from the licence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentUse {
    pub sessions: u64,
    pub tps: u64,
    /// vCPUs of its broker nodes (nodes × vCPU per node).
    pub vcpu: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageLine {
    pub used: u64,
    pub max: u64,
    /// Rounded down; can exceed 100 when a licence was replaced by a smaller one.
    pub percent: u64,
    pub warn: bool,
}

impl UsageLine {
    fn new(used: u64, max: u64) -> Self {
        // A limit of zero is fully used from the start.
        let percent = used.saturating_mul(100).checked_div(max).unwrap_or(100);
        UsageLine {
            used,
            max,
            percent,
            warn: percent >= WARN_PERCENT,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    pub sessions: UsageLine,
    pub tps: UsageLine,
    pub cores: UsageLine,
}

fn total(live: &[DeploymentUse]) -> DeploymentUse {
    live.iter()
        .fold(DeploymentUse::default(), |acc, d| DeploymentUse {
            sessions: acc.sessions.saturating_add(d.sessions),
            tps: acc.tps.saturating_add(d.tps),
            vcpu: acc.vcpu.saturating_add(d.vcpu),
        })
}

impl LicencePayload {
    pub fn usage(&self, live: &[DeploymentUse]) -> Usage {
        let t = total(live);
        Usage {
            sessions: UsageLine::new(t.sessions, self.max_sessions),
            tps: UsageLine::new(t.tps, self.max_tps),
            cores: UsageLine::new(u64::from(t.vcpu), u64::from(self.core_size)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    #[error("the licence expired on {0}; running deployments keep running, but none can be created or started")]
    Expired(String),
    #[error("the licence is valid only from {0}")]
    NotYetValid(String),
    #[error(
        "the licence allows {what} {max} in all; {used} are in use, so {requested} more do not fit"
    )]
    Exceeded {
        what: &'static str,
        max: u64,
        used: u64,
        requested: u64,
    },
}

impl CapacityError {
    pub fn code(&self) -> ProblemCode {
        match self {
            CapacityError::Expired(_) => ProblemCode::LicenceExpired,
            CapacityError::NotYetValid(_) => ProblemCode::LicenceNotYetValid,
            CapacityError::Exceeded { .. } => ProblemCode::LicenceCapacity,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => match self {
                CapacityError::Expired(d) => {
                    format!("许可证已于 {d} 过期；运行中的部署不受影响，但不能再创建或启动部署")
                }
                CapacityError::NotYetValid(d) => format!("许可证自 {d} 起才生效"),
                CapacityError::Exceeded {
                    what,
                    max,
                    used,
                    requested,
                } => {
                    let what = match *what {
                        "sessions" => "会话数",
                        "TPS" => "TPS",
                        _ => "vCPU",
                    };
                    format!("许可证共允许 {what} {max}，已使用 {used}，无法再增加 {requested}")
                }
            },
        }
    }
}

/// Whether a deployment asking for `new` may be created or started at `now`, given what the live
/// deployments already use.
pub fn check_capacity(
    licence: &LicencePayload,
    now: DateTime<Utc>,
    live: &[DeploymentUse],
    new: &DeploymentUse,
) -> Result<(), CapacityError> {
    match licence.status(now) {
        LicenceStatus::Expired => {
            return Err(CapacityError::Expired(
                licence.valid_until.format("%Y-%m-%d").to_string(),
            ))
        }
        LicenceStatus::NotYetValid => {
            return Err(CapacityError::NotYetValid(
                licence.valid_from.format("%Y-%m-%d").to_string(),
            ))
        }
        LicenceStatus::Valid | LicenceStatus::ExpiringSoon => {}
    }
    let t = total(live);
    let checks = [
        ("sessions", licence.max_sessions, t.sessions, new.sessions),
        ("TPS", licence.max_tps, t.tps, new.tps),
        (
            "vCPUs",
            u64::from(licence.core_size),
            u64::from(t.vcpu),
            u64::from(new.vcpu),
        ),
    ];
    for (what, max, used, requested) in checks {
        if used.saturating_add(requested) > max {
            return Err(CapacityError::Exceeded {
                what,
                max,
                used,
                requested,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licence::default_licence;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn licence() -> LicencePayload {
        let mut l = default_licence(at("2026-01-01T00:00:00Z"));
        l.valid_until = at("2027-01-01T00:00:00Z");
        l.max_sessions = 10_000;
        l.max_tps = 5_000;
        l.core_size = 16;
        l
    }

    const NOW: &str = "2026-06-01T00:00:00Z";

    fn d(sessions: u64, tps: u64, vcpu: u32) -> DeploymentUse {
        DeploymentUse {
            sessions,
            tps,
            vcpu,
        }
    }

    #[test]
    fn usage_sums_live_deployments_and_warns_from_seventy_percent() {
        let u = licence().usage(&[d(3_000, 1_000, 4), d(3_999, 500, 4)]);
        assert_eq!(
            u.sessions,
            UsageLine {
                used: 6_999,
                max: 10_000,
                percent: 69,
                warn: false
            }
        );
        assert_eq!(
            u.cores,
            UsageLine {
                used: 8,
                max: 16,
                percent: 50,
                warn: false
            }
        );
        let u = licence().usage(&[d(7_000, 0, 12)]);
        assert!(u.sessions.warn && u.cores.warn);
        assert_eq!(u.cores.percent, 75);
        assert_eq!(licence().usage(&[]).sessions.percent, 0);
    }

    #[test]
    fn a_deployment_fits_exactly_up_to_the_limit() {
        let l = licence();
        assert_eq!(
            check_capacity(&l, at(NOW), &[d(5_000, 0, 8)], &d(5_000, 5_000, 8)),
            Ok(())
        );
        let err = check_capacity(&l, at(NOW), &[d(5_000, 0, 8)], &d(5_001, 0, 0)).unwrap_err();
        assert_eq!(err.code(), ProblemCode::LicenceCapacity);
        assert_eq!(
            err.to_string(),
            "the licence allows sessions 10000 in all; 5000 are in use, so 5001 more do not fit"
        );
        let err = check_capacity(&l, at(NOW), &[], &d(1, 1, 17)).unwrap_err();
        assert!(matches!(err, CapacityError::Exceeded { what: "vCPUs", .. }));
        let err = check_capacity(&l, at(NOW), &[], &d(1, 5_001, 1)).unwrap_err();
        assert!(matches!(err, CapacityError::Exceeded { what: "TPS", .. }));
    }

    #[test]
    fn an_expired_or_future_licence_refuses_new_work() {
        let l = licence();
        let err = check_capacity(&l, at("2027-01-01T00:00:00Z"), &[], &d(1, 1, 1)).unwrap_err();
        assert_eq!(err.code(), ProblemCode::LicenceExpired);
        assert!(err.message(Lang::ZhCn).contains("2027-01-01"));
        let err = check_capacity(&l, at("2025-01-01T00:00:00Z"), &[], &d(1, 1, 1)).unwrap_err();
        assert_eq!(err.code(), ProblemCode::LicenceNotYetValid);
    }

    #[test]
    fn the_default_licence_fits_one_smallest_deployment() {
        let l = default_licence(at(NOW));
        assert_eq!(check_capacity(&l, at(NOW), &[], &d(25, 100, 8)), Ok(()));
        assert!(check_capacity(&l, at(NOW), &[], &d(26, 1, 2)).is_err());
    }
}
