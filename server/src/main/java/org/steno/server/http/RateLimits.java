package org.steno.server.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.EnumMap;
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

    private static final int MAX_ADDRESSES = 10_000;

    private final Map<Action, Limit> limits;
    private final Map<Action, LinkedHashMap<String, Bucket>> buckets = new EnumMap<>(Action.class);

    public RateLimits(Map<Action, Limit> limits) {
        this.limits = Map.copyOf(limits);
        for (Action a : limits.keySet()) {
            buckets.put(a, new LinkedHashMap<>(256, 0.75f, true) {
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
        Limit limit = limits.get(action);
        if (limit == null) {
            return 0;
        }
        Bucket bucket;
        LinkedHashMap<String, Bucket> perAddress = buckets.get(action);
        synchronized (perAddress) {
            bucket = perAddress.computeIfAbsent(address, a -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(limit.perMinute())
                            .refillGreedy(limit.perMinute(), Duration.ofMinutes(1)).build())
                    .build());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
    }
}
