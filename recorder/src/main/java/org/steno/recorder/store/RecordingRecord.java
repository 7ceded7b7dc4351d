package org.steno.recorder.store;

/**
 * {@code recording.json}: written when a recording starts, so a recorder that restarts after a
 * crash finds recordings without a manifest and finalizes them.
 *
 * @param startedAt        wall-clock start, ISO-8601
 * @param startMediaMicros the meeting media time the recording's time line starts at
 */
public record RecordingRecord(String meetingId, String recordingId, String startedAt, long startMediaMicros,
                              long segmentMillis) {
}
