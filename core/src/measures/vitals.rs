//! Blood pressure and heart rate, e.g. before and after an esketamine dose.
//!
//! A very high reading is flagged so the patient contacts their clinic or
//! emergency care. The app only flags: it never says to change a medication.

use std::time::SystemTime;

use rusqlite::{params, Connection};
use serde::Serialize;

use super::{check_common, MeasureError};
use crate::store::Store;
use crate::text;
use crate::time::{self, rfc3339, Zone};

/// Input checks, not clinical limits: wide enough for any true reading
/// (home monitors show up to 299 mmHg), narrow enough to catch a typo.
const SYSTOLIC: (i32, i32) = (40, 299);
const DIASTOLIC: (i32, i32) = (20, 200);
const HEART_RATE: (i32, i32) = (20, 250);

/// At or above either number, a reading is flagged (AHA: a hypertensive
/// crisis is 180/120 mm Hg or greater).
const CRISIS_SYSTOLIC: i32 = 180;
const CRISIS_DIASTOLIC: i32 = 120;

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VitalsDraft {
    /// mmHg; give it with `diastolic`, or leave both out.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub systolic: Option<i32>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub diastolic: Option<i32>,
    /// Beats a minute.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub heart_rate: Option<i32>,
    /// When it was measured; `None` means now.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub taken_at: Option<SystemTime>,
    pub zone: Zone,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub session_id: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub shared: bool,
}

impl VitalsDraft {
    /// A private blood pressure reading taken now.
    pub fn blood_pressure(systolic: i32, diastolic: i32, zone: Zone) -> Self {
        Self {
            systolic: Some(systolic),
            diastolic: Some(diastolic),
            heart_rate: None,
            taken_at: None,
            zone,
            session_id: None,
            shared: false,
        }
    }

