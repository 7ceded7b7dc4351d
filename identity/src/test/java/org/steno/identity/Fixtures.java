package org.steno.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

final class Fixtures {
    private Fixtures() {
    }

    /**
     * Argon2id at 64 KiB and one pass: a few milliseconds instead of ~100 at the real
     * parameters, which matters with dozens of hashes on a 2-core machine. The real
     * parameters are tested once, in PasswordHasherTest.
     */
    static PasswordHasher fastHasher() {
        return new PasswordHasher(64, 1);
    }

    static char[] pw(String s) {
        return s.toCharArray();
    }

    static AuditRecord record(int i) {
        return new AuditRecord("user-" + i, "host,participant", "192.0.2." + (i % 250), i % 2 == 0 ? "JOIN" : "DOWNLOAD",
                "meeting:m" + i, i % 3 == 0 ? Outcome.DENIED : Outcome.ALLOWED, "reason " + i);
    }

    /** What an attacker with write access to the database does: plain SQL, bypassing AuditLog. */
    static int sql(Database db, String statement) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        }
    }
}
