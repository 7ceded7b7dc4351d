package org.steno.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * The production setting: {@code db.url} pointing at a real PostgreSQL (Debian's, started by
 * {@code ./steno test}). Accounts, the meeting's owner and the audit log live there across a
 * restart, with nothing under data.dir but the other stores.
 */
class PostgresDeploymentTest {

    private static final String URL = System.getenv().getOrDefault("STENO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/steno_test");
    private static final String USER = System.getenv().getOrDefault("STENO_TEST_PG_USER", "steno_test");
    private static final String PASSWORD = System.getenv().getOrDefault("STENO_TEST_PG_PASSWORD", "steno_test");

    @TempDir
    Path dataDir;

    @Test
    void accountsOwnersAndTheAuditLogLiveInPostgresqlAcrossARestart() throws Exception {
        String schema = "t_server_" + Long.toHexString(System.nanoTime());
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        try {
            Map<String, String> env = TestConfigs.ephemeralEnv(dataDir);
            env.put("STENO_DB_URL", URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            env.put("STENO_DB_USER", USER);
            env.put("STENO_DB_PASSWORD", PASSWORD);
            String id;
            try (StenoProcess p = start(env)) {
                assertThat(p.readiness().get("identity").detail()).contains("PostgreSQL");
                id = WebSession.signIn(p, "pat", PlatformRole.AGENT).createMeeting("On PostgreSQL");
            }
            assertThat(dataDir.resolve("db")).as("no embedded database").doesNotExist();
            try (StenoProcess p = start(env)) {
                WebSession pat = WebSession.signIn(p, "pat");
                assertThat(pat.json(pat.post("/api/meetings/" + id + "/join", "{\"displayName\":\"Pat\"}")).path("role").asString())
                        .isEqualTo("host");
                assertThat(p.identity().auditLog().verify().ok()).isTrue();
                assertThat(p.identity().auditLog().all()).anySatisfy(e -> assertThat(e.action()).isEqualTo("CREATE_MEETING"));
            }
            try (Connection c = connect(); Statement st = c.createStatement()) {
                var rs = st.executeQuery("SELECT count(*) FROM " + schema + ".audit_log");
                rs.next();
                assertThat(rs.getLong(1)).as("the entries are in PostgreSQL").isGreaterThanOrEqualTo(4);
            }
        } finally {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static StenoProcess start(Map<String, String> env) throws Exception {
        PrintStream before = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            StenoProcess p = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new StenoPolicy());
            p.start();
            return p;
        } finally {
            System.setOut(before);
        }
    }

    /** PostgreSQL, or the test is skipped, unless ./steno test said it must be there. */
    private static Connection connect() {
        try {
            return DriverManager.getConnection(URL, USER, PASSWORD);
        } catch (SQLException e) {
            String why = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + e.getMessage()
                    + "); './steno test' as root starts Debian's cluster and creates that role and database";
            if ("1".equals(System.getenv("STENO_REQUIRE_POSTGRES"))) {
                throw new AssertionError(why, e);
            }
            Assumptions.abort(why);
            return null;
        }
    }
}
