package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;

class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Database db;
    private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Logger auditLogger;

    @BeforeEach
    void open(TestDatabase t) {
        db = t.db();
        auditLogger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        logged.start();
        auditLogger.addAppender(logged);
    }

    @AfterEach
    void close() {
        auditLogger.detachAppender(logged); // the database is closed and removed by TestDatabases
    }

    @OnBothDatabases
    void fourThreadsAppendingFiftyEntriesFormOneChain() throws Exception {
        AuditLog log = new AuditLog(db, clock);
        int total = 50;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<AuditEntry>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<AuditEntry> mine = new ArrayList<>();
                    for (int i; (i = next.getAndIncrement()) < total; ) {
                        mine.add(log.append(Fixtures.record(i)));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<AuditEntry> returned = new ArrayList<>();
            for (Future<List<AuditEntry>> f : results) {
                returned.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(returned).hasSize(total);
        } finally {
            pool.shutdownNow();
        }

        VerifyResult result = log.verify();
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.checked()).isEqualTo(total);
        assertThat(result.message()).isEqualTo("50 entries, chained from entry 1 to entry 50");

        List<AuditEntry> all = log.all();
        assertThat(all).extracting(AuditEntry::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(all.get(0).prevHash()).isEqualTo(AuditEntry.GENESIS);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).prevHash()).as("prevHash of entry %d", i + 1).isEqualTo(all.get(i - 1).hash());
        }
        Set<String> subjects = new HashSet<>();
        all.forEach(e -> subjects.add(e.subject()));
        assertThat(subjects).as("each record stored once").hasSize(total);
        assertThat(logged.list).as("one log line per entry").hasSize(total);
    }

    @OnBothDatabases
    void retriesOnceWhenAnotherProcessTookTheSeq() {
        AuditLog other = new AuditLog(db, clock); // another server: its own JVM lock
        AtomicBoolean raced = new AtomicBoolean();
        AuditLog log = new AuditLog(db, clock, () -> {
            if (raced.compareAndSet(false, true)) {
                other.append(Fixtures.record(100)); // slips in between our read of the head and our INSERT
            }
        });
        log.append(Fixtures.record(1)); // seq 1 is taken by 'other' during this call...
        assertThat(raced).isTrue();
        List<AuditEntry> all = log.all();
        assertThat(all).extracting(AuditEntry::seq).containsExactly(1L, 2L);
        assertThat(all).extracting(AuditEntry::subject).containsExactly("user-100", "user-1");
        assertThat(log.verify().ok()).isTrue();
    }

    @OnBothDatabases
    void queryFiltersByTimeSubjectActionAndLimitInSeqOrder() {
        AuditLog log = new AuditLog(db, clock);
        for (int i = 0; i < 10; i++) {
            log.append(Fixtures.record(i)); // at 10:00:00 + i minutes
            clock.advance(Duration.ofMinutes(1));
        }
        Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
        assertThat(log.query(t0.plusSeconds(120), t0.plusSeconds(300), null, null, 100))
                .extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L); // minutes 2,3,4: to is exclusive
        assertThat(log.query(null, null, "user-7", null, 100)).extracting(AuditEntry::seq).containsExactly(8L);
        assertThat(log.query(null, null, null, "JOIN", 100)).extracting(AuditEntry::seq)
                .containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(log.query(null, null, null, "JOIN", 2)).extracting(AuditEntry::seq).containsExactly(1L, 3L);
        assertThat(log.query(t0.plusSeconds(60), null, null, "DOWNLOAD", 100)).extracting(AuditEntry::seq)
                .containsExactly(2L, 4L, 6L, 8L, 10L);
        AuditEntry first = log.query(null, null, null, null, 1).get(0);
        assertThat(first.time()).isEqualTo(t0);
        assertThat(first.outcome()).isEqualTo(Outcome.DENIED); // record(0): 0 % 3 == 0
    }

    @OnBothDatabases
    void timeIsTruncatedToTheMillisecondSoTheHashSurvivesStorage() {
        TestClock fine = new TestClock(Instant.parse("2025-03-01T10:00:00.123456789Z"));
        AuditLog log = new AuditLog(db, fine);
        AuditEntry e = log.append(Fixtures.record(1));
        assertThat(e.time()).isEqualTo(Instant.parse("2025-03-01T10:00:00.123Z"));
        assertThat(log.all()).containsExactly(e);
        assertThat(log.verify().ok()).isTrue();
    }

    @OnBothDatabases
    void eachEntryIsLoggedAsOneEcsLine() throws Exception {
        AuditLog log = new AuditLog(db, clock);
        AuditEntry allowed = log.append(new AuditRecord("alice", "host, participant", "198.51.100.7", "RECORD",
                "meeting:abc", Outcome.ALLOWED, "the host may record"));
        AuditEntry denied = log.append(new AuditRecord("anonymous", "", "203.0.113.9", "DOWNLOAD",
                "meeting:abc", Outcome.DENIED, "sign in first"));

        assertThat(logged.list).hasSize(2);
        JsonNode line = JSON.readTree(logged.list.get(0).getFormattedMessage());
        assertThat(line.at("/@timestamp").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(line.at("/event/action").asText()).isEqualTo("RECORD");
        assertThat(line.at("/event/outcome").asText()).isEqualTo("success");
        assertThat(line.at("/event/reason").asText()).isEqualTo("the host may record");
        assertThat(line.at("/user/name").asText()).isEqualTo("alice");
        assertThat(JSON.convertValue(line.at("/user/roles"), List.class)).containsExactly("host", "participant");
        assertThat(line.at("/source/address").asText()).isEqualTo("198.51.100.7");
        assertThat(line.at("/steno/resource").asText()).isEqualTo("meeting:abc");
        assertThat(line.at("/steno/audit/seq").asLong()).isEqualTo(allowed.seq());
        assertThat(line.at("/steno/audit/hash").asText()).isEqualTo(allowed.hash());

        JsonNode second = JSON.readTree(logged.list.get(1).getFormattedMessage());
        assertThat(second.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(second.at("/user/roles").size()).isZero();
        assertThat(second.at("/steno/audit/seq").asLong()).isEqualTo(denied.seq()).isEqualTo(2);
    }

    @OnBothDatabases
    void aCraftedSubjectIsStoredAndLoggedEscaped() throws Exception {
        AuditLog log = new AuditLog(db, clock);
        String forged = "mallory\r\nfake entry 2025-03-01 ALLOWED admin";
        AuditEntry e = log.append(new AuditRecord(forged, "participant", "192.0.2.1\n", "JOIN\u001b[2J",
                "meeting:x\u2028y", Outcome.ALLOWED, "ok\u0000"));

        String escaped = "mallory\\r\\nfake entry 2025-03-01 ALLOWED admin";
        assertThat(e.subject()).isEqualTo(escaped);
        AuditEntry stored = log.query(null, null, escaped, null, 10).get(0);
        assertThat(stored.subject()).isEqualTo(escaped);
        assertThat(stored.address()).isEqualTo("192.0.2.1\\n");
        assertThat(stored.action()).isEqualTo("JOIN\\u001b[2J");
        assertThat(stored.resource()).isEqualTo("meeting:x\\u2028y");
        assertThat(stored.reason()).isEqualTo("ok\\u0000");
        assertThat(log.query(null, null, forged, null, 10)).as("the raw text was never stored").isEmpty();

        assertThat(logged.list).hasSize(1);
        String message = logged.list.get(0).getFormattedMessage();
        assertThat(message).doesNotContain("\r", "\n", "\u001b", "\u2028", "\u0000");
        assertThat(JSON.readTree(message).at("/user/name").asText()).isEqualTo(escaped);
        assertThat(log.verify().ok()).isTrue();
    }
}
