//! Sharing: `pair`, `share`, `sync`, `unpair` for the patient, and
//! `clinician ...` for the therapist's own profile.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;
use waymark_core::Zone;

use clap::{Args, Subcommand};
use waymark_core::share::{ShareRequest, ShareScope, SummaryForms};
use waymark_core::sync::{HttpRequest, HttpResponse, HttpTransport, SyncReport, TransportError};
use waymark_core::Store;

use crate::{profile, Failure, Now};

#[derive(Args)]
pub struct ShareArgs {
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Last day, YYYY-MM-DD (inclusive).
    #[arg(long)]
    to: String,
    /// What to share, comma-separated: mood, measures, sessions, safety, notes.
    #[arg(long, value_delimiter = ',', required = true)]
    scopes: Vec<String>,
    /// Show exactly what would be sent (its JSON), and send nothing.
    #[arg(long)]
    preview: bool,
    /// With --preview: also write the report the therapist will see.
    #[arg(long, value_name = "FILE", requires = "preview")]
    html: Option<std::path::PathBuf>,
    /// With --preview: also write the FHIR R4 Bundle.
    #[arg(long, value_name = "FILE", requires = "preview")]
    fhir: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    command: Option<SyncCommand>,
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum SyncCommand {
    /// What is waiting, what failed and why, what was set aside, and when sync last worked.
    Status,
    /// Send once more a message the relay refused for good (its id is in `sync status`).
    Retry { id: String },
}

#[derive(Subcommand)]
pub enum ClinicianCommand {
    /// Create a channel for a patient and print the pairing code to give them.
    Invite {
        /// The relay, e.g. https://relay.example.org.
        #[arg(long)]
        relay: String,
        /// Who it is for, e.g. the patient's initials.
        #[arg(long)]
        label: String,
    },
    /// Fetch and decrypt what patients shared, and send what is waiting.
    Pull(crate::JsonFlag),
    /// Your channels and the summaries received on them.
    List(crate::JsonFlag),
    /// One received summary: printed, or written as a report and a FHIR Bundle.
    Report {
        /// The channel it came on, as `list` shows it.
        channel: String,
        /// The summary's id.
        id: String,
        #[arg(long)]
        json: bool,
        /// Write the printable report (self-contained HTML).
        #[arg(long, value_name = "OUT")]
        html: Option<std::path::PathBuf>,
        /// Write the FHIR R4 Bundle (JSON).
        #[arg(long, value_name = "OUT")]
        fhir: Option<std::path::PathBuf>,
    },
    /// Send a patient appointments from a calendar file (.ics).
    SendAppointment {
        channel: String,
        #[arg(long, value_name = "FILE")]
        ics: std::path::PathBuf,
        /// Zone for events that name none (default: this computer's).
        #[arg(long)]
        tz: Option<Zone>,
    },
    /// Send a patient a prompt to answer in their journal.
    SendPrompt {
        channel: String,
        #[arg(long)]
        text: String,
    },
    /// Stop sharing on a channel.
    Revoke { channel: String },
}

/// Speaks HTTP to the relay for the CLI, as OkHttp or URLSession do on phones.
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl UreqTransport {
    pub fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        UreqTransport { agent }
    }
}

impl HttpTransport for UreqTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let bearer = format!("Bearer {}", request.bearer_token);
        let sent = match request.method.as_str() {
            "PUT" => self.agent.put(&request.url).header("Authorization", &bearer).send(&request.body[..]),
            "DELETE" => self.agent.delete(&request.url).header("Authorization", &bearer).call(),
            _ => self.agent.get(&request.url).header("Authorization", &bearer).call(),
        };
        let failed = |error: ureq::Error| match error {
            ureq::Error::Timeout(_) => TransportError::Timeout { reason: error.to_string() },
            other => TransportError::Unreachable { reason: other.to_string() },
        };
        let mut response = sent.map_err(failed)?;
        let retry_after_seconds =
            response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(256 << 20).read_to_vec().map_err(failed)?;
        Ok(HttpResponse { status, body, retry_after_seconds })
    }
}

fn scopes(names: &[String]) -> Result<Vec<ShareScope>, Failure> {
    names
        .iter()
        .map(|name| {
            ShareScope::from_stored(&name.trim().to_ascii_lowercase()).ok_or_else(|| {
                Failure::input(format!(
                    "\"{name}\" is not something Waymark can share; use mood, measures, sessions, safety or notes"
                ))
            })
        })
        .collect()
}

pub fn pair(code: &str, data_dir: &Path) -> Result<(), Failure> {
    waymark_core::sync::Pairing::parse(code)?;
    let channel = profile::open(data_dir)?.pair(code)?;
    println!("Paired through {}. Nothing is sent until you share and sync.", channel.relay_url);
    Ok(())
}

pub fn share(args: ShareArgs, data_dir: &Path, zone: Zone) -> Result<(), Failure> {
    let request = ShareRequest { from: args.from, to: args.to, zone, scopes: scopes(&args.scopes)? };
    let store = profile::open_existing(data_dir)?;
    if args.preview {
        let forms = store.preview_share(&request)?;
        write_forms(&forms, args.html.as_deref(), args.fhir.as_deref())?;
        println!("{}", forms.json);
        eprintln!("{}", forms.nobody_is_told);
        return Ok(());
    }
    let shared = store.share(&request)?;
    println!("Summary {} is encrypted and queued; `waymark sync` sends it.", shared.summary_id);
    println!("{}", shared.nobody_is_told);
    Ok(())
}

