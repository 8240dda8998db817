//! `waymark demo`: a month of plausible check-ins in a fresh profile, so
//! anyone can see Waymark work without typing a month of moods.

use std::path::Path;
use std::time::SystemTime;
use waymark_core::Zone;

use chrono::{Days, NaiveTime, TimeZone};
use waymark_core::measures::{Answer, Instrument, ProgressQuery};
use waymark_core::time::local_date;
use waymark_core::{
    AssessmentDraft, CheckInDraft, CourseDraft, CourseTemplate, EmotionLabel as E, LifeArea as A, Store, VitalsDraft,
};

use crate::{profile, render, Failure};

const DAYS: u64 = 30;
/// Days without a check-in, counted back from today: real journals have gaps.
const SKIPPED: [u64; 3] = [27, 20, 12];

const LOW: &[E] = &[E::Anxious, E::Drained, E::Hopeless, E::Sad, E::Worried, E::Overwhelmed];
const MIDDLE: &[E] = &[E::Indifferent, E::Calm, E::Content, E::Worried, E::Hopeful];
const HIGH: &[E] = &[E::Hopeful, E::Calm, E::Grateful, E::Relieved, E::Peaceful, E::Content];
const AREAS: &[A] = &[A::Health, A::Family, A::Work, A::SelfCare, A::Friends, A::Partner, A::Fitness];

const LOW_NOTES: &[&str] = &[
    "Heavy morning. Hard to get out of bed.",
    "Couldn't focus at work; everything felt far away.",
    "Nervous about the first infusion on Thursday.",
    "Slept badly again. Thoughts going in circles.",
];
const MIDDLE_NOTES: &[&str] = &[
    "Infusion today. Felt floaty for an hour, then tired. My sister drove me home.",
    "Quiet day. Integration session helped me name what changed.",
    "A bit flat, but I noticed the flatness instead of sinking into it.",
    "Walked to the shop and back. Small, but I did it.",
];
const HIGH_NOTES: &[&str] = &[
    "Called Mum and actually enjoyed it. 🙂",
    "Morning walk by the river; the light was beautiful.",
    "Cooked dinner for friends for the first time in months.",
    "Journaled about the session: I feel more room between me and the bad thoughts.",
];

/// Weekly PHQ-9 and GAD-7 totals, oldest first: 20 to 9 is a 55% fall, a
/// response but not a remission.
const WEEKLY: [(u64, u32, u32); 5] = [(29, 20, 15), (22, 17, 13), (15, 14, 11), (8, 11, 8), (1, 9, 6)];
/// Blood pressure before and after two sessions: (days back, hour, systolic, diastolic, heart rate).
const READINGS: [(u64, u32, i32, i32, i32); 4] =
    [(22, 10, 128, 82, 74), (22, 12, 138, 88, 80), (15, 10, 126, 80, 72), (15, 12, 134, 86, 78)];

/// A small deterministic generator, so every demo tells the same story.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next(items.len() as u64) as usize]
    }
}

pub fn run(data_dir: Option<&Path>, zone: Zone, now: SystemTime) -> Result<(), Failure> {
    if now > SystemTime::now() {
        return Err(Failure::input("the demo seeds the month up to --now, which cannot be later than the clock"));
    }
    let dir = match data_dir {
        Some(dir) if dir.join(profile::DB_FILE).exists() => {
            return Err(Failure::input(format!(
                "{} already holds a journal; the demo only seeds a fresh profile",
                dir.display()
            )))
        }
        Some(dir) => dir.to_path_buf(),
        None => tempfile::Builder::new()
            .prefix("waymark-demo-")
            .tempdir()
            .map_err(|e| Failure::other(format!("cannot make a temporary folder: {e}")))?
            .keep(),
    };
    let store = profile::open(&dir)?;
    let drafts = month_of_checkins(now, zone);
    for draft in &drafts {
        store.add_checkin(draft)?;
    }
    let results = weekly_measures(now, zone);
    for result in &results {
        store.add_assessment(result)?;
    }
    for reading in session_vitals(now, zone) {
        store.add_vitals(&reading)?;
    }
    let done = esketamine_course(&store, now, zone)?;
    println!(
        "Seeded {} check-ins, {} PHQ-9 and GAD-7 results and {} blood pressures over {DAYS} days, and an esketamine \
         course with {done} sessions done, into {}",
        drafts.len(),
        results.len(),
        READINGS.len(),
        dir.display()
    );
    println!("Explore it with: waymark --data-dir {} journal list (or progress, course show)\n", dir.display());
    render::today(&store.today_at(now, zone)?, false);
    println!();
    let everything = ProgressQuery { from: None, to: None, zone };
    render::progress(&store.progress_at(now, &everything)?, false);
    println!();
    render::overview(&store.course_overview(now, zone)?, false);
    Ok(())
}

/// Check-ins for the last month, up to `now`, lifting from low to hopeful.
fn month_of_checkins(now: SystemTime, zone: Zone) -> Vec<CheckInDraft> {
    let tz = zone.tz();
    let today = local_date(now, tz);
    let mut rng = Lcg(0x5741_594d_4152_4b21);
    let mut drafts = Vec::new();
    for back in (0..DAYS).rev().filter(|back| !SKIPPED.contains(back)) {
        let date = today - Days::new(back);
        let progress = (DAYS - back) as f64 / DAYS as f64;
        for slot in 0..1 + rng.next(3) {
            let time = NaiveTime::from_hms_opt(8 + 6 * slot as u32, rng.next(60) as u32, 0).expect("valid time");
            let Some(at) = tz.from_local_datetime(&date.and_time(time)).earliest() else {
                continue;
            };
            let at = SystemTime::from(at);
            if at > now {
                continue;
            }
            let valence = (-2.5 + 4.0 * progress + rng.next(3) as f64 - 1.0).round().clamp(-3.0, 3.0) as i32;
            drafts.push(draft(&mut rng, valence, at, zone));
        }
    }
    drafts
}

