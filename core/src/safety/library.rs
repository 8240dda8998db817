//! The safety library: bundled pages, each citing its sources, in English
//! and Spanish, readable and searchable offline from the first launch.
//! The pages live in `content/safety/<locale>.toml` (the format is described
//! at the top of `en.toml`); a locale without a page falls back to English.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::SafetyError;

use crate::content::{self, ContentError};

const FALLBACK_LOCALE: &str = "en";
/// The pack format this build reads.
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContentSource {
    pub url: Option<String>,
    /// Where no address exists, what the statement rests on.
    pub reference: Option<String>,
    /// The month it was last read, `YYYY-MM`.
    pub accessed: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPage {
    pub id: String,
    /// The locale the page is in, which may be the English fallback.
    pub locale: String,
    pub title: String,
    /// Markdown; `[[page-id]]` links to another page.
    pub body: String,
    pub tags: Vec<String>,
    /// Clinical guidance, which always cites `sources`.
    pub clinical: bool,
    pub sources: Vec<ContentSource>,
}

/// What a search result opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SafetySearchHitKind {
    /// The Help now screen: the region's crisis and emergency lines.
    HelpNow,
    /// A safety page, by `id`.
    Page,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetySearchHit {
    pub kind: SafetySearchHitKind,
    /// The page's id; `help-now` for Help now.
    pub id: String,
    pub title: String,
    pub locale: String,
    /// Higher is better: a word in the title counts most, then tags, then the text.
    /// Help now, which every list offers, has 0 unless the query named a crisis.
    pub score: u32,
}

/// The id of the Help now hit.
pub const HELP_NOW_ID: &str = "help-now";

#[derive(Debug, Deserialize)]
pub(crate) struct Pack {
    pack: String,
    locale: String,
    version: u32,
    strings: Strings,
    pages: Vec<RawPage>,
}

/// What the app shows around the pages, in a pack's language.
#[derive(Debug, Deserialize)]
pub(crate) struct Strings {
    pub alert_title: String,
    pub alert_message: String,
    pub alert_source: String,
    pub declined_title: String,
    pub declined_message: String,
    pub declined_source: String,
    pub nobody_is_told: String,
    pub help_fallback: String,
    pub help_fallback_source: String,
    pub plan_title: String,
    pub plan_empty: String,
    pub plan_steps: [String; 6],
    pub plan_source: String,
    /// Words that name a crisis ("kill myself", "quiero morir"): a search holding
    /// any of them, in any language, puts Help now first.
    pub crisis_phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawPage {
    id: String,
    title: String,
    tags: Vec<String>,
    body: String,
    clinical: bool,
    sources: Vec<ContentSource>,
}

/// A safety pack's text as a pack of the format this build reads.
pub(crate) fn parse_pack(text: &str) -> Result<Pack, ContentError> {
    let pack: Pack = toml::from_str(text)?;
    if pack.pack != "safety" || pack.version != FORMAT_VERSION {
        let found = format!("{} {}", pack.pack, pack.version);
        return Err(ContentError::Mismatch { expected: "safety", version: FORMAT_VERSION, found });
    }
    Ok(pack)
}

fn packs() -> &'static [Pack] {
    static PARSED: OnceLock<Vec<Pack>> = OnceLock::new();
    PARSED.get_or_init(|| content::load(&content::SAFETY, "safety/{}.toml", parse_pack))
}

/// `es`, `es-MX`, `es_ES.UTF-8` or `es@euro` as `es`; a locale without a pack as English.
pub(crate) fn language(locale: &str) -> &'static str {
    let wanted = locale.trim().split(['-', '_', '@', '.']).next().unwrap_or("").to_ascii_lowercase();
    content::SAFETY.iter().map(|(code, _)| *code).find(|code| *code == wanted).unwrap_or(FALLBACK_LOCALE)
}

/// The strings of `language`'s pack (a code `language` returned).
pub(crate) fn strings(language: &str) -> &'static Strings {
    let pack = packs().iter().find(|pack| pack.locale == language);
    &pack.or_else(|| packs().iter().find(|pack| pack.locale == FALLBACK_LOCALE)).expect("an English pack").strings
}

