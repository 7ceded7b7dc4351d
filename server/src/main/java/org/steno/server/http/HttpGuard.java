package org.steno.server.http;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/**
 * Asks {@link Access} about every HTTP request before any handler or static file runs.
 * Routes declare nothing themselves; the mapping from a request to (action, resource) is here,
 * in one place, so a route cannot forget to be checked.
 */
public final class HttpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);

    private static final java.util.regex.Pattern RECORDING = java.util.regex.Pattern.compile("/api/meetings/[^/]+/recording");
    private static final java.util.regex.Pattern CAPTIONS = java.util.regex.Pattern.compile("/api/meetings/[^/]+/captions");
    private static final java.util.regex.Pattern CAPTION_SOCKET = java.util.regex.Pattern.compile("/ws/meetings/[^/]+/captions");
    private static final java.util.regex.Pattern ARCHIVE = java.util.regex.Pattern.compile("/api/meetings/[^/]+/archive(/.*)?");
    private static final java.util.regex.Pattern JOIN = java.util.regex.Pattern.compile("/api/meetings/[^/]+/join");

    private final Access access;
    private final RateLimits limits;

    public HttpGuard(Access access) {
        this(access, RateLimits.defaults());
    }

    public HttpGuard(Access access, RateLimits limits) {
        this.access = access;
        this.limits = limits;
    }

    public void check(Context ctx) {
        Caller caller = Caller.anonymous(ctx.ip(), Caller.Channel.HTTP);
        String path = normalized(ctx.path());
        Action action = actionFor(ctx.method().name(), path);
        Resource resource = resourceFor(path);
        if (isCrossSite(ctx.header("Origin"), ctx.header("Host"), ctx.method().name(), path)) {
            LOG.info("refused cross-site {} {} from origin {}", ctx.method(), LogSafe.of(path), LogSafe.of(ctx.header("Origin")));
            throw new ForbiddenResponse("cross-site request refused: this page's own origin may change state or open its sockets");
        }
        Decision d = access.check(caller, action, resource);
        if (!d.allowed()) {
            LOG.info("denied {} {} on {} to {}: {}", ctx.method(), LogSafe.of(path), LogSafe.of(resource.toString()), caller.subject(), d.reason());
            throw new ForbiddenResponse(d.reason());
        }
        // Only POSTs are counted (create a meeting, ask for a join token): the pages and sockets a
        // join then opens are not, and a socket upgrade passes two guards.
        long wait = ctx.method().name().equals("POST") ? limits.retryAfterSeconds(action, ctx.ip()) : 0;
        if (wait > 0) {
            LOG.info("rate-limited {} {} from {}", ctx.method(), LogSafe.of(path), ctx.ip());
            ctx.header("Retry-After", Long.toString(wait));
            throw new io.javalin.http.HttpResponseException(429, "too many requests from your address for " + action
                    + "; try again in " + wait + " s");
        }
    }

    /**
     * The path routes see: Javalin ignores trailing slashes, so {@code …/recording/} is served by
     * the {@code …/recording} handler and must be judged as it.
     */
    static String normalized(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * A browser names the page that made a request in {@code Origin}; a state-changing request or
     * a WebSocket upgrade from another site's page is refused (CSRF, cross-site WebSocket
     * hijacking). Clients that are not browsers send no Origin and are judged by the policy alone.
     */
    static boolean isCrossSite(String origin, String host, String method, String path) {
        boolean sensitive = path.startsWith("/ws/") || !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        if (!sensitive || origin == null) {
            return false;
        }
        if (host == null || origin.equals("null")) {
            return true;
        }
        try {
            java.net.URI o = java.net.URI.create(origin);
            String authority = o.getRawAuthority();
            return authority == null || !authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    static Action actionFor(String method, String path) {
        if (isObservability(path)) {
            return Action.OBSERVE;
        }
        if (path.equals("/api/meetings") && method.equals("POST")) {
            return Action.CREATE_MEETING;
        }
        if (method.equals("POST") && RECORDING.matcher(path).matches()) {
            return Action.CONTROL_RECORDING;
        }
        if (method.equals("POST") && CAPTIONS.matcher(path).matches()) {
            return Action.CONTROL_CAPTIONS;
        }
        if (ARCHIVE.matcher(path).matches()) {
            return Action.DOWNLOAD; // a meeting's recordings and transcripts, their list included
        }
        if (CAPTION_SOCKET.matcher(path).matches()) {
            return Action.SUBSCRIBE_MEDIA;
        }
        if (path.startsWith("/ws/meetings/") || (method.equals("POST") && JOIN.matcher(path).matches())) {
            return Action.JOIN_MEETING;
        }
        return Action.VIEW;
    }

    static Resource resourceFor(String path) {
        if (isObservability(path)) {
            return Resource.system(path.substring(1));
        }
        String meeting = meetingIdIn(path);
        if (meeting != null) {
            return Resource.meeting(meeting);
        }
        return new Resource("web", path);
    }

    /** The meeting a path is about ("" for the collection /api/meetings), or null when none. */
    static String meetingIdIn(String path) {
        for (String prefix : new String[] {"/api/meetings/", "/ws/meetings/", "/m/"}) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                return decoded(slash < 0 ? rest : rest.substring(0, slash));
            }
        }
        return path.equals("/api/meetings") ? "" : null;
    }

    /**
     * A path segment as the route handlers see it (their path parameters are percent-decoded):
     * the policy must judge the meeting that is served, not its encoding ("m%31" is "m1").
     */
    private static String decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // not decodable: no route will serve it either
        }
    }

    private static boolean isObservability(String path) {
        return path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics");
    }
}