pub fn sync(args: SyncArgs, data_dir: &Path, now: Now) -> Result<(), Failure> {
    let store = profile::open_existing(data_dir)?;
    match args.command {
        Some(SyncCommand::Status) => {
            let status = store.sync_status()?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&status).expect("status serialises"));
            } else {
                crate::render::sync_status(&status);
            }
        }
        Some(SyncCommand::Retry { id }) => {
            store.retry_message(&id)?;
            println!("Message {id} will be sent again at the next `waymark sync`.");
        }
        None => {
            let report = with_progress(|| store.sync_at(&UreqTransport::new(), now.at, true))?;
            print_report(&report, args.json);
        }
    }
    Ok(())
}

/// Runs `work`, and shows that it is still going on a terminal when it takes a while.
fn with_progress<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let ticker = scope.spawn(|| {
            let mut waited = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                waited += 1;
                if waited % 10 == 0 && std::io::stderr().is_terminal() {
                    eprint!("\rsyncing{}", ".".repeat(waited / 10 % 4));
                }
            }
            if waited >= 10 && std::io::stderr().is_terminal() {
                eprint!("\r          \r");
            }
        });
        let result = work();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        ticker.join().expect("the progress ticker ends");
        result
    })
}

fn print_report(report: &SyncReport, json: bool) {
    if json {
        println!("{}", serde_json::to_string_pretty(report).expect("reports serialise"));
        return;
    }
    println!(
        "Sent {}, received {}, refused {}, set aside {}, still waiting {}.",
        report.uploaded, report.received, report.rejected, report.held, report.pending
    );
    for problem in &report.problems {
        println!("  {problem}");
    }
}

pub fn unpair(data_dir: &Path) -> Result<(), Failure> {
    profile::open_existing(data_dir)?.unpair()?;
    println!("Unpaired. Nothing more will be shared; your therapist's app is told at the next sync.");
    Ok(())
}

pub fn clinician(command: ClinicianCommand, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    match command {
        ClinicianCommand::Invite { relay, label } => {
            let invite = profile::open(data_dir)?.invite(&relay, &label)?;
            println!("Channel {} for {}.", invite.channel.id, invite.channel.label);
            println!("Give the patient this pairing code (it is secret):\n{}", invite.pairing_code);
        }
        ClinicianCommand::Pull(flag) => {
            let store = profile::open_existing(data_dir)?;
            let report = with_progress(|| store.sync_at(&UreqTransport::new(), now.at, true))?;
            print_report(&report, flag.json);
        }
        ClinicianCommand::List(flag) => list(&profile::open_existing(data_dir)?, flag.json)?,
        ClinicianCommand::Report { channel, id, json, html, fhir } => {
            let store = profile::open_existing(data_dir)?;
            let summary = store.received_summary(&channel, &id)?;
            let forms = waymark_core::share::preview(&summary, &store.content_language()?);
            write_forms(&forms, html.as_deref(), fhir.as_deref())?;
            if json {
                println!("{}", forms.json);
            } else if html.is_none() && fhir.is_none() {
                crate::render::shared_summary(&summary);
            }
        }
        ClinicianCommand::SendAppointment { channel, ics, tz } => {
            let text = std::fs::read_to_string(&ics)
                .map_err(|e| Failure::input(format!("cannot read {}: {e}", ics.display())))?;
            let id = profile::open_existing(data_dir)?.send_appointment(&channel, &text, tz.unwrap_or(zone))?;
            println!("Appointment update {id} is encrypted and queued; `waymark clinician pull` sends it.");
        }
        ClinicianCommand::SendPrompt { channel, text } => {
            let id = profile::open_existing(data_dir)?.send_prompt(&channel, &text)?;
            println!("Prompt {id} is encrypted and queued; `waymark clinician pull` sends it.");
        }
        ClinicianCommand::Revoke { channel } => {
            profile::open_existing(data_dir)?.revoke_channel(&channel)?;
            println!("Revoked. The patient's app is told at the next pull, and deletes the channel on the relay.");
        }
    }
    Ok(())
}

fn write_forms(forms: &SummaryForms, html: Option<&Path>, fhir: Option<&Path>) -> Result<(), Failure> {
    for (path, text) in [(html, &forms.html), (fhir, &forms.fhir)] {
        if let Some(path) = path {
            crate::files::write_private(path, text.as_bytes())?;
        }
    }
    Ok(())
}

fn list(store: &Store, json: bool) -> Result<(), Failure> {
    let (channels, summaries) = (store.channels()?, store.received_summaries()?);
    if json {
        let value = serde_json::json!({ "channels": channels, "summaries": summaries });
        println!("{}", serde_json::to_string_pretty(&value).expect("lists serialise"));
        return Ok(());
    }
    for channel in &channels {
        let state = if channel.revoked_at.is_some() { " (revoked)" } else { "" };
        println!("{} {}{state}", channel.id, channel.label);
        for summary in summaries.iter().filter(|s| s.channel == channel.id) {
            let scopes: Vec<&str> = summary.scopes.iter().map(|s| s.as_str()).collect();
            println!("  {} {} to {}: {}", summary.id, summary.from, summary.to, scopes.join(", "));
        }
    }
    Ok(())
}
