package org.steno.server.identity;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * The one cookie that says who is signed in: an opaque random token (the database keeps only
 * its hash), {@code HttpOnly} so page scripts never see it, {@code SameSite=Lax} so other
 * sites' forms do not send it, {@code Secure} when the public URL is https.
 */
final class SessionCookie {

    static final String NAME = "steno_session";

    private SessionCookie() {
    }

    static String read(Context ctx) {
        return ctx.cookie(NAME);
    }

    static void set(Context ctx, String token, Duration maxAge, boolean secure) {
        ctx.header("Set-Cookie", NAME + "=" + token + "; Path=/; Max-Age=" + maxAge.toSeconds()
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    static void clear(Context ctx, boolean secure) {
        ctx.header("Set-Cookie", NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }
}
