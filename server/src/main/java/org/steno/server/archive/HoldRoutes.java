package org.steno.server.archive;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.identity.LegalHolds;
import org.steno.server.http.AuditSink;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpGuard;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.Route;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Legal hold on a meeting's archive ({@code LEGAL_HOLD}: auditors and administrators):
 * {@code POST /api/meetings/<id>/hold} {@code {"reason": "…"}} places it (or changes its reason),
 * {@code POST /api/meetings/<id>/hold/release} releases it. While held, retention deletes nothing
 * of the meeting. Each change is one audit entry with the reason.
 */
public final class HoldRoutes implements HttpRoutes {

    static final int MAX_REASON = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<LegalHolds> holds;
    private final AuditSink audit;
    private final Clock clock;

    public HoldRoutes(Supplier<LegalHolds> holds, AuditSink audit, Clock clock) {
        this.holds = holds;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.post("/api/meetings/{id}/hold", Action.LEGAL_HOLD, Route.On.MEETING, this::place);
        routes.post("/api/meetings/{id}/hold/release", Action.LEGAL_HOLD, Route.On.MEETING, this::release);
    }

    private void place(Context ctx) {
        String meeting = ctx.pathParam("id");
        Caller caller = HttpGuard.caller(ctx);
        if (!ArchivePaths.isSafeId(meeting)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "not a meeting id"));
            return;
        }
        String reason;
        try {
            reason = JSON.readTree(ctx.body()).path("reason").asString("").strip();
        } catch (JacksonException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "the body is JSON: {\"reason\": \"why the meeting is held\"}"));
            return;
        }
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "a legal hold needs a reason of 1 to " + MAX_REASON + " characters"));
            return;
        }
        LegalHolds.Hold h = holds.get().place(meeting, reason, caller.subject(), clock.instant());
        audit.decided(caller, Action.LEGAL_HOLD, Resource.meeting(meeting), Decision.allow("legal hold placed: " + reason),
                "POST /api/meetings/" + meeting + "/hold");
        ctx.json(json(h));
    }

    private void release(Context ctx) {
        String meeting = ctx.pathParam("id");
        Caller caller = HttpGuard.caller(ctx);
        if (!ArchivePaths.isSafeId(meeting)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "not a meeting id"));
            return;
        }
        boolean released = holds.get().release(meeting);
        audit.decided(caller, Action.LEGAL_HOLD, Resource.meeting(meeting),
                Decision.allow(released ? "legal hold released" : "no legal hold to release"), "POST /api/meetings/" + meeting + "/hold/release");
        ctx.json(Map.of("meetingId", meeting, "held", false, "released", released));
    }

    static Map<String, Object> json(LegalHolds.Hold h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meetingId", h.meetingId());
        m.put("held", true);
        m.put("reason", h.reason());
        m.put("placedBy", h.placedBy());
        m.put("placedAt", h.placedAt().toString());
        return m;
    }
}
