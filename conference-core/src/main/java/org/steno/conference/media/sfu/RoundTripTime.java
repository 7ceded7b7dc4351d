package org.steno.conference.media.sfu;

/**
 * A subscriber's round-trip time, from the report blocks its receiver reports send back about our
 * sender reports (RFC 3550 §6.4.1: now − LSR − DLSR, in 1/65536 s), smoothed like TCP's SRTT
 * (RFC 6298: 7/8 old + 1/8 new). Until a first sample, a conservative 100 ms.
 */
final class RoundTripTime {

    static final long DEFAULT_NANOS = 100_000_000L;
    private static final long MAX_NANOS = 5_000_000_000L;

    private volatile long smoothedNanos = -1;

    /**
     * @param lastSr           the block's LSR: the middle 32 bits of our sender report's NTP time (0: none yet)
     * @param delaySinceLastSr the block's DLSR, 1/65536 s
     * @param nowNtp           our NTP time now (64-bit)
     */
    void onReportBlock(long lastSr, long delaySinceLastSr, long nowNtp) {
        if (lastSr == 0) {
            return;
        }
        long nowMiddle = (nowNtp >>> 16) & 0xFFFF_FFFFL;
        long units = (nowMiddle - lastSr - delaySinceLastSr) & 0xFFFF_FFFFL;
        long nanos = units * 1_000_000_000L / 65_536L;
        if (nanos <= 0 || nanos > MAX_NANOS) {
            return; // a clock step or a forged block: no sample rather than a wild one
        }
        long s = smoothedNanos;
        smoothedNanos = s < 0 ? nanos : (7 * s + nanos) / 8;
    }

    long nanos() {
        long s = smoothedNanos;
        return s < 0 ? DEFAULT_NANOS : s;
    }
}
