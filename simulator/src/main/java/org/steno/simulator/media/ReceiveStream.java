package org.steno.simulator.media;

import org.steno.conference.media.rtcp.RtcpPacket;

/**
 * What one received SSRC (one receive slot of ours) brought: packets, the extended highest sequence number,
 * loss and interarrival jitter as RFC 3550 §6.4.1 and A.8 compute them, and the server's last sender report
 * (for the LSR/DLSR of our receiver reports). Touched by one media loop thread only.
 */
final class ReceiveStream {

    final long ssrc;
    final String kind;
    private final int clockRate;
    long packets;
    private long baseSeq = -1;
    private long highestSeq = -1; // extended
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit = Long.MIN_VALUE;
    private long lastArrivalNanos;
    private long firstArrivalNanos;
    private static final long IDLE_NANOS = 1_000_000_000L;
    private double jitter; // RTP timestamp units
    private long lastSrMiddle;
    private long lastSrArrivalNanos;

    ReceiveStream(long ssrc, String kind) {
        this.ssrc = ssrc;
        this.kind = kind;
        this.clockRate = kind.equals("video") ? 90_000 : 48_000;
    }

    void onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        packets++;
        if (highestSeq < 0) {
            baseSeq = seq;
            highestSeq = seq;
        } else {
            // The extension of this 16-bit number closest to the highest seen (handles the 65535 → 0 wrap).
            long candidate = (highestSeq & ~0xFFFFL) | seq;
            if (candidate < highestSeq - 0x8000) {
                candidate += 0x10000;
            } else if (candidate > highestSeq + 0x8000) {
                candidate -= 0x10000;
            }
            highestSeq = Math.max(highestSeq, candidate);
        }
        if (packets == 1) {
            firstArrivalNanos = arrivalNanos;
        }
        // Arrival in RTP units from this stream's first packet (nanoTime × 90 kHz would overflow a long after a
        // day's uptime); the transit is kept to 32 bits, as RTP timestamps are, so their wrap is not a jump.
        long arrival = (arrivalNanos - firstArrivalNanos) / 1000 * clockRate / 1_000_000L;
        int transit = (int) (arrival - rtpTimestamp);
        if (lastArrivalNanos != 0 && arrivalNanos - lastArrivalNanos > IDLE_NANOS) {
            // The slot was idle (freed, then given a source again): the SFU keeps its timestamps continuous rather
            // than advanced by the idle time, so the gap says nothing about the network. Measure afresh.
            lastTransit = Long.MIN_VALUE;
        }
        lastArrivalNanos = arrivalNanos;
        if (lastTransit != Long.MIN_VALUE) {
            long d = Math.abs((long) (transit - (int) lastTransit)); // a 32-bit difference: across the wrap too
            // Two packets of one video frame share a timestamp and leave together: d is their spacing, as in RFC 3550.
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
    }

    void onSenderReport(long ntp, long arrivalNanos) {
        lastSrMiddle = (ntp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = arrivalNanos;
    }

    long expected() {
        return highestSeq < 0 ? 0 : highestSeq - baseSeq + 1;
    }

    long lost() {
        return Math.max(0, expected() - packets);
    }

    double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    /** A report block about this stream; moves the "since the last report" counters on. */
    RtcpPacket.ReportBlock reportBlock(long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = packets - receivedPrior;
        expectedPrior = expected;
        receivedPrior = packets;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = lastSrArrivalNanos == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        return new RtcpPacket.ReportBlock(ssrc, Math.min(255, fraction), (int) Math.min(lost(), 0x7FFFFF),
                highestSeq < 0 ? 0 : highestSeq & 0xFFFFFFFFL, (long) jitter, lastSrMiddle, dlsr & 0xFFFFFFFFL);
    }
}
