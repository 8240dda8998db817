//! The session rhythms a course can start from. Each creates dated,
//! scheduled appointments that the patient then moves or deletes to match
//! what their clinic booked.
//!
//! Sources (shared/domain.md, "Treatments"):
//! - IV induction: 6 infusions, two or three a week, over 2-3 weeks
//!   (ketamine-infusion.com FAQ; floridaregionalpain.com).
//! - Esketamine (Spravato): twice a week in weeks 1-4, weekly in weeks 5-8,
//!   then every 1-2 weeks as the prescriber decides (label dosing, via
//!   medicalnewstoday.com/articles/drugs-spravato-dosage; SPRAVATO Treatment
//!   Center, spravatotreatmentcenter.com/treating). The template's first eight
//!   weeks are dated; after them the course offers to continue weekly or
//!   fortnightly (`continue_course`), since maintenance goes on.
//! - KAP: preparation, dosing and integration sessions with a therapist. No
//!   source gives a number or spacing, so the template is one cycle.
//! - Food and drink before a dose: IV, no solids for 6 hours and clear liquids
//!   until 2 hours before (amg-ketamine.com treatment day; nervanamedical.com
//!   discharge sheet); esketamine, no food for 2 hours and no liquids for 30
//!   minutes before (spravato.com FAQ; the Medication Guide). KAP has no
//!   default: the clinic's rule is entered per course. Titles and sources are
//!   in `content/text/<locale>.toml` (`template.*`).
//! - Durations are calendar defaults: 2 hours for a dose, the minimum
//!   monitoring after esketamine (spravatohcp.com dosing page); 1 hour for the
//!   other sessions.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::{AppointmentKind, CourseError};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CourseTemplate {
    IvInduction,
    Esketamine,
    Kap,
    /// No sessions of its own: the patient adds each one.
    Custom,
}

crate::names::stored_names!(CourseTemplate {
    IvInduction => "iv_induction",
    Esketamine => "esketamine",
    Kap => "kap",
    Custom => "custom",
});

/// One session a template creates: days after the first session, and what it is.
pub(super) struct TemplateSession {
    pub day: u64,
    pub kind: AppointmentKind,
    /// The title's key in the text catalogs, and the number it shows (0 for none).
    title_key: &'static str,
    number: u32,
    pub duration_minutes: u32,
}

impl TemplateSession {
    /// The session's title in `language`, e.g. "Ketamine infusion 2 of 6".
    pub fn title(&self, language: &str) -> String {
        text::fill(language, self.title_key, &[("n", &self.number.to_string())])
    }
}

/// Minutes before a dose when food, then liquids, stop.
pub(super) struct FastingDefaults {
    pub no_food_before_minutes: Option<u32>,
    pub no_liquids_before_minutes: Option<u32>,
}

const DOSE_MINUTES: u32 = 120;
const SESSION_MINUTES: u32 = 60;

const fn session(day: u64, kind: AppointmentKind, title_key: &'static str, number: u32) -> TemplateSession {
    let duration_minutes = match kind {
        AppointmentKind::Dosing => DOSE_MINUTES,
        _ => SESSION_MINUTES,
    };
    TemplateSession { day, kind, title_key, number, duration_minutes }
}

const INFUSION: &str = "template.iv_induction.session";
const IV: &[TemplateSession] = &[
    session(0, AppointmentKind::Dosing, INFUSION, 1),
    session(2, AppointmentKind::Dosing, INFUSION, 2),
    session(4, AppointmentKind::Dosing, INFUSION, 3),
    session(7, AppointmentKind::Dosing, INFUSION, 4),
    session(9, AppointmentKind::Dosing, INFUSION, 5),
    session(11, AppointmentKind::Dosing, INFUSION, 6),
];

const WEEK: &str = "template.esketamine.session";
const ESKETAMINE: &[TemplateSession] = &[
    session(0, AppointmentKind::Dosing, WEEK, 1),
    session(3, AppointmentKind::Dosing, WEEK, 1),
    session(7, AppointmentKind::Dosing, WEEK, 2),
    session(10, AppointmentKind::Dosing, WEEK, 2),
    session(14, AppointmentKind::Dosing, WEEK, 3),
    session(17, AppointmentKind::Dosing, WEEK, 3),
    session(21, AppointmentKind::Dosing, WEEK, 4),
    session(24, AppointmentKind::Dosing, WEEK, 4),
    session(28, AppointmentKind::Dosing, WEEK, 5),
    session(35, AppointmentKind::Dosing, WEEK, 6),
    session(42, AppointmentKind::Dosing, WEEK, 7),
    session(49, AppointmentKind::Dosing, WEEK, 8),
];

