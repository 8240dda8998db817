-- Treatment courses, their appointments, and each appointment's checklist.
-- An appointment keeps its local date-time and IANA zone, never a UTC instant,
-- so a later change in zone rules keeps 09:00 at 09:00.

CREATE TABLE course (
    id                        TEXT    PRIMARY KEY NOT NULL,
    template                  TEXT    NOT NULL CHECK (template IN ('iv_induction', 'esketamine', 'kap', 'custom')),
    title                     TEXT    NOT NULL,
    zone                      TEXT    NOT NULL,
    no_food_before_minutes    INTEGER CHECK (no_food_before_minutes BETWEEN 0 AND 1440),
    no_liquids_before_minutes INTEGER CHECK (no_liquids_before_minutes BETWEEN 0 AND 1440),
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL
);

CREATE TABLE appointment (
    id               TEXT    PRIMARY KEY NOT NULL,
    course_id        TEXT    REFERENCES course (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('dosing', 'preparation', 'integration', 'medical_check', 'other')),
    title            TEXT    NOT NULL,
    local_start      TEXT    NOT NULL,
    zone             TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    place            TEXT    NOT NULL DEFAULT '',
    notes            TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL CHECK (status IN ('scheduled', 'done', 'missed', 'cancelled')),
    done_at          INTEGER,
    ics_uid          TEXT    UNIQUE,
    ics_sequence     INTEGER CHECK (ics_sequence BETWEEN 0 AND 4294967295),
    -- 1 when a RECURRENCE-ID override gave it, which beats its series at the same SEQUENCE.
    ics_override     INTEGER NOT NULL DEFAULT 0 CHECK (ics_override IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    deleted_at       INTEGER
);
CREATE INDEX appointment_by_course ON appointment (course_id, local_start) WHERE deleted_at IS NULL;

CREATE TABLE checklist_item (
    appointment_id TEXT    NOT NULL REFERENCES appointment (id),
    item           TEXT    NOT NULL,
    checked_at     INTEGER NOT NULL,
    PRIMARY KEY (appointment_id, item)
);

-- The patient's reminder settings: one row, absent until changed.
-- Quiet hours are minutes after local midnight; equal start and end mean none.
CREATE TABLE reminder_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    appointment_offsets TEXT    NOT NULL,
    quiet_start_minute  INTEGER NOT NULL CHECK (quiet_start_minute BETWEEN 0 AND 1439),
    quiet_end_minute    INTEGER NOT NULL CHECK (quiet_end_minute BETWEEN 0 AND 1439),
    max_pending         INTEGER NOT NULL CHECK (max_pending BETWEEN 1 AND 1000),
    measures            INTEGER NOT NULL CHECK (measures IN (0, 1))
);
