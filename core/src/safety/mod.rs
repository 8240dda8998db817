//! Help on screen when it matters, and a record of each time it was shown.
//!
//! An alert carries everything a shell needs to show help at once, without
//! another call: the message, the crisis lines for the patient's region, and
//! their own safety plan.

pub mod help;
pub mod library;
pub mod plan;

pub use help::{help_now, region_of_locale, Confidence, HelpLine, HelpLineKind, HelpNow};
pub use library::{
    safety_page, safety_pages, search_safety, ContentSource, SafetyPage, SafetySearchHit, SafetySearchHitKind,
    HELP_NOW_ID,
};
pub use plan::{SafetyError, SafetyPlan, SafetyPlanItem, SafetyPlanSection, SafetyPlanStep};

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::store::{Store, StoreError};
use crate::time::{self, rfc3339};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SafetyAlertKind {
    /// A PHQ-9 item-9 answer above 0: thoughts of being better off dead or of self-harm.
    Phq9SelfHarmThoughts,
    /// PHQ-9 item 9 answered "prefer not to answer": a gentler card with the same help.
    Phq9SelfHarmDeclined,
}

crate::names::stored_names!(SafetyAlertKind {
    Phq9SelfHarmThoughts => "phq9_self_harm_thoughts",
    Phq9SelfHarmDeclined => "phq9_self_harm_declined",
});

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyAlert {
    pub kind: SafetyAlertKind,
    pub title: String,
    pub message: String,
    /// Where the advice in `message` comes from.
    pub source: String,
    /// That Waymark tells no one, not even the clinic: show it with the alert.
    pub nobody_is_told: String,
    /// The lines for the patient's region; `None` only where no store was at
    /// hand (`alert`): `add_assessment`, `assessment` and `assessments` set it.
    pub help_now: Option<HelpNow>,
    /// The patient's safety plan, set like `help_now`.
    pub safety_plan: Option<SafetyPlan>,
}

/// The alert to show for `kind`, in `locale` where Waymark has it and in English otherwise.
pub fn alert(kind: SafetyAlertKind, locale: &str) -> SafetyAlert {
    let strings = library::strings(library::language(locale));
    let (title, message, source) = match kind {
        SafetyAlertKind::Phq9SelfHarmThoughts => (&strings.alert_title, &strings.alert_message, &strings.alert_source),
        SafetyAlertKind::Phq9SelfHarmDeclined => {
            (&strings.declined_title, &strings.declined_message, &strings.declined_source)
        }
    };
    SafetyAlert {
        kind,
        title: title.clone(),
        message: message.clone(),
        source: source.clone(),
        nobody_is_told: strings.nobody_is_told.clone(),
        help_now: None,
        safety_plan: None,
    }
}

/// The alert for `kind` with the patient's crisis lines and safety plan, as it is raised.
pub(crate) fn alert_with_help(conn: &Connection, kind: SafetyAlertKind) -> rusqlite::Result<SafetyAlert> {
    let language = stored_language(conn)?;
    let region = effective_setting(conn, REGION_KEY)?;
    Ok(SafetyAlert {
        help_now: Some(help_now(region.as_deref(), language)),
        safety_plan: Some(plan::read_plan(conn, language)?),
        ..alert(kind, language)
    })
}

pub(crate) const REGION_KEY: &str = "region";
const LANGUAGE_KEY: &str = "language";

pub(crate) fn setting(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM setting WHERE key = ?1")?.query_row([key], |row| row.get(0)).optional()
}

/// The patient's setting, or else what the device's locale says.
pub(crate) fn effective_setting(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    match setting(conn, key)? {
        Some(value) => Ok(Some(value)),
        None => conn
            .prepare_cached("SELECT value FROM temp.device_setting WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional(),
    }
}

pub(crate) fn put_setting(conn: &Connection, key: &str, value: Option<&str>) -> rusqlite::Result<()> {
    match value {
        Some(value) => conn
            .prepare_cached("INSERT OR REPLACE INTO setting (key, value) VALUES (?1, ?2)")?
            .execute(params![key, value])?,
        None => conn.prepare_cached("DELETE FROM setting WHERE key = ?1")?.execute([key])?,
    };
    Ok(())
}

/// The content language for the patient's language, else the device's, else English.
pub(crate) fn stored_language(conn: &Connection) -> rusqlite::Result<&'static str> {
    Ok(library::language(effective_setting(conn, LANGUAGE_KEY)?.as_deref().unwrap_or("en")))
}

/// The language of a locale such as `es-MX` or `es_ES`, as `es`.
fn normalise_language(locale: &str) -> Option<String> {
    let language = locale.trim().split(['-', '_', '@', '.']).next()?.to_ascii_lowercase();
    // "C" and "POSIX", locales without a language, are not two or three letters.
    ((2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase())).then_some(language)
}

