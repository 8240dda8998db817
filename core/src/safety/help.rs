//! Crisis and emergency lines by country, bundled so they work offline from
//! the first launch. The rows and their sources are in `content/crisis-lines.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::library;
use crate::content;
use crate::text;

/// For a region Waymark has no lines for: an international directory of helplines.
const DIRECTORY: &str = "https://findahelpline.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum HelpLineKind {
    Emergency,
    Crisis,
}

/// How sure the reference table is of a row; only these two ship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HelpLine {
    pub kind: HelpLineKind,
    /// ISO 3166-1 alpha-2, e.g. `GB`.
    pub country: String,
    pub name: String,
    /// The number to call as written, when it takes calls, e.g. "111, option 2".
    pub phone: Option<String>,
    /// Digits (and a leading +) a phone can dial from a link; `None` when it
    /// must be dialled by hand, e.g. a number with `*`.
    pub dial: Option<String>,
    /// How to text it, when it takes texts: the number, or e.g. "text HELP to 51444".
    pub text: Option<String>,
    /// How to reach it, as the source gives it, e.g. "call (free); text HELP to 51444".
    pub modes: String,
    pub hours: String,
    /// Open every hour of every day, as its source says.
    pub open_24_7: bool,
    /// For a line that is not open 24/7: its hours, or that they are not
    /// confirmed, to show beside it. `None` for a 24/7 line.
    pub hours_note: Option<String>,
    pub languages: String,
    /// "Call 988", when it takes calls: the label of a call button.
    pub call_label: Option<String>,
    /// "Text 741741", when it takes texts.
    pub text_label: Option<String>,
    pub source: String,
    /// When the source was published (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); `None` when it shows no date.
    pub source_date: Option<String>,
    /// The month someone checked the row against the operator's own page; `None` when nobody has.
    pub checked: Option<String>,
    /// The operator's page it was checked against.
    pub checked_source: Option<String>,
    pub confidence: Confidence,
    /// False for a line that serves only part of the country (its name says where).
    pub national: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HelpNow {
    /// The region asked for, normalised; `None` when none was known.
    pub region: Option<String>,
    /// The language the descriptions are in, which may be the English fallback.
    pub locale: String,
    /// "Help now", in `locale`.
    pub title: String,
    /// Emergency first, at any hour, then crisis lines: those open 24/7 first.
    pub lines: Vec<HelpLine>,
    /// Set when a line here is not open 24/7: at night, call the emergency number first.
    pub limited_hours_note: Option<String>,
    /// Set when the region has no national emergency line here: what to do instead.
    pub fallback: Option<String>,
    pub fallback_source: Option<String>,
    /// An international directory of helplines.
    pub directory: String,
}

/// Hours a source gives for a line open at every hour of every day.
fn always_open(hours: &str) -> bool {
    hours == "24/7" || hours.starts_with("24/7 (")
}

pub(crate) fn parse_line(row: &str) -> Option<HelpLine> {
    let fields: Vec<&str> = row.split('\t').collect();
    let [country, kind, name, number, modes, hours, languages, source, source_date, checked, checked_source, confidence, scope] =
        fields[..]
    else {
        return None;
    };
    let national = match scope {
        "national" => true,
        "regional" => false,
        _ => return None,
    };
    let kind = match kind {
        "emergency" => HelpLineKind::Emergency,
        "crisis" => HelpLineKind::Crisis,
        _ => return None,
    };
    let confidence = match confidence {
        "high" => Confidence::High,
        "medium" => Confidence::Medium,
        _ => return None,
    };
    let segments: Vec<&str> = modes.split(';').map(str::trim).collect();
    let phone = segments.iter().any(|s| s.starts_with("call")).then(|| number.to_string());
    // Texting: "text" or "text (keyword ...)" to the number itself, "text HELP to 51444" to
    // another, or "WhatsApp text". A "text chat" is a web chat, not a text message.
    let text = segments.iter().find_map(|segment| match *segment {
        "text" => Some(number.to_string()),
        s if s.starts_with("text (") => Some(number.to_string()),
        s if s.starts_with("text ") && s.contains(" to ") => Some(s.to_string()),
        s if s.starts_with("WhatsApp text") => Some(format!("{s} {number}")),
        _ => None,
    });
    let optional = |field: &str| (!field.is_empty()).then(|| field.to_string());
    Some(HelpLine {
        kind,
        country: country.to_string(),
        name: name.to_string(),
        dial: phone.as_deref().and_then(dialable),
        phone,
        text,
        modes: modes.to_string(),
        open_24_7: always_open(hours),
        hours: hours.to_string(),
        hours_note: None,
        languages: languages.to_string(),
        call_label: None,
        text_label: None,
        source: source.to_string(),
        source_date: optional(source_date),
        checked: optional(checked),
        checked_source: optional(checked_source),
        confidence,
        national,
    })
}

