-- The mood journal: check-ins and their full-text index.
-- Instants are UTC milliseconds; `zone` is the IANA zone the entry was written in.
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
-- emoji spaced apart (see journal::search), so each is a token of its own.
CREATE VIRTUAL TABLE checkin_fts USING fts5(
    text,
    tags,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co So Cn'"
);
