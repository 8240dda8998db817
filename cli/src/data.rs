//! `waymark export` and `waymark erase`: the patient's data out, or gone.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use waymark_core::export::ExportFormat;

use crate::{profile, Failure};

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

#[derive(Args)]
pub struct EraseArgs {
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

pub fn export(args: ExportArgs, data_dir: &Path) -> Result<(), Failure> {
    let format = match args.format {
        Format::Json => ExportFormat::Json,
        Format::Csv => ExportFormat::Csv,
    };
    let files = profile::open_existing(data_dir)?.export(format)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", args.out.display())))?;
    for file in files {
        let path = args.out.join(&file.name);
        std::fs::write(&path, file.content)
            .map_err(|e| Failure::other(format!("cannot write {}: {e}", path.display())))?;
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
    if key.exists() {
        std::fs::remove_file(&key).map_err(|e| Failure::other(format!("cannot delete {}: {e}", key.display())))?;
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
