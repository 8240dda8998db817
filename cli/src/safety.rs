//! `waymark settings`, `help-now`, `safety` and `safety-plan`.

use std::path::Path;
use waymark_core::safety::SafetySearchHitKind;

use clap::{Args, Subcommand};
use serde::Serialize;
use waymark_core::SafetyPlanStep;

use crate::{profile, render, Failure};

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Your region for crisis lines, as a two-letter country code (shows it without CC).
    Region {
        code: Option<String>,
        /// Forget the region (crisis lines then fall back to a directory).
        #[arg(long, conflicts_with = "code")]
        clear: bool,
    },
    /// Your language for safety content, such as en or es (shows it without L).
    Language {
        code: Option<String>,
        /// Forget the language (the system locale is used instead).
        #[arg(long, conflicts_with = "code")]
        clear: bool,
    },
}

#[derive(Args)]
pub struct HelpNowArgs {
    /// A two-letter country code (default: your region setting, else the system locale's).
    #[arg(long, value_name = "CC")]
    region: Option<String>,
    /// The language, such as en or es (default: your language setting, else the system locale's).
    #[arg(long, value_name = "L")]
    locale: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum SafetyCommand {
    /// The safety pages.
    List(LocaleArgs),
    /// One page in full, with its sources.
    Show {
        id: String,
        #[command(flatten)]
        locale: LocaleArgs,
    },
    /// Search the pages' titles, tags and text.
    Search {
        query: String,
        #[command(flatten)]
        locale: LocaleArgs,
    },
}

#[derive(Args)]
pub struct LocaleArgs {
    /// The language, such as en or es (default: the system locale's, else English).
    #[arg(long, value_name = "L")]
    locale: Option<String>,
    #[arg(long)]
    json: bool,
}

impl LocaleArgs {
    fn locale(&self) -> String {
        self.locale.clone().or_else(profile::system_locale).unwrap_or_else(|| "en".to_string())
    }
}

pub fn safety(command: SafetyCommand) -> Result<(), Failure> {
    match command {
        SafetyCommand::List(args) => {
            let pages = waymark_core::safety::safety_pages(&args.locale());
            if args.json {
                println!("{}", serde_json::to_string_pretty(&pages).expect("pages serialise"));
            } else {
                pages.iter().for_each(|page| println!("{:<20} {}", page.id, page.title));
            }
        }
        SafetyCommand::Show { id, locale } => {
            let page = waymark_core::safety::safety_page(&id, &locale.locale())?;
            if locale.json {
                println!("{}", serde_json::to_string_pretty(&page).expect("a page serialises"));
            } else {
                render::safety_page(&page);
            }
        }
        SafetyCommand::Search { query, locale } => {
            let hits = waymark_core::safety::search_safety(&query, &locale.locale());
            if locale.json {
                println!("{}", serde_json::to_string_pretty(&hits).expect("hits serialise"));
            } else if hits.is_empty() {
                println!("Nothing found.");
            } else {
                for hit in &hits {
                    match hit.kind {
                        SafetySearchHitKind::HelpNow => println!("{:<20} {} (`waymark help-now`)", hit.id, hit.title),
                        SafetySearchHitKind::Page => println!("{:<20} {}", hit.id, hit.title),
                    }
                }
            }
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum SafetyPlanCommand {
    /// The six steps and what you wrote under each.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Add an item to a step (1-6, or a name such as warning-signs).
    Add { step: String, text: String },
    /// Remove a step's N-th item, as shown.
    Remove { step: String, number: u32 },
    /// Write the plan's last line, the one thing most important to you (or --clear it).
    Reason {
        #[arg(required_unless_present = "clear")]
        text: Option<String>,
        #[arg(long)]
        clear: bool,
    },
    /// The plan as plain text, to share.
    Export,
}

fn step(name: &str) -> Result<SafetyPlanStep, Failure> {
    let by_number = name.parse().ok().and_then(SafetyPlanStep::from_number);
    let wanted = name.replace('-', "_").to_ascii_lowercase();
    let by_name = || {
        SafetyPlanStep::ALL.into_iter().find(|step| format!("{step:?}").to_ascii_lowercase() == wanted.replace('_', ""))
    };
    by_number.or_else(by_name).ok_or_else(|| {
        Failure::input(format!(
            "\"{name}\" is not a step; use 1 to 6 or warning-signs, coping-strategies, distractions, people-to-ask, \
             professionals, safe-environment"
        ))
    })
}

pub fn settings(command: SettingsCommand, data_dir: &Path) -> Result<(), Failure> {
    match command {
        SettingsCommand::Region { code, clear } => {
            let region = match (code, clear) {
                (Some(code), _) => profile::open(data_dir)?.set_region(Some(&code))?,
                (None, true) => profile::open(data_dir)?.set_region(None)?,
                (None, false) => profile::open_existing(data_dir)?.region()?,
            };
            match region {
                Some(region) => println!("Region: {region}"),
                None => println!("Region: not set (the system locale's region is used, else findahelpline.com)"),
            }
        }
        SettingsCommand::Language { code, clear } => {
            let language = match (code, clear) {
                (Some(code), _) => profile::open(data_dir)?.set_language(Some(&code))?,
                (None, true) => profile::open(data_dir)?.set_language(None)?,
                (None, false) => profile::open_existing(data_dir)?.language()?,
            };
            match language {
                Some(language) => println!("Language: {language}"),
                None => println!("Language: not set (the system locale's is used, else English)"),
            }
        }
    }
    Ok(())
}

/// One line of `help-now --json`: a service to call or text, or where to look when Waymark has none.
#[derive(Serialize)]
struct JsonLine<'a> {
    kind: &'a str,
    name: &'a str,
    phone: Option<&'a str>,
    text: Option<&'a str>,
    hours: &'a str,
    open_24_7: bool,
    source: &'a str,
    source_date: Option<&'a str>,
    checked: Option<&'a str>,
    confidence: Option<waymark_core::safety::Confidence>,
}

pub fn help_now(args: HelpNowArgs, data_dir: &Path) -> Result<(), Failure> {
    let help = match (args.region, args.locale) {
        (Some(region), Some(locale)) => waymark_core::safety::help_now(Some(&region), &locale),
        (region, locale) => {
            // Help must show even when the profile cannot be opened: then the system locale decides.
            let opened = data_dir.join(profile::DB_FILE).exists().then(|| profile::open_existing(data_dir));
            match opened.map(|store| store.and_then(|s| Ok(s.help_now(region.as_deref(), locale.as_deref())?))) {
                Some(Ok(help)) => help,
                failed => {
                    if let Some(Err(failure)) = failed {
                        eprintln!("waymark: {}; showing help for the system locale", failure.message());
                    }
                    let system = profile::system_locale();
                    let region = region.or_else(|| system.as_deref().and_then(waymark_core::safety::region_of_locale));
                    let locale = locale.or(system).unwrap_or_else(|| "en".to_string());
                    waymark_core::safety::help_now(region.as_deref(), &locale)
                }
            }
        }
    };
    if !args.json {
        render::help_now(&help);
        return Ok(());
    }
    let mut lines: Vec<JsonLine> = help
        .lines
        .iter()
        .map(|line| JsonLine {
            kind: if line.kind == waymark_core::HelpLineKind::Emergency { "emergency" } else { "crisis" },
            name: &line.name,
            phone: line.phone.as_deref(),
            text: line.text.as_deref(),
            hours: &line.hours,
            open_24_7: line.open_24_7,
            source: &line.source,
            source_date: line.source_date.as_deref(),
            checked: line.checked.as_deref(),
            confidence: Some(line.confidence),
        })
        .collect();
    if let Some(fallback) = &help.fallback {
        lines.push(JsonLine {
            kind: "directory",
            name: fallback,
            phone: None,
            text: None,
            hours: "",
            open_24_7: false,
            source: &help.directory,
            source_date: None,
            checked: None,
            confidence: None,
        });
    }
    println!("{}", serde_json::to_string_pretty(&lines).expect("lines serialise"));
    Ok(())
}

pub fn safety_plan(command: SafetyPlanCommand, data_dir: &Path) -> Result<(), Failure> {
    let plan = match command {
        SafetyPlanCommand::Show { json } => {
            let plan = profile::open_existing(data_dir)?.safety_plan()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&plan).expect("the plan serialises"));
                return Ok(());
            }
            plan
        }
        SafetyPlanCommand::Add { step: name, text } => {
            let step = step(&name)?;
            profile::open(data_dir)?.add_safety_plan_item(step, &text)?
        }
        SafetyPlanCommand::Remove { step: name, number } => {
            let step = step(&name)?;
            let store = profile::open_existing(data_dir)?;
            let id = store.safety_plan()?.item_at(step, number)?.id.clone();
            store.remove_safety_plan_item(&id)?
        }
        SafetyPlanCommand::Reason { text, clear } => {
            profile::open(data_dir)?.set_plan_reason(if clear { None } else { text.as_deref() })?
        }
        SafetyPlanCommand::Export => profile::open_existing(data_dir)?.safety_plan()?,
    };
    print!("{}", plan.to_text());
    Ok(())
}
