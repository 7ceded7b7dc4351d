-- Meetings that outlive the process (MeetingStore). Same shared-SQL rule as V1.
CREATE TABLE meetings (
    id         VARCHAR                  NOT NULL PRIMARY KEY,
    -- an account id; no foreign key, so a meeting's record (and its place in the audit
    -- log) does not depend on the owner's account row staying as it is.
    owner_id   VARCHAR                  NOT NULL,
    title      VARCHAR                  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- byOwner(ownerId): newest first.
CREATE INDEX meetings_owner ON meetings (owner_id, created_at);
