//! The PHQ-9 and GAD-7 as published, bundled so they work offline, and how
//! they are scored.
//!
//! Sources:
//! - PHQ-9: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief
//!   depression severity measure. J Gen Intern Med 2001;16(9):606-613. Wording
//!   from the form at phqscreeners.com ("No permission required to reproduce,
//!   translate, display or distribute").
//! - GAD-7: Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for
//!   assessing generalized anxiety disorder: the GAD-7. Arch Intern Med
//!   2006;166(10):1092-1097. Its cut points are 5, 10 and 15.
//! - LOINC codes: HL7 personal-health-record IG and the medizininformatik-initiative
//!   PROMs module (shared/domain.md, "Measures").

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use super::MeasureError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    Phq9,
    Gad7,
}

impl Instrument {
    pub const ALL: [Instrument; 2] = [Instrument::Phq9, Instrument::Gad7];

    /// The stable name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::Phq9 => "phq9",
            Instrument::Gad7 => "gad7",
        }
    }

    pub fn title(self) -> &'static str {
        self.text().title
    }

    pub fn item_count(self) -> usize {
        self.text().items.len()
    }

    /// The highest possible total.
    pub fn max_total(self) -> u32 {
        3 * self.item_count() as u32
    }

    fn text(self) -> &'static FormText {
        match self {
            Instrument::Phq9 => &PHQ9,
            Instrument::Gad7 => &GAD7,
        }
    }
}

/// The published name, such as `PHQ-9`.
impl fmt::Display for Instrument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Instrument {
    type Err = MeasureError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Instrument::ALL
            .into_iter()
            .find(|instrument| instrument.as_str().eq_ignore_ascii_case(name.replace('-', "").as_str()))
            .ok_or_else(|| MeasureError::UnknownInstrument { name: name.to_string() })
    }
}

/// Severity bands, as the instrument's authors published them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Minimal,
    Mild,
    Moderate,
    /// PHQ-9 only.
    ModeratelySevere,
    Severe,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minimal => "minimal",
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::ModeratelySevere => "moderately severe",
            Severity::Severe => "severe",
        }
    }
}

/// The band a total falls in: PHQ-9 0-4, 5-9, 10-14, 15-19, 20-27 (Kroenke
/// 2001); GAD-7 0-4, 5-9, 10-14, 15-21 (Spitzer 2006).
pub fn severity(instrument: Instrument, total: u32) -> Severity {
    match (instrument, total) {
        (_, 0..=4) => Severity::Minimal,
        (_, 5..=9) => Severity::Mild,
        (_, 10..=14) => Severity::Moderate,
        (Instrument::Phq9, 15..=19) => Severity::ModeratelySevere,
        _ => Severity::Severe,
    }
}

/// One item's answer as the patient gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Answer {
    /// 0 "Not at all" to 3 "Nearly every day".
    Score { value: i32 },
    /// Allowed on PHQ-9 item 9 only, as in HealthKit's PHQ-9.
    PreferNotToAnswer,
    /// Not answered yet; a form with one is refused, never prorated.
    Unanswered,
}

impl Answer {
    /// The stored form: the digit, or `x` for prefer not to answer.
    pub(crate) fn code(self) -> String {
        match self {
            Answer::Score { value } => value.to_string(),
            Answer::PreferNotToAnswer => "x".to_string(),
            Answer::Unanswered => String::new(),
        }
    }

    /// Reads one answer as typed in the CLI or stored: `0`-`3`, or `x`.
    pub fn parse(text: &str) -> Option<Answer> {
        match text.trim() {
            "" => Some(Answer::Unanswered),
            "x" | "X" => Some(Answer::PreferNotToAnswer),
            digits => digits.parse().ok().map(|value| Answer::Score { value }),
        }
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Score { value } => s.serialize_i32(*value),
            Answer::PreferNotToAnswer => s.serialize_str("prefer_not_to_answer"),
            Answer::Unanswered => s.serialize_none(),
        }
    }
}

/// The PHQ-9 item that asks about thoughts of death or self-harm (1-based).
pub const PHQ9_SELF_HARM_ITEM: u32 = 9;

