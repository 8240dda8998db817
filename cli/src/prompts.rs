//! `waymark prompts due` and `waymark prompts answer`.

use std::path::Path;
use waymark_core::Zone;

use clap::Subcommand;

use crate::{profile, Failure, Now};

#[derive(Subcommand)]
pub enum PromptsCommand {
    /// Integration prompts open now.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// Answer an open prompt; the answer goes into your journal.
    Answer {
        id: String,
        #[arg(long)]
        text: String,
        /// How you feel, -3 to +3.
        #[arg(long, allow_hyphen_values = true, default_value_t = 0)]
        valence: i32,
        /// Share this answer with your therapist.
        #[arg(long)]
        share: bool,
    },
}

pub fn prompts(command: PromptsCommand, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    let store = profile::open_existing(data_dir)?;
    match command {
        PromptsCommand::Due { json } => {
            let due = store.prompts_due(now.at)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&due).expect("prompts serialise"));
            } else if due.is_empty() {
                println!("No prompts are open.");
            } else {
                for prompt in &due {
                    let note = if prompt.grounding { "  (your safety plan: `waymark safety-plan show`)" } else { "" };
                    println!("{}\n    {}{note}", prompt.id, prompt.text);
                }
            }
        }
        PromptsCommand::Answer { id, text, valence, share } => {
            let entry = store.answer_prompt_at(now.at, &id, &text, valence, zone, share)?;
            println!("{}", entry.id);
        }
    }
    Ok(())
}
