package org.steno.recorder;

/** A recording could not start or continue; the message is a sentence a host can act on. */
public final class RecordingException extends Exception {

    private final boolean unknownMeeting;

    public RecordingException(String message) {
        super(message);
        this.unknownMeeting = false;
    }

    private RecordingException(String message, boolean unknownMeeting) {
        super(message);
        this.unknownMeeting = unknownMeeting;
    }

    /** The meeting does not exist (or has ended): an API answers 404. */
    public static RecordingException unknownMeeting(String meetingId) {
        return new RecordingException("There is no running meeting '" + meetingId + "' to record.", true);
    }

    public boolean isUnknownMeeting() {
        return unknownMeeting;
    }

    public RecordingException(String message, Throwable cause) {
        super(message, cause);
        this.unknownMeeting = false;
    }
}
