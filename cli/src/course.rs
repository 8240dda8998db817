//! `waymark course`, `appointment`, `reminders` and `calendar`.

use std::path::{Path, PathBuf};
use waymark_core::Zone;

use clap::Subcommand;
use waymark_core::{AppointmentDraft, AppointmentKind, CareItemKind, CourseDraft, CourseTemplate, Store};

use crate::{parse_instant, profile, render, Failure, Now};

#[derive(Subcommand)]
pub enum CourseCommand {
    /// Start a course from a template: iv-induction, esketamine, kap or custom.
    Start {
        #[arg(long)]
        template: String,
        /// The first session, local time in --tz: YYYY-MM-DDTHH:MM[:SS].
        #[arg(long, value_name = "LOCAL")]
        first: String,
        /// The clinic's IANA zone (default: this computer's).
        #[arg(long, value_name = "ZONE")]
        tz: Option<Zone>,
        #[arg(long, default_value = "")]
        place: String,
    },
    /// Next, upcoming and past sessions, with what to do before and after each dose.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Set the course's fasting times (minutes before each dose).
    Fasting {
        #[arg(long, value_name = "MINUTES", conflicts_with = "none")]
        food: Option<u32>,
        #[arg(long, value_name = "MINUTES", conflicts_with = "none")]
        liquids: Option<u32>,
        /// No fasting rules.
        #[arg(long)]
        none: bool,
    },
    /// Continue an esketamine course after its last dosing session (maintenance).
    Continue {
        /// 1 or 2, as the prescriber decides.
        #[arg(long, value_name = "WEEKS")]
        every_weeks: u32,
        /// How many more sessions to add (1 to 26).
        #[arg(long)]
        sessions: u32,
    },
}

