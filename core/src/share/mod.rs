//! What a patient shares with their therapist: a summary of the range and
//! scopes they pick, previewed exactly as it will be sent. Sending it is
//! sync's `Store::share`, which builds and seals it in one transaction.

pub mod fhir;
pub mod html;
pub mod summary;

pub use summary::{ShareScope, Summary};

use std::time::SystemTime;

use chrono::NaiveDate;

use rusqlite::Connection;

use crate::store::{Store, StoreError};
use crate::time::Zone;

/// The longest range one summary covers.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum ShareError {
    #[error("\"{text}\" is not a date; use YYYY-MM-DD")]
    InvalidDate { text: String },
    #[error("the range ends ({to}) before it starts ({from}); swap the dates")]
    BackwardsRange { from: String, to: String },
    #[error("the range covers {days} days; share at most {max} at a time")]
    RangeTooLong { days: u32, max: u32 },
    #[error("pick at least one thing to share: mood, measures, sessions, safety or notes")]
    NoScopes,
    #[error("\"{name}\" is not something Waymark can share; use mood, measures, sessions, safety or notes")]
    UnknownScope { name: String },
    #[error(transparent)]
    Course(#[from] crate::course::CourseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ShareError {
    fn from(error: rusqlite::Error) -> Self {
        ShareError::Store(error.into())
    }
}

/// What to share: local days `from` to `to` (inclusive, `YYYY-MM-DD`) in `zone`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareRequest {
    pub from: String,
    pub to: String,
    pub zone: Zone,
    pub scopes: Vec<ShareScope>,
}

/// The summary as it will be sent (its JSON, exactly), and the two forms the
/// therapist can read it in.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SummaryForms {
    pub summary_id: String,
    pub json: String,
    /// The printable report, self-contained.
    pub html: String,
    /// A FHIR R4 Bundle, as JSON.
    pub fhir: String,
    /// For the sharing screen: Waymark alerts no one, and the summary is read only when opened.
    pub nobody_is_told: String,
}

struct Checked {
    from: NaiveDate,
    to: NaiveDate,
    zone: chrono_tz::Tz,
}

fn check(request: &ShareRequest) -> Result<Checked, ShareError> {
    let date = |text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| ShareError::InvalidDate { text: text.into() })
    };
    let (from, to) = (date(&request.from)?, date(&request.to)?);
    if to < from {
        return Err(ShareError::BackwardsRange { from: from.to_string(), to: to.to_string() });
    }
    let days = (to - from).num_days() + 1;
    if days > MAX_DAYS {
        return Err(ShareError::RangeTooLong { days: days as u32, max: MAX_DAYS as u32 });
    }
    if request.scopes.is_empty() {
        return Err(ShareError::NoScopes);
    }
    Ok(Checked { from, to, zone: request.zone.tz() })
}

/// The summary `request` asks for, as of `now`.
pub(crate) fn build(conn: &Connection, request: &ShareRequest, now: SystemTime) -> Result<Summary, ShareError> {
    let checked = check(request)?;
    summary::build(conn, checked.from, checked.to, checked.zone, &request.scopes, now)
}

impl Store {
    /// Exactly what `share` would send now, without sending or storing anything.
    pub fn preview_share(&self, request: &ShareRequest) -> Result<SummaryForms, ShareError> {
        let summary = self.read(|conn| build(conn, request, SystemTime::now()))?;
        Ok(preview(&summary, &self.content_language()?))
    }
}

/// The summary in all three forms, with the sharing screen's notice in `language`.
pub fn preview(summary: &Summary, language: &str) -> SummaryForms {
    SummaryForms {
        summary_id: summary.id.clone(),
        json: serde_json::to_string_pretty(summary).expect("a summary serialises"),
        html: html::render(summary),
        fhir: serde_json::to_string_pretty(&fhir::render(summary)).expect("a bundle serialises"),
        nobody_is_told: crate::text::get(language, "share.nobody_is_told").to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
