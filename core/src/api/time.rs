//! Times on the wire. Every time in the API is a `DateTime<Utc>` in Rust and RFC 3339 text in
//! UTC with exactly six decimals on the wire (`2030-01-01T10:00:00.000000Z`): the precision the
//! databases keep, so a time read back is the time written, and one width, so text order is
//! time order. Reading accepts any RFC 3339 time (chrono's own reader), never a stand-in.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

/// `at` as the API and the SQLite database write it.
pub fn text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `#[serde(serialize_with = "micros")]` for a `DateTime<Utc>` field.
pub fn micros<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&text(*at))
}

/// The same for an `Option<DateTime<Utc>>` field: `null` when absent.
pub fn micros_opt<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_some(&text(*at)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Both {
        #[serde(serialize_with = "micros")]
        at: DateTime<Utc>,
        #[serde(serialize_with = "micros_opt")]
        maybe: Option<DateTime<Utc>>,
    }

    #[test]
    fn times_are_written_with_six_decimals_whatever_their_fraction() {
        for (given, written) in [
            ("2030-01-01T10:00:00Z", "2030-01-01T10:00:00.000000Z"),
            ("2030-01-01T10:00:00.5Z", "2030-01-01T10:00:00.500000Z"),
            ("2030-01-01T10:00:00.000001Z", "2030-01-01T10:00:00.000001Z"),
            ("2030-01-01T18:00:00+08:00", "2030-01-01T10:00:00.000000Z"),
        ] {
            let at: DateTime<Utc> = given.parse().unwrap();
            assert_eq!(text(at), written);
        }
    }

    #[test]
    fn a_time_and_no_time_read_back_equal() {
        let both = Both {
            at: "2030-01-01T10:00:00.000001Z".parse().unwrap(),
            maybe: None,
        };
        let json = serde_json::to_string(&both).unwrap();
        assert_eq!(json, r#"{"at":"2030-01-01T10:00:00.000001Z","maybe":null}"#);
        assert_eq!(serde_json::from_str::<Both>(&json).unwrap(), both);
        let some = Both {
            maybe: Some(both.at),
            ..both
        };
        let json = serde_json::to_string(&some).unwrap();
        assert_eq!(serde_json::from_str::<Both>(&json).unwrap(), some);
    }

    #[test]
    fn text_that_is_not_a_time_is_refused_not_read_as_some_time() {
        for bad in [
            r#"{"at":"soon","maybe":null}"#,
            r#"{"at":"","maybe":null}"#,
            r#"{"at":"2030-13-01T00:00:00Z","maybe":null}"#,
            r#"{"at":"2030-01-01T10:00:00Z","maybe":"later"}"#,
        ] {
            assert!(serde_json::from_str::<Both>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_api_answer_with_a_time_that_is_not_one_is_refused_whole() {
        // The console reads answers as these types: an unreadable time is an error it shows,
        // not text it displays as if it were a time.
        let token = |created: &str| {
            format!(
                r#"{{"id":"t","name":"ci","created_at":"{created}","expires_at":"2030-02-01T00:00:00.000000Z","last_used_at":null,"revoked":false}}"#
            )
        };
        let good: crate::api::ApiToken =
            serde_json::from_str(&token("2030-01-01T00:00:00.000000Z")).unwrap();
        assert_eq!(
            good.created_at,
            "2030-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            serde_json::to_string(&good).unwrap(),
            token("2030-01-01T00:00:00.000000Z")
        );
        assert!(serde_json::from_str::<crate::api::ApiToken>(&token("last week")).is_err());
    }
}
