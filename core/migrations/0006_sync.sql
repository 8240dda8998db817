-- Sharing through the relay. A patient's profile has at most one live channel
-- (role 'patient'); a clinician's has one per patient (role 'clinician').
-- The channel secret is stored here, inside the encrypted database.
CREATE TABLE channel (
    id              TEXT    PRIMARY KEY NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('patient', 'clinician')),
    label           TEXT    NOT NULL DEFAULT '',
    relay_url       TEXT    NOT NULL,
    secret          BLOB    NOT NULL CHECK (length(secret) = 32),
    inbox_cursor    INTEGER NOT NULL DEFAULT 0,
    last_success_at INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    -- Unpaired here; the relay is told (DELETE) at the next sync.
    revoked_at      INTEGER,
    relay_deleted_at INTEGER
);
CREATE UNIQUE INDEX one_live_patient_channel ON channel (role) WHERE role = 'patient' AND revoked_at IS NULL;

-- Envelopes waiting for the relay, written in the transaction that made them.
CREATE TABLE outbox (
    id              TEXT    PRIMARY KEY NOT NULL,
    channel         TEXT    NOT NULL REFERENCES channel (id),
    kind            TEXT    NOT NULL,
    envelope        BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    sent_at         INTEGER,
    failed_at       INTEGER
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Every message applied from the relay, per channel, so a second delivery
-- changes nothing and a copy with other bytes under the same id is noticed.
CREATE TABLE inbox (
    channel    TEXT    NOT NULL REFERENCES channel (id),
    id         TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    digest     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (channel, id)
);

-- On a clinician's profile: the summaries patients shared, as received.
CREATE TABLE received_summary (
    channel     TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    summary     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (channel, id),
    FOREIGN KEY (channel, id) REFERENCES inbox (channel, id)
);

-- On a patient's profile: prompts their clinician assigned.
CREATE TABLE assigned_prompt (
    channel     TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (channel, id),
    FOREIGN KEY (channel, id) REFERENCES inbox (channel, id)
);
