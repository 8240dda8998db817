//! Bringing a journal in from another app: Daylio's CSV export. A preview
//! shows what would come in before anything is written; an import is all or
//! nothing, and importing the same file again adds nothing.
//!
//! Daylio's default moods map to valence by this table; any other name
//! (translated or custom) must be mapped by the patient:
//!
//! | Daylio | rad | good | meh | bad | awful |
//! |---|---|---|---|---|---|
//! | valence | +3 | +2 | 0 | -2 | -3 |

pub(crate) mod daylio;

use std::collections::BTreeMap;

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::journal::{self, CheckInDraft, EmotionLabel, JournalError, LifeArea};
use crate::store::{Store, StoreError};
use crate::time::Zone;

const DEFAULT_MOODS: [(&str, i32); 5] = [("rad", 3), ("good", 2), ("meh", 0), ("bad", -2), ("awful", -3)];
const SAMPLE: usize = 3;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum ImportError {
    #[error("this is not a Daylio export (its header is \"{found}\"); export a CSV from Daylio's settings")]
    NotDaylio { found: String },
    #[error("line {line} cannot be read: {reason}; nothing was imported")]
    BadRow { line: u64, reason: String },
    #[error(
        "these moods have no valence yet: {names}; map each to -3..+3 (e.g. --map \"Sick=-2\"); nothing was imported"
    )]
    UnmappedMoods { names: String },
    #[error("\"{name}\" cannot map to {valence}; use a valence from -3 to +3")]
    InvalidMapping { name: String, valence: i32 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(error: rusqlite::Error) -> Self {
        ImportError::Store(error.into())
    }
}

/// The patient's own valence for a mood name the file uses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MoodMapping {
    pub name: String,
    pub valence: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MoodCount {
    pub name: String,
    pub count: u32,
    /// `None` until it is mapped.
    pub valence: Option<i32>,
}

