package org.steno.recorder.finalize;

import java.util.List;
import org.steno.recorder.ParticipantRecord;

/**
 * {@code manifest.json}: what a recording holds. Times are milliseconds on the recording's time
 * line (0 = when recording started); a file's {@code offsetMs} is where its first sample belongs
 * on that line, so files laid at their offsets play in sync.
 *
 * @param complete false when the recorder stopped unexpectedly: see {@code gaps}
 */
public record Manifest(
        int version,
        String meetingId,
        String recordingId,
        String startedAt,
        String finalizedAt,
        long durationMs,
        boolean complete,
        String stopReason,
        List<ParticipantRecord> participants,
        List<FileEntry> files,
        List<GapEntry> gaps) {

    /**
     * One final file.
     *
     * @param kind {@code audio} or {@code video} (a participant's track) or {@code mixed}
     * @param source what a participant's track carries: {@code microphone}, {@code camera} or {@code screen}
     *               (a shared screen is a video track of its own); empty for the mix
     */
    public record FileEntry(String key, String kind, String participantId, String displayName, String trackId,
                            String codec, String container, long offsetMs, long durationMs, long bytes,
                            String sha256, int width, int height, List<GapEntry> gaps, String source) {
    }

    /**
     * A stretch with no media. {@code toMs} is -1 when its end is unknown (the recorder died).
     *
     * @param reason {@code muted}, {@code no packets}, {@code no video}, {@code segment lost},
     *               {@code recorder crashed}, …
     */
    public record GapEntry(long fromMs, long toMs, String reason) {
    }
}
