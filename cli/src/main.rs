//! `waymark`: the desktop shell on the same core as the phones.
//!
//! Exit codes: 0 done, 2 invalid input (one line on stderr, nothing written),
//! 1 any other failure.

mod args;
mod course;
mod data;
mod demo;
mod failure;
mod files;
mod journal;
mod measures;
mod profile;
mod prompts;
mod render;
mod safety;
mod share;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use clap::{Parser, Subcommand};
use waymark_core::CheckInDraft;

pub(crate) use args::{local_zone, now_arg, parse_date, parse_instant, JsonFlag, Now};
pub(crate) use failure::Failure;

#[derive(Parser)]
#[command(name = "waymark", version, about = "A private companion for ketamine-assisted treatment.")]
struct Cli {
    /// Folder of the profile (database and key).
    #[arg(long, global = true, env = "WAYMARK_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Act as if it were this time, RFC 3339 (default: the clock): what is next, due or open, and when a new
    /// record happened unless it says.
    #[arg(long, global = true, value_name = "RFC3339", value_parser = now_arg)]
    now: Option<SystemTime>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Record how you feel; prints the new entry's id.
    Checkin(journal::CheckinArgs),
    /// Read, search and change the journal.
    #[command(subcommand)]
    Journal(journal::JournalCommand),
    /// Today's entries, your streak and the last seven days.
    Today(JsonFlag),
    /// Take a PHQ-9 or GAD-7, list results, and set when they are due.
    #[command(subcommand)]
    Assess(measures::AssessCommand),
    /// Record blood pressure and/or heart rate.
    Vitals(measures::VitalsArgs),
    /// Scores against your baseline, response and remission, and check-in trends.
    Progress(measures::ProgressArgs),
    /// Start a treatment course, see it, and set its fasting times.
    #[command(subcommand)]
    Course(course::CourseCommand),
    /// Add, move, cancel and finish sessions, and tick their checklists.
    #[command(subcommand)]
    Appointment(course::AppointmentCommand),
    /// The notifications the phone should have pending.
    #[command(subcommand)]
    Reminders(course::RemindersCommand),
    /// Calendar files (.ics) in and out.
    #[command(subcommand)]
    Calendar(course::CalendarCommand),
    /// Integration prompts after your sessions.
    #[command(subcommand)]
    Prompts(prompts::PromptsCommand),
    /// Crisis and emergency lines for your region.
    HelpNow(safety::HelpNowArgs),
    /// Safety pages: before and after a session, warning signs, and more.
    #[command(subcommand)]
    Safety(safety::SafetyCommand),
    /// Your safety plan: the six Stanley-Brown steps.
    #[command(subcommand)]
    SafetyPlan(safety::SafetyPlanCommand),
    /// Settings such as your region.
    #[command(subcommand)]
    Settings(safety::SettingsCommand),
    /// Pair with your therapist, using the code they gave you.
    Pair { code: String },
    /// Encrypt a summary for your therapist (sent at the next sync).
    Share(share::ShareArgs),
    /// Send what is waiting and fetch what arrived; `sync status` shows the state.
    Sync(share::SyncArgs),
    /// Stop sharing with your therapist.
    Unpair,
    /// The therapist's side: invite patients, pull their summaries, send appointments and prompts.
    #[command(subcommand)]
    Clinician(share::ClinicianCommand),
    /// Encrypted backups of the whole profile, and restoring one.
    #[command(subcommand)]
    Backup(data::BackupCommand),
    /// Bring a journal in from another app.
    #[command(subcommand)]
    Import(data::ImportCommand),
    /// Write your data out: everything as JSON, or check-ins and measures as CSV.
    Export(data::ExportArgs),
    /// Delete this profile: the journal, everything else, and its key.
    Erase(data::EraseArgs),
    /// Seed a month of check-ins, measures and a course into a fresh profile and show them.
    Demo,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", one_line(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Clap's message without its usage block, on one line.
fn one_line(rendered: &str) -> String {
    let message: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:"))
        .filter(|l| !l.is_empty())
        .collect();
    message.join(" ")
}

fn run(cli: Cli) -> Result<(), Failure> {
    let data_dir = cli.data_dir.clone().unwrap_or_else(profile::default_data_dir);
    let zone = local_zone();
    let now = Now { at: cli.now.unwrap_or_else(SystemTime::now), given: cli.now.is_some() };
    match cli.command {
        Command::Checkin(args) => {
            let mut draft =
                CheckInDraft { shared: args.share, ..args.fields.apply(CheckInDraft::new(args.valence, zone))? };
            draft.occurred_at = now.or(draft.occurred_at);
            draft.check()?;
            let entry = profile::open(&data_dir)?.add_checkin(&draft)?;
            println!("{}", entry.id);
        }
        Command::Journal(command) => journal::journal(command, &profile::open_existing(&data_dir)?, zone)?,
        Command::Today(flag) => {
            let view = profile::open(&data_dir)?.today_at(now.at, zone)?;
            render::today(&view, flag.json);
        }
        Command::Assess(command) => measures::assess(command, &data_dir, zone, now)?,
        Command::Vitals(args) => measures::vitals(args, &data_dir, zone, now)?,
        Command::Progress(args) => measures::progress(args, &profile::open_existing(&data_dir)?, zone, now)?,
        Command::Course(command) => course::course(command, &data_dir, zone, now)?,
        Command::Appointment(command) => course::appointment(command, &data_dir, zone, now)?,
        Command::Reminders(command) => course::reminders(command, &profile::open_existing(&data_dir)?, zone, now)?,
        Command::Calendar(command) => course::calendar(command, &data_dir, zone, now)?,
        Command::Prompts(command) => prompts::prompts(command, &data_dir, zone, now)?,
        Command::HelpNow(args) => safety::help_now(args, &data_dir)?,
        Command::Safety(command) => safety::safety(command)?,
        Command::SafetyPlan(command) => safety::safety_plan(command, &data_dir)?,
        Command::Settings(command) => safety::settings(command, &data_dir)?,
        Command::Pair { code } => share::pair(&code, &data_dir)?,
        Command::Share(args) => share::share(args, &data_dir, zone)?,
        Command::Sync(args) => share::sync(args, &data_dir, now)?,
        Command::Unpair => share::unpair(&data_dir)?,
        Command::Clinician(command) => share::clinician(command, &data_dir, zone, now)?,
        Command::Backup(command) => data::backup(command, &data_dir)?,
        Command::Import(command) => data::import(command, &data_dir, zone)?,
        Command::Export(args) => data::export(args, &data_dir, now)?,
        Command::Erase(args) => data::erase(args, &data_dir)?,
        Command::Demo => demo::run(cli.data_dir.as_deref(), zone, now.at)?,
    }
    Ok(())
}
