-- The mood journal: check-ins and their full-text index.
-- Instants are UTC milliseconds; `zone` is the IANA zone the entry was written in.
-- `seq` is occurred_at * 4096 + n: rowids in time order, so search walks its
-- matches newest first and stops at the page size instead of sorting them all.
CREATE TABLE checkin (
    seq          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE,
    occurred_at  INTEGER NOT NULL,
    zone         TEXT    NOT NULL,
    valence      INTEGER NOT NULL CHECK (valence BETWEEN -3 AND 3),
    energy       INTEGER CHECK (energy BETWEEN 1 AND 5),
    anxiety      INTEGER CHECK (anxiety BETWEEN 0 AND 10),
    sleep_quarters INTEGER CHECK (sleep_quarters BETWEEN 0 AND 96),
    labels       TEXT    NOT NULL DEFAULT '',
    areas        TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT '',
    shared       INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);

-- Newest first, with the id as a tie-breaker so pages never skip or repeat.
CREATE INDEX checkin_live_by_time ON checkin (occurred_at DESC, id DESC) WHERE deleted_at IS NULL;

-- rowid = checkin.seq. The indexed text is the entry's text with CJK characters and
-- emoji spaced apart (see journal::search), so each is a token of its own. The
-- categories make emoji (So, and Cn for those newer than the tokenizer's Unicode
-- 6.1 tables) into tokens. Results are ordered by time, never by rank, so the
-- per-document sizes rank needs are not kept (columnsize=0).
CREATE VIRTUAL TABLE checkin_fts USING fts5(
    text,
    tags,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co So Cn'",
    columnsize = 0
);

-- Check-ins not yet in checkin_fts. A new check-in commits with one small row
-- here instead of the full-text index's pages, and the next search indexes it
-- first, so the durable write a patient waits for stays close to a bare insert.
CREATE TABLE search_pending (seq INTEGER PRIMARY KEY);
