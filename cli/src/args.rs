//! What several commands share: the JSON flag, the time a command acts at,
//! and parsers for times, dates and the computer's zone.

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate};
use clap::Args;
use waymark_core::Zone;

use crate::Failure;

#[derive(Args)]
pub(crate) struct JsonFlag {
    #[arg(long)]
    pub(crate) json: bool,
}

/// The time a command acts at: `--now` when given, else the clock.
#[derive(Clone, Copy)]
pub(crate) struct Now {
    pub(crate) at: SystemTime,
    pub(crate) given: bool,
}

impl Now {
    /// When a new record happened: `at` if the command says, else `--now` if given; `None` leaves it to the
    /// core, which stamps it with the clock.
    pub(crate) fn or(self, at: Option<SystemTime>) -> Option<SystemTime> {
        at.or(self.given.then_some(self.at))
    }
}

pub(crate) fn parse_instant(text: &str) -> Result<SystemTime, Failure> {
    DateTime::parse_from_rfc3339(text)
        .map(SystemTime::from)
        .map_err(|_| Failure::input(format!("\"{text}\" is not an RFC 3339 time such as 2026-11-27T09:30:00+01:00")))
}

pub(crate) fn now_arg(text: &str) -> Result<SystemTime, String> {
    parse_instant(text).map_err(|failure| failure.message().to_string())
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Failure::input(format!("\"{text}\" is not a date such as 2026-11-27")))
}

/// The computer's IANA zone: `TZ` if it names one, else the system's, else UTC.
pub(crate) fn local_zone() -> Zone {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .into_iter()
        .chain(iana_time_zone::get_timezone().ok())
        .find_map(|name| Zone::parse(&name).ok())
        .unwrap_or(Zone::UTC)
}
