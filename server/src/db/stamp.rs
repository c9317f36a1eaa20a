//! Stored times: one type for every time column, typed in Rust and native in each database.
//!
//! On SQLite a time is text, RFC 3339 in UTC with microseconds (`2030-01-01T10:00:00.000000Z`,
//! the API's form: `byoc_core::api::time`),
//! so text order is time order and indexes on it sort by time. On PostgreSQL it is a
//! `timestamptz` (microseconds too, so a time read back equals the time written). Reading text
//! that is not such a time is an error, never a stand-in time.

use chrono::{DateTime, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Postgres, Sqlite, Type};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(pub DateTime<Utc>);

impl Stamp {
    pub fn time(self) -> DateTime<Utc> {
        self.0
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&byoc_core::api::time::text(self.0))
    }
}

/// A stored time read back from text; anything else is an error.
pub fn parse(s: &str) -> Result<Stamp, sqlx::Error> {
    byoc_core::api::time::parse(s)
        .map(Stamp)
        .map_err(|e| sqlx::Error::Decode(format!("not a stored time {s:?}: {e}").into()))
}

impl Type<Sqlite> for Stamp {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &<Sqlite as Database>::TypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for Stamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Stamp {
    fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Sqlite>>::decode(value)?;
        Ok(parse(text)?)
    }
}

impl Type<Postgres> for Stamp {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <DateTime<Utc> as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &<Postgres as Database>::TypeInfo) -> bool {
        <DateTime<Utc> as Type<Postgres>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Postgres> for Stamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <DateTime<Utc> as Encode<'q, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Stamp {
    fn decode(value: <Postgres as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        <DateTime<Utc> as Decode<'r, Postgres>>::decode(value).map(Stamp)
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_form_sorts_as_time_and_reads_back_equal() {
        let a = parse("2030-01-01T10:00:00.000001Z").unwrap();
        let b = parse("2030-01-01T09:59:59.999999Z").unwrap();
        assert!(b < a && b.to_string() < a.to_string());
        assert_eq!(parse(&a.to_string()).unwrap(), a);
        assert_eq!(a.to_string(), "2030-01-01T10:00:00.000001Z");
    }

    #[test]
    fn postgresql_json_times_read_back_as_the_same_time() {
        // json_build_array writes a timestamptz with an offset instead of Z.
        let a: Stamp = serde_json::from_str("\"2030-01-01T10:00:00.000001+00:00\"").unwrap();
        assert_eq!(a, parse("2030-01-01T10:00:00.000001Z").unwrap());
        assert!(serde_json::from_str::<Stamp>("\"soon\"").is_err());
    }

    #[test]
    fn text_that_is_not_a_time_is_an_error() {
        assert!(parse("yesterday-ish").is_err());
        assert!(parse("").is_err());
    }
}
