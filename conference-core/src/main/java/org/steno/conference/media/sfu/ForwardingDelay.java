package org.steno.conference.media.sfu;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.steno.conference.media.DelaySummary;

/**
 * How long a forwarded packet spent in the SFU: from the socket read of the publisher's datagram to the end of the
 * send to one subscriber (queueing in the endpoint's worker, SRTP both ways, selection, rewrite, the send itself).
 * A packet sent to 30 subscribers is 30 samples: the last of a fan-out waits for the others, and that is part of
 * what a subscriber sees. Recording is wait-free (HdrHistogram's {@link Recorder}); readers take the samples since
 * their previous read.
 */
final class ForwardingDelay {

    /** Longer than this is recorded as this: a packet a minute late is lost anyway. */
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final Recorder recorder = new Recorder(1_000, HIGHEST_NANOS, 2);
    private Histogram recycled;

    /** A packet read at {@code arrivalNanos} ({@link System#nanoTime()}) was just sent. */
    void sent(long arrivalNanos) {
        long delay = System.nanoTime() - arrivalNanos;
        recorder.recordValue(Math.max(0, Math.min(delay, HIGHEST_NANOS)));
    }

    /** The delays recorded since the previous call (the first call: since the start). */
    synchronized DelaySummary sinceLastRead() {
        Histogram h = recorder.getIntervalHistogram(recycled);
        recycled = h;
        if (h.getTotalCount() == 0) {
            return DelaySummary.NONE;
        }
        return new DelaySummary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
