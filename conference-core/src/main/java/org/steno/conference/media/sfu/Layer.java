package org.steno.conference.media.sfu;

import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtp.SequenceUnwrapper;

/**
 * One upstream RTP stream of a track: the only one of an ordinary track, or one simulcast encoding (its RFC 8851
 * rid). Holds its SSRC (learnt from the first packet that names the rid when the offer signals none), 64-bit
 * extended sequence numbers, reception statistics for receiver reports (RFC 3550 §6.4.1, A.3, A.8), the
 * keyframe-request rate limit, the frame size its last keyframe announced and its bitrate. Packets of one layer
 * arrive on the publisher's serial worker, so the statistics need no locking; {@link #reportBlock} runs on the timer
 * and reads fields that are only approximately consistent, which is fine for a report.
 */
final class Layer {

    private static final long KEYFRAME_INTERVAL_NANOS = 500_000_000L;
    /** A layer that sent nothing for this long is not offered to subscribers (the encoder dropped it). */
    static final long ACTIVE_NANOS = 1_000_000_000L;

    final Receiver receiver;
    /** Position in the offer's {@code a=simulcast} list (0 for an ordinary track). */
    final int index;
    /** The RFC 8851 rid, or null for an ordinary track. */
    final String rid;
    volatile long ssrc;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private long baseSeq = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransitTicks = Long.MIN_VALUE;
    private volatile long lastSrMiddle;
    private volatile long lastSrArrivalNanos;
    private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    private boolean keyframeRequestDeferred;
    volatile long lastPacketNanos;
    /** Frame size from the last VP8 keyframe (0 until one was seen). */
    volatile int width;
    volatile int height;
    final BitrateMeter bitrate = new BitrateMeter();
    /** The fraction (0–255) of this layer lost before it reached us, over the last report interval. */
    volatile int upstreamFractionLost;

    Layer(Receiver receiver, int index, String rid, long ssrc) {
        this.receiver = receiver;
        this.index = index;
        this.rid = rid;
        this.ssrc = ssrc;
    }

    /** Records one packet; returns its extended sequence number. */
    long onPacket(int seq, long rtpTs, int bytes, long arrivalNanos) {
        long ext = unwrapper.unwrap(seq);
        if (baseSeq < 0) {
            baseSeq = ext;
        }
        received++;
        long arrivalTicks = arrivalNanos / 1000 * receiver.info.clockRate() / 1_000_000L;
        long transit = arrivalTicks - rtpTs;
        if (lastTransitTicks != Long.MIN_VALUE) {
            long d = Math.abs(transit - lastTransitTicks);
            jitter += (d - jitter) / 16.0;
        }
        lastTransitTicks = transit;
        lastPacketNanos = arrivalNanos;
        bitrate.add(bytes, arrivalNanos);
        return ext;
    }

    /** Sending now (a packet within {@link #ACTIVE_NANOS}). */
    boolean active(long nowNanos) {
        long last = lastPacketNanos;
        return last != 0 && nowNanos - last < ACTIVE_NANOS;
    }

    void onSenderReport(long ntp, long arrivalNanos) {
        lastSrMiddle = (ntp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = arrivalNanos;
    }

    /** A report block about this layer, or null before any packet. */
    RtcpPacket.ReportBlock reportBlock(long nowNanos) {
        long highest = unwrapper.highest();
        if (baseSeq < 0 || highest < 0) {
            return null;
        }
        long expected = highest - baseSeq + 1;
        long lost = expected - received;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        upstreamFractionLost = Math.min(255, fraction);
        long dlsr = lastSrArrivalNanos == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        return new RtcpPacket.ReportBlock(ssrc, Math.min(255, fraction), (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost)),
                highest & 0xFFFFFFFFL, (long) jitter, lastSrMiddle, lastSrMiddle == 0 ? 0 : dlsr);
    }

    /** True (and the clock reset) if a keyframe request may go to the publisher now: at most one per 500 ms. */
    synchronized boolean allowKeyframeRequest(long nowNanos) {
        if (nowNanos - lastKeyframeRequestNanos < KEYFRAME_INTERVAL_NANOS) {
            return false;
        }
        lastKeyframeRequestNanos = nowNanos;
        keyframeRequestDeferred = false;
        return true;
    }

    /**
     * A request refused by the rate limit: returns the nanoseconds until one is allowed if the caller should
     * schedule it, or -1 if one is already scheduled. A slot switched just after another subscriber's request must
     * still get a keyframe: the one already asked for may arrive before its switch.
     */
    synchronized long deferKeyframeRequest(long nowNanos) {
        if (keyframeRequestDeferred) {
            return -1;
        }
        keyframeRequestDeferred = true;
        return Math.max(0, KEYFRAME_INTERVAL_NANOS - (nowNanos - lastKeyframeRequestNanos));
    }

    /** The deferred request is being made now: a later refusal may defer again. */
    synchronized void deferredKeyframeRequestDue() {
        keyframeRequestDeferred = false;
    }

    @Override
    public String toString() {
        return receiver.info.trackId() + (rid == null ? "" : "#" + rid);
    }
}
