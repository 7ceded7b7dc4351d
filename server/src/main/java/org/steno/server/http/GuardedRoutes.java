package org.steno.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.websocket.WsConfig;
import java.util.function.Consumer;
import org.steno.access.Action;

/**
 * How a role adds routes to the HTTP server: each one with the action it performs and the kind
 * of resource it acts on, declared in the same call that registers its handler, so a route
 * cannot exist without a rule. {@link HttpGuard} checks every request against the declaration
 * before the handler runs.
 */
public final class GuardedRoutes {

    private final RoutesConfig javalin;
    private final RouteTable table;
    private final HttpGuard guard;

    public GuardedRoutes(RoutesConfig javalin, RouteTable table, HttpGuard guard) {
        this.javalin = javalin;
        this.table = table;
        this.guard = guard;
    }

    public void get(String path, Action action, Route.On on, Handler handler) {
        table.add(new Route("GET", path, action, on));
        javalin.get(path, handler);
    }

    public void head(String path, Action action, Route.On on, Handler handler) {
        table.add(new Route("HEAD", path, action, on));
        javalin.head(path, handler);
    }

    public void post(String path, Action action, Route.On on, Handler handler) {
        table.add(new Route("POST", path, action, on));
        javalin.post(path, handler);
    }

    /** A WebSocket: the guard also runs before the upgrade, which the HTTP before-handlers do not see. */
    public void ws(String path, Action action, Route.On on, Consumer<WsConfig> ws) {
        table.add(new Route("WS", path, action, on));
        javalin.wsBeforeUpgrade(path, guard::check);
        javalin.ws(path, ws);
    }

    /** Files served by the static handler (the web app's pages, scripts and styles): viewing only. */
    public void staticFiles(String path) {
        table.add(new Route("GET", path, Action.VIEW, Route.On.WEB));
    }
}
