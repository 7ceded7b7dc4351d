package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.steno.identity.Fixtures.pw;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;

class AccountsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123Z");
    private static final String ISSUER = "https://sso.example.org/realms/staff";

    private final TestClock clock = new TestClock(T0);
    private Accounts accounts;

    @BeforeEach
    void open(TestDatabase t) {
        accounts = new Accounts(t.db(), clock, Fixtures.fastHasher());
    }

    private Account alice() {
        return accounts.createLocal("alice", "Alice Liddell", pw("alice's password"), EnumSet.of(PlatformRole.AGENT));
    }

    @OnBothDatabases
    void createdAccountsAreFoundByIdAndCaseInsensitiveUsername() {
        Account a = accounts.createLocal("Alice", "  Alice Liddell ", pw("alice's password"),
                EnumSet.of(PlatformRole.AGENT, PlatformRole.AUDITOR));
        assertThat(a).isEqualTo(new Account("local:alice", "alice", "Alice Liddell",
                EnumSet.of(PlatformRole.AGENT, PlatformRole.AUDITOR), "local", false, T0));
        assertThat(accounts.find("local:alice")).contains(a);
        assertThat(accounts.byUsername("ALICE")).contains(a);
        assertThat(accounts.find("local:nobody")).isEmpty();
        assertThat(accounts.find(null)).isEmpty();
        assertThat(accounts.byUsername("nobody")).isEmpty();
        assertThat(accounts.count()).isEqualTo(1);
        assertThatThrownBy(() -> a.roles().add(PlatformRole.ADMIN)).isInstanceOf(UnsupportedOperationException.class);
    }

    @OnBothDatabases
    void aTakenUsernameIsRefusedWhateverItsCase() {
        alice();
        assertThatThrownBy(() -> accounts.createLocal("ALICE", "Another Alice", pw("another password"), Set.of()))
                .isInstanceOf(AccountException.class).hasMessage("the username alice is already taken");
        assertThat(accounts.count()).isEqualTo(1);
    }

    @OnBothDatabases
    void invalidInputIsRefusedWithASentenceAndNothingStored() {
        String usernameRule = "a username must be 1 to 64 characters long, start with a letter or digit "
                + "and contain only letters, digits and . _ @ -";
        for (String bad : new String[] {null, "", "-bob", ".bob", "bob smith", "bob/x", "bob\n", "böb", "a".repeat(65)}) {
            assertThatThrownBy(() -> accounts.createLocal(bad, "Bob", pw("long enough pw"), Set.of()))
                    .as("%s", bad).isInstanceOf(AccountException.class).hasMessage(usernameRule);
        }
        assertThatThrownBy(() -> accounts.createLocal("bob", "Bob", pw("11 chars..."), Set.of()))
                .hasMessage("a password must be at least 12 characters long");
        assertThatThrownBy(() -> accounts.createLocal("bob", "Bob", null, Set.of()))
                .hasMessage("a password must be at least 12 characters long");
        for (String blank : new String[] {null, "", "   ", "\t"}) {
            assertThatThrownBy(() -> accounts.createLocal("bob", blank, pw("long enough pw"), Set.of()))
                    .hasMessage("a display name must not be blank");
        }
        assertThatThrownBy(() -> accounts.createLocal("bob", "b".repeat(101), pw("long enough pw"), Set.of()))
                .hasMessage("a display name must be at most 100 characters long");
        for (String control : new String[] {"Bob\nSmith", "Bob\u0000", "Bob\u001b[2J", "Bob\u2028Smith", "\u202Eboj"}) {
            assertThatThrownBy(() -> accounts.createLocal("bob", control, pw("long enough pw"), Set.of()))
                    .hasMessage("a display name must not contain control characters");
        }
        assertThat(accounts.count()).isZero();

        // The edges that are allowed.
        accounts.createLocal("a", "b".repeat(100), pw("exactly 12ch"), Set.of());
        accounts.createLocal("0" + "z".repeat(63), "Zoë O'Brien 会议 ✓", pw("long enough pw"), Set.of());
        accounts.createLocal("bob.smith_2@example.org", "Bob", pw("long enough pw"), Set.of());
        accounts.createLocal("x-y", "🎉".repeat(100), pw("long enough pw"), Set.of()); // 100 code points, 200 chars
        assertThat(accounts.count()).isEqualTo(4);
    }

    @OnBothDatabases
    void authenticateAnswersOnlyForTheRightPasswordOfAnEnabledLocalAccount() {
        Account a = alice();
        assertThat(accounts.authenticate("alice", pw("alice's password"))).contains(a);
        assertThat(accounts.authenticate("ALICE", pw("alice's password"))).as("usernames ignore case").contains(a);
        assertThat(accounts.authenticate("alice", pw("alice's passworD"))).isEmpty();
        assertThat(accounts.authenticate("alice", pw(""))).isEmpty();
        assertThat(accounts.authenticate("alice", null)).isEmpty();
        assertThat(accounts.authenticate("mallory", pw("alice's password"))).isEmpty();
        assertThat(accounts.authenticate(null, pw("alice's password"))).isEmpty();
        assertThat(accounts.authenticate("' OR '1'='1", pw("' OR '1'='1"))).isEmpty();

        accounts.disable("alice");
        assertThat(accounts.authenticate("alice", pw("alice's password"))).as("disabled").isEmpty();
        assertThat(accounts.byUsername("alice")).get().extracting(Account::disabled).isEqualTo(true);
        accounts.enable("ALICE");
        assertThat(accounts.authenticate("alice", pw("alice's password"))).contains(a);

        accounts.upsertExternal(ISSUER, "sub-1", "olga", "Olga", Set.of());
        assertThat(accounts.authenticate("olga", pw(""))).as("an OIDC account has no password here").isEmpty();
        assertThat(accounts.authenticate("olga", pw("anything at all"))).isEmpty();

        assertThatThrownBy(() -> accounts.disable("nobody")).isInstanceOf(AccountException.class)
                .hasMessage("there is no account named nobody");
        assertThatThrownBy(() -> accounts.enable("nobody")).hasMessage("there is no account named nobody");
        assertThatThrownBy(() -> accounts.disable("evil\r\nname")).hasMessage("there is no account named evil\\r\\nname");
    }

    /**
     * Without the dummy verification an unknown username would answer in about a millisecond
     * and a wrong password in the hash time: a 10× or larger ratio at these parameters. The
     * bound is loose (half) so a busy machine does not fail it.
     */
    @OnBothDatabases
    void unknownUsernamesTakeAsLongAsWrongPasswords(TestDatabase t) {
        Accounts slow = new Accounts(t.db(), clock, new PasswordHasher(8192, 2));
        slow.createLocal("alice", "Alice", pw("alice's password"), Set.of());
        slow.upsertExternal(ISSUER, "sub-1", "olga", "Olga", Set.of());
        slow.createLocal("dora", "Dora", pw("dora's password"), Set.of());
        slow.disable("dora");
        slow.authenticate("alice", pw("warm up the JIT")); // the first call compiles, not hashes
        long wrong = medianNanos(() -> slow.authenticate("alice", pw("wrong password")));
        long unknown = medianNanos(() -> slow.authenticate("nobody", pw("wrong password")));
        long oidc = medianNanos(() -> slow.authenticate("olga", pw("wrong password")));
        long disabled = medianNanos(() -> slow.authenticate("dora", pw("dora's password")));
        assertThat(unknown).as("unknown vs wrong password, ns").isGreaterThan(wrong / 2);
        assertThat(oidc).as("OIDC account vs wrong password, ns").isGreaterThan(wrong / 2);
        assertThat(disabled).as("disabled vs wrong password, ns").isGreaterThan(wrong / 2);
    }

    private static long medianNanos(Supplier<Optional<Account>> attempt) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(attempt.get()).isEmpty();
            times.add(System.nanoTime() - start);
        }
        Collections.sort(times);
        return times.get(2);
    }

    @OnBothDatabases
    void resetPasswordReplacesTheOldOne() {
        alice();
        String fresh = accounts.resetPassword("Alice");
        assertThat(fresh).hasSize(20);
        assertThat(accounts.authenticate("alice", pw("alice's password"))).isEmpty();
        assertThat(accounts.authenticate("alice", fresh.toCharArray())).isPresent();
        assertThat(accounts.resetPassword("alice")).isNotEqualTo(fresh);
        assertThat(accounts.authenticate("alice", fresh.toCharArray())).isEmpty();

        assertThatThrownBy(() -> accounts.resetPassword("nobody")).isInstanceOf(AccountException.class)
                .hasMessage("there is no account named nobody");
        accounts.upsertExternal(ISSUER, "sub-1", "olga", "Olga", Set.of());
        assertThatThrownBy(() -> accounts.resetPassword("olga")).isInstanceOf(AccountException.class)
                .hasMessage("olga signs in through OIDC, so their password is set at the identity provider");
    }

    @OnBothDatabases
    void setRolesReplacesThem() {
        alice();
        accounts.setRoles("alice", EnumSet.of(PlatformRole.ADMIN, PlatformRole.AUDITOR));
        assertThat(accounts.byUsername("alice").orElseThrow().roles())
                .containsExactly(PlatformRole.ADMIN, PlatformRole.AUDITOR);
        accounts.setRoles("alice", Set.of());
        assertThat(accounts.byUsername("alice").orElseThrow().roles()).isEmpty();
        assertThatThrownBy(() -> accounts.setRoles("nobody", Set.of())).hasMessage("there is no account named nobody");
    }

    @OnBothDatabases
    void anOidcAccountKeepsItsIdAndFollowsTheProviderAtEverySignIn() throws Exception {
        String expectedId = "oidc:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((ISSUER + "\nsub-1").getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        Account first = accounts.upsertExternal(ISSUER, "sub-1", "Olga", "Olga K.", EnumSet.of(PlatformRole.AGENT));
        assertThat(first).isEqualTo(new Account(expectedId, "olga", "Olga K.", EnumSet.of(PlatformRole.AGENT),
                "oidc", false, T0));
        assertThat(first.id()).matches("oidc:[0-9a-f]{24}");

        clock.advance(Duration.ofDays(3));
        accounts.disable("olga");
        Account second = accounts.upsertExternal(ISSUER, "sub-1", "olga.k", "Olga Kowalska",
                EnumSet.of(PlatformRole.ADMIN, PlatformRole.AUDITOR));
        assertThat(second).isEqualTo(new Account(expectedId, "olga.k", "Olga Kowalska",
                EnumSet.of(PlatformRole.ADMIN, PlatformRole.AUDITOR), "oidc", true, T0));
        assertThat(accounts.find(expectedId)).contains(second);
        assertThat(accounts.byUsername("olga")).as("the old username is free again").isEmpty();
        assertThat(accounts.count()).isEqualTo(1);

        // The same subject at another issuer is someone else.
        Account other = accounts.upsertExternal("https://other.example.com", "sub-1", "olga", "", Set.of());
        assertThat(other.id()).isNotEqualTo(expectedId).startsWith("oidc:");
        assertThat(other.displayName()).as("a missing name claim falls back to the username").isEqualTo("olga");
        assertThat(accounts.count()).isEqualTo(2);
    }

    @OnBothDatabases
    void anOidcUserNeverTakesOverAnAccountByUsername() {
        alice();
        assertThatThrownBy(() -> accounts.upsertExternal(ISSUER, "sub-9", "ALICE", "Not Alice", Set.of(PlatformRole.ADMIN)))
                .isInstanceOf(AccountException.class).hasMessage("the username alice is already taken by another account");
        accounts.upsertExternal(ISSUER, "sub-1", "olga", "Olga", Set.of());
        assertThatThrownBy(() -> accounts.upsertExternal(ISSUER, "sub-1", "alice", "Olga", Set.of()))
                .as("a rename onto a taken name").hasMessage("the username alice is already taken by another account");
        assertThat(accounts.byUsername("alice").orElseThrow().id()).isEqualTo("local:alice");
        assertThat(accounts.byUsername("olga")).isPresent();
        assertThatThrownBy(() -> accounts.upsertExternal(ISSUER, "sub-2", "has space", "X", Set.of()))
                .isInstanceOf(AccountException.class).hasMessageStartingWith("a username must be");
        assertThatThrownBy(() -> accounts.upsertExternal(" ", "sub-2", "x", "X", Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @OnBothDatabases
    void bootstrapAdminHappensOnceOnAnEmptyDatabase() {
        Optional<String> password = accounts.bootstrapAdmin();
        assertThat(password).isPresent();
        assertThat(password.get()).hasSize(20);
        Account admin = accounts.authenticate("admin", password.get().toCharArray()).orElseThrow();
        assertThat(admin).isEqualTo(new Account("local:admin", "admin", "Administrator",
                EnumSet.of(PlatformRole.ADMIN, PlatformRole.AGENT), "local", false, T0));
        assertThat(accounts.bootstrapAdmin()).isEmpty();
        assertThat(accounts.count()).isEqualTo(1);
    }

    @OnBothDatabases
    void bootstrapAdminDoesNothingWhenAnyAccountExists() {
        accounts.upsertExternal(ISSUER, "sub-1", "olga", "Olga", Set.of(PlatformRole.ADMIN));
        assertThat(accounts.bootstrapAdmin()).isEmpty();
        assertThat(accounts.byUsername("admin")).isEmpty();
    }

    /** Two servers starting on one database at once: exactly one prints a password. */
    @OnBothDatabases
    void racingBootstrapsCreateOneAdmin(TestDatabase t) throws Exception {
        Database second = t.open(); // another process's pool on the same database
        Accounts[] servers = {accounts, new Accounts(second, clock, Fixtures.fastHasher())};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                t.sql("DELETE FROM accounts");
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<String>>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Accounts a = servers[i % 2];
                    results.add(pool.submit(() -> {
                        start.await();
                        return a.bootstrapAdmin();
                    }));
                }
                start.countDown();
                int created = 0;
                for (Future<Optional<String>> f : results) {
                    created += f.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                }
                assertThat(created).as("round %d", round).isEqualTo(1);
                assertThat(accounts.count()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @OnBothDatabases
    void listIsOrderedByUsername() {
        accounts.createLocal("carol", "Carol", pw("carol's password"), Set.of());
        accounts.upsertExternal(ISSUER, "sub-1", "dave", "Dave", Set.of());
        accounts.createLocal("alice", "Alice", pw("alice's password"), Set.of());
        accounts.createLocal("bob", "Bob", pw("bob's password!"), Set.of());
        assertThat(accounts.list()).extracting(Account::username).containsExactly("alice", "bob", "carol", "dave");
        assertThat(accounts.list()).extracting(Account::source).containsExactly("local", "local", "local", "oidc");
        assertThat(accounts.count()).isEqualTo(4);
    }
}