/// A complete form's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub total: u32,
    /// The PHQ-9 item-9 answer when it was given as a number.
    pub self_harm_answer: Option<i32>,
}

/// Scores a complete form. Every item must have an answer from 0 to 3;
/// only PHQ-9 item 9 may be "prefer not to answer", which adds nothing.
pub fn score(instrument: Instrument, answers: &[Answer]) -> Result<Score, MeasureError> {
    let expected = instrument.item_count();
    if answers.len() > expected {
        return Err(MeasureError::TooManyAnswers {
            instrument,
            expected: expected as u32,
            found: answers.len() as u32,
        });
    }
    let mut total = 0;
    let mut self_harm_answer = None;
    for index in 0..expected {
        let item = index as u32 + 1;
        match answers.get(index).copied().unwrap_or(Answer::Unanswered) {
            Answer::Unanswered => return Err(MeasureError::MissingAnswer { instrument, item }),
            Answer::Score { value } if !(0..=3).contains(&value) => {
                return Err(MeasureError::AnswerOutOfRange { instrument, item, value })
            }
            Answer::Score { value } => {
                total += value as u32;
                if instrument == Instrument::Phq9 && item == PHQ9_SELF_HARM_ITEM {
                    self_harm_answer = Some(value);
                }
            }
            Answer::PreferNotToAnswer if instrument == Instrument::Phq9 && item == PHQ9_SELF_HARM_ITEM => {}
            Answer::PreferNotToAnswer => return Err(MeasureError::CannotDecline { instrument, item }),
        }
    }
    Ok(Score { total, self_harm_answer })
}

/// A questionnaire as a shell shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Form {
    pub instrument: Instrument,
    pub title: String,
    /// The question every item answers, e.g. "Over the last 2 weeks, ...".
    pub question: String,
    pub items: Vec<FormItem>,
    /// The same four options for every item, lowest first.
    pub options: Vec<AnswerOption>,
    pub loinc_panel: String,
    pub loinc_total: String,
    /// Where the wording and scoring come from.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FormItem {
    /// 1-based, as printed on the form.
    pub number: u32,
    pub text: String,
    pub loinc: String,
    pub allows_prefer_not_to_answer: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AnswerOption {
    pub value: u32,
    pub label: String,
    pub loinc: String,
}

/// The form for `instrument`, exactly as published.
pub fn form(instrument: Instrument) -> Form {
    let text = instrument.text();
    Form {
        instrument,
        title: text.title.to_string(),
        question: QUESTION.to_string(),
        items: text
            .items
            .iter()
            .enumerate()
            .map(|(index, (item, loinc))| {
                let number = index as u32 + 1;
                FormItem {
                    number,
                    text: item.to_string(),
                    loinc: loinc.to_string(),
                    allows_prefer_not_to_answer: instrument == Instrument::Phq9 && number == PHQ9_SELF_HARM_ITEM,
                }
            })
            .collect(),
        options: OPTIONS
            .iter()
            .enumerate()
            .map(|(value, (label, loinc))| AnswerOption {
                value: value as u32,
                label: label.to_string(),
                loinc: loinc.to_string(),
            })
            .collect(),
        loinc_panel: text.loinc_panel.to_string(),
        loinc_total: text.loinc_total.to_string(),
        source: text.source.to_string(),
    }
}

struct FormText {
    title: &'static str,
    items: &'static [(&'static str, &'static str)],
    loinc_panel: &'static str,
    loinc_total: &'static str,
    source: &'static str,
}

/// Both forms' stem, word for word.
const QUESTION: &str = "Over the last 2 weeks, how often have you been bothered by any of the following problems?";

/// Answer labels and LOINC answer codes (list LL358-3), scored 0 to 3.
const OPTIONS: [(&str, &str); 4] = [
    ("Not at all", "LA6568-5"),
    ("Several days", "LA6569-3"),
    ("More than half the days", "LA6570-1"),
    ("Nearly every day", "LA6571-9"),
];

