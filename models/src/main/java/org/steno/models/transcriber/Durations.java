package org.steno.models.transcriber;

import com.google.protobuf.Duration;

/** Sample counts (16 kHz) to and from protobuf Durations; shared by every engine behind Transcriber. */
public final class Durations {

    private Durations() {
    }

    public static Duration ofSamples(long samples) {
        long nanos = samples * 1_000_000_000L / 16_000;
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }

    public static long toMillis(Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }

    public static Duration plus(Duration a, Duration b) {
        long nanos = (a.getSeconds() + b.getSeconds()) * 1_000_000_000L + a.getNanos() + b.getNanos();
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }
}
