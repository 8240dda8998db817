//! `waymark export` and `waymark erase`: the patient's data out, or gone.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use waymark_core::Zone;

use clap::{Args, ValueEnum};
use waymark_core::export::ExportFormat;

use crate::{profile, Failure, Now};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: Format,
    /// Folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(clap::Subcommand)]
pub enum BackupCommand {
    /// Write an encrypted backup of the whole profile to OUT.
    Create {
        out: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Restore a backup into this profile (which must be empty unless --force).
    Restore {
        file: PathBuf,
        /// Replace a profile that already holds a journal.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
}

#[derive(Args)]
pub struct PassphraseArgs {
    /// Read the passphrase from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    passphrase_env: Option<String>,
}

impl PassphraseArgs {
    fn read(&self, twice: bool) -> Result<zeroize::Zeroizing<String>, Failure> {
        if let Some(name) = &self.passphrase_env {
            let value = std::env::var(name).map_err(|_| Failure::input(format!("{name} is not set")))?;
            return Ok(zeroize::Zeroizing::new(value));
        }
        let ask = |prompt: &str| -> Result<zeroize::Zeroizing<String>, Failure> {
            if std::io::stdin().is_terminal() {
                rpassword::prompt_password(prompt)
                    .map(zeroize::Zeroizing::new)
                    .map_err(|e| Failure::other(e.to_string()))
            } else {
                eprint!("{prompt}");
                let mut line = zeroize::Zeroizing::new(String::new());
                std::io::stdin().lock().read_line(&mut line).map_err(|e| Failure::other(e.to_string()))?;
                Ok(zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_string()))
            }
        };
        let first = ask("Backup passphrase: ")?;
        if twice && std::io::stdin().is_terminal() && *ask("Again, to be sure: ")? != *first {
            return Err(Failure::input("the two passphrases differ; nothing was written"));
        }
        Ok(first)
    }
}

pub fn backup(command: BackupCommand, data_dir: &Path) -> Result<(), Failure> {
    match command {
        BackupCommand::Create { out, passphrase } => {
            let store = profile::open_existing(data_dir)?;
            let size = store.backup_to_file(&out, &passphrase.read(true)?).map_err(backup_failure)?;
            println!(
                "Backed up to {} ({size} bytes). Keep the passphrase: without it the backup cannot be opened.",
                out.display(),
            );
        }
        BackupCommand::Restore { file, force, passphrase } => {
            let opened = std::fs::File::open(&file)
                .map_err(|e| Failure::input(format!("cannot read {}: {e}", file.display())))?;
            let passphrase = passphrase.read(false)?;
            let db = data_dir.join(profile::DB_FILE);
            let fresh = !db.exists() && std::env::var_os(profile::KEY_ENV).is_none();
            let key = profile::key_for(data_dir)?;
            let restored =
                waymark_core::backup::restore_from(std::io::BufReader::new(opened), &passphrase, &db, &key, force);
            if restored.is_err() && fresh {
                // A key made for this restore alone goes with it.
                let _ = std::fs::remove_file(data_dir.join(profile::KEY_FILE));
            }
            let report = restored.map_err(backup_failure)?;
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Failure::other(format!("cannot protect {}: {e}", db.display())))?;
            println!(
                "Restored {} journal entries, {} results and {} appointments.",
                report.checkins, report.assessments, report.appointments
            );
        }
    }
    Ok(())
}

fn backup_failure(error: waymark_core::backup::BackupError) -> Failure {
    match error {
        waymark_core::backup::BackupError::Store(store) => store.into(),
        other => Failure::input(other.to_string()),
    }
}

