package org.steno.conference.tap;

import java.time.Duration;
import java.util.List;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.Track;

/**
 * How a tap subscription starts, with the meeting's state at that instant.
 *
 * @param requestedResumeFrom the resume point asked for, or null for live
 * @param effectiveStart      media time of the first frame delivered (live edge when live)
 * @param bufferStart         oldest media time held in the ring buffer
 * @param resumeSatisfied     false when the request reached before the buffer
 */
public record TapStart(Duration requestedResumeFrom, Duration effectiveStart, Duration bufferStart,
                       boolean resumeSatisfied, List<Participant> participants, List<Track> tracks) {
}
