//! Slowing repeated sign-in guesses without ever locking anyone out (issue "Hardening", finding 1).
//!
//! Attempts are counted per (username, client) and per client, never per username alone: a count
//! per username is what let anyone who could reach the sign-in form lock the owner out. So
//! strangers guessing `admin` slow down only themselves; an attacker rotating usernames from one
//! client meets the per-client count; many clients against one user each meet their own per
//! (username, client) count, while the owner's client is untouched.
//!
//! An attempt is counted when it is admitted, before the password is checked, so concurrent
//! guesses cannot all slip in before the first failure is recorded; a success gives its count back.
//! After a few free attempts each further one must wait twice as long as the last, up to a cap:
//! whatever anyone else did, a client that waits as told gets its next attempt within
//! [`MAX_WAIT_UNITS`] units (30 s at the real unit), and a right password then succeeds.
//! Attempts are keyed by what was typed, existing user or not, so nothing tells users apart.

/// Which count an attempt falls under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One username from one client: a person's own typos.
    AccountClient,
    /// Every username from one client: catches rotating usernames. An office behind one address
    /// shares it, hence more free attempts.
    Client,
}

impl Scope {
    /// Attempts admitted at once before any wait.
    pub fn free_attempts(self) -> u32 {
        match self {
            Scope::AccountClient => 3,
            Scope::Client => 10,
        }
    }

    /// The stable name stored with a count.
    pub fn code(self) -> &'static str {
        match self {
            Scope::AccountClient => "account_client",
            Scope::Client => "client",
        }
    }
}

/// The longest wait, in units: 30 s at the real unit. Doubling stops here.
pub const MAX_WAIT_UNITS: u64 = 30;
/// The real unit, the first wait after the free attempts. Tests run the same rule with a tiny
/// unit so they need not wait for seconds.
pub const REAL_UNIT_MS: u64 = 1000;
/// A count is forgotten this long after its last attempt (real time, whatever the unit).
pub const FORGET_AFTER_MS: i64 = 15 * 60 * 1000;
/// Usernames longer than any valid one are counted by this many leading characters, so a stored
/// key stays small whatever is typed.
pub const MAX_COUNTED_USERNAME: usize = 64;

/// The attempts counted under one key: how many, and when the last was admitted (Unix ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts {
    pub count: u32,
    pub last_at_ms: i64,
}

/// Whether an attempt may go ahead now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Check the password; store [`admit`]'s records first.
    Admit,
    /// Refuse without checking the password; the client may come back after `ms`.
    Wait { ms: u64 },
}

impl Decision {
    /// The wait in whole seconds for a `Retry-After` header, rounded up, at least 1.
    pub fn retry_after_seconds(self) -> u64 {
        match self {
            Decision::Admit => 0,
            Decision::Wait { ms } => ms.div_ceil(1000).max(1),
        }
    }
}

/// The username an attempt is counted under: as typed but trimmed and lowercased (usernames are
/// lowercase, so "Admin" cannot dodge the count), and cut to [`MAX_COUNTED_USERNAME`] characters.
pub fn counted_username(typed: &str) -> String {
    typed
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .take(MAX_COUNTED_USERNAME)
        .collect()
}

/// The sign-in throttle with its unit, the first wait after the free attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttle {
    unit_ms: u64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::REAL
    }
}

impl Throttle {
    pub const REAL: Throttle = Throttle {
        unit_ms: REAL_UNIT_MS,
    };

    /// The same rule with another unit (tests use a millisecond); at least 1 ms.
    pub fn with_unit_ms(unit_ms: u64) -> Throttle {
        Throttle {
            unit_ms: unit_ms.max(1),
        }
    }

    /// The longest any client is ever told to wait.
    pub fn max_wait_ms(self) -> u64 {
        MAX_WAIT_UNITS.saturating_mul(self.unit_ms)
    }

