//! Instants as UTC milliseconds, IANA zones, and local calendar days.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// Milliseconds since the epoch, saturating at the ends of `i64`.
pub(crate) fn to_millis(instant: SystemTime) -> i64 {
    match instant.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |millis| -millis),
    }
}

pub(crate) fn from_millis(millis: i64) -> SystemTime {
    let magnitude = Duration::from_millis(millis.unsigned_abs());
    if millis >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

/// `instant` in UTC, held to chrono's range (about 262,000 years either
/// side), so a hostile timestamp formats as a far date instead of panicking.
pub fn to_utc(instant: SystemTime) -> DateTime<Utc> {
    let millis = to_millis(instant);
    match DateTime::from_timestamp_millis(millis) {
        // In range to the millisecond, so in range to the nanosecond, which it keeps.
        Some(_) => DateTime::from(instant),
        None if millis < 0 => DateTime::<Utc>::MIN_UTC,
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// An IANA zone name such as `Europe/Paris`, if this build knows it.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// An IANA time zone this build knows. Every zone a caller hands the core
/// is one of these, checked once where it comes in (in the shells, when
/// uniffi lifts the name), so no rule checks a zone name again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    pub fn parse(name: &str) -> Result<Zone, ZoneError> {
        parse_zone(name).map(Zone).ok_or_else(|| ZoneError::Unknown { zone: name.chars().take(64).collect() })
    }

    /// The IANA name, as stored beside local times.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }
}

impl From<Tz> for Zone {
    fn from(tz: Tz) -> Self {
        Zone(tz)
    }
}

impl std::str::FromStr for Zone {
    type Err = ZoneError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Zone::parse(name)
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum ZoneError {
    #[error(
        "\"{zone}\" is not a time zone Waymark knows; pass an IANA name such as Europe/Paris, as the device reports it"
    )]
    Unknown { zone: String },
}

// A zone name that does not parse fails the call with `WaymarkError::Zone`.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Zone, String, {
    lower: |zone| zone.name().to_string(),
    try_lift: |name| Zone::parse(&name)
        .map_err(|error| uniffi::deps::anyhow::Error::new(crate::WaymarkError::Zone { error })),
});

/// The calendar day `instant` falls on in `zone`.
pub fn local_date(instant: SystemTime, zone: Tz) -> NaiveDate {
    to_utc(instant).with_timezone(&zone).date_naive()
}

/// The first instant of `date` in `zone`. Where a DST change skips midnight,
/// the day starts at the first local time that exists.
pub fn start_of_day(date: NaiveDate, zone: Tz) -> SystemTime {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    let start = (0..=4 * 24)
        .map(|quarter| midnight + chrono::Duration::minutes(15 * quarter))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .expect("every day has a local time that exists");
    start.with_timezone(&Utc).into()
}

/// `instant` on the clock of `zone`, `YYYY-MM-DD HH:MM`, for display.
pub fn local_minute(instant: SystemTime, zone: Tz) -> String {
    to_utc(instant).with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// A whole number of minutes as a duration.
pub(crate) fn minutes(count: u32) -> Duration {
    Duration::from_secs(u64::from(count) * 60)
}

/// Serialises instants as RFC 3339 text in UTC, for JSON output.
pub mod rfc3339 {
    use super::*;
    use serde::Serializer;

    pub fn format(instant: SystemTime) -> String {
        to_utc(instant).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    pub fn serialize<S: Serializer>(instant: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*instant))
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(instant: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
            match instant {
                Some(instant) => s.serialize_str(&format(*instant)),
                None => s.serialize_none(),
            }
        }
    }
}

/// A local date-time as a shell or the CLI writes it, `YYYY-MM-DDTHH:MM[:SS]`,
/// in the years a calendar can hold.
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text.trim(), format).ok())
        .filter(|local| (1900..=9999).contains(&chrono::Datelike::year(local)))
}

/// The instant a local time is in `zone`. A time that a DST change skips is
/// read with the offset from before the change (RFC 5545 §3.3.5), so 02:30 on
/// a spring-forward night is 03:30; a repeated time is its first occurrence.
pub fn instant_of(local: NaiveDateTime, zone: Tz) -> SystemTime {
    if let Some(instant) = zone.from_local_datetime(&local).earliest() {
        return instant.into();
    }
    // Inside a gap: the offset in force just before it, found by stepping back.
    let offset = (1..=24 * 4)
        .find_map(|quarter| zone.from_local_datetime(&(local - chrono::Duration::minutes(15 * quarter))).earliest())
        .map(|before| before.offset().fix().local_minus_utc())
        .expect("a zone's clocks never jump by more than a day");
    chrono::Utc.from_utc_datetime(&(local - chrono::Duration::seconds(i64::from(offset)))).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_day_that_loses_its_midnight_to_dst_starts_at_one() {
        // Santiago moved clocks from 00:00 to 01:00 on 2022-09-11.
        let zone: Tz = "America/Santiago".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2022, 9, 11).unwrap();
        let start = to_utc(start_of_day(date, zone)).with_timezone(&zone);
        assert_eq!(start.format("%H:%M").to_string(), "01:00");
    }

    #[test]
    fn a_spring_forward_day_still_starts_at_midnight() {
        let zone: Tz = "Europe/Berlin".parse().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let start = to_utc(start_of_day(date, zone));
        assert_eq!(start.to_rfc3339(), "2026-03-28T23:00:00+00:00");
    }

    #[test]
    fn unknown_zones_are_rejected() {
        assert!(parse_zone("Mars/Olympus_Mons").is_none());
        assert!(parse_zone("America/New_York").is_some());
        assert_eq!(Zone::parse("Mars/Olympus_Mons"), Err(ZoneError::Unknown { zone: "Mars/Olympus_Mons".into() }));
        assert_eq!(Zone::parse("America/New_York").unwrap().name(), "America/New_York");
        let long = "x".repeat(10_000);
        assert!(matches!(Zone::parse(&long), Err(ZoneError::Unknown { zone }) if zone.len() == 64), "kept short");
    }

    proptest! {
        #[test]
        fn any_instant_formats_without_panicking(millis: i64) {
            let _ = rfc3339::format(from_millis(millis));
            let _ = local_minute(from_millis(millis), chrono_tz::Pacific::Kiritimati);
        }

        #[test]
        fn millis_round_trip(millis in -10_000_000_000_000i64..10_000_000_000_000) {
            prop_assert_eq!(to_millis(from_millis(millis)), millis);
        }
    }
}