/// A time the app raised a safety alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyEvent {
    pub id: String,
    pub kind: SafetyAlertKind,
    /// When what raised it happened, e.g. when the PHQ-9 was taken.
    #[serde(with = "rfc3339")]
    pub occurred_at: SystemTime,
    pub zone: String,
    /// The PHQ-9 result that raised it, if any.
    pub assessment_id: Option<String>,
}

/// Records that `kind` was raised; called in the same transaction as what raised it.
pub(crate) fn record(
    conn: &Connection,
    kind: SafetyAlertKind,
    occurred_at: i64,
    zone: &str,
    assessment_id: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO safety_event (id, kind, occurred_at, zone, assessment_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        uuid::Uuid::now_v7().to_string(),
        kind.as_str(),
        occurred_at,
        zone,
        assessment_id,
        time::to_millis(SystemTime::now())
    ])?;
    Ok(())
}

/// Safety events that happened in `[from, to)`, oldest first.
pub(crate) fn events_between(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<SafetyEvent>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, kind, occurred_at, zone, assessment_id FROM safety_event \
         WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at, id",
    )?;
    let rows = statement.query_map(params![from, to], |row| {
        Ok((row.get::<_, String>(1)?, row.get(0)?, row.get(2)?, row.get(3)?, row.get(4)?))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (kind, id, occurred_at, zone, assessment_id) = row?;
        // A kind a later build added is not shown by this one.
        if let Some(kind) = SafetyAlertKind::from_stored(&kind) {
            events.push(SafetyEvent { id, kind, occurred_at: time::from_millis(occurred_at), zone, assessment_id });
        }
    }
    Ok(events)
}

impl Store {
    /// The patient's region for crisis lines, if they or the phone set one.
    pub fn region(&self) -> Result<Option<String>, StoreError> {
        self.read(|conn| Ok(setting(conn, REGION_KEY)?))
    }

    /// Sets the region (an ISO 3166 two-letter code), or clears it with `None`.
    pub fn set_region(&self, region: Option<&str>) -> Result<Option<String>, SafetyError> {
        let region = region
            .map(|code| help::normalise(code).ok_or_else(|| SafetyError::InvalidRegion { region: code.into() }))
            .transpose()?;
        self.write(|tx| Ok(put_setting(tx, REGION_KEY, region.as_deref()).map(|()| region)?))
    }

    /// The patient's language for safety content, if they or the phone set one.
    pub fn language(&self) -> Result<Option<String>, StoreError> {
        self.read(|conn| Ok(setting(conn, LANGUAGE_KEY)?))
    }

    /// Sets the language (a code such as `es`, or a locale such as `es-MX`),
    /// or clears it with `None`. A language without content reads as English.
    pub fn set_language(&self, locale: Option<&str>) -> Result<Option<String>, SafetyError> {
        let language = locale
            .map(|l| normalise_language(l).ok_or_else(|| SafetyError::InvalidLanguage { language: l.into() }))
            .transpose()?;
        self.write(|tx| Ok(put_setting(tx, LANGUAGE_KEY, language.as_deref()).map(|()| language)?))
    }

    /// The language Waymark's words are shown in: the patient's, else the
    /// device's, where Waymark has it, else English (`en`).
    pub fn content_language(&self) -> Result<String, StoreError> {
        self.read(|conn| Ok(stored_language(conn)?.to_string()))
    }

    /// The device's locale, such as `es_MX` or `en-GB`: its region and language
    /// stand in for settings the patient has not made, until the store is closed.
    /// Shells pass it after opening, and again when it changes.
    pub fn set_device_locale(&self, locale: Option<&str>) -> Result<(), StoreError> {
        let region = locale.and_then(help::region_of_locale);
        let language = locale.and_then(normalise_language);
        self.read(|conn| {
            conn.execute("DELETE FROM temp.device_setting", [])?;
            let mut insert = conn.prepare_cached("INSERT INTO temp.device_setting (key, value) VALUES (?1, ?2)")?;
            for (key, value) in [(REGION_KEY, region), (LANGUAGE_KEY, language)] {
                if let Some(value) = value {
                    insert.execute(params![key, value])?;
                }
            }
            Ok(())
        })
    }

    /// The lines for `region` in `locale`; `None` uses the patient's setting, else the device's.
    pub fn help_now(&self, region: Option<&str>, locale: Option<&str>) -> Result<HelpNow, StoreError> {
        self.read(|conn| {
            let region = match region {
                Some(region) => Some(region.to_string()),
                None => effective_setting(conn, REGION_KEY)?,
            };
            let locale = match locale {
                Some(locale) => locale,
                None => stored_language(conn)?,
            };
            Ok(help_now(region.as_deref(), locale))
        })
    }

    /// Every safety event that happened in `[from, to)`, oldest first; `None` leaves that end open.
    pub fn safety_events(
        &self,
        from: Option<SystemTime>,
        to: Option<SystemTime>,
    ) -> Result<Vec<SafetyEvent>, StoreError> {
        self.read(|conn| {
            Ok(events_between(conn, from.map_or(i64::MIN, time::to_millis), to.map_or(i64::MAX, time::to_millis))?)
        })
    }
}
