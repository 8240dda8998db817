//! `waymark demo`: a month of plausible check-ins in a fresh profile, so
//! anyone can see Waymark work without typing a month of moods.

use std::path::Path;
use std::time::SystemTime;

use chrono::{Days, NaiveTime, TimeZone};
use waymark_core::time::{local_date, parse_zone};
use waymark_core::{CheckInDraft, EmotionLabel as E, LifeArea as A};

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

pub fn run(data_dir: Option<&Path>, zone: &str) -> Result<(), Failure> {
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
    let drafts = month_of_checkins(SystemTime::now(), zone);
    for draft in &drafts {
        store.add_checkin(draft)?;
    }
    println!("Seeded {} check-ins over {DAYS} days into {}", drafts.len(), dir.display());
    println!("Explore it with: waymark --data-dir {} journal list\n", dir.display());
    render::today(&store.today(zone)?, false);
    Ok(())
}

/// Check-ins for the last month, up to `now`, lifting from low to hopeful.
fn month_of_checkins(now: SystemTime, zone: &str) -> Vec<CheckInDraft> {
    let tz = parse_zone(zone).expect("the CLI passes a known zone");
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

fn draft(rng: &mut Lcg, valence: i32, at: SystemTime, zone: &str) -> CheckInDraft {
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
        zone: zone.to_string(),
        shared: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_is_valid_ordered_and_lifts() {
        let now = SystemTime::now();
        let drafts = month_of_checkins(now, "Europe/Paris");
        assert!(drafts.len() >= 27, "at least one check-in a day but the gaps");
        assert!(drafts.iter().all(|d| d.check().is_ok() && d.occurred_at.unwrap() <= now));
        let mean = |part: &[CheckInDraft]| part.iter().map(|d| d.valence as f64).sum::<f64>() / part.len() as f64;
        let third = drafts.len() / 3;
        assert!(mean(&drafts[..third]) < mean(&drafts[2 * third..]));
    }
}
