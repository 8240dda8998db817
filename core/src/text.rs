//! Waymark's own words outside the content packs: checklists, notifications,
//! course names, flags and notes, in every language the app speaks. The words
//! live in `content/text/<locale>.toml` (nested tables, read as dotted keys);
//! a `{name}` in a text is filled in when it is used. Every key of the English
//! catalog must be in every other one, and the tests check that it is.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Whether `key` names where a text comes from: a citation, the same in every
/// language, so only the English catalog holds it.
#[cfg(test)]
pub(crate) fn is_citation(key: &str) -> bool {
    key.ends_with("_source") || key.ends_with(".source")
}

pub(crate) type Catalog = HashMap<String, String>;

/// A catalog file's texts by dotted key, or what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<(String, Catalog), String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let locale = table.get("locale").and_then(|v| v.as_str()).ok_or("no locale")?.to_string();
    let mut texts = Catalog::new();
    flatten("", &table, &mut texts)?;
    texts.remove("locale");
    Ok((locale, texts))
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) -> Result<(), String> {
    for (key, value) in table {
        let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::String(text) => {
                out.insert(key, text.clone());
            }
            toml::Value::Table(inner) => flatten(&key, inner, out)?,
            _ => return Err(format!("{key} is not a text")),
        }
    }
    Ok(())
}

pub(crate) fn catalogs() -> &'static [(String, Catalog)] {
    static PARSED: OnceLock<Vec<(String, Catalog)>> = OnceLock::new();
    PARSED.get_or_init(|| crate::content::load(&crate::content::TEXT, "text/{}.toml", parse))
}

fn catalog(language: &str) -> &'static Catalog {
    let all = catalogs();
    &all.iter().find(|(locale, _)| locale == language).unwrap_or(&all[0]).1
}

/// The text `key` in `language` (a code `safety::library::language` gave),
/// else in English. A key missing from English is a build mistake.
pub(crate) fn get(language: &str, key: &str) -> &'static str {
    catalog(language)
        .get(key)
        .or_else(|| catalog("en").get(key))
        .unwrap_or_else(|| panic!("content/text/en.toml has no \"{key}\""))
}

/// The text `key` with each `{name}` replaced by its value.
pub(crate) fn fill(language: &str, key: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(get(language, key).to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The `{name}`s a text leaves to be filled in.
#[cfg(test)]
pub(crate) fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> =
        text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_has_every_english_key_with_the_same_blanks() {
        let english = catalog("en");
        for (locale, texts) in catalogs() {
            for (key, text) in english {
                if is_citation(key) {
                    continue;
                }
                let said = texts.get(key).unwrap_or_else(|| panic!("{locale} has no \"{key}\""));
                assert!(!said.trim().is_empty(), "{locale}: \"{key}\" is empty");
                assert_eq!(placeholders(said), placeholders(text), "{locale}: \"{key}\" fills other blanks");
            }
            for key in texts.keys() {
                assert!(english.contains_key(key), "{locale}: \"{key}\" is in no English text");
            }
        }
    }

    #[test]
    fn blanks_are_filled_and_a_missing_language_reads_english() {
        let key = "span.hours";
        assert_eq!(fill("en", key, &[("n", "6")]), "6 hours");
        assert_eq!(fill("es", key, &[("n", "6")]), "6 horas");
        assert_eq!(get("fr", key), get("en", key));
        assert_eq!(placeholders("from {from} to {to}"), ["from", "to"]);
    }
}
