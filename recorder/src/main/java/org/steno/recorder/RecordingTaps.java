package org.steno.recorder;

/**
 * Connects a recording to a meeting's media: the server implements it over the SFU's taps.
 * {@link #attach} must replay the tracks already published ({@link RecordingInput#trackStarted})
 * and then forward every packet until the returned handle is closed.
 */
@FunctionalInterface
public interface RecordingTaps {

    /**
     * @return a handle that detaches the input; closing it twice is harmless
     * @throws RecordingException when the meeting does not exist or has ended
     */
    AutoCloseable attach(String meetingId, RecordingInput input) throws RecordingException;

    /**
     * The meeting's media time now (the clock of {@link RecordingInput}'s {@code mediaTimeMicros}),
     * where the recording's time line starts; -1 when unknown, and the first packet anchors it.
     */
    default long mediaTimeMicros(String meetingId) {
        return -1;
    }

    /** For a recorder that is fed directly (tests, the benchmark): attaching does nothing. */
    static RecordingTaps none() {
        return (meetingId, input) -> () -> { };
    }
}
