package org.steno.conference.meeting;

/** A registry bound was hit (too many meetings, participants or tracks); the message says which. */
public final class MeetingLimitException extends RuntimeException {

    public MeetingLimitException(String message) {
        super(message);
    }
}
