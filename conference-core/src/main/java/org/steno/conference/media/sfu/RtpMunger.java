package org.steno.conference.media.sfu;

/**
 * Rewrites a source's extended sequence numbers and timestamps into one continuous outgoing stream (a down-track):
 * {@code out = in + offset}. When the source changes (top-N switch, publisher re-joined, a slot re-bound), new
 * offsets make the next packet follow the last one sent — sequence +1, timestamp advanced by the wall time elapsed —
 * so the subscriber sees one stream with no jump. Packets of other sources and packets older than the switch
 * point are dropped; in-order
 * padding-only packets are dropped without leaving a sequence gap. Not thread-safe (the down-track serialises).
 */
public final class RtpMunger {

    /** Output of {@link #munge}: the 16-bit sequence number and 32-bit timestamp to write. */
    public record Munged(long extendedSeq, int seq, long timestamp) {
    }

    private final int clockRate;
    private Object source;
    private boolean rebase;
    private long seqOffset;
    private long tsOffset;
    private long sourceStartSeq; // first extended input seq of the current source
    private long highestInSeq = -1;
    private long lastOutSeq;
    private long lastOutTs;
    private long lastOutNanos;
    private boolean started;

    public RtpMunger(int clockRate, long initialSeq, long initialTs) {
        this.clockRate = clockRate;
        this.lastOutSeq = initialSeq - 1;
        this.lastOutTs = initialTs & 0xFFFFFFFFL;
    }

    /**
     * Makes {@code src} the source: its next packet is re-based to follow the last one sent. Packets of any other
     * source are dropped from now on (a late packet of the previous source must not switch back).
     */
    public void switchTo(Object src) {
        if (src != source) {
            source = src;
            rebase = true;
        }
    }

    /**
     * Maps one source packet. Returns null when it must be dropped (not the current source, older than the switch,
     * or padding-only that was absorbed).
     */
    public Munged munge(Object src, long inExtSeq, long inTs, boolean paddingOnly, long nowNanos) {
        if (src != source || src == null) {
            return null;
        }
        if (rebase) {
            if (paddingOnly) {
                return null; // never start a source on padding
            }
            long elapsedTicks = started ? Math.max(1, (nowNanos - lastOutNanos) * clockRate / 1_000_000_000L) : 0;
            seqOffset = lastOutSeq + 1 - inExtSeq;
            tsOffset = (lastOutTs + elapsedTicks - inTs) & 0xFFFFFFFFL;
            sourceStartSeq = inExtSeq;
            highestInSeq = inExtSeq - 1;
            rebase = false;
        }
        if (inExtSeq < sourceStartSeq) {
            return null;
        }
        if (inExtSeq > highestInSeq) {
            if (paddingOnly) {
                absorb(src, inExtSeq);
                return null;
            }
            highestInSeq = inExtSeq;
            long outSeq = inExtSeq + seqOffset;
            long outTs = (inTs + tsOffset) & 0xFFFFFFFFL;
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastOutNanos = nowNanos;
            started = true;
            return new Munged(outSeq, (int) (outSeq & 0xFFFF), outTs);
        }
        if (paddingOnly) {
            return null;
        }
        long outSeq = inExtSeq + seqOffset; // reordered packet of the current source: same offsets
        return new Munged(outSeq, (int) (outSeq & 0xFFFF), (inTs + tsOffset) & 0xFFFFFFFFL);
    }

    /**
     * Drops an in-order packet of the current source without leaving a gap: the next packet sent takes its
     * number. Used for padding and for audio held back by top-N selection, so the subscriber sees no loss (and
     * sends no NACK for packets that were never meant for it). Losses upstream still show as gaps.
     */
    public void absorb(Object src, long inExtSeq) {
        if (src != source || src == null || rebase || inExtSeq <= highestInSeq) {
            return;
        }
        highestInSeq = inExtSeq;
        seqOffset--;
    }

    public long lastOutSeq() {
        return lastOutSeq;
    }

    public long lastOutTimestamp() {
        return lastOutTs;
    }

    public long lastOutNanos() {
        return lastOutNanos;
    }

    public boolean started() {
        return started;
    }

    /** The RTP time "now" on this down-track, for sender reports. */
    public long timestampAt(long nowNanos) {
        return (lastOutTs + (nowNanos - lastOutNanos) * clockRate / 1_000_000_000L) & 0xFFFFFFFFL;
    }

}