fn page_in(locale: &str, id: &str) -> Option<SafetyPage> {
    let pack = packs().iter().find(|pack| pack.locale == locale)?;
    let raw = pack.pages.iter().find(|page| page.id == id)?;
    Some(SafetyPage {
        id: raw.id.clone(),
        locale: pack.locale.clone(),
        title: raw.title.clone(),
        body: raw.body.trim().to_string(),
        tags: raw.tags.clone(),
        clinical: raw.clinical,
        sources: raw.sources.clone(),
    })
}

/// Every page, in the English pack's order, each in `locale` where it exists.
pub fn safety_pages(locale: &str) -> Vec<SafetyPage> {
    let language = language(locale);
    let english = packs().iter().find(|pack| pack.locale == FALLBACK_LOCALE).expect("an English pack");
    english
        .pages
        .iter()
        .filter_map(|page| page_in(language, &page.id).or_else(|| page_in(FALLBACK_LOCALE, &page.id)))
        .collect()
}

pub fn safety_page(id: &str, locale: &str) -> Result<SafetyPage, SafetyError> {
    page_in(language(locale), id)
        .or_else(|| page_in(FALLBACK_LOCALE, id))
        .ok_or_else(|| SafetyError::UnknownPage { id: id.to_string() })
}

/// Lowercase, without accents or links, and with common endings cut, so
/// "driving" finds "drive" and "conducción" finds "conduccion".
fn words(text: &str) -> Vec<String> {
    let without_links: String =
        text.split("[[").map(|part| part.split_once("]]").map_or(part, |(_, rest)| rest)).collect();
    plain_words(&without_links).iter().map(|word| stem(word)).collect()
}

/// Accents typed as separate marks (U+0300 to U+036F).
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Words a question has that say nothing about the topic.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "i", "can", "what", "to", "do", "is", "it", "my", "how", "when", "of", "in", "on", "for", "and",
    "or", "should", "el", "la", "los", "las", "un", "una", "de", "del", "que", "y", "o", "en", "para", "por", "con",
    "puedo", "como", "es", "mi", "se",
];

fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

fn stem(word: &str) -> String {
    for (ending, shortest) in [("ing", 3), ("ed", 4), ("es", 3), ("e", 3), ("s", 3)] {
        if let Some(root) = word.strip_suffix(ending).filter(|root| root.chars().count() >= shortest) {
            // "swimming" to "swim": a doubled last letter is undone.
            let mut letters: Vec<char> = root.chars().collect();
            if ending == "ing" && letters.len() >= 4 && letters[letters.len() - 1] == letters[letters.len() - 2] {
                letters.pop();
            }
            return letters.into_iter().collect();
        }
    }
    word.to_string()
}

/// Whether `query` names a crisis in any language Waymark has: its words hold
/// one of the packs' crisis phrases, word for word.
fn names_a_crisis(query: &str) -> bool {
    static PHRASES: OnceLock<Vec<String>> = OnceLock::new();
    let spaced = |text: &str| format!(" {} ", plain_words(text).join(" "));
    let phrases = PHRASES
        .get_or_init(|| packs().iter().flat_map(|pack| &pack.strings.crisis_phrases).map(|p| spaced(p)).collect());
    let query = spaced(query);
    phrases.iter().any(|phrase| query.contains(phrase.as_str()))
}

/// Apostrophes as phones type them: straight, curly (iOS's default) or a modifier letter.
const APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{2bc}'];

/// Lowercase words without accents or apostrophes, hyphens read as spaces:
/// "Self-harm" is "self harm", and "don’t" is "dont".
fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c) && !APOSTROPHES.contains(&c))
        .map(|word| word.chars().filter(|c| !is_combining_mark(*c) && !APOSTROPHES.contains(c)).collect::<String>())
        .filter(|word| !word.is_empty())
        .map(|word| fold(&word.to_lowercase()))
        .collect()
}

fn help_now_hit(locale: &str, score: u32) -> SafetySearchHit {
    let language = language(locale);
    SafetySearchHit {
        kind: SafetySearchHitKind::HelpNow,
        id: HELP_NOW_ID.to_string(),
        title: crate::text::get(language, "help.title").to_string(),
        locale: language.to_string(),
        score,
    }
}

