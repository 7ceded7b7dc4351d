package org.steno.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Platform accounts in table {@code accounts}: local ones with an Argon2id password, and OIDC
 * ones mirrored from the identity provider at each sign-in. Usernames are unique across both.
 * Writes no audit entries itself: the caller knows who asked and from where.
 */
public final class Accounts {

    /** The one account {@link #bootstrapAdmin} creates. */
    public static final String BOOTSTRAP_USERNAME = "admin";
    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_DISPLAY_NAME = 100;

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, username, display_name, roles, source, disabled, created_at";

    private final Database database;
    private final Clock clock;
    private final PasswordHasher hasher;
    /**
     * Verified against when the username is unknown, so that answer takes as long as a wrong
     * password and the timing does not tell which usernames exist. Made with this hasher, so
     * with the same cost parameters as real hashes.
     */
    private final String dummyHash;

    public Accounts(Database database, Clock clock, PasswordHasher hasher) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.dummyHash = hasher.hash(PasswordHasher.generatePassword().toCharArray());
    }

    /** A new local account; throws {@link AccountException} naming what is wrong with the input. */
    public Account createLocal(String username, String displayName, char[] password, Set<PlatformRole> roles) {
        String name = checkUsername(username);
        String display = checkDisplayName(displayName);
        checkPassword(password);
        Account a = new Account(Account.LOCAL + ":" + name, name, display, roles, Account.LOCAL, false, now());
        try (Connection c = database.connection()) {
            insert(c, a, hasher.hash(password));
            return a;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new AccountException("the username " + name + " is already taken");
            }
            throw new DatabaseException("cannot create the account " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The account of someone who signed in at an OIDC provider, created at the first sign-in
     * and brought up to date (username, display name, roles) at every later one; whether it is
     * disabled stays as an admin set it. The id depends only on issuer and subject, which the
     * provider never reassigns, so a renamed user keeps their account. A blank display name
     * (providers often omit the claim) becomes the username. Throws {@link AccountException}
     * when the username is invalid or belongs to another account: a provider's user never
     * takes over an existing account by name.
     */
    public Account upsertExternal(String issuer, String subject, String username, String displayName,
                                  Set<PlatformRole> roles) {
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("an OIDC account needs both an issuer and a subject");
        }
        String name = checkUsername(username);
        String display = checkDisplayName(displayName == null || displayName.isBlank() ? name : displayName);
        Objects.requireNonNull(roles, "roles");
        String id = externalId(issuer, subject);
        // Two sign-ins of a new user at once can both find no row; the second INSERT then
        // fails on the primary key and its retry finds the row and updates it.
        for (int attempt = 0; ; attempt++) {
            try (Connection c = database.connection()) {
                Optional<Account> existing = find(c, id);
                if (existing.isPresent()) {
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE accounts SET username = ?, display_name = ?, roles = ? WHERE id = ?")) {
                        u.setString(1, name);
                        u.setString(2, display);
                        u.setString(3, PlatformRole.format(roles));
                        u.setString(4, id);
                        u.executeUpdate();
                    }
                    Account old = existing.get();
                    return new Account(id, name, display, roles, Account.OIDC, old.disabled(), old.createdAt());
                }
                Account a = new Account(id, name, display, roles, Account.OIDC, false, now());
                insert(c, a, null);
                return a;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new DatabaseException("cannot store the OIDC account " + name + ": " + e.getMessage(), e);
                }
                Optional<Account> holder = byUsername(name);
                if (holder.isPresent() && !holder.get().id().equals(id)) {
                    throw new AccountException("the username " + name + " is already taken by another account");
                }
                if (attempt > 0) {
                    throw new DatabaseException("cannot store the OIDC account " + name + " (after one retry): "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** "oidc:" + the first 24 hex digits of SHA-256(issuer + "\n" + subject): 96 bits, no collisions in practice. */
    public static String externalId(String issuer, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((issuer + "\n" + subject).getBytes(StandardCharsets.UTF_8));
            return Account.OIDC + ":" + HexFormat.of().formatHex(digest).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The account, when {@code username} names an enabled local account and the password is
     * right; empty otherwise, with no hint which part was wrong. Always runs one Argon2
     * verification, so unknown, OIDC and disabled accounts answer as slowly as a wrong password.
     */
    public Optional<Account> authenticate(String username, char[] password) {
        if (password == null) {
            return Optional.empty();
        }
        String stored = null;
        Account account = null;
        if (username != null) {
            try (Connection c = database.connection();
                 PreparedStatement q = c.prepareStatement(
                         "SELECT " + COLUMNS + ", password_hash FROM accounts WHERE username = ?")) {
                q.setString(1, normalize(username));
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        account = read(rs);
                        stored = rs.getString("password_hash");
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseException("cannot look up an account to sign in: " + e.getMessage(), e);
            }
        }
        boolean ok = hasher.verify(password, stored != null ? stored : dummyHash) && stored != null;
        if (!ok || !account.isLocal() || account.disabled()) {
            return Optional.empty();
        }
        return Optional.of(account);
    }

    public Optional<Account> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        try (Connection c = database.connection()) {
            return find(c, id);
        } catch (SQLException e) {
            throw new DatabaseException("cannot read account " + LogText.escape(id) + ": " + e.getMessage(), e);
        }
    }

    /** Case-insensitive: usernames are stored in lower case. */
    public Optional<Account> byUsername(String username) {
        if (username == null) {
            return Optional.empty();
        }
        List<Account> found = select("SELECT " + COLUMNS + " FROM accounts WHERE username = ?", normalize(username));
        return found.stream().findFirst();
    }

    /** Every account, ordered by username. */
    public List<Account> list() {
        return select("SELECT " + COLUMNS + " FROM accounts ORDER BY username", null);
    }

    public long count() {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM accounts");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new DatabaseException("cannot count the accounts: " + e.getMessage(), e);
        }
    }

    /**
     * The account can no longer sign in, and {@link Sessions#resolve} refuses its sessions
     * from the next request on. {@link #enable} brings back those that have not expired; call
     * {@link Sessions#revokeAll} as well when they must not come back.
     */
    public void disable(String username) {
        update(username, "UPDATE accounts SET disabled = TRUE WHERE username = ?", null, "disable");
    }

    public void enable(String username) {
        update(username, "UPDATE accounts SET disabled = FALSE WHERE username = ?", null, "enable");
    }

    /**
     * Gives a local account a new generated password and returns it, to be shown once to the
     * admin. Existing sessions stay valid: call {@link Sessions#revokeAll} to end them too.
     */
    public String resetPassword(String username) {
        Account a = byUsername(username).orElseThrow(() -> unknown(username));
        if (!a.isLocal()) {
            throw new AccountException(a.username() + " signs in through OIDC, so their password is set at the identity provider");
        }
        String password = PasswordHasher.generatePassword();
        update(username, "UPDATE accounts SET password_hash = ? WHERE username = ?",
                hasher.hash(password.toCharArray()), "reset the password of");
        return password;
    }

    /** Replaces the roles. For an OIDC account the provider's roles replace them again at its next sign-in. */
    public void setRoles(String username, Set<PlatformRole> roles) {
        update(username, "UPDATE accounts SET roles = ? WHERE username = ?",
                PlatformRole.format(Objects.requireNonNull(roles, "roles")), "set the roles of");
    }

    /**
     * On a database without any account, creates the local account "admin" (roles admin and
     * agent) with a generated password and returns that password, for the launcher to print
     * once. Empty when there is any account already, including when another process
     * bootstrapping at the same moment won: the INSERT only happens while the table is empty,
     * and the primary key stops the second of two that both saw it empty.
     */
    public Optional<String> bootstrapAdmin() {
        if (count() > 0) {
            return Optional.empty(); // every start after the first: skip the Argon2 work
        }
        String password = PasswordHasher.generatePassword();
        Account a = new Account(Account.LOCAL + ":" + BOOTSTRAP_USERNAME, BOOTSTRAP_USERNAME, "Administrator",
                EnumSet.of(PlatformRole.ADMIN, PlatformRole.AGENT), Account.LOCAL, false, now());
        String hash = hasher.hash(password.toCharArray());
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (" + COLUMNS + ", password_hash) "
                     + "SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM accounts)")) {
            bind(insert, a, hash);
            return insert.executeUpdate() == 1 ? Optional.of(password) : Optional.empty();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw new DatabaseException("cannot create the first admin account: " + e.getMessage(), e);
        }
    }

    // --- validation -------------------------------------------------------------------

    private static String normalize(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static String checkUsername(String username) {
        String name = username == null ? "" : normalize(username);
        if (!USERNAME.matcher(name).matches()) {
            throw new AccountException("a username must be 1 to 64 characters long, start with a letter or digit "
                    + "and contain only letters, digits and . _ @ -");
        }
        return name;
    }

    private static String checkDisplayName(String displayName) {
        String d = displayName == null ? "" : displayName.strip();
        if (d.isEmpty()) {
            throw new AccountException("a display name must not be blank");
        }
        if (d.codePointCount(0, d.length()) > MAX_DISPLAY_NAME) {
            throw new AccountException("a display name must be at most " + MAX_DISPLAY_NAME + " characters long");
        }
        // Controls (newlines, escapes) would break one-line displays and logs; bidi overrides
        // could make one person's name render like another's.
        if (d.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL
                || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))) {
            throw new AccountException("a display name must not contain control characters");
        }
        return d;
    }

    private static void checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new AccountException("a password must be at least " + MIN_PASSWORD_LENGTH + " characters long");
        }
    }

    private static AccountException unknown(String username) {
        return new AccountException("there is no account named " + LogText.escape(username));
    }

    // --- SQL --------------------------------------------------------------------------

    private Instant now() {
        // Both databases keep microseconds; milliseconds make what is returned equal what is read back.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void update(String username, String sql, String value, String what) {
        try (Connection c = database.connection(); PreparedStatement u = c.prepareStatement(sql)) {
            int i = 1;
            if (value != null) {
                u.setString(i++, value);
            }
            u.setString(i, username == null ? "" : normalize(username));
            if (u.executeUpdate() == 0) {
                throw unknown(username);
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot " + what + " account " + LogText.escape(username) + ": " + e.getMessage(), e);
        }
    }

    private static void insert(Connection c, Account a, String passwordHash) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO accounts (" + COLUMNS + ", password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(insert, a, passwordHash);
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Account a, String passwordHash) throws SQLException {
        s.setString(1, a.id());
        s.setString(2, a.username());
        s.setString(3, a.displayName());
        s.setString(4, PlatformRole.format(a.roles()));
        s.setString(5, a.source());
        s.setBoolean(6, a.disabled());
        s.setObject(7, OffsetDateTime.ofInstant(a.createdAt(), ZoneOffset.UTC));
        s.setString(8, passwordHash);
    }

    private static Optional<Account> find(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM accounts WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private List<Account> select(String sql, String param) {
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(sql)) {
            if (param != null) {
                q.setString(1, param);
            }
            List<Account> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read the accounts: " + e.getMessage(), e);
        }
    }

    private static Account read(ResultSet rs) throws SQLException {
        return new Account(
                rs.getString("id"),
                rs.getString("username"),
                rs.getString("display_name"),
                PlatformRole.parseList(rs.getString("roles")),
                rs.getString("source"),
                rs.getBoolean("disabled"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
