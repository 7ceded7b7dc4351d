package org.steno.identity;

import java.util.Objects;

/**
 * What {@link Sessions#open} hands back once: the raw token for the browser's cookie, which
 * is stored nowhere, and the stored session.
 *
 * @param token 32 random bytes, Base64url without padding (43 characters)
 */
public record OpenedSession(String token, Session session) {

    public OpenedSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(session, "session");
    }

    /** Without the token, so logging this record (or an exception holding it) leaks nothing. */
    @Override
    public String toString() {
        return "OpenedSession[token=…, session=" + session + "]";
    }
}
