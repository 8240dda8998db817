//! Full-text search over the journal's text and labels (SQLite FTS5).
//!
//! FTS5's `unicode61` tokenizer folds case and accents and splits on spaces
//! and punctuation, which suits alphabetic scripts, left-to-right or not.
//! Chinese and Japanese have no spaces, and emoji run together, so each such
//! character is set apart by a zero-width space in the indexed copy: it
//! becomes a token of its own, and a query for `東京` is the phrase `東 京`.
//! The zero-width spaces are removed again from snippets.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::{read_checkin, JournalError, JournalRow, COLUMNS, MAX_PAGE};
use crate::spacing::{spaced, stands_alone, SEPARATOR};
use crate::store::Store;

const MARK_START: char = '\u{2}';
const MARK_END: char = '\u{3}';
/// Tokens of context a snippet shows around the match.
const SNIPPET_TOKENS: u32 = 24;

/// A piece of a snippet; `highlighted` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SnippetPart {
    pub text: String,
    pub highlighted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchHit {
    /// As a list shows it; `checkin(id)` gives the whole entry.
    pub entry: JournalRow,
    /// The best-matching passage, split into plain and highlighted parts.
    pub snippet: Vec<SnippetPart>,
}

impl Store {
    /// Live entries matching every word of `query` (each as a prefix), newest
    /// first like the journal itself. A blank query matches nothing.
    pub fn search_journal(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, JournalError> {
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(JournalError::InvalidLimit { limit, max: MAX_PAGE });
        }
        let Some(fts_query) = to_fts_query(query) else {
            return Ok(Vec::new());
        };
        if self.read(|conn| Ok::<_, JournalError>(has_pending(conn)?))? {
            self.write(|tx| Ok::<_, JournalError>(catch_up(tx)?))?;
        }
        let prefixed: String = COLUMNS.split(", ").map(|c| format!("c.{c}, ")).collect();
        self.read(|conn| {
            let hits = conn
                .prepare_cached(&format!(
                    "SELECT {prefixed} snippet(checkin_fts, -1, char(2), char(3), '…', {SNIPPET_TOKENS}) \
                     FROM checkin_fts JOIN checkin c ON c.seq = checkin_fts.rowid \
                     WHERE checkin_fts MATCH ?1 AND c.deleted_at IS NULL \
                     ORDER BY checkin_fts.rowid DESC LIMIT ?2"
                ))?
                .query_map(params![fts_query, limit], |row| {
                    // The snippet comes after the entry's own columns.
                    let snippet = row.get::<_, String>(COLUMNS.split(", ").count())?;
                    Ok(SearchHit { entry: read_checkin(row)?.into(), snippet: split_snippet(&snippet) })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(hits)
        })
    }
}

/// Marks an entry for indexing before the next search.
pub(super) fn queue(conn: &Connection, seq: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO search_pending (seq) VALUES (?1)")?.execute([seq])?;
    Ok(())
}

/// Removes an entry from the index, whether indexed yet or still queued.
pub(super) fn unindex(conn: &Connection, seq: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM checkin_fts WHERE rowid = ?1")?.execute([seq])?;
    conn.prepare_cached("DELETE FROM search_pending WHERE seq = ?1")?.execute([seq])?;
    Ok(())
}

fn has_pending(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_pending)")?.query_row([], |row| row.get(0))
}

/// Indexes every queued entry in one transaction.
fn catch_up(conn: &Connection) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO checkin_fts (rowid, text, tags) \
         SELECT c.seq, waymark_spaced(c.text), c.labels || ' ' || c.areas \
         FROM search_pending p JOIN checkin c ON c.seq = p.seq",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM search_pending")?.execute([])?;
    Ok(())
}

