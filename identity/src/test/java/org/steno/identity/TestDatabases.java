package org.steno.identity;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Behind {@link OnBothDatabases}: each test runs on H2 (PostgreSQL mode, a temporary file)
 * and on a real PostgreSQL, because H2's compatibility mode is not PostgreSQL.
 *
 * <p>The PostgreSQL is {@code STENO_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/steno_test}) as {@code STENO_TEST_PG_USER} /
 * {@code STENO_TEST_PG_PASSWORD} (default {@code steno_test} / {@code steno_test}); {@code ./steno test}
 * starts the Debian cluster and creates that role and database when run as root. Each test
 * gets a schema of its own ({@code currentSchema=} in the URL), dropped afterwards. When the
 * server cannot be reached the PostgreSQL variant is skipped, or fails when
 * {@code STENO_REQUIRE_POSTGRES=1} (CI), so a missing server cannot pass for a green run.
 */
final class TestDatabases implements TestTemplateInvocationContextProvider {

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/steno_test";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestDatabases.class);

    /** Checked once per JVM: null when reachable, else why not. */
    private static volatile String unreachable;
    private static volatile boolean checked;

    static String pgUrl() {
        return env("STENO_TEST_PG_URL", DEFAULT_URL);
    }

    static String pgUser() {
        return env("STENO_TEST_PG_USER", "steno_test");
    }

    static String pgPassword() {
        return env("STENO_TEST_PG_PASSWORD", "steno_test");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String urlWithSchema(String schema) {
        String url = pgUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static Connection adminConnection() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pgUser());
        p.setProperty("password", pgPassword());
        p.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(pgUrl(), p);
    }

    private static synchronized String whyUnreachable() {
        if (!checked) {
            try (Connection c = adminConnection()) {
                unreachable = c.isValid(3) ? null : "the connection is not usable";
            } catch (SQLException e) {
                unreachable = e.getMessage();
            }
            checked = true;
        }
        return unreachable;
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(invocation(TestDatabase.Kind.H2), invocation(TestDatabase.Kind.POSTGRESQL));
    }

    private static TestTemplateInvocationContext invocation(TestDatabase.Kind kind) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return kind == TestDatabase.Kind.H2 ? "[h2]" : "[postgresql]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new PerTest(kind));
            }
        };
    }

    /** Creates the database before the test (and its @BeforeEach), hands it in, removes it after. */
    private static final class PerTest implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private final TestDatabase.Kind kind;

        PerTest(TestDatabase.Kind kind) {
            this.kind = kind;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            TestDatabase db;
            if (kind == TestDatabase.Kind.H2) {
                db = TestDatabase.h2();
            } else {
                String why = whyUnreachable();
                if (why != null) {
                    String sentence = "PostgreSQL is not reachable at " + pgUrl() + " as " + pgUser() + " (" + why
                            + "): start it with ./steno test as root, which starts the Debian cluster "
                            + "(pg_ctlcluster <version> main start) and creates the steno_test role and database, "
                            + "or point STENO_TEST_PG_URL, STENO_TEST_PG_USER and STENO_TEST_PG_PASSWORD at a server";
                    if ("1".equals(System.getenv("STENO_REQUIRE_POSTGRES"))) {
                        throw new AssertionError(sentence);
                    }
                    Assumptions.abort(sentence + " (skipped: STENO_REQUIRE_POSTGRES is not 1)");
                }
                db = TestDatabase.postgresql("t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            }
            context.getStore(NS).put(TestDatabase.class, db);
        }

        @Override
        public void afterEach(ExtensionContext context) throws Exception {
            TestDatabase db = context.getStore(NS).remove(TestDatabase.class, TestDatabase.class);
            if (db != null) {
                db.cleanUp();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
            return p.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext context) {
            return context.getStore(NS).get(TestDatabase.class, TestDatabase.class);
        }
    }
}
