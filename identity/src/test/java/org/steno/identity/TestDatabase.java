package org.steno.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One test's own database: an H2 file in a temporary directory, or a schema of its own on
 * the test PostgreSQL. {@link #db()} is opened on first use; {@link #open()} opens the same
 * database again, as a restarted server would. Everything is closed and removed afterwards.
 */
final class TestDatabase {

    enum Kind { H2, POSTGRESQL }

    private final Kind kind;
    private final Path h2Dir;          // H2 only
    private final String schema;       // PostgreSQL only
    private final List<Database> opened = new ArrayList<>();
    private Database current;

    private TestDatabase(Kind kind, Path h2Dir, String schema) {
        this.kind = kind;
        this.h2Dir = h2Dir;
        this.schema = schema;
    }

    static TestDatabase h2() {
        try {
            return new TestDatabase(Kind.H2, Files.createTempDirectory("steno-h2-"), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty schema: tests never see each other's tables, even run in parallel. */
    static TestDatabase postgresql(String schema) throws SQLException {
        try (Connection c = TestDatabases.adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return new TestDatabase(Kind.POSTGRESQL, null, schema);
    }

    Kind kind() {
        return kind;
    }

    boolean isH2() {
        return kind == Kind.H2;
    }

    /** The H2 data directory (what {@link Database#embedded} takes); H2 only. */
    Path dataDir() {
        if (!isH2()) {
            throw new IllegalStateException("only the H2 variant has a data directory");
        }
        return h2Dir;
    }

    /** The database of this test, opened (and migrated) on first use. */
    Database db() {
        if (current == null) {
            open();
        }
        return current;
    }

    /** Opens the same database again (a restart); close the previous one first to be realistic. */
    Database open() {
        Database d = isH2() ? Database.embedded(h2Dir)
                : Database.open(TestDatabases.urlWithSchema(schema), TestDatabases.pgUser(), TestDatabases.pgPassword());
        opened.add(d);
        current = d;
        return d;
    }

    /** Plain SQL on a fresh connection, bypassing the classes under test. */
    int sql(String statement) throws SQLException {
        return Fixtures.sql(db(), statement);
    }

    void cleanUp() throws Exception {
        opened.forEach(Database::close);
        if (isH2()) {
            try (Stream<Path> files = Files.walk(h2Dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else {
            try (Connection c = TestDatabases.adminConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Override
    public String toString() {
        return isH2() ? "h2" : "postgresql";
    }
}
