package org.steno.recorder;

/**
 * What the recorder tells the rest of the process. Called on recorder threads; implementations
 * return quickly. Default methods do nothing, so a listener overrides only what it shows.
 */
public interface RecorderEvents {

    /** A recording started; every participant should see the recording notice. */
    default void recordingStarted(String meetingId, String recordingId) {
    }

    /**
     * A recording stopped. {@code reason} is {@link StopReason#REQUESTED} for a normal stop;
     * any other reason comes with a sentence for the host (disk full, storage failure).
     */
    default void recordingStopped(String meetingId, String recordingId, StopReason reason, String message) {
    }

    /** The final files and manifest of a recording are in storage. */
    default void recordingFinalized(String meetingId, String recordingId, String manifestKey) {
    }

    /** A video track lost data and waits for a keyframe: the SFU should send a PLI to its sender. */
    default void keyframeNeeded(String meetingId, String trackId) {
    }

    /** Why a recording stopped. */
    enum StopReason { REQUESTED, DISK_FULL, WRITE_FAILED, RECORDER_STOPPED }

    RecorderEvents NONE = new RecorderEvents() { };
}
