package org.steno.server.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.conference.api.ApiResult;
import org.steno.conference.api.MeetingApi;
import org.steno.conference.meeting.MeetingIds;
import org.steno.conference.signaling.SignalingHub;
import org.steno.conference.signaling.SignalingSender;
import org.steno.conference.signaling.SignalingSession;
import org.steno.server.access.StenoPolicy;

/**
 * HTTP side of meetings: the REST API ({@code /api/meetings…}), the room page at
 * {@code /m/<id>} and the signaling WebSocket at {@code /ws/meetings/<id>}. Thin: every
 * decision is in conference-core's {@link MeetingApi} and {@link SignalingHub}.
 */
public final class MeetingRoutes implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingRoutes.class);

    private final Supplier<MeetingApi> api;
    private final Supplier<SignalingHub> hub;
    private final MeetingOwners owners;
    private final ConcurrentHashMap<String, SignalingSession> sessions = new ConcurrentHashMap<>();

    public MeetingRoutes(Supplier<MeetingApi> api, Supplier<SignalingHub> hub, MeetingOwners owners) {
        this.api = api;
        this.hub = hub;
        this.owners = owners;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.post("/api/meetings", Action.CREATE_MEETING, Route.On.MEETING, this::create);
        routes.get("/api/meetings/{id}", Action.JOIN_MEETING, Route.On.MEETING, ctx -> answer(ctx, api().get(ctx.pathParam("id"))));
        routes.post("/api/meetings/{id}/join", Action.JOIN_MEETING, Route.On.MEETING, this::join);
        routes.get("/m/{id}", Action.VIEW, Route.On.MEETING, this::roomPage);
        routes.ws("/ws/meetings/{id}", Action.JOIN_MEETING, Route.On.MEETING, ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(2));
                ctx.enableAutomaticPings(20, java.util.concurrent.TimeUnit.SECONDS);
                SignalingSession s = hub().open(ctx.pathParam("id"), sender(ctx));
                sessions.put(ctx.sessionId(), s);
            });
            ws.onMessage(ctx -> {
                SignalingSession s = sessions.get(ctx.sessionId());
                if (s != null) {
                    s.onText(ctx.message());
                }
            });
            ws.onBinaryMessage(ctx -> {
                SignalingSession s = sessions.get(ctx.sessionId());
                if (s != null) {
                    s.onBinary();
                }
            });
            ws.onClose(ctx -> {
                SignalingSession s = sessions.remove(ctx.sessionId());
                if (s != null) {
                    s.onClose();
                }
            });
            ws.onError(ctx -> {
                LOG.debug("signaling socket error: {}", ctx.error() == null ? "?" : ctx.error().toString());
                SignalingSession s = sessions.remove(ctx.sessionId());
                if (s != null) {
                    s.onClose();
                }
            });
        });
    }

    private static SignalingSender sender(WsContext ctx) {
        SerialWebSocketSender out = new SerialWebSocketSender(ctx);
        return new SignalingSender() {
            @Override
            public void send(String json) {
                out.send(json);
            }

            @Override
            public void close(int code, String reason) {
                if (ctx.session.isOpen()) {
                    ctx.closeSession(code, reason);
                }
            }
        };
    }

    private void create(Context ctx) {
        ApiResult r = api().create(ctx.body());
        if (r.status() == 201) {
            Caller who = HttpGuard.caller(ctx);
            owners.created((String) r.body().get("id"), who.subject(), (String) r.body().get("title"));
        }
        answer(ctx, r);
    }

    /** The token binds who asked: the signed-in account (as host when they own the meeting) or a guest. */
    private void join(Context ctx) {
        Caller who = HttpGuard.caller(ctx);
        MeetingApi.Joiner joiner = HttpGuard.signedIn(ctx).isEmpty()
                ? MeetingApi.Joiner.GUEST
                : new MeetingApi.Joiner(who.subject(),
                        who.roles().contains(StenoPolicy.OWNER) || who.roles().contains(StenoPolicy.HOST));
        answer(ctx, api().join(ctx.pathParam("id"), ctx.body(), joiner));
    }

    private void roomPage(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        boolean known = MeetingIds.isWellFormed(id) && api().get(id).status() == 200;
        try (InputStream in = MeetingRoutes.class.getResourceAsStream("/web/room.html")) {
            if (in == null) {
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(java.util.Map.of("error", "the room page is missing from this build"));
                return;
            }
            // The page itself explains an unknown meeting; the status tells machines.
            ctx.status(known ? 200 : 404).contentType("text/html; charset=utf-8")
                    .result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private MeetingApi api() {
        MeetingApi a = api.get();
        if (a == null) {
            throw new io.javalin.http.ServiceUnavailableResponse("meetings are starting; retry in a moment");
        }
        return a;
    }

    private SignalingHub hub() {
        SignalingHub h = hub.get();
        if (h == null) {
            throw new IllegalStateException("signaling is not started");
        }
        return h;
    }

    private static void answer(Context ctx, ApiResult r) {
        ctx.status(r.status()).json(r.body());
    }
}
