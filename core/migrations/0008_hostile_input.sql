-- Messages from the other end that could not be applied, kept with their
-- envelope so none is lost: set aside after failing again and again
-- ('quarantined'), refused for what they hold ('refused'), or unreadable by
-- this version ('unreadable'). Each is tried again once another version of
-- Waymark runs (held_by_version differs).
CREATE TABLE inbox_held (
    channel         TEXT    NOT NULL REFERENCES channel (id),
    id              TEXT    NOT NULL,
    envelope        BLOB    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('quarantined', 'refused', 'unreadable')),
    reason          TEXT    NOT NULL,
    held_by_version TEXT    NOT NULL,
    held_at         INTEGER NOT NULL,
    -- 0 when it could not be opened (a newer envelope version): anyone on
    -- the way could have made it, so fewer such are kept.
    authenticated   INTEGER NOT NULL CHECK (authenticated IN (0, 1)),
    PRIMARY KEY (channel, id)
);

-- Tries at applying a message, counted before each try in a transaction of
-- its own, so a message that stops the app is counted all the same.
CREATE TABLE inbox_attempt (
    channel    TEXT    NOT NULL REFERENCES channel (id),
    id         TEXT    NOT NULL,
    attempts   INTEGER NOT NULL,
    last_error TEXT,
    PRIMARY KEY (channel, id)
);

-- Who ended sharing: 'here' sends the other end a Revoke and leaves the relay
-- alone until it is read; 'other' (a Revoke arrived) deletes the channel on
-- the relay. Unpairings from before Revoke existed finish as they began, by
-- deleting the channel on the relay, so they count as 'other'.
ALTER TABLE channel ADD COLUMN revoked_by TEXT CHECK (revoked_by IN ('here', 'other'));
UPDATE channel SET revoked_by = 'other' WHERE revoked_at IS NOT NULL;

-- Deleted check-ins wait in the bin for the undo window, then are purged.
CREATE INDEX checkin_bin ON checkin (deleted_at) WHERE deleted_at IS NOT NULL;
