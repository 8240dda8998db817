-- Entries imported from another app carry a key made from the source row,
-- so importing the same file again adds nothing.
ALTER TABLE checkin ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX checkin_by_import_key ON checkin (import_key) WHERE import_key IS NOT NULL;
