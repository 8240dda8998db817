//! Help on screen when it matters, and a record of each time it was shown.
//!
//! An alert carries everything a shell needs to show help at once, without
//! another call: the message, the crisis lines for the patient's region, and
//! their own safety plan.

pub mod help;
pub mod library;
pub mod plan;

pub use help::{help_now, HelpLine, HelpLineKind, HelpNow};
pub use library::{safety_page, safety_pages, search_safety, ContentSource, SafetyPage, SafetySearchHit};
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
}

impl SafetyAlertKind {
    fn as_str(self) -> &'static str {
        match self {
            SafetyAlertKind::Phq9SelfHarmThoughts => "phq9_self_harm_thoughts",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [SafetyAlertKind::Phq9SelfHarmThoughts].into_iter().find(|kind| kind.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyAlert {
    pub kind: SafetyAlertKind,
    pub title: String,
    pub message: String,
    /// Where the advice in `message` comes from.
    pub source: String,
    /// The lines for the patient's region: set on the alert `add_assessment`
    /// returns, `None` on a result read back later.
    pub help_now: Option<HelpNow>,
    /// The patient's safety plan, set like `help_now`.
    pub safety_plan: Option<SafetyPlan>,
}

/// The alert to show for `kind`.
pub fn alert(kind: SafetyAlertKind) -> SafetyAlert {
    match kind {
        SafetyAlertKind::Phq9SelfHarmThoughts => SafetyAlert {
            kind,
            title: "You do not have to face this alone".to_string(),
            message: "You said you have had thoughts that you would be better off dead or of hurting yourself. \
                      Help is available right now. If you might act on these thoughts or cannot keep yourself \
                      safe, call your local emergency number or go to an emergency department now. Tell someone \
                      you trust how you feel, and let your clinic know."
                .to_string(),
            source: "An item-9 answer above 0 needs follow-up whatever the total (Kroenke, Spitzer & Williams, \
                     J Gen Intern Med 2001). Tell someone; emergency services now if you cannot keep yourself \
                     safe (NHS, \"Help for suicidal thoughts\", nhs.uk/mental-health/feelings-symptoms-behaviours/\
                     behaviours/help-for-suicidal-thoughts)."
                .to_string(),
            help_now: None,
            safety_plan: None,
        },
    }
}

/// The alert for `kind` with the patient's crisis lines and safety plan, as it is raised.
pub(crate) fn alert_with_help(conn: &Connection, kind: SafetyAlertKind) -> rusqlite::Result<SafetyAlert> {
    let region = stored_region(conn)?;
    Ok(SafetyAlert {
        help_now: Some(help_now(region.as_deref())),
        safety_plan: Some(plan::read_plan(conn)?),
        ..alert(kind)
    })
}

const REGION_KEY: &str = "region";

fn stored_region(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([REGION_KEY], |row| row.get(0))
        .optional()
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
        if let Some(kind) = SafetyAlertKind::parse(&kind) {
            events.push(SafetyEvent { id, kind, occurred_at: time::from_millis(occurred_at), zone, assessment_id });
        }
    }
    Ok(events)
}

impl Store {
    /// The patient's region for crisis lines, if they or the phone set one.
    pub fn region(&self) -> Result<Option<String>, StoreError> {
        self.read(|conn| Ok(stored_region(conn)?))
    }

    /// Sets the region (an ISO 3166 two-letter code), or clears it with `None`.
    pub fn set_region(&self, region: Option<&str>) -> Result<Option<String>, SafetyError> {
        let region = match region {
            Some(code) => {
                Some(help::normalise(code).ok_or_else(|| SafetyError::InvalidRegion { region: code.into() })?)
            }
            None => None,
        };
        self.write(|tx| {
            match &region {
                Some(code) => tx
                    .prepare_cached("INSERT OR REPLACE INTO setting (key, value) VALUES (?1, ?2)")?
                    .execute(params![REGION_KEY, code])?,
                None => tx.prepare_cached("DELETE FROM setting WHERE key = ?1")?.execute([REGION_KEY])?,
            };
            Ok(region)
        })
    }

    /// The lines for `region`, or for the stored region when `None`.
    pub fn help_now(&self, region: Option<&str>) -> Result<HelpNow, StoreError> {
        let stored = match region {
            Some(_) => None,
            None => self.region()?,
        };
        Ok(help_now(region.or(stored.as_deref())))
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
