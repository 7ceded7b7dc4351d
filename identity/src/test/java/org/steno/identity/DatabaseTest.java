package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dataDir;

    @OnBothDatabases
    void migratesOnceAndKeepsEntriesAcrossARestart(TestDatabase t) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00.123Z"));
        List<AuditEntry> written;
        try (Database db = t.open()) {
            assertThat(db.migrationsApplied()).isEqualTo(8); // V1–V8
            if (t.isH2()) {
                assertThat(t.dataDir().resolve("db").resolve("steno.mv.db")).exists();
            }
            List<String> versions = new ArrayList<>();
            try (Connection c = db.connection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT version, success FROM flyway_schema_history "
                         + "WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rs.next()) {
                    assertThat(rs.getBoolean(2)).as("migration %s succeeded", rs.getString(1)).isTrue();
                    versions.add(rs.getString(1));
                }
            }
            assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
            AuditLog log = new AuditLog(db, clock);
            for (int i = 1; i <= 3; i++) {
                log.append(Fixtures.record(i));
            }
            written = log.all();
        }

        try (Database again = t.open()) {
            assertThat(again.migrationsApplied()).as("schema already current after restart").isZero();
            AuditLog log = new AuditLog(again, clock);
            assertThat(log.all()).containsExactlyElementsOf(written);
            assertThat(log.verify().ok()).isTrue();
            // The chain continues from the stored head, not from scratch.
            AuditEntry fourth = log.append(Fixtures.record(4));
            assertThat(fourth.seq()).isEqualTo(4);
            assertThat(fourth.prevHash()).isEqualTo(written.get(2).hash());
            assertThat(written.get(0).time()).isEqualTo(Instant.parse("2025-03-01T10:00:00.123Z"));
        }
    }

    @Test
    void embeddedUrlIsUnderDataDirInPostgresMode() {
        String url = Database.embeddedUrl(dataDir);
        assertThat(url).startsWith("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("steno"))
                .contains(";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    @Test
    void anUnreachableDatabaseFailsWithASentenceAndNoPassword() {
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/steno?password=hunter2", "steno", "x"))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot connect to the database at jdbc:postgresql://127.0.0.1:1/steno")
                .hasMessageNotContaining("hunter2");
    }
}
