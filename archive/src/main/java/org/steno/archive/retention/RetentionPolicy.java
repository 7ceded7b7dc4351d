package org.steno.archive.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long the archive keeps a meeting's files: recordings from when they started, transcripts
 * from when they were written. After that the daily sweep deletes them, unless the meeting is
 * under legal hold.
 */
public record RetentionPolicy(Duration recordings, Duration transcripts) {

    public RetentionPolicy {
        Objects.requireNonNull(recordings, "recordings");
        Objects.requireNonNull(transcripts, "transcripts");
        if (recordings.isNegative() || recordings.isZero() || transcripts.isNegative() || transcripts.isZero()) {
            throw new IllegalArgumentException("retention periods are positive");
        }
    }

    public Instant recordingDeletedAt(Instant startedAt) {
        return startedAt.plus(recordings);
    }

    public Instant transcriptDeletedAt(Instant writtenAt) {
        return writtenAt.plus(transcripts);
    }
}
