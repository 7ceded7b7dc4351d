package org.steno.recorder;

/**
 * A recording as the API shows it.
 *
 * @param meetingId   the meeting
 * @param recordingId the recording (a meeting can have several)
 * @param running     true while media is being written
 * @param message     a sentence for the host: why it stopped, or empty
 */
public record RecordingStatus(String meetingId, String recordingId, boolean running, String message) {
}