const PHQ9: FormText = FormText {
    title: "PHQ-9",
    items: &[
        ("Little interest or pleasure in doing things", "44250-9"),
        ("Feeling down, depressed, or hopeless", "44255-8"),
        ("Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        ("Feeling tired or having little energy", "44254-1"),
        ("Poor appetite or overeating", "44251-7"),
        ("Feeling bad about yourself — or that you are a failure or have let yourself or your family down", "44258-2"),
        ("Trouble concentrating on things, such as reading the newspaper or watching television", "44252-5"),
        (
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety \
             or restless that you have been moving around a lot more than usual",
            "44253-3",
        ),
        ("Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"),
    ],
    loinc_panel: "44249-1",
    loinc_total: "44261-6",
    source: "Patient Health Questionnaire (PHQ-9), Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606-613; \
             form from phqscreeners.com, developed with an educational grant from Pfizer Inc.",
};

const GAD7: FormText = FormText {
    title: "GAD-7",
    items: &[
        ("Feeling nervous, anxious, or on edge", "69725-0"),
        ("Not being able to stop or control worrying", "68509-9"),
        ("Worrying too much about different things", "69733-4"),
        ("Trouble relaxing", "69734-2"),
        ("Being so restless that it is hard to sit still", "69735-9"),
        ("Becoming easily annoyed or irritable", "69689-8"),
        ("Feeling afraid, as if something awful might happen", "69736-7"),
    ],
    loinc_panel: "69737-5",
    loinc_total: "70274-6",
    source: "Generalized Anxiety Disorder 7-item scale (GAD-7), Spitzer, Kroenke, Williams & Löwe, \
             Arch Intern Med 2006;166:1092-1097; form from phqscreeners.com.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scores(values: &[i32]) -> Vec<Answer> {
        values.iter().map(|&value| Answer::Score { value }).collect()
    }

    /// Answers adding up to `total`, filled from the first item.
    fn answers_totalling(instrument: Instrument, total: u32) -> Vec<Answer> {
        let mut left = total as i32;
        (0..instrument.item_count())
            .map(|_| {
                let value = left.min(3);
                left -= value;
                Answer::Score { value }
            })
            .collect()
    }

    #[test]
    fn phq9_bands_follow_kroenke_2001_at_every_edge() {
        let table = [
            (0, Severity::Minimal),
            (4, Severity::Minimal),
            (5, Severity::Mild),
            (9, Severity::Mild),
            (10, Severity::Moderate),
            (14, Severity::Moderate),
            (15, Severity::ModeratelySevere),
            (19, Severity::ModeratelySevere),
            (20, Severity::Severe),
            (27, Severity::Severe),
        ];
        for (total, band) in table {
            let answers = answers_totalling(Instrument::Phq9, total);
            let scored = score(Instrument::Phq9, &answers).unwrap();
            assert_eq!((scored.total, severity(Instrument::Phq9, scored.total)), (total, band), "total {total}");
        }
    }

    #[test]
    fn gad7_bands_follow_spitzer_2006_at_every_edge() {
        let table = [
            (0, Severity::Minimal),
            (4, Severity::Minimal),
            (5, Severity::Mild),
            (9, Severity::Mild),
            (10, Severity::Moderate),
            (14, Severity::Moderate),
            (15, Severity::Severe),
            (21, Severity::Severe),
        ];
        for (total, band) in table {
            let answers = answers_totalling(Instrument::Gad7, total);
            let scored = score(Instrument::Gad7, &answers).unwrap();
            assert_eq!((scored.total, severity(Instrument::Gad7, scored.total)), (total, band), "total {total}");
        }
    }

    #[test]
    fn item_9_alone_at_1_is_a_minimal_total_of_1_with_the_answer_kept() {
        let scored = score(Instrument::Phq9, &scores(&[0, 0, 0, 0, 0, 0, 0, 0, 1])).unwrap();
        assert_eq!(scored, Score { total: 1, self_harm_answer: Some(1) });
        assert_eq!(severity(Instrument::Phq9, 1), Severity::Minimal);
    }

    #[test]
    fn only_phq9_item_9_may_be_left_as_prefer_not_to_answer() {
        let mut answers = scores(&[1; 9]);
        answers[8] = Answer::PreferNotToAnswer;
        assert_eq!(score(Instrument::Phq9, &answers).unwrap(), Score { total: 8, self_harm_answer: None });
        answers[8] = Answer::Score { value: 1 };
        answers[2] = Answer::PreferNotToAnswer;
        assert!(matches!(
            score(Instrument::Phq9, &answers),
            Err(MeasureError::CannotDecline { instrument: Instrument::Phq9, item: 3 })
        ));
        let mut gad = scores(&[1; 7]);
        gad[6] = Answer::PreferNotToAnswer;
        assert!(matches!(score(Instrument::Gad7, &gad), Err(MeasureError::CannotDecline { item: 7, .. })));
    }

    #[test]
    fn incomplete_and_overlong_forms_name_the_problem() {
        assert!(matches!(
            score(Instrument::Phq9, &scores(&[1; 8])),
            Err(MeasureError::MissingAnswer { instrument: Instrument::Phq9, item: 9 })
        ));
        let mut answers = scores(&[1; 9]);
        answers[3] = Answer::Unanswered;
        assert!(matches!(score(Instrument::Phq9, &answers), Err(MeasureError::MissingAnswer { item: 4, .. })));
        assert!(matches!(
            score(Instrument::Phq9, &scores(&[1; 10])),
            Err(MeasureError::TooManyAnswers { expected: 9, found: 10, .. })
        ));
        assert!(matches!(score(Instrument::Gad7, &[]), Err(MeasureError::MissingAnswer { item: 1, .. })));
    }

    #[test]
    fn the_forms_hold_the_published_items_and_codes() {
        let phq9 = form(Instrument::Phq9);
        assert_eq!(phq9.items.len(), 9);
        assert_eq!(phq9.items[8].loinc, "44260-8");
        assert!(phq9.items[8].text.starts_with("Thoughts that you would be better off dead"));
        assert_eq!(phq9.items.iter().filter(|item| item.allows_prefer_not_to_answer).count(), 1);
        assert_eq!(phq9.options.iter().map(|o| o.value).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(phq9.options[3].label, "Nearly every day");
        let gad7 = form(Instrument::Gad7);
        assert_eq!(gad7.items.len(), 7);
        assert_eq!((gad7.loinc_total.as_str(), gad7.items[0].loinc.as_str()), ("70274-6", "69725-0"));
        assert!(gad7.items.iter().all(|item| !item.allows_prefer_not_to_answer));
    }

    #[test]
    fn instrument_names_parse_with_or_without_a_dash() {
        assert_eq!("PHQ-9".parse::<Instrument>().unwrap(), Instrument::Phq9);
        assert_eq!("gad7".parse::<Instrument>().unwrap(), Instrument::Gad7);
        assert!(matches!("phq2".parse::<Instrument>(), Err(MeasureError::UnknownInstrument { .. })));
    }

    fn any_instrument() -> impl Strategy<Value = Instrument> {
        prop_oneof![Just(Instrument::Phq9), Just(Instrument::Gad7)]
    }

    proptest! {
        #[test]
        fn a_total_is_the_sum_of_the_answers(
            (instrument, values) in any_instrument()
                .prop_flat_map(|i| (Just(i), proptest::collection::vec(0..=3i32, i.item_count())))
        ) {
            let scored = score(instrument, &scores(&values)).unwrap();
            prop_assert_eq!(scored.total, values.iter().sum::<i32>() as u32);
            prop_assert!(scored.total <= instrument.max_total());
        }

        #[test]
        fn the_band_never_falls_as_the_total_rises(instrument in any_instrument(), total in 0u32..27) {
            let total = total.min(instrument.max_total() - 1);
            prop_assert!(severity(instrument, total) <= severity(instrument, total + 1));
        }

        #[test]
        fn any_answer_outside_0_to_3_is_refused(
            (instrument, mut values, index) in any_instrument().prop_flat_map(|i| {
                (Just(i), proptest::collection::vec(0..=3i32, i.item_count()), 0..i.item_count())
            }),
            bad in prop_oneof![i32::MIN..0, 4..=i32::MAX],
        ) {
            values[index] = bad;
            let refused = matches!(
                score(instrument, &scores(&values)),
                Err(MeasureError::AnswerOutOfRange { item, value, .. }) if item == index as u32 + 1 && value == bad
            );
            prop_assert!(refused);
        }
    }
}
