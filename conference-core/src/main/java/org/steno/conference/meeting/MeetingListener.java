package org.steno.conference.meeting;

/**
 * Events of the registry. Called on the thread that made the change, while the meeting's
 * lock is held, so a listener sees each meeting's events in order; listeners must be quick,
 * must not block and must not call back into another meeting. Exceptions are logged and
 * swallowed.
 */
public interface MeetingListener {

    default void meetingStarted(Meeting meeting) {
    }

    /** Title, captions, language or recording changed. */
    default void meetingUpdated(Meeting meeting) {
    }

    default void meetingEnded(Meeting meeting, EndReason reason) {
    }

    default void participantJoined(Meeting meeting, Participant participant) {
    }

    /** A participant's role changed (promoted to host, or demoted). */
    default void participantUpdated(Meeting meeting, Participant participant) {
    }

    default void participantLeft(Meeting meeting, Participant participant, LeaveReason reason) {
    }

    default void trackPublished(Meeting meeting, Track track) {
    }

    default void trackUnpublished(Meeting meeting, Track track) {
    }

    default void trackMuted(Meeting meeting, Track track) {
    }
}
