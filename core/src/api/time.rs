//! Times on the wire. Every time in the API is a `DateTime<Utc>` in Rust and RFC 3339 text in
//! UTC with exactly six decimals on the wire (`2030-01-01T10:00:00.000000Z`): the precision the
//! databases keep, so a time read back is the time written, and one width, so text order is
//! time order. Reading accepts any RFC 3339 time (chrono's own reader), never a stand-in.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, SecondsFormat, Timelike, Utc};
use serde::Serializer;

/// The form's length: `2030-01-01T10:00:00.000000Z`.
const LEN: usize = 27;

/// `at` as the API and the SQLite database write it.
pub fn text(at: DateTime<Utc>) -> String {
    match written(at) {
        Some(b) => b.iter().map(|&c| char::from(c)).collect(),
        None => at.to_rfc3339_opts(SecondsFormat::Micros, true),
    }
}

/// `at` in the API's form, digit by digit: what chrono writes (`to_rfc3339_opts` with
/// microseconds and `Z`), without its general formatter, which a list page of fifty
/// deployments would run a hundred and fifty times. `None` for what chrono writes otherwise:
/// a year outside 0–9999, a leap second.
fn written(at: DateTime<Utc>) -> Option<[u8; LEN]> {
    let t = at.naive_utc();
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let mut b = *b"0000-00-00T00:00:00.000000Z";
    for (range, value) in [
        (0..4, year),
        (5..7, t.month()),
        (8..10, t.day()),
        (11..13, t.hour()),
        (14..16, t.minute()),
        (17..19, t.second()),
        (20..26, nanos / 1000),
    ] {
        let mut v = value;
        for d in b[range].iter_mut().rev() {
            *d = b'0' + u8::try_from(v % 10).unwrap_or(0);
            v /= 10;
        }
    }
    Some(b)
}

/// Text as a time: the API's own form read digit by digit, any other RFC 3339 time by chrono;
/// anything else is chrono's error.
pub fn parse(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match read(s.as_bytes()) {
        Some(at) => Ok(at),
        None => DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)),
    }
}

/// The API's form, if `b` is exactly that and a real time; `None` leaves it to chrono.
fn read(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != LEN
        || [
            (4, b'-'),
            (7, b'-'),
            (10, b'T'),
            (13, b':'),
            (16, b':'),
            (19, b'.'),
            (26, b'Z'),
        ]
        .iter()
        .any(|&(i, c)| b[i] != c)
    {
        return None;
    }
    let n = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(n(0, 4)?).ok()?, n(5, 7)?, n(8, 10)?)?;
    let time = NaiveTime::from_hms_micro_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?, n(20, 26)?)?;
    Some(date.and_time(time).and_utc())
}

/// `#[serde(serialize_with = "micros")]` for a `DateTime<Utc>` field.
pub fn micros<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    match written(*at) {
        Some(b) => s.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
        None => s.serialize_str(&text(*at)),
    }
}

/// The same for an `Option<DateTime<Utc>>` field: `null` when absent.
pub fn micros_opt<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    /// A present time, written as [`micros`] writes it.
    struct Written<'a>(&'a DateTime<Utc>);
    impl serde::Serialize for Written<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            micros(self.0, s)
        }
    }
    match at {
        Some(at) => s.serialize_some(&Written(at)),
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

    /// Times across the range the fast writer and reader take, at every kind of fraction.
    fn samples() -> Vec<DateTime<Utc>> {
        let mut seconds = vec![
            0i64,
            1,
            59,
            86_399,
            951_782_400,
            4_102_444_800,
            253_402_300_799,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            seconds.push(i64::try_from(x % 253_402_300_800).unwrap());
        }
        let fractions = [
            0u32,
            1,
            999,
            1_000,
            123_456,
            500_000_000,
            123_456_789,
            999_999_999,
        ];
        seconds
            .iter()
            .enumerate()
            .map(|(i, s)| DateTime::from_timestamp(*s, fractions[i % fractions.len()]).unwrap())
            .collect()
    }

    #[test]
    fn the_fast_writer_writes_what_chrono_writes() {
        for at in samples() {
            assert_eq!(
                text(at),
                at.to_rfc3339_opts(SecondsFormat::Micros, true),
                "{at:?}"
            );
        }
        // Outside four-digit years chrono's own form is kept.
        let far = DateTime::from_timestamp(253_402_300_800, 0).unwrap();
        assert_eq!(text(far), far.to_rfc3339_opts(SecondsFormat::Micros, true));
    }

    #[test]
    fn the_fast_reader_reads_what_chrono_reads_and_refuses_what_it_refuses() {
        let chrono = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .ok()
        };
        for at in samples() {
            let s = text(at);
            assert_eq!(parse(&s).ok(), chrono(&s), "{s}");
        }
        for s in [
            "2030-02-30T10:00:00.000000Z",
            "2030-13-01T10:00:00.000000Z",
            "2030-01-01T24:00:00.000000Z",
            "2030-01-01T10:60:00.000000Z",
            "2030-01-01T10:00:61.000000Z",
            "2030-01-01 10:00:00.000000Z",
            "2030-01-01T10:00:00,000000Z",
            "2030-01-01T10:00:00.00000aZ",
            "2030-01-01T10:00:00.000000z",
            "+030-01-01T10:00:00.000000Z",
            "2030-01-01T10:00:00.00000Z",
            "2030-01-01T18:00:00.000000+08:00",
            "2030-01-01T10:00:00Z",
            "2016-12-31T23:59:60.000000Z",
        ] {
            assert_eq!(parse(s).ok(), chrono(s), "{s}");
        }
    }
}
