-- The tamper-evident audit log (see identity/README.md, "How the chain works").
-- Written for both H2 (MODE=PostgreSQL, DATABASE_TO_LOWER=TRUE) and PostgreSQL 15:
-- only types and syntax the two share (BIGINT, VARCHAR without length, TIMESTAMP WITH TIME ZONE, CHECK).
CREATE TABLE audit_log (
    -- 1-based and contiguous; the primary key is the unique constraint that makes two
    -- writers racing for the same seq fail instead of forking the chain.
    seq       BIGINT                   NOT NULL PRIMARY KEY,
    -- millisecond precision: the hash covers epoch milliseconds, both databases keep at least that.
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    subject   VARCHAR                  NOT NULL,
    role      VARCHAR                  NOT NULL,
    address   VARCHAR                  NOT NULL,
    action    VARCHAR                  NOT NULL,
    resource  VARCHAR                  NOT NULL,
    outcome   VARCHAR(7)               NOT NULL CHECK (outcome IN ('ALLOWED', 'DENIED')),
    reason    VARCHAR                  NOT NULL,
    -- lowercase hex SHA-256; prev_hash of entry 1 is 64 zeros.
    prev_hash CHAR(64)                 NOT NULL,
    hash      CHAR(64)                 NOT NULL
);

-- query(from, to, subject, action, limit): auditors ask "what did X do last week".
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
