package org.steno.server.http;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cookie that recognises a browser at a meeting's door: while it waits in the lobby (its
 * page asks again every few seconds), after it entered (a reload comes back in), and after a
 * host removed it (it waits again). Random, HttpOnly, never a credential: it lets nobody in
 * by itself.
 */
final class BrowserKey {

    static final String NAME = "steno_browser";
    private static final SecureRandom RANDOM = new SecureRandom();

    private BrowserKey() {
    }

    /** The browser's key, set on this response when it has none (or a malformed one). */
    static String readOrSet(Context ctx, boolean secure) {
        String k = ctx.cookie(NAME);
        if (k != null && k.matches("[A-Za-z0-9_-]{43}")) {
            return k;
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        k = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ctx.header("Set-Cookie", NAME + "=" + k + "; Path=/; Max-Age=" + 30 * 24 * 3600
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
        return k;
    }
}
