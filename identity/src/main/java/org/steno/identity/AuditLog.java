package org.steno.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained audit log in table {@code audit_log}. Every entry's hash
 * covers its content and the previous entry's hash (see {@link AuditChain}), so editing or
 * deleting a stored row is found by {@link #verify()}. Each appended entry is also written
 * as one ECS JSON line to the logger {@value #LOGGER}, a copy outside the database.
 */
public final class AuditLog {

    public static final String LOGGER = "steno.audit";
    /** SQLState for a unique/primary key violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS =
            "seq, at, subject, role, address, action, resource, outcome, reason, prev_hash, hash";

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    private final Database database;
    private final Clock clock;
    /** Test seam: runs after the head is read and before the INSERT, where another writer may slip in. */
    private final Runnable beforeInsert;
    /**
     * Appends read the head then insert: two threads doing that at once would both take the
     * same seq. The lock orders this JVM's appends; the primary key on seq catches another
     * process (a second server on the same PostgreSQL), which the retry then follows.
     */
    private final ReentrantLock appendLock = new ReentrantLock(true);

    public AuditLog(Database database, Clock clock) {
        this(database, clock, () -> { });
    }

    AuditLog(Database database, Clock clock, Runnable beforeInsert) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.beforeInsert = Objects.requireNonNull(beforeInsert, "beforeInsert");
    }

    /**
     * Escapes the text fields ({@link LogText}), assigns the next seq, the time (from the
     * clock, to the millisecond) and the hashes, inserts the entry in one transaction and
     * then logs it. Retries once when another process took the same seq.
     */
    public AuditEntry append(AuditRecord what) {
        Objects.requireNonNull(what, "what");
        AuditRecord clean = new AuditRecord(LogText.escape(what.subject()), LogText.escape(what.role()),
                LogText.escape(what.address()), LogText.escape(what.action()), LogText.escape(what.resource()),
                what.outcome(), LogText.escape(what.reason()));
        AuditEntry entry;
        appendLock.lock();
        try {
            try {
                entry = insertNext(clean);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new DatabaseException("cannot append to the audit log: " + e.getMessage(), e);
                }
                try {
                    entry = insertNext(clean); // the other writer's entry is now the head
                } catch (SQLException again) {
                    throw new DatabaseException("cannot append to the audit log (after one retry): "
                            + again.getMessage(), again);
                }
            }
        } finally {
            appendLock.unlock();
        }
        // Only committed entries are logged, so the log never shows an entry the database lacks.
        AUDIT.info(EcsLine.of(entry));
        return entry;
    }

    private AuditEntry insertNext(AuditRecord r) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                long seq = 1;
                String prevHash = AuditEntry.GENESIS;
                try (PreparedStatement head = c.prepareStatement(
                        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
                     ResultSet rs = head.executeQuery()) {
                    if (rs.next()) {
                        seq = rs.getLong(1) + 1;
                        prevHash = rs.getString(2);
                    }
                }
                beforeInsert.run();
                Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                String hash = AuditChain.hash(seq, time, r.subject(), r.role(), r.address(), r.action(),
                        r.resource(), r.outcome(), r.reason(), prevHash);
                AuditEntry e = new AuditEntry(seq, time, r.subject(), r.role(), r.address(), r.action(),
                        r.resource(), r.outcome(), r.reason(), prevHash, hash);
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setLong(1, e.seq());
                    insert.setObject(2, OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC));
                    insert.setString(3, e.subject());
                    insert.setString(4, e.role());
                    insert.setString(5, e.address());
                    insert.setString(6, e.action());
                    insert.setString(7, e.resource());
                    insert.setString(8, e.outcome().name());
                    insert.setString(9, e.reason());
                    insert.setString(10, e.prevHash());
                    insert.setString(11, e.hash());
                    insert.executeUpdate();
                }
                c.commit();
                return e;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            }
        }
    }

    /**
     * Entries in seq order. Every filter is optional (null): {@code from} inclusive,
     * {@code to} exclusive, {@code subject} and {@code action} exact matches; at most
     * {@code limit} entries (1 or more).
     */
    public List<AuditEntry> query(Instant from, Instant to, String subject, String action, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (from != null) {
            sql.append(" AND at >= ?");
            params.add(OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND at < ?");
            params.add(OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        }
        if (subject != null) {
            sql.append(" AND subject = ?");
            params.add(subject);
        }
        if (action != null) {
            sql.append(" AND action = ?");
            params.add(action);
        }
        sql.append(" ORDER BY seq LIMIT ?");
        params.add(limit);
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                q.setObject(i + 1, params.get(i));
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot query the audit log: " + e.getMessage(), e);
        }
    }

    /**
     * The newest entries about one resource ({@code meeting:<id>}), at most {@code limit}, in seq
     * order: for a meeting's evidence export (the newest, so that entries anyone can cause — refused
     * requests — cannot push a hold or an export out). No index on the resource: a scan of the
     * table, fine for an export now and then.
     */
    public List<AuditEntry> aboutResource(String resource, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE resource = ? ORDER BY seq DESC LIMIT ?")) {
            q.setString(1, resource);
            q.setInt(2, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            java.util.Collections.reverse(out);
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot query the audit log: " + e.getMessage(), e);
        }
    }

    /** Every entry in seq order: for exports. */
    public List<AuditEntry> all() {
        return query(null, null, null, null, Integer.MAX_VALUE);
    }

    /**
     * Reads the whole table in seq order, streaming, and checks the chain. Finds edited,
     * deleted and reordered rows; cannot find rows deleted from the end (see
     * {@link #verify(long, String)} and the README).
     */
    public VerifyResult verify() {
        return verifyStreaming().result();
    }

    /**
     * {@link #verify()}, and also that the log still reaches an anchor: a seq and hash
     * recorded elsewhere (the {@code steno.audit.seq}/{@code hash} of a shipped log line, a
     * value printed in a report). This finds entries removed from the end, which the chain
     * alone cannot.
     */
    public VerifyResult verify(long anchorSeq, String anchorHash) {
        AuditChain.Verifier v = verifyStreaming();
        VerifyResult chain = v.result();
        if (!chain.ok()) {
            return chain;
        }
        List<AuditEntry> anchor = querySeq(anchorSeq);
        if (anchor.isEmpty()) {
            return VerifyResult.broken(chain.checked(), chain.checked() + 1, "the log ends at entry " + chain.checked()
                    + " but entry " + anchorSeq + " was recorded before: entries were removed from the end");
        }
        if (!anchor.get(0).hash().equals(anchorHash)) {
            return VerifyResult.broken(chain.checked(), anchorSeq, "entry " + anchorSeq
                    + " is not the one recorded before: its hash differs from the anchor");
        }
        return VerifyResult.intact(chain.checked(), chain.message() + ", reaching anchor entry " + anchorSeq);
    }

    private List<AuditEntry> querySeq(long seq) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq = ?")) {
            q.setLong(1, seq);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read audit entry " + seq + ": " + e.getMessage(), e);
        }
    }

    private AuditChain.Verifier verifyStreaming() {
        AuditChain.Verifier verifier = new AuditChain.Verifier();
        try (Connection c = database.connection()) {
            // PostgreSQL only streams (fetch size honoured) inside a transaction.
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
                q.setFetchSize(500);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next() && verifier.accept(read(rs))) {
                        // stops at the first broken entry
                    }
                }
            } finally {
                c.rollback(); // read-only
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot read the audit log to verify it: " + e.getMessage(), e);
        }
        return verifier;
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("subject"),
                rs.getString("role"),
                rs.getString("address"),
                rs.getString("action"),
                rs.getString("resource"),
                Outcome.valueOf(rs.getString("outcome")),
                rs.getString("reason"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