/// Days since the demo course's first session.
const COURSE_START_DAYS: u64 = 29;

/// Starts an esketamine course four weeks ago, on the morning of the first PHQ-9, and marks the sessions that are over as done.
fn esketamine_course(store: &Store, now: SystemTime, zone: Zone) -> Result<u32, Failure> {
    let tz = zone.tz();
    let first = local_date(now, tz) - Days::new(COURSE_START_DAYS);
    let draft = CourseDraft {
        template: CourseTemplate::Esketamine,
        first_session: format!("{first}T10:00"),
        zone,
        place: "Riverside Clinic".to_string(),
    };
    store.start_course(&draft)?;
    let mut done = 0;
    for session in store.appointments()?.into_iter().filter(|s| s.ends_at() < now) {
        store.mark_appointment_done(&session.id, Some(session.ends_at()))?;
        done += 1;
    }
    Ok(done)
}

/// `days_back` days before today at `hour` local time, if that time exists.
fn days_ago_at(now: SystemTime, zone: Zone, days_back: u64, hour: u32) -> Option<SystemTime> {
    let tz = zone.tz();
    let date = local_date(now, tz) - Days::new(days_back);
    let time = NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour");
    tz.from_local_datetime(&date.and_time(time)).earliest().map(SystemTime::from)
}

/// Answers adding up to `total`, spread evenly and leaving PHQ-9 item 9 at 0.
fn answers_totalling(instrument: Instrument, total: u32) -> Vec<Answer> {
    let spread = if instrument == Instrument::Phq9 { 8 } else { instrument.item_count() as u32 };
    (0..instrument.item_count() as u32)
        .map(|item| match item < spread {
            true => Answer::Score { value: (total / spread + u32::from(item < total % spread)) as i32 },
            false => Answer::Score { value: 0 },
        })
        .collect()
}

fn weekly_measures(now: SystemTime, zone: Zone) -> Vec<AssessmentDraft> {
    WEEKLY
        .iter()
        .flat_map(|&(back, phq9, gad7)| [(back, Instrument::Phq9, phq9), (back, Instrument::Gad7, gad7)])
        .filter_map(|(back, instrument, total)| {
            let at = days_ago_at(now, zone, back, 9)?;
            Some(AssessmentDraft {
                taken_at: Some(at),
                ..AssessmentDraft::new(instrument, answers_totalling(instrument, total), zone)
            })
        })
        .collect()
}

fn session_vitals(now: SystemTime, zone: Zone) -> Vec<VitalsDraft> {
    READINGS
        .iter()
        .filter_map(|&(back, hour, systolic, diastolic, heart_rate)| {
            Some(VitalsDraft {
                heart_rate: Some(heart_rate),
                taken_at: Some(days_ago_at(now, zone, back, hour)?),
                ..VitalsDraft::blood_pressure(systolic, diastolic, zone)
            })
        })
        .collect()
}

fn draft(rng: &mut Lcg, valence: i32, at: SystemTime, zone: Zone) -> CheckInDraft {
    let (labels, notes) = match valence {
        ..=-1 => (LOW, LOW_NOTES),
        0 => (MIDDLE, MIDDLE_NOTES),
        _ => (HIGH, HIGH_NOTES),
    };
    let mut chosen = vec![rng.pick(labels)];
    if rng.next(2) == 0 {
        chosen.push(rng.pick(labels));
    }
    CheckInDraft {
        valence,
        energy: Some((3 + valence / 2 + rng.next(2) as i32 - 1).clamp(1, 5)),
        anxiety: Some((5 - valence + rng.next(3) as i32 - 1).clamp(0, 10)),
        sleep_hours: Some(5.5 + 0.25 * (valence + 3 + rng.next(4) as i32) as f64),
        labels: chosen,
        areas: vec![rng.pick(AREAS)],
        text: if rng.next(3) == 0 { String::new() } else { rng.pick(notes).to_string() },
        occurred_at: Some(at),
        zone,
        shared: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_is_valid_ordered_and_lifts() {
        let now = SystemTime::now();
        let drafts = month_of_checkins(now, "Europe/Paris".parse().unwrap());
        assert!(drafts.len() >= 27, "at least one check-in a day but the gaps");
        assert!(drafts.iter().all(|d| d.check().is_ok() && d.occurred_at.unwrap() <= now));
        let mean = |part: &[CheckInDraft]| part.iter().map(|d| d.valence as f64).sum::<f64>() / part.len() as f64;
        let third = drafts.len() / 3;
        assert!(mean(&drafts[..third]) < mean(&drafts[2 * third..]));
    }

    #[test]
    fn the_weekly_measures_are_valid_and_add_up_to_their_totals() {
        let results = weekly_measures(SystemTime::now(), "Europe/Paris".parse().unwrap());
        assert_eq!(results.len(), 2 * WEEKLY.len());
        for (result, expected) in results.iter().zip(WEEKLY.iter().flat_map(|&(_, phq9, gad7)| [phq9, gad7])) {
            assert_eq!(result.check().unwrap().total, expected);
            assert_eq!(result.check().unwrap().self_harm_answer.unwrap_or(0), 0);
        }
        assert!(session_vitals(SystemTime::now(), "Europe/Paris".parse().unwrap()).iter().all(|r| r.check().is_ok()));
    }
}
