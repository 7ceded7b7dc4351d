package org.steno.server.http;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;

/**
 * Judges every HTTP request and WebSocket upgrade before any handler or static file runs: finds
 * its route in the {@link RouteTable} (a request no route declares is refused), builds the
 * {@link Caller} from the session cookie and the caller's role in the meeting at hand, refuses
 * cross-site requests and forged state changes (Origin, CSRF token), asks {@link Access},
 * reports the decision to the audit log and applies the rate limits.
 */
public final class HttpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    /** The header state-changing requests of a signed-in browser carry (the page reads it from {@code /api/me}). */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String CALLER = "steno.caller";
    private static final String SIGNED_IN = "steno.signedIn";
    /**
     * Viewing pages and health checks are not worth an audit entry each; everything else is.
     * Administration, searches and legal holds are written by their routes instead, with what
     * changed, what was searched and how many results it had, the hold's reason, or the periods set.
     */
    private static final Set<Action> NOT_AUDITED = Set.of(Action.VIEW, Action.OBSERVE, Action.SIGN_IN, Action.ADMINISTER,
            Action.SEARCH_ARCHIVE, Action.LEGAL_HOLD, Action.SET_RETENTION);
    /** Refusals of these are 403 even to someone not signed in: an account would not change the answer. */
    private static final Set<Action> SIGN_IN_CANNOT_HELP = Set.of(Action.VIEW, Action.OBSERVE, Action.SIGN_IN,
            Action.JOIN_MEETING, Action.SUBSCRIBE_MEDIA, Action.INGEST, Action.USE_MODELS, Action.INSPECT_SERVICES);

    private final Access access;
    private final RouteTable table;
    private final Authenticator authenticator;
    private final MeetingRoles meetingRoles;
    private final AuditSink audit;
    private final RateLimits limits;
    private final ClientAddress addresses;

    public HttpGuard(Access access, RouteTable table, Authenticator authenticator, MeetingRoles meetingRoles,
                     AuditSink audit, RateLimits limits, ClientAddress addresses) {
        this.access = access;
        this.table = table;
        this.authenticator = authenticator;
        this.meetingRoles = meetingRoles;
        this.audit = audit;
        this.limits = limits;
        this.addresses = addresses;
    }

    public RouteTable table() {
        return table;
    }

    public void check(Context ctx) {
        if (ctx.attribute(CALLER) != null) {
            return; // a WebSocket upgrade passes the HTTP before-handlers and the upgrade guard
        }
        String path = normalized(ctx.path());
        String method = isUpgrade(ctx) ? "WS" : ctx.method().name();
        Optional<RouteTable.Match> match = table.match(method, path);
        if (match.isEmpty()) {
            // Deny by default: nothing is served that no route declares.
            throw new NotFoundResponse("no such page: " + LogSafe.of(path));
        }
        Route route = match.get().route();
        Action action = route.action();
        Resource resource = route.resource(path, match.get().params());
        String address = addresses.of(ctx);
        Optional<Authenticator.SignedIn> who = authenticator.signedIn(ctx);
        Caller caller = caller(who, resource, address, method.equals("WS") ? Caller.Channel.WEBSOCKET : Caller.Channel.HTTP);
        ctx.attribute(CALLER, caller);
        who.ifPresent(s -> ctx.attribute(SIGNED_IN, s));

        if (isCrossSite(ctx.header("Origin"), ctx.header("Host"), method)) {
            LOG.info("refused cross-site {} {} from origin {}", method, LogSafe.of(path), LogSafe.of(ctx.header("Origin")));
            deny(caller, action, resource, "cross-site request refused", method + " " + path);
            throw new ForbiddenResponse("cross-site request refused: this page's own origin may change state or open its sockets");
        }
        if (who.isPresent() && isStateChanging(method) && action != Action.SIGN_IN
                && !sameToken(who.get().csrfToken(), ctx.header(CSRF_HEADER))) {
            deny(caller, action, resource, "missing or wrong CSRF token", method + " " + path);
            throw new ForbiddenResponse("this request lacks the page's " + CSRF_HEADER + " header; reload the page and try again");
        }
        Decision d = access.check(caller, action, resource);
        // Counted: state changes (create a meeting, ask for a join token), every way into sign-in
        // (the provider's start is a GET and fills its pending logins), and refusals, so that
        // neither a script nor its audit entries can flood the server. Pages and sockets a join
        // opens are not counted.
        long wait = !d.allowed() ? limits.retryAfterRefusal(address)
                : method.equals("POST") || action == Action.SIGN_IN ? limits.retryAfterSeconds(action, address) : 0;
        if (wait == 0 && d.allowed() && who.isPresent() && method.equals("POST")) {
            // The same budget per account: one account spread over many addresses is still one.
            wait = limits.retryAfterSeconds(action, "account " + who.get().accountId());
        }
        if (wait > 0) {
            // Not an audit entry each: a flood must not become the audit log's content. The log line
            // is enough to see it, and nothing was done.
            LOG.info("rate-limited {} {} from {}", method, LogSafe.of(path), LogSafe.of(address));
            ctx.header("Retry-After", Long.toString(wait));
            throw new HttpResponseException(429, d.allowed()
                    ? "too many requests from your address for " + action + "; try again in " + wait + " s"
                    : "too many refused requests from your address; try again in " + wait + " s");
        }
        if (audited(method, action, d)) {
            audit.decided(caller, action, resource, d, method + " " + path);
        }
        if (!d.allowed()) {
            LOG.info("denied {} {} on {} to {}: {}", method, LogSafe.of(path), LogSafe.of(resource.toString()),
                    LogSafe.of(caller.subject()), d.reason());
            if (who.isEmpty() && !SIGN_IN_CANNOT_HELP.contains(action)) {
                throw new HttpResponseException(401, d.reason()); // nobody signed in, and signing in might help
            }
            throw new ForbiddenResponse(d.reason());
        }
    }

    /**
     * What reaches the audit log: every refusal, and every allowed action but looking (pages,
     * health, a meeting's state read by its own page) and signing in (its routes write the
     * entry, with the outcome). Administration is written by its routes too, with what changed.
     */
    private static boolean audited(String method, Action action, Decision d) {
        if (!d.allowed()) {
            return true;
        }
        if (NOT_AUDITED.contains(action)) {
            return false;
        }
        if (action == Action.JOIN_MEETING) {
            return !method.equals("GET") && !method.equals("HEAD"); // asking for a token, opening the socket
        }
        return true;
    }

    private void deny(Caller caller, Action action, Resource resource, String why, String request) {
        audit.decided(caller, action, resource, Decision.deny(why), request);
    }

    private Caller caller(Optional<Authenticator.SignedIn> who, Resource resource, String address, Caller.Channel channel) {
        if (who.isEmpty()) {
            return Caller.anonymous(address, channel);
        }
        Set<String> roles = new HashSet<>(who.get().roles());
        if (resource.type().equals("meeting") && !resource.id().isEmpty()) {
            roles.addAll(meetingRoles.of(who.get().accountId(), resource.id()));
        }
        return new Caller(who.get().accountId(), roles, address, channel);
    }

    /** The caller the guard judged this request as (set before any handler runs). */
    public static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("the request did not pass HttpGuard");
        }
        return c;
    }

    /** The signed-in account behind this request, if any. */
    public static Optional<Authenticator.SignedIn> signedIn(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SIGNED_IN));
    }

    private static boolean isUpgrade(Context ctx) {
        String upgrade = ctx.header("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private static boolean isStateChanging(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("WS"));
    }

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
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
    static boolean isCrossSite(String origin, String host, String method) {
        boolean sensitive = method.equals("WS") || isStateChanging(method);
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
}
