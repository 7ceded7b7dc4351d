package org.steno.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Browser sessions in table {@code sessions}. The browser holds a random token; the table
 * holds only its SHA-256, so a leaked backup or a SQL injection elsewhere yields no usable
 * cookie. A session ends when revoked, when unused for longer than the idle timeout, at its
 * absolute expiry, or as soon as its account is disabled.
 */
public final class Sessions {

    /** last_seen_at is written at most this often per session: most requests then only read. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int TOKEN_BYTES = 32;
    /** 32 bytes in Base64url without padding; anything else is not one of ours and never reaches the database. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String COLUMNS = "s.id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.csrf_token";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Database database;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;

    public Sessions(Database database, Clock clock, Duration idleTimeout, Duration maxAge) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
        this.maxAge = positive(maxAge, "maxAge");
    }

    private static Duration positive(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * A new session for an enabled account. Throws {@link AccountException} when the account
     * does not exist or is disabled: the check and the INSERT are one statement, so a session
     * cannot be opened for an account disabled a moment before.
     */
    public OpenedSession open(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        String token = random();
        Instant now = now();
        Session s = new Session(idOf(token), accountId, now, now, now.plus(maxAge), random());
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO sessions (id, account_id, created_at, last_seen_at, expires_at, csrf_token) "
                             + "SELECT ?, id, ?, ?, ?, ? FROM accounts WHERE id = ? AND disabled = FALSE")) {
            insert.setString(1, s.id());
            insert.setObject(2, utc(s.createdAt()));
            insert.setObject(3, utc(s.lastSeenAt()));
            insert.setObject(4, utc(s.expiresAt()));
            insert.setString(5, s.csrfToken());
            insert.setString(6, accountId);
            if (insert.executeUpdate() == 0) {
                throw new AccountException("cannot sign in: the account does not exist or is disabled");
            }
            return new OpenedSession(token, s);
        } catch (SQLException e) {
            throw new DatabaseException("cannot open a session for account " + LogText.escape(accountId) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The live session for a cookie's token, or empty: for a missing or malformed token, an
     * unknown or revoked one, an expired session (deleted on the way), or an account that is
     * disabled or gone. Moves last_seen_at forward when it is a minute or more old, so idle
     * expiry is exact to within that minute.
     */
    public Optional<Session> resolve(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String id = idOf(token);
        Instant now = clock.instant();
        try (Connection c = database.connection()) {
            Session s;
            boolean accountOk;
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + ", a.disabled FROM sessions s "
                    + "LEFT JOIN accounts a ON a.id = s.account_id WHERE s.id = ?")) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    s = read(rs);
                    boolean disabled = rs.getBoolean("disabled");
                    accountOk = !rs.wasNull() && !disabled;
                }
            }
            if (expired(s, now)) {
                delete(c, id);
                return Optional.empty();
            }
            if (!accountOk) {
                return Optional.empty(); // kept: enabling the account again brings it back
            }
            Instant touched = now.truncatedTo(ChronoUnit.MILLIS);
            if (Duration.between(s.lastSeenAt(), touched).compareTo(TOUCH_INTERVAL) >= 0) {
                try (PreparedStatement u = c.prepareStatement("UPDATE sessions SET last_seen_at = ? WHERE id = ?")) {
                    u.setObject(1, utc(touched));
                    u.setString(2, id);
                    u.executeUpdate();
                }
                s = new Session(s.id(), s.accountId(), s.createdAt(), touched, s.expiresAt(), s.csrfToken());
            }
            return Optional.of(s);
        } catch (SQLException e) {
            throw new DatabaseException("cannot look up a session: " + e.getMessage(), e);
        }
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.expiresAt()) || s.lastSeenAt().plus(idleTimeout).isBefore(now);
    }

    /** Signs that browser out. Unknown or malformed tokens are ignored: signing out twice is fine. */
    public void revoke(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return;
        }
        try (Connection c = database.connection()) {
            delete(c, idOf(token));
        } catch (SQLException e) {
            throw new DatabaseException("cannot revoke a session: " + e.getMessage(), e);
        }
    }

    /** Signs the account out everywhere (after a password reset, when disabling it); returns how many sessions ended. */
    public int revokeAll(String accountId) {
        try (Connection c = database.connection();
             PreparedStatement d = c.prepareStatement("DELETE FROM sessions WHERE account_id = ?")) {
            d.setString(1, accountId);
            return d.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("cannot revoke the sessions of account " + LogText.escape(accountId) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Deletes every idle- or absolute-expired session; for a periodic job. Returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        try (Connection c = database.connection();
             PreparedStatement d = c.prepareStatement(
                     "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?")) {
            d.setObject(1, utc(now));
            d.setObject(2, utc(now.minus(idleTimeout)));
            return d.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("cannot purge expired sessions: " + e.getMessage(), e);
        }
    }

    /** The stored id of a token: lowercase hex SHA-256 of its ASCII characters. */
    static String idOf(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
            d.setString(1, id);
            d.executeUpdate();
        }
    }

    private static Session read(ResultSet rs) throws SQLException {
        return new Session(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getString("csrf_token"));
    }
}
