package org.steno.pipeline.transcript;

import org.steno.pipeline.speech.MeetingMeta;

/**
 * What the transcript writer receives, keyed by meeting: a finished part of one track
 * ({@code part} holds a serialized {@code steno.transcript.v1.TranscriptPart}), or the close
 * of a track (at meeting end, with every track of the meeting in {@code meetingTracks}).
 */
public record TranscriptItem(Kind kind, String meetingId, String transcriptId, String trackId, long startMs,
                             long endMs, byte[] part, boolean meetingEnd, String[] meetingTracks, MeetingMeta meeting) {

    /** Kind of a {@link TranscriptItem}. */
    public enum Kind {
        /** Final segments of one track from {@code startMs} on. */
        PART,
        /** The track is closed; all its parts were sent before this. */
        TRACK_CLOSED
    }
}
