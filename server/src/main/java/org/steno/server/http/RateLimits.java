package org.steno.server.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.steno.access.Action;

/**
 * Per-address limits on the actions a script would hammer (creating meetings, asking to join):
 * token buckets from Bucket4j, kept for the most recent addresses only so a flood of
 * addresses cannot grow memory without bound.
 */
public final class RateLimits {

    /** The limit of one action: {@code perMinute} requests, refilled evenly, a burst of the same size. */
    public record Limit(int perMinute) {
    }

    static final Map<Action, Limit> DEFAULTS = Map.of(
            Action.SIGN_IN, new Limit(10),
            Action.CREATE_MEETING, new Limit(30),
            Action.JOIN_MEETING, new Limit(120));
    /** Refusals of any action, per address: a script probing what it may not do (each refusal is an audit entry). */
    static final Limit REFUSALS = new Limit(120);

    private static final int MAX_ADDRESSES = 10_000;
    private static final String REFUSED = "refused";

    private final Map<String, Limit> limits = new java.util.HashMap<>();
    private final Map<String, LinkedHashMap<String, Bucket>> buckets = new java.util.HashMap<>();

    public RateLimits(Map<Action, Limit> limits) {
        this(limits, REFUSALS);
    }

    public RateLimits(Map<Action, Limit> limits, Limit refusals) {
        limits.forEach((a, l) -> this.limits.put(a.name(), l));
        this.limits.put(REFUSED, refusals);
        for (String k : this.limits.keySet()) {
            buckets.put(k, new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                    return size() > MAX_ADDRESSES;
                }
            });
        }
    }

    public static RateLimits defaults() {
        return new RateLimits(DEFAULTS);
    }

    /** Zero when {@code address} may do {@code action} now, else the seconds until it may. */
    public long retryAfterSeconds(Action action, String address) {
        return retryAfter(action.name(), address);
    }

    /** Zero when {@code address} may be refused once more now, else the seconds until it may ask again. */
    public long retryAfterRefusal(String address) {
        return retryAfter(REFUSED, address);
    }

    private long retryAfter(String what, String address) {
        Limit limit = limits.get(what);
        if (limit == null) {
            return 0;
        }
        Bucket bucket;
        LinkedHashMap<String, Bucket> perAddress = buckets.get(what);
        synchronized (perAddress) {
            bucket = perAddress.computeIfAbsent(key(address), a -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(limit.perMinute())
                            .refillGreedy(limit.perMinute(), Duration.ofMinutes(1)).build())
                    .build());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
    }

    /**
     * Whom a bucket belongs to: an IPv4 address, or an IPv6 address's /64 (one subscriber's
     * network hands out a whole /64: counting per address would give one client endless buckets).
     */
    static String key(String address) {
        if (address == null || address.indexOf(':') < 0 || !address.matches("\\[?[0-9A-Fa-f:.]+]?")) {
            return address == null ? "" : address; // IPv4, or not an address at all (an account's key)
        }
        try {
            String literal = address.startsWith("[") ? address.substring(1, address.indexOf(']')) : address;
            byte[] b = java.net.InetAddress.getByName(literal).getAddress(); // a literal: no name lookup
            return b.length == 16 ? java.util.HexFormat.of().formatHex(b, 0, 8) + "::/64" : address;
        } catch (java.io.IOException | RuntimeException e) {
            return address;
        }
    }
}
