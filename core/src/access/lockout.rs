//! Slowing and then refusing repeated failed sign-ins. Counted per username (existing or not, so
//! the answer never reveals which users exist) and per source address; the stricter wins.

/// Failures older than this no longer count.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// From this many recent failures on, each attempt is answered slowly.
pub const SLOWDOWN_FAILURES: usize = 3;
/// From this many recent failures on, attempts are refused until the lock expires.
pub const LOCKOUT_FAILURES: usize = 5;
/// How long a lock lasts after the last failure.
pub const LOCKOUT_SECONDS: i64 = 15 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInAssessment {
    Allow,
    /// Check the password, but answer only after this delay.
    Slow {
        delay_ms: u64,
    },
    /// Refuse without checking the password; try again after this many seconds.
    Locked {
        retry_after_seconds: i64,
    },
}

/// Judges an attempt at `now` given the times (Unix seconds) of earlier failures for the same
/// username or address.
pub fn assess_sign_in(failures: &[i64], now: i64) -> SignInAssessment {
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|t| now - t < WINDOW_SECONDS && *t <= now)
        .collect();
    if recent.len() >= LOCKOUT_FAILURES {
        let last = recent.iter().copied().max().unwrap_or(now);
        let until = last + LOCKOUT_SECONDS;
        if until > now {
            return SignInAssessment::Locked {
                retry_after_seconds: until - now,
            };
        }
    }
    if recent.len() >= SLOWDOWN_FAILURES {
        // One more second per failure beyond the threshold: cheap for a person, costly for a script.
        let extra = (recent.len() - SLOWDOWN_FAILURES + 1) as u64;
        return SignInAssessment::Slow {
            delay_ms: 1000 * extra,
        };
    }
    SignInAssessment::Allow
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn failures(n: usize, seconds_ago: i64) -> Vec<i64> {
        (0..n).map(|_| NOW - seconds_ago).collect()
    }

    #[test]
    fn few_failures_are_allowed() {
        assert_eq!(assess_sign_in(&[], NOW), SignInAssessment::Allow);
        assert_eq!(
            assess_sign_in(&failures(2, 10), NOW),
            SignInAssessment::Allow
        );
    }

    #[test]
    fn three_and_four_failures_slow_down_more_each_time() {
        assert_eq!(
            assess_sign_in(&failures(3, 10), NOW),
            SignInAssessment::Slow { delay_ms: 1000 }
        );
        assert_eq!(
            assess_sign_in(&failures(4, 10), NOW),
            SignInAssessment::Slow { delay_ms: 2000 }
        );
    }

    #[test]
    fn five_recent_failures_lock_for_fifteen_minutes_from_the_last() {
        assert_eq!(
            assess_sign_in(&failures(5, 60), NOW),
            SignInAssessment::Locked {
                retry_after_seconds: LOCKOUT_SECONDS - 60
            }
        );
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        assert_eq!(
            assess_sign_in(&failures(10, WINDOW_SECONDS), NOW),
            SignInAssessment::Allow
        );
        let mut mixed = failures(4, WINDOW_SECONDS + 5);
        mixed.extend(failures(2, 5));
        assert_eq!(assess_sign_in(&mixed, NOW), SignInAssessment::Allow);
    }

    #[test]
    fn future_timestamps_are_ignored() {
        assert_eq!(
            assess_sign_in(&failures(6, -100), NOW),
            SignInAssessment::Allow
        );
    }
}
