package org.steno.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A meeting's durable record: who owns it and who may enter, so both survive a restart.
 *
 * @param ownerId     the owner's account id
 * @param createdAt   stored to the millisecond
 * @param accessLevel {@code public}, {@code trusted} or {@code restricted} (see V4__meeting_access.sql)
 */
public record StoredMeeting(String id, String ownerId, String title, Instant createdAt, String accessLevel) {

    public static final java.util.Set<String> ACCESS_LEVELS = java.util.Set.of("public", "trusted", "restricted");

    public StoredMeeting {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(accessLevel, "accessLevel");
        if (!ACCESS_LEVELS.contains(accessLevel)) {
            throw new IllegalArgumentException("access level must be public, trusted or restricted, not " + accessLevel);
        }
    }

    /** A meeting with the default access level, {@code trusted}. */
    public StoredMeeting(String id, String ownerId, String title, Instant createdAt) {
        this(id, ownerId, title, createdAt, "trusted");
    }

    public StoredMeeting withTitle(String newTitle) {
        return new StoredMeeting(id, ownerId, newTitle, createdAt, accessLevel);
    }

    public StoredMeeting withAccessLevel(String level) {
        return new StoredMeeting(id, ownerId, title, createdAt, level);
    }
}