/// Each whitespace-separated word becomes a quoted prefix phrase, so the
/// patient's text is never read as FTS5 syntax. ASCII punctuation splits
/// words as the tokenizer would (`don't` is the phrase `don t`).
fn to_fts_query(query: &str) -> Option<String> {
    let phrases: Vec<String> = query
        .split_whitespace()
        .map(|word| word.replace(|c: char| c.is_ascii_punctuation() || c.is_control(), " "))
        .filter(|word| word.chars().any(|c| c.is_alphanumeric() || stands_alone(c)))
        .map(|word| format!("\"{}\"*", spaced(word.trim())))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

fn split_snippet(raw: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut highlighted = false;
    let mut current = String::new();
    for c in raw.chars() {
        match c {
            MARK_START | MARK_END => {
                if !current.is_empty() {
                    parts.push(SnippetPart { text: std::mem::take(&mut current), highlighted });
                }
                highlighted = c == MARK_START;
            }
            SEPARATOR => {}
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart { text: current, highlighted });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{CheckInDraft, EmotionLabel, LifeArea};
    use crate::test_support::{draft_at, open_store};
    use proptest::prelude::*;

    fn hit_texts(store: &Store, query: &str) -> Vec<String> {
        store.search_journal(query, 50).unwrap().into_iter().map(|h| h.entry.preview).collect()
    }

    fn highlighted(hit: &SearchHit) -> Vec<String> {
        hit.snippet.iter().filter(|p| p.highlighted).map(|p| p.text.clone()).collect()
    }

    fn store_with(texts: &[&str]) -> (tempfile::TempDir, Store) {
        let (dir, store) = open_store();
        for (i, text) in texts.iter().enumerate() {
            store.add_checkin(&draft_at(0, &format!("2026-11-{:02}T10:00:00Z", i + 1), text)).unwrap();
        }
        (dir, store)
    }

    #[test]
    fn finds_words_case_and_accent_insensitively_with_a_highlight() {
        let (_dir, store) = store_with(&["Coffee at the Café with Zoë", "a quiet evening"]);
        assert_eq!(hit_texts(&store, "cafe"), vec!["Coffee at the Café with Zoë"]);
        assert_eq!(hit_texts(&store, "ZOE"), vec!["Coffee at the Café with Zoë"]);
        let hit = &store.search_journal("café", 10).unwrap()[0];
        assert_eq!(highlighted(hit), vec!["Café"]);
    }

    #[test]
    fn words_match_as_prefixes_and_all_must_match() {
        let (_dir, store) = store_with(&["feeling hopeful today", "hopeless and tired", "tired but hopeful"]);
        assert_eq!(hit_texts(&store, "hope").len(), 3);
        let mut both = hit_texts(&store, "tired hopeful");
        both.sort();
        assert_eq!(both, vec!["tired but hopeful"]);
    }

    #[test]
    fn finds_chinese_and_japanese_inside_a_sentence() {
        let (_dir, store) = store_with(&["今天去了东京塔", "東京タワーに行った", "平和な一日"]);
        assert_eq!(hit_texts(&store, "东京"), vec!["今天去了东京塔"]);
        assert_eq!(hit_texts(&store, "タワー"), vec!["東京タワーに行った"]);
        let hit = &store.search_journal("平和", 10).unwrap()[0];
        assert_eq!(highlighted(hit).concat(), "平和");
        assert_eq!(hit.snippet.iter().map(|p| p.text.as_str()).collect::<String>(), "平和な一日");
    }

    #[test]
    fn finds_emoji_and_right_to_left_text() {
        let (_dir, store) = store_with(&["great session 🎉🙂🥲", "שלום עולם", "مرحبا بالعالم", "thanks⭐ ☕"]);
        assert_eq!(hit_texts(&store, "⭐"), vec!["thanks⭐ ☕"]);
        assert_eq!(hit_texts(&store, "☕"), vec!["thanks⭐ ☕"]);
        assert_eq!(hit_texts(&store, "thanks"), vec!["thanks⭐ ☕"]);
        assert_eq!(hit_texts(&store, "🎉"), vec!["great session 🎉🙂🥲"]);
        assert_eq!(hit_texts(&store, "🙂"), vec!["great session 🎉🙂🥲"]);
        assert_eq!(hit_texts(&store, "🥲"), vec!["great session 🎉🙂🥲"]);
        assert_eq!(hit_texts(&store, "שלום"), vec!["שלום עולם"]);
        assert_eq!(hit_texts(&store, "بالعالم"), vec!["مرحبا بالعالم"]);
    }

    #[test]
    fn results_come_newest_first_by_when_they_happened() {
        let (_dir, store) = open_store();
        let mut ids = Vec::new();
        for (when, text) in [
            ("2026-11-10T10:00:00Z", "walk one"),
            ("2026-11-20T10:00:00Z", "walk three"),
            ("2026-11-15T10:00:00Z", "walk two"),
        ] {
            ids.push(store.add_checkin(&draft_at(0, when, text)).unwrap().id);
        }
        assert_eq!(hit_texts(&store, "walk"), vec!["walk three", "walk two", "walk one"]);
        store.edit_checkin(&ids[0], &draft_at(0, "2026-11-25T10:00:00Z", "walk one")).unwrap();
        assert_eq!(hit_texts(&store, "walk"), vec!["walk one", "walk three", "walk two"]);
        assert_eq!(store.search_journal("walk", 2).unwrap().len(), 2);
    }

    #[test]
    fn finds_labels_and_life_areas() {
        let (_dir, store) = open_store();
        let draft = CheckInDraft {
            labels: vec![EmotionLabel::Anxious],
            areas: vec![LifeArea::SelfCare],
            ..draft_at(-1, "2026-11-01T10:00:00Z", "long day")
        };
        store.add_checkin(&draft).unwrap();
        assert_eq!(hit_texts(&store, "anxious"), vec!["long day"]);
        assert_eq!(hit_texts(&store, "self care"), vec!["long day"]);
        assert!(hit_texts(&store, "calm").is_empty());
    }

    #[test]
    fn edits_and_deletes_are_reflected() {
        let (_dir, store) = store_with(&["the old words"]);
        let id = store.search_journal("old", 1).unwrap()[0].entry.id.clone();
        store.edit_checkin(&id, &draft_at(0, "2026-11-01T10:00:00Z", "new words")).unwrap();
        assert!(hit_texts(&store, "old").is_empty());
        assert_eq!(hit_texts(&store, "new"), vec!["new words"]);
        store.delete_checkin(&id).unwrap();
        assert!(hit_texts(&store, "new").is_empty());
        store.undelete_checkin(&id).unwrap();
        assert_eq!(hit_texts(&store, "new"), vec!["new words"]);
    }

    #[test]
    fn query_syntax_is_taken_literally() {
        let (_dir, store) = store_with(&["said \"no\" OR NOT yes (maybe) * NEAR"]);
        for query in ["\"no\"", "OR", "NOT", "(maybe)", "*", "NEAR(", "\"", "^x", "   "] {
            store.search_journal(query, 10).unwrap();
        }
        assert_eq!(hit_texts(&store, "\"no\"").len(), 1);
        assert!(hit_texts(&store, "").is_empty());
    }

    #[test]
    fn any_query_text_is_searched_without_error() {
        let (_dir, store) = store_with(&["some text 東京 🎉 don't"]);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&"\\PC{0,30}", |query| {
                prop_assert!(store.search_journal(&query, 5).is_ok(), "query {:?}", query);
                Ok(())
            })
            .unwrap();
        assert_eq!(hit_texts(&store, "don't").len(), 1);
    }

    proptest! {
        #[test]
        fn snippets_keep_every_character_but_markers(raw in "[a-z\u{2}\u{3}\u{200B} 東]{0,40}") {
            let joined: String = split_snippet(&raw).into_iter().map(|p| p.text).collect();
            let expected: String = raw.chars().filter(|c| !matches!(c, '\u{2}' | '\u{3}' | '\u{200B}')).collect();
            prop_assert_eq!(joined, expected);
        }
    }
}
