package org.steno.simulator.media;

import java.util.concurrent.atomic.LongAdder;

/** One peer's packet counters, written by the loop and ticker threads, read for the report. */
public final class PeerCounters {
    public final LongAdder audioSent = new LongAdder();
    public final LongAdder videoSent = new LongAdder();
    public final LongAdder rtcpSent = new LongAdder();
    public final LongAdder sendDropped = new LongAdder();
    public final LongAdder audioReceived = new LongAdder();
    public final LongAdder videoReceived = new LongAdder();
    public final LongAdder srtpFailures = new LongAdder();
    /** Received RTP packets authenticated and decrypted (all, or one in {@code verifyEvery}). */
    public final LongAdder verified = new LongAdder();
    public final LongAdder dropped = new LongAdder();
    public final LongAdder stunResponses = new LongAdder();
    public final LongAdder keyframeRequests = new LongAdder();
    public final LongAdder keyframesSent = new LongAdder();
    public final LongAdder nacksReceived = new LongAdder();
    /** {@code System.nanoTime()} when SRTP started flowing, 0 before. */
    public volatile long connectedAtNanos;
}
