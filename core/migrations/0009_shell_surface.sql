-- What the phone shells need from the store.

-- The ids of the notifications the shell last scheduled on the phone. Android
-- cannot list its pending alarms, so reconcile compares the plan with these.
CREATE TABLE notification_applied (
    id TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;

-- The patient orders each step of their safety plan; items keep the order
-- they were added in until then.
ALTER TABLE safety_plan_item ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE safety_plan_item SET position = (
    SELECT COUNT(*) FROM safety_plan_item AS earlier
    WHERE earlier.step = safety_plan_item.step
      AND (earlier.created_at, earlier.id) < (safety_plan_item.created_at, safety_plan_item.id)
);
DROP INDEX safety_plan_by_step;
CREATE INDEX safety_plan_by_step ON safety_plan_item (step, position, id);

-- Answers to a clinician's prompts, found without reading every check-in:
-- the reminder plan asks for them each time it is made.
CREATE INDEX checkin_prompt_answers ON checkin (prompt_id) WHERE prompt_id IS NOT NULL;