/// One entry as it would be imported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportedEntry {
    /// Local date and time as the file has it.
    pub local: String,
    pub mood: String,
    pub valence: Option<i32>,
    pub labels: Vec<String>,
    pub areas: Vec<String>,
    pub sleep_hours: Option<f64>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportPreview {
    pub entries: u32,
    /// Each distinct mood name, most used first.
    pub moods: Vec<MoodCount>,
    /// Names still to map; the import refuses while any is left.
    pub unmapped: Vec<String>,
    /// Entries already in the journal from an earlier import of this file.
    pub already_imported: u32,
    pub sample: Vec<ImportedEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportResult {
    pub added: u32,
    /// Already imported before.
    pub skipped: u32,
}

fn valences(mappings: &[MoodMapping]) -> Result<BTreeMap<String, i32>, ImportError> {
    let mut table: BTreeMap<String, i32> = DEFAULT_MOODS.iter().map(|(name, v)| (name.to_string(), *v)).collect();
    for mapping in mappings {
        if !(-3..=3).contains(&mapping.valence) {
            return Err(ImportError::InvalidMapping { name: mapping.name.clone(), valence: mapping.valence });
        }
        table.insert(mapping.name.trim().to_lowercase(), mapping.valence);
    }
    Ok(table)
}

/// "8:00" or "7:30" of Daylio's Sleep Time scale, in quarter hours.
fn sleep_hours(scale: &str) -> Option<f64> {
    let value = scale.strip_prefix("Sleep Time:")?.trim();
    let (hours, minutes) = value.split_once(':')?;
    let hours = f64::from(hours.trim().parse::<u32>().ok()?) + f64::from(minutes.trim().parse::<u32>().ok()?) / 60.0;
    (hours <= 24.0).then(|| (hours * 4.0).round() / 4.0)
}

/// A row as Waymark would keep it, and its import key.
struct Converted {
    entry: ImportedEntry,
    draft: Option<CheckInDraft>,
    key: String,
}

fn convert(
    rows: &[daylio::Row],
    table: &BTreeMap<String, i32>,
    zone: chrono_tz::Tz,
    zone_name: Zone,
) -> Vec<Converted> {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    rows.iter()
        .map(|row| {
            let (mut labels, mut areas, mut other) = (Vec::new(), Vec::new(), Vec::new());
            for activity in &row.activities {
                if let Ok(label) = activity.parse::<EmotionLabel>() {
                    labels.push(label);
                } else if let Ok(area) = activity.parse::<LifeArea>() {
                    areas.push(area);
                } else {
                    other.push(activity.clone());
                }
            }
            let sleep = row.scales.iter().find_map(|s| sleep_hours(s));
            let other_scales: Vec<&String> = row.scales.iter().filter(|s| sleep_hours(s).is_none()).collect();
            let mut parts: Vec<String> =
                [row.note_title.clone(), row.note.clone()].into_iter().filter(|p| !p.is_empty()).collect();
            if !other.is_empty() {
                parts.push(format!("Activities: {}", other.join(", ")));
            }
            if !other_scales.is_empty() {
                parts.push(other_scales.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; "));
            }
            let text = parts.join("\n\n");
            let valence = table.get(&row.mood.to_lowercase()).copied();
            let digest = Sha256::digest(format!("daylio\u{1f}{}", row.raw).as_bytes());
            let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
            let occurrence = seen.entry(hex.clone()).or_insert(0);
            *occurrence += 1;
            let key = format!("daylio:{hex}:{occurrence}");
            let draft = valence.map(|valence| CheckInDraft {
                labels: labels.clone(),
                areas: areas.clone(),
                sleep_hours: sleep,
                text: text.clone(),
                occurred_at: Some(crate::time::instant_of(row.local, zone)),
                ..CheckInDraft::new(valence, zone_name)
            });
            let entry = ImportedEntry {
                local: row.local.format("%Y-%m-%d %H:%M").to_string(),
                mood: row.mood.clone(),
                valence,
                labels: labels.iter().map(|l| l.as_str().to_string()).collect(),
                areas: areas.iter().map(|a| a.as_str().to_string()).collect(),
                sleep_hours: sleep,
                text,
            };
            Converted { entry, draft, key }
        })
        .collect()
}

fn prepare(csv: &str, mappings: &[MoodMapping], zone: Zone) -> Result<(Vec<daylio::Row>, Vec<Converted>), ImportError> {
    let tz = zone.tz();
    let table = valences(mappings)?;
    let rows = daylio::parse(csv)?;
    let converted = convert(&rows, &table, tz, zone);
    Ok((rows, converted))
}

fn already(conn: &Connection, converted: &[Converted]) -> rusqlite::Result<u32> {
    let mut statement = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM checkin WHERE import_key = ?1)")?;
    let mut count = 0;
    for c in converted {
        if statement.query_row([&c.key], |row| row.get::<_, bool>(0))? {
            count += 1;
        }
    }
    Ok(count)
}

impl Store {
    /// What importing `csv` (a Daylio export) would do, writing nothing.
    /// Times without a zone are read in `zone`, the phone's.
    pub fn preview_daylio(
        &self,
        csv: &str,
        mappings: &[MoodMapping],
        zone: Zone,
    ) -> Result<ImportPreview, ImportError> {
        let (rows, converted) = prepare(csv, mappings, zone)?;
        let mut counts: BTreeMap<&str, (u32, Option<i32>)> = BTreeMap::new();
        for (row, c) in rows.iter().zip(&converted) {
            let slot = counts.entry(row.mood.as_str()).or_insert((0, c.entry.valence));
            slot.0 += 1;
        }
        let mut moods: Vec<MoodCount> = counts
            .into_iter()
            .map(|(name, (count, valence))| MoodCount { name: name.to_string(), count, valence })
            .collect();
        moods.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        let unmapped = moods.iter().filter(|m| m.valence.is_none()).map(|m| m.name.clone()).collect();
        let already_imported = self.read(|conn| Ok::<_, ImportError>(already(conn, &converted)?))?;
        Ok(ImportPreview {
            entries: converted.len() as u32,
            moods,
            unmapped,
            already_imported,
            sample: converted.iter().take(SAMPLE).map(|c| c.entry.clone()).collect(),
        })
    }

    /// Imports `csv` in one transaction: refused whole while a mood is
    /// unmapped or a row is bad; entries imported before are skipped.
    pub fn import_daylio(&self, csv: &str, mappings: &[MoodMapping], zone: Zone) -> Result<ImportResult, ImportError> {
        self.write(|tx| import_in(tx, csv, mappings, zone))
    }
}

pub(crate) fn import_in(
    tx: &Connection,
    csv: &str,
    mappings: &[MoodMapping],
    zone: Zone,
) -> Result<ImportResult, ImportError> {
    let (rows, converted) = prepare(csv, mappings, zone)?;
    let mut unmapped: Vec<&str> =
        rows.iter().zip(&converted).filter(|(_, c)| c.draft.is_none()).map(|(r, _)| r.mood.as_str()).collect();
    unmapped.sort_unstable();
    unmapped.dedup();
    if !unmapped.is_empty() {
        return Err(ImportError::UnmappedMoods { names: unmapped.join(", ") });
    }
    let mut report = ImportResult { added: 0, skipped: 0 };
    for (row, c) in rows.iter().zip(&converted) {
        let draft = c.draft.as_ref().expect("every mood is mapped");
        match journal::insert_imported(tx, draft, &c.key) {
            Ok(true) => report.added += 1,
            Ok(false) => report.skipped += 1,
            Err(JournalError::Store(error)) => return Err(ImportError::Store(error)),
            Err(other) => return Err(ImportError::BadRow { line: row.line, reason: other.to_string() }),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
