package org.steno.conference.api;

import java.time.Instant;
import java.util.Set;
import org.steno.conference.meeting.ParticipantRole;

/**
 * What a valid join token allows: who joins which meeting, under which name and role.
 *
 * @param grants what the holder may do in the meeting ("publish", "subscribe")
 */
public record JoinGrant(String meetingId, String identity, String displayName, ParticipantRole role,
                        Set<String> grants, Instant expiresAt) {

    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";

    public JoinGrant {
        grants = Set.copyOf(grants);
    }
}
