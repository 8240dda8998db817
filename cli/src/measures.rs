//! `waymark assess`, `waymark vitals` and `waymark progress`.

use std::io::{BufRead, Write};
use std::path::Path;
use waymark_core::Zone;

use clap::{Args, Subcommand};
use waymark_core::measures::{form, Answer, AssessmentFilter, Form, Instrument, MeasureSchedule, ProgressQuery};
use waymark_core::{AssessmentDraft, Store, VitalsDraft};

use crate::{parse_instant, profile, render, Failure, Now};

#[derive(Subcommand)]
pub enum AssessCommand {
    /// Take the PHQ-9 (depression); asks each item unless --answers is given.
    Phq9(TakeArgs),
    /// Take the GAD-7 (anxiety); asks each item unless --answers is given.
    Gad7(TakeArgs),
    /// Saved results, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Which measures are due, and when.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// How often a measure falls due (default every 7 days).
    Schedule {
        /// phq9 or gad7.
        measure: String,
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=366))]
        every: Option<u32>,
        /// Stop this measure falling due.
        #[arg(long, conflicts_with = "on")]
        off: bool,
        /// Make it fall due again.
        #[arg(long)]
        on: bool,
    },
    /// Measure progress from this result rather than the first one.
    Baseline {
        /// The id of a saved result.
        #[arg(required_unless_present = "clear")]
        id: Option<String>,
        /// Go back to the default baseline for this measure (phq9 or gad7).
        #[arg(long, value_name = "MEASURE", conflicts_with = "id")]
        clear: Option<String>,
    },
}

#[derive(Args)]
pub struct TakeArgs {
    /// One answer per item, comma-separated, 0 to 3; PHQ-9 item 9 may be x ("prefer not to answer").
    #[arg(long, allow_hyphen_values = true, value_name = "A,B,...")]
    answers: Option<String>,
    #[command(flatten)]
    record: RecordArgs,
}

/// What every new result or reading takes besides its values.
#[derive(Args)]
pub struct RecordArgs {
    /// When it was taken, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// The treatment session it belongs to.
    #[arg(long, value_name = "ID")]
    session: Option<String>,
    /// Share it with your therapist.
    #[arg(long)]
    share: bool,
    #[arg(long)]
    json: bool,
}

impl RecordArgs {
    fn taken_at(&self) -> Result<Option<std::time::SystemTime>, Failure> {
        self.at.as_deref().map(parse_instant).transpose()
    }
}

#[derive(Args)]
pub struct VitalsArgs {
    /// Blood pressure in mmHg, systolic/diastolic, such as 120/80.
    #[arg(long, value_name = "SYS/DIA", required_unless_present = "hr")]
    bp: Option<String>,
    /// Heart rate in beats a minute.
    #[arg(long, allow_hyphen_values = true, value_name = "BPM")]
    hr: Option<i32>,
    #[command(flatten)]
    record: RecordArgs,
}

