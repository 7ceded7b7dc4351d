package org.steno.conference.meeting;

import java.time.Duration;
import java.util.Objects;

/**
 * A participant as it is at one instant (immutable snapshot).
 *
 * @param joinedAt media time of the join
 * @param leftAt   media time of the leave, or null while connected
 */
public record Participant(String id, String identity, String displayName, ParticipantRole role,
                          ParticipantKind kind, Duration joinedAt, Duration leftAt) {

    public Participant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }

    public boolean connected() {
        return leftAt == null;
    }

    Participant withRole(ParticipantRole newRole) {
        return new Participant(id, identity, displayName, newRole, kind, joinedAt, leftAt);
    }

    Participant leaving(Duration at) {
        return new Participant(id, identity, displayName, role, kind, joinedAt, at);
    }
}
