package org.steno.conference.media;

import java.time.Duration;

/**
 * Percentiles of a set of delays, in nanoseconds.
 *
 * @param count samples
 */
public record DelaySummary(long count, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {

    /** No samples. */
    public static final DelaySummary NONE = new DelaySummary(0, 0, 0, 0, 0);

    public Duration p50() {
        return Duration.ofNanos(p50Nanos);
    }

    public Duration p99() {
        return Duration.ofNanos(p99Nanos);
    }
}
