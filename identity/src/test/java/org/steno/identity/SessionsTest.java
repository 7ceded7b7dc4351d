package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.steno.identity.Fixtures.pw;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class SessionsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration MAX_AGE = Duration.ofHours(12);

    private final TestClock clock = new TestClock(T0);
    private Database db;
    private Accounts accounts;
    private Sessions sessions;
    private Account alice;

    @BeforeEach
    void open(TestDatabase t) {
        db = t.db();
        accounts = new Accounts(db, clock, Fixtures.fastHasher());
        sessions = new Sessions(db, clock, IDLE, MAX_AGE);
        alice = accounts.createLocal("alice", "Alice", pw("alice's password"), Set.of());
    }

    private int rows() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sessions")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Instant storedLastSeen(Session s) throws Exception {
        try (Connection c = db.connection();
             var q = c.prepareStatement("SELECT last_seen_at FROM sessions WHERE id = ?")) {
            q.setString(1, s.id());
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    @OnBothDatabases
    void anOpenedSessionResolvesFromItsToken() throws Exception {
        OpenedSession opened = sessions.open(alice.id());
        String token = opened.token();
        Session s = opened.session();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(s.id()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII))));
        assertThat(s.accountId()).isEqualTo("local:alice");
        assertThat(s.createdAt()).isEqualTo(T0);
        assertThat(s.lastSeenAt()).isEqualTo(T0);
        assertThat(s.expiresAt()).isEqualTo(T0.plus(MAX_AGE));
        assertThat(s.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(token);
        assertThat(sessions.resolve(token)).contains(s);

        OpenedSession another = sessions.open(alice.id());
        assertThat(another.token()).isNotEqualTo(token);
        assertThat(another.session().csrfToken()).isNotEqualTo(s.csrfToken());
        assertThat(rows()).isEqualTo(2);
    }

    @OnBothDatabases
    void opensOnlyForAnExistingEnabledAccount() {
        assertThatThrownBy(() -> sessions.open("local:nobody")).isInstanceOf(AccountException.class)
                .hasMessage("cannot sign in: the account does not exist or is disabled");
        accounts.disable("alice");
        assertThatThrownBy(() -> sessions.open(alice.id())).isInstanceOf(AccountException.class);
    }

    @OnBothDatabases
    void anIdleSessionExpiresAndIsDeleted() throws Exception {
        String token = sessions.open(alice.id()).token();
        clock.advance(IDLE);
        assertThat(sessions.resolve(token)).as("exactly the idle timeout: still alive").isPresent();
        clock.advance(IDLE.plusMillis(1));
        assertThat(sessions.resolve(token)).as("idle one millisecond too long").isEmpty();
        assertThat(rows()).isZero();
    }

    @OnBothDatabases
    void activityKeepsASessionUntilItsAbsoluteExpiry() throws Exception {
        String token = sessions.open(alice.id()).token();
        Instant end = T0.plus(MAX_AGE);
        while (clock.instant().plus(Duration.ofMinutes(20)).isBefore(end)) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.resolve(token)).as("at %s", clock.instant()).isPresent();
        }
        clock.advance(Duration.between(clock.instant(), end).minusMillis(1));
        assertThat(sessions.resolve(token)).as("a millisecond before the end").isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.resolve(token)).as("at expiresAt").isEmpty();
        assertThat(rows()).isZero();
    }

    @OnBothDatabases
    void lastSeenIsWrittenAtMostOnceAMinute() throws Exception {
        OpenedSession opened = sessions.open(alice.id());
        clock.advance(Duration.ofSeconds(59));
        assertThat(sessions.resolve(opened.token()).orElseThrow().lastSeenAt()).isEqualTo(T0);
        assertThat(storedLastSeen(opened.session())).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(1));
        Instant touched = T0.plusSeconds(60);
        assertThat(sessions.resolve(opened.token()).orElseThrow().lastSeenAt()).isEqualTo(touched);
        assertThat(storedLastSeen(opened.session())).isEqualTo(touched);

        clock.advance(Duration.ofSeconds(30));
        assertThat(sessions.resolve(opened.token()).orElseThrow().lastSeenAt()).isEqualTo(touched);
        assertThat(storedLastSeen(opened.session())).isEqualTo(touched);
    }

    @OnBothDatabases
    void revokeEndsOneSessionAndRevokeAllEveryOneOfAnAccount() {
        accounts.createLocal("bob", "Bob", pw("bob's password!"), Set.of());
        String a1 = sessions.open(alice.id()).token();
        String a2 = sessions.open(alice.id()).token();
        String a3 = sessions.open(alice.id()).token();
        String b1 = sessions.open("local:bob").token();

        sessions.revoke(a1);
        assertThat(sessions.resolve(a1)).isEmpty();
        assertThat(sessions.resolve(a2)).isPresent();
        sessions.revoke(a1); // twice is fine
        sessions.revoke("not a token");
        sessions.revoke(null);

        assertThat(sessions.revokeAll(alice.id())).isEqualTo(2);
        assertThat(sessions.resolve(a2)).isEmpty();
        assertThat(sessions.resolve(a3)).isEmpty();
        assertThat(sessions.resolve(b1)).isPresent();
        assertThat(sessions.revokeAll(alice.id())).isZero();
    }

    @OnBothDatabases
    void aDisabledAccountsSessionsAreRefused() {
        String token = sessions.open(alice.id()).token();
        accounts.disable("alice");
        assertThat(sessions.resolve(token)).isEmpty();
        accounts.enable("alice");
        assertThat(sessions.resolve(token)).as("not expired, so back with the account").isPresent();
    }

    @OnBothDatabases
    void garbageTokensResolveToNothing() {
        OpenedSession opened = sessions.open(alice.id());
        String token = opened.token();
        char flipped = token.charAt(10) == 'A' ? 'B' : 'A';
        String[] garbage = {
                null, "", " ", "abc", token + "x", token.substring(1), " " + token.substring(1),
                token.substring(0, 10) + flipped + token.substring(11), // well-formed, unknown
                token.substring(0, 42) + "=", token.substring(0, 42) + "+", token.replace(token.charAt(5), '/'),
                "' OR '1'='1' --" + "x".repeat(28),
                opened.session().id(),                                 // the stored hash is not a token
                opened.session().csrfToken(),                          // nor is the CSRF token
        };
        for (String g : garbage) {
            assertThat(sessions.resolve(g)).as("%s", g).isEmpty();
        }
        assertThat(sessions.resolve(token)).isPresent();
    }

    @OnBothDatabases
    void theRawTokenIsStoredNowhere() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            OpenedSession opened = sessions.open(alice.id());
            tokens.add(opened.token());
            assertThat(opened.toString()).doesNotContain(opened.token()).contains(opened.session().id());
        }
        List<String> stored = new ArrayList<>();
        for (String table : new String[] {"sessions", "accounts"}) {
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        String value = rs.getString(col);
                        if (value != null) {
                            stored.add(value);
                        }
                    }
                }
            }
        }
        assertThat(stored).hasSizeGreaterThan(3 * 6);
        for (String token : tokens) {
            assertThat(stored).noneMatch(v -> v.contains(token));
        }
    }

    @OnBothDatabases
    void purgeExpiredDeletesIdleAndOldSessions(TestDatabase t) throws Exception {
        Sessions shortLived = new Sessions(db, clock, IDLE, Duration.ofMinutes(40));
        String idle = shortLived.open(alice.id()).token();         // last seen at 0
        String old = shortLived.open(alice.id()).token();          // kept busy, but ends at 40
        clock.advance(Duration.ofMinutes(20));
        assertThat(shortLived.resolve(old)).isPresent();
        String fresh = shortLived.open(alice.id()).token();        // 20 to 60
        clock.advance(Duration.ofMinutes(11));                     // 31: idle is past its 30
        assertThat(shortLived.resolve(old)).isPresent();
        assertThat(shortLived.purgeExpired()).isEqualTo(1);
        assertThat(shortLived.resolve(idle)).isEmpty();
        clock.advance(Duration.ofMinutes(9));                      // 40: old reaches its absolute end
        assertThat(shortLived.purgeExpired()).isEqualTo(1);
        assertThat(shortLived.resolve(old)).isEmpty();
        assertThat(shortLived.resolve(fresh)).isPresent();
        assertThat(rows()).isEqualTo(1);
        assertThat(shortLived.purgeExpired()).isZero();
    }

    @OnBothDatabases
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> new Sessions(db, clock, Duration.ZERO, MAX_AGE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idleTimeout must be positive, was PT0S");
    }
}
