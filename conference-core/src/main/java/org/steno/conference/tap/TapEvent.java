package org.steno.conference.tap;

import java.time.Duration;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.Track;

/** What a tap subscriber receives for one meeting: PCM frames and the events around them. */
public interface TapEvent {

    /** Media time (since meeting start) the event refers to. */
    Duration mediaTime();

    /** A participant joined, left or changed. {@code reason} is set for LEFT only. */
    record ParticipantChange(Kind kind, Participant participant, LeaveReason reason, Duration mediaTime) implements TapEvent {
        public enum Kind { JOINED, LEFT, UPDATED }
    }

    /** A track was published, unpublished, muted or unmuted. */
    record TrackChange(Kind kind, Track track, Duration mediaTime) implements TapEvent {
        public enum Kind { PUBLISHED, UNPUBLISHED, MUTED, UNMUTED }
    }

    /** Title, captions, language or recording of the meeting changed. */
    record MeetingChange(Duration mediaTime) implements TapEvent {
    }

    /** The meeting ended: the last event of a subscription. */
    record MeetingEnd(EndReason reason, Duration mediaTime) implements TapEvent {
    }

    /** Periodic tick, also while nobody speaks. */
    record Heartbeat(Duration mediaTime, Duration bufferStart) implements TapEvent {
    }
}