#[derive(Subcommand)]
pub enum AppointmentCommand {
    /// Add a session to the course.
    Add {
        /// dosing, preparation, integration, medical-check or other.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        /// Local start time in --tz: YYYY-MM-DDTHH:MM[:SS].
        #[arg(long, value_name = "LOCAL")]
        at: String,
        /// Its IANA zone (default: the course's, else this computer's).
        #[arg(long, value_name = "ZONE")]
        tz: Option<Zone>,
        #[arg(long, default_value_t = 60)]
        minutes: u32,
        #[arg(long, default_value = "")]
        place: String,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Move a session to a new local time.
    Move {
        id: String,
        #[arg(long, value_name = "LOCAL")]
        to: String,
        #[arg(long, value_name = "ZONE")]
        tz: Option<Zone>,
    },
    Cancel {
        id: String,
    },
    /// Mark a session done, which starts its after-session window.
    Done {
        id: String,
        /// When it ended, RFC 3339 (default: now).
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
    Missed {
        id: String,
    },
    Delete {
        id: String,
    },
    /// Tick (or with --off untick) a checklist item: ride-home, no-food, ...
    Check {
        id: String,
        item: String,
        #[arg(long)]
        off: bool,
    },
}

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// The notifications that should be pending (at --now, to plan ahead).
    Plan {
        #[arg(long, value_name = "N")]
        max: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Import a clinic's .ics file, all or nothing.
    Import { file: PathBuf },
    /// Write the course as an .ics file (default: to standard output).
    Export {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn kind(name: &str) -> Result<AppointmentKind, Failure> {
    AppointmentKind::from_stored(&name.replace('-', "_").to_ascii_lowercase()).ok_or_else(|| {
        Failure::input(format!(
            "\"{name}\" is not a kind of session; use dosing, preparation, integration, medical-check or other"
        ))
    })
}

fn care_item(name: &str) -> Result<CareItemKind, Failure> {
    let wanted = name.replace('-', "_").to_ascii_lowercase();
    CareItemKind::ALL.into_iter().find(|item| item.as_str() == wanted).ok_or_else(|| {
        let names: Vec<String> = CareItemKind::ALL.iter().map(|i| i.as_str().replace('_', "-")).collect();
        Failure::input(format!("\"{name}\" is not a checklist item; use one of {}", names.join(", ")))
    })
}

pub fn course(command: CourseCommand, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    match command {
        CourseCommand::Start { template, first, tz, place } => {
            let draft = CourseDraft {
                template: template.parse::<CourseTemplate>()?,
                first_session: first,
                zone: tz.unwrap_or(zone),
                place,
            };
            draft.check()?;
            let store = profile::open(data_dir)?;
            let course = store.start_course(&draft)?;
            println!("Started: {} ({}), course {}", course.title, course.zone, course.id);
            render::overview(&store.course_overview(now.at, zone)?, false);
        }
        CourseCommand::Show { json } => {
            render::overview(&profile::open_existing(data_dir)?.course_overview(now.at, zone)?, json)
        }
        CourseCommand::Fasting { food, liquids, none } => {
            let store = profile::open_existing(data_dir)?;
            let course = store
                .course()?
                .ok_or_else(|| Failure::input("no course yet; start one with `waymark course start`"))?;
            let (food, liquids) = if none {
                (None, None)
            } else {
                (food.or(course.no_food_before_minutes), liquids.or(course.no_liquids_before_minutes))
            };
            let course = store.set_fasting(&course.id, food, liquids)?;
            let show = |m: Option<u32>| m.map_or("no rule".to_string(), |m| format!("{m} minutes before"));
            println!(
                "Food: {}; liquids: {}",
                show(course.no_food_before_minutes),
                show(course.no_liquids_before_minutes)
            );
        }
        CourseCommand::Continue { every_weeks, sessions } => {
            for added in profile::open_existing(data_dir)?.continue_course_at(now.at, every_weeks, sessions)? {
                println!("{} ({})  {}  {}", added.local_start.replace('T', " "), added.zone, added.title, added.id);
            }
        }
    }
    Ok(())
}

pub fn appointment(command: AppointmentCommand, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    let store = || profile::open_existing(data_dir);
    let saved = match command {
        AppointmentCommand::Add { kind: name, title, at, tz, minutes, place, notes } => {
            let mut draft = AppointmentDraft {
                kind: kind(&name)?,
                title,
                local_start: at,
                zone: tz.unwrap_or(zone),
                duration_minutes: minutes,
                place,
                notes,
            };
            draft.check()?;
            let store = profile::open(data_dir)?;
            if let (None, Some(course)) = (tz, store.course()?) {
                draft.zone = course.zone.parse().unwrap_or(zone);
            }
            store.add_appointment(&draft)?
        }
        AppointmentCommand::Move { id, to, tz } => store()?.move_appointment(&id, &to, tz)?,
        AppointmentCommand::Cancel { id } => store()?.cancel_appointment(&id)?,
        AppointmentCommand::Done { id, at } => {
            let at = at.as_deref().map(parse_instant).transpose()?;
            store()?.mark_appointment_done(&id, now.or(at))?
        }
        AppointmentCommand::Missed { id } => store()?.mark_appointment_missed(&id)?,
        AppointmentCommand::Delete { id } => {
            store()?.delete_appointment(&id)?;
            println!("deleted {id}");
            return Ok(());
        }
        AppointmentCommand::Check { id, item, off } => {
            let item = care_item(&item)?;
            render::care(&store()?.set_checklist_item(&id, item, !off)?);
            return Ok(());
        }
    };
    println!("{}  {} {}  {}  {}", saved.id, saved.local_start, saved.zone, saved.status.as_str(), saved.title);
    Ok(())
}

pub fn reminders(command: RemindersCommand, store: &Store, zone: Zone, now: Now) -> Result<(), Failure> {
    let RemindersCommand::Plan { max, json } = command;
    render::plan(&store.plan_notifications(now.at, zone, max)?, json);
    Ok(())
}

pub fn calendar(command: CalendarCommand, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    match command {
        CalendarCommand::Import { file } => {
            let ics = std::fs::read_to_string(&file)
                .map_err(|e| Failure::input(format!("cannot read {}: {e}", file.display())))?;
            let report = profile::open(data_dir)?.import_calendar(&ics, zone, now.at)?;
            println!(
                "{} added, {} updated, {} cancelled, {} unchanged",
                report.added, report.updated, report.cancelled, report.unchanged
            );
        }
        CalendarCommand::Export { out } => {
            let ics = profile::open_existing(data_dir)?.export_calendar()?;
            match out {
                Some(path) => crate::files::write_private(&path, ics.as_bytes())?,
                None => print!("{ics}"),
            }
        }
    }
    Ok(())
}