/// Search results for `query`: pages holding every word of it, best first,
/// and always Help now. A query that names a crisis ("I want to die",
/// "hacerme daño") gets Help now first, then the warning signs; any other
/// gets Help now last.
pub fn search_safety(query: &str, locale: &str) -> Vec<SafetySearchHit> {
    if words(query).is_empty() {
        return Vec::new();
    }
    let mut pages = matching_pages(query, locale);
    if !names_a_crisis(query) {
        pages.push(help_now_hit(locale, 0));
        return pages;
    }
    pages.retain(|hit| hit.id != "warning-signs");
    let warning_signs = safety_page("warning-signs", locale).expect("the library has the warning signs");
    let first = [
        help_now_hit(locale, u32::MAX),
        SafetySearchHit {
            kind: SafetySearchHitKind::Page,
            id: warning_signs.id,
            title: warning_signs.title,
            locale: warning_signs.locale,
            score: u32::MAX - 1,
        },
    ];
    first.into_iter().chain(pages).collect()
}

/// Pages holding every word of `query`, best first.
fn matching_pages(query: &str, locale: &str) -> Vec<SafetySearchHit> {
    let all = words(query);
    let stop: Vec<String> = STOP_WORDS.iter().map(|word| stem(word)).collect();
    let meaningful: Vec<String> = all.iter().filter(|word| !stop.contains(word)).cloned().collect();
    let wanted = if meaningful.is_empty() { all } else { meaningful };
    let mut hits: Vec<(usize, SafetySearchHit)> = safety_pages(locale)
        .into_iter()
        .enumerate()
        .filter_map(|(order, page)| {
            let (title, tags, body) = (words(&page.title), words(&page.tags.join(" ")), words(&page.body));
            let mut score = 0;
            for word in &wanted {
                let found = 3 * u32::from(title.contains(word))
                    + 2 * u32::from(tags.contains(word))
                    + u32::from(body.contains(word));
                if found == 0 {
                    return None;
                }
                score += found;
            }
            let hit = SafetySearchHit {
                kind: SafetySearchHitKind::Page,
                id: page.id,
                title: page.title,
                locale: page.locale,
                score,
            };
            Some((order, hit))
        })
        .collect();
    hits.sort_by(|(a_order, a), (b_order, b)| b.score.cmp(&a.score).then(a_order.cmp(b_order)));
    hits.into_iter().map(|(_, hit)| hit).collect()
}

