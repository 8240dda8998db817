-- PHQ-9 and GAD-7 results, vitals, safety events, and the patient's measure settings.
-- Instants are UTC milliseconds; `zone` is the IANA zone the patient was in.

-- Check-in trends read only these columns; covering them keeps ten years of
-- trends off the check-in rows, whose text fills thousands of pages. SQLite
-- counts the partial index's own `deleted_at` as a column the query needs.
CREATE INDEX checkin_live_figures ON checkin (occurred_at, valence, anxiety, sleep_quarters, deleted_at)
    WHERE deleted_at IS NULL;

-- `answers` holds one entry per item, comma-separated: 0 to 3, or x for
-- "prefer not to answer" (PHQ-9 item 9 only). `total` is their sum, kept so
-- SQL can read it; the severity band is derived from it on read.
CREATE TABLE assessment (
    id          TEXT    PRIMARY KEY NOT NULL,
    instrument  TEXT    NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    answers     TEXT    NOT NULL,
    total       INTEGER NOT NULL CHECK (total BETWEEN 0 AND 27),
    taken_at    INTEGER NOT NULL,
    zone        TEXT    NOT NULL,
    session_id  TEXT,
    shared      INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX assessment_by_time ON assessment (instrument, taken_at, id);

CREATE TABLE vitals (
    id          TEXT    PRIMARY KEY NOT NULL,
    systolic    INTEGER,
    diastolic   INTEGER,
    heart_rate  INTEGER,
    taken_at    INTEGER NOT NULL,
    zone        TEXT    NOT NULL,
    session_id  TEXT,
    shared      INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((systolic IS NULL) = (diastolic IS NULL)),
    CHECK (systolic IS NOT NULL OR heart_rate IS NOT NULL)
);
CREATE INDEX vitals_by_time ON vitals (taken_at, id);

-- Moments the app put help on screen, e.g. a PHQ-9 item-9 answer above 0.
CREATE TABLE safety_event (
    id            TEXT    PRIMARY KEY NOT NULL,
    kind          TEXT    NOT NULL,
    occurred_at   INTEGER NOT NULL,
    zone          TEXT    NOT NULL,
    assessment_id TEXT    REFERENCES assessment (id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX safety_event_by_time ON safety_event (occurred_at, id);

-- The result the patient picked as their baseline, per instrument.
CREATE TABLE baseline (
    instrument    TEXT PRIMARY KEY NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    assessment_id TEXT NOT NULL REFERENCES assessment (id)
);

-- How often each measure is due; an instrument without a row uses the default.
CREATE TABLE measure_schedule (
    instrument  TEXT    PRIMARY KEY NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    every_days  INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 366),
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1))
);
