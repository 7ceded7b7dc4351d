-- Retention periods an administrator set (RetentionSettings, issue #13): one row for the whole
-- platform (scope '*', which no meeting id can be) and one per meeting that has its own. A NULL
-- period follows the next level (meeting → platform → the archive.retention.* configuration).
-- Same shared-SQL rule as V1.
CREATE TABLE retention_settings (
    scope            VARCHAR                  NOT NULL PRIMARY KEY,
    recordings_days  INTEGER                           CHECK (recordings_days BETWEEN 1 AND 36500),
    transcripts_days INTEGER                           CHECK (transcripts_days BETWEEN 1 AND 36500),
    set_by           VARCHAR                  NOT NULL,
    set_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