/// Whether a line's hours are known, read from its English row.
fn hours_known(line: &HelpLine) -> bool {
    !line.hours.is_empty() && !line.hours.contains("not verified")
}

/// The labels and notes a shell shows beside `line` (already in `language`).
fn labelled(mut line: HelpLine, hours_known: bool, language: &str) -> HelpLine {
    line.call_label = line.phone.as_deref().map(|number| text::fill(language, "help.call", &[("number", number)]));
    line.text_label = line.text.as_deref().map(|how| match how.starts_with(|c: char| c.is_ascii_digit()) {
        true => text::fill(language, "help.text", &[("number", how)]),
        false => how.to_string(),
    });
    line.hours_note = match line.open_24_7 {
        true => None,
        // An emergency number is the one to call when another does not answer, so its own note stays plain.
        false if !hours_known && line.kind == HelpLineKind::Emergency => {
            Some(text::get(language, "help.hours_unconfirmed").to_string())
        }
        false if !hours_known => Some(text::get(language, "help.hours_unknown").to_string()),
        false => Some(text::fill(language, "help.not_always_open", &[("hours", &line.hours)])),
    };
    line
}

/// Every bundled line, in file order.
pub fn all_lines() -> &'static [HelpLine] {
    static LINES: OnceLock<Vec<HelpLine>> = OnceLock::new();
    LINES.get_or_init(|| {
        content::CRISIS_LINES
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with("country\t") && !line.trim().is_empty())
            .map(|line| parse_line(line).unwrap_or_else(|| panic!("content/crisis-lines.tsv has a bad row: {line}")))
            .collect()
    })
}

#[derive(Deserialize)]
pub(crate) struct Phrases {
    locale: String,
    pub(crate) phrases: HashMap<String, String>,
}

/// A phrases file's text, for the language it names.
pub(crate) fn parse_phrases(text: &str) -> Result<Phrases, toml::de::Error> {
    toml::from_str(text)
}

fn phrases(language: &str) -> Option<&'static HashMap<String, String>> {
    static PARSED: OnceLock<Vec<Phrases>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        let parsed = content::load(&content::CRISIS_PHRASES, "crisis-lines.{}.toml", parse_phrases);
        for (phrases, (language, _)) in parsed.iter().zip(&content::CRISIS_PHRASES) {
            assert_eq!(phrases.locale, *language, "content/crisis-lines.{language}.toml");
        }
        parsed
    });
    parsed.iter().find(|p| p.locale == language).map(|p| &p.phrases)
}

/// `line` with its descriptions in `phrases`' language. Services keep their own
/// names, but the generic names of emergency services and the English words
/// added to some names are translated.
pub(crate) fn translated(line: &HelpLine, phrases: &HashMap<String, String>) -> HelpLine {
    let say = |text: &str| phrases.get(text).cloned().unwrap_or_else(|| text.to_string());
    // "WhatsApp text 9151 1767": a way of texting, translated, then its number.
    let text = line.text.as_deref().map(|text| {
        let lead = phrases
            .keys()
            .filter(|how| text.strip_prefix(how.as_str()).is_some_and(|rest| rest.starts_with(' ')))
            .max_by_key(|how| how.len());
        match (phrases.get(text), lead) {
            (Some(said), _) => said.clone(),
            (None, Some(how)) => format!("{}{}", say(how), &text[how.len()..]),
            (None, None) => text.to_string(),
        }
    });
    HelpLine {
        name: say(&line.name),
        text,
        modes: say(&line.modes),
        hours: say(&line.hours),
        languages: say(&line.languages),
        ..line.clone()
    }
}

