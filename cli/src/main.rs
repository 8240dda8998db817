//! `waymark`: the desktop shell on the same core as the phones.
//!
//! Exit codes: 0 done, 2 invalid input (one line on stderr, nothing written),
//! 1 any other failure.

mod course;
mod data;
mod demo;
mod files;
mod measures;
mod profile;
mod prompts;
mod render;
mod safety;
mod share;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use chrono::{DateTime, Days, NaiveDate};
use clap::{Args, Parser, Subcommand};
use waymark_core::share::ShareError;
use waymark_core::sync::SyncError;
use waymark_core::time::{parse_zone, start_of_day};
use waymark_core::{
    CheckInDraft, CourseError, EmotionLabel, JournalError, JournalQuery, LifeArea, MeasureError, PromptError,
    ReminderError, SafetyError, Store, StoreError,
};

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
    Checkin(CheckinArgs),
    /// Read, search and change the journal.
    #[command(subcommand)]
    Journal(JournalCommand),
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

#[derive(Args)]
struct CheckinArgs {
    /// -3 (very unpleasant) to +3 (very pleasant).
    #[arg(long, allow_hyphen_values = true)]
    valence: i32,
    #[command(flatten)]
    fields: FieldArgs,
    /// Share this entry with your therapist.
    #[arg(long)]
    share: bool,
}

