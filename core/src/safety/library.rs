//! The safety library: bundled pages, each citing its sources, in English
//! and Spanish, readable and searchable offline from the first launch.
//! The pages live in `content/safety/<locale>.toml` (the format is described
//! at the top of `en.toml`); a locale without a page falls back to English.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{ContentError, SafetyError};

const PACKS: [(&str, &str); 2] =
    [("en", include_str!("../../content/safety/en.toml")), ("es", include_str!("../../content/safety/es.toml"))];
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

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetySearchHit {
    pub id: String,
    pub title: String,
    pub locale: String,
    /// Higher is better: a word in the title counts most, then tags, then the text.
    pub score: u32,
}

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
    PARSED.get_or_init(|| {
        // Bundled at build time and checked by the tests: an error is a build mistake.
        PACKS
            .iter()
            .map(|(locale, text)| parse_pack(text).unwrap_or_else(|e| panic!("content/safety/{locale}.toml: {e}")))
            .collect()
    })
}

/// `es`, `es-MX`, `es_ES.UTF-8` or `es@euro` as `es`; a locale without a pack as English.
pub(crate) fn language(locale: &str) -> &'static str {
    let wanted = locale.trim().split(['-', '_', '@', '.']).next().unwrap_or("").to_ascii_lowercase();
    PACKS.iter().map(|(code, _)| *code).find(|code| *code == wanted).unwrap_or(FALLBACK_LOCALE)
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
    without_links
        .split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c))
        .map(|word| word.chars().filter(|c| !is_combining_mark(*c)).collect::<String>())
        .filter(|word| !word.is_empty())
        .map(|word| stem(&fold(&word.to_lowercase())))
        .collect()
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

/// Pages holding every word of `query`, best first.
pub fn search_safety(query: &str, locale: &str) -> Vec<SafetySearchHit> {
    let all = words(query);
    let stop: Vec<String> = STOP_WORDS.iter().map(|word| stem(word)).collect();
    let meaningful: Vec<String> = all.iter().filter(|word| !stop.contains(word)).cloned().collect();
    let wanted = if meaningful.is_empty() { all } else { meaningful };
    if wanted.is_empty() {
        return Vec::new();
    }
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
            Some((order, SafetySearchHit { id: page.id, title: page.title, locale: page.locale, score }))
        })
        .collect();
    hits.sort_by(|(a_order, a), (b_order, b)| b.score.cmp(&a.score).then(a_order.cmp(b_order)));
    hits.into_iter().map(|(_, hit)| hit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_pack_of_another_kind_or_format_is_refused_by_name() {
        let english = PACKS[0].1;
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

    #[test]
    fn search_finds_the_driving_guidance_in_english_and_spanish() {
        for (query, locale) in [("drive", "en"), ("driving", "en"), ("conducir", "es"), ("Conducir", "es-ES")] {
            let hits = search_safety(query, locale);
            assert_eq!(hits.first().map(|hit| hit.id.as_str()), Some("after-session"), "{query} ({locale}): {hits:?}");
        }
        assert!(search_safety("chest pain", "en").iter().any(|hit| hit.id == "warning-signs"));
        assert!(search_safety("dolor pecho", "es").iter().any(|hit| hit.id == "warning-signs"));
        assert_eq!(search_safety("can I drive", "en")[0].id, "after-session");
        assert_eq!(search_safety("swim", "en")[0].id, "after-session");
        assert!(search_safety("bleeding", "en").iter().any(|hit| hit.id == "contraindications"));
        assert_eq!(search_safety("conduccio\u{301}n conducir", "es").len(), 0, "every word must match");
        assert_eq!(search_safety("¿puedo conducir?", "es")[0].id, "after-session");
        assert!(search_safety("", "en").is_empty());
        assert!(search_safety("zebra", "en").is_empty());
    }
}
