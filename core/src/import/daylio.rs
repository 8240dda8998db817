//! Reading Daylio's CSV export, every generation of it (shared/domain.md,
//! "Daylio's CSV export"): the 2017 `year` header with English dates, 2019,
//! 2021 with note titles, and 2026 with scales; a BOM, quoting, 12- and
//! 24-hour times, and notes with `<br>`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::ImportError;

/// One row as Daylio wrote it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The file line the row starts on, for error messages.
    pub line: u64,
    pub local: NaiveDateTime,
    pub mood: String,
    pub activities: Vec<String>,
    pub scales: Vec<String>,
    pub note_title: String,
    pub note: String,
    /// The row's fields as written, for the import key.
    pub raw: String,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "September 13" with the row's year.
fn english_date(year: &str, text: &str) -> Option<NaiveDate> {
    let year: i32 = year.trim().parse().ok()?;
    let (month, day) = text.trim().split_once(' ')?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month.trim()))? as u32 + 1;
    NaiveDate::from_ymd_opt(year, month, day.trim().parse().ok()?)
}

/// `5:01 PM`, `10:00 pm`, `15:26` or `9:03`.
fn time_of_day(text: &str) -> Option<NaiveTime> {
    let text = text.trim().to_ascii_lowercase();
    let (clock, half) = match (text.strip_suffix("am"), text.strip_suffix("pm")) {
        (Some(clock), _) => (clock.trim(), Some(false)),
        (_, Some(clock)) => (clock.trim(), Some(true)),
        _ => (text.as_str(), None),
    };
    let (hours, minutes) = clock.split_once(':')?;
    let (mut hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    match half {
        Some(pm) if (1..=12).contains(&hours) => hours = hours % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => {}
    }
    NaiveTime::from_hms_opt(hours, minutes, 0)
}

/// Daylio's simple HTML as plain text: `<br>` becomes a new line, other tags go.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        match rest[start..].find('>') {
            Some(end) => {
                let tag = rest[start + 1..start + end].trim().trim_end_matches('/').trim().to_ascii_lowercase();
                if tag == "br" || tag == "p" || tag == "/p" || tag == "div" || tag == "/div" {
                    out.push('\n');
                }
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

fn split_list(text: &str) -> Vec<String> {
    text.split(" | ").map(|item| item.trim().to_string()).filter(|item| !item.is_empty()).collect()
}

/// Every row of `text`, or the first row that cannot be read, by its line.
pub(crate) fn parse(text: &str) -> Result<Vec<Row>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::BadRow { line: 1, reason: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (full_date, year, date) = (column("full_date"), column("year"), column("date"));
    let (time, mood, activities) = (column("time"), column("mood"), column("activities"));
    let (scales, note_title, note) = (column("scales"), column("note_title"), column("note"));
    let (Some(time), Some(mood)) = (time, mood) else {
        return Err(ImportError::NotDaylio { found: header.join(",") });
    };
    if full_date.is_none() && (year.is_none() || date.is_none()) {
        return Err(ImportError::NotDaylio { found: header.join(",") });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| ImportError::BadRow { line: e.position().map_or(0, |p| p.line()), reason: e.to_string() })?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |reason: String| ImportError::BadRow { line, reason };
        if record.len() != header.len() {
            return Err(bad(format!("it has {} fields where the header has {}", record.len(), header.len())));
        }
        let field = |index: Option<usize>| index.and_then(|i| record.get(i)).unwrap_or("");
        let day = match full_date {
            Some(i) => NaiveDate::parse_from_str(field(Some(i)).trim(), "%Y-%m-%d").ok(),
            None => english_date(field(year), field(date)),
        }
        .ok_or_else(|| bad(format!("\"{}\" is not a date", field(full_date.or(date)))))?;
        let clock =
            time_of_day(field(Some(time))).ok_or_else(|| bad(format!("\"{}\" is not a time", field(Some(time)))))?;
        let mood_name = field(Some(mood)).trim().to_string();
        if mood_name.is_empty() {
            return Err(bad("the mood is empty".into()));
        }
        rows.push(Row {
            line,
            local: day.and_time(clock),
            mood: mood_name,
            activities: split_list(field(activities)),
            scales: split_list(&field(scales).replace('\u{a0}', " ")),
            note_title: plain(field(note_title)),
            note: plain(field(note)),
            raw: record.iter().collect::<Vec<_>>().join("\u{1f}"),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn times_come_in_both_clocks() {
        for (text, expected) in [
            ("5:01 PM", (17, 1)),
            ("10:00 pm", (22, 0)),
            ("12:05 AM", (0, 5)),
            ("12:30 pm", (12, 30)),
            ("15:26", (15, 26)),
            ("9:03", (9, 3)),
        ] {
            assert_eq!(time_of_day(text), NaiveTime::from_hms_opt(expected.0, expected.1, 0), "{text}");
        }
        for bad in ["25:00", "13:00 PM", "noon", "9", ""] {
            assert_eq!(time_of_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn notes_lose_their_markup_but_not_their_lines() {
        assert_eq!(plain("First line<br>second &amp; <b>bold</b><br/>third"), "First line\nsecond & bold\nthird");
        assert_eq!(plain("a < b"), "a < b");
    }

    proptest! {
        #[test]
        fn any_text_parses_or_fails_with_a_typed_error(text in ".{0,300}") {
            let _ = parse(&text);
        }

        #[test]
        fn any_row_shape_parses_or_names_its_line(mood in "[a-z ]{0,12}", time in "[0-9:apm ]{0,8}", note in ".{0,40}") {
            let file = format!("full_date,date,weekday,time,mood,activities,note\n2024-03-01,March 1,Friday,{time},{mood},\"\",\"{}\"", note.replace('"', "\"\""));
            if let Err(ImportError::BadRow { line, .. }) = parse(&file) {
                prop_assert!(line >= 2);
            }
        }
    }
}
