package org.steno.conference.meeting;

/** Why a participant left (mirrors steno.media.v1.LeaveReason). */
public enum LeaveReason {
    LEFT, REMOVED, CONNECTION_LOST, INGEST_ENDED, MEETING_ENDED
}
