//! What the CLI prints: short human lines, or JSON with `--json`.

use std::time::SystemTime;

use chrono::DateTime;
use serde::Serialize;
use waymark_core::measures::{
    answer_label, Answer, BaselineRule, InstrumentProgress, MeasureSchedule, Outcome, OutcomeStatus,
};
use waymark_core::time::{parse_zone, rfc3339};
use waymark_core::{
    AppointmentView, Assessment, CareItem, CheckIn, CourseOverview, DueMeasure, HelpNow, JournalRow,
    PlannedNotification, Progress, SearchHit, TodayView, VitalsReading,
};

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

fn summary(entry: &JournalRow) -> String {
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

pub fn entries(entries: &[JournalRow], as_json: bool) {
    if as_json {
        return json(entries);
    }
    if entries.is_empty() {
        println!("No entries.");
    }
    for entry in entries {
        println!("{}  {}", summary(entry), entry.id);
        if !entry.preview.is_empty() {
            println!("    {}", first_line(&entry.preview, 72));
        }
    }
}

pub fn entry(entry: &CheckIn, as_json: bool) {
    if as_json {
        return json(entry);
    }
    println!("{}", summary(&JournalRow::from(entry.clone())));
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
        if !entry.preview.is_empty() {
            println!("      {}", first_line(&entry.preview, 70));
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

fn total_line(result: &Assessment) -> String {
    let max = result.instrument.max_total();
    match result.severity {
        Some(band) => format!("{} {}/{max} ({})", result.instrument, result.total, band.as_str()),
        None => {
            format!("{} incomplete: item 9 not answered ({} from the other items)", result.instrument, result.total)
        }
    }
}

/// PHQ-9 item 9 in words when it needs follow-up: above 0, or declined.
fn item9_marker(answer: Option<Answer>) -> String {
    match answer {
        Some(answer @ (Answer::Score { value: 1.. } | Answer::PreferNotToAnswer)) => {
            format!("  (item 9: {})", answer_label(answer).unwrap_or_default().to_lowercase())
        }
        _ => String::new(),
    }
}

/// Help, unmissable: a blank line, a marked title, then the message.
fn help(title: &str, message: &str) {
    println!("\n!! {title}");
    println!("   {message}");
}

pub fn assessment(result: &Assessment, as_json: bool) {
    if as_json {
        return json(result);
    }
    println!("{}", total_line(result));
    println!("saved as {}", result.id);
    if let Some(alert) = &result.safety_alert {
        help(&alert.title, &alert.message);
        println!("   {}", alert.nobody_is_told);
        if let Some(lines) = &alert.help_now {
            self::lines(lines, "   ");
        }
    }
}

pub fn assessments(results: &[Assessment], as_json: bool) {
    if as_json {
        return json(results);
    }
    if results.is_empty() {
        println!("No results yet: `waymark assess phq9` takes one.");
    }
    for result in results {
        let marker = item9_marker(result.item9_answer());
        println!("{}  {}  {}{marker}", local_time(result.taken_at, &result.zone), total_line(result), result.id);
    }
}

pub fn due(due: &[DueMeasure], zone: &str, as_json: bool) {
    if as_json {
        return json(due);
    }
    if due.is_empty() {
        println!("No measures are scheduled.");
    }
    for measure in due {
        let when = match measure.due_at {
            _ if measure.due_now => "due now".to_string(),
            Some(at) => format!("due from {}", local_time(at, zone)),
            None => "due now".to_string(),
        };
        println!("{}: {when} (every {} days)", measure.instrument, measure.every_days);
    }
}

pub fn schedule(schedule: &MeasureSchedule) {
    match schedule.enabled {
        true => println!("{}: due every {} days", schedule.instrument, schedule.every_days),
        false => println!("{}: off", schedule.instrument),
    }
}

fn vitals_line(reading: &VitalsReading) -> String {
    let mut parts = Vec::new();
    if let (Some(systolic), Some(diastolic)) = (reading.systolic, reading.diastolic) {
        parts.push(format!("blood pressure {systolic}/{diastolic} mmHg"));
    }
    if let Some(rate) = reading.heart_rate {
        parts.push(format!("heart rate {rate} bpm"));
    }
    parts.join(", ")
}

pub fn vitals(reading: &VitalsReading, as_json: bool) {
    if as_json {
        return json(reading);
    }
    println!("{}", vitals_line(reading));
    println!("saved as {}", reading.id);
    if let Some(flag) = &reading.flag {
        help(&flag.title, &flag.message);
    }
}

fn outcome_line(name: &str, outcome: &Outcome) {
    let status = match outcome.status {
        OutcomeStatus::Met => "met",
        OutcomeStatus::NotMet => "not met",
        OutcomeStatus::NotApplicable => "not yet applicable",
    };
    println!("  {name}: {status}  ({})", outcome.definition);
}

fn instrument_progress(progress: &InstrumentProgress, zone: &str) {
    let day = |at| local_time(at, zone).chars().take(10).collect::<String>();
    let (Some(baseline), Some(latest)) = (&progress.baseline, &progress.latest) else {
        println!("{}: no results in this range", progress.instrument);
        return;
    };
    let picked = match progress.baseline_rule {
        Some(BaselineRule::Picked) => ", picked",
        Some(BaselineRule::FirstOfCourse) => ", first of this course",
        _ => "",
    };
    println!(
        "{}: baseline {} ({}{picked}), latest {} {} ({})",
        progress.instrument,
        baseline.total,
        day(baseline.taken_at),
        latest.total,
        latest.severity.map_or("incomplete", |band| band.as_str()),
        day(latest.taken_at),
    );
    match (progress.change, progress.reduction_percent) {
        (Some(change), Some(percent)) if percent >= 0.0 => println!("  change {change:+} ({percent:.0}% lower)"),
        (Some(change), Some(percent)) => println!("  change {change:+} ({:.0}% higher)", -percent),
        (Some(change), None) => println!("  change {change:+}"),
        (None, _) => println!("  no result after the baseline yet"),
    }
    for (name, outcome) in [("response", &progress.response), ("remission", &progress.remission)] {
        if let Some(outcome) = outcome {
            outcome_line(name, outcome);
        }
    }
    let scores: Vec<String> = progress
        .trajectory
        .iter()
        .map(|point| {
            let total = if point.complete { point.total.to_string() } else { format!("{}?", point.total) };
            format!("{total}{}", item9_marker(point.item9_answer).replace("  (", "("))
        })
        .collect();
    println!("  scores: {}", scores.join(" "));
    if progress.trajectory.iter().any(|point| !point.complete) {
        println!("  (? = incomplete: item 9 not answered, left out of response and remission)");
    }
}

pub fn progress(progress: &Progress, as_json: bool) {
    if as_json {
        return json(progress);
    }
    let from = progress.from.as_deref().unwrap_or("the start");
    println!("Progress from {from} to {} ({})", progress.to, progress.zone);
    instrument_progress(&progress.phq9, &progress.zone);
    instrument_progress(&progress.gad7, &progress.zone);
    println!("{}", progress.clinic_note);
    let recent = &progress.trends[progress.trends.len().saturating_sub(7)..];
    match progress.trends.len() {
        0 => println!("No check-ins in this range."),
        days => println!("Check-ins on {days} days; the last days with one:"),
    }
    for day in recent {
        let anxiety = day.mean_anxiety.map_or("—".to_string(), |a| format!("{a:.1}"));
        let sleep = day.mean_sleep_hours.map_or("—".to_string(), |h| format!("{h:.1} h"));
        println!(
            "  {}  valence {:+.1} (7-day {:+.1})  anxiety {anxiety}  sleep {sleep}",
            day.date, day.mean_valence, day.rolling_valence_7d
        );
    }
    if let Some(reading) = progress.vitals.last() {
        let date = local_time(reading.taken_at, &progress.zone);
        println!(
            "Latest vitals: {} ({date}){}",
            vitals_line(reading),
            if reading.flag.is_some() { "  !! very high" } else { "" }
        );
    }
    if !progress.safety_events.is_empty() {
        println!("Safety alerts in this range: {}", progress.safety_events.len());
    }
    due(&progress.due, &progress.zone, false);
}

fn appointment_line(view: &AppointmentView) -> String {
    let a = &view.appointment;
    let place = if a.place.is_empty() { String::new() } else { format!(" @ {}", a.place) };
    format!("{}  {:<9}  {}{place}  {}", view.local_time, a.status.as_str(), a.title, a.id)
}

pub fn care(items: &[CareItem]) {
    for item in items {
        let mark = if item.checked { "[x]" } else { "[ ]" };
        let from = item.from.map(|at| format!(" (from {})", rfc3339::format(at))).unwrap_or_default();
        println!("    {mark} {}{from}: {}", item.title, item.detail);
    }
}

pub fn overview(overview: &CourseOverview, as_json: bool) {
    if as_json {
        return json(overview);
    }
    match &overview.course {
        Some(course) => println!("{} ({}), {} sessions done", course.title, course.zone, overview.done),
        None => {
            println!("No course yet: `waymark course start --template esketamine --first 2026-12-01T09:00` starts one.")
        }
    }
    if let Some(next) = &overview.next {
        println!("Next: {}", appointment_line(next));
        care(&next.care);
    }
    if overview.upcoming.len() > 1 {
        println!("Then:");
        for view in &overview.upcoming[1..] {
            println!("  {}", appointment_line(view));
        }
    }
    if !overview.past.is_empty() {
        println!("Past:");
        for view in &overview.past {
            println!("  {}", appointment_line(view));
        }
    }
    if let Some(ending) = &overview.ending {
        println!("\n{}", ending.message);
        println!("{}", ending.clinic_note);
        if ending.can_continue {
            println!("Continue the schedule with `waymark course continue --every-weeks 1|2 --sessions N`.");
        }
        println!("Read more: `waymark safety show {}`", ending.page_id);
    }
}

pub fn plan(plan: &[PlannedNotification], as_json: bool) {
    if as_json {
        return json(plan);
    }
    if plan.is_empty() {
        println!("Nothing to remind.");
    }
    for notification in plan {
        let exact = if notification.exact { "exact" } else { "window" };
        println!("{}  {:<6}  {}: {}", notification.local_time, exact, notification.title, notification.body);
    }
}

fn lines(help: &HelpNow, indent: &str) {
    for line in &help.lines {
        let how: Vec<&str> = [line.call_label.as_deref(), line.text_label.as_deref()].into_iter().flatten().collect();
        let hours = line.hours_note.as_deref().unwrap_or(&line.hours);
        println!("{indent}{}: {} ({hours})", line.name, how.join(", "));
    }
    if let Some(note) = &help.limited_hours_note {
        println!("{indent}{note}");
    }
    if let Some(fallback) = &help.fallback {
        println!("{indent}{fallback}");
    }
}

pub fn help_now(help_now: &HelpNow) {
    match &help_now.region {
        Some(region) => println!("{} ({region}):", help_now.title),
        None => println!("{}:", help_now.title),
    }
    lines(help_now, "  ");
}

pub fn safety_page(page: &waymark_core::safety::SafetyPage) {
    println!("{}\n", page.title);
    println!("{}\n", page.body);
    println!("Sources:");
    for source in &page.sources {
        let what = source.url.as_deref().or(source.reference.as_deref()).unwrap_or_default();
        println!("  - {what} (read {})", source.accessed);
    }
}

pub fn sync_status(status: &waymark_core::sync::SyncStatus) {
    if status.channels.is_empty() {
        println!("Not paired: nothing is shared.");
    }
    for channel in &status.channels {
        let info = &channel.channel;
        let who = if info.label.is_empty() { "your therapist".to_string() } else { info.label.clone() };
        let state = if info.revoked_at.is_some() { " (unpaired)" } else { "" };
        println!("{who} through {}{state}", info.relay_url);
        println!("  waiting to send: {}", channel.pending);
        if let Some(next) = channel.next_attempt_at {
            println!("  next attempt: {}", rfc3339::format(next));
        }
        match channel.last_success_at {
            Some(at) => println!("  last synced: {}", rfc3339::format(at)),
            None => println!("  last synced: never"),
        }
        if let Some(error) = &channel.last_error {
            println!("  last problem: {error}");
        }
        for failed in &channel.failed {
            println!(
                "  not sent ({}): {} {} (`waymark sync retry {}` sends it again)",
                failed.error, failed.kind, failed.id, failed.id
            );
        }
        for held in &channel.held {
            println!("  set aside ({:?}): {} {}", held.state, held.id, held.reason);
        }
    }
}

pub fn shared_summary(summary: &waymark_core::share::Summary) {
    let scopes: Vec<&str> = summary.scopes.iter().map(|s| s.as_str()).collect();
    println!("Summary {} to {} ({}), shared {}", summary.from, summary.to, summary.zone, summary.created_at);
    println!("Scopes: {}", scopes.join(", "));
    for mood in summary.mood.iter().flatten() {
        println!("  mood {} valence {:+}", mood.at, mood.valence);
    }
    for measure in summary.measures.iter().flatten() {
        println!("  {} {} total {} ({})", measure.at, measure.instrument, measure.total, measure.severity);
    }
    for vitals in summary.vitals.iter().flatten() {
        println!("  {} vitals {:?}/{:?} hr {:?}", vitals.at, vitals.systolic, vitals.diastolic, vitals.heart_rate);
    }
    if let Some(sessions) = &summary.sessions {
        println!(
            "  dosing sessions: {} done, {} missed, {} cancelled, {} to come",
            sessions.dosing_done, sessions.dosing_missed, sessions.dosing_cancelled, sessions.dosing_scheduled
        );
        for session in &sessions.appointments {
            println!("  {} {} {} ({})", session.local_start, session.zone, session.title, session.status);
        }
    }
    for event in summary.safety.iter().flatten() {
        println!("  {} safety: {}", event.at, event.kind);
    }
    for note in summary.notes.iter().flatten() {
        match &note.prompt {
            Some(prompt) => println!("  {} note on \"{prompt}\": {}", note.at, note.text),
            None => println!("  {} note: {}", note.at, note.text),
        }
    }
}
