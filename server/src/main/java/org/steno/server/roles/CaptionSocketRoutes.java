package org.steno.server.roles;

import org.steno.access.Action;
import org.steno.server.http.GuardedRoutes;
import org.steno.server.http.Route;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.steno.server.http.HttpRoutes;
import org.steno.subtitles.fanout.CaptionFanout;
import org.steno.subtitles.fanout.CaptionViewer;

/**
 * The caption WebSocket {@code /ws/meetings/<id>/captions}: each browser of a meeting is a
 * {@link CaptionViewer} of the transport-agnostic {@link CaptionFanout}; one CaptionEvent per
 * text message in protobuf's JSON mapping. Sends are asynchronous (Jetty callbacks), so a
 * slow browser only fills its own bounded queue. Checked by {@code HttpGuard} before upgrade.
 */
final class CaptionSocketRoutes implements HttpRoutes {

    static final String PATH = "/ws/meetings/{id}/captions";

    private final CaptionFanout fanout;
    private final Map<String, CaptionFanout.Subscription> subscriptions = new ConcurrentHashMap<>();

    CaptionSocketRoutes(CaptionFanout fanout) {
        this.fanout = fanout;
    }

    @Override
    public void register(GuardedRoutes routes) {
        routes.ws(PATH, Action.SUBSCRIBE_MEDIA, Route.On.MEETING, ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(Duration.ofMinutes(2));
                ctx.enableAutomaticPings(20, TimeUnit.SECONDS);
                subscriptions.put(ctx.sessionId(), fanout.subscribe(ctx.pathParam("id"), viewer(ctx)));
            });
            ws.onMessage(ctx -> {
                // Read-only: browsers have nothing to say on this socket.
            });
            ws.onClose(ctx -> unsubscribe(ctx.sessionId()));
            ws.onError(ctx -> unsubscribe(ctx.sessionId()));
        });
    }

    private void unsubscribe(String sessionId) {
        CaptionFanout.Subscription s = subscriptions.remove(sessionId);
        if (s != null) {
            s.close();
        }
    }

    private static CaptionViewer viewer(WsContext ctx) {
        return new CaptionViewer() {
            @Override
            public void send(String json, Consumer<Throwable> done) {
                if (!ctx.session.isOpen()) {
                    done.accept(new IllegalStateException("socket closed"));
                    return;
                }
                ctx.session.sendText(json, Callback.from(() -> done.accept(null), done::accept));
            }

            @Override
            public void close(String reason) {
                if (ctx.session.isOpen()) {
                    ctx.session.close(1008, reason, Callback.NOOP);
                }
            }
        };
    }

    int open() {
        return subscriptions.size();
    }
}
