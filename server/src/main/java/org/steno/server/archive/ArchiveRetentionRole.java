package org.steno.server.archive;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.archive.retention.RetentionPolicy;
import org.steno.archive.retention.RetentionSweep;
import org.steno.identity.AuditLog;
import org.steno.identity.AuditRecord;
import org.steno.identity.Outcome;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.storage.S3Storage;

/**
 * The daily retention job of a serving process: a minute after start, then every 24 hours, the
 * archive module's sweep deletes what is past its meeting's retention ({@link RetentionPolicies}:
 * the meeting's own, the platform's, or {@code archive.retention.*}) unless the meeting is under
 * legal hold. Every deletion, and every expired item kept by a hold, is an audit entry of
 * the subject {@value #SUBJECT}.
 */
public final class ArchiveRetentionRole implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRetentionRole.class);
    public static final String SUBJECT = "system:retention";

    private final Supplier<S3Storage> storage;
    private final java.util.function.Function<String, RetentionPolicy> policyOf;
    private final Predicate<String> held;
    private final Supplier<AuditLog> audit;
    private final Clock clock;
    private volatile ScheduledExecutorService timer;
    private volatile String lastRun = "not run yet";

    /** @param policyOf the periods a meeting's files follow (its own, the platform's, or configured), read at each sweep */
    public ArchiveRetentionRole(Supplier<S3Storage> storage, java.util.function.Function<String, RetentionPolicy> policyOf,
                                Predicate<String> held, Supplier<AuditLog> audit, Clock clock) {
        this.storage = storage;
        this.policyOf = policyOf;
        this.held = held;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "archive-retention";
    }

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "archive-retention");
            th.setDaemon(true);
            return th;
        });
        timer = t;
        t.scheduleWithFixedDelay(this::runQuietly, 60, 24 * 3600, TimeUnit.SECONDS);
    }

    private void runQuietly() {
        try {
            runNow();
        } catch (RuntimeException e) {
            // The next day tries again; nothing was half-deleted that a later sweep would not finish.
            LOG.warn("retention sweep failed: {}", e.toString());
            lastRun = "the last sweep failed: " + e.getClass().getSimpleName();
        }
    }

    /** One sweep now (what the timer runs): the outcomes, each already audited. */
    public synchronized List<RetentionSweep.Outcome> runNow() {
        S3Storage s = storage.get();
        RetentionSweep sweep = new RetentionSweep(s::client, () -> s.target().bucket(), policyOf, held, clock);
        List<RetentionSweep.Outcome> done = sweep.run(o -> audit.get().append(new AuditRecord(SUBJECT, "", "",
                o.deleted() ? "RETENTION_DELETE" : "RETENTION_HOLD_KEPT", "meeting:" + o.meetingId(), Outcome.ALLOWED,
                o.item() + (o.deleted() ? " deleted (" + o.objects() + " objects)" : " kept: the meeting is under legal hold")
                        + "; its retention ended " + o.expiredAt())));
        lastRun = "last sweep " + clock.instant() + ": " + done.stream().filter(RetentionSweep.Outcome::deleted).count()
                + " deleted, " + done.stream().filter(o -> !o.deleted()).count() + " kept by holds";
        return done;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    @Override
    public Readiness readiness() {
        return timer == null ? Readiness.notReady("not started") : Readiness.ready("daily; " + lastRun.replaceAll(": .*", ""));
    }
}
