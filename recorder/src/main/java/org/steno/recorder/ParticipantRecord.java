package org.steno.recorder;

/**
 * A participant in a recording's manifest. Times are milliseconds on the recording's time line;
 * {@code leftMs} is -1 when the participant was still there when the recording stopped.
 */
public record ParticipantRecord(String participantId, String displayName, long joinedMs, long leftMs) {
}