#[derive(clap::Subcommand)]
pub enum ImportCommand {
    /// A Daylio CSV export. Moods other than Daylio's defaults need --map.
    Daylio {
        file: PathBuf,
        /// Show what would come in, and write nothing.
        #[arg(long)]
        preview: bool,
        /// Give a mood name its valence, -3 to +3 (repeatable), e.g. --map "Sick=-2".
        #[arg(long = "map", value_name = "NAME=VALENCE", allow_hyphen_values = true)]
        maps: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

fn mapping(text: &str) -> Result<waymark_core::import::MoodMapping, Failure> {
    let (name, valence) = text
        .rsplit_once('=')
        .ok_or_else(|| Failure::input(format!("\"{text}\" is not NAME=VALENCE, e.g. \"Sick=-2\"")))?;
    let valence =
        valence.trim().parse().map_err(|_| Failure::input(format!("\"{valence}\" is not a valence; use -3 to +3")))?;
    Ok(waymark_core::import::MoodMapping { name: name.trim().to_string(), valence })
}

fn import_failure(error: waymark_core::import::ImportError) -> Failure {
    match error {
        waymark_core::import::ImportError::Store(store) => store.into(),
        other => Failure::input(other.to_string()),
    }
}

pub fn import(command: ImportCommand, data_dir: &Path, zone: Zone) -> Result<(), Failure> {
    let ImportCommand::Daylio { file, preview, maps, json } = command;
    let csv =
        std::fs::read_to_string(&file).map_err(|e| Failure::input(format!("cannot read {}: {e}", file.display())))?;
    let maps = maps.iter().map(|m| mapping(m)).collect::<Result<Vec<_>, _>>()?;
    if preview {
        // A preview writes nothing, not even a new profile: without one it counts nothing as imported.
        let scratch = tempfile::tempdir().map_err(|e| Failure::other(e.to_string()))?;
        let dir = if data_dir.join(profile::DB_FILE).exists() { data_dir } else { scratch.path() };
        let store = profile::open(dir)?;
        let preview = store.preview_daylio(&csv, &maps, zone).map_err(import_failure)?;
        if json {
            println!("{}", serde_json::to_string_pretty(&preview).expect("previews serialise"));
            return Ok(());
        }
        println!("{} entries ({} already imported).", preview.entries, preview.already_imported);
        println!("Moods:");
        for mood in &preview.moods {
            match mood.valence {
                Some(v) => println!("  {:<20} {:>5}  valence {v:+}", mood.name, mood.count),
                None => {
                    println!("  {:<20} {:>5}  not mapped: add --map \"{}=VALENCE\"", mood.name, mood.count, mood.name)
                }
            }
        }
        println!("Sample:");
        for entry in &preview.sample {
            let valence = entry.valence.map_or("?".to_string(), |v| format!("{v:+}"));
            println!("  {} {} ({valence}) {}", entry.local, entry.mood, entry.text.replace('\n', " / "));
        }
        return Ok(());
    }
    let report = profile::open(data_dir)?.import_daylio(&csv, &maps, zone).map_err(import_failure)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).expect("reports serialise"));
    } else {
        println!("Imported {} entries ({} were already in your journal).", report.added, report.skipped);
    }
    Ok(())
}

#[derive(Args)]
pub struct EraseArgs {
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

pub fn export(args: ExportArgs, data_dir: &Path, now: Now) -> Result<(), Failure> {
    let format = match args.format {
        Format::Json => ExportFormat::Json,
        Format::Csv => ExportFormat::Csv,
    };
    let files = profile::open_existing(data_dir)?.export_at(format, now.at)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", args.out.display())))?;
    for file in files {
        let path = args.out.join(&file.name);
        crate::files::write_private(&path, file.content.as_bytes())?;
        println!("{}", path.display());
    }
    Ok(())
}

/// Deletes the journal, everything else in the profile, and its key.
pub fn erase(args: EraseArgs, data_dir: &Path) -> Result<(), Failure> {
    let db = data_dir.join(profile::DB_FILE);
    if !db.exists() {
        return Err(Failure::input(format!("there is no profile in {} to erase", data_dir.display())));
    }
    if !args.yes && !confirmed(data_dir)? {
        return Err(Failure::input("nothing was erased"));
    }
    let removed = waymark_core::store::erase(&db)?;
    let key = data_dir.join(profile::KEY_FILE);
    if std::fs::symlink_metadata(&key).is_ok() {
        crate::files::shred(&key)?;
    }
    // The folder goes too when nothing else is in it.
    let _ = std::fs::remove_dir(data_dir);
    println!("Erased: {removed} database files and the key in {}.", data_dir.display());
    Ok(())
}

fn confirmed(data_dir: &Path) -> Result<bool, Failure> {
    let mut stderr = std::io::stderr();
    let _ = write!(
        stderr,
        "This deletes every journal entry, result, appointment and your safety plan in {}, and cannot be undone.\n\
         Type \"erase\" to confirm: ",
        data_dir.display()
    );
    let _ = stderr.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Failure::other(e.to_string()))?;
    Ok(answer.trim() == "erase")
}
