package org.steno.conference.meeting;

/** What a participant may do: the host controls recording and captions. */
public enum ParticipantRole {
    HOST, PARTICIPANT
}
