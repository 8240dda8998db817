//! Exports the patient can read elsewhere: all their data as JSON, and their
//! check-ins and measures as CSV with numbers, not just labels. The same store
//! exports the same files; only the JSON's `exported_at` changes.

use std::time::SystemTime;

use chrono::Utc;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::measures::{self, Answer};
use crate::store::{Store, StoreError};
use crate::time::{self, rfc3339};

pub const FORMAT: &str = "waymark.export/1";

/// Each table the export holds, with its order. Left out: the search index's
/// queue, the outbox and inbox (ciphertext and digests), and secrets.
const TABLES: &[(&str, &str)] = &[
    ("checkin", "SELECT * FROM checkin WHERE deleted_at IS NULL ORDER BY occurred_at, id"),
    ("assessment", "SELECT * FROM assessment ORDER BY taken_at, id"),
    ("vitals", "SELECT * FROM vitals ORDER BY taken_at, id"),
    ("baseline", "SELECT * FROM baseline ORDER BY instrument"),
    ("measure_schedule", "SELECT * FROM measure_schedule ORDER BY instrument"),
    ("safety_event", "SELECT * FROM safety_event ORDER BY occurred_at, id"),
    ("course", "SELECT * FROM course ORDER BY created_at, id"),
    ("appointment", "SELECT * FROM appointment ORDER BY local_start, id"),
    ("checklist_item", "SELECT * FROM checklist_item ORDER BY appointment_id, item"),
    ("reminder_settings", "SELECT * FROM reminder_settings"),
    ("setting", "SELECT * FROM setting ORDER BY key"),
    ("safety_plan_item", "SELECT * FROM safety_plan_item ORDER BY step, created_at, id"),
    ("channel", "SELECT id, role, label, relay_url, created_at, revoked_at FROM channel ORDER BY created_at, id"),
    ("assigned_prompt", "SELECT * FROM assigned_prompt ORDER BY assigned_at, id"),
    ("received_summary", "SELECT * FROM received_summary ORDER BY received_at, id"),
];

/// Columns that are internal keys, not the patient's data.
const INTERNAL: &[&str] = &["seq"];
/// Columns stored as space-separated words, exported as lists.
const WORD_LISTS: &[&str] = &["labels", "areas"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ExportFormat {
    /// One `waymark-export.json` with everything.
    Json,
    /// `checkins.csv` and `measures.csv`.
    Csv,
}

/// A file of an export, for the shell to save or hand to a share sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportedFile {
    pub name: String,
    pub content: String,
}

fn value(column: &str, raw: ValueRef<'_>) -> Value {
    match raw {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) if column.ends_with("_at") => json!(rfc3339::format(time::from_millis(n))),
        ValueRef::Integer(n) => json!(n),
        ValueRef::Real(x) => json!(x),
        ValueRef::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            if WORD_LISTS.contains(&column) {
                json!(text.split_whitespace().collect::<Vec<_>>())
            } else {
                json!(text)
            }
        }
        ValueRef::Blob(_) => Value::Null,
    }
}

fn table(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<Value>> {
    let mut statement = conn.prepare(sql)?;
    let names: Vec<String> = statement.column_names().map(String::from).collect();
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::new();
        for (index, name) in names.iter().enumerate() {
            if !INTERNAL.contains(&name.as_str()) {
                object.insert(name.clone(), value(name, row.get_ref(index)?));
            }
        }
        out.push(Value::Object(object));
    }
    Ok(out)
}

fn everything(conn: &Connection, now: SystemTime) -> rusqlite::Result<Value> {
    let mut tables = Map::new();
    for (name, sql) in TABLES {
        tables.insert(name.to_string(), Value::Array(table(conn, sql)?));
    }
    Ok(json!({
        "format": FORMAT,
        "schema_version": crate::store::SCHEMA_VERSION,
        "exported_at": rfc3339::format(now),
        "tables": tables,
    }))
}

