//! What the CLI prints: short human lines, or JSON with `--json`.

use std::time::SystemTime;

use chrono::DateTime;
use serde::Serialize;
use waymark_core::time::{parse_zone, rfc3339};
use waymark_core::{CheckIn, SearchHit, TodayView};

fn json<T: Serialize + ?Sized>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("journal types serialise"));
}

/// The entry's time as it was on the patient's clock when they wrote it.
fn local_time(instant: SystemTime, zone: &str) -> String {
    match parse_zone(zone) {
        Some(tz) => DateTime::<chrono::Utc>::from(instant).with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        None => rfc3339::format(instant),
    }
}

fn summary(entry: &CheckIn) -> String {
    let mut line = format!("{}  {:+}", local_time(entry.occurred_at, &entry.zone), entry.valence);
    let tags: Vec<String> =
        entry.labels.iter().map(ToString::to_string).chain(entry.areas.iter().map(ToString::to_string)).collect();
    if !tags.is_empty() {
        line.push_str(&format!("  [{}]", tags.join(", ")));
    }
    if entry.shared {
        line.push_str("  (shared)");
    }
    line
}

fn first_line(text: &str, max_chars: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut short: String = line.chars().take(max_chars).collect();
    if line.chars().count() > max_chars || text.lines().nth(1).is_some() {
        short.push('…');
    }
    short
}

pub fn entries(entries: &[CheckIn], as_json: bool) {
    if as_json {
        return json(entries);
    }
    if entries.is_empty() {
        println!("No entries.");
    }
    for entry in entries {
        println!("{}  {}", summary(entry), entry.id);
        if !entry.text.is_empty() {
            println!("    {}", first_line(&entry.text, 72));
        }
    }
}

pub fn entry(entry: &CheckIn, as_json: bool) {
    if as_json {
        return json(entry);
    }
    println!("{}", summary(entry));
    println!("id:      {}", entry.id);
    println!("zone:    {}", entry.zone);
    for (name, value) in [("energy", entry.energy), ("anxiety", entry.anxiety)] {
        if let Some(value) = value {
            println!("{:<8} {value}", format!("{name}:"));
        }
    }
    if let Some(hours) = entry.sleep_hours {
        println!("sleep:   {hours} h");
    }
    if let Some(deleted) = entry.deleted_at {
        println!("deleted: {} (undo with `waymark journal undelete {}`)", rfc3339::format(deleted), entry.id);
    }
    if !entry.text.is_empty() {
        println!("\n{}", entry.text);
    }
}

pub fn hits(hits: &[SearchHit], as_json: bool) {
    if as_json {
        return json(hits);
    }
    if hits.is_empty() {
        println!("Nothing found.");
    }
    for hit in hits {
        let snippet: String = hit
            .snippet
            .iter()
            .map(|part| if part.highlighted { format!("«{}»", part.text) } else { part.text.clone() })
            .collect();
        println!("{}  {}", summary(&hit.entry), hit.entry.id);
        println!("    {}", snippet.replace('\n', " "));
    }
}

pub fn today(view: &TodayView, as_json: bool) {
    if as_json {
        return json(view);
    }
    println!("Today, {} ({})", view.date, view.zone);
    let days = if view.streak_days == 1 { "day" } else { "days" };
    println!("Streak: {} {days}", view.streak_days);
    println!("Last 7 days (mean valence):");
    for day in &view.last_7_days {
        match day.mean_valence {
            Some(mean) => println!("  {}  {:+.1}  {}", day.date, mean, bar(mean)),
            None => println!("  {}   —", day.date),
        }
    }
    println!("Today's check-ins:");
    if view.entries.is_empty() {
        println!("  none yet: `waymark checkin --valence N` adds one");
    }
    for entry in &view.entries {
        println!("  {}", summary(entry));
        if !entry.text.is_empty() {
            println!("      {}", first_line(&entry.text, 70));
        }
    }
}

/// A bar from the centre: left for unpleasant, right for pleasant.
fn bar(mean: f64) -> String {
    let steps = (mean.abs() * 2.0).round() as usize;
    let cells = "█".repeat(steps);
    if mean < 0.0 {
        format!("{:>6}|", cells)
    } else {
        format!("{:>6}|{}", "", cells)
    }
}
