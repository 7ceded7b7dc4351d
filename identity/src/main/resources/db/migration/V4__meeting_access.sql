-- Who gets into a meeting (issue #12; see identity/README.md, "Meetings"). Same shared-SQL rule as V1.
-- 'public': anyone with the link; 'trusted': signed-in people enter, guests wait in the lobby;
-- 'restricted': only the owner, hosts and invited people enter. Meetings made before this
-- migration keep their old behaviour: anyone with the link entered.
ALTER TABLE meetings ADD COLUMN access_level VARCHAR NOT NULL DEFAULT 'public'
    CHECK (access_level IN ('public', 'trusted', 'restricted'));

-- People the owner named: co-hosts ('host') and invited people ('invited'), by username
-- (an OIDC account's username is its verified e-mail when the provider gives one), lower case.
-- A username without an account yet is kept: the person is recognised when they first sign in.
CREATE TABLE meeting_members (
    meeting_id VARCHAR NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member     VARCHAR NOT NULL,
    role       VARCHAR NOT NULL CHECK (role IN ('host', 'invited')),
    PRIMARY KEY (meeting_id, member)
);
