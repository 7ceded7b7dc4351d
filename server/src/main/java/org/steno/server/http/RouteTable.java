package org.steno.server.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every route the HTTP server serves, in declaration order. Filled by {@link GuardedRoutes}
 * as routes are registered, read by {@link HttpGuard} for each request and by the role ×
 * action matrix test, which fails on a route it has no row for.
 */
public final class RouteTable {

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    void add(Route r) {
        for (Route existing : routes) {
            if (existing.method().equals(r.method()) && existing.path().equals(r.path())) {
                throw new IllegalArgumentException("route declared twice: " + r);
            }
        }
        routes.add(r);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** A request matched to its route. */
    public record Match(Route route, Map<String, String> params) {
    }

    /**
     * The route serving {@code method} on {@code path} (already without trailing slash). HEAD
     * falls back to the GET route, as Javalin serves it. Literal routes win over templates
     * (Javalin's order), then the first declared.
     */
    public Optional<Match> match(String method, String path) {
        Optional<Match> m = find(method, path);
        if (m.isEmpty() && method.equals("HEAD")) {
            m = find("GET", path);
        }
        return m;
    }

    private Optional<Match> find(String method, String path) {
        Match best = null;
        int bestLiterals = -1;
        for (Route r : routes) {
            if (!r.method().equals(method)) {
                continue;
            }
            Map<String, String> params = r.match(path);
            if (params == null) {
                continue;
            }
            int literals = literalSegments(r.path());
            if (literals > bestLiterals) {
                best = new Match(r, params);
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int literalSegments(String template) {
        int n = 0;
        for (String s : template.split("/")) {
            if (!s.isEmpty() && !s.startsWith("{") && !s.startsWith("<")) {
                n++;
            }
        }
        return n;
    }
}
