package org.steno.server.archive;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.identity.RetentionSettings;
import org.steno.server.http.AuditSink;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.HttpGuard;
import org.steno.server.http.HttpRoutes;
import org.steno.server.http.Route;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long the archive keeps files, set by an administrator ({@code SET_RETENTION}):
 * <ul>
 *   <li>{@code GET /api/retention}: the platform's periods (set here, or configured) and the configured ones;</li>
 *   <li>{@code POST /api/retention} {@code {"recordingsDays": 90, "transcriptsDays": null}}: the platform's
 *       periods; null or absent follows the configuration;</li>
 *   <li>{@code POST /api/meetings/<id>/retention}, same body: the meeting's own; null follows the platform.</li>
 * </ul>
 * Each change is one audit entry naming the periods; the next daily sweep and the archive pages follow it.
 */
public final class RetentionRoutes implements HttpRoutes {

    static final Resource PLATFORM = new Resource("archive", "retention");
    private static final Set<String> FIELDS = Set.of("recordingsDays", "transcriptsDays");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RetentionPolicies policies;
    private final Supplier<RetentionSettings> settings;
    private final AuditSink audit;
    private final Clock clock;
    private final java.util.function.Predicate<String> meetingExists;

    /** @param meetingExists whether a meeting id is one of the platform's: periods are set for those only */
    public RetentionRoutes(RetentionPolicies policies, Supplier<RetentionSettings> settings, AuditSink audit, Clock clock,
                           java.util.function.Predicate<String> meetingExists) {
        this.policies = policies;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.meetingExists = meetingExists;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.get("/api/retention", Action.SET_RETENTION, Route.On.ARCHIVE, ctx -> ctx.json(platform()));
        routes.post("/api/retention", Action.SET_RETENTION, Route.On.ARCHIVE, this::setPlatform);
        routes.post("/api/meetings/{id}/retention", Action.SET_RETENTION, Route.On.MEETING, this::setMeeting);
    }

    private Map<String, Object> platform() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("platform", policies.platform().json());
        m.put("configured", new RetentionPolicies.Effective(policies.configured(), RetentionPolicies.Source.CONFIGURATION,
                RetentionPolicies.Source.CONFIGURATION).json());
        m.put("maxDays", RetentionSettings.MAX_DAYS);
        return m;
    }

    private void setPlatform(Context ctx) {
        Optional<Integer[]> days = periods(ctx);
        if (days.isEmpty()) {
            return;
        }
        Caller caller = HttpGuard.caller(ctx);
        settings.get().setPlatform(days.get()[0], days.get()[1], caller.subject(), clock.instant());
        audit.decided(caller, Action.SET_RETENTION, PLATFORM,
                Decision.allow("platform retention set: " + describe(days.get(), "the configuration")), "POST /api/retention");
        ctx.json(platform());
    }

    private void setMeeting(Context ctx) {
        String meeting = ctx.pathParam("id");
        if (!ArchivePaths.isSafeId(meeting)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "not a meeting id"));
            return;
        }
        if (!meetingExists.test(meeting)) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no meeting " + meeting));
            return;
        }
        Optional<Integer[]> days = periods(ctx);
        if (days.isEmpty()) {
            return;
        }
        Caller caller = HttpGuard.caller(ctx);
        settings.get().setMeeting(meeting, days.get()[0], days.get()[1], caller.subject(), clock.instant());
        audit.decided(caller, Action.SET_RETENTION, Resource.meeting(meeting),
                Decision.allow("meeting retention set: " + describe(days.get(), "the platform")), "POST /api/meetings/" + meeting + "/retention");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meetingId", meeting);
        m.putAll(policies.of(meeting).json());
        ctx.json(m);
    }

    /** The two periods of the body, or empty after answering 400. */
    private static Optional<Integer[]> periods(Context ctx) {
        String usage = "the body is JSON: {\"recordingsDays\": …, \"transcriptsDays\": …}, each a whole number of days from 1 to "
                + RetentionSettings.MAX_DAYS + ", or null to follow the next level";
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JacksonException e) {
            return refuse(ctx, usage);
        }
        if (body == null || !body.isObject()) {
            return refuse(ctx, usage);
        }
        for (Iterator<String> names = body.propertyNames().iterator(); names.hasNext(); ) {
            String n = names.next();
            if (!FIELDS.contains(n)) {
                return refuse(ctx, "unknown field '" + (n.length() > 40 ? n.substring(0, 40) + "…" : n) + "'; " + usage);
            }
        }
        Integer[] days = new Integer[2];
        String[] names = {"recordingsDays", "transcriptsDays"};
        for (int i = 0; i < 2; i++) {
            JsonNode v = body.get(names[i]);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1 || v.intValue() > RetentionSettings.MAX_DAYS) {
                return refuse(ctx, names[i] + " must be a whole number of days from 1 to " + RetentionSettings.MAX_DAYS + ", or null");
            }
            days[i] = v.intValue();
        }
        return Optional.of(days);
    }

    private static Optional<Integer[]> refuse(Context ctx, String why) {
        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", why));
        return Optional.empty();
    }

    private static String describe(Integer[] days, String next) {
        return "recordings " + (days[0] == null ? "follow " + next : days[0] + " days")
                + ", transcripts " + (days[1] == null ? "follow " + next : days[1] + " days");
    }
}