/// Every text the packs show a patient, named by pack and place, for the wording checks.
#[cfg(test)]
pub(crate) fn patient_texts() -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for pack in packs() {
        let s = &pack.strings;
        let named = [
            ("alert_title", &s.alert_title),
            ("alert_message", &s.alert_message),
            ("alert_source", &s.alert_source),
            ("declined_title", &s.declined_title),
            ("declined_message", &s.declined_message),
            ("declined_source", &s.declined_source),
            ("nobody_is_told", &s.nobody_is_told),
            ("help_fallback", &s.help_fallback),
            ("help_fallback_source", &s.help_fallback_source),
            ("plan_title", &s.plan_title),
            ("plan_empty", &s.plan_empty),
            ("plan_source", &s.plan_source),
        ];
        for (name, text) in named {
            texts.push((format!("safety/{}.strings.{name}", pack.locale), text.clone()));
        }
        for (n, step) in s.plan_steps.iter().enumerate() {
            texts.push((format!("safety/{}.strings.plan_steps[{n}]", pack.locale), step.clone()));
        }
        for page in &pack.pages {
            texts.push((format!("safety/{}/{}.title", pack.locale, page.id), page.title.clone()));
            texts.push((format!("safety/{}/{}.body", pack.locale, page.id), page.body.clone()));
            for source in &page.sources {
                let said = [&source.note, &source.reference].into_iter().flatten();
                texts.extend(said.map(|text| (format!("safety/{}/{}.sources", pack.locale, page.id), text.clone())));
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_pack_of_another_kind_or_format_is_refused_by_name() {
        let english = content::SAFETY[0].1;
        let newer = english.replacen("version = 1", "version = 2", 1);
        assert!(matches!(parse_pack(&newer), Err(ContentError::Mismatch { found, .. }) if found == "safety 2"));
        let other = english.replacen("pack = \"safety\"", "pack = \"prompts\"", 1);
        assert!(matches!(parse_pack(&other), Err(ContentError::Mismatch { found, .. }) if found == "prompts 1"));
        assert!(matches!(parse_pack("pack = 1"), Err(ContentError::Format(_))));
    }

    #[test]
    fn every_pack_is_valid_sourced_linked_and_complete() {
        let english: HashSet<&str> = packs()[0].pages.iter().map(|page| page.id.as_str()).collect();
        for pack in packs() {
            assert_eq!((pack.pack.as_str(), pack.version), ("safety", 1), "{}", pack.locale);
            let ids: Vec<&str> = pack.pages.iter().map(|page| page.id.as_str()).collect();
            assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "{}: ids are unique", pack.locale);
            assert_eq!(
                ids.iter().copied().collect::<HashSet<_>>(),
                english,
                "{}: every page is translated",
                pack.locale
            );
            let strings = &pack.strings;
            let texts = [&strings.alert_title, &strings.alert_message, &strings.alert_source, &strings.help_fallback];
            let declined = [&strings.declined_title, &strings.declined_message, &strings.declined_source];
            let texts = texts.into_iter().chain(declined).chain([&strings.nobody_is_told]);
            let more = [&strings.help_fallback_source, &strings.plan_title, &strings.plan_empty, &strings.plan_source];
            for text in texts.chain(more).chain(&strings.plan_steps) {
                assert!(!text.trim().is_empty(), "{}: every string is written", pack.locale);
                let lower = text.to_lowercase();
                for word in ["dose", "dosis", "medication", "medicación", "medicamento", "stop taking", "deje de tomar"]
                {
                    assert!(!lower.contains(word), "{}: the app never advises on medicines: {text}", pack.locale);
                }
            }
            for page in &pack.pages {
                let name = format!("{}/{}", pack.locale, page.id);
                assert!(!page.title.trim().is_empty() && !page.body.trim().is_empty(), "{name}");
                assert!(!page.clinical || !page.sources.is_empty(), "{name}: a clinical page needs a source");
                for source in &page.sources {
                    let url_ok = source
                        .url
                        .as_deref()
                        .is_some_and(|url| url.starts_with("https://") || url.starts_with("http://"));
                    let reference_ok = source.reference.as_deref().is_some_and(|r| !r.trim().is_empty());
                    assert!(url_ok || reference_ok, "{name}: a source needs a url or a reference");
                    if let Some(url) = &source.url {
                        let path = url.split("://").nth(1).and_then(|rest| rest.split_once('/')).map(|(_, path)| path);
                        assert!(
                            path.is_some_and(|p| !p.is_empty()),
                            "{name}: {url} is a home page, not the page that says it"
                        );
                    }
                    assert!(
                        source.accessed.len() == 7 && source.accessed.starts_with("20"),
                        "{name}: accessed YYYY-MM"
                    );
                }
                for link in page.body.split("[[").skip(1).filter_map(|rest| rest.split_once("]]").map(|(id, _)| id)) {
                    assert!(english.contains(link), "{name}: the link [[{link}]] goes nowhere");
                }
            }
        }
    }

    #[test]
    fn the_library_covers_the_pages_the_issue_lists() {
        let ids: Vec<String> = safety_pages("en").into_iter().map(|page| page.id).collect();
        let wanted = [
            "before-session",
            "after-session",
            "warning-signs",
            "after-effects",
            "misuse",
            "contraindications",
            "never-unsupervised",
            "pregnancy",
            "other-medicines",
            "bladder",
            "frightening-dissociation",
            "at-home-ketamine",
            "after-course",
            "missed-session",
        ];
        assert_eq!(ids, wanted);
    }

    #[test]
    fn spanish_is_served_and_an_unknown_locale_falls_back_to_english() {
        assert_eq!(safety_page("after-session", "es-MX").unwrap().title, "Las horas después de una sesión");
        assert_eq!(safety_page("after-session", "fr").unwrap().locale, "en");
        for locale in ["es.UTF-8", "es_ES@euro", " es "] {
            assert_eq!(language(locale), "es", "{locale}");
        }
        assert!(matches!(safety_page("nope", "en"), Err(SafetyError::UnknownPage { .. })));
    }

    /// The pages a search found, without the Help now every list offers.
    fn page_ids(query: &str, locale: &str) -> Vec<String> {
        let hits = search_safety(query, locale);
        hits.into_iter().filter(|hit| hit.kind == SafetySearchHitKind::Page).map(|hit| hit.id).collect()
    }

    #[test]
    fn search_finds_the_driving_guidance_in_english_and_spanish() {
        for (query, locale) in [("drive", "en"), ("driving", "en"), ("conducir", "es"), ("Conducir", "es-ES")] {
            let hits = page_ids(query, locale);
            assert_eq!(hits.first().map(String::as_str), Some("after-session"), "{query} ({locale}): {hits:?}");
        }
        assert!(page_ids("chest pain", "en").iter().any(|id| id == "warning-signs"));
        assert!(page_ids("dolor pecho", "es").iter().any(|id| id == "warning-signs"));
        assert_eq!(page_ids("can I drive", "en")[0], "after-session");
        assert_eq!(page_ids("swim", "en")[0], "after-session");
        assert!(page_ids("bleeding", "en").iter().any(|id| id == "contraindications"));
        assert!(page_ids("conduccio\u{301}n conducir", "es").is_empty(), "every word must match");
        assert_eq!(page_ids("¿puedo conducir?", "es")[0], "after-session");
        assert!(search_safety("", "en").is_empty());
        assert!(page_ids("zebra", "en").is_empty());
    }

    #[test]
    fn every_result_list_offers_help_now() {
        for (query, locale) in [("drive", "en"), ("zebra", "en"), ("conducir", "es"), ("nada", "es")] {
            let hits = search_safety(query, locale);
            let last = hits.last().unwrap();
            assert_eq!((last.kind, last.id.as_str()), (SafetySearchHitKind::HelpNow, HELP_NOW_ID), "{query}");
        }
        assert_eq!(search_safety("drive", "en").last().unwrap().title, "Help now");
        assert_eq!(search_safety("conducir", "es").last().unwrap().title, "Ayuda ahora");
    }

    #[test]
    fn crisis_words_find_help_now_first_then_the_warning_signs_in_both_languages() {
        let english = [
            "kill myself",
            "I want to kill myself",
            "hurt myself",
            "I want to die",
            "self harm",
            "Self-harm",
            "suicidal",
            "feeling suicidal tonight",
            "thinking about suicide",
            "better off dead",
            "I don't want to live",
            "I don\u{2019}t want to live",
            "I DON\u{2bc}T WANT TO LIVE",
            "end my life",
        ];
        let spanish = [
            "quiero morir",
            "Me quiero morir",
            "hacerme daño",
            "hacerme dano",
            "suicida",
            "pensamientos suicidas",
            "quitarme la vida",
            "autolesión",
            "no quiero vivir",
        ];
        for (queries, locale) in
            [(&english[..], "en"), (&spanish[..], "es"), (&english[..], "es"), (&spanish[..], "en")]
        {
            for query in queries {
                let hits = search_safety(query, locale);
                assert_eq!(hits[0].kind, SafetySearchHitKind::HelpNow, "{query} ({locale}): {hits:?}");
                assert_eq!(
                    (hits[1].kind, hits[1].id.as_str()),
                    (SafetySearchHitKind::Page, "warning-signs"),
                    "{query}"
                );
                assert_eq!(hits.iter().filter(|hit| hit.kind == SafetySearchHitKind::HelpNow).count(), 1, "{query}");
                assert_eq!(hits.iter().filter(|hit| hit.id == "warning-signs").count(), 1, "{query}");
            }
        }
        assert_eq!(search_safety("quiero morir", "es")[1].title, "Señales de alarma: busque ayuda de emergencia ahora");
        for calm in ["myself", "die", "harmless", "kill time before the session", "driving"] {
            let hits = search_safety(calm, "en");
            let help = hits.iter().position(|hit| hit.kind == SafetySearchHitKind::HelpNow);
            assert_eq!(help, Some(hits.len() - 1), "{calm}: Help now is offered last, not put first");
        }
    }
}
