//! The content bundled into the library: Waymark's own words, the safety
//! pages, the integration prompts and the crisis lines with their
//! translations, by language. Each kind is parsed once, on first use. The
//! tests read every file, so one that does not parse is a build mistake, and
//! loading it panics with the file's name.

use std::fmt::Display;

/// Waymark's own words: `content/text/<language>.toml`.
pub(crate) const TEXT: [(&str, &str); 2] =
    [("en", include_str!("../content/text/en.toml")), ("es", include_str!("../content/text/es.toml"))];

/// The safety pages: `content/safety/<language>.toml`.
pub(crate) const SAFETY: [(&str, &str); 2] =
    [("en", include_str!("../content/safety/en.toml")), ("es", include_str!("../content/safety/es.toml"))];

/// The integration prompts: `content/prompts/<language>.toml`.
pub(crate) const PROMPTS: [(&str, &str); 2] =
    [("en", include_str!("../content/prompts/en.toml")), ("es", include_str!("../content/prompts/es.toml"))];

/// The crisis lines, one per row: `content/crisis-lines.tsv`.
pub(crate) const CRISIS_LINES: &str = include_str!("../content/crisis-lines.tsv");

/// The crisis lines' descriptions in other languages: `content/crisis-lines.<language>.toml`.
pub(crate) const CRISIS_PHRASES: [(&str, &str); 1] = [("es", include_str!("../content/crisis-lines.es.toml"))];

/// Why a content pack cannot be read. The packs are bundled and checked by
/// the tests, so at run time this is a build mistake.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("the pack does not follow its format: {0}")]
    Format(#[from] toml::de::Error),
    #[error("expected a \"{expected}\" pack of format {version}; this one says \"{found}\"")]
    Mismatch { expected: &'static str, version: u32, found: String },
}

/// Every file of one kind parsed; `path` names them, `{}` standing for the language.
pub(crate) fn load<T, E: Display>(files: &[(&str, &str)], path: &str, parse: impl Fn(&str) -> Result<T, E>) -> Vec<T> {
    let name = |language: &str| format!("content/{}", path.replace("{}", language));
    files.iter().map(|(language, text)| parse(text).unwrap_or_else(|e| panic!("{}: {e}", name(language)))).collect()
}
