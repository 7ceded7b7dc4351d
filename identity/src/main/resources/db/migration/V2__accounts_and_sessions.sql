-- Platform accounts and browser sessions (see identity/README.md, "Accounts and sessions").
-- Same rule as V1: only types and syntax H2 (MODE=PostgreSQL) and PostgreSQL 15 share.
CREATE TABLE accounts (
    -- "local:<username>" or "oidc:<24 hex of SHA-256(issuer, subject)>": never reused for someone else.
    id            VARCHAR                  NOT NULL PRIMARY KEY,
    -- lower case, [a-z0-9][a-z0-9._@-]{0,63}; unique across local and OIDC accounts so a
    -- name in the audit log or the admin page means one person.
    username      VARCHAR(64)              NOT NULL,
    display_name  VARCHAR                  NOT NULL,
    -- comma-separated PlatformRole ids ("admin,agent"), "" for none.
    roles         VARCHAR                  NOT NULL,
    source        VARCHAR(5)               NOT NULL CHECK (source IN ('local', 'oidc')),
    -- Argon2id PHC string; NULL for OIDC accounts, which never sign in with a password here.
    password_hash VARCHAR,
    disabled      BOOLEAN                  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT accounts_username UNIQUE (username)
);

CREATE TABLE sessions (
    -- lowercase hex SHA-256 of the cookie's token: a copy of this table cannot sign anyone in.
    id           CHAR(64)                 NOT NULL PRIMARY KEY,
    account_id   VARCHAR                  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    -- moved forward at most once a minute (Sessions.resolve), so idle expiry is that coarse.
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    csrf_token   VARCHAR                  NOT NULL
);

-- revokeAll(accountId) and purgeExpired().
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
