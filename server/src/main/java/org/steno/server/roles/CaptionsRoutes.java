package org.steno.server.roles;

import org.steno.access.Action;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.Route;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.server.http.HttpRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/meetings/<id>/captions} with {@code {"enabled": true, "language": "en"}} or
 * {@code {"enabled": false}} turns live subtitles on or off; on without a language is in the
 * meeting's captions language (its owner's default, English unless set). The flag lives on the meeting, so
 * MediaTap announces it (the pipeline starts transcribing) and every participant's page shows
 * the notice. The access check (CONTROL_CAPTIONS on the meeting) is {@code HttpGuard}'s.
 */
final class CaptionsRoutes implements HttpRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** BCP-47, loosely: a primary language and optional subtags ("en", "en-US", "fr"). */
    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}");

    private final Supplier<MeetingRegistry> registry;
    /** The meeting's captions language, its owner's default: what "on" without a language means. */
    private final java.util.function.Function<String, String> defaultLanguage;

    CaptionsRoutes(Supplier<MeetingRegistry> registry, java.util.function.Function<String, String> defaultLanguage) {
        this.registry = registry;
        this.defaultLanguage = defaultLanguage;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.post("/api/meetings/{id}/captions", Action.CONTROL_CAPTIONS, Route.On.MEETING, this::change);
    }

    private void change(Context ctx) {
        Optional<Meeting> meeting = registry.get().get(ctx.pathParam("id")).filter(m -> !m.ended());
        if (meeting.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no live meeting " + ctx.pathParam("id")));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body() == null ? "" : ctx.body());
        } catch (JacksonException e) {
            body = null;
        }
        JsonNode enabled = body == null ? null : body.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error",
                    "send {\"enabled\": true, \"language\": \"en\"} to turn captions on or {\"enabled\": false} to turn them off"));
            return;
        }
        String language = "";
        if (enabled.booleanValue()) {
            JsonNode lang = body.get("language");
            language = lang == null || lang.isNull() ? defaultLanguage.apply(meeting.get().id())
                    : lang.isString() ? lang.asString() : "";
            if (!LANGUAGE.matcher(language).matches()) {
                ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error",
                        "language must be a BCP-47 code such as \"en\" or \"fr-FR\""));
                return;
            }
        }
        Meeting m = meeting.get();
        try {
            m.setCaptions(enabled.booleanValue(), language);
        } catch (IllegalStateException e) {
            ctx.status(HttpStatus.CONFLICT).json(Map.of("error", "the meeting has ended"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meetingId", m.id());
        out.put("captionsEnabled", m.captionsEnabled());
        out.put("language", m.language());
        ctx.json(out);
    }
}
