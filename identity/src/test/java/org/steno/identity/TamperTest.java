package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

/** Someone with SQL access changes the table behind AuditLog's back; verify() must say what and where. */
class TamperTest {

    private Database db;
    private AuditLog log;

    @BeforeEach
    void tenEntries(TestDatabase t) {
        db = t.db();
        log = new AuditLog(db, new TestClock(Instant.parse("2025-03-01T10:00:00Z")));
        for (int i = 1; i <= 10; i++) {
            log.append(Fixtures.record(i));
        }
        assertThat(log.verify().ok()).isTrue();
    }

    @OnBothDatabases
    void anEditedRowIsNamed() throws Exception {
        assertThat(Fixtures.sql(db, "UPDATE audit_log SET subject = 'someone-else' WHERE seq = 7")).isEqualTo(1);
        VerifyResult r = log.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.firstBroken()).hasValue(7);
        assertThat(r.checked()).isEqualTo(7);
        assertThat(r.message()).isEqualTo("entry 7 was edited: its hash does not match its content");
    }

    @OnBothDatabases
    void aDeletedMiddleRowIsNamedAsAGap() throws Exception {
        assertThat(Fixtures.sql(db, "DELETE FROM audit_log WHERE seq = 5")).isEqualTo(1);
        VerifyResult r = log.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.firstBroken()).hasValue(5);
        assertThat(r.message()).isEqualTo("entry 5 is missing: entry 6 follows entry 4");
    }

    @OnBothDatabases
    void deletedFirstRowsAreNamed() throws Exception {
        assertThat(Fixtures.sql(db, "DELETE FROM audit_log WHERE seq <= 2")).isEqualTo(2);
        VerifyResult r = log.verify();
        assertThat(r.firstBroken()).hasValue(1);
        assertThat(r.message()).isEqualTo("entries 1 to 2 are missing: the log starts at entry 3");
    }

    @OnBothDatabases
    void aRowRewrittenWithARecomputedHashBreaksTheLinkFromTheNextOne() throws Exception {
        // A careful attacker edits entry 5 and recomputes its hash; entry 6 still holds the old one.
        AuditEntry five = log.query(null, null, "user-5", null, 1).get(0);
        String forgedHash = AuditChain.hash(5, five.time(), "someone-else", five.role(), five.address(),
                five.action(), five.resource(), five.outcome(), five.reason(), five.prevHash());
        try (Connection c = db.connection();
             PreparedStatement u = c.prepareStatement("UPDATE audit_log SET subject = ?, hash = ? WHERE seq = 5")) {
            u.setString(1, "someone-else");
            u.setString(2, forgedHash);
            assertThat(u.executeUpdate()).isEqualTo(1);
        }
        VerifyResult r = log.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.firstBroken()).hasValue(6);
        assertThat(r.message()).isEqualTo("entry 6 does not chain to entry 5");
    }

    @OnBothDatabases
    void deletingTheTailIsInvisibleToTheChainButNotToAnAnchor() throws Exception {
        AuditEntry last = log.query(null, null, "user-10", null, 1).get(0);
        assertThat(last.seq()).isEqualTo(10);
        assertThat(Fixtures.sql(db, "DELETE FROM audit_log WHERE seq >= 9")).isEqualTo(2);

        // What the README claims: the chain alone cannot tell a truncated log from a shorter one.
        VerifyResult chainOnly = log.verify();
        assertThat(chainOnly.ok()).isTrue();
        assertThat(chainOnly.checked()).isEqualTo(8);

        // An anchor kept elsewhere (the last shipped log line's seq and hash) does tell.
        VerifyResult anchored = log.verify(last.seq(), last.hash());
        assertThat(anchored.ok()).isFalse();
        assertThat(anchored.firstBroken()).hasValue(9);
        assertThat(anchored.message())
                .isEqualTo("the log ends at entry 8 but entry 10 was recorded before: entries were removed from the end");
    }

    @OnBothDatabases
    void anAnchorRecognisesItsEntry() throws Exception {
        AuditEntry six = log.query(null, null, "user-6", null, 1).get(0);
        assertThat(log.verify(six.seq(), six.hash()).ok()).isTrue();
        assertThat(log.verify(six.seq(), six.hash()).message()).endsWith("reaching anchor entry 6");

        // Truncate to 5 and append again: seq 6 exists but is a different entry than the anchor.
        Fixtures.sql(db, "DELETE FROM audit_log WHERE seq >= 6");
        log.append(Fixtures.record(99));
        assertThat(log.verify().ok()).as("the rewritten tail is a valid chain").isTrue();
        VerifyResult r = log.verify(six.seq(), six.hash());
        assertThat(r.ok()).isFalse();
        assertThat(r.firstBroken()).hasValue(6);
        assertThat(r.message()).isEqualTo("entry 6 is not the one recorded before: its hash differs from the anchor");
    }
}
