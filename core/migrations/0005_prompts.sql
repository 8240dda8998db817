-- An answer to an integration prompt is a journal entry linked to its
-- dosing session and to the prompt it answers.
ALTER TABLE checkin ADD COLUMN session_id TEXT;
ALTER TABLE checkin ADD COLUMN prompt_id TEXT;
CREATE INDEX checkin_by_session_prompt ON checkin (session_id, prompt_id) WHERE session_id IS NOT NULL;
