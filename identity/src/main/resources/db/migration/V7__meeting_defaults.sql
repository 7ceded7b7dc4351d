-- The owner's defaults of a meeting (issue #12): the language its captions are asked in when a
-- host turns them on without naming one, and whether recording starts when the meeting does.
-- Same shared-SQL rule as V1. Meetings made before this migration: English, no recording.
ALTER TABLE meetings ADD COLUMN captions_language VARCHAR NOT NULL DEFAULT 'en'
    CHECK (captions_language IN ('en', 'fr'));
ALTER TABLE meetings ADD COLUMN record_on_start BOOLEAN NOT NULL DEFAULT FALSE;