#[derive(Args)]
pub struct ProgressArgs {
    /// First local date to include (YYYY-MM-DD); default: the first record.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last local date to include (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Runs `assess`. The profile is opened only once the input is known to be good.
pub fn assess(command: AssessCommand, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    let open = || profile::open(data_dir);
    match command {
        AssessCommand::Phq9(args) => take(Instrument::Phq9, args, data_dir, open, zone, now),
        AssessCommand::Gad7(args) => take(Instrument::Gad7, args, data_dir, open, zone, now),
        AssessCommand::List { json } => {
            render::assessments(&profile::open_existing(data_dir)?.assessments(&AssessmentFilter::default())?, json);
            Ok(())
        }
        AssessCommand::Due { json } => {
            render::due(&profile::open_existing(data_dir)?.due_measures_at(now.at, zone)?, zone.name(), json);
            Ok(())
        }
        AssessCommand::Schedule { measure, every, off, on } => {
            let instrument: Instrument = measure.parse()?;
            let store = open()?;
            let current = store.measure_schedules()?.into_iter().find(|s| s.instrument == instrument);
            let current = current.expect("every instrument has a schedule");
            let schedule = MeasureSchedule {
                instrument,
                every_days: every.unwrap_or(current.every_days),
                enabled: (current.enabled || on) && !off,
            };
            store.set_measure_schedule(&schedule)?;
            render::schedule(&schedule);
            Ok(())
        }
        AssessCommand::Baseline { id: Some(id), .. } => {
            let picked = profile::open_existing(data_dir)?.pick_baseline(&id)?;
            println!(
                "{} baseline: {} ({}) from {}",
                picked.instrument,
                picked.total,
                picked.severity.map_or("incomplete", |band| band.as_str()),
                picked.id
            );
            Ok(())
        }
        AssessCommand::Baseline { clear, .. } => {
            let instrument: Instrument = clear.expect("clap requires an id or --clear").parse()?;
            profile::open_existing(data_dir)?.clear_baseline(instrument)?;
            println!("{instrument} baseline: the first complete result of the current course, else of all");
            Ok(())
        }
    }
}

fn take(
    instrument: Instrument,
    args: TakeArgs,
    data_dir: &Path,
    open: impl FnOnce() -> Result<Store, Failure>,
    zone: Zone,
    now: Now,
) -> Result<(), Failure> {
    let answers = match &args.answers {
        Some(text) => parse_answers(text)?,
        None => {
            let form = form(instrument, &profile::content_language(data_dir));
            ask(&form, &mut std::io::stdin().lock(), &mut std::io::stderr())?
        }
    };
    let record = args.record;
    let draft = AssessmentDraft {
        taken_at: now.or(record.taken_at()?),
        session_id: record.session,
        shared: record.share,
        ..AssessmentDraft::new(instrument, answers, zone)
    };
    draft.check()?;
    let saved = open()?.add_assessment(&draft)?;
    render::assessment(&saved, record.json);
    Ok(())
}

/// `1,0,2,...`: each 0 to 3, `x` for prefer not to answer, empty for none.
/// One trailing comma is allowed.
fn parse_answers(text: &str) -> Result<Vec<Answer>, Failure> {
    let text = text.strip_suffix(',').unwrap_or(text);
    text.split(',')
        .enumerate()
        .map(|(index, part)| {
            Answer::parse(part).ok_or_else(|| {
                Failure::input(format!("answer {} (\"{}\") is not 0, 1, 2, 3 or x", index + 1, part.trim()))
            })
        })
        .collect()
}

/// Asks each item in turn on `output`, re-asking until the answer is valid.
fn ask(form: &Form, input: &mut impl BufRead, output: &mut impl Write) -> Result<Vec<Answer>, Failure> {
    let io = |e: std::io::Error| Failure::other(format!("cannot use the terminal: {e}"));
    writeln!(output, "{}\n{}", form.title, form.question).map_err(io)?;
    for option in &form.options {
        writeln!(output, "  {} = {}", option.value, option.label).map_err(io)?;
    }
    let mut answers = Vec::with_capacity(form.items.len());
    for item in &form.items {
        let choices = if item.allows_prefer_not_to_answer { "0-3, or x to prefer not to answer" } else { "0-3" };
        loop {
            write!(output, "\n{}. {}\n[{choices}]: ", item.number, item.text).map_err(io)?;
            output.flush().map_err(io)?;
            let mut line = String::new();
            if input.read_line(&mut line).map_err(io)? == 0 {
                return Err(Failure::input(format!("the form ended before item {}; nothing was saved", item.number)));
            }
            match Answer::parse(&line) {
                Some(answer @ Answer::Score { value: 0..=3 }) => answers.push(answer),
                Some(Answer::PreferNotToAnswer) if item.allows_prefer_not_to_answer => {
                    answers.push(Answer::PreferNotToAnswer)
                }
                _ => {
                    writeln!(output, "Please answer with {choices}.").map_err(io)?;
                    continue;
                }
            }
            break;
        }
    }
    writeln!(output).map_err(io)?;
    Ok(answers)
}

pub fn vitals(args: VitalsArgs, data_dir: &Path, zone: Zone, now: Now) -> Result<(), Failure> {
    let (systolic, diastolic) = match &args.bp {
        Some(bp) => {
            let (systolic, diastolic) = parse_bp(bp)?;
            (Some(systolic), Some(diastolic))
        }
        None => (None, None),
    };
    let draft = VitalsDraft {
        systolic,
        diastolic,
        heart_rate: args.hr,
        taken_at: now.or(args.record.taken_at()?),
        zone,
        session_id: args.record.session,
        shared: args.record.share,
    };
    draft.check()?;
    render::vitals(&profile::open(data_dir)?.add_vitals(&draft)?, args.record.json);
    Ok(())
}

fn parse_bp(text: &str) -> Result<(i32, i32), Failure> {
    let invalid =
        || Failure::input(format!("\"{text}\" is not a blood pressure; give systolic/diastolic such as 120/80"));
    let (systolic, diastolic) = text.split_once('/').ok_or_else(invalid)?;
    Ok((systolic.trim().parse().map_err(|_| invalid())?, diastolic.trim().parse().map_err(|_| invalid())?))
}

pub fn progress(args: ProgressArgs, store: &Store, zone: Zone, now: Now) -> Result<(), Failure> {
    let query = ProgressQuery { from: args.from, to: args.to, zone };
    render::progress(&store.progress_at(now.at, &query)?, args.json);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_digits_x_and_blanks_and_name_a_bad_one() {
        let parsed = parse_answers("0, 3,,x,").unwrap();
        let expected =
            [Answer::Score { value: 0 }, Answer::Score { value: 3 }, Answer::Unanswered, Answer::PreferNotToAnswer];
        assert_eq!(parsed, expected, "one trailing comma is dropped");
        assert!(matches!(parse_answers("1,two"), Err(Failure::Input(m)) if m.contains("answer 2")));
    }

    #[test]
    fn the_form_asks_again_until_each_answer_is_valid() {
        let mut output = Vec::new();
        let typed = "1\n4\n2\n\n0\nx\n3\n0\n0\n1\n2\nx\n";
        let answers = ask(&form(Instrument::Phq9, "en"), &mut typed.as_bytes(), &mut output).unwrap();
        let values: Vec<String> = answers.iter().map(|a| format!("{a:?}")).collect();
        assert_eq!(values.len(), 9);
        assert_eq!(answers[1], Answer::Score { value: 2 }, "4 and a blank line were asked again");
        assert_eq!(answers[3], Answer::Score { value: 3 }, "x on item 4 was asked again");
        assert_eq!(answers[8], Answer::PreferNotToAnswer);
        let shown = String::from_utf8(output).unwrap();
        assert!(shown.contains("Over the last 2 weeks") && shown.contains("3 = Nearly every day"));
        assert_eq!(shown.matches("Please answer").count(), 3);
    }

    #[test]
    fn a_form_cut_short_saves_nothing() {
        let result = ask(&form(Instrument::Gad7, "en"), &mut "1\n2\n".as_bytes(), &mut Vec::new());
        assert!(matches!(result, Err(Failure::Input(m)) if m.contains("item 3")));
    }

    #[test]
    fn blood_pressure_is_systolic_over_diastolic() {
        assert_eq!(parse_bp("120/80").unwrap(), (120, 80));
        for bad in ["120", "120/", "a/b", "120-80"] {
            assert!(parse_bp(bad).is_err(), "{bad}");
        }
    }
}
