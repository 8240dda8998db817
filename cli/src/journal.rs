//! Check-ins and the journal: list, search, show, edit, delete and undelete.

use chrono::{Days, NaiveDate};
use clap::{Args, Subcommand};
use waymark_core::time::start_of_day;
use waymark_core::Zone;
use waymark_core::{CheckInDraft, EmotionLabel, JournalQuery, LifeArea, Store};

use crate::{parse_date, parse_instant, render, Failure};

#[derive(Args)]
pub(crate) struct CheckinArgs {
    /// -3 (very unpleasant) to +3 (very pleasant).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) valence: i32,
    #[command(flatten)]
    pub(crate) fields: FieldArgs,
    /// Share this entry with your therapist.
    #[arg(long)]
    pub(crate) share: bool,
}

#[derive(Args)]
pub(crate) struct FieldArgs {
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
pub(crate) enum JournalCommand {
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
pub(crate) struct EditArgs {
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

pub(crate) fn journal(command: JournalCommand, store: &Store, zone: Zone) -> Result<(), Failure> {
    match command {
        JournalCommand::List { from, to, limit, json } => {
            let tz = zone.tz();
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
                // An entry keeps the zone it was written in; a name this build no longer knows takes today's.
                zone: current.zone.parse().unwrap_or(zone),
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
    pub(crate) fn apply(self, mut draft: CheckInDraft) -> Result<CheckInDraft, Failure> {
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
