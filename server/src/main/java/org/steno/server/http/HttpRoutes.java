package org.steno.server.http;

/**
 * Routes a role adds to the process's HTTP server (REST endpoints, WebSockets). They are
 * registered after the built-in ones through {@link GuardedRoutes}, each with the action it
 * performs, and judged by the one {@link HttpGuard}.
 */
@FunctionalInterface
public interface HttpRoutes {

    void register(GuardedRoutes routes);
}
