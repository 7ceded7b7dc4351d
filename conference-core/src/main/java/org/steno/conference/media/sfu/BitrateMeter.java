package org.steno.conference.media.sfu;

/**
 * Bits per second over the last second or so: bytes are summed into the current 500 ms bucket, and the rate is the
 * previous full bucket plus the current one over the time they cover. Written under its lock (a subscriber's meter
 * is fed by several publishers' workers), read by any thread without it: the reads are approximate, which a rate
 * needs no better.
 */
final class BitrateMeter {

    private static final long BUCKET_NANOS = 500_000_000L;

    private volatile long bucketStart = Long.MIN_VALUE;
    private volatile long current;
    private volatile long previous;

    synchronized void add(int bytes, long nowNanos) {
        long start = bucketStart;
        if (start == Long.MIN_VALUE) {
            bucketStart = nowNanos;
        } else if (nowNanos - start >= BUCKET_NANOS) {
            // one bucket later keeps the current as previous; more than one means a silence: nothing before
            previous = nowNanos - start < 2 * BUCKET_NANOS ? current : 0;
            current = 0;
            bucketStart = nowNanos - (nowNanos - start) % BUCKET_NANOS;
        }
        current += bytes;
    }

    /** The rate at {@code nowNanos}, in bits per second (0 before any packet or after a second of silence). */
    long bitsPerSecond(long nowNanos) {
        long start = bucketStart;
        if (start == Long.MIN_VALUE || nowNanos - start >= 2 * BUCKET_NANOS) {
            return 0;
        }
        long covered = BUCKET_NANOS + Math.max(nowNanos - start, BUCKET_NANOS / 10);
        return (previous + current) * 8 * 1_000_000_000L / covered;
    }
}