/// The leading number of "111, option 2" or "0414-121.7882" as digits to
/// dial; `None` for numbers a link cannot dial, such as `*4141`.
fn dialable(number: &str) -> Option<String> {
    let written: String = number.chars().take_while(|c| c.is_ascii_digit() || " +-.()".contains(*c)).collect();
    let digits: String = written.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    let valid = digits.chars().skip(1).all(|c| c.is_ascii_digit()) && digits.chars().any(|c| c.is_ascii_digit());
    (valid && !number.trim_start().starts_with(['*', '#'])).then_some(digits)
}

/// A region code, or the region of a locale: `gb`, `en_GB`, `en-GB`,
/// `zh-Hant-TW`, `en_GB.UTF-8` and `en-US-u-ca-gregory` all work, and a
/// region override wins (`en_US@rg=gbzzzz` is GB); `UK` is `GB`.
pub(crate) fn normalise(region: &str) -> Option<String> {
    let code = match region_override(region) {
        Some(code) => code,
        None => {
            let subtags = subtags(region);
            match subtags[..] {
                [only] => only,
                _ => subtags.iter().skip(1).copied().find(|tag| tag.len() == 2)?,
            }
        }
    };
    code_of(code)
}

/// The region of a device locale, which must name one: `es_MX` is MX, but a
/// bare language such as `uk` or `ar` says nothing about where the phone is.
pub fn region_of_locale(locale: &str) -> Option<String> {
    let territory = subtags(locale).iter().skip(1).copied().find(|tag| tag.len() == 2);
    region_override(locale).or(territory).and_then(code_of)
}

/// The subtags before any extension: `en-US-u-ca-gregory` is `en`, `US`.
fn subtags(locale: &str) -> Vec<&str> {
    let locale = locale.trim().split(['@', '.']).next().unwrap_or("");
    locale.split(['_', '-']).take_while(|tag| !matches!(*tag, "u" | "x" | "U" | "X")).collect()
}

/// The region of a `rg=gbzzzz` (POSIX) or `-u-rg-gbzzzz` (BCP 47) override.
fn region_override(locale: &str) -> Option<&str> {
    let (_, rest) = locale.split_once("rg=").or_else(|| locale.split_once("-rg-"))?;
    rest.get(..2)
}

fn code_of(code: &str) -> Option<String> {
    let code = code.to_ascii_uppercase();
    let code = if code == "UK" { "GB".to_string() } else { code };
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic())).then_some(code)
}

