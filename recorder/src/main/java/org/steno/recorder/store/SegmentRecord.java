package org.steno.recorder.store;

import java.util.List;

/**
 * The commit record of one segment, uploaded as {@code segment-<n>.json} after the media file.
 * Its presence in storage means the segment is complete; recovery and finalizing read only these.
 * Times are microseconds on the recording's time line (0 = recording start).
 */
public record SegmentRecord(
        String meetingId,
        String recordingId,
        String kind,
        String participantId,
        String displayName,
        String trackId,
        String codec,
        String container,
        int index,
        String key,
        long startMicros,
        long durationMicros,
        long bytes,
        String sha256,
        int width,
        int height,
        List<Gap> gaps,
        String source) {

    /** Kinds: a participant's audio or video track, or the mix of everyone. */
    public static final String AUDIO = "audio";
    public static final String VIDEO = "video";
    public static final String MIXED = "mixed";

    /** A stretch with no media from the source, filled (audio) or skipped (video). */
    public record Gap(long fromMicros, long toMicros, String reason) {
    }

    /** What the track carries: {@code microphone}, {@code camera} or {@code screen}; empty for the mix and in records older than the field. */
    public String sourceOrEmpty() {
        return source == null ? "" : source;
    }

    public long endMicros() {
        return startMicros + durationMicros;
    }
}
