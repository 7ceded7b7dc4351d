package org.steno.conference.meeting;

/** The meeting, participant or track named does not exist or has ended. */
public final class MeetingNotActiveException extends RuntimeException {

    public MeetingNotActiveException(String message) {
        super(message);
    }
}
