//! Blood pressure and heart rate, e.g. before and after an esketamine dose.
//!
//! A very high reading is flagged so the patient contacts their clinic or
//! emergency care. The app only flags: it never says to change a medication.

use std::time::SystemTime;

use rusqlite::{params, Connection};
use serde::Serialize;

use super::{check_common, MeasureError};
use crate::store::Store;
use crate::time::{self, rfc3339};

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
    pub zone: String,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub session_id: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub shared: bool,
}

impl VitalsDraft {
    /// A private blood pressure reading taken now.
    pub fn blood_pressure(systolic: i32, diastolic: i32, zone: &str) -> Self {
        Self {
            systolic: Some(systolic),
            diastolic: Some(diastolic),
            heart_rate: None,
            taken_at: None,
            zone: zone.to_string(),
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
        check_common(self.taken_at, &self.zone, self.session_id.as_deref())
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

/// The flag for a blood pressure at or above 180 systolic or 120 diastolic.
fn flag(systolic: Option<i32>, diastolic: Option<i32>) -> Option<VitalsFlag> {
    let very_high = systolic.is_some_and(|s| s >= CRISIS_SYSTOLIC) || diastolic.is_some_and(|d| d >= CRISIS_DIASTOLIC);
    very_high.then(|| VitalsFlag {
        title: "Very high blood pressure".to_string(),
        message: "The top number is 180 or higher, or the bottom number is 120 or higher. Wait a few minutes \
                  and measure again; if it is still this high, contact your clinic now. If you also have chest pain, shortness of breath, back pain, \
                  numbness or weakness, a change in vision or difficulty speaking, call your local emergency \
                  number now."
            .to_string(),
        source: "American Heart Association, \"Hypertensive Crisis: When You Should Call 911 for High Blood \
                 Pressure\" (heart.org); NHLBI, \"High Blood Pressure: Symptoms\" (nhlbi.nih.gov)."
            .to_string(),
    })
}

const COLUMNS: &str = "id, systolic, diastolic, heart_rate, taken_at, zone, session_id, shared";

fn read_reading(row: &rusqlite::Row<'_>) -> rusqlite::Result<VitalsReading> {
    let (systolic, diastolic) = (row.get(1)?, row.get(2)?);
    Ok(VitalsReading {
        id: row.get(0)?,
        systolic,
        diastolic,
        heart_rate: row.get(3)?,
        flag: flag(systolic, diastolic),
        taken_at: time::from_millis(row.get(4)?),
        zone: row.get(5)?,
        session_id: row.get(6)?,
        shared: row.get(7)?,
    })
}

/// Readings in `[from, to)`, oldest first.
pub(crate) fn readings_between(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<VitalsReading>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM vitals WHERE taken_at >= ?1 AND taken_at < ?2 ORDER BY taken_at, id"
    ))?
    .query_map(params![from, to], read_reading)?
    .collect()
}

impl Store {
    /// Saves a reading and says whether it is one to act on.
    pub fn add_vitals(&self, draft: &VitalsDraft) -> Result<VitalsReading, MeasureError> {
        draft.check()?;
        let now = time::to_millis(SystemTime::now());
        let taken_at = draft.taken_at.map_or(now, time::to_millis);
        let id = uuid::Uuid::now_v7().to_string();
        self.write(|tx| {
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
                draft.zone,
                draft.session_id,
                draft.shared,
                now
            ])?;
            Ok::<_, MeasureError>(())
        })?;
        Ok(VitalsReading {
            id,
            systolic: draft.systolic,
            diastolic: draft.diastolic,
            heart_rate: draft.heart_rate,
            flag: flag(draft.systolic, draft.diastolic),
            taken_at: time::from_millis(taken_at),
            zone: draft.zone.clone(),
            session_id: draft.session_id.clone(),
            shared: draft.shared,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::tests::open_store;

    fn bp(systolic: i32, diastolic: i32) -> VitalsDraft {
        VitalsDraft::blood_pressure(systolic, diastolic, "Europe/London")
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
            assert_eq!(flag(Some(systolic), Some(diastolic)).is_some(), flagged, "{systolic}/{diastolic}");
        }
        assert_eq!(flag(None, None), None);
    }

    #[test]
    fn the_flag_points_to_the_clinic_and_emergency_care_and_never_to_medication() {
        let flag = flag(Some(190), Some(100)).unwrap();
        assert!(flag.message.contains("contact your clinic") && flag.message.contains("emergency"));
        let lower = flag.message.to_lowercase();
        assert!(!lower.contains("medication") && !lower.contains("dose"));
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
            (VitalsDraft { zone: "Nowhere/Else".into(), ..bp(120, 80) }, "UnknownZone"),
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
