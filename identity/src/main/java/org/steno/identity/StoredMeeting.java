package org.steno.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A meeting's durable record: who owns it, so ownership survives a restart.
 *
 * @param ownerId   the owner's account id
 * @param createdAt stored to the millisecond
 */
public record StoredMeeting(String id, String ownerId, String title, Instant createdAt) {

    public StoredMeeting {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
