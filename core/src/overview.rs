//! What the Overview page calls out as needing attention (SPEC §10). The control plane selects
//! with these rules (its queries take the cut-offs from here) and the console words them; neither
//! decides on its own what "soon" means.

use chrono::{DateTime, Duration, Utc};

use crate::lifecycle::toolkit::{key_seconds_left, key_state, KeyState};

/// A bootstrap key is called out once this little of its hour is left: enough time to run the
/// command, or to regenerate the key first.
pub const KEY_SOON_SECONDS: i64 = 15 * 60;

/// An API token is called out this long before it expires, so automation using it can be given a
/// new one in time.
pub const TOKEN_SOON_DAYS: i64 = 7;

/// At most this many items of each kind are listed; the answer says how many there are in all.
pub const ATTENTION_LIMIT: u32 = 10;

/// How many audit entries the Overview shows as recent activity.
pub const RECENT_ACTIVITY: u32 = 8;

/// How urgent an unused bootstrap key of an operation still waiting for its toolkit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUrgency {
    /// Still usable, with this many seconds left.
    Soon { seconds_left: i64 },
    /// No longer usable: the operation waits until someone regenerates the key.
    Expired,
}

/// Whether an operation's key needs attention: unused and expiring within [`KEY_SOON_SECONDS`],
/// or already expired. A used key (the toolkit registered) never does.
pub fn key_urgency(issued_at: DateTime<Utc>, used: bool, now: DateTime<Utc>) -> Option<KeyUrgency> {
    match key_state(issued_at, used, now) {
        KeyState::Used => None,
        KeyState::Expired => Some(KeyUrgency::Expired),
        KeyState::Pending => {
            let left = key_seconds_left(crate::lifecycle::toolkit::key_expires_at(issued_at), now);
            (left <= KEY_SOON_SECONDS).then_some(KeyUrgency::Soon { seconds_left: left })
        }
    }
}

/// Keys expiring at or before this instant need attention (the query's cut-off).
pub fn key_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::seconds(KEY_SOON_SECONDS)
}

/// Whether a live token (not revoked) expiring at `expires_at` should be called out at `now`:
/// within [`TOKEN_SOON_DAYS`] and not yet expired (an expired token no longer works and is listed
/// as such on the Tokens page).
pub fn token_expires_soon(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    expires_at > now && expires_at <= token_cutoff(now)
}

/// Tokens expiring at or before this instant are called out (the query's cut-off).
pub fn token_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(TOKEN_SOON_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::toolkit::KEY_VALID_SECONDS;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_fresh_key_needs_no_attention() {
        let issued = at("2026-12-01T10:00:00Z");
        assert_eq!(key_urgency(issued, false, at("2026-12-01T10:00:00Z")), None);
        assert_eq!(key_urgency(issued, false, at("2026-12-01T10:44:59Z")), None);
    }

    #[test]
    fn a_key_is_called_out_in_its_last_quarter_hour_then_as_expired() {
        let issued = at("2026-12-01T10:00:00Z");
        assert_eq!(
            key_urgency(issued, false, at("2026-12-01T10:45:00Z")),
            Some(KeyUrgency::Soon {
                seconds_left: KEY_SOON_SECONDS
            })
        );
        assert_eq!(
            key_urgency(issued, false, at("2026-12-01T10:59:59Z")),
            Some(KeyUrgency::Soon { seconds_left: 1 })
        );
        assert_eq!(
            key_urgency(issued, false, at("2026-12-01T11:00:00Z")),
            Some(KeyUrgency::Expired)
        );
        assert_eq!(
            key_urgency(issued, false, at("2026-12-09T11:00:00Z")),
            Some(KeyUrgency::Expired)
        );
    }

    #[test]
    fn a_used_key_never_needs_attention() {
        let issued = at("2026-12-01T10:00:00Z");
        for now in ["2026-12-01T10:50:00Z", "2026-12-01T12:00:00Z"] {
            assert_eq!(key_urgency(issued, true, at(now)), None, "{now}");
        }
    }

    #[test]
    fn the_key_cutoff_selects_exactly_the_keys_the_rule_calls_out() {
        let now = at("2026-12-01T10:00:00Z");
        // Issued so that it expires exactly at the cut-off, and one second later.
        let at_cutoff = key_cutoff(now) - Duration::seconds(KEY_VALID_SECONDS);
        assert!(key_urgency(at_cutoff, false, now).is_some());
        assert!(key_urgency(at_cutoff + Duration::seconds(1), false, now).is_none());
    }

    #[test]
    fn tokens_are_called_out_in_their_last_week_only() {
        let now = at("2026-12-01T10:00:00Z");
        assert!(!token_expires_soon(at("2026-12-09T10:00:01Z"), now));
        assert!(token_expires_soon(at("2026-12-08T10:00:00Z"), now));
        assert!(token_expires_soon(at("2026-12-01T10:00:01Z"), now));
        assert!(!token_expires_soon(now, now), "expired: no longer works");
        assert!(!token_expires_soon(at("2026-11-01T10:00:00Z"), now));
    }
}
