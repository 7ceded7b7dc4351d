package org.steno.identity.oidc;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sign-ins started and not yet finished, by state. Kept in memory: a restart only means the
 * people in the middle of signing in start again. Bounded so that hammering the start URL
 * cannot grow the heap: past {@code max}, the oldest pending sign-in is dropped (the route's
 * rate limit per address keeps one client from evicting everyone else's).
 */
final class PendingLogins {

    record Pending(Nonce nonce, CodeVerifier verifier, Instant created) {
    }

    private final int max;
    private final Duration ttl;
    private final Clock clock;
    /** Insertion order is creation order, so expired entries sit at the head. */
    private final LinkedHashMap<String, Pending> byState = new LinkedHashMap<>();

    PendingLogins(int max, Duration ttl, Clock clock) {
        this.max = max;
        this.ttl = ttl;
        this.clock = clock;
    }

    synchronized Pending add(String state, Nonce nonce, CodeVerifier verifier) {
        Instant now = clock.instant();
        dropExpired(now);
        Iterator<String> oldest = byState.keySet().iterator();
        while (byState.size() >= max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        Pending pending = new Pending(nonce, verifier, now);
        byState.put(state, pending);
        return pending;
    }

    /** Removes and returns the sign-in for {@code state}: null if unknown, already taken or expired. */
    synchronized Pending take(String state) {
        if (state == null) {
            return null;
        }
        Pending pending = byState.remove(state);
        return pending == null || expired(pending, clock.instant()) ? null : pending;
    }

    synchronized int size() {
        return byState.size();
    }

    synchronized void clear() {
        byState.clear();
    }

    private void dropExpired(Instant now) {
        Iterator<Map.Entry<String, Pending>> it = byState.entrySet().iterator();
        while (it.hasNext() && expired(it.next().getValue(), now)) {
            it.remove();
        }
    }

    private boolean expired(Pending pending, Instant now) {
        return !now.isBefore(pending.created().plus(ttl));
    }
}
