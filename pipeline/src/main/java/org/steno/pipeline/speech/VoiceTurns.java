package org.steno.pipeline.speech;

/**
 * Output of {@link DiarizeFunction} for one shared-microphone track: new or revised turns,
 * the confirmation that every turn up to a media time is final, or the end of diarization.
 *
 * @param transcriptId  the caption run the turns belong to (track ids repeat when captions are
 *                      turned on again)
 * @param coveredUpToMs for {@link Kind#COVERED}: turns before this media time are final; for
 *                      {@link Kind#UNAVAILABLE}: no turns will come for speech before it
 * @param reason        for {@link Kind#UNAVAILABLE}: why the diarizer is not answering
 */
public record VoiceTurns(Kind kind, String meetingId, String transcriptId, String trackId, VoiceTurn[] turns,
                         long coveredUpToMs, String reason) {

    /** Kind of a {@link VoiceTurns}. */
    public enum Kind {
        /** Turns created, revised or withdrawn. */
        TURNS,
        /** Every turn up to {@code coveredUpToMs} is final. */
        COVERED,
        /** The diarizer failed; what waits for it must not wait longer (a new session may follow). */
        UNAVAILABLE,
        /** The track ended and its diarization is complete. */
        ENDED
    }

    public String key() {
        return meetingId + "/" + trackId;
    }

    public static VoiceTurns marker(Kind kind, TrackEvent e, long coveredUpToMs, String reason) {
        return new VoiceTurns(kind, e.meetingId(), e.transcriptId(), e.trackId(), new VoiceTurn[0], coveredUpToMs, reason);
    }
}
