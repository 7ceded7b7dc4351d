package org.steno.server.archive;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.archive.evidence.EvidenceException;
import org.steno.archive.evidence.EvidenceExport;
import org.steno.archive.evidence.EvidenceFiles;
import org.steno.identity.AuditEntry;
import org.steno.identity.LegalHolds;
import org.steno.identity.StoredMeeting;
import org.steno.server.http.AuditSink;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpGuard;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.LogSafe;
import org.steno.server.http.Route;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code GET /api/meetings/<id>/evidence.zip} ({@code EXPORT_EVIDENCE}: the meeting's owner and
 * auditors): the meeting's evidence export ({@link EvidenceExport}), streamed. What it is about
 * goes into its {@code export.json}: the meeting as the database holds it, its legal hold, who
 * exported it and when; an auditor's export also holds {@code audit.json}, the audit log's
 * entries about the meeting (the owner may export, but not read the audit log). The guard audits the request; this route audits how it ended (the
 * manifest's SHA-256, or why it failed).
 *
 * <p>An export that cannot be complete is refused before a byte is sent (409, with the file and
 * why). One that fails once streaming has begun is aborted: the connection is cut without the end
 * of the chunked body, so no client takes the truncated ZIP (which has no manifest and no central
 * directory either) for a whole one.
 */
public final class EvidenceRoutes implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceRoutes.class);
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    /** At most this many audit entries in an export. */
    public static final int AUDIT_LIMIT = 10_000;

    private final Supplier<EvidenceExport> export;
    private final Function<String, Optional<StoredMeeting>> meetings;
    private final Function<String, Map<String, String>> members;
    private final Function<String, Optional<LegalHolds.Hold>> holdOf;
    private final AuditSink audit;
    private final Clock clock;
    private final AuditTrail trail;

    /** The meeting's audit entries, for those who may read the audit log (READ_AUDIT: an auditor's export). */
    public record AuditTrail(java.util.function.Predicate<Caller> mayRead, Function<String, List<AuditEntry>> about) {
        public static final AuditTrail NONE = new AuditTrail(c -> false, m -> List.of());
    }

    public EvidenceRoutes(Supplier<EvidenceExport> export, Function<String, Optional<StoredMeeting>> meetings,
                          Function<String, Map<String, String>> members, Function<String, Optional<LegalHolds.Hold>> holdOf,
                          AuditSink audit, Clock clock, AuditTrail trail) {
        this.export = export;
        this.meetings = meetings;
        this.members = members;
        this.holdOf = holdOf;
        this.audit = audit;
        this.clock = clock;
        this.trail = trail;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/meetings/{id}/evidence.zip", Action.EXPORT_EVIDENCE, Route.On.MEETING, this::export);
    }

    private void export(Context ctx) throws IOException {
        String meeting = ctx.pathParam("id");
        if (!EvidenceFiles.isSafeId(meeting)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "not a meeting id"));
            return;
        }
        Optional<StoredMeeting> stored = meetings.apply(meeting);
        if (stored.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no meeting " + meeting));
            return;
        }
        Caller caller = HttpGuard.caller(ctx);
        String request = "GET /api/meetings/" + meeting + "/evidence.zip";
        EvidenceExport.Plan plan;
        try {
            plan = export.get().plan(meeting);
        } catch (EvidenceException e) {
            ended(caller, meeting, request, "evidence export refused, the archive is incomplete: " + e.getMessage());
            ctx.status(HttpStatus.CONFLICT).json(Map.of("error", "the evidence export of meeting " + meeting
                    + " would be incomplete, so none is made: " + e.getMessage()));
            return;
        } catch (SdkException | IllegalStateException e) {
            LOG.warn("evidence export of {} failed at storage: {}", meeting, e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error",
                    "storage is not answering; try again shortly (" + e.getClass().getSimpleName() + ")"));
            return;
        }
        Map<String, Object> about = about(stored.get(), caller);
        Map<String, byte[]> extra = new LinkedHashMap<>();
        if (trail.mayRead().test(caller)) {
            // Written before this export's own end, which follows in the log.
            // The newest AUDIT_LIMIT + 1 are fetched: one more than kept tells a trail cut from one that fits.
            List<AuditEntry> fetched = trail.about().apply("meeting:" + meeting);
            boolean truncated = fetched.size() > AUDIT_LIMIT;
            List<AuditEntry> entries = truncated ? fetched.subList(fetched.size() - AUDIT_LIMIT, fetched.size()) : fetched;
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("meetingId", meeting);
            doc.put("note", "the entries of Steno's hash-chained audit log about this meeting, in order (at most "
                    + AUDIT_LIMIT + ", the newest); steno audit verify checks the whole chain on the server");
            doc.put("truncated", truncated);
            doc.put("entries", entries.stream().map(EvidenceRoutes::entry).toList());
            extra.put("audit.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
            about.put("auditEntries", entries.size());
        } else {
            about.put("auditEntries", "only in an export made by someone who may read the audit log (an auditor)");
        }
        ctx.disableCompression(); // recordings do not compress, and the ZIP is already deflated where it helps
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + meeting + "-evidence.zip\"");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.status(HttpStatus.OK);
        OutputStream out = ctx.res().getOutputStream();
        try {
            EvidenceExport.Summary s = export.get().write(plan, about, extra, out);
            out.flush();
            ended(caller, meeting, request, "evidence export complete: " + s.files() + " files, " + s.bytes()
                    + " bytes, manifest.json sha256 " + s.manifestSha256());
        } catch (IOException | RuntimeException e) { // EvidenceException, SdkException and the rest: nothing may end it as if complete
            String why = e.getMessage();
            LOG.warn("evidence export of {} aborted after the response began: {}", meeting, LogSafe.of(why));
            ended(caller, meeting, request, "evidence export aborted, the client got an incomplete ZIP and a cut connection: " + why);
            abort(ctx);
        }
    }

    private static Map<String, Object> entry(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("time", e.time().toString());
        m.put("subject", e.subject());
        m.put("role", e.role());
        m.put("address", e.address());
        m.put("action", e.action());
        m.put("resource", e.resource());
        m.put("outcome", e.outcome().name());
        m.put("reason", e.reason());
        m.put("prevHash", e.prevHash());
        m.put("hash", e.hash());
        return m;
    }

    /** The export's export.json: the meeting, its members and legal hold, who exported it and when. */
    private Map<String, Object> about(StoredMeeting m, Caller caller) {
        Map<String, Object> meeting = new LinkedHashMap<>();
        meeting.put("id", m.id());
        meeting.put("title", m.title());
        meeting.put("owner", m.ownerId());
        meeting.put("createdAt", m.createdAt().toString());
        meeting.put("accessLevel", m.accessLevel());
        meeting.put("members", members.apply(m.id()));
        Map<String, Object> hold = new LinkedHashMap<>();
        Optional<LegalHolds.Hold> h = holdOf.apply(m.id());
        hold.put("held", h.isPresent());
        h.ifPresent(x -> {
            hold.put("reason", x.reason());
            hold.put("placedBy", x.placedBy());
            hold.put("placedAt", x.placedAt().toString());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meeting", meeting);
        out.put("legalHold", hold);
        out.put("exportedBy", caller.subject());
        out.put("exportedAt", clock.instant().toString());
        return out;
    }

    private void ended(Caller caller, String meeting, String request, String outcome) {
        audit.decided(caller, Action.EXPORT_EVIDENCE, Resource.meeting(meeting), Decision.allow(outcome), request);
    }

    /**
     * Cuts the connection without finishing the body: Jetty then sends no last chunk, and the
     * client sees an error rather than the end of a ZIP.
     */
    private static void abort(Context ctx) {
        org.eclipse.jetty.ee10.servlet.ServletContextRequest r =
                org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
        if (r == null) {
            throw new IllegalStateException("not served by Jetty: cannot abort the evidence export's response");
        }
        r.getServletChannel().abort(new IOException("evidence export aborted"));
    }
}