/// A CSV field, quoted when it must be (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn line(fields: &[String]) -> String {
    let mut line = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The instant in its own zone, with its offset, e.g. `2026-11-04T09:00:00+01:00`.
fn local(instant: SystemTime, zone: &str) -> String {
    let utc = chrono::DateTime::<Utc>::from(instant);
    match time::parse_zone(zone) {
        Some(tz) => utc.with_timezone(&tz).to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        None => utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

fn checkins_csv(conn: &Connection) -> rusqlite::Result<String> {
    let mut csv = line(
        &[
            "id",
            "date",
            "zone",
            "valence",
            "energy",
            "anxiety",
            "sleep_hours",
            "labels",
            "areas",
            "text",
            "shared",
            "session_id",
            "prompt_id",
        ]
        .map(String::from),
    );
    for c in crate::journal::live_between(conn, i64::MIN, i64::MAX)? {
        csv.push_str(&line(&[
            c.id,
            local(c.occurred_at, &c.zone),
            c.zone,
            c.valence.to_string(),
            optional(c.energy),
            optional(c.anxiety),
            optional(c.sleep_hours),
            c.labels.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(";"),
            c.areas.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(";"),
            c.text,
            c.shared.to_string(),
            c.session_id.unwrap_or_default(),
            c.prompt_id.unwrap_or_default(),
        ]));
    }
    Ok(csv)
}

fn measures_csv(conn: &Connection) -> rusqlite::Result<String> {
    let mut header: Vec<String> = ["id", "instrument", "date", "zone", "total", "severity"].map(String::from).to_vec();
    header.extend((1..=9).map(|n| format!("item_{n}")));
    header.push("session_id".into());
    let mut csv = line(&header);
    for a in measures::assessments_between(conn, None, i64::MIN, i64::MAX, false)? {
        // With item 9 declined, the sum of the other items is not a PHQ-9 total and has no band.
        let (total, severity) = match a.severity {
            Some(band) => (a.total.to_string(), band.as_str().to_string()),
            None => (String::new(), "incomplete".to_string()),
        };
        let mut fields =
            vec![a.id, a.instrument.as_str().to_string(), local(a.taken_at, &a.zone), a.zone.clone(), total, severity];
        let mut items: Vec<String> = a
            .answers
            .iter()
            .map(|answer| match answer {
                Answer::Score { value } => value.to_string(),
                Answer::PreferNotToAnswer => "prefer not to answer".to_string(),
                Answer::Unanswered => String::new(),
            })
            .collect();
        items.resize(9, String::new());
        fields.extend(items);
        fields.push(a.session_id.unwrap_or_default());
        csv.push_str(&line(&fields));
    }
    Ok(csv)
}

impl Store {
    /// The export in `format`, as files to save.
    pub fn export(&self, format: ExportFormat) -> Result<Vec<ExportedFile>, StoreError> {
        self.export_at(format, SystemTime::now())
    }

    /// `export` stamped `now`.
    pub fn export_at(&self, format: ExportFormat, now: SystemTime) -> Result<Vec<ExportedFile>, StoreError> {
        self.read(|conn| {
            Ok(match format {
                ExportFormat::Json => vec![ExportedFile {
                    name: "waymark-export.json".into(),
                    content: serde_json::to_string_pretty(&everything(conn, now)?).expect("values serialise"),
                }],
                ExportFormat::Csv => vec![
                    ExportedFile { name: "checkins.csv".into(), content: checkins_csv(conn)? },
                    ExportedFile { name: "measures.csv".into(), content: measures_csv(conn)? },
                ],
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{CheckInDraft, EmotionLabel};
    use crate::measures::{AssessmentDraft, Instrument};
    use crate::test_support::{at, open_store};

    fn seeded() -> (tempfile::TempDir, Store) {
        let (dir, store) = open_store();
        let draft = CheckInDraft {
            text: "Walked, \"slowly\", by the river\nthen home".into(),
            energy: Some(3),
            sleep_hours: Some(7.25),
            labels: vec![EmotionLabel::Calm, EmotionLabel::Hopeful],
            occurred_at: Some(at("2026-11-04T08:00:00Z")),
            ..CheckInDraft::new(2, "Europe/Paris".parse().unwrap())
        };
        store.add_checkin(&draft).unwrap();
        let deleted = store.add_checkin(&CheckInDraft::new(-1, "Europe/Paris".parse().unwrap())).unwrap();
        store.delete_checkin(&deleted.id).unwrap();
        let mut answers = vec![Answer::Score { value: 2 }; 9];
        answers[8] = Answer::PreferNotToAnswer;
        let phq9 = AssessmentDraft {
            taken_at: Some(at("2026-11-05T09:30:00Z")),
            ..AssessmentDraft::new(Instrument::Phq9, answers, "America/New_York".parse().unwrap())
        };
        store.add_assessment(&phq9).unwrap();
        store.pair(&crate::sync::Pairing::new("https://relay.example.org").unwrap().code()).unwrap();
        (dir, store)
    }

    #[test]
    fn csv_has_numbers_labels_and_dates_with_their_offset() {
        let (_dir, store) = seeded();
        let files = store.export(ExportFormat::Csv).unwrap();
        let checkins = &files[0].content;
        let rows: Vec<&str> = checkins.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(
            rows[0],
            "id,date,zone,valence,energy,anxiety,sleep_hours,labels,areas,text,shared,session_id,prompt_id"
        );
        assert!(rows[1].contains(",2026-11-04T09:00:00+01:00,Europe/Paris,2,3,,7.25,calm;hopeful,,\"Walked, \"\"slowly\"\", by the river\nthen home\",false,,"), "{}", rows[1]);
        assert_eq!(rows.len(), 2, "the deleted entry is not exported");
        let measures = &files[1].content;
        assert!(
            measures.contains(
                ",phq9,2026-11-05T04:30:00-05:00,America/New_York,,incomplete,2,2,2,2,2,2,2,2,prefer not to answer,"
            ),
            "{measures}"
        );
    }

    #[test]
    fn json_holds_everything_readable_and_no_secret() {
        let (_dir, store) = seeded();
        let json = &store.export(ExportFormat::Json).unwrap()[0].content;
        let export: Value = serde_json::from_str(json).unwrap();
        assert_eq!(export["format"], FORMAT);
        let checkin = &export["tables"]["checkin"][0];
        assert_eq!(checkin["occurred_at"], "2026-11-04T08:00:00.000Z");
        assert_eq!(checkin["labels"], json!(["calm", "hopeful"]));
        assert!(checkin.get("seq").is_none());
        assert_eq!(export["tables"]["checkin"].as_array().unwrap().len(), 1);
        assert_eq!(export["tables"]["assessment"][0]["total"], 16);
        assert_eq!(export["tables"]["channel"][0]["relay_url"], "https://relay.example.org");
        assert!(export["tables"]["channel"][0].get("secret").is_none(), "the pairing secret stays out");
    }

    #[test]
    fn the_same_store_exports_the_same_files_apart_from_the_timestamp() {
        let (_dir, store) = seeded();
        let (first, second) = (at("2026-11-20T10:00:00Z"), at("2026-11-21T10:00:00Z"));
        for format in [ExportFormat::Json, ExportFormat::Csv] {
            let a = store.export_at(format, first).unwrap();
            let b = store.export_at(format, second).unwrap();
            let strip = |files: Vec<ExportedFile>| {
                files
                    .into_iter()
                    .map(|f| {
                        f.content.replace("2026-11-20T10:00:00.000Z", "T").replace("2026-11-21T10:00:00.000Z", "T")
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(a), strip(b), "{format:?}");
        }
    }
}
