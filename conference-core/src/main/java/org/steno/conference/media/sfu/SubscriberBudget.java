package org.steno.conference.media.sfu;

/**
 * How many bits per second of video one subscriber can take, from the signals it sends today: REMB (RTCP PSFB
 * "goog-remb", a receiver-side estimate, honoured for 5 s) and the loss its receiver reports give for our video
 * slots, handled as Google Congestion Control's loss-based controller does (draft-ietf-rmcat-gcc-02 §6: above 10 %
 * loss the rate drops to {@code rate × (1 − loss/2)}, below 2 % it grows by 5 % a report, in between it holds).
 * Loss counts only when two reports in a row say so: a single lossy second (a publisher's burst, a switch) must not
 * hold a subscriber on the lowest layer for the half minute the 5 % steps take to climb back. No signal: no limit.
 * A transport-wide-cc delay-based estimate belongs here too, as one more cap on the same number.
 */
final class SubscriberBudget {

    static final long REMB_VALID_NANOS = 5_000_000_000L;

    private volatile long rembBps = -1;
    private volatile long rembAtNanos;
    /** The loss-based estimate; unlimited until loss is seen, and again once it grew past twice what is sent. */
    private long lossBasedBps = Long.MAX_VALUE;
    private boolean lossyBefore;

    void onRemb(long bitsPerSecond, long nowNanos) {
        rembBps = Math.max(0, bitsPerSecond);
        rembAtNanos = nowNanos;
    }

    /** A receiver report about our video: the highest fraction lost (0–255) of its blocks, and the rate we send. */
    synchronized void onLoss(int fractionLost, long sentBps) {
        double loss = fractionLost / 256.0;
        boolean lossy = loss > 0.10;
        if (lossy && lossyBefore) {
            long from = Math.min(lossBasedBps, Math.max(sentBps, 0));
            lossBasedBps = (long) (from * (1 - 0.5 * loss));
        } else if (loss < 0.02 && lossBasedBps != Long.MAX_VALUE) {
            lossBasedBps = (long) (lossBasedBps * 1.05) + 1000;
            if (lossBasedBps > 2 * Math.max(sentBps, 1)) {
                lossBasedBps = Long.MAX_VALUE;
            }
        }
        lossyBefore = lossy;
    }

    /** The budget now, in bits per second ({@link Long#MAX_VALUE}: no signal limits it). */
    synchronized long bitsPerSecond(long nowNanos) {
        long remb = rembBps >= 0 && nowNanos - rembAtNanos < REMB_VALID_NANOS ? rembBps : Long.MAX_VALUE;
        return Math.min(remb, lossBasedBps);
    }
}
