package org.steno.server.http;

import io.javalin.http.Context;

/**
 * Headers every response carries. The web client is plain ES modules from this origin with no
 * inline script, so the policy can forbid every other source; media comes from this origin or
 * from blob URLs, sockets go back to it. HSTS only when the public URL is https (over plain
 * http it would be ignored, and on localhost it would pin a developer's browser).
 */
public final class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " media-src 'self' blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private final boolean https;

    public SecurityHeaders(boolean https) {
        this.https = https;
    }

    public void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()");
        if (https) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