#[derive(Args)]
struct FieldArgs {
    /// 1 (drained) to 5 (full of energy).
    #[arg(long)]
    energy: Option<i32>,
    /// 0 (none) to 10 (worst).
    #[arg(long)]
    anxiety: Option<i32>,
    /// Hours slept, in quarter hours (e.g. 7.25).
    #[arg(long, value_name = "HOURS")]
    sleep: Option<f64>,
    /// An emotion (HealthKit's labels: calm, anxious, hopeful, ...). Repeatable.
    #[arg(long = "label", value_name = "LABEL")]
    labels: Vec<String>,
    /// What it is about (work, family, health, ...). Repeatable.
    #[arg(long = "area", value_name = "AREA")]
    areas: Vec<String>,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
    /// When it happened, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

#[derive(Subcommand)]
enum JournalCommand {
    /// Entries newest first.
    List {
        /// First local date to include (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last local date to include (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over notes, labels and areas.
    Search {
        query: String,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// One entry in full.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an entry; fields not given stay as they are.
    Edit(EditArgs),
    /// Move an entry to the bin (undo with `undelete`).
    Delete { id: String },
    /// Bring a deleted entry back.
    Undelete { id: String },
}

#[derive(Args)]
struct EditArgs {
    id: String,
    #[arg(long, allow_hyphen_values = true)]
    valence: Option<i32>,
    #[command(flatten)]
    fields: FieldArgs,
    /// Share this entry with your therapist.
    #[arg(long, conflicts_with = "private")]
    share: bool,
    /// Stop sharing this entry.
    #[arg(long)]
    private: bool,
}

#[derive(Args)]
pub(crate) struct JsonFlag {
    #[arg(long)]
    pub(crate) json: bool,
}

/// Why a command failed, and so which exit code it gets.
#[derive(Debug)]
pub enum Failure {
    Input(String),
    Other(String),
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Self {
        Failure::Input(message.into())
    }

    pub fn other(message: impl Into<String>) -> Self {
        Failure::Other(message.into())
    }

    pub fn message(&self) -> &str {
        let (Failure::Input(message) | Failure::Other(message)) = self;
        message
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::KeyLength { .. } | StoreError::WrongKey { .. } => Failure::input(error.to_string()),
            _ => Failure::other(error.to_string()),
        }
    }
}

impl From<JournalError> for Failure {
    fn from(error: JournalError) -> Self {
        match error {
            JournalError::Store(store) => store.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<MeasureError> for Failure {
    fn from(error: MeasureError) -> Self {
        match error {
            MeasureError::Store(store) => store.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<CourseError> for Failure {
    fn from(error: CourseError) -> Self {
        match error {
            CourseError::Store(store) => store.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<SyncError> for Failure {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Store(store) => store.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<ShareError> for Failure {
    fn from(error: ShareError) -> Self {
        match error {
            ShareError::Store(store) => store.into(),
            ShareError::Sync(sync) => sync.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<PromptError> for Failure {
    fn from(error: PromptError) -> Self {
        match error {
            PromptError::Store(store) => store.into(),
            PromptError::Journal(journal) => journal.into(),
            PromptError::Course(course) => course.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<SafetyError> for Failure {
    fn from(error: SafetyError) -> Self {
        match error {
            SafetyError::Store(store) => store.into(),
            other => Failure::input(other.to_string()),
        }
    }
}

impl From<ReminderError> for Failure {
    fn from(error: ReminderError) -> Self {
        match error {
            ReminderError::Store(store) => store.into(),
            ReminderError::Course(course) => course.into(),
            ReminderError::Prompt(prompt) => prompt.into(),
            other => Failure::input(other.to_string()),
        }
    }
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

/// The time a command acts at: `--now` when given, else the clock.
#[derive(Clone, Copy)]
pub(crate) struct Now {
    pub(crate) at: SystemTime,
    given: bool,
}

impl Now {
    /// When a new record happened: `at` if the command says, else `--now` if given; `None` leaves it to the
    /// core, which stamps it with the clock.
    pub(crate) fn or(self, at: Option<SystemTime>) -> Option<SystemTime> {
        at.or(self.given.then_some(self.at))
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let data_dir = cli.data_dir.clone().unwrap_or_else(profile::default_data_dir);
    let zone = local_zone();
    let now = Now { at: cli.now.unwrap_or_else(SystemTime::now), given: cli.now.is_some() };
    match cli.command {
        Command::Checkin(args) => {
            let mut draft =
                CheckInDraft { shared: args.share, ..args.fields.apply(CheckInDraft::new(args.valence, &zone))? };
            draft.occurred_at = now.or(draft.occurred_at);
            draft.check()?;
            let entry = profile::open(&data_dir)?.add_checkin(&draft)?;
            println!("{}", entry.id);
        }
        Command::Journal(command) => journal(command, &profile::open_existing(&data_dir)?, &zone)?,
        Command::Today(flag) => {
            let view = profile::open(&data_dir)?.today_at(now.at, &zone)?;
            render::today(&view, flag.json);
        }
        Command::Assess(command) => measures::assess(command, &data_dir, &zone, now)?,
        Command::Vitals(args) => measures::vitals(args, &data_dir, &zone, now)?,
        Command::Progress(args) => measures::progress(args, &profile::open_existing(&data_dir)?, &zone, now)?,
        Command::Course(command) => course::course(command, &data_dir, &zone, now)?,
        Command::Appointment(command) => course::appointment(command, &data_dir, &zone, now)?,
        Command::Reminders(command) => course::reminders(command, &profile::open_existing(&data_dir)?, &zone, now)?,
        Command::Calendar(command) => course::calendar(command, &data_dir, &zone, now)?,
        Command::Prompts(command) => prompts::prompts(command, &data_dir, &zone, now)?,
        Command::HelpNow(args) => safety::help_now(args, &data_dir)?,
        Command::Safety(command) => safety::safety(command)?,
        Command::SafetyPlan(command) => safety::safety_plan(command, &data_dir)?,
        Command::Settings(command) => safety::settings(command, &data_dir)?,
        Command::Pair { code } => share::pair(&code, &data_dir)?,
        Command::Share(args) => share::share(args, &data_dir, &zone)?,
        Command::Sync(args) => share::sync(args, &data_dir, now)?,
        Command::Unpair => share::unpair(&data_dir)?,
        Command::Clinician(command) => share::clinician(command, &data_dir, &zone, now)?,
        Command::Backup(command) => data::backup(command, &data_dir)?,
        Command::Import(command) => data::import(command, &data_dir, &zone)?,
        Command::Export(args) => data::export(args, &data_dir, now)?,
        Command::Erase(args) => data::erase(args, &data_dir)?,
        Command::Demo => demo::run(cli.data_dir.as_deref(), &zone, now.at)?,
    }
    Ok(())
}

fn journal(command: JournalCommand, store: &Store, zone: &str) -> Result<(), Failure> {
    match command {
        JournalCommand::List { from, to, limit, json } => {
            let tz = parse_zone(zone).expect("local_zone returns known zones");
            let from = from.map(|d| parse_date(&d)).transpose()?;
            let to = to.map(|d| parse_date(&d)).transpose()?;
            let day_after = |d: NaiveDate| {
                d.checked_add_days(Days::new(1)).ok_or_else(|| Failure::input(format!("{d} is too far in the future")))
            };
            let mut query = JournalQuery {
                from: from.map(|d| start_of_day(d, tz)),
                to: to.map(day_after).transpose()?.map(|d| start_of_day(d, tz)),
                limit: 0,
                after: None,
            };
            let mut entries = Vec::new();
            while entries.len() < limit as usize {
                query.limit = (limit - entries.len() as u32).min(waymark_core::journal::MAX_PAGE);
                let page = store.journal_page(&query)?;
                entries.extend(page.entries);
                match page.next_cursor {
                    Some(cursor) => query.after = Some(cursor),
                    None => break,
                }
            }
            render::entries(&entries, json);
        }
        JournalCommand::Search { query, limit, json } => render::hits(&store.search_journal(&query, limit)?, json),
        JournalCommand::Show { id, json } => render::entry(&store.checkin(&id)?, json),
        JournalCommand::Edit(args) => {
            let current = store.checkin(&args.id)?;
            let draft = CheckInDraft {
                valence: args.valence.unwrap_or(current.valence),
                energy: current.energy,
                anxiety: current.anxiety,
                sleep_hours: current.sleep_hours,
                labels: current.labels,
                areas: current.areas,
                text: current.text,
                occurred_at: None,
                zone: current.zone,
                shared: (current.shared || args.share) && !args.private,
            };
            let draft = args.fields.apply(draft)?;
            draft.check()?;
            println!("{}", store.edit_checkin(&args.id, &draft)?.id);
        }
        JournalCommand::Delete { id } => println!("{}", store.delete_checkin(&id)?.id),
        JournalCommand::Undelete { id } => println!("{}", store.undelete_checkin(&id)?.id),
    }
    Ok(())
}

impl FieldArgs {
    /// Overrides the draft's fields with those given on the command line.
    fn apply(self, mut draft: CheckInDraft) -> Result<CheckInDraft, Failure> {
        draft.energy = self.energy.or(draft.energy);
        draft.anxiety = self.anxiety.or(draft.anxiety);
        draft.sleep_hours = self.sleep.or(draft.sleep_hours);
        if !self.labels.is_empty() {
            draft.labels = self.labels.iter().map(|l| l.parse::<EmotionLabel>()).collect::<Result<_, _>>()?;
        }
        if !self.areas.is_empty() {
            draft.areas = self.areas.iter().map(|a| a.parse::<LifeArea>()).collect::<Result<_, _>>()?;
        }
        if let Some(note) = self.note {
            draft.text = note;
        }
        if let Some(at) = self.at {
            draft.occurred_at = Some(parse_instant(&at)?);
        }
        Ok(draft)
    }
}

pub(crate) fn parse_instant(text: &str) -> Result<SystemTime, Failure> {
    DateTime::parse_from_rfc3339(text)
        .map(SystemTime::from)
        .map_err(|_| Failure::input(format!("\"{text}\" is not an RFC 3339 time such as 2026-11-27T09:30:00+01:00")))
}

fn now_arg(text: &str) -> Result<SystemTime, String> {
    parse_instant(text).map_err(|failure| failure.message().to_string())
}

fn parse_date(text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Failure::input(format!("\"{text}\" is not a date such as 2026-11-27")))
}

/// The computer's IANA zone: `TZ` if it names one, else the system's, else UTC.
fn local_zone() -> String {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .into_iter()
        .chain(iana_time_zone::get_timezone().ok())
        .find(|name| parse_zone(name).is_some())
        .unwrap_or_else(|| "UTC".to_string())
}
