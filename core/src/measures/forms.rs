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
//! - Spanish: the official "Spanish for the USA" forms of phqscreeners.com, as
//!   transcribed in public code (the PHQ-9 from a transcription that records the
//!   PDF's digest); the GAD-7 stem is its own ("...by the following problems?"),
//!   not the PHQ-9's ("...by any of the following problems?").

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

crate::names::stored_names!(Instrument {
    Phq9 => "phq9",
    Gad7 => "gad7",
});

impl Instrument {
    /// The stable name used in storage, JSON and the CLI.
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

    fn text(self) -> &'static FormCodes {
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
    /// The language of the wording: `en`, or `es` (the official Spanish for the USA).
    pub locale: String,
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

/// The form for `instrument`, exactly as published, in `locale`'s language
/// where Waymark has an official translation and in English otherwise.
pub fn form(instrument: Instrument, locale: &str) -> Form {
    let wording = wording(instrument, locale);
    let codes = instrument.text();
    Form {
        instrument,
        locale: wording.language.to_string(),
        title: codes.title.to_string(),
        question: wording.question.to_string(),
        items: wording
            .items
            .iter()
            .zip(codes.items)
            .enumerate()
            .map(|(index, (text, loinc))| {
                let number = index as u32 + 1;
                FormItem {
                    number,
                    text: text.to_string(),
                    loinc: loinc.to_string(),
                    allows_prefer_not_to_answer: instrument == Instrument::Phq9 && number == PHQ9_SELF_HARM_ITEM,
                }
            })
            .collect(),
        options: wording
            .options
            .iter()
            .zip(OPTION_CODES)
            .enumerate()
            .map(|(value, (label, loinc))| AnswerOption {
                value: value as u32,
                label: label.to_string(),
                loinc: loinc.to_string(),
            })
            .collect(),
        loinc_panel: codes.loinc_panel.to_string(),
        loinc_total: codes.loinc_total.to_string(),
        source: wording.source.to_string(),
    }
}

/// An answer in words, as the form's options say it in English: "Nearly every day".
pub fn answer_label(answer: Answer) -> Option<&'static str> {
    match answer {
        Answer::Score { value } => ENGLISH_OPTIONS.get(usize::try_from(value).ok()?).copied(),
        Answer::PreferNotToAnswer => Some("Prefer not to answer"),
        Answer::Unanswered => None,
    }
}

/// PHQ-9 item 9 as printed on the English form.
pub fn self_harm_item_text() -> &'static str {
    ENGLISH_PHQ9.items[PHQ9_SELF_HARM_ITEM as usize - 1]
}

/// What is the same in every language: the published name and the LOINC codes.
struct FormCodes {
    title: &'static str,
    items: &'static [&'static str],
    loinc_panel: &'static str,
    loinc_total: &'static str,
}

/// A form's words in one language.
struct Wording {
    language: &'static str,
    question: &'static str,
    items: &'static [&'static str],
    options: &'static [&'static str; 4],
    source: &'static str,
}

fn wording(instrument: Instrument, locale: &str) -> &'static Wording {
    let spanish = crate::safety::library::language(locale) == "es";
    match (instrument, spanish) {
        (Instrument::Phq9, false) => &ENGLISH_PHQ9,
        (Instrument::Phq9, true) => &SPANISH_PHQ9,
        (Instrument::Gad7, false) => &ENGLISH_GAD7,
        (Instrument::Gad7, true) => &SPANISH_GAD7,
    }
}

/// LOINC answer codes (list LL358-3), scored 0 to 3.
const OPTION_CODES: [&str; 4] = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"];

const ENGLISH_OPTIONS: [&str; 4] = ["Not at all", "Several days", "More than half the days", "Nearly every day"];
const SPANISH_OPTIONS: [&str; 4] = ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"];

const PHQ9: FormCodes = FormCodes {
    title: "PHQ-9",
    items: &["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"],
    loinc_panel: "44249-1",
    loinc_total: "44261-6",
};

