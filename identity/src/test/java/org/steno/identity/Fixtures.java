package org.steno.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

final class Fixtures {
    private Fixtures() {
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
