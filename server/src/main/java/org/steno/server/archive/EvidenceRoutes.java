package org.steno.server.archive;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
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
 * exported it and when. The guard audits the request; this route audits how it ended (the
 * manifest's SHA-256, or why it failed).
 *
 * <p>An export that cannot be complete is refused before a byte is sent (409, with the file and
 * why). One that fails once streaming has begun is aborted: the connection is cut without the end
 * of the chunked body, so no client takes the truncated ZIP (which has no manifest and no central
 * directory either) for a whole one.
 */
public final class EvidenceRoutes implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceRoutes.class);

    private final Supplier<EvidenceExport> export;
    private final Function<String, Optional<StoredMeeting>> meetings;
    private final Function<String, Map<String, String>> members;
    private final Function<String, Optional<LegalHolds.Hold>> holdOf;
    private final AuditSink audit;
    private final Clock clock;

    public EvidenceRoutes(Supplier<EvidenceExport> export, Function<String, Optional<StoredMeeting>> meetings,
                          Function<String, Map<String, String>> members, Function<String, Optional<LegalHolds.Hold>> holdOf,
                          AuditSink audit, Clock clock) {
        this.export = export;
        this.meetings = meetings;
        this.members = members;
        this.holdOf = holdOf;
        this.audit = audit;
        this.clock = clock;
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
        ctx.disableCompression(); // recordings do not compress, and the ZIP is already deflated where it helps
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + meeting + "-evidence.zip\"");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.status(HttpStatus.OK);
        OutputStream out = ctx.res().getOutputStream();
        try {
            EvidenceExport.Summary s = export.get().write(plan, about, out);
            out.flush();
            ended(caller, meeting, request, "evidence export complete: " + s.files() + " files, " + s.bytes()
                    + " bytes, manifest.json sha256 " + s.manifestSha256());
        } catch (EvidenceException | IOException | SdkException e) {
            String why = e.getMessage();
            LOG.warn("evidence export of {} aborted after the response began: {}", meeting, LogSafe.of(why));
            ended(caller, meeting, request, "evidence export aborted, the client got an incomplete ZIP and a cut connection: " + why);
            abort(ctx);
        }
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
