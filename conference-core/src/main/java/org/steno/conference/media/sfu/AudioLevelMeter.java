package org.steno.conference.media.sfu;

/**
 * Smoothed loudness of one audio track from RFC 6464 levels (0 = 0 dBov loudest … 127 = silence). Loudness is
 * {@code 127 - level}, averaged exponentially (about 0.3 s at 50 packets/s) and decayed when packets stop.
 */
public final class AudioLevelMeter {

    private static final double ALPHA = 0.07;
    private static final long STALE_NANOS = 1_000_000_000L;

    private double smoothed;
    private long lastNanos;

    public synchronized void add(int level, long nowNanos) {
        if (level < 0) {
            return;
        }
        double loudness = 127 - Math.min(127, level);
        smoothed += ALPHA * (loudness - smoothed);
        lastNanos = nowNanos;
    }

    /** Smoothed loudness in dB above -127 dBov; 0 if the track went quiet for a second. */
    public synchronized double loudness(long nowNanos) {
        return nowNanos - lastNanos > STALE_NANOS ? 0 : smoothed;
    }
}
