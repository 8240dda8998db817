//! The printable report: one self-contained HTML file with inline SVG charts,
//! a table beside each chart for screen readers, the sessions and the shared
//! notes. No scripts and nothing fetched: its Content-Security-Policy forbids both.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{NaiveDate, Utc};

use super::summary::{MeasureEntry, Summary};
use crate::measures::{answer_label, self_harm_item_text, Answer};
use crate::safety::SafetyAlertKind;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;max-width:780px;margin:2rem auto;\
padding:0 1rem}h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}\
caption{text-align:left;font-weight:600;padding:.3rem 0}svg{width:100%;height:auto}.axis{stroke:#888;stroke-width:1}\
.grid{stroke:#e4e4e4;stroke-width:1}.mood{stroke:#2f6f9f;fill:none;stroke-width:2}.dot-mood{fill:#2f6f9f}\
.phq9{stroke:#b5483b;fill:none;stroke-width:2}.dot-phq9{fill:#b5483b}.gad7{stroke:#6a4c9c;fill:none;stroke-width:2}\
.dot-gad7{fill:#6a4c9c}.item9-mark{fill:none;stroke:#b00020;stroke-width:2.5}\
.item9{background:#fdecea;font-weight:600}.item9-alert{border:2px solid #b00020;background:#fdecea;padding:.4rem .8rem;margin:.8rem 0}\
text{font-size:11px;fill:#444}.note{border-left:3px solid #2f6f9f;padding:.2rem .8rem;margin:.8rem 0}\
.meta{color:#555}@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure,.note{break-inside:avoid}}";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The local day of an RFC 3339 instant in `zone`.
fn local_day(at: &str, zone: chrono_tz::Tz) -> Option<NaiveDate> {
    Some(chrono::DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&zone).date_naive())
}

/// An instant as local time in `zone`, escaped: a received summary is text
/// from elsewhere, so even its timestamps are not trusted.
fn local_time(at: &str, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| escape(at))
}

/// Maps days and values to the chart's plane.
struct Plane {
    from: NaiveDate,
    days: i64,
    low: f64,
    high: f64,
}

impl Plane {
    fn x(&self, day: NaiveDate) -> f64 {
        let span = (self.days - 1).max(1) as f64;
        let offset = (day - self.from).num_days() as f64;
        if self.days <= 1 {
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0
        } else {
            LEFT + offset / span * (WIDTH - LEFT - RIGHT)
        }
    }

    fn y(&self, value: f64) -> f64 {
        TOP + (self.high - value) / (self.high - self.low) * (HEIGHT - TOP - BOTTOM)
    }

    fn frame(&self, svg: &mut String, ticks: &[f64], to: NaiveDate) {
        for tick in ticks {
            let y = self.y(*tick);
            let _ = write!(svg, r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/>"#, WIDTH - RIGHT);
            let _ = write!(svg, r#"<text x="{}" y="{:.1}" text-anchor="end">{tick}</text>"#, LEFT - 6.0, y + 4.0);
        }
        let base = HEIGHT - BOTTOM;
        let _ = write!(svg, r#"<line class="axis" x1="{LEFT}" x2="{}" y1="{base}" y2="{base}"/>"#, WIDTH - RIGHT);
        let _ = write!(svg, r#"<text x="{LEFT}" y="{}">{}</text>"#, HEIGHT - 8.0, self.from);
        let _ = write!(svg, r#"<text x="{}" y="{}" text-anchor="end">{to}</text>"#, WIDTH - RIGHT, HEIGHT - 8.0);
    }
}

/// One series: a line through its points and a dot per point, each dot
/// carrying its day and value so the figures can be checked.
fn series(svg: &mut String, plane: &Plane, class: &str, points: &[(NaiveDate, f64)]) {
    if points.len() > 1 {
        let path: Vec<String> =
            points.iter().map(|(day, value)| format!("{:.1},{:.1}", plane.x(*day), plane.y(*value))).collect();
        let _ = write!(svg, r#"<polyline class="{class}" points="{}"/>"#, path.join(" "));
    }
    for (day, value) in points {
        let _ = write!(
            svg,
            r#"<circle class="dot-{class}" data-series="{class}" data-day="{day}" data-value="{value}" cx="{:.1}" cy="{:.1}" r="3.5"/>"#,
            plane.x(*day),
            plane.y(*value)
        );
    }
}

fn open_svg(id: &str, title: &str, description: &str) -> String {
    format!(
        r#"<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" id="{id}-chart"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    )
}

/// Each day's mean mood, in the summary's zone.
fn daily_mood(summary: &Summary, zone: chrono_tz::Tz) -> BTreeMap<NaiveDate, (f64, u32)> {
    let mut days: BTreeMap<NaiveDate, (i64, u32)> = BTreeMap::new();
    for entry in summary.mood.iter().flatten() {
        if let Some(day) = local_day(&entry.at, zone) {
            let slot = days.entry(day).or_default();
            slot.0 += i64::from(entry.valence);
            slot.1 += 1;
        }
    }
    days.into_iter().map(|(day, (sum, n))| (day, ((sum as f64 / f64::from(n) * 10.0).round() / 10.0, n))).collect()
}

pub fn render(summary: &Summary) -> String {
    let zone = crate::time::parse_zone(&summary.zone).unwrap_or(chrono_tz::UTC);
    let from = NaiveDate::parse_from_str(&summary.from, "%Y-%m-%d").unwrap_or_else(|_| Utc::now().date_naive());
    let to = NaiveDate::parse_from_str(&summary.to, "%Y-%m-%d").unwrap_or(from);
    let days = (to - from).num_days() + 1;
    let mut html = String::new();
    let scopes: Vec<&str> = summary.scopes.iter().map(|s| s.as_str()).collect();
    let _ = write!(
        html,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Waymark summary {from} to {to}</title><style>{STYLE}</style></head><body><header><h1>Waymark summary</h1><p class="meta">{from} to {to} ({zone_name}) · shared {created} · includes: {scopes}</p><p class="meta">Shared by the patient from their Waymark journal. Only what they chose is here.</p></header>"#,
        zone_name = escape(&summary.zone),
        created = local_time(&summary.created_at, zone),
        scopes = escape(&scopes.join(", ")),
    );
    if summary.mood.is_some() {
        mood_section(&mut html, summary, zone, Plane { from, days, low: -3.0, high: 3.0 }, to);
    }
    if let Some(measures) = &summary.measures {
        scores_section(&mut html, measures, zone, Plane { from, days, low: 0.0, high: 27.0 }, to);
    }
    if let Some(vitals) = &summary.vitals {
        html.push_str(r#"<section id="vitals"><h2>Vitals</h2>"#);
        if vitals.is_empty() {
            html.push_str("<p>No readings in this range.</p>");
        } else {
            html.push_str(r#"<table id="vitals-table"><caption>Blood pressure and heart rate</caption><thead><tr><th scope="col">When</th><th scope="col">Blood pressure (mmHg)</th><th scope="col">Heart rate (/min)</th></tr></thead><tbody>"#);
            for reading in vitals {
                let pressure = match (reading.systolic, reading.diastolic) {
                    (Some(s), Some(d)) => format!("{s}/{d}"),
                    _ => "–".into(),
                };
                let rate = reading.heart_rate.map_or("–".into(), |r| r.to_string());
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{pressure}</td><td>{rate}</td></tr>",
                    local_time(&reading.at, zone)
                );
            }
            html.push_str("</tbody></table>");
        }
        html.push_str("</section>");
    }
    if let Some(sessions) = &summary.sessions {
        let _ = write!(
            html,
            r#"<section id="sessions"><h2>Sessions</h2><p>Dosing sessions in this range: {} kept, {} missed, {} cancelled, {} still to come.</p>"#,
            sessions.dosing_done, sessions.dosing_missed, sessions.dosing_cancelled, sessions.dosing_scheduled
        );
        if !sessions.appointments.is_empty() {
            html.push_str(r#"<table id="sessions-table"><caption>Appointments</caption><thead><tr><th scope="col">When (clinic time)</th><th scope="col">What</th><th scope="col">Kind</th><th scope="col">Status</th></tr></thead><tbody>"#);
            for a in &sessions.appointments {
                let _ = write!(
                    html,
                    "<tr><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&a.local_start.replace('T', " ")),
                    escape(&a.zone),
                    escape(&a.title),
                    escape(&a.kind.replace('_', " ")),
                    escape(&a.status)
                );
            }
            html.push_str("</tbody></table>");
        }
        html.push_str("</section>");
    }
    if let Some(events) = &summary.safety {
        html.push_str(r#"<section id="safety"><h2>Safety</h2>"#);
        if events.is_empty() {
            html.push_str("<p>Waymark did not show crisis help in this range.</p>");
        } else {
            html.push_str(
                r#"<p>Waymark showed the patient crisis lines and their safety plan on:</p><ul id="safety-list">"#,
            );
            for event in events {
                let why = match SafetyAlertKind::from_stored(&event.kind) {
                    Some(SafetyAlertKind::Phq9SelfHarmThoughts) => "PHQ-9 item 9 above 0",
                    Some(SafetyAlertKind::Phq9SelfHarmDeclined) => "PHQ-9 item 9 not answered (prefer not to answer)",
                    None => "another safety alert",
                };
                let _ = write!(html, "<li>{}: {why}</li>", local_time(&event.at, zone));
            }
            html.push_str("</ul>");
        }
        html.push_str("</section>");
    }
    if let Some(notes) = &summary.notes {
        html.push_str(r#"<section id="notes"><h2>Notes the patient shared</h2>"#);
        if notes.is_empty() {
            html.push_str("<p>No notes were marked for sharing in this range.</p>");
        }
        for note in notes {
            let _ = write!(html, r#"<div class="note"><p class="meta">{}"#, local_time(&note.at, zone));
            if let Some(prompt) = &note.prompt {
                let _ = write!(html, " · answering “{}”", escape(prompt));
            }
            let _ = write!(html, "</p><p>{}</p></div>", escape(&note.text).replace('\n', "<br>"));
        }
        html.push_str("</section>");
    }
    let _ = write!(
        html,
        r#"<footer><p class="meta">Waymark {} · summary {}</p></footer></body></html>"#,
        escape(&summary.schema),
        escape(&summary.id)
    );
    html
}

fn mood_section(html: &mut String, summary: &Summary, zone: chrono_tz::Tz, plane: Plane, to: NaiveDate) {
    let daily = daily_mood(summary, zone);
    html.push_str(r#"<section id="mood"><h2>Mood</h2>"#);
    let points: Vec<(NaiveDate, f64)> = daily.iter().map(|(day, (mean, _))| (*day, *mean)).collect();
    let mut svg = open_svg(
        "mood",
        "Daily mood",
        &format!(
            "The mean of each day's check-ins, from -3 (very unpleasant) to +3 (very pleasant), on {} days.",
            points.len()
        ),
    );
    plane.frame(&mut svg, &[-3.0, 0.0, 3.0], to);
    series(&mut svg, &plane, "mood", &points);
    svg.push_str("</svg>");
    let _ = write!(html, "<figure>{svg}<figcaption>Daily mood (mean of the day's check-ins). The table below has the same figures.</figcaption></figure>");
    html.push_str(r#"<table id="mood-table"><caption>Daily mood, -3 to +3</caption><thead><tr><th scope="col">Day</th><th scope="col">Mean mood</th><th scope="col">Check-ins</th></tr></thead><tbody>"#);
    for (day, (mean, count)) in &daily {
        let _ = write!(html, "<tr><td>{day}</td><td>{mean:+.1}</td><td>{count}</td></tr>");
    }
    html.push_str("</tbody></table></section>");
}

/// PHQ-9 item 9 in words: "Thoughts that you would be better off dead or of
/// hurting yourself in some way: nearly every day", or that it was declined.
fn item9_in_words(m: &MeasureEntry) -> Option<String> {
    let answer = match (m.item9(), m.item9_declined()) {
        (Some(value), _) => Answer::Score { value },
        (None, true) => Answer::PreferNotToAnswer,
        (None, false) => return None,
    };
    let said = answer_label(answer)?;
    Some(format!("{}: {}", self_harm_item_text(), said.to_lowercase()))
}

/// The results whose item 9 is above 0 or was declined, each with its time and
/// the answer in words, so no one reading the report can miss them.
fn item9_alert(html: &mut String, measures: &[MeasureEntry], zone: chrono_tz::Tz) {
    let flagged: Vec<&MeasureEntry> =
        measures.iter().filter(|m| m.item9().is_some_and(|v| v > 0) || m.item9_declined()).collect();
    if flagged.is_empty() {
        return;
    }
    html.push_str(r#"<div class="item9-alert" id="item9-alert"><p><strong>PHQ-9 item 9 (thoughts of being better off dead or of self-harm) needs follow-up whatever the total:</strong></p><ul>"#);
    for m in flagged {
        let words = item9_in_words(m).unwrap_or_default();
        let _ = write!(html, "<li>{}: {}</li>", local_time(&m.at, zone), escape(&words));
    }
    html.push_str("</ul><p class=\"meta\">Waymark showed the patient crisis lines and their safety plan at the time. It does not alert anyone.</p></div>");
}

fn scores_section(html: &mut String, measures: &[MeasureEntry], zone: chrono_tz::Tz, plane: Plane, to: NaiveDate) {
    html.push_str(r#"<section id="scores"><h2>PHQ-9 and GAD-7</h2>"#);
    item9_alert(html, measures, zone);
    let mut svg = open_svg(
        "scores",
        "PHQ-9 and GAD-7 totals",
        &format!(
            "{} results: PHQ-9 (0 to 27) and GAD-7 (0 to 21) totals over time; a red ring marks a PHQ-9 whose \
             item 9 was above 0. A result with an item not answered has no total and is not plotted.",
            measures.len()
        ),
    );
    plane.frame(&mut svg, &[0.0, 5.0, 10.0, 15.0, 20.0, 27.0], to);
    for instrument in ["phq9", "gad7"] {
        // An incomplete result has no total to plot: the table and the item-9 box show it.
        let points: Vec<(NaiveDate, f64)> = measures
            .iter()
            .filter(|m| m.instrument == instrument && m.is_complete())
            .filter_map(|m| Some((local_day(&m.at, zone)?, f64::from(m.total))))
            .collect();
        series(&mut svg, &plane, instrument, &points);
    }
    for m in measures.iter().filter(|m| m.is_complete() && m.item9().is_some_and(|v| v > 0)) {
        if let Some(day) = local_day(&m.at, zone) {
            let _ = write!(
                svg,
                r#"<circle class="item9-mark" data-day="{day}" data-item9="{}" cx="{:.1}" cy="{:.1}" r="7"><title>{}</title></circle>"#,
                m.item9().unwrap_or_default(),
                plane.x(day),
                plane.y(f64::from(m.total)),
                escape(&item9_in_words(m).unwrap_or_default())
            );
        }
    }
    svg.push_str("</svg>");
    let _ = write!(html, "<figure>{svg}<figcaption>PHQ-9 (red) and GAD-7 (purple) totals; a red ring marks PHQ-9 item 9 above 0. The table below has the same figures.</figcaption></figure>");
    html.push_str(r#"<table id="scores-table"><caption>Questionnaire results</caption><thead><tr><th scope="col">When</th><th scope="col">Questionnaire</th><th scope="col">Total</th><th scope="col">Severity</th><th scope="col">PHQ-9 item 9</th></tr></thead><tbody>"#);
    for m in measures {
        let name = if m.instrument == "phq9" { "PHQ-9" } else { "GAD-7" };
        let flagged = m.item9().is_some_and(|v| v > 0) || m.item9_declined();
        let (total, severity) = match m.is_complete() {
            true => (m.total.to_string(), escape(&m.severity.replace('_', " "))),
            false => (format!("{} (incomplete)", m.total), "not scored: an item was not answered".to_string()),
        };
        let _ = write!(
            html,
            "<tr{}><td>{}</td><td>{name}</td><td data-total=\"{}\">{total}</td><td>{severity}</td><td>{}</td></tr>",
            if flagged { r#" class="item9""# } else { "" },
            local_time(&m.at, zone),
            m.total,
            item9_in_words(m).map_or("–".to_string(), |words| escape(&words)),
        );
    }
    html.push_str("</tbody></table></section>");
}
