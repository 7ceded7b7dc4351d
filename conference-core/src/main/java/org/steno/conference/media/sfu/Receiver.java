package org.steno.conference.media.sfu;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtp.SequenceUnwrapper;

/**
 * One upstream track: its SSRC, 64-bit extended sequence numbers, reception statistics for receiver reports
 * (RFC 3550 §6.4.1, A.3, A.8), its audio level and the keyframe-request rate limit. Packets of one track arrive on
 * the publisher's serial worker, so the counters need no locking; {@link #reportBlock} is called from the timer and
 * reads fields that are only approximately consistent, which is fine for a report. It keeps the down-tracks that
 * carry it, so a packet visits only the subscribers that selected it, not every endpoint of the group.
 */
public final class Receiver {

    private static final long KEYFRAME_INTERVAL_NANOS = 500_000_000L;

    final TrackInfo info;
    final SfuEndpoint publisher;
    final int payloadType;
    volatile long ssrc;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    final AudioLevelMeter level = new AudioLevelMeter();
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
    /** The subscribers' slots bound to this track now (written on bind, read per packet). */
    final List<DownTrack> downTracks = new CopyOnWriteArrayList<>();
    /** A screen share (the offer's m-line said {@code a=content:slides}): last-N shows it before anyone's camera. */
    volatile boolean screenShare;

    Receiver(TrackInfo info, SfuEndpoint publisher, int payloadType, long ssrc) {
        this.info = info;
        this.publisher = publisher;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
    }

    public TrackInfo info() {
        return info;
    }

    public MediaKind kind() {
        return info.kind();
    }

    /** Records one packet; returns its extended sequence number. */
    long onPacket(int seq, long rtpTs, long arrivalNanos) {
        long ext = unwrapper.unwrap(seq);
        if (baseSeq < 0) {
            baseSeq = ext;
        }
        received++;
        long arrivalTicks = arrivalNanos / 1000 * info.clockRate() / 1_000_000L;
        long transit = arrivalTicks - rtpTs;
        if (lastTransitTicks != Long.MIN_VALUE) {
            long d = Math.abs(transit - lastTransitTicks);
            jitter += (d - jitter) / 16.0;
        }
        lastTransitTicks = transit;
        lastPacketNanos = arrivalNanos;
        return ext;
    }

    void onSenderReport(long ntp, long arrivalNanos) {
        lastSrMiddle = (ntp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = arrivalNanos;
    }

    /** A report block about this track, or null before any packet. */
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
}
