package org.steno.server.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * The address a request really comes from. {@code X-Forwarded-For} is believed only when the
 * connection comes from a configured trusted proxy ({@code http.trusted-proxies}); otherwise
 * anyone could pick the address the audit log and the rate limits see.
 */
public final class ClientAddress {

    private final Set<String> trustedProxies;

    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(Context ctx) {
        return of(ctx.ip(), ctx.header("X-Forwarded-For"));
    }

    /**
     * Walks the forwarded chain from the nearest hop: the first address that is not a trusted
     * proxy is the client.
     */
    String of(String peer, String forwardedFor) {
        if (!trustedProxies.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        List<String> hops = List.of(forwardedFor.split(","));
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i).strip();
            if (hop.isEmpty() || !hop.matches("[0-9A-Fa-f:.]{2,45}")) {
                return client; // not an address: stop believing the rest of the chain
            }
            client = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return client;
    }
}