/// The lines for `region` (an ISO 3166 code from the device), emergency first,
/// described in `locale` where Waymark has it and in English otherwise.
/// Without lines for it, or without an emergency number, the fallback says what to do.
pub fn help_now(region: Option<&str>, locale: &str) -> HelpNow {
    let region = region.and_then(normalise);
    let language = library::language(locale);
    let phrases = phrases(language);
    let mut lines: Vec<HelpLine> = all_lines()
        .iter()
        .filter(|line| region.as_deref() == Some(line.country.as_str()))
        .map(|line| {
            let shown = phrases.map_or_else(|| line.clone(), |phrases| translated(line, phrases));
            labelled(shown, hours_known(line), language)
        })
        .collect();
    // Emergency first, answered at every hour; then the file's order, which puts a free, national 24/7 line first.
    lines.sort_by_key(|line| line.kind != HelpLineKind::Emergency);
    let has_emergency = lines.iter().any(|line| line.kind == HelpLineKind::Emergency);
    let national_emergency = lines.iter().any(|line| line.kind == HelpLineKind::Emergency && line.national);
    let limited = lines.iter().any(|line| !line.open_24_7);
    let strings = library::strings(language);
    HelpNow {
        region,
        locale: language.to_string(),
        title: text::get(language, "help.title").to_string(),
        limited_hours_note: (limited && has_emergency).then(|| text::get(language, "help.at_night").to_string()),
        lines,
        fallback: (!national_emergency).then(|| strings.help_fallback.clone()),
        fallback_source: (!national_emergency).then(|| strings.help_fallback_source.clone()),
        directory: DIRECTORY.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(help: &HelpNow) -> Vec<&str> {
        help.lines.iter().filter_map(|line| line.phone.as_deref()).collect()
    }

    #[test]
    fn every_bundled_row_is_complete_and_sourced() {
        let lines = all_lines();
        assert!(lines.len() > 100);
        let countries: std::collections::HashSet<&str> = lines.iter().map(|l| l.country.as_str()).collect();
        assert!(countries.len() >= 30, "{} countries", countries.len());
        for line in lines {
            assert!(line.country.len() == 2 && line.country.chars().all(|c| c.is_ascii_uppercase()), "{line:?}");
            assert!(!line.name.is_empty() && (line.phone.is_some() || line.text.is_some()), "{line:?}");
            assert!(line.source.starts_with("https://") || line.source.starts_with("http://"), "{line:?}");
            if let Some(date) = &line.source_date {
                let parts: Vec<&str> = date.split('-').collect();
                assert!(parts[0].len() == 4 && parts[0].starts_with(['1', '2']) && parts.len() <= 3, "{line:?}");
                assert!(parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())), "{line:?}");
            }
            assert_eq!(line.checked.is_some(), line.checked_source.is_some(), "checked against a page: {line:?}");
            if let Some(page) = &line.checked_source {
                assert!(page.starts_with("https://") || page.starts_with("http://"), "{line:?}");
            }
        }
    }

    #[test]
    fn no_row_claims_a_check_it_did_not_have() {
        // The table was compiled in November 2026; before the split, every row said
        // "verified 2026-11". Only rows checked against the operator's own page say so now.
        let checked: Vec<&HelpLine> = all_lines().iter().filter(|line| line.checked.is_some()).collect();
        assert!(!checked.is_empty() && checked.len() * 4 < all_lines().len(), "{} checked", checked.len());
        let samaritans =
            all_lines().iter().find(|l| l.country == "GB" && l.phone.as_deref() == Some("116 123")).unwrap();
        assert!(samaritans.checked_source.as_deref().is_some_and(|page| page.contains("samaritans.org")));
        let undated = all_lines().iter().filter(|line| line.source_date.is_none()).count();
        assert!(undated > 0, "a source without a date says so, rather than borrowing one");
    }

    #[test]
    fn every_country_waymark_lists_has_an_emergency_number_with_a_source() {
        let countries: std::collections::BTreeSet<&str> = all_lines().iter().map(|l| l.country.as_str()).collect();
        for country in countries {
            let help = help_now(Some(country), "en");
            let first = &help.lines[0];
            assert_eq!(first.kind, HelpLineKind::Emergency, "{country}: {:?}", help.lines);
            assert!(first.dial.is_some() && first.source.starts_with("http"), "{country}: {first:?}");
            let national = help.lines.iter().any(|l| l.kind == HelpLineKind::Emergency && l.national);
            assert_eq!(
                help.fallback.is_none(),
                national,
                "{country}: the generic fallback only without a national number"
            );
        }
        let argentina = help_now(Some("AR"), "en");
        assert!(argentina.lines[0].name.contains("Buenos Aires") && !argentina.lines[0].national);
        assert!(argentina.fallback.is_some(), "outside Buenos Aires, the local emergency number");
        assert_eq!(help_now(Some("SA"), "en").fallback, None, "997 answers nationally; 911 only in four regions");
        let number = |country: &str| help_now(Some(country), "en").lines[0].phone.clone().unwrap();
        let expected = [
            ("PH", "911"),
            ("IL", "101"),
            ("TH", "1669"),
            ("TR", "112"),
            ("AE", "998"),
            ("AR", "107"),
            ("NG", "112"),
            ("VE", "911"),
            ("KE", "999"),
            ("SA", "997"),
            ("CL", "131"),
        ];
        for (country, phone) in expected {
            assert_eq!(number(country), phone, "{country}");
        }
        assert!(all_lines().iter().all(|l| !(l.country == "TR" && l.phone.as_deref() == Some("182"))), "never 182");
        let chile: Vec<String> = help_now(Some("CL"), "en").lines.iter().filter_map(|l| l.phone.clone()).collect();
        assert!(chile.starts_with(&["131".to_string(), "133".to_string()]), "ambulance beside police: {chile:?}");
    }

    #[test]
    fn wherever_there_is_a_free_national_line_open_24_7_one_comes_first_among_crisis_lines() {
        let countries: std::collections::BTreeSet<&str> = all_lines().iter().map(|l| l.country.as_str()).collect();
        let best = |l: &HelpLine| l.national && l.open_24_7 && l.modes.contains("free");
        for country in countries {
            let crisis: Vec<HelpLine> =
                help_now(Some(country), "en").lines.into_iter().filter(|l| l.kind == HelpLineKind::Crisis).collect();
            if crisis.iter().any(best) {
                assert!(best(&crisis[0]), "{country}: {:?} comes before a free national 24/7 line", crisis[0].name);
            }
        }
    }

    #[test]
    fn a_free_national_line_open_24_7_comes_first_among_crisis_lines() {
        let first_crisis = |country: &str| {
            help_now(Some(country), "en").lines.into_iter().find(|l| l.kind == HelpLineKind::Crisis).unwrap()
        };
        let japan = first_crisis("JP");
        assert_eq!(japan.phone.as_deref(), Some("0120-279-338"));
        assert!(japan.open_24_7 && japan.modes.contains("free"), "{japan:?}");
        let russia = first_crisis("RU");
        assert!(russia.name.contains("children") && russia.name.contains("adults may also call"), "{russia:?}");
        for country in ["US", "GB", "AU", "JP", "KR", "MX", "BR", "AR"] {
            assert!(first_crisis(country).open_24_7, "{country}");
        }
    }

    #[test]
    fn a_line_not_open_24_7_says_so_and_the_emergency_number_comes_first() {
        let italy = help_now(Some("IT"), "en");
        assert_eq!(italy.lines[0].kind, HelpLineKind::Emergency);
        let amico = italy.lines.iter().find(|l| l.name.starts_with("Telefono Amico")).unwrap();
        assert!(!amico.open_24_7);
        assert!(amico.hours_note.as_deref().unwrap().starts_with("Not open 24/7: daily 09:00-24:00"), "{amico:?}");
        assert!(italy.limited_hours_note.as_deref().unwrap().contains("emergency number first"));
        let text_line = help_now(Some("US"), "en").lines.into_iter().find(|l| l.name == "Crisis Text Line").unwrap();
        assert!(text_line.hours_note.as_deref().unwrap().starts_with("Hours not confirmed"));
        let lifeline = &help_now(Some("US"), "en").lines[1];
        assert_eq!((lifeline.open_24_7, lifeline.hours_note.as_deref()), (true, None));
        assert_eq!(
            (lifeline.call_label.as_deref(), lifeline.text_label.as_deref()),
            (Some("Call 988"), Some("Text 988"))
        );
        let spanish = help_now(Some("IT"), "es");
        let amico = spanish.lines.iter().find(|l| l.name.starts_with("Telefono Amico")).unwrap();
        assert!(amico.hours_note.as_deref().unwrap().starts_with("No atiende las 24 horas"), "{amico:?}");
        assert_eq!(spanish.title, "Ayuda ahora");
        assert_eq!(spanish.lines[0].call_label.as_deref(), Some("Llamar al 112"));
        let venezuela = help_now(Some("VE"), "en");
        assert_eq!(
            venezuela.lines[0].hours_note.as_deref(),
            Some("Hours not confirmed"),
            "never 'call the emergency number' on it"
        );
        let pt = help_now(Some("PT"), "es");
        let unknown = pt.lines.iter().find(|l| l.phone.as_deref() == Some("808 24 24 24")).unwrap();
        assert!(unknown.hours_note.as_deref().unwrap().starts_with("Horario sin confirmar"), "{unknown:?}");
    }

    #[test]
    fn the_us_gets_988_and_never_the_retired_number() {
        let help = help_now(Some("US"), "en");
        assert_eq!(help.lines[0].kind, HelpLineKind::Emergency);
        assert_eq!(help.lines[0].phone.as_deref(), Some("911"));
        assert_eq!(help.lines[1].phone.as_deref(), Some("988"), "988 is the first crisis line");
        assert!(all_lines().iter().all(|l| !l.phone.as_deref().unwrap_or("").contains("273-8255")));
        assert_eq!(help.lines.iter().find(|l| l.name == "Crisis Text Line").unwrap().text.as_deref(), Some("741741"));
    }

    #[test]
    fn samaritans_in_gb_and_ie_and_lifeline_in_au() {
        for region in ["GB", "gb", "en_GB", "UK", "IE"] {
            assert!(phones(&help_now(Some(region), "en")).contains(&"116 123"), "{region}");
        }
        assert!(phones(&help_now(Some("AU"), "en")).contains(&"13 11 14"));
        let pieta = help_now(Some("IE"), "en").lines.into_iter().find(|l| l.name.starts_with("Pieta")).unwrap();
        assert_eq!(pieta.text.as_deref(), Some("text HELP to 51444 (standard rates)"));
        let caretext = help_now(Some("SG"), "en").lines.into_iter().find(|l| l.name == "SOS CareText").unwrap();
        assert_eq!(caretext.text.as_deref(), Some("WhatsApp text 9151 1767"));
    }

    #[test]
    fn every_phone_is_dialable_or_marked_for_dialling_by_hand() {
        for line in all_lines() {
            if let Some(dial) = &line.dial {
                assert!(
                    dial.trim_start_matches('+').chars().all(|c| c.is_ascii_digit()) && !dial.is_empty(),
                    "{line:?}"
                );
            }
        }
        let by_number = |country: &str, start: &str| {
            help_now(Some(country), "en")
                .lines
                .into_iter()
                .find(|l| l.phone.as_deref().is_some_and(|p| p.starts_with(start)))
                .unwrap()
        };
        assert_eq!(by_number("GB", "111").dial.as_deref(), Some("111"));
        assert_eq!(by_number("CL", "*4141").dial, None);
        assert_eq!(by_number("TW", "1925").text, None, "a text chat is not a text message");
    }

    #[test]
    fn regions_come_from_codes_and_device_locales() {
        for (input, expected) in [
            ("gb", Some("GB")),
            ("en_GB", Some("GB")),
            ("en_GB.UTF-8", Some("GB")),
            ("C.UTF-8", None),
            ("en-US-u-ca-gregory", Some("US")),
            ("en_US@rg=gbzzzz", Some("GB")),
            ("en-US-u-rg-gbzzzz", Some("GB")),
            ("zh-Hant-TW", Some("TW")),
            ("UK", Some("GB")),
            ("", None),
            ("Great Britain", None),
        ] {
            assert_eq!(normalise(input).as_deref(), expected, "{input}");
        }
        for (locale, expected) in [("es_MX.UTF-8", Some("MX")), ("uk", None), ("ar", None), ("es", None), ("C", None)] {
            assert_eq!(region_of_locale(locale).as_deref(), expected, "{locale}");
        }
    }

    #[test]
    fn ambulance_comes_before_police() {
        for country in ["JP", "TW", "CN", "ZA", "PE", "AE", "IL", "TH", "SA", "CL"] {
            let first = &help_now(Some(country), "en").lines[0];
            let name = first.name.to_lowercase();
            assert!(name.contains("ambulance") || name.contains("medical"), "{country}: {first:?}");
        }
    }

    #[test]
    fn unknown_or_missing_regions_get_the_fallback() {
        for region in [None, Some("ZZ"), Some("not a region")] {
            let help = help_now(region, "en");
            assert!(help.lines.is_empty());
            assert!(help.fallback.as_deref().unwrap().contains("local emergency number"));
            assert_eq!(help.directory, "https://findahelpline.com");
        }
    }

    #[test]
    fn a_region_without_a_crisis_line_still_gets_its_emergency_number() {
        let help = help_now(Some("DK"), "en");
        assert!(help.lines.iter().all(|l| l.kind == HelpLineKind::Emergency) && !help.lines.is_empty());
        assert_eq!(help.fallback, None);
    }

    #[test]
    fn every_description_has_a_spanish_translation_that_keeps_its_facts() {
        let spanish = phrases("es").unwrap();
        let mut unused: std::collections::HashSet<&String> = spanish.keys().collect();
        for line in all_lines() {
            for field in [&line.name, &line.modes, &line.hours, &line.languages] {
                unused.remove(field);
            }
            if let Some(text) = &line.text {
                unused.retain(|key| !text.starts_with(key.as_str()));
            }
            let mut english = vec![&line.modes, &line.hours, &line.languages];
            if line.kind == HelpLineKind::Emergency {
                english.push(&line.name);
            }
            for text in english.into_iter().filter(|text| !text.is_empty()) {
                let said = spanish.get(text).unwrap_or_else(|| panic!("no Spanish for \"{text}\" ({})", line.country));
                for fact in facts(text) {
                    assert!(said.contains(&fact), "\"{said}\" drops \"{fact}\" of \"{text}\"");
                }
            }
        }
        assert!(unused.is_empty(), "translations of nothing: {unused:?}");
    }

    /// Numbers, addresses and upper-case keywords: what a translation must keep.
    fn facts(text: &str) -> Vec<String> {
        let numbers = text.split(|c: char| !c.is_ascii_digit()).filter(|run| !run.is_empty());
        let words = text.split(|c: char| c.is_whitespace() || "(),;".contains(c)).map(|w| w.trim_end_matches('.'));
        let kept = words.filter(|word| {
            let address = word.rsplit_once('.').is_some_and(|(_, end)| end.len() >= 2);
            address || word.len() > 2 && word.chars().all(|c| c.is_ascii_uppercase())
        });
        numbers.chain(kept).map(str::to_string).collect()
    }

    #[test]
    fn spanish_help_describes_lines_in_spanish_and_keeps_numbers() {
        let help = help_now(Some("US"), "es-MX");
        assert_eq!(help.locale, "es");
        assert_eq!(help.lines[0].name, "Servicios de emergencia");
        assert_eq!(help.lines[0].phone.as_deref(), Some("911"));
        let lifeline = &help.lines[1];
        assert_eq!((lifeline.name.as_str(), lifeline.phone.as_deref()), ("988 Suicide & Crisis Lifeline", Some("988")));
        assert!(lifeline.languages.starts_with("inglés; español (opción 2 del menú)"), "{lifeline:?}");
        let pieta = help_now(Some("IE"), "es").lines.into_iter().find(|l| l.name.starts_with("Pieta")).unwrap();
        assert_eq!(pieta.text.as_deref(), Some("envíe HELP por SMS al 51444 (tarifa estándar)"));
        let caretext = help_now(Some("SG"), "es").lines.into_iter().find(|l| l.name == "SOS CareText").unwrap();
        assert_eq!(caretext.text.as_deref(), Some("mensaje de WhatsApp 9151 1767"));
        let fallback = help_now(Some("ZZ"), "es").fallback.unwrap();
        assert!(fallback.contains("número local de emergencias") && fallback.contains("findahelpline.com"));
        assert_eq!(help_now(Some("US"), "fr").locale, "en", "French falls back to English");
    }
}
