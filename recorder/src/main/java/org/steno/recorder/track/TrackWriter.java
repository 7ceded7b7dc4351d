package org.steno.recorder.track;

import java.io.IOException;
import java.util.List;
import org.steno.recorder.store.SegmentRecord;

/** One track file of a recording, fed on the recording's thread. */
public interface TrackWriter {

    void packet(long ssrc, int sequenceNumber, long rtpTimestamp, boolean marker, byte[] payload,
                long mediaTimeMicros) throws IOException;

    void muted(boolean muted, long mediaTimeMicros);

    /** Flushes what is buffered and commits the last segment. */
    void end(long mediaTimeMicros, long recordingStartMicros) throws IOException;

    /** Gives up the segment in progress (the recording failed). */
    void abandon();

    List<SegmentRecord> committed();

    TrackIdentity identity();

    TrackStats stats();
}
