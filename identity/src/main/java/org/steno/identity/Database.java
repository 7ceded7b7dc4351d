package org.steno.identity;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The platform's relational database: a connection pool, migrated to the current schema
 * before anyone can use it. The same migrations run on the embedded H2 file database (the
 * default, nothing to install) and on PostgreSQL 15 (production), so there is one schema.
 */
public final class Database implements AutoCloseable {

    /**
     * H2 in PostgreSQL compatibility mode, lower-case identifiers and NULLs sorted last, so
     * SQL written against it behaves the same on PostgreSQL.
     */
    private static final String EMBEDDED_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private final HikariDataSource pool;
    private final int migrationsApplied;

    private Database(HikariDataSource pool, int migrationsApplied) {
        this.pool = pool;
        this.migrationsApplied = migrationsApplied;
    }

    /**
     * Opens a pool on {@code jdbcUrl} and applies every pending migration from
     * {@code classpath:db/migration}. Fails, with the pool closed, if the database cannot be
     * reached or a migration fails: a half-migrated schema must not serve requests.
     */
    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("steno-db");
        config.setMaximumPoolSize(10);
        // Fail at startup, on the first attempt, not at the first audited request: the
        // launcher turns the exception into one sentence and exit code 2.
        config.setInitializationFailTimeout(1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DatabaseException("cannot connect to the database at " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        try {
            int applied = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate()
                    .migrationsExecuted;
            return new Database(pool, applied);
        } catch (RuntimeException e) { // FlywayException, or the driver failing mid-migration
            pool.close();
            throw new DatabaseException("cannot migrate the database at " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    /** The embedded default: an H2 file database {@code <dataDir>/db/steno.mv.db}. */
    public static Database embedded(Path dataDir) {
        Path dir = dataDir.resolve("db").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DatabaseException("cannot create the database directory " + dir + ": " + e.getMessage(), e);
        }
        // The file is only reachable by whoever can read data.dir; no network listener, so
        // a fixed local user without password protects nothing less than the files do.
        return open(embeddedUrl(dataDir), "steno", "");
    }

    /** The JDBC URL {@link #embedded} uses, e.g. to open the same file with a SQL console. */
    public static String embeddedUrl(Path dataDir) {
        Path file = dataDir.resolve("db").resolve("steno").toAbsolutePath();
        return "jdbc:h2:file:" + file.toString().replace('\\', '/') + EMBEDDED_OPTIONS;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** A pooled connection; closing it gives it back. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** How many migrations {@link #open} applied: 0 when the schema was already current. */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    @Override
    public void close() {
        // Closing the last connection also closes the H2 file cleanly (DB_CLOSE_DELAY=0).
        pool.close();
    }

    /** URLs may carry credentials as parameters (PostgreSQL's ?password=); never print them. */
    private static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