    /// How long after the last of `count` attempts the next one may come: nothing within the
    /// free attempts, then 1, 2, 4, 8, 16 units, then the cap.
    pub fn wait_after_ms(self, scope: Scope, count: u32) -> u64 {
        let Some(beyond) = count.checked_sub(scope.free_attempts()) else {
            return 0;
        };
        let units = 1u64
            .checked_shl(beyond)
            .unwrap_or(MAX_WAIT_UNITS)
            .min(MAX_WAIT_UNITS);
        units.saturating_mul(self.unit_ms)
    }

    /// How long an attempt at `now_ms` must still wait under one key's count.
    fn remaining_ms(self, scope: Scope, attempts: Option<Attempts>, now_ms: i64) -> u64 {
        let Some(a) = live(attempts, now_ms) else {
            return 0;
        };
        let wait = self.wait_after_ms(scope, a.count);
        let elapsed = u64::try_from(now_ms.saturating_sub(a.last_at_ms)).unwrap_or(0);
        // A last attempt "in the future" (the clock went back) still costs one wait at most.
        wait.saturating_sub(elapsed)
    }

    /// Judges an attempt at `now_ms` from the counts of its (username, client) and its client.
    pub fn assess(
        self,
        account_client: Option<Attempts>,
        client: Option<Attempts>,
        now_ms: i64,
    ) -> Decision {
        let ms = self
            .remaining_ms(Scope::AccountClient, account_client, now_ms)
            .max(self.remaining_ms(Scope::Client, client, now_ms));
        if ms == 0 {
            Decision::Admit
        } else {
            Decision::Wait { ms }
        }
    }
}

/// A count still remembered at `now_ms`.
fn live(attempts: Option<Attempts>, now_ms: i64) -> Option<Attempts> {
    attempts.filter(|a| now_ms.saturating_sub(a.last_at_ms) < FORGET_AFTER_MS && a.count > 0)
}

/// The count to store for a key once an attempt at `now_ms` is admitted.
pub fn admit(previous: Option<Attempts>, now_ms: i64) -> Attempts {
    let count = live(previous, now_ms).map_or(0, |a| a.count);
    Attempts {
        count: count.saturating_add(1),
        last_at_ms: now_ms,
    }
}

