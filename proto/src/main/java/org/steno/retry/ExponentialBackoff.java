package org.steno.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Delays between attempts that double from {@code first} up to {@code max}. Shared so that every
 * client of a remote service waits the same way (several older ones still compute theirs inline).
 */
public record ExponentialBackoff(Duration first, Duration max) {

    public ExponentialBackoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first ≤ max, got " + first + " and " + max);
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1, got " + retry);
        }
        // Past 2^30 the doubling would overflow; max has long been reached by then.
        long factor = 1L << Math.min(retry - 1, 30);
        Duration d = first.multipliedBy(factor);
        return d.compareTo(max) > 0 || d.isNegative() ? max : d;
    }
}
