package org.steno.server.http;

import io.javalin.config.RoutesConfig;

/**
 * Routes a role adds to the process's HTTP server (REST endpoints, WebSockets). They are
 * registered after the built-in ones and behind the same {@link HttpGuard}; a contributor
 * that adds a path must also teach {@link HttpGuard} which action and resource it is.
 */
@FunctionalInterface
public interface HttpRoutes {

    void register(RoutesConfig routes);
}
