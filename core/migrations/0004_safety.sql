-- The patient's settings (such as their region for crisis lines) and their
-- Stanley-Brown safety plan: one row per item, in the step it belongs to.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE safety_plan_item (
    id         TEXT    PRIMARY KEY NOT NULL,
    step       INTEGER NOT NULL CHECK (step BETWEEN 1 AND 6),
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX safety_plan_by_step ON safety_plan_item (step, created_at, id);
