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
import org.steno.recorder.RecordingControl;
import org.steno.recorder.RecordingException;
import org.steno.recorder.RecordingStatus;
import org.steno.server.http.HttpRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/meetings/<id>/recording} with {@code {"enabled": true|false}} starts or stops
 * the meeting's recording; {@code GET} on the same path tells whether one runs. The access check
 * (CONTROL_RECORDING on the meeting for POST) is {@code HttpGuard}'s.
 */
final class RecordingRoutes implements HttpRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<RecordingControl> control;

    RecordingRoutes(Supplier<RecordingControl> control) {
        this.control = control;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.post("/api/meetings/{id}/recording", Action.CONTROL_RECORDING, Route.On.MEETING, this::change);
        routes.get("/api/meetings/{id}/recording", Action.JOIN_MEETING, Route.On.MEETING, ctx -> answer(ctx, ctx.pathParam("id"),
                control.get().status(ctx.pathParam("id"))));
    }

    private void change(Context ctx) {
        String meetingId = ctx.pathParam("id");
        Boolean enabled = enabled(ctx.body());
        if (enabled == null) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error",
                    "send {\"enabled\": true} to start recording or {\"enabled\": false} to stop it"));
            return;
        }
        if (enabled) {
            try {
                RecordingStatus s = control.get().start(meetingId);
                answer(ctx, meetingId, Optional.of(s));
            } catch (RecordingException e) {
                ctx.status(e.isUnknownMeeting() ? HttpStatus.NOT_FOUND : HttpStatus.SERVICE_UNAVAILABLE)
                        .json(Map.of("error", e.getMessage()));
            }
        } else {
            control.get().stop(meetingId);
            answer(ctx, meetingId, control.get().status(meetingId));
        }
    }

    static Boolean enabled(String body) {
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            JsonNode e = n == null ? null : n.get("enabled");
            return e != null && e.isBoolean() ? e.booleanValue() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static void answer(Context ctx, String meetingId, Optional<RecordingStatus> status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meetingId", meetingId);
        body.put("recording", status.map(RecordingStatus::running).orElse(false));
        status.ifPresent(s -> {
            body.put("recordingId", s.recordingId());
            if (!s.message().isEmpty()) {
                body.put("message", s.message());
            }
        });
        ctx.json(body);
    }
}
