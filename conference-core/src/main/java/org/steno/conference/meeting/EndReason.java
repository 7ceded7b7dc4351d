package org.steno.conference.meeting;

/** Why a meeting ended (mirrors steno.media.v1.MeetingEndReason). */
public enum EndReason {
    ENDED_BY_HOST, EMPTY_TIMEOUT, SERVER_SHUTDOWN, MAX_DURATION
}