/// The client's count once an admitted attempt turned out right: that attempt was no guess, so it
/// is given back (the (username, client) count is dropped entirely). `None`: nothing to keep.
pub fn after_success(client: Option<Attempts>) -> Option<Attempts> {
    client
        .map(|a| Attempts {
            count: a.count.saturating_sub(1),
            ..a
        })
        .filter(|a| a.count > 0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn counted(count: u32, ms_ago: i64) -> Option<Attempts> {
        Some(Attempts {
            count,
            last_at_ms: NOW - ms_ago,
        })
    }

    #[test]
    fn the_first_attempts_are_free() {
        let t = Throttle::REAL;
        assert_eq!(t.assess(None, None, NOW), Decision::Admit);
        assert_eq!(t.assess(counted(2, 0), counted(9, 0), NOW), Decision::Admit);
    }

    #[test]
    fn real_waits_double_from_one_second_up_to_thirty() {
        let t = Throttle::REAL;
        let waits: Vec<u64> = (3..=10)
            .map(|n| t.wait_after_ms(Scope::AccountClient, n))
            .collect();
        assert_eq!(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        assert_eq!(t.wait_after_ms(Scope::Client, 10), 1000);
        assert_eq!(t.wait_after_ms(Scope::Client, u32::MAX), 30000);
        assert_eq!(t.max_wait_ms(), 30_000);
    }

    #[test]
    fn an_early_attempt_waits_for_what_is_left_of_the_stricter_count() {
        let t = Throttle::REAL;
        // 5 attempts for this username: 4 s after the last; 1.5 s have passed.
        assert_eq!(
            t.assess(counted(5, 1500), None, NOW),
            Decision::Wait { ms: 2500 }
        );
        // The client's 11 attempts (2 s) are stricter than this username's 3 (1 s).
        assert_eq!(
            t.assess(counted(3, 0), counted(11, 0), NOW),
            Decision::Wait { ms: 2000 }
        );
        assert_eq!(t.assess(counted(5, 4000), None, NOW), Decision::Admit);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(Decision::Wait { ms: 1 }.retry_after_seconds(), 1);
        assert_eq!(Decision::Wait { ms: 2500 }.retry_after_seconds(), 3);
        assert_eq!(Decision::Wait { ms: 30_000 }.retry_after_seconds(), 30);
    }

    #[test]
    fn counts_are_forgotten_fifteen_minutes_after_the_last_attempt() {
        let t = Throttle::REAL;
        assert_eq!(
            t.assess(counted(50, FORGET_AFTER_MS), None, NOW),
            Decision::Admit
        );
        assert_eq!(
            admit(counted(50, FORGET_AFTER_MS), NOW),
            Attempts {
                count: 1,
                last_at_ms: NOW
            }
        );
        assert_eq!(
            admit(counted(4, 10), NOW),
            Attempts {
                count: 5,
                last_at_ms: NOW
            }
        );
    }

    #[test]
    fn a_clock_that_went_back_costs_one_wait_at_most() {
        let t = Throttle::REAL;
        assert_eq!(
            t.assess(counted(40, -3_600_000), None, NOW),
            Decision::Wait { ms: 30_000 }
        );
    }

    #[test]
    fn a_success_gives_back_its_attempt() {
        assert_eq!(after_success(counted(4, 0)), counted(3, 0));
        assert_eq!(after_success(counted(1, 0)), None);
        assert_eq!(after_success(None), None);
    }

    #[test]
    fn the_unit_scales_every_wait_and_is_never_zero() {
        let t = Throttle::with_unit_ms(1);
        assert_eq!(t.wait_after_ms(Scope::AccountClient, 5), 4);
        assert_eq!(t.max_wait_ms(), 30);
        assert_eq!(Throttle::with_unit_ms(0), Throttle::with_unit_ms(1));
    }

    #[test]
    fn usernames_are_counted_trimmed_lowercase_and_bounded() {
        assert_eq!(counted_username("  Admin "), "admin");
        assert_eq!(
            counted_username(&"X".repeat(10_000)).len(),
            MAX_COUNTED_USERNAME
        );
        // Lowercasing may lengthen a character; the bound is on characters, on a boundary.
        assert_eq!(
            counted_username(&"İ".repeat(100)).chars().count(),
            MAX_COUNTED_USERNAME
        );
    }

    proptest! {
        /// Whatever anyone did before, with real units nobody is told to wait more than 30 s.
        #[test]
        fn no_wait_exceeds_thirty_seconds(
            a in proptest::option::of((0u32..u32::MAX, -10_000_000i64..10_000_000)),
            c in proptest::option::of((0u32..u32::MAX, -10_000_000i64..10_000_000)),
        ) {
            let at = |(count, ago): (u32, i64)| Attempts { count, last_at_ms: NOW - ago };
            match Throttle::REAL.assess(a.map(at), c.map(at), NOW) {
                Decision::Admit => {}
                Decision::Wait { ms } => prop_assert!(ms <= 30_000),
            }
        }

        /// A client that waits as told is admitted next time, whatever the counts.
        #[test]
        fn waiting_as_told_admits(
            a in proptest::option::of((0u32..1000, 0i64..10_000_000)),
            c in proptest::option::of((0u32..1000, 0i64..10_000_000)),
        ) {
            let at = |(count, ago): (u32, i64)| Attempts { count, last_at_ms: NOW - ago };
            let t = Throttle::REAL;
            if let Decision::Wait { ms } = t.assess(a.map(at), c.map(at), NOW) {
                let later = NOW + i64::try_from(ms).unwrap_or(i64::MAX);
                prop_assert_eq!(t.assess(a.map(at), c.map(at), later), Decision::Admit);
            }
        }
    }
}