    /// Checks the draft without saving it.
    pub fn check(&self) -> Result<(), MeasureError> {
        let in_range = |value: i32, (min, max): (i32, i32)| (min..=max).contains(&value);
        match (self.systolic, self.diastolic) {
            (None, None) if self.heart_rate.is_none() => return Err(MeasureError::NoVitals),
            (None, None) => {}
            (Some(systolic), Some(diastolic)) => {
                if !in_range(systolic, SYSTOLIC) {
                    let (min, max) = SYSTOLIC;
                    return Err(MeasureError::SystolicOutOfRange { value: systolic, min, max });
                }
                if !in_range(diastolic, DIASTOLIC) {
                    let (min, max) = DIASTOLIC;
                    return Err(MeasureError::DiastolicOutOfRange { value: diastolic, min, max });
                }
                if diastolic >= systolic {
                    return Err(MeasureError::DiastolicNotBelowSystolic { systolic, diastolic });
                }
            }
            _ => return Err(MeasureError::IncompleteBloodPressure),
        }
        if let Some(value) = self.heart_rate.filter(|&rate| !in_range(rate, HEART_RATE)) {
            let (min, max) = HEART_RATE;
            return Err(MeasureError::HeartRateOutOfRange { value, min, max });
        }
        check_common(self.taken_at, self.session_id.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VitalsReading {
    pub id: String,
    pub systolic: Option<i32>,
    pub diastolic: Option<i32>,
    pub heart_rate: Option<i32>,
    /// Set when the reading is one to contact the clinic or emergency care about.
    pub flag: Option<VitalsFlag>,
    #[serde(with = "rfc3339")]
    pub taken_at: SystemTime,
    pub zone: String,
    pub session_id: Option<String>,
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VitalsFlag {
    pub title: String,
    pub message: String,
    pub source: String,
}

/// The flag for a blood pressure at or above 180 systolic or 120 diastolic, in `language`.
fn flag(systolic: Option<i32>, diastolic: Option<i32>, language: &str) -> Option<VitalsFlag> {
    let very_high = systolic.is_some_and(|s| s >= CRISIS_SYSTOLIC) || diastolic.is_some_and(|d| d >= CRISIS_DIASTOLIC);
    let say = |part: &str| text::get(language, &format!("vitals.very_high.{part}")).to_string();
    very_high.then(|| VitalsFlag { title: say("title"), message: say("message"), source: say("source") })
}

const COLUMNS: &str = "id, systolic, diastolic, heart_rate, taken_at, zone, session_id, shared";

fn read_reading(row: &rusqlite::Row<'_>, language: &str) -> rusqlite::Result<VitalsReading> {
    let (systolic, diastolic) = (row.get(1)?, row.get(2)?);
    Ok(VitalsReading {
        id: row.get(0)?,
        systolic,
        diastolic,
        heart_rate: row.get(3)?,
        flag: flag(systolic, diastolic, language),
        taken_at: time::from_millis(row.get(4)?),
        zone: row.get(5)?,
        session_id: row.get(6)?,
        shared: row.get(7)?,
    })
}

/// Readings in `[from, to)`, oldest first.
pub(crate) fn readings_between(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<VitalsReading>> {
    let language = crate::safety::stored_language(conn)?;
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM vitals WHERE taken_at >= ?1 AND taken_at < ?2 ORDER BY taken_at, id"
    ))?
    .query_map(params![from, to], |row| read_reading(row, language))?
    .collect()
}

/// A reading taken this close to the start of a dose is linked to that session.
const AROUND_A_DOSE: std::time::Duration = std::time::Duration::from_secs(2 * 3_600);

impl Store {
    /// Saves a reading and says whether it is one to act on. Without a session
    /// of its own, a reading taken within 2 hours before or after the start of
    /// a dosing session is linked to it.
    pub fn add_vitals(&self, draft: &VitalsDraft) -> Result<VitalsReading, MeasureError> {
        draft.check()?;
        let now = time::to_millis(SystemTime::now());
        let taken_at = draft.taken_at.map_or(now, time::to_millis);
        let id = uuid::Uuid::now_v7().to_string();
        let (session_id, language) = self.write(|tx| {
            let session_id = match &draft.session_id {
                Some(id) => Some(id.clone()),
                None => crate::course::dosing_session_near(tx, time::from_millis(taken_at), AROUND_A_DOSE)?,
            };
            tx.prepare_cached(
                "INSERT INTO vitals (id, systolic, diastolic, heart_rate, taken_at, zone, session_id, shared, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?
            .execute(params![
                id,
                draft.systolic,
                draft.diastolic,
                draft.heart_rate,
                taken_at,
                draft.zone.name(),
                session_id,
                draft.shared,
                now
            ])?;
            Ok::<_, MeasureError>((session_id, crate::safety::stored_language(tx)?))
        })?;
        Ok(VitalsReading {
            id,
            systolic: draft.systolic,
            diastolic: draft.diastolic,
            heart_rate: draft.heart_rate,
            flag: flag(draft.systolic, draft.diastolic, language),
            taken_at: time::from_millis(taken_at),
            zone: draft.zone.name().to_string(),
            session_id,
            shared: draft.shared,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::open_store;

    fn bp(systolic: i32, diastolic: i32) -> VitalsDraft {
        VitalsDraft::blood_pressure(systolic, diastolic, "Europe/London".parse().unwrap())
    }

    #[test]
    fn readings_at_or_above_180_over_120_are_flagged() {
        let table = [
            (120, 80, false),
            (179, 119, false),
            (180, 80, true),
            (150, 120, true),
            (180, 120, true),
            (210, 130, true),
        ];
        for (systolic, diastolic, flagged) in table {
            assert_eq!(flag(Some(systolic), Some(diastolic), "en").is_some(), flagged, "{systolic}/{diastolic}");
        }
        assert_eq!(flag(None, None, "en"), None);
    }

    #[test]
    fn the_flag_points_to_the_clinic_and_emergency_care_and_never_to_medication() {
        let flag = flag(Some(190), Some(100), "en").unwrap();
        assert!(flag.message.contains("contact your clinic") && flag.message.contains("emergency"));
        let lower = flag.message.to_lowercase();
        assert!(!lower.contains("medication") && !lower.contains("dose"));
    }

    #[test]
    fn a_reading_within_2_hours_of_a_dose_is_linked_to_its_session() {
        use crate::course::{tests::start, CourseTemplate};
        use crate::test_support::at;
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
        let first = store.appointments().unwrap().remove(0);
        let reading = |when: &str| {
            let draft = VitalsDraft {
                taken_at: Some(at(when)),
                ..VitalsDraft::blood_pressure(130, 85, "UTC".parse().unwrap())
            };
            store.add_vitals(&draft).unwrap().session_id
        };
        assert_eq!(reading("2026-11-02T08:00:00Z").as_ref(), Some(&first.id), "2 hours before the dose");
        assert_eq!(reading("2026-11-02T10:40:00Z").as_ref(), Some(&first.id), "40 minutes after");
        assert_eq!(reading("2026-11-02T12:00:00Z").as_ref(), Some(&first.id), "2 hours after");
        assert_eq!(reading("2026-11-02T12:01:00Z"), None);
        assert_eq!(reading("2026-11-01T10:00:00Z"), None);
        let own = VitalsDraft {
            session_id: Some(uuid::Uuid::now_v7().to_string()),
            taken_at: Some(at("2026-11-02T10:30:00Z")),
            ..VitalsDraft::blood_pressure(130, 85, "UTC".parse().unwrap())
        };
        assert_eq!(store.add_vitals(&own).unwrap().session_id, own.session_id, "a session given wins");
        let stored = store.read(|conn| Ok::<_, MeasureError>(readings_between(conn, i64::MIN, i64::MAX)?)).unwrap();
        assert_eq!(stored.iter().filter(|r| r.session_id.as_ref() == Some(&first.id)).count(), 3);
    }

    #[test]
    fn the_flag_speaks_the_patients_language() {
        let (_dir, store) = open_store();
        store.set_language(Some("es")).unwrap();
        let flag =
            store.add_vitals(&VitalsDraft::blood_pressure(190, 100, "UTC".parse().unwrap())).unwrap().flag.unwrap();
        assert_eq!(flag.title, "Presión arterial muy alta");
        assert!(flag.message.contains("contacte ahora con su clínica") && flag.message.contains("180"));
    }

    #[test]
    fn a_reading_is_saved_with_its_flag() {
        let (_dir, store) = open_store();
        let reading = store.add_vitals(&VitalsDraft { heart_rate: Some(72), ..bp(185, 95) }).unwrap();
        assert_eq!((reading.systolic, reading.diastolic, reading.heart_rate), (Some(185), Some(95), Some(72)));
        assert!(reading.flag.is_some());
        let stored = store.read(|conn| Ok::<_, MeasureError>(readings_between(conn, i64::MIN, i64::MAX)?)).unwrap();
        assert_eq!(stored, [reading]);
    }

    #[test]
    fn implausible_readings_are_refused_and_nothing_is_stored() {
        let (_dir, store) = open_store();
        let heart_rate_only =
            |rate| VitalsDraft { systolic: None, diastolic: None, heart_rate: Some(rate), ..bp(0, 0) };
        let cases = [
            (bp(300, 20), "SystolicOutOfRange"),
            (bp(80, 120), "DiastolicNotBelowSystolic"),
            (bp(120, 10), "DiastolicOutOfRange"),
            (bp(120, 120), "DiastolicNotBelowSystolic"),
            (VitalsDraft { diastolic: None, ..bp(120, 80) }, "IncompleteBloodPressure"),
            (VitalsDraft { systolic: None, diastolic: None, ..bp(0, 0) }, "NoVitals"),
            (heart_rate_only(0), "HeartRateOutOfRange"),
            (heart_rate_only(400), "HeartRateOutOfRange"),
        ];
        for (draft, expected) in cases {
            let error = store.add_vitals(&draft).unwrap_err();
            assert!(format!("{error:?}").starts_with(expected), "{draft:?} gave {error:?}");
        }
        assert!(store
            .read(|conn| Ok::<_, MeasureError>(readings_between(conn, i64::MIN, i64::MAX)?))
            .unwrap()
            .is_empty());
        assert!(store.add_vitals(&heart_rate_only(64)).unwrap().flag.is_none());
    }
}
