package org.steno.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in browser, as stored. Holds no secret that signs anyone in: {@code id} is the
 * SHA-256 of the cookie's token, which only the browser has.
 *
 * @param id         lowercase hex SHA-256 of the token
 * @param lastSeenAt moved forward at most once a minute
 * @param expiresAt  the absolute end, whatever the activity
 * @param csrfToken  sent back by the page in a header on every state-changing request
 */
public record Session(String id, String accountId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                      String csrfToken) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /** Never the CSRF token: a log line must not hand a page's forgery defence to whoever reads it. */
    @Override
    public String toString() {
        return "Session[" + id + " of " + accountId + ", expires " + expiresAt + "]"; // the id is a hash: not secret
    }
}
