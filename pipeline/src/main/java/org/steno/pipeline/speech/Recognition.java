package org.steno.pipeline.speech;

/**
 * Output of {@link RecognizeFunction} for one track: a (revised) utterance result, the
 * confirmation that a segment is final, or the close of the track. Times are media times in
 * milliseconds, already mapped from the recogniser's stream offsets.
 *
 * @param segmentStartMs start of the speech segment (from segmentation) the result belongs to
 * @param ordinal        index of the utterance within that segment: 0, 1, … in audio order
 * @param sourceEpochMs  wall-clock instant at which the result was taken off the gRPC stream
 * @param sharedMicrophone several people speak on the track: its words are attributed to voices
 */
public record Recognition(
        Kind kind,
        String meetingId,
        String transcriptId,
        String trackId,
        String participantId,
        String speakerIdentity,
        String speakerName,
        String language,
        long segmentStartMs,
        int ordinal,
        int revision,
        boolean isFinal,
        float stability,
        String text,
        Word[] words,
        long mediaStartMs,
        long mediaEndMs,
        boolean meetingEnd,
        String[] meetingTracks,
        MeetingMeta meeting,
        long sourceEpochMs,
        boolean sharedMicrophone) {

    /** Kind of a {@link Recognition}. */
    public enum Kind {
        /** An interim or final result of one utterance. */
        RESULT,
        /** Every result of the segment starting at {@code segmentStartMs} has been sent as final. */
        SEGMENT_CLOSED,
        /** The track is closed: its last segment is final and its session ended. */
        TRACK_CLOSED,
        /** Audio from {@code mediaStartMs} to {@code mediaEndMs} was never recognised; {@code text} says why. */
        GAP
    }

    public String key() {
        return meetingId + "/" + trackId;
    }
}
