-- Legal holds (LegalHolds): a meeting under hold keeps every recording and transcript past its
-- retention period until the hold is released. One row per held meeting; releasing deletes it
-- (the audit log keeps who placed and released it, and why). Same shared-SQL rule as V1.
CREATE TABLE legal_holds (
    meeting_id VARCHAR                  NOT NULL PRIMARY KEY,
    reason     VARCHAR                  NOT NULL,
    placed_by  VARCHAR                  NOT NULL,
    placed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