const GAD7: FormCodes = FormCodes {
    title: "GAD-7",
    items: &["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
    loinc_panel: "69737-5",
    loinc_total: "70274-6",
};

const ENGLISH_PHQ9: Wording = Wording {
    language: "en",
    question: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items: &[
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety \
         or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ],
    options: &ENGLISH_OPTIONS,
    source: "Patient Health Questionnaire (PHQ-9), Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606-613; \
             form from phqscreeners.com, developed with an educational grant from Pfizer Inc. \
             No permission required to reproduce, translate, display or distribute.",
};

const ENGLISH_GAD7: Wording = Wording {
    language: "en",
    question: "Over the last 2 weeks, how often have you been bothered by the following problems?",
    items: &[
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ],
    options: &ENGLISH_OPTIONS,
    source: "Generalized Anxiety Disorder 7-item scale (GAD-7), Spitzer, Kroenke, Williams & Löwe, \
             Arch Intern Med 2006;166:1092-1097; form from phqscreeners.com, developed with an educational \
             grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.",
};

const SPANISH_PHQ9: Wording = Wording {
    language: "es",
    question: "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?",
    items: &[
        "Poco interés o placer en hacer cosas",
        "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
        "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
        "Se ha sentido cansado(a) o con poca energía",
        "Sin apetito o ha comido en exceso",
        "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted mismo(a) o con \
         su familia",
        "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la \
         televisión",
        "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy \
         inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal",
        "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
    ],
    options: &SPANISH_OPTIONS,
    source: "Cuestionario sobre la Salud del Paciente-9 (PHQ-9), versión oficial «Spanish for the USA» de \
             phqscreeners.com; Kroenke, Spitzer y Williams, J Gen Intern Med 2001;16:606-613. Elaborado por los \
             doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una subvención \
             educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir, traducir, presentar o \
             distribuir.",
};

const SPANISH_GAD7: Wording = Wording {
    language: "es",
    question: "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?",
    items: &[
        "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
        "No ha sido capaz de parar o controlar su preocupación",
        "Se ha preocupado demasiado por motivos diferentes",
        "Ha tenido dificultad para relajarse",
        "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
        "Se ha molestado o irritado fácilmente",
        "Ha tenido miedo de que algo terrible fuera a pasar",
    ],
    options: &SPANISH_OPTIONS,
    source: "Escala del trastorno de ansiedad generalizada (GAD-7), versión oficial «Spanish for the USA» de \
             phqscreeners.com; Spitzer, Kroenke, Williams y Löwe, Arch Intern Med 2006;166:1092-1097. Elaborado \
             por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una \
             subvención educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir, traducir, \
             presentar o distribuir.",
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
        let phq9 = form(Instrument::Phq9, "en");
        assert_eq!(phq9.items.len(), 9);
        assert_eq!(phq9.items[8].loinc, "44260-8");
        assert!(phq9.items[8].text.starts_with("Thoughts that you would be better off dead"));
        assert_eq!(phq9.items.iter().filter(|item| item.allows_prefer_not_to_answer).count(), 1);
        assert_eq!(phq9.options.iter().map(|o| o.value).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(phq9.options[3].label, "Nearly every day");
        let gad7 = form(Instrument::Gad7, "en-GB");
        assert_eq!(gad7.items.len(), 7);
        assert_eq!((gad7.loinc_total.as_str(), gad7.items[0].loinc.as_str()), ("70274-6", "69725-0"));
        assert!(gad7.items.iter().all(|item| !item.allows_prefer_not_to_answer));
    }

    #[test]
    fn each_form_has_its_own_stem() {
        let (phq9, gad7) = (form(Instrument::Phq9, "en"), form(Instrument::Gad7, "en"));
        assert_eq!(
            phq9.question,
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
        );
        assert_eq!(gad7.question, "Over the last 2 weeks, how often have you been bothered by the following problems?");
    }

    #[test]
    fn spanish_forms_are_the_official_us_spanish_with_the_same_codes() {
        for instrument in Instrument::ALL {
            let (english, spanish) = (form(instrument, "en"), form(instrument, "es-MX"));
            assert_eq!((english.locale.as_str(), spanish.locale.as_str()), ("en", "es"));
            assert_eq!(english.items.len(), spanish.items.len());
            for (en, es) in english.items.iter().zip(&spanish.items) {
                assert_eq!(
                    (en.number, &en.loinc, en.allows_prefer_not_to_answer),
                    (es.number, &es.loinc, es.allows_prefer_not_to_answer)
                );
                assert_ne!(en.text, es.text, "item {} is translated", en.number);
            }
            let labels: Vec<&str> = spanish.options.iter().map(|o| o.label.as_str()).collect();
            assert_eq!(labels, ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]);
            assert_eq!(
                spanish.options.iter().map(|o| &o.loinc).collect::<Vec<_>>(),
                english.options.iter().map(|o| &o.loinc).collect::<Vec<_>>()
            );
            assert!(spanish.question.starts_with("Durante las últimas 2 semanas"));
            assert!(
                spanish.source.contains("Spanish for the USA") && spanish.source.contains("No se requiere permiso")
            );
        }
        let item9 = &form(Instrument::Phq9, "es").items[8];
        assert_eq!(item9.text, "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera");
        assert_eq!(form(Instrument::Phq9, "fr").locale, "en", "other languages read English");
    }

    #[test]
    fn answers_read_in_words() {
        assert_eq!(answer_label(Answer::Score { value: 3 }), Some("Nearly every day"));
        assert_eq!(answer_label(Answer::Score { value: 4 }), None);
        assert_eq!(answer_label(Answer::PreferNotToAnswer), Some("Prefer not to answer"));
        assert!(self_harm_item_text().starts_with("Thoughts that you would be better off dead"));
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
