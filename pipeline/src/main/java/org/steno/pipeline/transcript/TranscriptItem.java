package org.steno.pipeline.transcript;

import org.steno.pipeline.speech.MeetingMeta;

/**
 * What the transcript writer receives, keyed by meeting: a finished part of one track
 * ({@code part} holds a serialized {@code steno.transcript.v1.TranscriptPart}), audio that
 * was never transcribed ({@code part} holds a serialized {@code CoverageGap}), or the close
 * of a track (at meeting end, with every track of the meeting in {@code meetingTracks}).
 */
public record TranscriptItem(Kind kind, String meetingId, String transcriptId, String trackId, long startMs,
                             long endMs, byte[] part, boolean meetingEnd, String[] meetingTracks, MeetingMeta meeting) {

    /** Kind of a {@link TranscriptItem}. */
    public enum Kind {
        /** Final segments of one track from {@code startMs} on. */
        PART,
        /** The track is closed; all its parts were sent before this. */
        TRACK_CLOSED,
        /** Audio of the track from {@code startMs} to {@code endMs} is not in the transcript. */
        GAP
    }

    /** A coverage gap: audio of {@code trackId} (every track when empty) that is not in the transcript. */
    public static TranscriptItem gap(String meetingId, String transcriptId, String trackId, long startMs, long endMs,
                                     String reason, MeetingMeta meeting) {
        byte[] gap = org.steno.proto.transcript.v1.CoverageGap.newBuilder().setTrackId(trackId)
                .setMediaStart(com.google.protobuf.util.Durations.fromMillis(startMs))
                .setMediaEnd(com.google.protobuf.util.Durations.fromMillis(endMs)).setReason(reason).build().toByteArray();
        return new TranscriptItem(Kind.GAP, meetingId, transcriptId, trackId, startMs, endMs, gap, false, new String[0], meeting);
    }
}
