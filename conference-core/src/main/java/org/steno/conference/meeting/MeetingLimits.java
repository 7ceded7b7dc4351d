package org.steno.conference.meeting;

import java.time.Duration;

/**
 * Bounds of the registry, so a flood of requests cannot grow memory without limit.
 *
 * @param maxMeetings               active meetings at once on this node
 * @param maxParticipantsPerMeeting connected participants per meeting (ingest ones included)
 * @param maxTracksPerParticipant   tracks a participant may publish at once
 * @param emptyTimeout              how long a meeting stays open with nobody in it
 */
public record MeetingLimits(int maxMeetings, int maxParticipantsPerMeeting, int maxTracksPerParticipant,
                            Duration emptyTimeout) {

    public MeetingLimits {
        if (maxMeetings < 1 || maxParticipantsPerMeeting < 1 || maxTracksPerParticipant < 1) {
            throw new IllegalArgumentException("meeting limits must be at least 1");
        }
        if (emptyTimeout.isNegative() || emptyTimeout.isZero()) {
            throw new IllegalArgumentException("emptyTimeout must be positive");
        }
    }

    /**
     * 1000 meetings, 200 participants each, 4 tracks per participant; a meeting ends 2 min after the last person
     * left (its recordings and transcripts are finalized then; its link opens it again later).
     */
    public static MeetingLimits defaults() {
        return new MeetingLimits(1000, 200, 4, Duration.ofMinutes(2));
    }
}
