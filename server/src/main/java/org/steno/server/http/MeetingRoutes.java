package org.steno.server.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.conference.api.ApiResult;
import org.steno.conference.api.MeetingApi;
import org.steno.conference.meeting.MeetingIds;
import org.steno.conference.signaling.HostControls;
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
    /**
     * The socket's own limit on one text message, in bytes: {@link SignalingHub#MAX_MESSAGE} characters of UTF-8
     * fit (at most 3 bytes each), so a message over our limit reaches {@link SignalingSession} and gets a readable
     * {@code too-large} error; only a message past this one makes Jetty close with 1009, which is logged below.
     * Said here rather than left to Jetty's default (64 KiB), which closed offers just over it without a word.
     */
    static final long MAX_TEXT_BYTES = 3L * SignalingHub.MAX_MESSAGE;

    private final Supplier<MeetingApi> api;
    private final Supplier<SignalingHub> hub;
    private final Supplier<HostControls> controls;
    private final MeetingDirectory directory;
    private final java.util.function.BooleanSupplier secureCookies;
    private final ConcurrentHashMap<String, SignalingSession> sessions = new ConcurrentHashMap<>();
    private final SignalingCloser closer = new SignalingCloser();

    public MeetingRoutes(Supplier<MeetingApi> api, Supplier<SignalingHub> hub, Supplier<HostControls> controls,
                         MeetingDirectory directory, java.util.function.BooleanSupplier secureCookies) {
        this.secureCookies = secureCookies;
        this.api = api;
        this.hub = hub;
        this.controls = controls;
        this.directory = directory;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.post("/api/meetings", Action.CREATE_MEETING, Route.On.MEETING, this::create);
        routes.get("/api/meetings/{id}", Action.JOIN_MEETING, Route.On.MEETING, this::get);
        routes.post("/api/meetings/{id}/join", Action.JOIN_MEETING, Route.On.MEETING, this::join);
        routes.post("/api/meetings/{id}/end", Action.HOST_MEETING, Route.On.MEETING, ctx -> answer(ctx, api().end(ctx.pathParam("id"))));
        routes.get("/m/{id}", Action.VIEW, Route.On.MEETING, this::roomPage);
        new LobbyRoutes(this::api, controls, directory).register(routes);
        new MeetingSettingsRoutes(directory, this::api).register(routes);
        new MyMeetingsRoutes(directory, api).register(routes);
        routes.ws("/ws/meetings/{id}", Action.JOIN_MEETING, Route.On.MEETING, ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(2));
                ctx.session.setMaxTextMessageSize(MAX_TEXT_BYTES);
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
                logClose(s, ctx.status(), ctx.reason());
                if (s != null) {
                    closer.execute(s::onClose); // maybe inside a send made under a lock: SignalingCloser
                }
            });
            ws.onError(ctx -> {
                // A message too large (Jetty then closes with 1009), a protocol error, or a connection already
                // broken (a broken pipe once the browser went away: not worth a warning). onClose follows and
                // removes the session; leaving the meeting now is idempotent.
                SignalingSession s = sessions.get(ctx.sessionId());
                Throwable error = ctx.error();
                String what = error == null ? "?" : error.toString();
                if (s == null) {
                    LOG.debug("signaling socket error after its close in meeting {}: {}", ctx.pathParam("id"), what);
                } else if (error instanceof java.io.IOException) {
                    LOG.info("signaling socket of {} in meeting {} broke: {}", who(s), ctx.pathParam("id"), what);
                } else {
                    LOG.warn("signaling socket error for {} in meeting {}: {}", who(s), ctx.pathParam("id"), what);
                }
                if (s != null) {
                    closer.execute(s::onClose);
                }
            });
        });
    }

    /**
     * Every close is logged with its code and reason: the ordinary ones (1000 left, 1001 going away, 1005 the page
     * closed without a code, 4xxx our own, each logged by the session with its reason first) at info, the rest at
     * warn (1009 a message too large, 1011 a server error, 1006 no close frame).
     */
    private static void logClose(SignalingSession s, int status, String reason) {
        if (status == 1000 || status == 1001 || status == 1005 || (status >= 4000 && status < 5000)) {
            LOG.info("signaling socket of {} closed: {} {}", who(s), status, reason);
        } else {
            LOG.warn("signaling socket of {} closed: {} {}", who(s), status, reason);
        }
    }

    private static String who(SignalingSession s) {
        return s == null || s.participantId() == null ? "a connection not joined" : s.participantId();
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

    /** {@code {"title": …, "accessLevel": "public"|"trusted"|"restricted"}}; the level defaults to trusted. */
    private void create(Context ctx) {
        String level = MeetingSettingsRoutes.accessLevelIn(ctx.body(), MeetingDirectory.DEFAULT_ACCESS_LEVEL);
        if (level == null) {
            answer(ctx, ApiResult.error(400, "accessLevel must be one of public, trusted, restricted"));
            return;
        }
        ApiResult r = api().create(ctx.body());
        if (r.status() == 201) {
            Caller who = HttpGuard.caller(ctx);
            directory.created((String) r.body().get("id"), who.subject(), (String) r.body().get("title"), level);
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(r.body());
            out.put("accessLevel", level);
            r = new ApiResult(201, out);
        }
        answer(ctx, r);
    }

    private void get(Context ctx) {
        ApiResult r = api().get(ctx.pathParam("id"));
        if (r.status() == 200) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(r.body());
            out.put("accessLevel", accessLevel(ctx.pathParam("id")));
            out.put("locked", api().lobby().locked(ctx.pathParam("id")));
            r = ApiResult.ok(out);
        }
        answer(ctx, r);
    }

    private String accessLevel(String meetingId) {
        // A meeting only this process knows (no database) is open to its link, as before access levels.
        return directory.find(meetingId).map(MeetingDirectory.Entry::accessLevel).orElse("public");
    }

    /**
     * The token binds who asked: the signed-in account (as host when they own the meeting or are a
     * co-host) or a guest. Who must wait in the lobby follows the meeting's access level; the
     * browser is recognised by an HttpOnly cookie while it waits and after it entered.
     */
    private void join(Context ctx) {
        Caller who = HttpGuard.caller(ctx);
        String id = ctx.pathParam("id");
        Optional<Authenticator.SignedIn> signedIn = HttpGuard.signedIn(ctx);
        boolean host = who.roles().contains(StenoPolicy.OWNER) || who.roles().contains(StenoPolicy.HOST);
        String level = accessLevel(id);
        boolean invited = signedIn.isPresent() && directory.find(id)
                .map(e -> e.members().containsKey(signedIn.get().username())).orElse(false);
        boolean mustWait = switch (level) {
            case "public" -> false;
            case "trusted" -> signedIn.isEmpty();
            default -> !invited;
        };
        String key = BrowserKey.readOrSet(ctx, secureCookies.getAsBoolean());
        MeetingApi.Joiner joiner = signedIn.isEmpty()
                ? new MeetingApi.Joiner(null, false, null, mustWait, key, null)
                : new MeetingApi.Joiner(who.subject(), host, signedIn.get().displayName(), mustWait, key, null);
        answer(ctx, api().join(id, ctx.body(), joiner));
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
