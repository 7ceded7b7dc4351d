package org.steno.recorder;

import java.util.Optional;

/**
 * What the REST API and the host's button need: start and stop the recording of a meeting.
 * The recorder implements it; the server wires the meeting's media taps to the
 * {@link RecordingInput} the recorder gets for that meeting through {@link RecordingTaps}.
 */
public interface RecordingControl {

    /**
     * Starts recording the meeting; idempotent (a running recording is returned as is).
     *
     * @return the running recording
     * @throws RecordingException when the recording cannot start (disk full, recorder stopped);
     *                            the message is meant for the host
     */
    RecordingStatus start(String meetingId) throws RecordingException;

    /**
     * Stops the meeting's recording and finalizes its files in the background.
     *
     * @return the stopped recording, or empty when none was running
     */
    Optional<RecordingStatus> stop(String meetingId);

    /** The meeting's running recording, if any. */
    Optional<RecordingStatus> status(String meetingId);
}
