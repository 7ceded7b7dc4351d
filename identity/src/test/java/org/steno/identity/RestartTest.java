package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.steno.identity.Fixtures.pw;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/** A server stops and starts again on the same database: nothing it stored is lost. */
class RestartTest {

    @OnBothDatabases
    void accountsSessionsMeetingsAndTheAuditLogSurviveARestart(TestDatabase t) {
        TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
        Duration idle = Duration.ofMinutes(30);
        Duration maxAge = Duration.ofHours(12);
        Account alice;
        Account olga;
        OpenedSession session;
        StoredMeeting meeting;
        List<AuditEntry> audit;
        String adminPassword;
        try (Database db = t.open()) {
            Accounts accounts = new Accounts(db, clock, Fixtures.fastHasher());
            adminPassword = accounts.bootstrapAdmin().orElseThrow();
            alice = accounts.createLocal("alice", "Alice", pw("alice's password"), EnumSet.of(PlatformRole.AGENT));
            olga = accounts.upsertExternal("https://sso.example.org", "sub-1", "olga", "Olga",
                    EnumSet.of(PlatformRole.AUDITOR));
            session = new Sessions(db, clock, idle, maxAge).open(alice.id());
            meeting = new StoredMeeting("m-1", alice.id(), "Weekly", clock.instant());
            new MeetingStore(db).save(meeting);
            AuditLog log = new AuditLog(db, clock);
            for (int i = 1; i <= 3; i++) {
                log.append(Fixtures.record(i));
            }
            audit = log.all();
        }

        clock.advance(Duration.ofMinutes(5));
        try (Database db = t.open()) {
            assertThat(db.migrationsApplied()).isZero();
            Accounts accounts = new Accounts(db, clock, Fixtures.fastHasher());
            assertThat(accounts.bootstrapAdmin()).as("not a second time").isEmpty();
            assertThat(accounts.authenticate("admin", adminPassword.toCharArray())).isPresent();
            assertThat(accounts.authenticate("alice", pw("alice's password"))).contains(alice);
            assertThat(accounts.find(olga.id())).contains(olga);
            assertThat(accounts.list()).extracting(Account::username).containsExactly("admin", "alice", "olga");

            Sessions sessions = new Sessions(db, clock, idle, maxAge);
            assertThat(sessions.resolve(session.token())).isPresent()
                    .get().extracting(Session::id).isEqualTo(session.session().id());

            assertThat(new MeetingStore(db).find("m-1")).contains(meeting);

            AuditLog log = new AuditLog(db, clock);
            assertThat(log.all()).containsExactlyElementsOf(audit);
            assertThat(log.verify().ok()).isTrue();
        }
    }
}