const KAP: &[TemplateSession] = &[
    session(0, AppointmentKind::Preparation, "template.kap.preparation", 0),
    session(7, AppointmentKind::Dosing, "template.kap.dosing", 0),
    session(8, AppointmentKind::Integration, "template.kap.integration", 0),
];

impl CourseTemplate {
    /// The stable name used in storage and the CLI.
    /// The template's name in `language`, e.g. "IV ketamine induction".
    pub fn title(self, language: &str) -> &'static str {
        text::get(language, &format!("template.{}.title", self.as_str()))
    }

    pub(super) fn sessions(self) -> &'static [TemplateSession] {
        match self {
            CourseTemplate::IvInduction => IV,
            CourseTemplate::Esketamine => ESKETAMINE,
            CourseTemplate::Kap => KAP,
            CourseTemplate::Custom => &[],
        }
    }

    pub(super) fn fasting(self) -> FastingDefaults {
        let (no_food_before_minutes, no_liquids_before_minutes) = match self {
            CourseTemplate::IvInduction => (Some(6 * 60), Some(2 * 60)),
            CourseTemplate::Esketamine => (Some(2 * 60), Some(30)),
            CourseTemplate::Kap | CourseTemplate::Custom => (None, None),
        };
        FastingDefaults { no_food_before_minutes, no_liquids_before_minutes }
    }

    /// Where the default fasting times come from, in `language`.
    pub(super) fn fasting_source(self, language: &str) -> &'static str {
        match self {
            CourseTemplate::IvInduction | CourseTemplate::Esketamine => {
                text::get(language, &format!("template.{}.fasting_source", self.as_str()))
            }
            CourseTemplate::Kap | CourseTemplate::Custom => text::get(language, "course.fasting_clinic"),
        }
    }
}

/// The English name, as the CLI prints it.
impl fmt::Display for CourseTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title("en"))
    }
}

impl FromStr for CourseTemplate {
    type Err = CourseError;

    /// Accepts `iv-induction` as well as `iv_induction`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let wanted = name.replace('-', "_").to_ascii_lowercase();
        CourseTemplate::ALL
            .into_iter()
            .find(|template| template.as_str() == wanted)
            .ok_or_else(|| CourseError::UnknownTemplate { name: name.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dosing_days(template: CourseTemplate) -> Vec<u64> {
        template.sessions().iter().filter(|s| s.kind == AppointmentKind::Dosing).map(|s| s.day).collect()
    }

    #[test]
    fn iv_induction_is_six_infusions_two_or_three_a_week_within_three_weeks() {
        let days = dosing_days(CourseTemplate::IvInduction);
        assert_eq!(days.len(), 6);
        assert!(*days.last().unwrap() < 21);
        for week in 0..2 {
            let in_week = days.iter().filter(|d| **d / 7 == week).count();
            assert!((2..=3).contains(&in_week), "week {week}: {in_week}");
        }
    }

    #[test]
    fn esketamine_is_twice_weekly_for_four_weeks_then_weekly_to_week_eight() {
        let days = dosing_days(CourseTemplate::Esketamine);
        let per_week: Vec<usize> = (0..8).map(|week| days.iter().filter(|d| **d / 7 == week).count()).collect();
        assert_eq!(per_week, [2, 2, 2, 2, 1, 1, 1, 1]);
    }

    #[test]
    fn kap_is_preparation_then_dosing_then_integration() {
        let kinds: Vec<_> = CourseTemplate::Kap.sessions().iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [AppointmentKind::Preparation, AppointmentKind::Dosing, AppointmentKind::Integration]);
        assert!(CourseTemplate::Custom.sessions().is_empty());
    }

    #[test]
    fn fasting_defaults_follow_their_sources() {
        let iv = CourseTemplate::IvInduction.fasting();
        assert_eq!((iv.no_food_before_minutes, iv.no_liquids_before_minutes), (Some(360), Some(120)));
        let esketamine = CourseTemplate::Esketamine.fasting();
        assert_eq!((esketamine.no_food_before_minutes, esketamine.no_liquids_before_minutes), (Some(120), Some(30)));
        assert_eq!(CourseTemplate::Kap.fasting().no_food_before_minutes, None);
    }

    #[test]
    fn names_parse_with_dashes_or_underscores() {
        assert_eq!("iv-induction".parse::<CourseTemplate>().unwrap(), CourseTemplate::IvInduction);
        assert_eq!("KAP".parse::<CourseTemplate>().unwrap(), CourseTemplate::Kap);
        assert!(matches!("ibogaine".parse::<CourseTemplate>(), Err(CourseError::UnknownTemplate { .. })));
    }
}
