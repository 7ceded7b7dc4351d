package org.steno.conference.signaling;

import java.time.Duration;

/**
 * Maps one upstream track's RTP timestamps to meeting media time: the first packet's arrival
 * is the anchor, later packets add their RTP timestamp distance (unwrapped past 2^32), so
 * network jitter never shifts audio. If the two clocks disagree by more than a second (the
 * publisher restarted its clock), it re-anchors on the arrival time.
 */
final class RtpMediaClock {

    private static final long RESYNC_NANOS = 1_000_000_000L;

    private final int clockRate;
    private boolean anchored;
    private Duration anchorTime;
    private long anchorTs;
    private long lastExtended;

    RtpMediaClock(int clockRate) {
        this.clockRate = clockRate <= 0 ? 48_000 : clockRate;
    }

    synchronized Duration mediaTime(long rtpTimestamp, Duration arrival) {
        long ts = rtpTimestamp & 0xFFFFFFFFL;
        if (!anchored) {
            return anchor(ts, arrival);
        }
        long ext = unwrap(ts);
        Duration t = anchorTime.plusNanos((ext - anchorTs) * 1_000_000_000L / clockRate);
        if (Math.abs(t.minus(arrival).toNanos()) > RESYNC_NANOS) {
            return anchor(ts, arrival);
        }
        return t;
    }

    private Duration anchor(long ts, Duration arrival) {
        anchored = true;
        anchorTime = arrival;
        anchorTs = ts;
        lastExtended = ts;
        return arrival;
    }

    /** The 64-bit timestamp closest to the previous one with these low 32 bits. */
    private long unwrap(long ts) {
        long base = lastExtended & ~0xFFFFFFFFL;
        long candidate = base | ts;
        if (candidate - lastExtended > 0x80000000L) {
            candidate -= 0x100000000L;
        } else if (lastExtended - candidate > 0x80000000L) {
            candidate += 0x100000000L;
        }
        if (candidate > lastExtended) {
            lastExtended = candidate;
        }
        return candidate;
    }
}
