//! How text is spaced for the full-text index, as an SQL function the store
//! registers on every connection. Chinese and Japanese have no spaces, and
//! emoji run together, so each such character is set apart by a zero-width
//! space: it becomes a token of its own (see `journal::search`).

use rusqlite::Connection;

pub(crate) const SEPARATOR: char = '\u{200B}';

/// Makes `waymark_spaced(text)` available to SQL on this connection.
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("waymark_spaced", 1, flags, |ctx| Ok(spaced(&ctx.get::<String>(0)?)))
}

/// Characters written without spaces between words, indexed one by one.
pub(crate) fn stands_alone(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // CJK radicals
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x1F000..=0x1FAFF  // emoji and pictographs
        | 0x20000..=0x3134F  // CJK extensions B–G
        | 0x00A9 | 0x00AE    // © ®
        | 0x2100..=0x214F    // letterlike symbols (™)
        | 0x2190..=0x2BFF    // arrows, technical and miscellaneous symbols, dingbats, ⭐
        | 0x3030 | 0x303D    // 〰 〽
    )
}

pub(crate) fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if stands_alone(c) {
            out.extend([SEPARATOR, c, SEPARATOR]);
        } else {
            out.push(c);
        }
    }
    out
}
