package org.steno.recorder.track;

/**
 * Places a track's packets on the recording's time line, in the track's clock units. RTP
 * timestamps space packets exactly; the meeting media time anchors the first packet and
 * re-anchors the track when its timestamps jump (an SSRC change, a sender restart, a
 * timestamp that runs backwards or far ahead of real time).
 */
final class TrackTimeline {

    private final int clockRate;
    private final java.util.function.LongSupplier recordingStartMicros;
    private final long toleranceUnits;
    private final SequenceUnwrapper timestamps = new SequenceUnwrapper(32);
    private long rtpBase;
    private long positionBase;
    private boolean anchored;
    private long resyncs;

    /** @param recordingStartMicros the media time of the recording's start, read when the first packet comes */
    TrackTimeline(int clockRate, java.util.function.LongSupplier recordingStartMicros) {
        this.clockRate = clockRate;
        this.recordingStartMicros = recordingStartMicros;
        // Arrival jitter is tens of ms; a second of disagreement means the timestamps jumped.
        this.toleranceUnits = clockRate;
    }

    /** Position of the packet in clock units since the recording started. */
    long position(long rtpTimestamp, long mediaTimeMicros) {
        long ext = timestamps.unwrap(rtpTimestamp);
        long byMediaTime = Math.max(0, (mediaTimeMicros - recordingStartMicros.getAsLong()) * clockRate / 1_000_000L);
        if (!anchored) {
            anchor(ext, byMediaTime);
            return byMediaTime;
        }
        long byRtp = positionBase + (ext - rtpBase);
        if (Math.abs(byRtp - byMediaTime) > toleranceUnits) {
            resyncs++;
            anchor(ext, byMediaTime);
            return byMediaTime;
        }
        return byRtp;
    }

    private void anchor(long ext, long position) {
        rtpBase = ext;
        positionBase = position;
        anchored = true;
    }

    /** The next packet re-anchors (new SSRC). */
    void reset() {
        anchored = false;
        timestamps.reset();
    }

    long resyncs() {
        return resyncs;
    }

    long toMicros(long units) {
        return units * 1_000_000L / clockRate;
    }
}
